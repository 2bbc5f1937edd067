"""`heelcoach start` end to end: a real process in a real pseudo-terminal (or a pipe), and
the history it leaves behind.

These tests drive the live session as a person does - keys typed into a 24x80 terminal,
the screen read back - and then open the store to check that what the screen called saved
is exactly what was committed. The engine, the Rich frame and the key reader have their
own unit tests (test_session.py, test_live_view.py, test_terminal.py); this file covers
the joins between them, the command line and the store.

Every profile starts today, so today is day 0 of week 1 and always a training day. The
Achilles plan of week 1 is: eccentric heel drops 1 x 10 per side (6 s a rep, 60 s rest
after), then the calf stretch 1 x 30 s per side. `--speed` keeps each test to seconds.
"""

from __future__ import annotations

import json
import os
import re
import select
import signal
import sqlite3
import subprocess
import sys
import termios
import time
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pexpect
import pytest
from helpers import (
    assert_one_line_error,
    content_library,
    context,
    open_store,
    run_cli,
    write_answers,
)

from heelcoach.domain.records import SessionRecord, SetRecord
from heelcoach.domain.session import EMERGENCY_MESSAGE
from heelcoach.frontends.live.runner import INTERRUPTED_MESSAGE

TODAY = date.today()
READY = r"Ready\? Start now\? \[Y/n\]"
PAIN_QUESTION = r"How much pain did this session cause, 0-10\? \(blank to skip\)"
# CSI (colours, cursor moves, alt screen), OSC (titles), charset picks and the rest.
ESCAPES = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78DEHM])"
)
# "Set 1 (left) saved: 10 reps", "Set 2 saved: 1 rep", "Set 1 (right) saved: 30 s"
SAVED = re.compile(r"Set (\d+)(?: \((left|right)\))? saved: (\d+) (reps?|s)\b")


# --------------------------------------------------------------------------- helpers


def screened(tmp_path: Path, code: int = 0, **overrides: object) -> None:
    """Save a profile whose program starts today."""
    answers = write_answers(tmp_path, **overrides)
    result = run_cli("screen", "--answers", str(answers), "--start", TODAY.isoformat())
    assert result.returncode == code, (result.stdout, result.stderr)


@pytest.fixture
def achilles(tmp_path: Path) -> None:
    screened(tmp_path, goals=["achilles"])


def history() -> tuple[list[SetRecord], list[SessionRecord]]:
    """Every stored set (oldest first) and session, read as `heelcoach history` would."""
    with open_store(create=False) as store:
        return store.sets(newest_first=False), store.sessions()


def assert_nothing_written() -> None:
    assert history() == ([], [])


def reported(text: str) -> list[tuple[int, str | None, int, str]]:
    """The distinct sets a screen called saved, in order: (set, side, amount, unit).

    The full screen redraws the same line in many frames, so repeats are one report.
    """
    seen: dict[tuple[int, str | None, int, str], None] = {}
    for match in SAVED.finditer(text):
        number, side, amount, unit = match.groups()
        seen[(int(number), side, int(amount), "s" if unit == "s" else "reps")] = None
    return list(seen)


def as_reports(sets: list[SetRecord]) -> list[tuple[int, str | None, int, str]]:
    return [(s.set_number, s.side, s.reps, "reps") if s.reps is not None
            else (s.set_number, s.side, s.seconds or 0, "s") for s in sets]  # fmt: skip


