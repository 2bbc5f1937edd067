"""The live front end: the frame at every window size, the runner with a fake clock and
keys, the plain lines, the sound schedule and the events file."""

from __future__ import annotations

import dataclasses
import io
import itertools
import json
import random
import time
from pathlib import Path

import pytest
from rich.console import Console

from heelcoach.content.model import Phase
from heelcoach.domain.session.engine import Session
from heelcoach.domain.session.model import (
    Action,
    ReportPain,
    SessionItem,
    SetFinished,
)
from heelcoach.frontends.live import view as live_view
from heelcoach.frontends.live.controls import RESIZE, Frame, hints
from heelcoach.frontends.live.cues import LATE_AFTER, Tone, spoken_seconds
from heelcoach.frontends.live.runner import SessionOutcome, run_session
from heelcoach.frontends.live.sound import (
    TONES,
    SoundSetup,
    Speaker,
    discover,
    tone_wav,
)
from heelcoach.frontends.live.view import bar, big_text, layout, time_left
from heelcoach.frontends.words import live as live_words

REPO = Path(__file__).resolve().parents[1]
SIZES = [(100, 32), (80, 24), (60, 20), (40, 12)]


def drop(**changes: object) -> SessionItem:
    """Heel drop: 2 sets of 3 reps at 5 s a rep (Rise 2 + Lower 3), rest 30 s."""
    fields: dict[str, object] = {
        "exercise": "heel-drop",
        "name": "Heel drop",
        "sets": 2,
        "reps": 3,
        "seconds": None,
        "per_side": False,
        "support": "a wall or kitchen counter",
        "phases": (Phase("Rise", 2.0, "Up on both feet"), Phase("Lower", 3.0, "Slowly down")),
        "cues": ("Keep a hand on your support the whole time and stand tall",),
        "mistakes": ("Bouncing at the bottom",),
        "rest_seconds": 30,
        "setup": ("Stand beside a wall or kitchen counter.", "Set your feet hip-width apart."),
        "loads": ("lower-leg",),
    }
    fields.update(changes)
    return SessionItem(**fields)  # type: ignore[arg-type]


def eccentric(**changes: object) -> SessionItem:
    """One-leg lowering, 1 set of 3 per side: Rise 1, Lower 3, Foot back 1 (5 s a rep)."""
    return drop(
        exercise="eccentric-heel-drop",
        name="Eccentric heel drop (floor)",
        sets=1,
        per_side=True,
        support="a banister or wall",
        phases=(
            Phase("Rise", 1.0, "Up on both feet"),
            Phase("Lower", 3.0, "Down on one foot, nice and slow"),
            Phase("Foot back", 1.0, "Other foot back"),
        ),
        **changes,
    )


def raise_(**changes: object) -> SessionItem:
    fields: dict[str, object] = {
        "exercise": "heel-raise",
        "name": "Heel raise",
        "sets": 2,
        "reps": None,
        "seconds": 20,
        "per_side": False,
        "support": None,
        "phases": (Phase("Hold", 4.0, "Stay high"),),
        "cues": ("Breathe",),
        "mistakes": ("Holding your breath",),
        "rest_seconds": 20,
    }
    fields.update(changes)
    return SessionItem(**fields)  # type: ignore[arg-type]


def at(
    items: list[SessionItem],
    now: float,
    *commands: object,
    demo: float | None = None,
    saved: str | None = None,
    typed: str | None = None,
) -> Frame:
    session = Session(items, start=0.0, position_seconds=5.0)
    session.tick(now)
    for command in commands:
        session.apply(command, now)  # type: ignore[arg-type]
    snap = session.snapshot(now)
    return Frame(snap, hints(snap), pain_typed=typed, saved=saved, demo=demo)


def screen(frame: Frame, width: int = 80, height: int = 24) -> list[str]:
    """What a terminal of that size shows, line by line."""
    lines = [line.plain for line in layout(frame, width, height)]
    assert len(lines) <= height, lines
    assert all(len(line) <= width for line in lines), [x for x in lines if len(x) > width]
    return lines


def words(lines: list[str]) -> set[str]:
    return {word for line in lines for word in line.split()}


