"""The full-screen frame, and the live runner that drives it (with a fake clock and keys)."""

from __future__ import annotations

import io
import itertools
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from rich.console import Console

from heelcoach.domain.session import (
    EMERGENCY_MESSAGE,
    Phase,
    Session,
    SessionItem,
    SetFinished,
    Snapshot,
)
from heelcoach.frontends.live import view as live_view
from heelcoach.frontends.live.runner import INTERRUPTED_MESSAGE, SessionOutcome, run_session
from heelcoach.frontends.live.view import BAR_WIDTH, bar, big_text, render, time_left

REPO = Path(__file__).resolve().parents[1]


def drop(**changes: object) -> SessionItem:
    """Heel drop: 2 sets of 3 reps at 5 s a rep (Rise 2 + Lower 3), rest 30 s."""
    fields: dict[str, object] = {
        "exercise": "heel-drop", "name": "Heel drop", "sets": 2, "reps": 3, "seconds": None,
        "per_side": False,
        "support": "a wall or kitchen counter",
        "phases": (Phase("Rise", 2.0, "Up on both feet"), Phase("Lower", 3.0, "Slowly down")),
        "cues": ("Stand tall",), "mistakes": ("Bouncing at the bottom",), "rest_seconds": 30,
    }  # fmt: skip
    fields.update(changes)
    return SessionItem(**fields)  # type: ignore[arg-type]


def raise_(**changes: object) -> SessionItem:
    fields: dict[str, object] = {
        "exercise": "heel-raise", "name": "Heel raise", "sets": 2, "reps": None, "seconds": 20,
        "per_side": False, "support": None, "phases": (Phase("Hold", 4.0, "Stay high"),),
        "cues": ("Breathe",), "mistakes": ("Holding your breath",), "rest_seconds": 20,
    }  # fmt: skip
    fields.update(changes)
    return SessionItem(**fields)  # type: ignore[arg-type]


def screen(renderable: object, height: int = 24) -> str:
    console = Console(
        file=io.StringIO(), force_terminal=True, width=80, height=height, color_system=None
    )
    console.print(renderable)
    return console.file.getvalue()  # type: ignore[attr-defined]


def at(items: list[SessionItem], now: float, keys: tuple[str, ...] = ()) -> Snapshot:
    session = Session(items, start=0.0)
    session.tick(now)
    for key in keys:
        session.press(key, now)
    return session.snapshot(now)


def assert_fits(text: str) -> None:
    lines = text.rstrip("\n").split("\n")
    assert len(lines) <= 24
    assert max(len(line) for line in lines) <= 80


# --- the frame --------------------------------------------------------------------------

FOOTER = ("space pause", "n finish set", "s skip", "p pain", "! chest pain/dizzy", "q quit")


def test_work_frame_shows_the_key_facts() -> None:
    # 3 sets of 10 each side: get ready 5, set 1 L 50, switch 5, set 1 R 50, rest 30 ->
    # set 2 left starts at 140; rep 4 starts at 155 with Rise.
    snap = at([drop(sets=3, reps=10, per_side=True), raise_()], 156.0)
    text = screen(render(snap))
    for fact in ("Heel drop", "set 2 of 3", "left side", "Rise", "Up on both feet",
                 "rep 4 / 10", "support: a wall or kitchen counter", "Stand tall",
                 "Bouncing at the bottom", *FOOTER):  # fmt: skip
        assert fact in text, fact
    assert sum("█" in line for line in text.splitlines()) >= 7  # big letters + bars
    assert_fits(text)


def test_rest_frame_shows_what_comes_next_and_that_the_set_was_saved() -> None:
    session = Session([drop(), raise_()], start=0.0)
    session.tick(70.0)  # set 2 of heel drop ended at 65; rest until 95
    session.confirm_saved("Set 2 saved: 3 reps")
    text = screen(render(session.snapshot(70.0)))
    for fact in ("Rest", "25 s left", "next: Heel raise - set 1 of 2", "Set 2 saved: 3 reps",
                 "n end rest"):  # fmt: skip
        assert fact in text, fact
    assert_fits(text)