def _default_ctrl_c() -> None:
    # A runner started in the background by a non-interactive shell ignores SIGINT, and
    # the child would inherit that; a person's terminal has Ctrl-C working.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Terminal:
    """`python -m heelcoach ARGS` in a 24x80 pty; everything it drew is kept as `text`,
    with escape sequences and carriage returns removed, so tests can search it."""

    def __init__(self, *args: str) -> None:
        env = {key: value for key, value in os.environ.items()
               if key not in ("COLUMNS", "LINES", "NO_COLOR", "TERM")}  # fmt: skip
        env["TERM"] = "xterm"
        self.child = pexpect.spawn(sys.executable, ["-m", "heelcoach", *args], env=env,
                                   dimensions=(24, 80), encoding="utf-8",
                                   codec_errors="replace", timeout=20,
                                   preexec_fn=_default_ctrl_c)  # fmt: skip
        self.text = ""
        self.eof = False
        self.sane_after_exit: bool | None = None
        self._tail = ""  # an escape sequence cut in half by a read

    def _pump(self, timeout: float) -> None:
        try:
            chunk = self.child.read_nonblocking(65536, timeout=timeout)
        except pexpect.TIMEOUT:
            return
        except pexpect.EOF:
            chunk, self.eof = "", True
        raw, self._tail = self._tail + chunk, ""
        cut = raw.rfind("\x1b")
        if not self.eof and cut != -1 and len(raw) - cut < 64 and not ESCAPES.match(raw, cut):
            raw, self._tail = raw[:cut], raw[cut:]
        self.text += ESCAPES.sub("", raw).replace("\r", "")

    def mark(self) -> int:
        """Where the output is now: pass it as `since` to see only what comes after."""
        self._pump(0)
        return len(self.text)

    def wait_for(self, pattern: str | re.Pattern[str], since: int = 0,
                 timeout: float = 10.0) -> re.Match[str]:  # fmt: skip
        regex = re.compile(pattern) if isinstance(pattern, str) else pattern
        deadline = time.monotonic() + timeout
        while True:
            found = regex.search(self.text, since)
            if found:
                return found
            if self.eof or time.monotonic() > deadline:
                state = "exited" if self.eof else f"still running after {timeout} s"
                raise AssertionError(
                    f"{regex.pattern!r} never shown ({state}); the end of "
                    f"the output was:\n{self.text[-1500:]}"
                )
            self._pump(0.05)

    def watch(self, seconds: float) -> None:
        """Keep reading (so the child never blocks on a full pty) for `seconds`."""
        deadline = time.monotonic() + seconds
        while not self.eof and time.monotonic() < deadline:
            self._pump(min(0.05, max(0.0, deadline - time.monotonic())))

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def tty_mode(self) -> tuple[bool, bool]:
        """(echo, canonical) of the terminal as the child left it."""
        lflag = termios.tcgetattr(self.child.child_fd)[3]
        return bool(lflag & termios.ECHO), bool(lflag & termios.ICANON)

    def finish(self, timeout: float = 15.0) -> int:
        """Read to the end; note whether the terminal was given back; the exit status."""
        deadline = time.monotonic() + timeout
        while not self.eof:
            assert time.monotonic() < deadline, f"did not exit:\n{self.text[-1500:]}"
            self._pump(0.1)
        # The master side still sees the terminal's modes after the child is gone.
        self.sane_after_exit = self.tty_mode() == (True, True)
        self.child.close()
        assert self.child.signalstatus is None, f"killed by signal {self.child.signalstatus}"
        return self.child.exitstatus


@pytest.fixture
def spawn() -> Iterator[Callable[..., Terminal]]:
    children: list[Terminal] = []

    def start(*args: str) -> Terminal:
        children.append(Terminal(*args))
        return children[-1]

    yield start
    for terminal in children:  # a failed test must not leave a coach running
        if terminal.child.isalive():
            terminal.child.close(force=True)


# --------------------------------------------------------------------------- the full screen


def test_pause_finish_early_and_quit_keep_exactly_the_sets_the_screen_called_saved(
    achilles: None, spawn: Callable[..., Terminal]
) -> None:
    term = spawn("start", "--speed", "10")
    term.wait_for(READY)
    assert "2 exercises, 4 sets" in term.text  # the outline comes first
    term.send("y\r")
    term.wait_for(r"rep 2 / 10")  # the first rep of the first set is done
    assert term.tty_mode() == (False, False)  # cbreak: single keys, not echoed

    mark = term.mark()
    term.send(" ")
    term.wait_for(r"Paused - press space to resume\.", since=mark)
    held_at = max(int(n) for n in re.findall(r"rep (\d+) / 10", term.text[mark:]) or ["0"])
    mark = term.mark()
    term.watch(1.5)  # 15 s on the session clock: 2.5 reps, had the clock not stopped
    later = [int(n) for n in re.findall(r"rep (\d+) / 10", term.text[mark:])]
    assert all(n <= held_at for n in later), (held_at, later)
    mark = term.mark()
    term.send(" ")
    term.wait_for(r"space pause", since=mark)  # running again: the keys say so
    resumed_at = int(term.wait_for(r"rep (\d+) / 10", since=mark).group(1))
    assert held_at <= resumed_at <= held_at + 1  # carries on where it stopped

    mark = term.mark()
    term.send("n")
    term.wait_for(r"Set 1 \(left\) saved: \d+ reps?", since=mark)
    # q at once: during the switch rest (0.5 s) or before a right-side rep is done, so the
    # quit itself records nothing and the history must hold just what the screen said.
    mark = term.mark()
    term.send("q")
    term.wait_for(r"Quit the session\? Press y to quit", since=mark)
    term.send("y")
    term.wait_for(PAIN_QUESTION)
    assert term.tty_mode() == (True, True)  # given back before the question is asked
    term.send("2\r")
    assert term.finish() == 0
    assert term.sane_after_exit

    screen = reported(term.text)
    assert len(screen) == 1 and screen[0][:2] == (1, "left") and screen[0][2] >= 1, screen
    assert re.search(r"Session quit: 1 set saved in \d+ min\.", term.text)
    sets, sessions = history()
    assert as_reports(sets) == screen
    assert [s.exercise for s in sets] == ["eccentric-heel-drop"]
    assert all(s.reps and 0 < s.reps < 10 and s.target_reps == 10 for s in sets)
    assert all(s.source == "live" and s.day == TODAY for s in sets)
    assert len(sessions) == 1
    assert {s.session_id for s in sets} == {sessions[0].session_id}
    assert (sessions[0].status, sessions[0].pain) == ("stopped", 2)
    assert sessions[0].ended_at is not None


