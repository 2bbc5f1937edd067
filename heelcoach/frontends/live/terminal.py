"""Key presses from a POSIX terminal, which is given back intact on every way out, signals
included: a shell left without echo is worse than a crashed coach. Other input (a pipe,
a file) is read a line at a time."""

from __future__ import annotations

import codecs
import contextlib
import os
import select
import signal
import sys
import termios
import threading
import time
import tty
from collections import deque
from types import FrameType
from typing import IO, Any

from heelcoach.domain.text import is_whole_number
from heelcoach.frontends.live.controls import ENTER, RESIZE, key_name

ESCAPE_WAIT = 0.03  # the bytes of an arrow-key sequence arrive together; a lone Esc doesn't
_READ_CHUNK = 1024
_EXIT_SIGNALS = (signal.SIGHUP, signal.SIGTERM)


def map_line(line: str) -> list[str]:
    """Keys from a piped line: a number is submitted (pain), an empty line is Enter."""
    text = line.rstrip("\r\n")
    if not text:
        return [ENTER]
    keys = [key for key in map(key_name, text) if key is not None]
    if is_whole_number(text.strip()):
        keys.append(ENTER)
    return keys


def _end_of_sequence(text: str, start: int) -> int:
    """Index just past an escape sequence whose body starts at `start` (after ESC [ / O)."""
    index = start
    while index < len(text) and not "\x40" <= text[index] <= "\x7e":
        index += 1
    return index + 1


def _resolve_fd(stream: IO[Any] | int | None) -> int | None:
    if isinstance(stream, int):
        return stream
    stream = sys.stdin if stream is None else stream
    try:
        return stream.fileno() if stream is not None else None
    except (AttributeError, ValueError, OSError):  # pytest's capture, closed stdin, ...
        return None


class KeyReader:
    def __init__(self, stream: IO[Any] | int | None = None, *, handle_signals: bool = True):
        self._fd = _resolve_fd(stream)
        self._handle_signals = handle_signals
        # Someone can press keys and answer questions.
        self.interactive = self._fd is not None and os.isatty(self._fd)
        self._saved: list[Any] | None = None
        self._old_handlers: dict[int, Any] = {}
        self._queue: deque[str] = deque()
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._partial_line = ""
        self._eof = self._fd is None
        self._wake: tuple[int, int] | None = None  # a self-pipe SIGWINCH writes to

    def __enter__(self) -> KeyReader:
        if self.interactive and self._fd is not None:
            self._saved = termios.tcgetattr(self._fd)
            self._install_handlers()
            tty.setcbreak(self._fd)
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.restore()
        finally:
            self._remove_handlers()

    def restore(self) -> None:
        """Put the terminal back as it was found. Safe to call twice or on a dead tty."""
        saved, self._saved = self._saved, None
        if saved is None or self._fd is None:
            return
        # TCSAFLUSH drops keys typed for the coach so they don't land in the shell; a
        # terminal that has gone away (SIGHUP) leaves nothing to restore.
        with contextlib.suppress(termios.error, OSError):
            termios.tcsetattr(self._fd, termios.TCSAFLUSH, saved)

    def read(self, timeout: float) -> str | None:
        if self._queue:
            return self._queue.popleft()
        timeout = max(0.0, timeout)
        if self._eof or self._fd is None:
            time.sleep(timeout)  # nothing to read: still wait, so callers never spin
            return None
        started = time.monotonic()
        if not self._ready(timeout):
            return None
        if self._woken():
            return RESIZE
        data = self._read_bytes()
        if not data:
            self._at_eof()
            if self._queue:  # the last line had no newline
                return self._queue.popleft()
            time.sleep(max(0.0, timeout - (time.monotonic() - started)))
            return None
        self._feed(self._decoder.decode(data))
        return self._queue.popleft() if self._queue else None

    def _ready(self, timeout: float, *, wake: bool = True) -> bool:
        assert self._fd is not None
        watched = [self._fd] if self._wake is None or not wake else [self._fd, self._wake[0]]
        try:
            readable, _, _ = select.select(watched, [], [], timeout)
        except (OSError, ValueError):  # closed or unselectable descriptor
            self._eof = True
            return False
        return bool(readable)

    def _woken(self) -> bool:
        """True (once) after the window changed size."""
        if self._wake is None:
            return False
        try:
            return bool(os.read(self._wake[0], 64))
        except BlockingIOError:
            return False

    def _read_bytes(self) -> bytes:
        assert self._fd is not None
        try:
            return os.read(self._fd, _READ_CHUNK)
        except OSError:  # EIO once the terminal hangs up
            return b""

    def _at_eof(self) -> None:
        self._eof = True
        if self._partial_line:
            self._queue.extend(map_line(self._partial_line))
            self._partial_line = ""

    def _feed(self, text: str) -> None:
        if self.interactive:
            self._feed_keys(text)
        else:
            self._feed_lines(text)

    def _feed_lines(self, text: str) -> None:
        *lines, self._partial_line = (self._partial_line + text).split("\n")
        for line in lines:
            self._queue.extend(map_line(line))

    def _feed_keys(self, text: str) -> None:
        """Queue each key; swallow escape sequences (arrows, function keys) whole."""
        index = 0
        while index < len(text):
            char = text[index]
            if char == "\x1b" and index + 1 == len(text):
                text += self._more(ESCAPE_WAIT)
            if char == "\x1b" and index + 1 < len(text) and text[index + 1] in "[O":
                index = _end_of_sequence(text, index + 2)
                continue
            key = key_name(char)
            if key is not None:
                self._queue.append(key)
            index += 1

    def _more(self, timeout: float) -> str:
        """Whatever arrives within `timeout`, to tell a lone Esc from a sequence."""
        if not self._ready(timeout, wake=False):
            return ""
        return self._decoder.decode(self._read_bytes())

    def _install_handlers(self) -> None:
        # Signal handlers can only be installed from the main thread; elsewhere the
        # `with` block's restore still covers every ordinary exit.
        if not self._handle_signals or threading.current_thread() is not threading.main_thread():
            return
        for signum in _EXIT_SIGNALS:
            self._old_handlers[signum] = signal.signal(signum, self._on_exit_signal)
        self._old_handlers[signal.SIGCONT] = signal.signal(signal.SIGCONT, self._on_continue)
        read_end, write_end = os.pipe()
        os.set_blocking(read_end, False)
        os.set_blocking(write_end, False)
        self._wake = (read_end, write_end)
        self._old_handlers[signal.SIGWINCH] = signal.signal(signal.SIGWINCH, self._on_resize)

    def _remove_handlers(self) -> None:
        handlers, self._old_handlers = self._old_handlers, {}
        for signum, handler in handlers.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
        wake, self._wake = self._wake, None
        for fd in wake or ():
            os.close(fd)

    def _on_resize(self, signum: int, frame: FrameType | None) -> None:
        if self._wake is not None:
            with contextlib.suppress(OSError):  # a full pipe already says "resized"
                os.write(self._wake[1], b"w")

    def _on_exit_signal(self, signum: int, frame: FrameType | None) -> None:
        self.restore()
        raise SystemExit(128 + signum)  # the shell convention for "killed by signal"

    def _on_continue(self, signum: int, frame: FrameType | None) -> None:
        # After Ctrl-Z and `fg` the shell has put its own mode back: switch to cbreak again.
        if self._saved is not None and self._fd is not None:
            with contextlib.suppress(termios.error, OSError):
                tty.setcbreak(self._fd)