def test_timed_frame_shows_the_countdown() -> None:
    text = screen(render(at([raise_()], 12.2)))
    assert "Hold" in text and "13 s left" in text and "rep" not in text


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        ((" ",), "Paused - press space to resume."),
        (("p", "4"), "Type a number, then Enter"),
        (("q",), "Quit the session? Press y to quit"),
    ],
)
def test_paused_and_prompt_frames(keys: tuple[str, ...], expected: str) -> None:
    snap = at([drop()], 6.0, keys)
    text = screen(render(snap))
    assert expected in text
    assert big_text(live_view._big_word(snap)) is not None
    assert_fits(text)


def test_pain_entry_frame_shows_the_digits_in_big_letters() -> None:
    snap = at([drop()], 6.0, ("p", "4"))
    text = screen(render(snap))
    assert all(row.rstrip() in text for row in big_text("Pain 4_") or ["missing"])


def test_done_frame() -> None:
    snap = at([drop(sets=1)], 100.0)
    text = screen(render(snap))
    assert "Session finished" in text and "Session complete" in text
    assert_fits(text)


def test_big_text_is_five_rows_and_refuses_what_does_not_fit() -> None:
    rows = big_text("Rise")
    assert rows is not None and len(rows) == 5 and len(set(map(len, rows))) == 1
    assert big_text("A very long phase name") is None


def test_a_long_phase_name_falls_back_to_a_bold_line() -> None:
    long = (Phase("Slow controlled lowering", 3.0, "Take your time"),)
    text = screen(render(at([drop(phases=long)], 6.0)))
    assert "SLOW CONTROLLED LOWERING" in text
    assert_fits(text)


def test_bars_and_time_left_read_without_colour() -> None:
    assert bar(0.5, 10) == "█████░░░░░"
    assert bar(2.0, 4) == "████" and bar(-1, 4) == "░░░░"
    assert time_left(30) == "under a minute left"
    assert time_left(400) == "about 7 min left"


# --- the runner -------------------------------------------------------------------------


class FakeKeys:
    """A key source on a fake clock: `read` lets time pass instead of sleeping."""

    def __init__(self, script: list[tuple[float, str]] = (), stop_at: float | None = None):
        self.now = 0.0
        self.script = list(script)
        self.reads: list[float] = []
        self.stop_at = stop_at  # Ctrl-C at this time

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
        self.now += timeout
        return None


def run_plain(
    items: list[SessionItem], keys: FakeKeys, **kwargs: object
) -> tuple[SessionOutcome, str]:
    out = io.StringIO()
    outcome = run_session(
        items, on_set_finished=lambda s: None, clock=keys.clock, keys=keys, plain=True,
        out=out, **kwargs,  # type: ignore[arg-type]
    )  # fmt: skip
    return outcome, out.getvalue()


def test_plain_mode_prints_one_readable_line_per_event() -> None:
    keys = FakeKeys([(8.0, " "), (9.0, " "), (61.0, "p"), (61.0, "7"), (61.0, "enter")])
    outcome, text = run_plain([drop(), raise_()], keys)
    lines = text.splitlines()
    for line in ("Heel drop - set 1 of 2 - go", "rep 3/3", "Set 1 saved: 3 reps",
                 "Rest 30 s - next: set 2 of 2", "Paused - press space to resume.", "Resumed",
                 "Pain 7/10: stopping heel drop. Pain above 5 is too much - rest it.",
                 "Heel raise - set 1 of 2 - go", "Session complete. Well done."):  # fmt: skip
        assert line in lines, line
    assert "\x1b" not in text and "\r" not in text  # no cursor movement
    assert outcome.reason == "completed"
    assert [s.exercise for s in outcome.saved] == ["heel-drop"] * 2 + ["heel-raise"] * 2


def test_each_set_is_handed_over_before_the_next_set_starts() -> None:
    out = io.StringIO()
    seen_then: list[str] = []

    def commit(finished: SetFinished) -> None:
        seen_then.append(out.getvalue())

    keys = FakeKeys()
    items = [drop(rest_seconds=0), raise_(sets=1)]
    outcome = run_session(items, on_set_finished=commit, clock=keys.clock, keys=keys,
                          plain=True, out=out)  # fmt: skip
    assert len(seen_then) == 3 == len(outcome.saved)
    assert "set 2 of 2 - go" not in seen_then[0]
    assert "Heel raise - set 1 of 1 - go" not in seen_then[1]
    assert out.getvalue().index("Set 1 saved") < out.getvalue().index("set 2 of 2 - go")