# --- the frame at every size ------------------------------------------------------------


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_every_size_keeps_the_exercise_count_phase_side_support_demo_and_keys(
    width: int, height: int
) -> None:
    # Eccentric drop, left side: position 0-5, rep 2 starts at 10, Lower 11-14.
    frame = at([eccentric(), raise_()], 12.0, demo=10.0)
    text = "\n".join(screen(frame, width, height))
    for fact in (
        "Eccentric heel drop (floor)",
        "rep 2 / 3",
        "LOWER",
        "left side",
        "DEMO",
        "Support: a banister or wall",
        "q quit",
        "! chest pain/dizzy",
    ):
        assert fact in text, (fact, text)
    if height >= 12:
        assert big_text("2")[2] in text  # the count in block digits, at every size named


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_what_goes_first_is_decoration(width: int, height: int) -> None:
    text = "\n".join(screen(at([drop()], 8.0), width, height))  # rep 1, Lower
    has = {
        "big word": big_text("Lower")[0].strip() in text,
        "tip": "Tip:" in text,
        "session bar": "Session" in text,
        "digits": big_text("1")[1].strip() in text,
    }
    if has["big word"]:
        assert has["tip"] and has["session bar"]
    if has["tip"]:
        assert has["session bar"]
    assert has["digits"]
    if width >= 80:
        assert all(has.values()), has


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_nothing_wraps_mid_word(width: int, height: int) -> None:
    lines = screen(at([drop()], 8.0), width, height)
    source = words(
        [
            "Tip: Keep a hand on your support the whole time and stand tall",
            "Avoid: Bouncing at the bottom",
            "Support: a wall or kitchen counter",
        ]
    )
    for line in lines:
        if line.startswith(("Tip:", "Avoid:", "Support:", *sorted(source))):
            assert set(line.replace("…", "").split()) <= source, line


def test_double_size_digits_when_the_window_is_tall() -> None:
    def inked(width: int, height: int) -> int:
        return sum("██" in line for line in screen(at([drop()], 8.0), width, height))

    assert inked(100, 32) >= 10  # ten rows of digits
    assert 5 <= inked(40, 12) < 10


def test_the_frame_fills_the_window_with_the_keys_on_the_bottom_line() -> None:
    for width, height in SIZES:
        lines = screen(at([drop()], 8.0), width, height)
        assert len(lines) == height and "q quit" in lines[-1]


def test_rest_frame_says_what_comes_next_and_that_the_set_was_saved() -> None:
    frame = at([drop(), raise_()], 25.0, saved="Set 1 saved: 3 reps")  # rest 20-50
    text = "\n".join(screen(frame))
    for fact in ("REST", "25 s", "next: set 2 of 2", "Set 1 saved: 3 reps", "n end rest"):
        assert fact in text, fact
    assert "set 2 of 2" not in text.replace("next: set 2 of 2", "")  # never "set 2" alone


def test_position_frame_shows_the_setup_the_support_and_a_countdown() -> None:
    for width, height in SIZES:
        text = "\n".join(screen(at([drop(), raise_()], 2.0), width, height))
        for fact in (
            "get into position",
            "1. Stand beside a wall",
            "Support: a wall",
            "3 s",
            "enter start now",
        ):
            assert fact in text, (fact, width, height, text)


def test_timed_frame_counts_down() -> None:
    text = "\n".join(screen(at([raise_()], 12.2)))  # 20 s hold from 5
    assert "HOLD" in text and "13 s" in text and "rep" not in text


@pytest.mark.parametrize(
    ("commands", "expected"),
    [
        ((Action.PAUSE,), "press space to resume"),
        ((Action.ASK_PAIN,), "Type a number, then Enter"),
        ((Action.QUIT,), "Quit the session? Press y to quit"),
    ],
)
def test_paused_and_question_frames(commands: tuple[object, ...], expected: str) -> None:
    for width, height in SIZES:
        text = "\n".join(screen(at([drop()], 6.0, *commands), width, height))
        assert expected in text.replace("\n", " "), (width, text)


