"""Key input and terminal restoration: mapping, pipes, no stdin, and real ptys."""

from __future__ import annotations

import io
import os
import pty
import signal
import subprocess
import sys
import termios
import textwrap
import time
from pathlib import Path

import pexpect
import pytest

from heelcoach.frontends.live.controls import key_name
from heelcoach.frontends.live.terminal import KeyReader, map_line

REPO = Path(__file__).resolve().parents[1]
CHILD_ENV = {**os.environ, "PYTHONPATH": str(REPO)}


# --- mapping ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("char", "key"),
    [
        (" ", " "),
        ("n", "n"),
        ("N", "n"),
        ("Q", "q"),
        ("7", "7"),
        ("!", "!"),
        ("\r", "enter"),
        ("\n", "enter"),
        ("\x1b", "escape"),
        ("\x7f", "backspace"),
        ("\x08", "backspace"),
        ("\x01", None),
        ("\t", None),
    ],
)
def test_key_name(char: str, key: str | None) -> None:
    assert key_name(char) == key


@pytest.mark.parametrize(
    ("line", "keys"),
    [
        ("q\n", ["q"]),  # the newline must not answer the quit prompt
        ("7\n", ["7", "enter"]),  # a number is a pain score: submitted
        ("10\n", ["1", "0", "enter"]),
        ("\n", ["enter"]),
        (" \n", [" "]),
        ("p\r\n", ["p"]),
    ],
)
def test_map_line(line: str, keys: list[str]) -> None:
    assert map_line(line) == keys


# --- without a TTY ----------------------------------------------------------------------


def test_a_pipe_is_read_a_line_at_a_time() -> None:
    read_end, write_end = os.pipe()
    os.write(write_end, b"p\n7\nq")
    os.close(write_end)
    with os.fdopen(read_end) as stream, KeyReader(stream) as keys:
        assert not keys.interactive
        got = [keys.read(0.5) for _ in range(4)]
        assert got == ["p", "7", "enter", "q"]  # the last, unterminated line at EOF too
        started = time.monotonic()
        assert keys.read(0.2) is None
        assert time.monotonic() - started >= 0.15  # waits at EOF instead of spinning


def test_a_pipe_with_nothing_yet_times_out() -> None:
    read_end, write_end = os.pipe()
    try:
        keys = KeyReader(read_end)
        started = time.monotonic()
        assert keys.read(0.1) is None
        assert time.monotonic() - started >= 0.09
    finally:
        os.close(read_end)
        os.close(write_end)


def test_no_usable_stdin_just_waits() -> None:
    with KeyReader(io.StringIO("ignored")) as keys:  # no file descriptor behind it
        started = time.monotonic()
        assert keys.read(0.1) is None
        assert time.monotonic() - started >= 0.09


# --- with a pseudo-terminal -------------------------------------------------------------


@pytest.fixture
def tty_pair():
    master, slave = pty.openpty()
    yield master, slave
    os.close(master)
    os.close(slave)


def test_cbreak_inside_and_restored_after(tty_pair: tuple[int, int]) -> None:
    master, slave = tty_pair
    before = termios.tcgetattr(slave)
    with KeyReader(slave, handle_signals=False) as keys:
        inside = termios.tcgetattr(slave)
        assert not inside[3] & termios.ICANON and not inside[3] & termios.ECHO
        os.write(master, b"n")
        assert keys.read(1.0) == "n"  # a single key, no Enter needed
    assert termios.tcgetattr(slave) == before


def test_restored_after_an_exception(tty_pair: tuple[int, int]) -> None:
    _master, slave = tty_pair
    before = termios.tcgetattr(slave)
    with pytest.raises(KeyboardInterrupt), KeyReader(slave, handle_signals=False):
        raise KeyboardInterrupt
    assert termios.tcgetattr(slave) == before


