"""The full-screen frame of a live session, drawn with Rich.

This module owns how a `Snapshot` looks: a header with the exercise, the phase name in
block letters big enough to read from a yoga mat, the bars, the cues and the keys. It is
the only session module that imports Rich, so plain-text runs (screen readers, logs,
TERM=dumb) never pay for it. Everything fits an 80x24 terminal.
"""

from __future__ import annotations

from dataclasses import replace
from types import TracebackType
from typing import IO

from rich.align import Align
from rich.console import Console, Group, RenderableType
from rich.live import Live
from rich.panel import Panel
from rich.rule import Rule
from rich.text import Text

from heelcoach.domain.session import Snapshot

BAR_WIDTH = 60  # phase bar cells
SESSION_BAR_WIDTH = 40
COACHING_ROWS = 5  # tip, mistake, next, saved, message
BIG_MAX_WIDTH = 76  # block letters wider than this fall back to a bold line
_FULL, _EMPTY = "█", "░"

# 5-row block letters; '#' is ink. Widths vary so narrow letters don't look gappy.
_FONT_ROWS = {
    "A": ".###. #...# ##### #...# #...#", "B": "####. #...# ####. #...# ####.",
    "C": ".#### #.... #.... #.... .####", "D": "####. #...# #...# #...# ####.",
    "E": "##### #.... ####. #.... #####", "F": "##### #.... ####. #.... #....",
    "G": ".#### #.... #..## #...# .###.", "H": "#...# #...# ##### #...# #...#",
    "I": "### .#. .#. .#. ###", "J": "..### ...#. ...#. #..#. .##..",
    "K": "#...# #..#. ###.. #..#. #...#", "L": "#.... #.... #.... #.... #####",
    "M": "#...# ##.## #.#.# #...# #...#", "N": "#...# ##..# #.#.# #..## #...#",
    "O": ".###. #...# #...# #...# .###.", "P": "####. #...# ####. #.... #....",
    "Q": ".###. #...# #.#.# #..#. .##.#", "R": "####. #...# ####. #..#. #...#",
    "S": ".#### #.... .###. ....# ####.", "T": "##### ..#.. ..#.. ..#.. ..#..",
    "U": "#...# #...# #...# #...# .###.", "V": "#...# #...# #...# .#.#. ..#..",
    "W": "#...# #...# #.#.# ##.## #...#", "X": "#...# .#.#. ..#.. .#.#. #...#",
    "Y": "#...# .#.#. ..#.. ..#.. ..#..", "Z": "##### ...#. ..#.. .#... #####",
    "0": ".###. #..## #.#.# ##..# .###.", "1": ".#. ##. .#. .#. ###",
    "2": "####. ....# .###. #.... #####", "3": "####. ....# .###. ....# ####.",
    "4": "#...# #...# ##### ....# ....#", "5": "##### #.... ####. ....# ####.",
    "6": ".###. #.... ####. #...# .###.", "7": "##### ....# ...#. ..#.. ..#..",
    "8": ".###. #...# .###. #...# .###.", "9": ".###. #...# .#### ....# .###.",
    " ": "... ... ... ... ...", "-": ".... .... #### .... ....",
    "!": "# # # . #", "?": "####. ....# ..##. ..... ..#..", ".": ". . . . #",
    "'": "# # . . .", "/": "....# ...#. ..#.. .#... #....", "_": "... ... ... ... ###",
}  # fmt: skip
_FONT = {
    char: [row.replace("#", _FULL).replace(".", " ") for row in rows.split()]
    for char, rows in _FONT_ROWS.items()
}

_PHASE_STYLES = {
    "rise": "bold green", "up": "bold green", "push": "bold green",
    "lower": "bold yellow", "drop": "bold yellow", "down": "bold yellow",
    "hold": "bold cyan", "rest": "bold blue", "switch sides": "bold blue",
    "get ready": "bold magenta", "paused": "bold red", "pain": "bold red",
    "quit?": "bold red", "done": "bold green",
}  # fmt: skip


# --- pieces -----------------------------------------------------------------------------


def big_text(word: str) -> list[str] | None:
    """`word` in 5-row block letters, or None if it would not fit the screen."""
    glyphs = [_FONT.get(char, _FONT["?"]) for char in word.upper()]
    rows = [" ".join(glyph[row] for glyph in glyphs) for row in range(5)]
    return rows if rows and len(rows[0]) <= BIG_MAX_WIDTH else None


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


def _big_word(s: Snapshot) -> str:
    if s.mode == "paused":
        return "Paused"
    if s.mode == "pain_entry":
        return f"Pain {s.pain_typed or ''}_"
    if s.mode == "confirm_quit":
        return "Quit?"
    if s.mode == "rest" and s.activity == "switch":
        return f"Switch {s.countdown}"
    if s.countdown is not None and s.mode != "done":
        return f"{s.phase} {s.countdown}"
    return s.phase or ""


