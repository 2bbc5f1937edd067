"""The world one command runs in: streams, terminal facts, folders, and the clock.

Built once per command and handed to every service and renderer: nothing below the
command line reads `sys.stdout`, `os.environ` or `date.today()` itself, so a test swaps the
whole world at once. A plain class with `__slots__`, not a dataclass: it is on every
command's start-up path, where a dataclass's class creation costs more than it can spare.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any, TextIO

import platformdirs

from heelcoach.errors import Refused

HOME_ENV = "HEELCOACH_HOME"
CACHE_ENV = "HEELCOACH_CACHE_DIR"
DEBUG_ENV = "HEELCOACH_DEBUG"


def _local_now() -> datetime:
    return datetime.now().astimezone()


# No date heelcoach keeps can be earlier: a clock that reads one is wrong, and every date
# checked against it (a profile's first day, a set's day) would look damaged.
EARLIEST_TODAY = date(2000, 1, 1)


class Context:
    """Streams, terminal facts, data and cache folders, and today/now for one command."""

    __slots__ = (
        "_folder_checked",
        "_now",
        "_today",
        "as_of",
        "cache_dir",
        "data_dir",
        "done",
        "env",
        "sleep",
        "stderr",
        "stdin",
        "stdin_isatty",
        "stdout",
        "stdout_isatty",
    )

    def __init__(
        self,
        *,
        stdin: TextIO,
        stdout: TextIO,
        stderr: TextIO,
        stdin_isatty: bool,
        stdout_isatty: bool,
        env: Mapping[str, str],
        data_dir: Path,
        cache_dir: Path | None,
        now: Callable[[], datetime] = _local_now,
        sleep: Callable[[float], None] = time.sleep,
        as_of: date | None = None,
    ) -> None:
        self.stdin, self.stdout, self.stderr = stdin, stdout, stderr
        self.stdin_isatty, self.stdout_isatty = stdin_isatty, stdout_isatty
        self.env = env
        self.data_dir = data_dir
        self.cache_dir = cache_dir  # None: no content cache (HEELCOACH_CACHE_DIR="")
        self._now = now
        self.sleep = sleep  # a guided test's countdown; tests pass one that does not wait
        self.as_of = as_of  # `--as-of DATE`: the command runs as on that day
        self._folder_checked = False
        self._today: date | None = None
        # What this command has changed in the data, as a sentence ("Saved 1 set ..."): if
        # its output then cannot be written, the error says so, so it is not run twice.
        self.done = ""

    @classmethod
    def from_environment(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> Context:
        """The process's streams, environment and clock; `env` and `overrides` (any other
        field) replace them."""
        env = os.environ if env is None else env
        fields: dict[str, Any] = {
            "stdin": sys.stdin,
            "stdout": sys.stdout,
            "stderr": sys.stderr,
            "stdin_isatty": _isatty(sys.stdin),
            "stdout_isatty": _isatty(sys.stdout),
            "env": env,
            "data_dir": _data_dir(env),
            "cache_dir": _cache_dir(env),
        }
        return cls(**{**fields, **overrides})

    @property
    def interactive(self) -> bool:
        """Someone can answer questions: both ends of the conversation are a terminal."""
        return self.stdin_isatty and self.stdout_isatty

    @property
    def colour(self) -> bool:
        """Colour and emphasis are wanted: a terminal, and NO_COLOR is not set."""
        return self.stdout_isatty and not self.env.get("NO_COLOR")

    @property
    def debug(self) -> bool:
        return bool(self.env.get(DEBUG_ENV))

    def now(self) -> datetime:
        """Now, timezone-aware in the local zone; with `as_of`, this time of day on that
        day, so every command replays that day as it would have run."""
        real = self._clock()
        return real if self.as_of is None else datetime.combine(self.as_of, real.timetz())

    def _clock(self) -> datetime:
        """The machine's clock; `Refused` when it cannot be read."""
        try:
            return self._now()
        except (OverflowError, OSError) as error:  # Python's clock ends in April 2262
            raise Refused(
                "the system clock reads a date heelcoach cannot work with (past the year"
                f" 2262: {error}); set the clock to the right date and time"
            ) from None

    @property
    def today(self) -> date:
        """The one rule for "today": the day `as_of` names when the command runs as on
        another day, else `real_today()`."""
        return self.as_of if self.as_of is not None else self.real_today()

    def real_today(self) -> date:
        """The local date of this machine's clock when the command began (`app.run`
        reads it first), whatever `as_of` says: a command that runs past midnight keeps
        the day it started on, and every part of it agrees."""
        if self._today is None:
            today = self._clock().date()
            if today < EARLIEST_TODAY:
                raise Refused(
                    f"the system clock reads {today.isoformat()}, which cannot be right; set"
                    " the clock to the right date and time (your data is unchanged)"
                )
            self._today = today
        return self._today

    def _data(self) -> Path:
        """The data folder, checked the first time a command reaches for a file in it:
        one another user owns or others can write to is refused before anything in it is
        read (`files.check_folder`), since its files could have been planted or swapped."""
        if not self._folder_checked:
            from heelcoach.files import check_folder

            check_folder(self.data_dir)
            self._folder_checked = True
        return self.data_dir

    @property
    def profile_path(self) -> Path:
        return self._data() / "profile.json"

    @property
    def history_path(self) -> Path:
        return self._data() / "history.db"

    @property
    def draft_path(self) -> Path:
        """An unfinished screening's answers, kept across Ctrl-C."""
        return self._data() / "screening-draft.json"

    @property
    def settings_path(self) -> Path:
        return self._data() / "settings.json"

    @property
    def prescription_path(self) -> Path:
        return self._data() / "prescription.json"

    @property
    def user_exercises_dir(self) -> Path:
        return self._data() / "exercises"


APP_NAME = "heelcoach"  # the folder name under the platform's user data and cache folders


def _isatty(stream: TextIO | None) -> bool:
    try:
        return bool(stream is not None and stream.isatty())
    except (AttributeError, ValueError, OSError):  # a closed or replaced stream
        return False


def _data_dir(env: Mapping[str, str]) -> Path:
    """`HEELCOACH_HOME` if set, else the platform's user data folder."""
    override = env.get(HOME_ENV)
    if override:
        return Path(override).expanduser()
    return platformdirs.user_data_path(APP_NAME)


def _cache_dir(env: Mapping[str, str]) -> Path | None:
    """`HEELCOACH_CACHE_DIR` (empty: no cache), else the platform's user cache folder."""
    override = env.get(CACHE_ENV)
    if override is not None:
        return Path(override) if override else None
    return platformdirs.user_cache_path(APP_NAME)
