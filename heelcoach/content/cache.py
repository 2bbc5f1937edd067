"""Where the content lives, its validated JSON cache, and the exercise facts fast paths need.

`content.loader` parses and validates the YAML into the content model, which costs tens
of milliseconds of parsing. So the validated documents are cached as JSON, keyed on every
source file's path, size, mtime and a CRC of its bytes: a changed file is always re-read
and re-validated. Beside them, a small facts file gives what `heelcoach log` needs of each
exercise (its name, how it is counted, whether it is one-sided), so `log` reads a few
kilobytes instead of the whole library; it falls back to the full load when either file is
missing or stale.

Each install keeps its own pair of files in the cache folder (`content-SLOT.json`,
`facts-SLOT.json`, the slot named after where the content and the person's own exercises
live), so two installs sharing one cache folder never evict each other's entries.
"""

from __future__ import annotations

import contextlib
import json
import zlib
from functools import cache
from pathlib import Path
from typing import Any

from heelcoach.content.facts import MEASURES, ExerciseFacts
from heelcoach.content.reader import YAML_MAX_BYTES, ReadError, read_bytes, read_json
from heelcoach.errors import BadInput, HeelcoachError, Refused, unknown_id
from heelcoach.files import check_folder, write_private_text

CACHE_FORMAT = 7  # bump when the cached shape changes
CACHE_MAX_BYTES = 16 * 1024 * 1024  # the cache of the bundled content is about 60 KB
CORE_FILES = (
    "exercises.yaml", "rules.yaml", "questions.yaml", "programme.yaml", "sources.yaml",
)  # fmt: skip
LEGACY_CACHE = "content.json"  # the single entry earlier versions kept


class ContentError(BadInput):
    """A content file is malformed or unreadable; the message names file, line and path."""


class CacheFiles:
    """This install's entries in the cache folder: the validated documents and the facts."""

    __slots__ = ("documents", "facts")

    def __init__(self, folder: Path, user_dir: Path) -> None:
        where = f"{content_dir()}\0{user_dir.absolute()}".encode("utf-8", "surrogateescape")
        slot = f"{zlib.crc32(where):08x}"
        self.documents = folder / f"content-{slot}.json"
        self.facts = folder / f"facts-{slot}.json"


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
    file systems); reading a few small files costs well under a millisecond.
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
    """Keep validated documents, and the facts the fast paths read, for `key`."""
    if cache is None:
        return
    # The cache only saves time; a full or read-only disk, or a folder others can write
    # to, must not stop the coach.
    with contextlib.suppress(OSError, HeelcoachError):
        write_private_text(cache.documents, json.dumps({"key": key, "documents": documents}))
        (cache.documents.parent / LEGACY_CACHE).unlink(missing_ok=True)
    facts = _facts_from(documents)
    if facts is not None:
        _write_facts(cache, key, facts)


def _write_facts(cache: CacheFiles | None, key: list[Any], facts: dict[str, ExerciseFacts]) -> None:
    if cache is not None:
        rows = [list(fact) for fact in facts.values()]
        with contextlib.suppress(OSError, HeelcoachError):
            write_private_text(cache.facts, json.dumps({"key": key, "facts": rows}))


def discard_cache(cache: CacheFiles | None) -> None:
    """Remove a cache that does not validate, so the next command rebuilds it."""
    if cache is not None:
        for path in (cache.documents, cache.facts):
            with contextlib.suppress(OSError):
                path.unlink()


def exercise_facts(user_dir: Path, cache_dir: Path | None) -> dict[str, ExerciseFacts]:
    """Every exercise's facts, from the cache when it is fresh, else from a full load."""
    key = fingerprint(source_files(user_dir))  # read once: the facts go under this key
    cache = cache_files(cache_dir, user_dir)
    facts = _facts_rows(_read_entry(cache.facts if cache else None, key, "facts"))
    if facts is None:
        from heelcoach.content.loader import load_library

        # A missing, stale or damaged cache: the full load validates (and rewrites) it.
        facts = {
            e.id: ExerciseFacts(e.id, e.name, e.measure, e.per_side)
            for e in load_library(user_dir, cache_dir).exercises.values()
        }
        _write_facts(cache, key, facts)
    return facts


def _facts_rows(rows: Any) -> dict[str, ExerciseFacts] | None:
    """The facts a facts file holds, or None when they do not have the right shape."""
    if not isinstance(rows, list):
        return None
    facts = {}
    for row in rows:
        if not isinstance(row, list) or len(row) != 4:
            return None
        exercise_id, name, measure, per_side = row
        if not isinstance(exercise_id, str) or not isinstance(name, str):
            return None
        if not exercise_id or not name:
            return None
        if measure not in MEASURES or not isinstance(per_side, bool) or exercise_id in facts:
            return None
        facts[exercise_id] = ExerciseFacts(exercise_id, name, measure, per_side)
    return facts or None


def _facts_from(documents: dict[str, Any]) -> dict[str, ExerciseFacts] | None:
    """The facts the validated documents give, or None when they do not have the shape."""
    try:
        raw = list(documents["core"]["exercises.yaml"]["exercises"])
        for user_document in documents["user"].values():
            raw.extend(user_document["exercises"])
        rows = [[e["id"].strip(), e["name"].strip(), e["measure"], e["per_side"]] for e in raw]
    except (KeyError, TypeError, AttributeError):
        return None
    return _facts_rows(rows)


def find_exercise(facts: dict[str, ExerciseFacts], exercise_id: str) -> ExerciseFacts:
    """One exercise's facts, or BadInput with close matches when the id is unknown."""
    if exercise_id not in facts:
        raise unknown_id("exercise", exercise_id, list(facts))
    return facts[exercise_id]


def rule_words(user_dir: Path, cache_dir: Path | None) -> dict[str, tuple[str, str]]:
    """Every rule's reason and advice, from the cache when it is fresh, else a full load."""
    documents = read_cache(cache_files(cache_dir, user_dir), fingerprint(source_files(user_dir)))
    words = _rule_words_from(documents) if documents is not None else None
    if words is None:  # missing, stale or damaged: the full load validates and rewrites it
        from heelcoach.content.loader import load_library

        rules = load_library(user_dir, cache_dir).rules.values()
        return {rule.id: (rule.reason, rule.advice) for rule in rules}
    return words


def _rule_words_from(documents: dict[str, Any]) -> dict[str, tuple[str, str]] | None:
    try:
        raw = documents["core"]["rules.yaml"]["rules"]
        return {entry["id"].strip(): (" ".join(entry["reason"].split()), " ".join(
            entry["advice"].split())) for entry in raw}  # fmt: skip
    except (KeyError, TypeError, AttributeError):
        return None