def test_pain_question_shows_the_typed_digits_in_block_digits() -> None:
    text = "\n".join(screen(at([drop()], 6.0, Action.ASK_PAIN, typed="4")))
    assert all(row.strip() in text for row in big_text("4_"))


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_the_typed_pain_and_every_cue_read_whole_at_every_size(width: int, height: int) -> None:
    text = "\n".join(screen(at([drop()], 6.0, Action.ASK_PAIN, typed="7"), width, height))
    assert "pain 0-10: 7_" in text, text  # what was typed, even without block digits
    position = screen(at([drop()], 2.0), width, height)
    joined = " ".join(line.strip() for line in position)
    assert "GET INTO POSITION · Enter starts the set now." in joined, position
    assert not any(line.rstrip().endswith("…") for line in position), position


def test_same_area_question_is_on_screen() -> None:
    frame = at([drop(), drop(exercise="calf", name="Calf hold")], 25.0, ReportPain(8))
    text = " ".join(screen(frame, 60, 20))
    assert "Heel drop stopped for pain. Next: calf hold also loads the lower leg." in text
    assert "y do it" in text


def test_the_emergency_panel_fills_any_window() -> None:
    for width, height in SIZES:
        lines = screen(at([drop()], 12.0, Action.EMERGENCY, demo=5.0), width, height)
        text = " ".join(line.strip("┃ ") for line in lines)
        assert "STOPPED FOR YOUR SAFETY" in text and "Press any key to close." in text
        assert "call your emergency number" in text and "DEMO" in text
        assert any(line.startswith("┏") for line in lines)


def test_bars_time_left_and_title_read_without_colour() -> None:
    assert bar(0.5, 10) == "█████░░░░░"
    assert bar(2.0, 4) == "████" and bar(-1, 4) == "░░░░"
    assert time_left(30) == "under a minute left"
    assert time_left(400) == "about 7 min left"
    assert live_view.title_text(at([drop()], 8.0)) == "heelcoach: Lower rep 1 / 3"
    assert live_view.title_text(at([drop()], 25.0)) == "heelcoach: Rest 25 s"


def test_big_text_rows_line_up() -> None:
    rows = big_text("Rise 10")
    assert len(rows) == 5 and len(set(map(len, rows))) == 1
    assert len(big_text("7", 2)) == 10 and len(big_text("7", 2)[0]) == 2 * len(big_text("7")[0])


# --- the runner -------------------------------------------------------------------------


class FakeKeys:
    """A key source on a fake clock: `read` lets time pass instead of sleeping."""

    def __init__(
        self,
        script: list[tuple[float, str]] = (),
        stop_at: float | None = None,
        *,
        interactive: bool = True,
        jitter: float = 0.0,
        seed: int = 0,
    ):
        self.now = 0.0
        self.script = list(script)
        self.reads: list[float] = []
        self.stop_at = stop_at  # Ctrl-C at this time
        self.interactive = interactive
        self.jitter = jitter  # a late wake-up, up to this many seconds
        self.rng = random.Random(seed)

    def clock(self) -> float:
        return self.now

    def read(self, timeout: float) -> str | None:
        assert 0 < timeout <= 1.0
        self.reads.append(timeout)
        if self.stop_at is not None and self.now + timeout >= self.stop_at:
            raise KeyboardInterrupt
        if self.script and self.script[0][0] <= self.now + timeout:
            when, key = self.script.pop(0)
            self.now = max(self.now, when)
            return key
        self.now += timeout + self.rng.uniform(0, self.jitter)
        return None


def run_plain(
    items: list[SessionItem], keys: FakeKeys, **kwargs: object
) -> tuple[SessionOutcome, str]:
    out = io.StringIO()
    kwargs.setdefault("position_seconds", 5.0)
    outcome = run_session(
        items,
        on_set_finished=lambda s: None,
        clock=keys.clock,
        keys=keys,
        plain=True,
        out=out,
        **kwargs,  # type: ignore[arg-type]
    )
    return outcome, out.getvalue()


