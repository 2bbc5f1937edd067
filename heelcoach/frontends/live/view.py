"""The full-screen frame of a live session, laid out for whatever window it is shown in:
the count in block digits, readable across a room, and lines that give way by priority.
The only session module that imports Rich."""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import IO

from rich.console import Console, ConsoleOptions, RenderResult
from rich.live import Live
from rich.text import Text

from heelcoach.domain.session.model import Activity, EndReason, Event, Hold, SessionItem, Snapshot
from heelcoach.frontends.live.controls import Frame, KeyHint
from heelcoach.frontends.words import live as live_words

_FULL, _EMPTY = "█", "░"
GAP = "   "  # between the big digits and the count beside them
SESSION_BAR_MAX = 40
FRAME_INTERVAL = 0.1  # ten redraws a second at most: often enough that a key shows at once
ANIMATION_INTERVAL = 0.2  # a bar that merely moves is smooth enough at 5 frames a second
FRAME_SLACK = 0.005  # a wake-up this close to the frame interval may draw

# 5-row block letters; '#' is ink. Widths vary so narrow letters don't look gappy.
_FONT_ROWS = {
    "A": ".###. #...# ##### #...# #...#",
    "B": "####. #...# ####. #...# ####.",
    "C": ".#### #.... #.... #.... .####",
    "D": "####. #...# #...# #...# ####.",
    "E": "##### #.... ####. #.... #####",
    "F": "##### #.... ####. #.... #....",
    "G": ".#### #.... #..## #...# .###.",
    "H": "#...# #...# ##### #...# #...#",
    "I": "### .#. .#. .#. ###",
    "J": "..### ...#. ...#. #..#. .##..",
    "K": "#...# #..#. ###.. #..#. #...#",
    "L": "#.... #.... #.... #.... #####",
    "M": "#...# ##.## #.#.# #...# #...#",
    "N": "#...# ##..# #.#.# #..## #...#",
    "O": ".###. #...# #...# #...# .###.",
    "P": "####. #...# ####. #.... #....",
    "Q": ".###. #...# #.#.# #..#. .##.#",
    "R": "####. #...# ####. #..#. #...#",
    "S": ".#### #.... .###. ....# ####.",
    "T": "##### ..#.. ..#.. ..#.. ..#..",
    "U": "#...# #...# #...# #...# .###.",
    "V": "#...# #...# #...# .#.#. ..#..",
    "W": "#...# #...# #.#.# ##.## #...#",
    "X": "#...# .#.#. ..#.. .#.#. #...#",
    "Y": "#...# .#.#. ..#.. ..#.. ..#..",
    "Z": "##### ...#. ..#.. .#... #####",
    "0": ".###. #..## #.#.# ##..# .###.",
    "1": ".##. ###. .##. .##. ####",
    "2": "####. ....# .###. #.... #####",
    "3": "####. ....# .###. ....# ####.",
    "4": "#...# #...# ##### ....# ....#",
    "5": "##### #.... ####. ....# ####.",
    "6": ".###. #.... ####. #...# .###.",
    "7": "##### ....# ...#. ..#.. ..#..",
    "8": ".###. #...# .###. #...# .###.",
    "9": ".###. #...# .#### ....# .###.",
    " ": "... ... ... ... ...",
    "-": ".... .... #### .... ....",
    "!": "# # # . #",
    "?": "####. ....# ..##. ..... ..#..",
    ".": ". . . . #",
    ":": ". # . # .",
    "'": "# # . . .",
    "/": "....# ...#. ..#.. .#... #....",
    "_": "... ... ... ... ###",
}
_FONT = {
    char: [row.replace("#", _FULL).replace(".", " ") for row in rows.split()]
    for char, rows in _FONT_ROWS.items()
}

_PHASE_STYLES = {
    **dict.fromkeys(("rise", "up", "push", "lift", "done"), "bold green"),
    **dict.fromkeys(("lower", "drop", "down"), "bold yellow"),
    **dict.fromkeys(("rest", "switch"), "bold blue"),
    **dict.fromkeys(("paused", "pain", "quit?"), "bold red"),
    "hold": "bold cyan",
    "ready": "bold magenta",
}

