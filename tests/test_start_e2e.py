"""`heelcoach start` end to end, and the history it leaves behind.

Most of these run the whole command in this process with the live runner's clock and
keys swapped for a fake clock and scripted keys (`live`), so a session of minutes takes
milliseconds and saves real sets through the real code. A few run a real process in a
pseudo-terminal, rendered with pyte at the window size a person would have, to check
what the screen shows, the terminal given back, and the signals; those use `--speed`
(a demo: nothing saved) or real time on a set cut short with `n`.

Every profile starts today, so today is day 0 of week 1 and always a training day. The
Achilles plan of week 1 is: eccentric heel drops 1 x 10 per side (6 s a rep, 60 s rest
after), then the calf stretch 1 x 30 s per side; each exercise opens with 15 s to get
into position.
"""

from __future__ import annotations

import contextlib
import io
import itertools
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
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pexpect
import pyte
import pytest
from helpers import assert_one_line_error, context, open_store, run_cli, write_answers
from test_live_view import FakeKeys

from heelcoach.domain.records import SessionRecord, SetRecord
from heelcoach.frontends.cli.app import run
from heelcoach.frontends.live import runner
from heelcoach.frontends.words.live import EMERGENCY_ADVICE

TODAY = date.today()
READY = r"Ready\? Start now\? \[Y/n\]"
ILLNESS = r"Anything\s+new\s+since\s+last\s+time:\s+illness,\s+injury\s+or\s+pain\?\s+\[y/N\]"
PAIN_QUESTION = "How much pain did this session cause, 0-10? (blank to skip) "
CHECKIN = "Tomorrow morning, run `heelcoach checkin`"
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
    """The distinct sets a screen called saved, in order: (set, side, amount, unit)."""
    seen: dict[tuple[int, str | None, int, str], None] = {}
    for match in SAVED.finditer(text):
        number, side, amount, unit = match.groups()
        seen[(int(number), side, int(amount), "s" if unit == "s" else "reps")] = None
    return list(seen)


def as_reports(sets: list[SetRecord]) -> list[tuple[int, str | None, int, str]]:
    return [
        (s.set_number, s.side, s.reps, "reps")
        if s.reps is not None
        else (s.set_number, s.side, s.seconds or 0, "s")
        for s in sets
    ]


@pytest.fixture
def live(monkeypatch: pytest.MonkeyPatch) -> Callable[..., subprocess.CompletedProcess[str]]:
    """Run `heelcoach start ARGS` in this process on a fake clock with scripted keys
    ((session second, key) pairs; `stop_at` is a Ctrl-C). `tty` makes both ends of the
    conversation a terminal, so questions are asked (answers come from `stdin`)."""

    def start(
        *args: str,
        keys: list[tuple[float, str]] = (),
        stop_at: float | None = None,
        stdin: str | io.StringIO = "",
        tty: bool = False,
    ) -> subprocess.CompletedProcess[str]:
        fake = FakeKeys(list(keys), stop_at, interactive=tty)
        monkeypatch.setattr(runner, "default_clock", fake.clock)
        monkeypatch.setattr(runner, "default_keys", lambda: contextlib.nullcontext(fake))
        ctx = context(tty=tty)
        ctx.stdin = io.StringIO(stdin) if isinstance(stdin, str) else stdin
        assert isinstance(ctx.stdout, io.StringIO) and isinstance(ctx.stderr, io.StringIO)
        with contextlib.redirect_stdout(ctx.stdout), contextlib.redirect_stderr(ctx.stderr):
            code = run(["start", *args], ctx)
        return subprocess.CompletedProcess(
            ["start", *args], code, ctx.stdout.getvalue(), ctx.stderr.getvalue()
        )

    return start