def test_plain_mode_speaks_in_sentences_with_every_cue_and_tip() -> None:
    keys = FakeKeys([(8.0, " "), (9.0, " "), (61.0, "p"), (61.0, "7"), (61.0, "enter")])
    outcome, text = run_plain([drop(), raise_()], keys)
    lines = text.splitlines()
    for line in (
        "Exercise 1 of 2: Heel drop, 2 sets of 3 reps.",
        "Get into position: Stand beside a wall or kitchen counter. Set your feet hip-width apart.",
        "Support: a wall or kitchen counter.",
        "Heel drop, set 1 of 2: go.",
        "Rise: Up on both feet.",
        "Lower: Slowly down.",
        "Tip: Keep a hand on your support the whole time and stand tall.",
        "Avoid: Bouncing at the bottom.",
        "Rep 3 of 3 done.",
        "Set 1 saved: 3 reps.",
        "Rest for 30 seconds. Next: set 2 of 2.",
        live_words.PAUSED_TEXT,
        "Resumed.",
        "Pain 7/10 is too much: heel drop stops for today and steps back a level next session.",
        "Heel raise, set 1 of 2: go.",
    ):
        assert line in lines, line
    assert "Keys: " in text  # keys can be pressed here
    assert "\x1b" not in text and "\r" not in text  # no cursor movement
    assert outcome.reason == "completed"
    assert "Session complete" not in text  # the command says how it ended, once
    assert [s.exercise for s in outcome.saved] == ["heel-drop"] * 2 + ["heel-raise"] * 2


def test_plain_mode_without_a_keyboard_has_no_key_hints_and_asks_nothing() -> None:
    keys = FakeKeys([(12.0, "p"), (12.0, "8"), (12.0, "enter")], interactive=False)
    outcome, text = run_plain([drop(), drop(exercise="calf", name="Calf hold"), raise_()], keys)
    assert "Keys:" not in text and "Press Enter" not in text and "press y" not in text
    assert "Skipping it to be safe." in text and "Skipped calf hold." in text
    assert [s.exercise for s in outcome.saved] == ["heel-drop"] + ["heel-raise"] * 2


def test_each_set_is_handed_over_before_the_next_set_starts() -> None:
    out = io.StringIO()
    seen_then: list[str] = []

    def commit(finished: SetFinished) -> None:
        seen_then.append(out.getvalue())

    keys = FakeKeys()
    items = [drop(rest_seconds=0), raise_(sets=1)]
    outcome = run_session(
        items, on_set_finished=commit, clock=keys.clock, keys=keys, plain=True, out=out
    )
    assert len(seen_then) == 3 == len(outcome.saved)
    assert "set 2 of 2: go" not in seen_then[0]
    assert "Heel raise, set 1 of 1: go" not in seen_then[1]
    assert out.getvalue().index("Set 1 saved") < out.getvalue().index("set 2 of 2: go")


def test_pain_in_a_rest_is_handed_over_for_the_set_just_saved() -> None:
    stored: list[tuple[int, int]] = []
    keys = FakeKeys([(25.0, "p"), (25.0, "4"), (25.0, "enter")])
    out = io.StringIO()
    outcome = run_session(
        [drop()],
        on_set_finished=lambda s: None,
        clock=keys.clock,
        keys=keys,
        plain=True,
        out=out,
        position_seconds=5.0,
        on_pain=lambda i, p: stored.append((i, p)),
    )
    assert stored == [(0, 4)]
    assert [s.pain for s in outcome.saved] == [4, None]
    assert "Pain 4/10 noted after the last set." in out.getvalue()


def test_the_runner_sleeps_until_deadlines_instead_of_polling() -> None:
    keys = FakeKeys()
    run_plain([drop(), raise_()], keys)
    duration = keys.now
    # Wake-ups: phase ends, countdown seconds, cue changes - a few a second at most.
    assert len(keys.reads) < duration * 3
    assert duration == pytest.approx(5 + 15 + 30 + 15 + 30 + 5 + 20 + 20 + 20, abs=0.01)