# When the window is short, the line with the lowest priority goes first; KEEP stays: the
# exercise, the count as text, the phase, the side, the support, questions and the keys.
KEEP = 100
_SPACER = 10
_BIG_DIGITS_DOUBLE = 15  # double-size digits shrink to single size first
_BIG_WORD = 30
_MISTAKE = 40
_TIP = 45
_PHASE_BAR = 50
_SESSION_BAR = 60
_SAVED = 65
_BIG_DIGITS = 70
_NOTICE = 85
_PHASE_CUE = 87  # what to do in the phase, below its name
_SETUP = 88
_KEYS_SECOND_ROW = 89


def big_text(word: str, scale: int = 1) -> list[str]:
    """`word` in 5-row block letters (10 rows at scale 2)."""
    glyphs = [_FONT.get(char, _FONT["?"]) for char in word.upper()]
    rows = [" ".join(glyph[row] for glyph in glyphs) for row in range(5)]
    if scale == 1:
        return rows
    wide = ["".join(char * scale for char in row) for row in rows]
    return [row for row in wide for _ in range(scale)]


def bar(fraction: float, width: int) -> str:
    """A bar that reads without colour: filled and empty cells differ in shape."""
    filled = round(max(0.0, min(1.0, fraction)) * width)
    return _FULL * filled + _EMPTY * (width - filled)


def time_left(seconds: float) -> str:
    """Coarse on purpose: minutes are what a person plans with, and it redraws less."""
    if seconds <= 0:
        return "done"
    if seconds < 60:
        return "under a minute left"
    return f"about {round(seconds / 60)} min left"


def fit(text: str, width: int) -> str:
    """`text` cut at a word boundary (with an ellipsis) so it fits `width`."""
    if len(text) <= width:
        return text
    if width <= 1:
        return text[:width]
    cut = text[: width - 1]
    if " " in cut and not text[width - 1].isspace():
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-·") + "…"


def wrap(text: str, width: int, max_lines: int = 2) -> list[str]:
    """Word-wrapped to `width`; a word longer than the line is the only thing split."""
    lines = textwrap.wrap(text, max(1, width), break_on_hyphens=False) or [""]
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = fit(lines[-1] + " …", width)
    return lines


def _style_for(word: str) -> str:
    return _PHASE_STYLES.get(word.lower(), "bold")


def count_texts(s: Snapshot, pain_typed: str | None = None) -> tuple[str, str]:
    """The number that matters now, as (big digits, text that stays), e.g. ('3', 'rep 3 / 10')."""
    if s.hold is Hold.PAIN:
        return f"{pain_typed or ''}_", f"pain 0-10: {pain_typed or ''}_"
    if s.hold is Hold.READY:
        return "", "when ready"
    if s.activity is Activity.WORK and s.item is not None and s.item.reps is not None:
        return str(s.rep), f"rep {s.rep} / {s.item.reps}"
    if s.countdown is None:
        return "", ""
    minutes = s.countdown >= 100
    digits = f"{s.countdown // 60}:{s.countdown % 60:02d}" if minutes else str(s.countdown)
    return digits, f"{s.countdown} s"


def phase_word(s: Snapshot) -> str:
    """The phase as one word or two: 'Rise', 'Rest', 'Switch', 'Ready', 'Paused'."""
    held = {Hold.PAUSED: "Paused", Hold.PAIN: "Pain", Hold.QUIT: "Quit?"}
    if s.hold in held:
        return held[s.hold]
    if s.activity is Activity.WORK and s.phase is not None:
        return s.phase.name
    return {
        Activity.REST: "Rest",
        Activity.SWITCH: "Switch",
        Activity.POSITION: "Ready",
        Activity.DONE: "Done",
    }.get(s.activity, "")