def _default_ctrl_c() -> None:
    # A runner started in the background by a non-interactive shell ignores SIGINT, and
    # the child would inherit that; a person's terminal has Ctrl-C working.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Terminal:
    """`python -m heelcoach ARGS` in a pty of `size` (rows, columns). `screen` is what a
    person sees now (rendered by pyte); `text` everything drawn, escapes removed."""

    def __init__(self, *args: str, size: tuple[int, int] = (24, 80)) -> None:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ("COLUMNS", "LINES", "NO_COLOR", "TERM")
        }
        env["TERM"] = "xterm"
        self.child = pexpect.spawn(
            sys.executable,
            ["-m", "heelcoach", *args],
            env=env,
            dimensions=size,
            encoding="utf-8",
            codec_errors="replace",
            timeout=20,
            preexec_fn=_default_ctrl_c,
        )
        self.pyte = pyte.Screen(size[1], size[0])
        self.stream = pyte.Stream(self.pyte)
        self.text = ""
        self.titles: list[str] = []
        self.eof = False
        self.sane_after_exit: bool | None = None
        self._tail = ""  # an escape sequence cut in half by a read

    @property
    def screen(self) -> str:
        return "\n".join(line.rstrip() for line in self.pyte.display)

    def _pump(self, timeout: float) -> None:
        try:
            chunk = self.child.read_nonblocking(65536, timeout=timeout)
        except pexpect.TIMEOUT:
            return
        except pexpect.EOF:
            chunk, self.eof = "", True
        self.stream.feed(chunk)
        raw, self._tail = self._tail + chunk, ""
        cut = raw.rfind("\x1b")
        if not self.eof and cut != -1 and len(raw) - cut < 64 and not ESCAPES.match(raw, cut):
            raw, self._tail = raw[:cut], raw[cut:]
        self.titles += re.findall(r"\x1b\]2;([^\x07]*)\x07", raw)
        self.text += ESCAPES.sub("", raw).replace("\r", "")

    def mark(self) -> int:
        self._pump(0)
        return len(self.text)

    def _until(
        self, found: Callable[[], re.Match[str] | None], what: str, timeout: float
    ) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while True:
            match = found()
            if match:
                return match
            if self.eof or time.monotonic() > deadline:
                state = "exited" if self.eof else f"still running after {timeout} s"
                raise AssertionError(
                    f"{what!r} never shown ({state}); the screen was:\n"
                    f"{self.screen}\nand the output ended:\n"
                    f"{self.text[-1500:]}"
                )
            self._pump(0.05)

    def wait_for(self, pattern: str, since: int = 0, timeout: float = 10.0) -> re.Match[str]:
        """`pattern` anywhere in what was drawn after `since`."""
        regex = re.compile(pattern)
        return self._until(lambda: regex.search(self.text, since), pattern, timeout)

    def wait_screen(self, pattern: str, timeout: float = 10.0) -> str:
        """Until the screen as it is now shows `pattern`; returns that screen."""
        regex = re.compile(pattern)
        self._until(lambda: regex.search(self.screen), pattern, timeout)
        return self.screen

    def resize(self, rows: int, columns: int) -> None:
        self.pyte.resize(rows, columns)
        self.child.setwinsize(rows, columns)  # the child gets SIGWINCH

    def send(self, keys: str) -> None:
        self.child.send(keys)

    def tty_mode(self) -> tuple[bool, bool]:
        """(echo, canonical) of the terminal as the child left it."""
        lflag = termios.tcgetattr(self.child.child_fd)[3]
        return bool(lflag & termios.ECHO), bool(lflag & termios.ICANON)

    def finish(self, timeout: float = 15.0) -> int:
        deadline = time.monotonic() + timeout
        while not self.eof:
            assert time.monotonic() < deadline, f"did not exit:\n{self.text[-1500:]}"
            self._pump(0.1)
        self.sane_after_exit = self.tty_mode() == (True, True)
        self.child.close()
        assert self.child.signalstatus is None, f"killed by signal {self.child.signalstatus}"
        return self.child.exitstatus


@pytest.fixture
def spawn() -> Iterator[Callable[..., Terminal]]:
    children: list[Terminal] = []

    def start(*args: str, size: tuple[int, int] = (24, 80)) -> Terminal:
        children.append(Terminal(*args, size=size))
        return children[-1]

    yield start
    for terminal in children:  # a failed test must not leave a coach running
        if terminal.child.isalive():
            terminal.child.close(force=True)


def assert_readable(shown: str, columns: int) -> None:
    """The count, the phase, the side and the keys, and the count in block digits."""
    assert re.search(r"rep \d+ / 10", shown), shown
    assert re.search(r"^ *(RISE|LOWER|HOLD|FOOT BACK)\b", shown, re.M), shown
    assert "left side" in shown and "q quit" in shown and "DEMO" in shown
    inked = [("█" in line) for line in shown.splitlines()]
    runs = [len(list(run)) for ink, run in itertools.groupby(inked) if ink]
    assert max(runs, default=0) >= 5, shown  # five rows of block digits, at least
    assert all(len(line) <= columns for line in shown.splitlines())


# --------------------------------------------------------------------------- the full screen


