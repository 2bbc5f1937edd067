"""Private files and folders: the one place that creates, writes and modes them.

heelcoach holds health data, so what it creates is owner-only (folders 0700, files 0600)
and every write lands whole or not at all (a temporary file beside the target, then
`os.replace`). Used by the store, the profile, the content cache and every output file.
"""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_DIR_MODE = 0o700  # the data is about a person's health
PRIVATE_FILE_MODE = 0o600


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