def test_speed_is_a_demo_on_a_faster_clock() -> None:
    keys = FakeKeys()
    outcome, text = run_plain([drop(sets=1)], keys, speed=10.0)
    assert keys.now == pytest.approx((5 + 15) / 10, abs=0.01)
    assert outcome.saved[0].seconds == pytest.approx(15.0)
    assert outcome.demo and "Set 1 done (demo, not saved): 3 reps." in text


def test_ctrl_c_returns_an_interrupted_outcome_with_the_saved_sets() -> None:
    keys = FakeKeys(stop_at=30.0)  # set 1 was saved at 20
    outcome, text = run_plain([drop()], keys)
    assert outcome.interrupted and len(outcome.saved) == 1
    assert "Set 1 saved: 3 reps." in text


def test_emergency_outcome_prints_the_advice_framed_once() -> None:
    keys = FakeKeys([(12.0, "!")])
    outcome, text = run_plain([drop()], keys)
    assert outcome.emergency and outcome.saved[0].ended_by == "emergency"
    assert text.count(live_words.EMERGENCY_ADVICE) == 1
    assert "=" * 60 in text


def test_quit_outcome() -> None:
    keys = FakeKeys([(30.0, "q"), (31.0, "y")])
    outcome, text = run_plain([drop()], keys)
    assert outcome.reason == "quit" and len(outcome.saved) == 1
    assert live_words.QUIT_PROMPT in text


def full_screen_run(
    keys: FakeKeys,
    monkeypatch: pytest.MonkeyPatch,
    items: list[SessionItem],
    size: tuple[int, int] = (80, 24),
) -> tuple[SessionOutcome, str, list[tuple[float, Frame]]]:
    draws: list[tuple[float, Frame]] = []
    real_draw = live_view.LiveScreen.draw

    def draw(self: live_view.LiveScreen, frame: Frame) -> None:
        draws.append((keys.now, frame))
        real_draw(self, frame)

    monkeypatch.setattr(live_view.LiveScreen, "draw", draw)
    monkeypatch.setenv("TERM", "xterm-256color")
    console = Console(
        file=io.StringIO(), force_terminal=True, width=size[0], height=size[1], color_system=None
    )
    outcome = run_session(
        items,
        on_set_finished=lambda s: None,
        clock=keys.clock,
        keys=keys,
        console=console,
        position_seconds=5.0,
    )
    return outcome, console.file.getvalue(), draws  # type: ignore[attr-defined]


def test_full_screen_run_draws_frames_sets_the_title_and_restores(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    keys = FakeKeys([(8.0, " "), (9.0, " ")])
    outcome, text, draws = full_screen_run(keys, monkeypatch, [drop()])
    assert outcome.reason == "completed"
    assert "Heel drop" in text and "Set 1 saved: 3 reps" in text
    assert "\x1b[?1049h" in text and "\x1b[?1049l" in text  # entered and left the alt screen
    assert "\x1b]2;heelcoach: Rise rep 1 / 3\x07" in text  # a tab or tmux window shows it
    assert text.rstrip().endswith("\x1b[23;0t")  # the terminal's own title is put back
    times = [when for when, _ in draws]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= 0.1 - 0.006  # never more than ~10 frames a second
    assert len(draws) <= keys.now * 10


def test_full_screen_shows_a_key_within_100_ms(monkeypatch: pytest.MonkeyPatch) -> None:
    keys = FakeKeys([(8.03, " "), (9.0, " ")])
    _, _, draws = full_screen_run(keys, monkeypatch, [drop(sets=1)])
    paused_at = min(when for when, frame in draws if frame.snapshot.hold is not None)
    assert paused_at - 8.03 <= 0.1 + 1e-9


def test_a_resize_redraws_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    keys = FakeKeys([(8.0, RESIZE)])
    _, _, draws = full_screen_run(keys, monkeypatch, [drop(sets=1)])
    assert any(8.0 <= when < 8.001 for when, _ in draws)


def test_the_emergency_panel_waits_for_a_key(monkeypatch: pytest.MonkeyPatch) -> None:
    keys = FakeKeys([(12.0, "!"), (20.0, "x")])
    outcome, text, draws = full_screen_run(keys, monkeypatch, [drop()])
    assert outcome.emergency and keys.now == pytest.approx(20.0)
    assert draws[-1][1].snapshot.end_reason == "emergency"
    assert "STOPPED FOR YOUR SAFETY" in text


def test_full_screen_ctrl_c_leaves_the_alt_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    keys = FakeKeys(stop_at=25.0)
    outcome, text, _ = full_screen_run(keys, monkeypatch, [drop()])
    assert outcome.interrupted and len(outcome.saved) == 1
    assert "\x1b[?1049l" in text


def test_term_dumb_forces_plain_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "dumb")
    console = Console(file=io.StringIO(), force_terminal=True, width=80)
    out, keys = io.StringIO(), FakeKeys()
    run_session(
        [drop(sets=1)],
        on_set_finished=lambda s: None,
        clock=keys.clock,
        keys=keys,
        console=console,
        out=out,
    )
    assert "Heel drop, set 1 of 1: go." in out.getvalue()
    assert console.file.getvalue() == ""  # type: ignore[attr-defined]