def _style_for(s: Snapshot) -> str:
    word = {"paused": "paused", "pain_entry": "pain", "confirm_quit": "quit?"}.get(s.mode)
    return _PHASE_STYLES.get(word or (s.phase or "").lower(), "bold")


def _header(s: Snapshot) -> RenderableType:
    if s.mode == "done":
        return Panel(Text("Session finished", style="bold"), padding=(0, 1))
    title = Text(s.exercise_name or "", style="bold")
    title.append(f"   exercise {s.exercise_number} of {s.exercise_count}", style="dim")
    facts = [f"set {s.set_number} of {s.sets}", s.measure]
    if s.side:
        facts.insert(1, f"{s.side} side")
    if s.support:
        facts.append(f"support: {s.support}")
    title.append("\n" + "  ·  ".join(facts))
    return Panel(title, padding=(0, 1))


def _big(s: Snapshot) -> RenderableType:
    word = _big_word(s)
    rows = big_text(word) or big_text(s.phase or "") or None
    if rows is None:  # too long for block letters: one bold line in a box instead
        return Panel(Text(word.upper(), style=_style_for(s), justify="center"))
    # Centred as one block: centring each row alone would shear the letters apart.
    return Align.center(Text("\n".join(rows), style=_style_for(s), no_wrap=True))


def _phase_line(s: Snapshot) -> Text:
    line = Text(s.phase or "", style="bold")
    if s.phase_cue:
        line.append(f" - {s.phase_cue}", style="")
    line.justify = "center"
    return line


def _count_line(s: Snapshot) -> Text:
    parts = []
    if s.rep is not None and s.activity == "work":
        parts.append(f"rep {s.rep} / {s.reps_target}")
    if s.countdown is not None:
        parts.append(f"{s.countdown} s left")
    return Text("    ".join(parts), style="bold", justify="center")


def _coaching(s: Snapshot) -> list[Text]:
    lines = []
    if s.cue:
        lines.append(Text.assemble(("Tip: ", "bold green"), s.cue))
    if s.mistake:
        lines.append(Text.assemble(("Avoid: ", "bold yellow"), s.mistake))
    if s.next_label and s.activity != "work":
        lines.append(Text.assemble(("next: ", "bold"), s.next_label))
    if s.saved and s.activity != "work":
        lines.append(Text(s.saved, style="green"))
    if s.message:
        lines.append(Text(s.message, style="bold reverse" if s.mode != "work" else "bold"))
    return lines


def _session_line(s: Snapshot) -> Text:
    return Text.assemble(
        ("Session ", "bold"),
        bar(s.session_progress, SESSION_BAR_WIDTH),
        f" {round(s.session_progress * 100):3d}%  {time_left(s.seconds_left)}",
    )


def _footer(s: Snapshot) -> RenderableType:
    keys = Text()
    for key, label in s.keys:
        if keys:
            keys.append("  ")
        keys.append(key, style="bold reverse")
        keys.append(f" {label}")
    return Group(Rule(style="dim"), keys)


# --- frame ------------------------------------------------------------------------------


def render(snapshot: Snapshot) -> RenderableType:
    """One full-screen frame for `snapshot`: header, big phase, bars, cues, keys.

    A plain Group with a fixed number of coaching rows keeps the footer on a steady line
    and costs far less per frame than a Layout, which matters at ten frames a second.
    """
    coaching = _coaching(snapshot)
    coaching += [Text("")] * (COACHING_ROWS - len(coaching))
    return Group(
        _header(snapshot),
        Text(""),
        _big(snapshot),
        Text(""),
        _phase_line(snapshot),
        Text(bar(snapshot.phase_progress, BAR_WIDTH), style=_style_for(snapshot), justify="center"),
        _count_line(snapshot),
        Text(""),
        *coaching,
        _session_line(snapshot),
        _footer(snapshot),
    )


def frame_key(snapshot: Snapshot) -> tuple[Snapshot, int]:
    """What is visible, split into (everything but the phase bar, bar cells filled), so a
    caller can redraw changes at once and a merely moving bar less often."""
    still = replace(
        snapshot,
        phase_progress=0.0,
        session_progress=round(snapshot.session_progress * 100),
        seconds_left=0.0 if snapshot.seconds_left < 60 else round(snapshot.seconds_left / 60),
    )
    return still, round(snapshot.phase_progress * BAR_WIDTH)


def bar_step(snapshot: Snapshot) -> float | None:
    """Session seconds per visible cell of the moving bar; None when nothing moves."""
    if snapshot.mode not in ("work", "rest", "get_ready") or not snapshot.phase_seconds:
        return None
    return snapshot.phase_seconds / BAR_WIDTH


class LiveScreen:
    """The alternate-screen display: `with LiveScreen(console) as screen: screen.show(s)`."""

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

    def __enter__(self) -> LiveScreen:
        self._live.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._live.stop()

    def show(self, snapshot: Snapshot) -> None:
        self._live.update(render(snapshot), refresh=True)

    def bell(self) -> None:
        # Straight to the file: a bell moves no cursor, so it needs no trip through Live.
        self.console.file.write("\a")
        self.console.file.flush()