def _phase_line(s: Snapshot) -> tuple[str, str]:
    """(the phase, what to do in it): the line that is never dropped."""
    if s.activity is Activity.WORK and s.phase is not None:
        timed = s.item is not None and s.item.timed
        head, cue = s.phase.name.upper(), s.phase.cue or ("Keep going steadily." if timed else "")
    elif s.activity is Activity.REST:
        head, cue = "REST", "Breathe easy and shake out your legs."
    elif s.activity is Activity.SWITCH:
        head, cue = "SWITCH SIDES", "Change to the other leg."
    elif s.activity is Activity.POSITION:
        head, cue = "GET INTO POSITION", "Enter starts the set now."
    else:
        head, cue = "", ""
    if s.hold is Hold.PAUSED:
        return f"PAUSED · {head}", "press space to resume"
    if s.hold is Hold.READY:
        return head, live_words.READY_PROMPT
    return head, cue


def _facts(s: Snapshot, item: SessionItem) -> list[str]:
    parts = [f"set {s.set_number} of {item.sets}"]
    if s.side:
        parts.append(f"{s.side} side")
    if s.activity in (Activity.REST, Activity.SWITCH):
        parts[0] = "next: " + parts[0]
    elif s.activity is Activity.POSITION:
        parts.insert(0, "get into position")
    return parts


@dataclass
class _Block:
    """Lines shown together, with `variants` from fullest to none, each with its priority."""

    variants: list[tuple[int, list[Text]]]
    chosen: int = 0
    grow: bool = False  # a spacer that takes a share of any spare rows

    @property
    def lines(self) -> list[Text]:
        return self.variants[self.chosen][1]

    @property
    def priority(self) -> int | None:
        """Priority of the next step down, or None when nothing leaner is left."""
        if self.chosen >= len(self.variants) - 1:
            return None
        return self.variants[self.chosen][0]