def test_a_tiny_session_runs_to_the_end_and_saves_every_planned_set(
    achilles: None, spawn: Callable[..., Terminal]
) -> None:
    term = spawn("start", "--exercise", "calf-stretch", "--speed", "50", "--yes")
    term.wait_for(PAIN_QUESTION)  # 5 s get ready + 2 x 30 s + 5 s switch = 1.4 s here
    term.send("\r")  # blank: no answer
    assert term.finish() == 0
    assert term.sane_after_exit
    assert "1 exercise, 2 sets" in term.text and not re.search(READY, term.text)
    assert re.search(r"Session completed: 2 sets saved in \d+ min\.", term.text)
    assert "Calf stretch: 2 sets, 60 s" in term.text
    assert "heelcoach checkin" in term.text.split("Session completed")[-1]
    sets, sessions = history()
    assert [(s.exercise, s.set_number, s.side, s.reps, s.seconds, s.target_seconds)
            for s in sets] == [("calf-stretch", 1, "left", None, 30, 30),
                               ("calf-stretch", 1, "right", None, 30, 30)]  # fmt: skip
    assert len(sessions) == 1 and {s.session_id for s in sets} == {sessions[0].session_id}
    assert (sessions[0].status, sessions[0].pain) == ("finished", None)


def test_ctrl_c_mid_session_keeps_the_saved_sets_and_gives_the_terminal_back(
    achilles: None, spawn: Callable[..., Terminal]
) -> None:
    term = spawn("start", "--speed", "20", "--yes")
    term.wait_for(r"Set 1 \(left\) saved: 10 reps")
    term.wait_for(r"rep 2 / 10", since=term.mark())  # the right side is under way
    term.send("\x03")
    assert term.finish() == 130
    assert term.sane_after_exit
    after = term.text.split("Set 1 (left) saved")[-1]
    assert re.search(r"Session interrupted: 1 set saved in \d+ min\.", after)
    assert INTERRUPTED_MESSAGE in after
    assert not re.search(PAIN_QUESTION, after)  # an interrupted run asks nothing more
    sets, sessions = history()
    # The set in progress (right side) is the only thing lost.
    assert [(s.exercise, s.set_number, s.side, s.reps) for s in sets] == [
        ("eccentric-heel-drop", 1, "left", 10)
    ]
    assert as_reports(sets) == reported(term.text)
    assert len(sessions) == 1 and sets[0].session_id == sessions[0].session_id
    assert (sessions[0].status, sessions[0].pain) == ("stopped", None)  # not left "running"


def test_ctrl_c_at_the_pain_question_keeps_the_session_and_closes_it(
    achilles: None, spawn: Callable[..., Terminal]
) -> None:
    term = spawn("start", "--exercise", "calf-stretch", "--speed", "50", "--yes")
    term.wait_for(PAIN_QUESTION)
    term.send("\x03")
    assert term.finish() == 130
    assert term.sane_after_exit
    sets, sessions = history()
    assert len(sets) == 2 and len(sessions) == 1  # the whole session was already kept
    assert sessions[0].status == "finished"


