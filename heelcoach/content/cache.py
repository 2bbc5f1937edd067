"""Where the content lives, its validated JSON cache, and the exercise facts fast paths need.

`content.loader` parses and validates the YAML into frozen dataclasses, which costs tens of
milliseconds of parsing and class creation. `heelcoach log` only needs an exercise's name,
how it is counted and whether it is one-sided, so it reads those facts straight from the
cache `content.loader` writes after a full validation, and falls back to that full load when the
cache is missing or stale. The cache is keyed on every source file's path, size, mtime
and a CRC of its bytes, so a changed file is always re-read and re-validated.
"""

from __future__ import annotations

import contextlib
import json
import zlib
from pathlib import Path
from typing import Any

from heelcoach.content.model import MEASURES, ExerciseFacts
from heelcoach.content.reader import YAML_MAX_BYTES, ReadError, read_bytes, read_json
from heelcoach.errors import BadInput, HeelcoachError, Refused, unknown_id
from heelcoach.files import check_folder, write_private_text

CACHE_FORMAT = 6  # bump when the cached shape changes
CACHE_MAX_BYTES = 16 * 1024 * 1024  # the cache of the bundled content is about 60 KB
CORE_FILES = (
    "exercises.yaml", "rules.yaml", "questions.yaml", "programme.yaml", "sources.yaml",
)  # fmt: skip


class ContentError(BadInput):
    """A content file is malformed or unreadable; the message names file, line and path."""


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


def read_cache(cache: Path | None, key: list[Any]) -> dict[str, Any] | None:
    """The cached validated documents for exactly these files, or None to rebuild.

    Whatever is wrong with the cache (unreadable, damaged, a key given twice, the wrong
    shape, a folder others can write to) means None: the cache only saves time.
    """
    if cache is None:
        return None
    try:
        check_folder(cache.parent)
        cached = read_json(cache, max_bytes=CACHE_MAX_BYTES, what="the content cache")
    except HeelcoachError:
        return None
    if not isinstance(cached, dict) or cached.get("key") != key:
        return None
    documents = cached.get("documents")
    if not isinstance(documents, dict):
        return None
    core, user = documents.get("core"), documents.get("user")
    if not isinstance(core, dict) or not isinstance(user, dict):
        return None
    return documents


def write_cache(cache: Path | None, key: list[Any], documents: dict[str, Any]) -> None:
    if cache is None:
        return
    # The cache only saves time; a full or read-only disk, or a folder others can write
    # to, must not stop the coach.
    with contextlib.suppress(OSError, HeelcoachError):
        write_private_text(cache, json.dumps({"key": key, "documents": documents}))


def discard_cache(cache: Path | None) -> None:
    """Remove a cache that does not validate, so the next command rebuilds it."""
    if cache is not None:
        with contextlib.suppress(OSError):
            cache.unlink()


def exercise_facts(user_dir: Path, cache: Path | None) -> dict[str, ExerciseFacts]:
    """Every exercise's facts, from the cache when it is fresh, else from a full load."""
    files = source_files(user_dir)
    documents = read_cache(cache, fingerprint(files))
    facts = _facts_from(documents) if documents is not None else None
    if facts is None:
        from heelcoach.content.loader import load_library

        # A missing, stale or damaged cache: the full load validates and rewrites it.
        return {
            e.id: ExerciseFacts(e.id, e.name, e.measure, e.per_side)
            for e in load_library(user_dir, cache).exercises.values()
        }
    return facts


def _facts_from(documents: dict[str, Any]) -> dict[str, ExerciseFacts] | None:
    """The facts the cached documents give, or None when they do not have the right shape."""
    try:
        raw = list(documents["core"]["exercises.yaml"]["exercises"])
        for user_document in documents["user"].values():
            raw.extend(user_document["exercises"])
        facts = {}
        for entry in raw:
            exercise_id, name = entry["id"].strip(), entry["name"].strip()
            measure, per_side = entry["measure"], entry["per_side"]
            if not exercise_id or not name or measure not in MEASURES:
                return None
            if not isinstance(per_side, bool) or exercise_id in facts:
                return None
            facts[exercise_id] = ExerciseFacts(exercise_id, name, measure, per_side)
    except (KeyError, TypeError, AttributeError):
        return None
    return facts


def find_exercise(facts: dict[str, ExerciseFacts], exercise_id: str) -> ExerciseFacts:
    """One exercise's facts, or BadInput with close matches when the id is unknown."""
    if exercise_id not in facts:
        raise unknown_id("exercise", exercise_id, list(facts))
    return facts[exercise_id]


def rule_words(user_dir: Path, cache: Path | None) -> dict[str, tuple[str, str]]:
    """Every rule's reason and advice, from the cache when it is fresh, else a full load."""
    documents = read_cache(cache, fingerprint(source_files(user_dir)))
    words = _rule_words_from(documents) if documents is not None else None
    if words is None:  # missing, stale or damaged: the full load validates and rewrites it
        from heelcoach.content.loader import load_library

        rules = load_library(user_dir, cache).rules.values()
        return {rule.id: (rule.reason, rule.advice) for rule in rules}
    return words


def _rule_words_from(documents: dict[str, Any]) -> dict[str, tuple[str, str]] | None:
    try:
        raw = documents["core"]["rules.yaml"]["rules"]
        return {entry["id"].strip(): (" ".join(entry["reason"].split()), " ".join(
            entry["advice"].split())) for entry in raw}  # fmt: skip
    except (KeyError, TypeError, AttributeError):
        return None