@pytest.mark.pty
def test_a_real_time_session_uses_little_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    class SleepingKeys:
        def read(self, timeout: float) -> None:
            time.sleep(timeout)

    fast = (Phase("Rise", 0.5, ""), Phase("Lower", 0.5, ""))  # the bar moves all the time
    console = Console(file=io.StringIO(), force_terminal=True, width=80, height=24)
    live_view.layout(at([drop()], 6.0), 80, 24)  # pay first-use costs outside the measurement
    started, cpu = time.monotonic(), time.process_time()
    monkeypatch.setenv("TERM", "xterm")
    run_session(
        [drop(sets=1, reps=2, phases=fast)],
        on_set_finished=lambda s: None,
        keys=SleepingKeys(),
        console=console,
        position_seconds=0.5,
    )
    used = (time.process_time() - cpu) / (time.monotonic() - started)
    assert used < 0.05


# --- the events file --------------------------------------------------------------------


def test_the_events_file_has_one_json_line_per_event() -> None:
    keys = FakeKeys([(8.0, " "), (9.0, " "), (25.0, "p"), (25.0, "3"), (25.0, "enter")])
    log = io.StringIO()
    run_plain([drop()], keys, events=log)
    lines = [json.loads(line) for line in log.getvalue().splitlines()]
    kinds = [line["event"] for line in lines]
    assert kinds[0] == "session" and kinds[-1] == "session_ended"
    assert lines[0]["exercises"][0] == {
        "exercise": "heel-drop",
        "name": "Heel drop",
        "sets": 2,
        "first_set": 1,
        "reps": 3,
        "seconds": None,
        "per_side": False,
    }
    for kind in (
        "position_started",
        "set_started",
        "phase_started",
        "rep_completed",
        "set_finished",
        "rest_started",
        "paused",
        "resumed",
        "pain_reported",
    ):
        assert kind in kinds, kind
    started = next(line for line in lines if line["event"] == "set_started")
    assert (started["exercise"], started["name"], started["set_number"]) == (
        "heel-drop",
        "Heel drop",
        1,
    )
    assert started["t"] == pytest.approx(5.0, abs=0.01) and "time" in started
    finished = next(line for line in lines if line["event"] == "set_finished")
    assert (finished["reps"], finished["ended_by"], finished["saved"]) == (3, "target", True)
    pain = next(line for line in lines if line["event"] == "pain_reported")
    assert (pain["pain"], pain["when"], pain["stopped"]) == (3, "after_set", False)
    assert all(line["t"] >= previous["t"] for previous, line in itertools.pairwise(lines))


# --- sound ------------------------------------------------------------------------------


class Voice:
    """A speech program that records what it was asked to say, and when."""

    def __init__(self, keys: FakeKeys) -> None:
        self.keys = keys
        self.said: list[tuple[float, list[str]]] = []

    def spawn(self, argv: list[str]) -> _Done:
        self.said.append((self.keys.now, argv))
        return _Done()


class _Done:
    def poll(self) -> int:
        return 0

    def wait(self, timeout: float | None = None) -> int:
        return 0

    def terminate(self) -> None:
        pass


SPEECH = SoundSetup(("espeak-ng", "-s", "170"), ("aplay", "-q"), 170)