def test_special_keys_on_a_tty(tty_pair: tuple[int, int]) -> None:
    master, slave = tty_pair
    with KeyReader(slave, handle_signals=False) as keys:
        os.write(master, b"\x1b")
        assert keys.read(1.0) == "escape"
        os.write(master, b"\x1b[A\x1bOB ")  # arrow keys are swallowed whole
        assert keys.read(1.0) == " "
        os.write(master, b"7\r")
        assert [keys.read(1.0), keys.read(1.0)] == ["7", "enter"]
        assert keys.read(0.05) is None


def test_a_window_resize_wakes_the_reader_at_once(tty_pair: tuple[int, int]) -> None:
    master, slave = tty_pair
    with KeyReader(slave) as keys:
        started = time.monotonic()
        os.kill(os.getpid(), signal.SIGWINCH)
        assert keys.read(5.0) == "resize"
        assert time.monotonic() - started < 1.0
        os.write(master, b"q")
        assert keys.read(1.0) == "q"  # keys still come through after it
    assert signal.getsignal(signal.SIGWINCH) == signal.SIG_DFL  # the handler is gone again


SIGNAL_CHILD = textwrap.dedent(
    """
    from heelcoach.frontends.live.terminal import KeyReader
    with KeyReader() as keys:
        print("ready", flush=True)
        while True:
            keys.read(1.0)
    """
)


@pytest.mark.parametrize("signum", [signal.SIGHUP, signal.SIGTERM])
def test_restored_when_killed_by_hangup_or_terminate(
    tty_pair: tuple[int, int], signum: int
) -> None:
    _master, slave = tty_pair
    before = termios.tcgetattr(slave)
    child = subprocess.Popen(
        [sys.executable, "-c", SIGNAL_CHILD],
        stdin=slave,
        stdout=subprocess.PIPE,
        env=CHILD_ENV,
        text=True,
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "ready"
        assert not termios.tcgetattr(slave)[3] & termios.ICANON  # cbreak while running
        child.send_signal(signum)
        assert child.wait(timeout=10) == 128 + signum
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert termios.tcgetattr(slave) == before


SESSION_CHILD = textwrap.dedent(
    """
    import termios
    from heelcoach.frontends.live.runner import run_session
    from heelcoach.content.model import Phase
    from heelcoach.domain.session.model import SessionItem
    item = SessionItem("heel-drop", "Heel drop", 2, 2, None, False, "a wall",
                       (Phase("Rise", 2.0, "Up"), Phase("Lower", 3.0, "Down")),
                       ("Stand tall",), ("Bouncing",), 30)
    before = termios.tcgetattr(0)
    outcome = run_session([item], on_set_finished=lambda s: print("SAVED", s.reps), speed=10.0,
                          position_seconds=1.0)
    print("RESULT", outcome.reason, termios.tcgetattr(0) == before, flush=True)
    """
)


def spawn_session() -> pexpect.spawn:
    env = {**CHILD_ENV, "TERM": "xterm-256color"}
    # Ctrl-C can land in the middle of a frame's write, cutting a block character in two.
    child = pexpect.spawn(
        sys.executable,
        ["-c", SESSION_CHILD],
        env=env,
        timeout=20,
        dimensions=(24, 80),
        encoding="utf-8",
        codec_errors="replace",
    )
    child.expect("Heel drop")  # the full screen is up
    return child


@pytest.mark.pty
def test_a_live_session_in_a_real_terminal_quits_and_restores_it() -> None:
    child = spawn_session()
    time.sleep(0.3)
    child.send("q")
    child.expect("Quit the session")
    child.send("y")
    child.expect(r"RESULT quit True")
    child.expect(pexpect.EOF)


@pytest.mark.pty
def test_ctrl_c_in_a_real_terminal_restores_it() -> None:
    child = spawn_session()
    child.expect("SAVED 2")  # set 1 committed (2 reps x 5 s at speed 10 = 1 s + position)
    child.sendintr()
    child.expect(r"RESULT interrupted True")
    child.expect(pexpect.EOF)
