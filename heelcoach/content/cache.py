"""Where the content lives, and its validated JSON cache.

Parsing the YAML costs several times what reading JSON does (time it with and without
`HEELCOACH_CACHE_DIR=""`, which turns the cache off), so the validated documents are
cached as JSON, keyed on every source file's path, size, mtime and a CRC of its bytes: a
changed file is always re-read. Each install keeps its own file in the cache folder, so
two installs sharing one cache folder never evict each other's entries.
"""

from __future__ import annotations

import contextlib
import json
import zlib
from functools import cache
from pathlib import Path
from typing import Any

from heelcoach.errors import BadInput, HeelcoachError, Refused
from heelcoach.files import check_folder, write_private_text
from heelcoach.reader import YAML_MAX_BYTES, ReadError, parse_json, read_bytes, read_text

CACHE_FORMAT = 7  # bump when the cached shape changes
CACHE_MAX_BYTES = 16 * 1024 * 1024  # the cache of the bundled content is about 60 KB
CORE_FILES = (
    "exercises.yaml",
    "rules.yaml",
    "questions.yaml",
    "programme.yaml",
    "sources.yaml",
)


class ContentError(BadInput):
    """A content file is malformed or unreadable; the message names file, line and path."""


def cache_path(folder: Path | None, user_dir: Path) -> Path | None:
    """This install's entry in the cache folder (None: no cache), named after where the
    content and the person's own exercises live."""
    if folder is None:
        return None
    where = f"{content_dir()}\0{user_dir.absolute()}".encode("utf-8", "surrogateescape")
    return folder / f"content-{zlib.crc32(where):08x}.json"


@cache  # asked for every content file: resolving the path each time costs system calls
def content_dir() -> Path:
    """Bundled content: inside the package when installed, beside it in a checkout."""
    here = Path(__file__).resolve().parent
    bundled = here / "data"
    return bundled if bundled.is_dir() else here.parent.parent / "content"


def source_files(user_dir: Path) -> list[Path]:
    """The core content files, then the user's own exercise files in name order."""
    try:
        # `iterdir`, not `glob`: glob reads an unreadable folder as an empty one.
        mine = user_dir.iterdir() if user_dir.is_dir() else ()
        user_files = sorted(file for file in mine if file.suffix == ".yaml")
    except PermissionError:
        raise Refused(
            f"cannot read your own exercises in {user_dir}: permission denied; make the"
            " folder readable by you"
        ) from None
    return [content_dir() / name for name in CORE_FILES] + user_files


def fingerprint(files: list[Path]) -> list[Any]:
    """Path, mtime, size and a CRC of each file, in the shape JSON gives back.

    The CRC catches an edit that keeps the size within one timestamp tick (coarse on some
    file systems); reading a few small files costs little next to parsing them.
    """
    stamp: list[Any] = [CACHE_FORMAT]
    for file in files:
        # Regular files of a sane size only: a FIFO or /dev/zero named *.yaml in the
        # exercises folder is refused here, before any parsing.
        try:
            data = read_bytes(file, YAML_MAX_BYTES, "a content file")
            info = file.stat()
        except ReadError as error:
            raise ContentError(str(error)) from None
        except OSError as error:
            raise ContentError(f"{file}: cannot read: {error.strerror}") from None
        stamp.append([str(file), info.st_mtime_ns, info.st_size, zlib.crc32(data)])
    return stamp


def read_cache(path: Path | None, key: list[Any]) -> Any:
    """The validated documents cached for exactly `key`, or None to rebuild: whatever is
    wrong with the file means None, and every field is checked again as the library is
    built."""
    if path is None:
        return None
    try:
        check_folder(path.parent)
        text = read_text(path, CACHE_MAX_BYTES, "the content cache")
        cached = parse_json(text, str(path))
    except HeelcoachError:
        return None
    if not isinstance(cached, dict) or cached.get("key") != key:
        return None
    return cached.get("documents")


def write_cache(path: Path | None, key: list[Any], documents: dict[str, Any]) -> None:
    """Keep validated documents for `key`."""
    if path is None:
        return
    # The cache only saves time; a full or read-only disk, or a folder others can write
    # to, must not stop the coach.
    with contextlib.suppress(OSError, HeelcoachError):
        write_private_text(path, json.dumps({"key": key, "documents": documents}))