def speak_through(
    keys: FakeKeys, items: list[SessionItem], setup: SoundSetup = SPEECH, **kwargs: object
) -> tuple[list[tuple[float, str]], list[str], str]:
    """Run with sound: (when each thing was said, the tones played, the plain text)."""
    voice = Voice(keys)
    bells: list[float] = []
    speakers: list[Speaker] = []

    def speaker(bell: object) -> Speaker:
        speakers.append(Speaker(setup, lambda: bells.append(keys.now), spawn=voice.spawn))
        return speakers[-1]

    _, text = run_plain(items, keys, speaker=speaker, **kwargs)
    said = [(when, argv[-1]) for when, argv in voice.said if argv[0] == "espeak-ng"]
    tones = [Path(argv[-1]).stem for _, argv in voice.said if argv[0] == "aplay"]
    return said, tones + ["bell"] * len(bells), text


def planned_times(items: list[SessionItem], position: float = 5.0) -> dict[str, list[float]]:
    """Every deadline of an undisturbed run, by what happens at it."""
    session = Session(items, start=0.0, position_seconds=position)
    times: dict[str, list[float]] = {}
    now = 0.0
    while not session.done:
        for event in session.tick(now):
            times.setdefault(type(event).__name__, []).append(now)
        now = round(now + 0.001, 3)
    return times


def test_speech_keeps_time_with_the_session_clock() -> None:
    items = [eccentric(), raise_(sets=1)]
    said, tones, _ = speak_through(FakeKeys(jitter=0.1, seed=3), items, position_seconds=15.0)
    texts = [text for _, text in said]
    # Rep numbers, the slow lowering counted out, a 3-2-1 before each change.
    assert texts[:1] == [
        "Get into position for eccentric heel drop (floor). Left side first. "
        "Support: a banister or wall. Stand beside a wall or kitchen counter. "
        "Set your feet hip-width apart."
    ]
    assert texts[1:12] == [
        "3",
        "2",
        "1",
        "Go",
        "down",
        "slowly",
        "slowly",
        "2",
        "down",
        "slowly",
        "slowly",
    ]
    assert "Right side." in texts
    assert "Rest, 30 seconds. Next: Heel raise, set 1 of 1." in texts
    assert "Get into position for heel raise." in texts
    assert "Go." in texts and "10 seconds." in texts
    # Distinct sounds: work, rest, switch, the ticks of 3-2-1 and the end.
    assert {"work", "rest", "switch", "tick", "done"} <= set(tones)
    # Said on time: each item within 150 ms of its deadline; never two at once.
    starts = [when for when, _ in said]
    for (when, text), (later, _) in itertools.pairwise(said):
        assert later >= when + spoken_seconds(text, 170) - 1e-9, (text, when, later)
    work_starts = planned_times(items, 15.0)["SetStarted"]
    for deadline in work_starts:
        ones = [when for when, text in said if text == "1" and deadline - 1 <= when < deadline]
        assert ones and ones[0] <= deadline - 1 + LATE_AFTER, (deadline, said)
    assert starts == sorted(starts)


def test_late_cues_are_dropped_not_said_late() -> None:
    said, _, _ = speak_through(FakeKeys(jitter=0.6, seed=1), [drop(sets=1)])
    plan = planned_times([drop(sets=1)])
    dues = sorted(plan["PhaseStarted"] + plan["SetStarted"] + plan["PositionStarted"])
    for when, text in said:
        if text.isdecimal() and len(text) == 1:
            assert any(
                0 <= when - due <= LATE_AFTER or 0 <= when - (due - n) <= LATE_AFTER
                for due in dues
                for n in (0, 1, 2, 3)
            ), (when, text)


def test_without_a_speech_program_the_bell_marks_each_change() -> None:
    quiet = SoundSetup(None, None, 170)
    said, tones, _ = speak_through(FakeKeys(), [drop(sets=1)], quiet)
    assert said == [] and tones == ["bell"] * 3  # into position, to work, the end


