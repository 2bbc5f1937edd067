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

from heelcoach.content.model import ExerciseFacts
from heelcoach.errors import BadInput, unknown_id
from heelcoach.files import write_private_text

CACHE_FORMAT = 5  # bump when the cached shape changes
CORE_FILES = ("exercises.yaml", "rules.yaml", "questions.yaml", "programme.yaml")


class ContentError(BadInput):
    """A content file is malformed or unreadable; the message names file, line and path."""


def content_dir() -> Path:
    """Bundled content: inside the package when installed, beside it in a checkout."""
    here = Path(__file__).resolve().parent
    bundled = here / "data"
    return bundled if bundled.is_dir() else here.parent.parent / "content"


def source_files(user_dir: Path) -> list[Path]:
    """The core content files, then the user's own exercise files in name order."""
    user_files = sorted(user_dir.glob("*.yaml")) if user_dir.is_dir() else []
    return [content_dir() / name for name in CORE_FILES] + user_files


def fingerprint(files: list[Path]) -> list[Any]:
    """Path, mtime, size and a CRC of each file, in the shape JSON gives back.

    The CRC catches an edit that keeps the size within one timestamp tick (coarse on some
    file systems); reading a few small files costs well under a millisecond.
    """
    stamp: list[Any] = [CACHE_FORMAT]
    for file in files:
        try:
            info, data = file.stat(), file.read_bytes()
        except OSError as error:
            raise ContentError(f"{file}: cannot read: {error.strerror}") from None
        stamp.append([str(file), info.st_mtime_ns, info.st_size, zlib.crc32(data)])
    return stamp


def read_cache(cache: Path | None, key: list[Any]) -> dict[str, Any] | None:
    """The cached validated documents for exactly these files, or None."""
    if cache is None or not cache.is_file():
        return None
    try:
        cached = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # a damaged cache is simply rebuilt
    return cached["documents"] if isinstance(cached, dict) and cached.get("key") == key else None


def write_cache(cache: Path | None, key: list[Any], documents: dict[str, Any]) -> None:
    if cache is None:
        return
    # The cache only saves time; a read-only disk must not stop the coach.
    with contextlib.suppress(OSError):
        write_private_text(cache, json.dumps({"key": key, "documents": documents}))


def exercise_facts(user_dir: Path, cache: Path | None) -> dict[str, ExerciseFacts]:
    """Every exercise's facts, from the cache when it is fresh, else from a full load."""
    files = source_files(user_dir)
    documents = read_cache(cache, fingerprint(files))
    if documents is None:
        from heelcoach.content.loader import load_library

        return {
            e.id: ExerciseFacts(e.id, e.name, e.measure, e.per_side)
            for e in load_library(user_dir, cache).exercises.values()
        }
    raw = list(documents["core"]["exercises.yaml"]["exercises"])
    for user_document in documents["user"].values():
        raw.extend(user_document["exercises"])
    return {
        entry["id"].strip(): ExerciseFacts(
            entry["id"].strip(), entry["name"].strip(), entry["measure"], entry["per_side"]
        )
        for entry in raw
    }


def find_exercise(facts: dict[str, ExerciseFacts], exercise_id: str) -> ExerciseFacts:
    """One exercise's facts, or BadInput with close matches when the id is unknown."""
    if exercise_id not in facts:
        raise unknown_id("exercise", exercise_id, list(facts))
    return facts[exercise_id]


def rule_words(user_dir: Path, cache: Path | None) -> dict[str, tuple[str, str]]:
    """Every rule's reason and advice, from the cache when it is fresh, else a full load."""
    documents = read_cache(cache, fingerprint(source_files(user_dir)))
    if documents is None:
        from heelcoach.content.loader import load_library

        rules = load_library(user_dir, cache).rules.values()
        return {rule.id: (rule.reason, rule.advice) for rule in rules}
    raw = documents["core"]["rules.yaml"]["rules"]
    return {entry["id"].strip(): (" ".join(entry["reason"].split()), " ".join(
        entry["advice"].split())) for entry in raw}  # fmt: skip