def test_emergency_key_stops_at_once_with_the_advice_and_keeps_saved_sets(
    achilles: None, spawn: Callable[..., Terminal]
) -> None:
    term = spawn("start", "--speed", "20", "--yes")
    term.wait_for(r"Set 1 \(left\) saved: 10 reps")
    term.wait_for(r"rep 2 / 10", since=term.mark())  # mid-set on the right side
    mark = term.mark()
    pressed = time.monotonic()
    term.send("!")
    headline = term.wait_for(
        r"Session stopped for your safety: (\d+) sets? saved", since=mark, timeout=5
    )
    assert time.monotonic() - pressed < 1.0  # at once: no countdown, no confirmation
    term.wait_for(re.escape(EMERGENCY_MESSAGE), since=mark)
    deadline = time.monotonic() + 3
    while not term.eof and time.monotonic() < deadline:  # it must end without asking
        assert not re.search(PAIN_QUESTION, term.text[mark:]), "asked about pain after '!'"
        term.watch(0.05)
    assert term.finish() == 1
    assert term.sane_after_exit
    assert "heelcoach checkin" not in term.text[mark:]  # no "see you tomorrow" after this
    sets, sessions = history()
    # Kept: the left set the screen called saved, and the right side's reps so far.
    assert [(s.exercise, s.set_number, s.side) for s in sets] == [
        ("eccentric-heel-drop", 1, "left"),
        ("eccentric-heel-drop", 1, "right"),
    ]
    assert as_reports(sets[:1]) == reported(term.text[:mark]) == [(1, "left", 10, "reps")]
    assert sets[1].reps is not None and 1 <= sets[1].reps < 10
    assert int(headline.group(1)) == len(sets)
    assert len(sessions) == 1 and {s.session_id for s in sets} == {sessions[0].session_id}
    assert (sessions[0].status, sessions[0].pain) == ("stopped", None)


# --------------------------------------------------------------------------- kill -9


