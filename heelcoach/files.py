"""Private files and folders: the one place that creates, writes and modes them.

heelcoach holds health data, so what it creates is owner-only (folders 0700, files 0600)
and every write lands whole or not at all (a temporary file beside the target, then
`os.replace`). Used by the store, the profile, the content cache and every output file.

A folder heelcoach did not create is never chmodded (a shared folder keeps its mode and
sticky bit); one that others can write to, or that another user owns, is refused, since
they could plant, swap or delete files in it. Temporary files get an unpredictable name
and O_EXCL|O_NOFOLLOW, so a file or link planted beside the target can neither receive
nor redirect the data.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from heelcoach.errors import BadInput, HeelcoachError, Refused

PRIVATE_DIR_MODE = 0o700  # the data is about a person's health
PRIVATE_FILE_MODE = 0o600
PARENT_DIR_MODE = 0o755  # folders made on the way to the data folder

# The files a data folder holds besides the history: the profile, an unfinished
# screening, preferences, a prescription.
PROFILE_FILES = ("profile.json", "screening-draft.json", "settings.json", "prescription.json")
HISTORY_NAME = "history.db"
SIDECAR_SUFFIXES = ("-wal", "-shm", "-journal")
LIVE_LOCK_NAME = "live-session.lock"  # held while a live session runs (`storage.locks`)

# `.NAME.PID.TOKEN.tmp` (and `.NAME.PID.tmp` from earlier versions): what heelcoach writes
# before moving a file into place; `forget` removes strays a killed command left behind.
TEMP_PATTERN = re.compile(r"^\..+\.[0-9]+(\.[0-9a-f]+)?\.tmp$")
_TEMP_ATTEMPTS = 20


def sidecars(path: Path) -> list[Path]:
    """The files SQLite keeps beside a database (write-ahead log, shared memory, journal)."""
    return [path.with_name(path.name + suffix) for suffix in SIDECAR_SUFFIXES]


def data_files(data_dir: Path) -> list[Path]:
    """Every file in `data_dir` that holds the person's data: never a place for output."""
    history = data_dir / HISTORY_NAME
    profile = [data_dir / name for name in PROFILE_FILES]
    return [*profile, history, *sidecars(history), data_dir / LIVE_LOCK_NAME]


def stray_temp_files(folder: Path) -> list[Path]:
    """Temporary files heelcoach left in `folder` (a command killed mid-write)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    return sorted(folder / name for name in names if TEMP_PATTERN.match(name))


# --------------------------------------------------------------------------- errors


def os_error(path: Path, error: OSError, doing: str = "write") -> Refused:
    """The one-line refusal for an OS failure at `path`."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return Refused(
            f"the disk holding {path} is full, so it was not written (what was already"
            " stored is intact); free some space and try again"
        )
    if error.errno == errno.EROFS:
        return Refused(
            f"cannot {doing} {path}: the disk is read-only; set HEELCOACH_HOME to a writable folder"
        )
    if error.errno in (errno.EACCES, errno.EPERM):
        return Refused(
            f"cannot {doing} {path}: permission denied; make it and its folder writable"
            " by you, or set HEELCOACH_HOME to another folder"
        )
    return Refused(f"cannot {doing} {path}: {error.strerror or error}")


# --------------------------------------------------------------------------- folders


def ensure_private_dir(path: Path) -> Path:
    """The folder at `path`: created 0700 when missing, checked (never chmodded) when not.

    Missing parents are created 0755. An existing folder others can write to is refused.
    """
    if _folder_stat(path) is None:
        _make_folders(path)
    else:
        check_folder(path)
    return path


def _folder_stat(path: Path) -> os.stat_result | None:
    """What `path` is, or None when nothing is there."""
    try:
        return path.stat()
    except FileNotFoundError:
        return None
    except NotADirectoryError:
        raise BadInput(f"{path} is not a folder: a part of that path is a file") from None
    except OSError as error:
        raise os_error(path, error, "use") from None


def check_folder(path: Path) -> None:
    """Refuse `path` unless it is a folder this user owns and only its owner can write to
    (or nothing is there yet).

    Ownership, not only the mode bits: the owner of a 0755 folder can still delete or
    swap every file in it."""
    info = _folder_stat(path)
    if info is None:
        return
    if not stat.S_ISDIR(info.st_mode):
        raise BadInput(f"{path} is not a folder; set HEELCOACH_HOME to a folder")
    if info.st_uid != os.geteuid():
        raise Refused(
            f"the folder {path} belongs to another user (uid {info.st_uid}), who could read,"
            " replace or delete your health data there; set HEELCOACH_HOME to a folder of"
            " your own (heelcoach makes it 0700)"
        )
    if info.st_mode & 0o022:
        raise Refused(
            f"the folder {path} can be written by others (mode"
            f" {stat.S_IMODE(info.st_mode):04o}), so your health data would not be private"
            " there; set HEELCOACH_HOME to a folder of your own (heelcoach makes it 0700)"
        )