def test_discover_finds_a_voice_and_a_player_at_run_time() -> None:
    def which(found: set[str]):
        return lambda name: f"/usr/bin/{name}" if name in found else None

    setup = discover(voice="en-gb", rate=150, which=which({"spd-say", "aplay"}))
    assert setup.speech == ("spd-say", "-w", "-r", "-10", "-y", "en-gb")
    assert setup.player == ("aplay", "-q")
    assert discover(which=which({"say", "afplay"})).speech == ("say", "-r", "170")
    assert discover(which=which(set())) == SoundSetup(None, None, 170)
    own = discover(command="piper-say --fast {} --now", which=which({"piper-say"}))
    assert own.speech_argv("Rest.") == ["piper-say", "--fast", "Rest.", "--now"]
    from heelcoach.errors import BadInput

    with pytest.raises(BadInput, match="--voice-cmd"):
        discover(command="nosuch {}", which=which(set()))
    with pytest.raises(BadInput, match="--voice-rate"):
        discover(rate=20, which=which(set()))


def test_tones_are_short_distinct_wav_files() -> None:
    import wave

    waves = {tone: tone_wav(notes) for tone, notes in TONES.items()}
    assert len(set(waves.values())) == len(Tone)
    with wave.open(io.BytesIO(waves[Tone.TICK])) as tick:
        assert tick.getnchannels() == 1 and tick.getnframes() / tick.getframerate() < 0.1


def test_legs_in_turn_are_named_rep_by_rep_aloud_and_in_plain_text() -> None:
    turns = dataclasses.replace(eccentric(), per_side=False, reps=4, alternate=True)
    said, _, text = speak_through(FakeKeys(), [turns], position_seconds=15.0)
    texts = [said_text for _, said_text in said]
    start = texts.index("Go")
    assert texts[start : start + 16] == [
        "Go",
        "left, down",
        "slowly",
        "slowly",
        "2",
        "right, down",
        "slowly",
        "slowly",
        "3",
        "left, down",
        "slowly",
        "slowly",
        "4",
        "right, down",
        "slowly",
        "slowly",
    ]
    legs = [line for line in text.splitlines() if line.endswith(" leg.")]
    assert legs == ["Left leg.", "Right leg.", "Left leg.", "Right leg."]


def counts_heard(said: list[tuple[float, str]]) -> list[str]:
    """The words a listener counts by: numbers and "go" (rep 1), in the order said."""
    heard = [part.strip() for _, text in said for part in text.split(",")]
    return [word for word in heard if word.isdecimal() or word == "Go"]


LONG_SETUP = (
    "Stand beside a wall or kitchen counter and rest one hand on it lightly.",
    "Set your feet hip-width apart, toes pointing forward, knees soft.",
    "Look straight ahead and stand tall before you begin.",
)


@pytest.mark.parametrize("position", [5.0, 8.0, 15.0])
@pytest.mark.parametrize(
    "item",
    [
        drop(sets=2, setup=LONG_SETUP, support="a wall or kitchen counter, use as needed"),
        eccentric(setup=LONG_SETUP),
        dataclasses.replace(eccentric(setup=LONG_SETUP), per_side=False, reps=4, alternate=True),
    ],
)
def test_every_count_is_heard_and_none_can_be_taken_for_another(
    item: SessionItem, position: float
) -> None:
    said, _, _ = speak_through(FakeKeys(), [item], position_seconds=position)
    one_set = ["3", "2", "1", "Go", *(str(rep) for rep in range(2, (item.reps or 0) + 1))]
    sets = item.sets * (2 if item.per_side else 1)
    assert counts_heard(said) == one_set * sets
    texts = [text for _, text in said]
    # However long the setup, the opening is cut to what fits before the 3-2-1.
    assert texts[0].startswith(
        f"Get into position for {item.name.lower()}." if position > 5 else f"{item.name}."
    )
    assert not any("Use " in text for text in texts)
    # A slow lowering is paced in words, never in numbers, and "down" is never lost.
    if item.exercise.startswith("eccentric"):
        downs = [text for text in texts if text.endswith("down")]
        assert len(downs) == (item.reps or 0) * sets
        assert texts.count("slowly") == 2 * len(downs)