def test_the_runner_sleeps_until_deadlines_instead_of_polling() -> None:
    keys = FakeKeys()
    run_plain([drop(), raise_()], keys)
    duration = keys.now
    # Wake-ups: phase ends, countdown seconds, cue changes - a few a second at most.
    assert len(keys.reads) < duration * 3
    assert duration == pytest.approx(5 + 15 + 30 + 15 + 30 + 20 + 20 + 20, abs=0.01)


def test_speed_runs_the_session_clock_faster() -> None:
    keys = FakeKeys()
    outcome, _ = run_plain([drop(sets=1)], keys, speed=10.0)
    assert keys.now == pytest.approx((5 + 15) / 10, abs=0.01)
    assert outcome.summary.sets[0].seconds == pytest.approx(15.0)


def test_ctrl_c_returns_an_interrupted_outcome_with_the_saved_sets() -> None:
    keys = FakeKeys(stop_at=30.0)  # set 1 was saved at 20
    outcome, text = run_plain([drop()], keys)
    assert outcome.interrupted and outcome.reason == "interrupted"
    assert len(outcome.saved) == 1 and outcome.message == INTERRUPTED_MESSAGE
    assert "Set 1 saved: 3 reps" in text


def test_emergency_outcome() -> None:
    keys = FakeKeys([(12.0, "!")])
    outcome, text = run_plain([drop()], keys)
    assert outcome.emergency and outcome.message == EMERGENCY_MESSAGE
    assert text.count(EMERGENCY_MESSAGE) == 1
    assert outcome.saved[0].ended_by == "emergency"


def test_quit_outcome() -> None:
    keys = FakeKeys([(30.0, "q"), (31.0, "y")])
    outcome, text = run_plain([drop()], keys)
    assert outcome.reason == "quit" and len(outcome.saved) == 1
    assert "Quit the session? Press y to quit, any other key to keep going." in text


def full_screen_run(keys: FakeKeys, monkeypatch: pytest.MonkeyPatch, items: list[SessionItem],
                    ) -> tuple[SessionOutcome, str, list[tuple[float, Snapshot]]]:  # fmt: skip
    draws: list[tuple[float, Snapshot]] = []
    real_show = live_view.LiveScreen.show

    def show(self: live_view.LiveScreen, snapshot: Snapshot) -> None:
        draws.append((keys.now, snapshot))
        real_show(self, snapshot)

    monkeypatch.setattr(live_view.LiveScreen, "show", show)
    monkeypatch.setenv("TERM", "xterm-256color")
    console = Console(
        file=io.StringIO(), force_terminal=True, width=80, height=24, color_system=None
    )
    outcome = run_session(items, on_set_finished=lambda s: None, clock=keys.clock,
                          keys=keys, console=console)  # fmt: skip
    return outcome, console.file.getvalue(), draws  # type: ignore[attr-defined]


def test_full_screen_run_draws_frames_and_says_saved(monkeypatch: pytest.MonkeyPatch) -> None:
    keys = FakeKeys([(8.0, " "), (9.0, " ")])
    outcome, text, draws = full_screen_run(keys, monkeypatch, [drop()])
    assert outcome.reason == "completed"
    assert "Heel drop" in text and "Set 1 saved: 3 reps" in text
    assert "\x1b[?1049h" in text and "\x1b[?1049l" in text  # entered and left the alt screen
    assert text.rstrip().endswith("\x1b[?1049l")  # nothing left behind on the real screen
    assert outcome.message == "Session complete. Well done."
    times = [when for when, _ in draws]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= 0.1 - 0.006  # never more than ~10 frames a second
    assert len(draws) <= keys.now * 10


def test_full_screen_shows_a_key_within_100_ms(monkeypatch: pytest.MonkeyPatch) -> None:
    keys = FakeKeys([(8.03, " "), (9.0, " ")])
    _, _, draws = full_screen_run(keys, monkeypatch, [drop(sets=1)])
    paused_at = min(when for when, snap in draws if snap.mode == "paused")
    assert paused_at - 8.03 <= 0.1 + 1e-9