def _line(text: str, style: str = "", width: int = 80, *, center: bool = False) -> Text:
    text = fit(text, width)
    if center:
        text = " " * max(0, (width - len(text)) // 2) + text
    return Text(text, style=style, no_wrap=True, overflow="crop")


def _block(priority: int, lines: list[Text]) -> _Block:
    return _Block([(priority, lines), (0, [])])


def _spacer(*, grow: bool = False) -> _Block:
    return _Block([(_SPACER, [Text("")]), (0, [])], grow=grow)


def layout(frame: Frame, width: int, height: int) -> list[Text]:
    """The frame in `height` lines of `width` cells, dropping the least needed first."""
    width = max(10, width)
    blocks = list(_blocks(frame, width))
    while sum(len(b.lines) for b in blocks) > height:
        candidates = [b for b in blocks if b.priority is not None and b.priority < KEEP]
        if not candidates:
            break
        min(candidates, key=lambda b: b.priority or 0).chosen += 1
    _take_back(blocks, height)
    _spread(blocks, height)
    lines = [line for block in blocks for line in block.lines]
    return lines[:height]


def _take_back(blocks: list[_Block], height: int) -> None:
    """Give back what fits again, most needed first (a five-row drop leaves room)."""
    used = sum(len(b.lines) for b in blocks)
    while True:
        dropped = [b for b in blocks if b.chosen > 0 and not b.grow]
        dropped.sort(key=lambda b: -b.variants[b.chosen - 1][0])
        for block in dropped:
            extra = len(block.variants[block.chosen - 1][1]) - len(block.lines)
            if used + extra <= height:
                block.chosen -= 1
                used += extra
                break
        else:
            return


def _spread(blocks: list[_Block], height: int) -> None:
    """Spare rows go to the spacers: the keys sit on the bottom line, the count mid-way."""
    spare = height - sum(len(b.lines) for b in blocks)
    growing = [b for b in blocks if b.grow]
    for number, block in enumerate(growing):
        extra = spare // len(growing) + (1 if number < spare % len(growing) else 0)
        if extra > 0:
            block.variants[block.chosen] = (_SPACER, block.lines + [Text("")] * extra)


def _blocks(frame: Frame, width: int) -> Iterator[_Block]:
    s, item = frame.snapshot, frame.snapshot.item
    if frame.demo is not None:
        yield _block(KEEP, [_demo_line(frame.demo, width)])
    if item is None:  # the session is over
        yield from _done_blocks(frame, width)
        return
    yield from _header_blocks(s, item, width)
    yield _spacer(grow=True)
    if s.activity is Activity.POSITION and item.setup:
        steps = [f"{n}. {step}" for n, step in enumerate(item.setup, 1)]
        yield _Block(_setup_variants(steps, width))
    yield from _hero_blocks(frame, width)
    yield _phase_block(s, width)
    if s.hold is None:
        style = _style_for(phase_word(s))
        yield _block(
            _PHASE_BAR,
            [_line(bar(s.phase_progress, min(60, width - 2)), style, width, center=True)],
        )
    yield from _coaching_blocks(frame, width)
    yield _spacer(grow=True)
    yield _block(_SESSION_BAR, [_session_line(s, width)])
    yield from _key_blocks(frame.keys, width)


def _demo_line(speed: float, width: int) -> Text:
    long = f" DEMO at {speed:g}x speed: nothing is saved "
    text = long if len(long) <= width else f"DEMO {speed:g}x: not saved"
    return _line(text, "bold reverse yellow", width, center=True)


def _header_blocks(s: Snapshot, item: SessionItem, width: int) -> Iterator[_Block]:
    name, where = item.name, f"exercise {s.exercise_number} of {s.exercise_count}"
    title = Text(fit(name, width), style="bold", no_wrap=True, overflow="crop")
    if len(name) + 3 + len(where) <= width:
        title.append(" " * (width - len(name) - len(where)))
        title.append(where, style="dim")
    yield _block(KEEP, [title])
    yield _block(KEEP, [_line(line, "", width) for line in _wrap_parts(_facts(s, item), width)])
    if item.support:
        lines = wrap(f"Support: {item.support}", width, 2)
        yield _block(KEEP, [_line(line, "bold", width) for line in lines])


def _wrap_parts(parts: list[str], width: int) -> list[str]:
    """Join `parts` with ' · ', breaking lines only between parts."""
    lines: list[str] = []
    for part in parts:
        if lines and len(lines[-1]) + 3 + len(part) <= width:
            lines[-1] += " · " + part
        else:
            lines.append(part)
    return lines


def _setup_variants(steps: list[str], width: int) -> list[tuple[int, list[Text]]]:
    """All the setup steps, then fewer as the window shrinks."""
    wrapped = [wrap(step, width - 3, 3) for step in steps]
    wrapped = [[rows[0], *("   " + row for row in rows[1:])] for rows in wrapped]
    variants: list[tuple[int, list[Text]]] = []
    for count in range(len(steps), 0, -1):
        lines = [_line(row, "", width) for rows in wrapped[:count] for row in rows]
        variants.append((_SETUP, lines))
    return [*variants, (0, [])]


def _hero_blocks(frame: Frame, width: int) -> Iterator[_Block]:
    """The big digits with the count beside them, and the phase in block letters."""
    s = frame.snapshot
    digits, count = count_texts(s, frame.pain_typed)
    if frame.heard and s.activity is Activity.WORK and s.hold is None:
        count = f"{count} · {frame.heard}"  # the clock's count beside what was heard
    word = phase_word(s)
    style = _style_for(word)
    variants: list[tuple[int, list[Text]]] = []
    for scale, priority in ((2, _BIG_DIGITS_DOUBLE), (1, _BIG_DIGITS)):
        rows = _hero_rows(digits, count, word, style, scale, width) if digits else None
        if rows is not None:
            variants.append((priority, rows))
    beside = bool(variants) and _word_beside(digits, count, word, 1, width)
    if not beside and word and len(big_text(word)[0]) <= width and s.hold is not Hold.ASK:
        # Not room beside the digits: above them, and the first thing to go.
        rows = [_line(row, style, width, center=True) for row in big_text(word)]
        yield _block(_BIG_WORD, rows)
    variants.append((KEEP, [_line(count, "bold", width, center=True)]))
    yield _Block(variants)


def _word_beside(digits: str, count: str, word: str, scale: int, width: int) -> bool:
    used = len(big_text(digits, scale)[0]) + len(GAP) + len(count)
    return bool(word) and used + 4 + len(big_text(word)[0]) <= width


def _hero_rows(
    digits: str, count: str, word: str, style: str, scale: int, width: int
) -> list[Text] | None:
    """Rows of [phase word]  [digits] [count], or None if the digits do not fit."""
    number = big_text(digits, scale)
    if len(number[0]) + len(GAP) + len(count) > width:
        return None
    columns: list[tuple[list[str], str]] = []
    if _word_beside(digits, count, word, scale, width):
        columns += [(big_text(word), style), (["    "], "")]
    columns += [(number, "bold"), ([GAP], ""), ([count], "bold")]
    height = len(number)
    total = sum(len(rows[0]) for rows, _ in columns)
    pad = " " * max(0, (width - total) // 2)
    lines: list[Text] = []
    for row in range(height):
        line = Text(pad, no_wrap=True, overflow="crop")
        for rows, column_style in columns:
            top = (height - len(rows)) // 2
            cell = rows[row - top] if 0 <= row - top < len(rows) else " " * len(rows[0])
            line.append(cell, style=column_style)
        lines.append(line)
    return lines


def _phase_block(s: Snapshot, width: int) -> _Block:
    """The phase and what to do in it; short of rows, the phase alone, never half a cue."""
    head, cue = _phase_line(s)
    style = _style_for(phase_word(s))
    alone = [_line(head, style, width, center=True)]
    if not cue or len(head) + 3 + 3 > width:
        return _block(KEEP, alone)
    lines = _styled_head(wrap(f"{head} · {cue}", width, 4), head, style, width, center=True)
    return _Block([(_PHASE_CUE, lines), (KEEP, alone)])


def _styled_head(
    rows: list[str], head: str, style: str, width: int, *, center: bool = False
) -> list[Text]:
    """`rows` as lines, with `head` in `style` where the first row starts with it."""
    lines = []
    for number, row in enumerate(rows):
        pad = " " * max(0, (width - len(row)) // 2) if center else ""
        line = Text(pad, no_wrap=True, overflow="crop")
        if number == 0 and row.startswith(head):
            line.append(head, style=style)
            row = row[len(head) :]
        line.append(row)
        lines.append(line)
    return lines


def _coaching_blocks(frame: Frame, width: int) -> Iterator[_Block]:
    s = frame.snapshot
    if s.hold is Hold.PAIN:
        yield _prompt_block([live_words.PAIN_PROMPT, frame.problem or ""], width)
    elif s.hold is Hold.QUIT:
        yield _prompt_block([live_words.QUIT_PROMPT], width)
    elif s.hold is Hold.ASK and s.asking is not None:
        yield _prompt_block([live_words.ask_text(s.asking), live_words.ASK_QUESTION], width)
    if frame.listening:
        lines = [_line(line, "bold yellow", width) for line in wrap(frame.listening, width, 2)]
        yield _block(_NOTICE, lines)
    notice = live_words.notice_text(s.notice)
    if notice:
        lines = [_line(line, "bold", width) for line in wrap(notice, width, 3)]
        yield _block(_NOTICE, lines)
    if frame.saved and s.activity is not Activity.WORK:
        yield _block(_SAVED, [_line(frame.saved, "green", width)])
    if s.activity is Activity.WORK and s.hold is None:
        yield _spacer(grow=True)
        if s.cue:
            yield _labelled("Tip: ", s.cue, "bold green", _TIP, width)
        if s.mistake:
            yield _labelled("Avoid: ", s.mistake, "bold yellow", _MISTAKE, width)


def _prompt_block(texts: list[str], width: int) -> _Block:
    lines = [
        _line(line, "bold reverse", width)
        for text in texts
        if text
        for line in wrap(text, width, 3)
    ]
    return _block(KEEP, lines)


def _labelled(label: str, text: str, style: str, priority: int, width: int) -> _Block:
    lines = _styled_head(wrap(label + text, width, 2), label, style, width)
    if len(lines) > 1:  # when rows run short: one line, cut at a word
        one = _styled_head([label + fit(text, width - len(label))], label, style, width)
        return _Block([(priority - 2, lines), (priority, one), (0, [])])
    return _Block([(priority, lines), (0, [])])


def _session_line(s: Snapshot, width: int) -> Text:
    tail = f" {round(s.session_progress * 100):3d}%  {time_left(s.seconds_left)}"
    room = width - len("Session ") - len(tail)
    if room < 8:
        return _line(f"Session{tail}", "", width)
    return Text.assemble(
        ("Session ", "bold"),
        bar(s.session_progress, min(SESSION_BAR_MAX, room)),
        tail,
        no_wrap=True,
        overflow="crop",
    )


def _key_blocks(keys: tuple[KeyHint, ...], width: int) -> Iterator[_Block]:
    if not keys:
        return
    yield _block(_SPACER, [_line("─" * width, "dim", width)])
    rows = _key_rows(keys, width, 2)
    variants = [(_KEYS_SECOND_ROW, rows)] if len(rows) > 1 else []
    variants.append((KEEP, _key_rows(keys, width, 1)))
    yield _Block(variants)


def _key_rows(keys: tuple[KeyHint, ...], width: int, max_rows: int) -> list[Text]:
    """Key hints in at most `max_rows` rows, leaving out the least needed when narrow."""
    shown = list(keys)
    while True:
        rows = _pack(shown, width)
        if len(rows) <= max_rows or len(shown) == 1:
            break
        shown.remove(max(shown, key=lambda hint: hint.rank))
    lines = []
    for row in rows[:max_rows]:
        line = Text(no_wrap=True, overflow="crop")
        for hint in row:
            if line:
                line.append("  ")
            line.append(hint.key, style="bold reverse")
            line.append(f" {hint.label}")
        lines.append(line)
    return lines


def _pack(hints: list[KeyHint], width: int) -> list[list[KeyHint]]:
    rows: list[list[KeyHint]] = [[]]
    used = 0
    for hint in hints:
        size = len(hint.key) + 1 + len(hint.label)
        if rows[-1] and used + 2 + size > width:
            rows.append([])
            used = 0
        used += size + (2 if rows[-1] else 0)
        rows[-1].append(hint)
    return rows


def _done_blocks(frame: Frame, width: int) -> Iterator[_Block]:
    s = frame.snapshot
    if s.end_reason is EndReason.EMERGENCY:
        yield _spacer(grow=True)
        yield _block(KEEP, _emergency_panel(width))
        yield _spacer(grow=True)
        return
    yield _block(KEEP, [_line("Session finished", "bold", width)])


def _emergency_panel(width: int) -> list[Text]:
    inner = max(8, width - 4)
    style = "bold red"
    lines = [Text("┏" + "━" * (width - 2) + "┓", style=style, no_wrap=True, overflow="crop")]
    body = [(live_words.EMERGENCY_TITLE.upper(), "bold reverse red")]
    body += [("", "")]
    body += [(row, "bold") for row in wrap(live_words.EMERGENCY_ADVICE, inner, 8)]
    body += [("", ""), (live_words.ANY_KEY, "")]
    for text, text_style in body:
        line = Text("┃ ", style=style, no_wrap=True, overflow="crop")
        line.append(text.ljust(inner), style=text_style)
        line.append(" ┃", style=style)
        lines.append(line)
    lines.append(Text("┗" + "━" * (width - 2) + "┛", style=style, no_wrap=True, overflow="crop"))
    return lines


class FrameView:
    def __init__(self, frame: Frame) -> None:
        self.frame = frame

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        height = options.height or console.height
        lines = layout(self.frame, options.max_width, height)
        for line in lines:
            line.end = "\n"
            yield line


def frame_key(frame: Frame, size: tuple[int, int]) -> tuple[Frame, int, tuple[int, int]]:
    """What is visible as (all but the moving bar, bar cells filled, window size): news is
    redrawn at once, a merely moving bar less often."""
    s = frame.snapshot
    still = replace(
        s,
        phase_progress=0.0,
        session_progress=round(s.session_progress * 100),
        seconds_left=0.0 if s.seconds_left < 60 else round(s.seconds_left / 60),
    )
    return replace(frame, snapshot=still), round(s.phase_progress * 60), size


def bar_step(frame: Frame) -> float | None:
    """Session seconds per visible cell of the moving bar; None when nothing moves."""
    s = frame.snapshot
    if not s.running or not s.phase_seconds:
        return None
    return s.phase_seconds / 60


def title_text(frame: Frame) -> str:
    """The terminal title (a tmux tab, a window list): the phase and the count."""
    s = frame.snapshot
    if s.activity is Activity.DONE:
        return "heelcoach: done"
    word = "Paused" if s.hold is Hold.PAUSED else phase_word(s)
    count = count_texts(s)[1]
    return f"heelcoach: {word} {count}".rstrip()


class LiveScreen:
    """The alternate-screen display, redrawn only when something visible changed."""

    full_screen = True

    def __init__(self, console: Console | None = None, out: IO[str] | None = None) -> None:
        self.console = console if console is not None else Console(file=out)
        # Redraws are driven by the session loop: auto refresh would wake a thread 4x a second
        # for nothing, and redirecting stdout would hide the caller's own output.
        self._live = Live(
            console=self.console,
            screen=True,
            auto_refresh=False,
            redirect_stdout=False,
            redirect_stderr=False,
        )
        self._title: str | None = None
        self._last_key: tuple[object, ...] | None = None
        self._last_draw = -float("inf")
        self._pending: float | None = None  # frame interval of a redraw still owed

    def __enter__(self) -> LiveScreen:
        self._write("\x1b[22;0t")  # keep the terminal's own title, to put it back after
        self._live.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._live.stop()
        self._write("\x1b[23;0t")

    def start(self, frame: Frame) -> None:
        self.show(frame, -float("inf"))

    def event(self, event: Event) -> None:
        pass  # the next frame shows everything an event changed

    def say(self, line: str) -> None:
        pass  # the frame shows the news a line says

    def show(self, frame: Frame, real_now: float) -> None:
        key = frame_key(frame, self.console.size)
        if key == self._last_key:
            self._pending = None
            return
        last = self._last_key
        news = last is None or key[0] != last[0] or key[2] != last[2]
        interval = FRAME_INTERVAL if news else ANIMATION_INTERVAL
        if real_now - self._last_draw < interval - FRAME_SLACK:
            self._pending = interval  # drawn on a later wake-up, within `interval`
            return
        self.draw(frame)
        self._last_key, self._last_draw, self._pending = key, real_now, None

    def draw(self, frame: Frame) -> None:
        title = title_text(frame)
        if title != self._title:
            self._title = title
            self._write(f"\x1b]2;{title}\x07")
        self._live.update(FrameView(frame), refresh=True)

    def wait_hint(self, frame: Frame, real_now: float, speed: float) -> float | None:
        hints: list[float] = []
        if self._pending is not None:
            hints.append(self._pending - (real_now - self._last_draw))
        step = bar_step(frame)
        if step:
            hints.append(max(ANIMATION_INTERVAL, step / speed))
        return min(hints) if hints else None

    def bell(self) -> None:
        self._write("\a")

    def resized(self) -> None:
        self._last_key = None
        self._last_draw = -float("inf")

    def _write(self, text: str) -> None:
        # Straight to the file: a bell or a title moves no cursor, so Live need not know.
        if self.console.is_terminal:
            self.console.file.write(text)
            self.console.file.flush()