def _make_folders(path: Path) -> None:
    missing: list[Path] = []
    probe = path
    while not probe.exists():
        if probe.is_symlink():  # a dangling link: do not create where it points
            raise BadInput(f"{probe} is a link to nothing; point it at a folder or remove it")
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    if probe.exists() and not probe.is_dir():
        raise BadInput(f"{probe} is not a folder: a part of {path} is a file")
    for folder in reversed(missing):
        mode = PRIVATE_DIR_MODE if folder == path else PARENT_DIR_MODE
        try:
            os.mkdir(folder, mode)
        except FileExistsError:  # another process made it first: check what it made
            check_folder(folder)
            continue
        except OSError as error:
            raise os_error(folder, error, "create") from None
        # mkdir's mode is filtered by the umask; a folder we just made gets exactly `mode`.
        os.chmod(folder, mode)


# --------------------------------------------------------------------------- writing


def create_temp(path: Path) -> tuple[int, Path]:
    """A new 0600 file beside `path` for writing: never an existing file, never a link."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    for _ in range(_TEMP_ATTEMPTS):
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(8).hex()}.tmp")
        try:
            fd = os.open(tmp, flags, PRIVATE_FILE_MODE)
        except FileExistsError:
            continue  # planted, or a clash: pick another name
        os.fchmod(fd, PRIVATE_FILE_MODE)  # the umask may have filtered the mode
        return fd, tmp
    raise Refused(f"could not create a temporary file beside {path}; check {path.parent}")


def _sync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (best effort: not every system allows it)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


@contextmanager
def _atomic(path: Path) -> Iterator[IO[str]]:
    """Write through a private temporary file, moved onto `path` only when complete."""
    fd, tmp = create_temp(path)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def write_private_text(path: Path, text: str) -> None:
    """Write `text` atomically to a 0600 file, so a crash never leaves half a file."""
    ensure_private_dir(path.parent)
    try:
        with _atomic(path) as handle:
            handle.write(text)
    except HeelcoachError:
        raise
    except OSError as error:
        raise os_error(path, error) from None


def same_file(one: Path, other: Path) -> bool:
    """Whether the two paths name one file (through links or a hard link); not when either
    is missing."""
    try:
        return os.path.samefile(one, other)
    except OSError:
        return False


def check_output(target: Path, data_dir: Path, option: str, *, special_ok: bool = False) -> None:
    """Refuse (`BadInput`, nothing written) an output `target` for `option`: a link (whoever
    planted it chose where the health data goes), anything in or resolving to the data
    folder's files, a folder, and unless `special_ok` (events may go to a FIFO), anything
    not a regular file."""

    def refuse(problem: str) -> BadInput:
        return BadInput(f"{option}: {problem}")

    if os.path.islink(target):
        raise refuse(
            f"{target} is a link; heelcoach never writes health data through a link:"
            " remove it or choose another file name"
        )
    resolved = Path(os.path.realpath(target))
    if resolved.is_relative_to(os.path.realpath(data_dir)):
        raise refuse(
            f"{target} is inside your data folder ({data_dir}), which holds only heelcoach's"
            " own files: choose a file elsewhere"
        )
    for data in data_files(data_dir):
        real = Path(os.path.realpath(data))
        same = resolved == real or (
            resolved.parent == real.parent and resolved.name.startswith(f".{real.name}.")
        )
        if same or same_file(target, data):
            raise refuse(
                f"{target} is your data ({data.name} in {data.parent}); writing there would"
                " destroy it: choose another file name"
            )
    try:
        info = os.stat(target)
    except FileNotFoundError:
        if not target.parent.is_dir():
            raise refuse(f"cannot write {target}: no such folder {target.parent}") from None
        return
    except OSError as error:
        raise refuse(f"cannot write {target}: {error.strerror}") from None
    if stat.S_ISDIR(info.st_mode):
        raise refuse(f"{target} is a folder; give a file name")
    if not special_ok and not stat.S_ISREG(info.st_mode):
        raise refuse(f"{target} is not a regular file; leave out the option to write to the screen")


@contextmanager
def open_output(target: Path, data_dir: Path, option: str) -> Iterator[IO[str]]:
    """A new private (0600) output file at `target`, in place only once complete: an
    earlier file there (whatever its mode) is replaced, never written into, and a link
    is refused (`check_output`). An output that fails part-way leaves nothing behind."""
    check_output(target, data_dir, option)
    try:
        with _atomic(target) as handle:
            yield handle
    except HeelcoachError:
        raise
    except OSError as error:
        if error.errno in (errno.ENOENT, errno.ENOTDIR, errno.EISDIR):
            raise BadInput(f"{option}: cannot write {target}: {error.strerror}") from None
        raise os_error(target, error) from None


def live_output(target: Path, data_dir: Path, option: str) -> int:
    """A descriptor for an output written as it happens (`--events`, `--record`): a new
    empty 0600 file put in place at once, replacing (not emptying) an earlier one so
    whoever could read that never reads the new data; a FIFO or device is written as is."""
    check_output(target, data_dir, option, special_ok=True)
    try:
        if target.exists() and not target.is_file():
            fd = os.open(target, os.O_WRONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC)
            os.set_blocking(fd, True)
            return fd
        fd, tmp = create_temp(target)
        os.replace(tmp, target)
    except OSError as error:
        raise BadInput(f"{option}: cannot write {target}: {error.strerror}") from None
    return fd


def open_live_output(target: Path, data_dir: Path, option: str) -> IO[str]:
    """`live_output` as a text stream."""
    return os.fdopen(live_output(target, data_dir, option), "w", encoding="utf-8")