@pytest.mark.pty
@pytest.mark.parametrize(("rows", "columns"), [(32, 100), (24, 80), (20, 60), (12, 40)])
def test_the_live_screen_reads_at_each_window_size(
    achilles: None, spawn: Callable[..., Terminal], rows: int, columns: int
) -> None:
    term = spawn(
        "start", "--exercise", "eccentric-heel-drop", "--speed", "30", "--yes", size=(rows, columns)
    )
    term.wait_for(ILLNESS)
    term.send("\r")  # nothing new
    assert_readable(term.wait_screen(r"rep [2-9] / 10"), columns)
    assert term.tty_mode() == (False, False)  # cbreak: single keys, not echoed
    assert any(re.fullmatch(r"heelcoach: \w+( \w+)? rep \d+ / 10", t) for t in term.titles)
    if (rows, columns) == (32, 100):  # and a resize mid-set lays it out again at once
        for rows_now, columns_now in ((12, 40), (20, 60)):
            term.resize(rows_now, columns_now)
            shown = term.wait_screen(r"rep \d+ / 10.*\n(.*\n)*.*q quit", timeout=5)
            assert_readable(shown, columns_now)
    term.send("q")
    term.wait_screen(r"Quit the session\?")
    term.send("y")
    assert term.finish() == 0
    assert term.sane_after_exit
    ending = term.text.split("Demo ended")[-1]
    assert re.search(r": 1 set done, nothing saved \(a demo\)\.", ending)
    assert "How much pain" not in ending and CHECKIN not in ending
    assert_nothing_written()  # a demo: nothing saved


@pytest.mark.pty
def test_the_session_list_wraps_under_each_item_in_a_narrow_window(
    tmp_path: Path, spawn: Callable[..., Terminal]
) -> None:
    screened(tmp_path)  # heel drops and split squats: items long enough to wrap twice
    term = spawn("start", "--speed", "30", size=(24, 40))
    term.wait_for(ILLNESS)
    shown = term.screen
    assert "  1. " in shown and "support:" in shown
    # A wrapped item continues under its name, never back at the window's edge: the
    # items and their continuations are one indented block.
    rows = shown.splitlines()
    first = next(at for at, row in enumerate(rows) if row.startswith("  1. "))
    block = list(itertools.takewhile(lambda row: row.startswith("  "), rows[first:]))
    numbered = [row for row in rows if re.match(r"  \d+\. ", row)]
    assert len(numbered) >= 3 and numbered == [r for r in block if not r.startswith("     ")]
    term.send("\x03")
    term.finish()


@pytest.mark.pty
def test_a_floor_exercise_waits_for_the_person_on_the_mat(
    tmp_path: Path, spawn: Callable[..., Terminal]
) -> None:
    screened(tmp_path, goals=["strength"])  # today opens with a bridge, lying on a mat
    term = spawn("start", "--speed", "30", "--yes", size=(12, 40))
    term.wait_for(ILLNESS)
    term.send("\r")
    term.wait_screen(r"Press Enter when you\s+lie ready")
    time.sleep(0.6)  # 18 s on the demo's clock: more than the 15 s given to stand ready
    shown = term.wait_screen(r"when ready")
    assert "rep " not in shown and "LIFT" not in shown, shown
    term.send("\r")
    term.wait_screen(r"rep \d+ / 10")
    term.send("q")
    term.wait_screen(r"Quit the session\?")
    term.send("y")
    assert term.finish() == 0


@pytest.mark.pty
def test_the_emergency_panel_waits_for_a_key_and_is_remembered_even_in_a_demo(
    achilles: None, spawn: Callable[..., Terminal]
) -> None:
    term = spawn("start", "--speed", "20", "--yes")
    term.wait_for(ILLNESS)
    term.send("\r")
    term.wait_screen(r"rep [2-9] / 10")
    pressed = time.monotonic()
    term.send("!")
    panel = term.wait_screen(r"STOPPED FOR YOUR SAFETY", timeout=5)
    assert time.monotonic() - pressed < 1.0  # at once: no countdown, no confirmation
    flat = " ".join(line.strip("┃ ") for line in panel.splitlines())
    assert "call your emergency number" in flat and "Press any key to close." in flat
    assert "┏" in panel and "DEMO" in panel
    time.sleep(0.5)  # the panel stays up until a key
    term._pump(0)
    assert "STOPPED FOR YOUR SAFETY" in term.screen and not term.eof
    term.send("x")
    assert term.finish() == 1
    assert term.sane_after_exit
    after = term.text.split("Press any key to close.")[-1]
    assert "Demo stopped for chest pain or dizziness" in after
    assert EMERGENCY_ADVICE.split(".")[0] in after.replace("\n", " ").replace("│", " ")
    assert "How much pain" not in after and CHECKIN not in after
    sets, sessions = history()
    assert sets == [] and [s.status for s in sessions] == ["emergency"]


