"""Where the content lives, and its validated JSON cache.

`content.loader` parses and validates the YAML into the content model, which costs more
than reading JSON: about a quarter of `log`'s start-up (time it with and without
`HEELCOACH_CACHE_DIR=""`, which turns the cache off). So the validated documents are
cached as JSON, keyed on every source file's path, size, mtime and a CRC of its bytes: a
changed file is always re-read and re-validated.

Each install keeps its own file in the cache folder (`content-SLOT.json`, the slot named
after where the content and the person's own exercises live), so two installs sharing one
cache folder never evict each other's entries.
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
from heelcoach.reader import YAML_MAX_BYTES, ReadError, read_bytes, read_json

CACHE_FORMAT = 7  # bump when the cached shape changes
CACHE_MAX_BYTES = 16 * 1024 * 1024  # the cache of the bundled content is about 60 KB
CORE_FILES = (
    "exercises.yaml",
    "rules.yaml",
    "questions.yaml",
    "programme.yaml",
    "sources.yaml",
)
LEGACY_CACHE = "content.json"  # the single entry earlier versions kept


class ContentError(BadInput):
    """A content file is malformed or unreadable; the message names file, line and path."""


class CacheFiles:
    """This install's entry in the cache folder: the validated documents."""

    __slots__ = ("documents",)

    def __init__(self, folder: Path, user_dir: Path) -> None:
        where = f"{content_dir()}\0{user_dir.absolute()}".encode("utf-8", "surrogateescape")
        slot = f"{zlib.crc32(where):08x}"
        self.documents = folder / f"content-{slot}.json"


def cache_files(folder: Path | None, user_dir: Path) -> CacheFiles | None:
    """The entries for this install and these exercises in `folder` (None: no cache)."""
    return None if folder is None else CacheFiles(folder, user_dir)


@cache  # asked for every content file: resolving the path each time costs system calls
def content_dir() -> Path:
    """Bundled content: inside the package when installed, beside it in a checkout."""
    here = Path(__file__).resolve().parent
    bundled = here / "data"
    return bundled if bundled.is_dir() else here.parent.parent / "content"


def source_files(user_dir: Path) -> list[Path]:
    """The core content files, then the user's own exercise files in name order."""
    try:
        user_files = sorted(user_dir.glob("*.yaml")) if user_dir.is_dir() else []
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


def _read_entry(path: Path | None, key: list[Any], part: str) -> Any:
    """The `part` of a cache entry written for exactly `key`, or None to rebuild.

    Whatever is wrong with the file (unreadable, damaged, a key given twice, another key,
    a folder others can write to) means None: the cache only saves time.
    """
    if path is None:
        return None
    try:
        check_folder(path.parent)
        cached = read_json(path, max_bytes=CACHE_MAX_BYTES, what="the content cache")
    except HeelcoachError:
        return None
    if not isinstance(cached, dict) or cached.get("key") != key:
        return None
    return cached.get(part)


def read_cache(cache: CacheFiles | None, key: list[Any]) -> dict[str, Any] | None:
    """The cached validated documents for exactly these files, or None to rebuild."""
    documents = _read_entry(cache.documents if cache else None, key, "documents")
    if not isinstance(documents, dict):
        return None
    core, user = documents.get("core"), documents.get("user")
    if not isinstance(core, dict) or not isinstance(user, dict):
        return None
    return documents


def write_cache(cache: CacheFiles | None, key: list[Any], documents: dict[str, Any]) -> None:
    """Keep validated documents for `key`."""
    if cache is None:
        return
    # The cache only saves time; a full or read-only disk, or a folder others can write
    # to, must not stop the coach.
    with contextlib.suppress(OSError, HeelcoachError):
        write_private_text(cache.documents, json.dumps({"key": key, "documents": documents}))
        (cache.documents.parent / LEGACY_CACHE).unlink(missing_ok=True)


def discard_cache(cache: CacheFiles | None) -> None:
    """Remove a cache that does not validate, so the next command rebuilds it."""
    if cache is not None:
        with contextlib.suppress(OSError):
            cache.documents.unlink()