def test_full_screen_ctrl_c_leaves_the_alt_screen(monkeypatch: pytest.MonkeyPatch) -> None:
    keys = FakeKeys(stop_at=25.0)
    outcome, text, _ = full_screen_run(keys, monkeypatch, [drop()])
    assert outcome.interrupted and len(outcome.saved) == 1
    assert outcome.message == INTERRUPTED_MESSAGE
    assert "\x1b[?1049l" in text


def test_term_dumb_forces_plain_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "dumb")
    console = Console(file=io.StringIO(), force_terminal=True, width=80)
    out, keys = io.StringIO(), FakeKeys()
    run_session([drop(sets=1)], on_set_finished=lambda s: None, clock=keys.clock, keys=keys,
                console=console, out=out)  # fmt: skip
    assert "Heel drop - set 1 of 1 - go" in out.getvalue()
    assert console.file.getvalue() == ""  # type: ignore[attr-defined]


def test_output_that_is_not_a_terminal_gets_plain_lines() -> None:
    out, keys = io.StringIO(), FakeKeys()
    run_session([drop(sets=1)], on_set_finished=lambda s: None, clock=keys.clock, keys=keys,
                out=out)  # fmt: skip
    assert "Set 1 saved: 3 reps" in out.getvalue()


def test_sound_rings_and_speaks_phase_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spoken = tmp_path / "spoken.txt"
    fake = tmp_path / "espeak-ng"
    fake.write_text(f'#!/bin/sh\nfor word; do last="$word"; done\necho "$last" >> "{spoken}"\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(tmp_path))
    outcome, text = run_plain([drop(sets=1, reps=1)], FakeKeys(), sound=True)
    assert outcome.reason == "completed"
    assert text.count("\a") == 2  # Rise and Lower
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and not spoken.exists():
        time.sleep(0.02)
    assert spoken.read_text().split()[0] in ("Rise", "Lower")


def test_sound_without_a_speech_program_is_just_the_bell(monkeypatch: pytest.MonkeyPatch,
                                                          tmp_path: Path) -> None:  # fmt: skip
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing to speak with
    _, text = run_plain([drop(sets=1, reps=1)], FakeKeys(), sound=True)
    assert text.count("\a") == 2


def test_plain_mode_does_not_import_rich() -> None:
    script = textwrap.dedent(
        """
        import io, sys
        from heelcoach.frontends.live.runner import run_session
        from heelcoach.domain.session import Phase, SessionItem
        item = SessionItem("d", "Drop", 1, 1, None, False, None, (Phase("Rise", 1.0, ""),),
                           (), (), 0)
        class Keys:
            now = 0.0
            def read(self, timeout):
                self.now += timeout
        keys = Keys()
        run_session([item], on_set_finished=print, clock=lambda: keys.now, keys=keys,
                    plain=True, out=io.StringIO())
        print(sorted(m for m in sys.modules if m.startswith(("rich", "heelcoach.live_view"))))
        """
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=60,
        env=env,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "[]"


def test_a_real_time_session_uses_little_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    class SleepingKeys:
        def read(self, timeout: float) -> None:
            time.sleep(timeout)

    fast = (Phase("Rise", 0.5, ""), Phase("Lower", 0.5, ""))  # the bar moves all the time
    console = Console(file=io.StringIO(), force_terminal=True, width=80, height=24)
    render(at([drop()], 6.0))  # pay Rich's first-use costs outside the measurement
    started, cpu = time.monotonic(), time.process_time()
    monkeypatch.setenv("TERM", "xterm")
    run_session([drop(sets=1, reps=2, phases=fast)], on_set_finished=lambda s: None,
                keys=SleepingKeys(), console=console, get_ready_seconds=1.0)  # fmt: skip
    used = (time.process_time() - cpu) / (time.monotonic() - started)
    assert used < 0.05


def test_bar_width_is_what_frame_key_counts() -> None:
    snap = at([drop()], 6.0)
    assert live_view.frame_key(snap)[1] == round(0.5 * BAR_WIDTH)