@pytest.mark.pty
def test_real_time_sets_are_saved_and_ctrl_c_keeps_them(
    achilles: None, spawn: Callable[..., Terminal]
) -> None:
    term = spawn("start", "--exercise", "calf-stretch", "--yes")
    term.wait_for(ILLNESS)
    term.send("\r")
    term.wait_screen(r"enter start now")
    term.send("\r")  # in position: start now
    term.wait_screen(r"HOLD")
    time.sleep(1.1)
    term.send("n")  # a short set in real time: finished after a second
    term.wait_screen(r"Set 1 \(left\) saved: \d+ s")
    term.send("\x03")
    assert term.finish() == 130
    assert term.sane_after_exit
    after = term.text.split("Set 1 (left) saved")[-1]
    assert re.search(r"Session interrupted: 1 set saved\. Sets saved so far are kept\.", after)
    assert "How much pain" not in after  # an interrupted run asks nothing more
    sets, sessions = history()
    assert as_reports(sets) == reported(term.text) == [(1, "left", sets[0].seconds, "s")]
    assert sets[0].seconds is not None and 1 <= sets[0].seconds <= 3
    assert [s.status for s in sessions] == ["interrupted"]


@pytest.mark.pty
def test_a_closed_terminal_keeps_the_sets_and_closes_the_session(
    achilles: None, spawn: Callable[..., Terminal]
) -> None:
    term = spawn("start", "--exercise", "calf-stretch", "--yes")
    term.wait_for(ILLNESS)
    term.send("\r")
    term.wait_screen(r"enter start now")
    term.send("\r")
    term.wait_screen(r"HOLD")
    time.sleep(1.1)
    term.send("n")
    term.wait_screen(r"Set 1 \(left\) saved")
    term.child.kill(signal.SIGHUP)  # what a terminal window closing sends
    term.finish()
    assert term.sane_after_exit
    sets, sessions = history()
    assert [(s.set_number, s.side) for s in sets] == [(1, "left")]
    assert len(sessions) == 1 and sessions[0].status == "interrupted"


