"""Where the content lives, its validated JSON cache, and the exercise facts fast paths need.

`content` parses and validates the YAML into frozen dataclasses, which costs tens of
milliseconds of parsing and class creation. `heelcoach log` only needs an exercise's name,
how it is counted and whether it is one-sided, so it reads those facts straight from the
cache `content` writes after a full validation, and falls back to that full load when the
cache is missing or stale. The cache is keyed on every source file's path, size, mtime
and a CRC of its bytes, so a changed file is always re-read and re-validated.
"""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path
from typing import Any, NamedTuple

from heelcoach import paths
from heelcoach.errors import BadInput

CACHE_ENV = "HEELCOACH_CACHE_DIR"
CACHE_FORMAT = 4  # bump when the cached shape changes
CORE_FILES = ("exercises.yaml", "rules.yaml", "questions.yaml", "programme.yaml")


class ContentError(BadInput):
    """A content file is malformed or unreadable; the message names file, line and path."""


class ExerciseFacts(NamedTuple):
    id: str
    name: str
    measure: str  # "reps" | "seconds"
    per_side: bool


def content_dir() -> Path:
    """Bundled content: inside the package when installed, beside it in a checkout."""
    here = Path(__file__).resolve().parent
    bundled = here / "content"
    return bundled if bundled.is_dir() else here.parent / "content"


def source_files() -> list[Path]:
    user_dir = paths.user_exercises_dir()
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


def cache_path() -> Path | None:
    """`HEELCOACH_CACHE_DIR` (empty: no cache), else the platform's user cache folder."""
    override = os.environ.get(CACHE_ENV)
    if override is not None:
        return Path(override) / "content.json" if override else None
    import platformdirs

    return Path(platformdirs.user_cache_path("heelcoach")) / "content.json"


def read_cache(key: list[Any]) -> dict[str, Any] | None:
    """The cached validated documents for exactly these files, or None."""
    cache = cache_path()
    if cache is None or not cache.is_file():
        return None
    try:
        cached = json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # a damaged cache is simply rebuilt
    return cached["documents"] if isinstance(cached, dict) and cached.get("key") == key else None


def write_cache(key: list[Any], documents: dict[str, Any]) -> None:
    cache = cache_path()
    if cache is None:
        return
    try:
        paths.write_private_text(cache, json.dumps({"key": key, "documents": documents}))
    except OSError:
        pass  # the cache only saves time; a read-only disk must not stop the coach


def unknown_id_message(kind: str, given: str, known: list[str]) -> str:
    import difflib

    matches = difflib.get_close_matches(given, known, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(matches)}?" if matches else "; see `heelcoach exercises`"
    return f"unknown {kind} '{given}'{hint}"


def exercise_facts() -> dict[str, ExerciseFacts]:
    """Every exercise's facts, from the cache when it is fresh, else from a full load."""
    files = source_files()
    documents = read_cache(fingerprint(files))
    if documents is None:
        from heelcoach.content import load_library

        return {e.id: ExerciseFacts(e.id, e.name, e.measure, e.per_side)
                for e in load_library().exercises.values()}
    raw = list(documents["core"]["exercises.yaml"]["exercises"])
    for user_document in documents["user"].values():
        raw.extend(user_document["exercises"])
    return {entry["id"].strip(): ExerciseFacts(entry["id"].strip(), entry["name"].strip(),
                                               entry["measure"], entry["per_side"])
            for entry in raw}


def find_exercise(exercise_id: str) -> ExerciseFacts:
    """One exercise's facts, or BadInput with close matches when the id is unknown."""
    facts = exercise_facts()
    if exercise_id not in facts:
        raise BadInput(unknown_id_message("exercise", exercise_id, list(facts)))
    return facts[exercise_id]
