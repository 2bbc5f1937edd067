"""Where heelcoach keeps a person's data, and how that folder is kept private.

The location is resolved on every call, never at import, so `HEELCOACH_HOME` set by a test
or by a user moving their data takes effect immediately.
"""

from __future__ import annotations

import os
from pathlib import Path

HOME_ENV = "HEELCOACH_HOME"
PRIVATE_DIR_MODE = 0o700  # the data is about a person's health
PRIVATE_FILE_MODE = 0o600


def data_dir() -> Path:
    """The data folder: `HEELCOACH_HOME` if set, else the platform's user data folder."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs  # only paid for when no override is set

    return Path(platformdirs.user_data_path("heelcoach"))


def ensure_private_dir(path: Path) -> Path:
    """Create `path` (and parents) 0700 if needed; an existing folder loses group/other bits.

    An existing folder is never given back write permission its owner took away: a
    read-only data folder must stay read-only and fail cleanly, not be quietly reopened.
    """
    if not path.is_dir():
        path.mkdir(mode=PRIVATE_DIR_MODE, parents=True, exist_ok=True)
        path.chmod(PRIVATE_DIR_MODE)  # mkdir's mode is filtered by the umask
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        path.chmod(mode & 0o700)
    return path


def profile_path() -> Path:
    return data_dir() / "profile.json"


def history_path() -> Path:
    return data_dir() / "history.db"


def user_exercises_dir() -> Path:
    return data_dir() / "exercises"


def write_private_text(path: Path, text: str) -> None:
    """Write `text` atomically to a 0600 file, so a crash never leaves half a file."""
    ensure_private_dir(path.parent)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