@pytest.mark.pty
def test_kill_9_keeps_every_set_the_screen_called_saved(achilles: None) -> None:
    # Real time from a pipe: Enter starts the left side at once, n ends it after a second.
    process = subprocess.Popen(
        [sys.executable, "-m", "heelcoach", "start", "--plain", "--exercise", "calf-stretch"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert process.stdout is not None and process.stdin is not None
    out = b""

    def read_until(count: int) -> None:
        nonlocal out
        deadline = time.monotonic() + 15
        while len(SAVED.findall(out.decode())) < count:
            assert time.monotonic() < deadline, out.decode()
            ready, _, _ = select.select([process.stdout], [], [], 0.05)
            chunk = os.read(process.stdout.fileno(), 65536) if ready else b""
            assert chunk or not ready, f"ended before it was killed:\n{out.decode()}"
            out += chunk

    try:
        process.stdin.write(b"\n")
        process.stdin.flush()
        time.sleep(1.1)
        process.stdin.write(b"n\n")
        process.stdin.flush()
        read_until(1)  # saved, and the right side still to come
        second = run_cli("start", "--exercise", "calf-stretch", "--plain", "--yes")
        assert_one_line_error(second, 1)  # one session at a time: the same sets never twice
        assert "a live session is already running" in second.stderr
    finally:
        process.kill()  # SIGKILL: no handler, no finally, no flush
        rest, _ = process.communicate(timeout=10)
    assert process.returncode == -signal.SIGKILL
    after = run_cli("start", "--exercise", "calf-stretch", "--speed", "500", "--plain", "--yes")
    assert after.returncode == 0, after.stderr  # the kernel freed the lock with the process
    text = (out + rest).decode()
    assert len(reported(text)) == 1
    sets, sessions = history()  # the store opens (and checks) the file as usual
    assert as_reports(sets) == reported(text)
    assert len(sessions) == 1 and sessions[0].status == "running"  # nobody could close it
    with sqlite3.connect(context().history_path) as db:
        assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert run_cli("history").returncode == 0


# --------------------------------------------------------------------------- in process


def test_a_whole_session_in_plain_sentences_saves_what_it_says(achilles: None, live) -> None:
    result = live("--plain")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "\x1b" not in out and "\r" not in out and "\a" not in out
    lines = out.splitlines()
    in_order = [
        "Session for ",
        "  1. Eccentric heel drop: 1 set of 10 reps each side",
        "Not asked about new illness, injury or pain (no terminal to answer in)",
        "Exercise 1 of 2: Eccentric heel drop, 1 set of 10 reps each side.",
        "Get into position: Stand on a step with your heels over the edge.",
        "Starting in 15 seconds.",
        "Eccentric heel drop, set 1 of 1, left side: go.",
        "Rise: Up on both feet - keep it easy.",
        "Tip: Both feet share the way up.",
        "Rep 10 of 10 done.",
        "Set 1 (left) saved: 10 reps.",
        "Switch sides: 5 seconds. Next: right side.",
        "Eccentric heel drop, set 1 of 1, right side: go.",
        "Set 1 (right) saved: 10 reps.",
        "Rest for 60 seconds. Next: Calf stretch, set 1 of 1, left side.",
        "Exercise 2 of 2: Calf stretch, 1 set of 30 s each side.",
        "Calf stretch, set 1 of 1, left side: go.",
        "Set 1 (left) saved: 30 s.",
        "Set 1 (right) saved: 30 s.",
        "Session complete: 4 sets saved in 5 min. Well done.",
        "  Eccentric heel drop: 2 sets, 20 reps",
        "  Calf stretch: 2 sets, 60 s",
        CHECKIN,
    ]
    at = 0
    for expected in in_order:  # each event is a line of its own, in the order it happened
        at = next((i for i in range(at, len(lines)) if lines[i].startswith(expected)), -1)
        assert at >= 0, f"{expected!r} missing or out of order in:\n{out}"
    assert sum(line.startswith("Rep ") for line in lines) == 20
    assert sum("Session complete" in line for line in lines) == 1  # one ending line
    assert "Keys:" not in out and "Press Enter" not in out  # no keyboard behind a pipe
    assert "Ready?" not in out and "How much pain" not in out  # nobody to ask
    sets, sessions = history()
    assert as_reports(sets) == reported(out) and len(sets) == 4
    assert [s.exercise for s in sets] == ["eccentric-heel-drop"] * 2 + ["calf-stretch"] * 2
    assert all(s.source == "live" and s.day == TODAY for s in sets)
    assert len(sessions) == 1 and sessions[0].status == "finished"
    assert {s.session_id for s in sets} == {sessions[0].session_id}


def test_speed_is_a_demo_that_saves_nothing(achilles: None, live) -> None:
    result = live("--plain", "--speed", "50")
    assert result.returncode == 0, result.stderr
    assert "Demo at 50x speed: nothing will be saved to your history." in result.stdout
    assert "Set 1 (left) done (demo, not saved): 10 reps." in result.stdout
    assert "Demo complete: 4 sets done, nothing saved (a demo)." in result.stdout
    assert CHECKIN not in result.stdout
    assert not context().history_path.exists()  # not even an empty history


def test_the_events_file_follows_the_session(achilles: None, live, tmp_path: Path) -> None:
    target = tmp_path / "events.jsonl"
    result = live(
        "--plain",
        "--exercise",
        "calf-stretch",
        "--events",
        str(target),
        keys=[(30.0, "q"), (30.0, "y")],
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in target.read_text().splitlines()]
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    assert [line["event"] for line in lines[:3]] == ["session", "position_started", "set_started"]
    assert lines[-1] == {**lines[-1], "event": "session_ended", "reason": "quit"}
    finished = [line for line in lines if line["event"] == "set_finished"]
    assert [(f["exercise"], f["side"], f["saved"]) for f in finished] == [
        ("calf-stretch", "left", True)
    ]
    assert all(datetime.fromisoformat(line["time"]).tzinfo for line in lines)


@pytest.mark.parametrize("name", ["profile.json", "history.db", "history.db-wal", "link"])
def test_the_events_file_never_overwrites_your_data(
    achilles: None, live, heelcoach_home: Path, name: str
) -> None:
    run_cli("log", "heel-drop", "--reps", "10")  # a history to protect
    target = heelcoach_home / name
    if name == "link":
        target.symlink_to(heelcoach_home / "history.db")
    before = (heelcoach_home / "history.db").read_bytes()
    result = live("--events", str(target))
    assert_one_line_error(result, 2)
    assert "--events" in result.stderr
    assert (heelcoach_home / "history.db").read_bytes() == before


def test_quit_keeps_exactly_the_sets_the_screen_called_saved(achilles: None, live) -> None:
    # Left side 15-75, switch 75-80, right side from 80: quit after its third rep.
    result = live("--plain", keys=[(100.0, "q"), (100.0, "y")])
    assert result.returncode == 0, result.stderr
    assert "Session ended early: 2 sets saved in 2 min." in result.stdout
    sets, sessions = history()
    assert (
        as_reports(sets)
        == reported(result.stdout)
        == [
            (1, "left", 10, "reps"),
            (1, "right", 3, "reps"),
        ]
    )
    assert sessions[0].status == "stopped"


def test_nothing_done_means_no_checkin_reminder_and_no_pain_question(achilles: None, live) -> None:
    result = live(keys=[(3.0, "q"), (3.0, "y")], stdin="\n\n", tty=True)
    assert result.returncode == 0, result.stderr
    assert "Session ended early: 0 sets saved." in result.stdout
    assert CHECKIN not in result.stdout and "How much pain" not in result.stdout


def test_the_session_pain_question_warns_above_5(achilles: None, live) -> None:
    result = live("--exercise", "calf-stretch", stdin="\n\n7\n", tty=True)
    assert result.returncode == 0, result.stderr
    out = " ".join(result.stdout.split())
    assert PAIN_QUESTION.strip() in out
    assert "Pain 7/10 is too much: calf stretch steps back a level next session." in out
    assert history()[1][0].pain == 7


def test_pain_in_a_rest_is_stored_on_the_set_just_done(achilles: None, live) -> None:
    keys = [(77.0, "p"), (77.0, "4"), (77.0, "enter")]  # in the switch after the left side
    result = live("--plain", keys=keys)
    assert result.returncode == 0, result.stderr
    assert "Pain 4/10 noted after the last set." in result.stdout
    sets, _ = history()
    assert [(s.side, s.pain) for s in sets[:2]] == [("left", 4), ("right", None)]
    assert "  Pain 4/10 after Eccentric heel drop set 1, left side" in result.stdout


def test_an_exercise_stopped_for_pain_is_not_offered_again_today(achilles: None, live) -> None:
    run_cli("log", "eccentric-heel-drop", "--side", "left", "--reps", "4", "--pain", "8")
    result = live("--plain")
    assert result.returncode == 0, result.stderr
    assert (
        "Left out today: Eccentric heel drop (stopped for pain above 5 earlier today)."
    ) in result.stdout
    assert "Eccentric heel drop, set" not in result.stdout
    assert "Calf stretch, set 1 of 1, left side: go." in result.stdout


def test_a_session_picks_up_after_the_sets_already_done_today(achilles: None, live) -> None:
    run_cli("log", "eccentric-heel-drop", "--side", "both", "--reps", "10")
    result = live("--plain")
    assert result.returncode == 0, result.stderr
    assert "Already done today: Eccentric heel drop." in result.stdout
    assert "Eccentric heel drop, set" not in result.stdout
    run_cli("log", "calf-stretch", "--side", "both", "--seconds", "30")
    done = live("--plain")
    assert done.returncode == 0
    assert "Nothing left to do today" in done.stdout and "Session for" not in done.stdout


def test_ctrl_c_at_the_pain_question_keeps_the_session_closed(achilles: None, live) -> None:
    class Interrupting(io.StringIO):
        """Enter, Enter, then Ctrl-C at the third question (the session's pain)."""

        asked = 0

        def readline(self, *args: object) -> str:
            self.asked += 1
            if self.asked == 3:
                raise KeyboardInterrupt
            return "\n"

    result = live("--exercise", "calf-stretch", stdin=Interrupting(), tty=True)
    assert result.returncode == 130
    assert PAIN_QUESTION in result.stdout
    sets, sessions = history()
    assert len(sets) == 2 and sessions[0].status == "finished" and sessions[0].pain is None


def test_illness_today_advises_waiting_and_does_not_start(achilles: None, live) -> None:
    result = live(stdin="y\n\n", tty=True)
    assert result.returncode == 0
    out = " ".join(result.stdout.split())
    assert "wait until you are well before training" in out
    assert "Train anyway? [y/N]" in out and "Not started." in out
    assert_nothing_written()
    anyway = live("--exercise", "calf-stretch", stdin="y\ny\n\n\n", tty=True)
    assert anyway.returncode == 0 and "Session complete" in anyway.stdout


# --------------------------------------------------------------------------- emergencies


def emergency_on_record() -> SessionRecord:
    with open_store() as store:
        now = datetime.now(UTC)
        record = SessionRecord(
            session_id="e1", day=TODAY, started_at=now, ended_at=now, pain=None, status="emergency"
        )
        store.start_session(record._replace(status="running", ended_at=None))
        store.finish_session("e1", ended_at=datetime.now(UTC), pain=None, status="emergency")
    return record


def test_an_emergency_stop_is_recorded_as_one(achilles: None, live) -> None:
    result = live("--plain", keys=[(20.0, "!")])
    assert result.returncode == 1
    assert result.stdout.count(EMERGENCY_ADVICE) == 1  # plain lines said it as it happened
    assert "Session stopped for chest pain or dizziness: 0 sets saved." in result.stdout
    assert CHECKIN not in result.stdout
    assert [s.status for s in history()[1]] == ["emergency"]


WARNING = "your last session was stopped for chest pain or dizziness: see a doctor"


def test_until_a_doctor_is_confirmed_plan_home_and_start_say_so(achilles: None, live) -> None:
    emergency_on_record()
    plan = run_cli("plan")
    assert WARNING in " ".join(plan.stdout.lower().split())
    assert WARNING in " ".join(run_cli("plan", "--json").stderr.lower().split())
    assert WARNING in " ".join(run_cli().stdout.lower().split())  # the home screen
    refused = live("--yes")
    assert_one_line_error(refused, 1)
    assert "--doctor-checked" in refused.stderr
    said_no = live(stdin="\n", tty=True)
    assert said_no.returncode == 1 and "Has a doctor checked you since? [y/N]" in said_no.stdout
    assert [s.cleared_at for s in history()[1]] == [None]
    cleared = live("--exercise", "calf-stretch", "--doctor-checked", "--plain")
    assert cleared.returncode == 0 and "Session complete" in cleared.stdout
    assert history()[1][0].cleared_at is not None
    assert WARNING not in run_cli("plan").stdout.lower()


def test_answering_yes_in_a_terminal_clears_it(achilles: None, live) -> None:
    emergency_on_record()
    result = live("--exercise", "calf-stretch", stdin="y\n\n\n\n", tty=True)
    assert result.returncode == 0, result.stdout
    assert "Noted: a doctor has checked you." in result.stdout


# --------------------------------------------------------------------------- undo


def test_undo_takes_back_the_last_live_session(achilles: None, live) -> None:
    live("--plain", "--exercise", "calf-stretch")
    assert len(history()[0]) == 2
    piped = run_cli("undo")
    assert piped.returncode == 2 and "the live session of" in piped.stderr
    result = run_cli("undo", "--yes")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        f"Removed the live session of {TODAY.isoformat()}: 2 sets (Calf stretch 2)."
    )
    assert_nothing_written()
    logged = run_cli("log", "heel-drop", "--reps", "10")
    assert logged.returncode == 0
    assert "Removed 1 set of Heel drop" in run_cli("undo", "--yes").stdout  # log undo as before


# --------------------------------------------------------------------------- refusals


def test_a_referral_profile_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    screened(tmp_path, code=1, chest_pain=True, cleared_for_exercise=False)
    result = run_cli("start", "--yes", stdin="")
    assert_one_line_error(result, 1)
    assert "chest pain" in result.stderr and "professional" in result.stderr
    assert result.stdout == ""
    assert not context().history_path.exists()


def test_an_exercise_the_plan_leaves_out_is_refused_with_the_reason(tmp_path: Path) -> None:
    screened(tmp_path, joint_pain=["knee"])
    week_3 = TODAY + timedelta(days=14)
    later = run_cli("start", "--exercise", "heel-jump", stdin="", today=week_3)
    assert_one_line_error(later, 1)
    assert (
        "Heel jump is not in your plan: Heel jumps can make pain in your ankles, knees"
        in later.stderr
    )
    now = run_cli("start", "--exercise", "heel-jump", stdin="")
    assert_one_line_error(now, 1)
    assert "Heel jump is not in your plan: " in now.stderr
    assert_nothing_written()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--exercise", "nosuch"), "unknown exercise 'nosuch'; see `heelcoach exercises`"),
        (("--exercise", "heel-drp"), "unknown exercise 'heel-drp'; did you mean heel-drop"),
        (("--day", "not-a-date"), "--day: 'not-a-date' is not a date (use YYYY-MM-DD)"),
        (("--day", (TODAY - timedelta(days=1)).isoformat()), "is before your plan starts"),
        (("--day", (TODAY + timedelta(days=1)).isoformat()), "has not come yet"),
        (("--sound", "--voice-cmd", "no-such-voice {}"), "--voice-cmd: no-such-voice not found"),
        (("--sound", "--voice-rate", "9"), "--voice-rate must be 80-400"),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(
    achilles: None, args: tuple[str, ...], expected: str
) -> None:
    result = run_cli("start", *args, stdin="")
    assert_one_line_error(result, 2)
    assert expected in result.stderr
    assert_nothing_written()


def test_a_rest_day_says_so_and_names_the_next_training_day(achilles: None) -> None:
    plan = run_cli("plan", "--json")
    days = [
        (date.fromisoformat(d["date"]), bool(d["items"])) for d in json.loads(plan.stdout)["days"]
    ]
    rest = next(day for day, training in days if not training)
    following = next(day for day, training in days if training and day > rest)
    result = run_cli("start", stdin="", today=rest)
    assert result.returncode == 0, result.stderr
    assert f"{rest:%a %d %b} is a rest day in your plan" in result.stdout
    assert (
        f"Next training day: {following:%a %d %b} (Eccentric heel drop, Calf stretch)"
        in result.stdout
    )
    assert "Session for" not in result.stdout
    assert_nothing_written()


def test_an_earlier_days_session_is_recorded_under_that_day(tmp_path: Path, live) -> None:
    began = TODAY - timedelta(days=3)
    answers = write_answers(tmp_path, goals=["achilles"])
    screen = run_cli("screen", "--answers", str(answers), "--start", began.isoformat())
    assert screen.returncode == 0
    missed = TODAY - timedelta(days=1)  # eccentric drops run every day of week 1
    result = live("--day", missed.isoformat(), "--exercise", "calf-stretch", "--plain")
    assert result.returncode == 0, result.stderr
    sets, sessions = history()
    assert sets and {s.day for s in sets} == {missed} and sessions[0].day == missed
    # The same as --as-of; two days that disagree are refused, nothing written.
    clash = run_cli("--as-of", began.isoformat(), "start", "--day", missed.isoformat())
    assert_one_line_error(clash, 2)
    assert "disagree" in clash.stderr and len(history()[0]) == len(sets)


def test_sound_without_a_speech_program_says_so_once(
    achilles: None, live, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no espeak-ng, spd-say, say or player
    result = live("--plain", "--sound", "--exercise", "calf-stretch", "--speed", "2")
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("no speech program found") == 1
    assert result.stdout.count("\a") >= 3  # the bell marks the changes instead


def test_legs_in_turn_run_as_one_set_and_are_kept_per_leg(achilles: None, live) -> None:
    assert run_cli("settings", "alternate-legs", "on").returncode == 0
    out = live("--plain").stdout
    assert "Eccentric heel drop: 1 set of 20 reps, legs in turn" in out
    assert "Legs in turn: one rep on the left, the next on the right" in out
    sets, _ = history()
    drops = [(s.side, s.reps, s.target_reps) for s in sets if s.exercise == "eccentric-heel-drop"]
    assert drops == [("left", 10, 10), ("right", 10, 10)]


def test_a_later_session_asks_before_the_area_an_earlier_pain_stop_hurt(
    tmp_path: Path, live
) -> None:
    screened(tmp_path, goals=["bone", "achilles"])
    run_cli("log", "heel-drop", "--reps", "4", "--pain", "8")  # stopped earlier today
    out = live("--plain").stdout
    assert (
        "Heel drop stopped for pain earlier today. Next: eccentric heel drop also loads "
        "the lower leg. Skipping it to be safe."
    ) in out
    sets, _ = history()
    assert "eccentric-heel-drop" not in {s.exercise for s in sets}
    assert "split-squat" in {s.exercise for s in sets}  # the rest of the session goes on


def test_a_pain_stop_ends_without_praise(achilles: None, live) -> None:
    keys = [(20.0, "p"), (20.0, "7"), (20.0, "enter")]  # pain 7 in the first set
    result = live("--plain", keys=keys)
    assert result.returncode == 0, result.stderr
    assert "Session complete: " in result.stdout and "Rest what hurt." in result.stdout
    assert "Well done" not in result.stdout


def test_the_advice_before_the_first_session_is_repeated_until_there_is_one(
    tmp_path: Path, live
) -> None:
    screened(tmp_path, goals=["achilles"], chronic_condition=True, cleared_for_exercise=False)
    advice = "Before your first session: You live with another long-term condition"
    first = live("--plain", "--exercise", "calf-stretch")
    assert advice in " ".join(first.stdout.split())
    later = live("--plain", "--exercise", "calf-stretch")
    assert "Before your first session" not in later.stdout


def test_a_demo_emergency_says_the_stop_is_remembered(achilles: None, live) -> None:
    result = live("--plain", "--speed", "10", keys=[(20.0, "!")])
    assert "The sets are not saved (a demo), but the stop is" in " ".join(result.stdout.split())
    again = run_cli("start", "--yes", stdin="")
    assert_one_line_error(again, 1)  # and start refuses, as the demo said it would


def test_a_set_stopped_short_is_not_a_set_done(tmp_path: Path, live) -> None:
    screened(tmp_path, goals=["strength"])  # a bridge, 1 x 10 at 5 s a rep, opens the day
    keys = [(26.0, "n"), (27.0, "q"), (27.5, "y")]  # 4 of 10, then quit
    result = live("--plain", keys=keys)
    assert result.returncode == 0, result.stderr
    assert [(s.exercise, s.reps) for s in history()[0]] == [("bridge", 4)]
    home = run_cli().stdout
    assert "Bridge" in home and "done" not in home.split("Bridge", 1)[1].splitlines()[0]
    again = live("--plain", keys=[(1.0, "q"), (1.5, "y")])
    assert "Exercise 1 of 3: Bridge" in again.stdout  # offered again, not counted done