def test_kill_9_keeps_every_set_the_screen_called_saved(achilles: None) -> None:
    # Speed 60: a heel-drop side takes 1 s and the sets end about 1 s apart.
    process = subprocess.Popen(
        [sys.executable, "-m", "heelcoach", "start", "--plain", "--speed", "60"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None
    out = b""
    try:
        deadline = time.monotonic() + 15
        while len(SAVED.findall(out.decode())) < 2:
            assert time.monotonic() < deadline, out.decode()
            ready, _, _ = select.select([process.stdout], [], [], 0.05)
            chunk = os.read(process.stdout.fileno(), 65536) if ready else b""
            assert chunk or not ready, f"ended before it was killed:\n{out.decode()}"
            out += chunk
    finally:
        process.kill()  # SIGKILL: no handler, no finally, no flush
        rest, _ = process.communicate(timeout=10)
    assert process.returncode == -signal.SIGKILL
    # Anything it printed before it died was said too, so it counts as reported.
    text = (out + rest).decode()
    screen = reported(text)
    assert len(screen) >= 2

    sets, sessions = history()  # the store opens (and checks) the file as usual
    stored = as_reports(sets)
    assert stored[: len(screen)] == screen
    assert len(stored) <= len(screen) + 1  # committed, killed before it could say so
    names = {e.name: e.id for e in content_library().exercises.values()}
    going = [names[line.split(" - ")[0]] for line in text.splitlines() if line.endswith(" - go")]
    assert [s.exercise for s in sets[: len(screen)]] == going[: len(screen)]
    assert len(sessions) == 1 and sessions[0].status == "running"  # nobody could close it
    assert {s.session_id for s in sets} == {sessions[0].session_id}
    with sqlite3.connect(context().history_path) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    listed = run_cli("history")
    assert listed.returncode == 0, listed.stderr


def test_a_closed_terminal_keeps_the_sets_and_closes_the_session(
    achilles: None, spawn: Callable[..., Terminal]
) -> None:
    term = spawn("start", "--speed", "20", "--yes")
    term.wait_for(r"Set 1 \(left\) saved: 10 reps")
    term.child.kill(signal.SIGHUP)  # what a terminal window closing sends
    term.finish()
    assert term.sane_after_exit
    sets, sessions = history()
    assert as_reports(sets)[:1] == [(1, "left", 10, "reps")]
    assert len(sessions) == 1 and sessions[0].status == "stopped"


# --------------------------------------------------------------------------- plain lines


def test_plain_piped_output_is_one_line_per_event_without_escapes(achilles: None) -> None:
    result = run_cli("start", "--plain", "--speed", "100", stdin="")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "\x1b" not in out and "\r" not in out and "\a" not in out
    lines = out.splitlines()
    in_order = [
        "Session for ", "Today: 2 exercise(s), about 4 min.", "Keys: space pause, ",
        "Get ready: Eccentric heel drop - set 1 of 1 - left side - starting in 5 s",
        "Eccentric heel drop - set 1 of 1 - left side - go", "rep 1/10", "rep 10/10",
        "Set 1 (left) saved: 10 reps", "Switch sides - 5 s - next: right side",
        "Eccentric heel drop - set 1 of 1 - right side - go", "rep 10/10",
        "Set 1 (right) saved: 10 reps",
        "Rest 60 s - next: Calf stretch - set 1 of 1 - left side",
        "Calf stretch - set 1 of 1 - left side - go", "Set 1 (left) saved: 30 s",
        "Calf stretch - set 1 of 1 - right side - go", "Set 1 (right) saved: 30 s",
        "Session complete. Well done.", "Session completed: 4 sets saved in 4 min.",
        "  Eccentric heel drop: 2 sets, 20 reps", "  Calf stretch: 2 sets, 60 s",
        "Tomorrow morning, run `heelcoach checkin`",
    ]  # fmt: skip
    at = 0
    for expected in in_order:  # each event is a line of its own, in the order it happened
        at = next((i for i in range(at, len(lines)) if lines[i].startswith(expected)), -1)
        assert at >= 0, f"{expected!r} missing or out of order in:\n{out}"
    assert sum(line.startswith("rep ") for line in lines) == 20
    assert lines.count("Session complete. Well done.") == 1  # said once, not again after
    assert "Ready?" not in out and "How much pain" not in out  # nobody to ask
    sets, sessions = history()
    assert as_reports(sets) == reported(out) and len(sets) == 4
    assert [s.exercise for s in sets] == ["eccentric-heel-drop"] * 2 + ["calf-stretch"] * 2
    assert len(sessions) == 1 and sessions[0].status == "finished"


# --------------------------------------------------------------------------- refusals


def test_a_referral_profile_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    screened(tmp_path, code=1, chest_pain=True, cleared_for_exercise=False)
    result = run_cli("start", "--yes", stdin="")
    assert_one_line_error(result, 1)
    assert "chest pain" in result.stderr and "professional" in result.stderr
    assert result.stdout == ""
    assert not context().history_path.exists()
    assert_nothing_written()


def test_an_exercise_the_plan_leaves_out_is_refused_with_the_reason(tmp_path: Path) -> None:
    screened(tmp_path, joint_pain=["knee"])
    week_3 = TODAY + timedelta(days=14)
    later = run_cli("start", "--exercise", "heel-jump", "--day", week_3.isoformat(), stdin="")
    assert_one_line_error(later, 1)
    assert (
        "Heel jump is not in your plan: Heel jumps can make pain in your ankles, knees"
        in later.stderr
    )
    now = run_cli("start", "--exercise", "heel-jump", stdin="")
    assert_one_line_error(now, 1)
    assert "Heel jump is not in your plan: " in now.stderr
    assert_nothing_written()
    assert "knees" in now.stderr  # the safety reason, not "joins later"


@pytest.mark.parametrize(("args", "expected"), [
    (("--exercise", "nosuch"), "unknown exercise 'nosuch'; see `heelcoach exercises`"),
    (("--exercise", "heel-drp"), "unknown exercise 'heel-drp'; did you mean heel-drop"),
    (("--day", "not-a-date"), "--day: 'not-a-date' is not a date (use YYYY-MM-DD)"),
    (("--day", (TODAY - timedelta(days=1)).isoformat()), "is before your plan starts"),
])  # fmt: skip
def test_bad_input_exits_2_and_writes_nothing(achilles: None, args: tuple[str, ...],
                                              expected: str) -> None:  # fmt: skip
    result = run_cli("start", *args, stdin="")
    assert_one_line_error(result, 2)
    assert expected in result.stderr
    assert_nothing_written()


def test_a_rest_day_says_so_and_names_the_next_training_day(achilles: None) -> None:
    plan = run_cli("plan", "--json")
    days = [(date.fromisoformat(d["date"]), bool(d["items"]))
            for d in json.loads(plan.stdout)["days"]]  # fmt: skip
    rest = next(day for day, training in days if not training)
    following = next(day for day, training in days if training and day > rest)
    result = run_cli("start", "--day", rest.isoformat(), stdin="")
    assert result.returncode == 0, result.stderr
    assert f"{rest:%a %d %b} is a rest day in your plan" in result.stdout
    assert (
        f"Next training day: {following:%a %d %b} (Eccentric heel drop, Calf stretch)"
        in result.stdout
    )
    assert "Session for" not in result.stdout  # nothing was started
    assert_nothing_written()


def test_another_days_session_counts_for_the_day_it_is_done(achilles: None) -> None:
    later = TODAY + timedelta(days=2)  # a training day of this week's plan
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "heelcoach",
            "start",
            "--day",
            later.isoformat(),
            "--exercise",
            "calf-stretch",
            "--speed",
            "50",
            "--plain",
            "--yes",
        ],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    sets, sessions = history()
    assert sets and {s.day for s in sets} == {TODAY} and sessions[0].day == TODAY
