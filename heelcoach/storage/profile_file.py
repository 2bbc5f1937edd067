"""The saved profile (`profile.json`), screening answers files, and an unfinished screening.

The profile is small JSON written atomically to a private file:

    {"format": 2, "created": "2026-11-02", "answers": {...}, "excluded": {"heel-jump": [...]}}

`excluded` holds the exercises the screening's rules leave out (with the rule ids), so
`heelcoach log` can warn about one without loading the content library. Format 1 (no
`format` key, earlier versions) held a single `cleared_by_professional` answer and none of
the newer questions; it is never reinterpreted: reading it raises `OldProfile`, which
carries the old answers so `heelcoach screen` can ask only what is new.

An answers file is YAML written by hand (often by a physiotherapist), read with the safe
loader only; a key given twice is refused, never "last one wins". Both are checked by
`domain.profile.parse_answers`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

from heelcoach.content.model import Library
from heelcoach.domain.profile import Profile, parse_answers
from heelcoach.errors import BadInput, Refused
from heelcoach.files import write_private_text
from heelcoach.storage.yaml_file import read_yaml

PROFILE_FORMAT = 2
PROFILE_KEYS = ("format", "created", "answers", "excluded")
ANSWERS_MAX_BYTES = 64 * 1024  # a screening is a page of answers; anything bigger is not one


class OldProfile(Refused):
    """A profile saved by an earlier heelcoach: the newer questions must be answered."""

    def __init__(self, source: Path, answers: dict[str, Any], created: date) -> None:
        super().__init__(
            f"{source} was saved by an earlier heelcoach, before the screening asked about "
            "clearance per concern and other health questions; run `heelcoach screen` to "
            "answer the new questions (your other answers are offered again, and your "
            "programme week is kept)"
        )
        self.answers, self.created = answers, created


# --------------------------------------------------------------------------- answers files


def load_answers_file(path: Path, library: Library, created: date) -> Profile:
    """Read a YAML answers file (safe loader only, no repeated keys) into a Profile."""
    raw = read_yaml(path, ANSWERS_MAX_BYTES, "an answers file").data
    return parse_answers(raw, library, str(path), created)


# --------------------------------------------------------------------------- profile.json


def save_profile(target: Path, profile: Profile, excluded: Mapping[str, tuple[str, ...]]) -> Path:
    payload = {
        "format": PROFILE_FORMAT,
        "created": profile.created.isoformat(),
        "answers": profile.answers(),
        "excluded": {exercise: list(rules) for exercise, rules in excluded.items()},
    }
    write_private_text(target, json.dumps(payload, indent=2) + "\n")
    return target


def load_profile(source: Path, library: Library) -> Profile | None:
    """The saved profile, None when there is none, BadInput when it is damaged, and
    `OldProfile` when an earlier version saved it."""
    payload = _read_payload(source)
    if payload is None:
        return None
    created = _created(source, payload)
    if "format" not in payload:
        raise OldProfile(source, dict(payload.get("answers") or {}), created)
    return parse_answers(payload["answers"], library, str(source), created)


def excluded_exercises(source: Path) -> dict[str, tuple[str, ...]]:
    """The exercises the saved screening leaves out, with their rule ids (fast: no YAML)."""
    payload = _read_payload(source)
    if payload is None or not isinstance(payload.get("excluded"), dict):
        return {}
    return {str(k): tuple(str(r) for r in v) for k, v in payload["excluded"].items()
            if isinstance(v, list)}  # fmt: skip


def _read_payload(source: Path) -> dict[str, Any] | None:
    try:
        text = source.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise _damaged(source, str(getattr(error, "strerror", None) or "not UTF-8")) from None
    try:
        payload = json.loads(text, object_pairs_hook=_unique_pairs)
    except ValueError as error:
        raise _damaged(source, str(error).split(":")[0]) from None
    if not isinstance(payload, dict) or not isinstance(payload.get("answers"), dict):
        raise _damaged(source, "expected an object with `created` and `answers`")
    unknown = [key for key in payload if key not in PROFILE_KEYS]
    if unknown:
        raise _damaged(source, f"unknown field `{unknown[0]}`")
    if payload.get("format", PROFILE_FORMAT) != PROFILE_FORMAT:
        raise Refused(f"{source} was saved by a newer heelcoach (format {payload['format']}); "
                      "upgrade heelcoach to use it")  # fmt: skip
    return payload


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise ValueError(f"`{key}` is given twice")
        found[key] = value
    return found


def _created(source: Path, payload: Mapping[str, Any]) -> date:
    try:
        return date.fromisoformat(str(payload["created"]))
    except (KeyError, ValueError):
        raise _damaged(source, "no valid `created` date") from None


def _damaged(source: Path, detail: str) -> BadInput:
    return BadInput(
        f"{source}: the saved profile is damaged ({detail}); run `heelcoach screen` to answer again"
    )


def require_profile(source: Path, library: Library) -> Profile:
    profile = load_profile(source, library)
    if profile is None:
        raise Refused(
            "no profile yet: run `heelcoach screen` first (or `heelcoach screen --answers FILE`)"
        )
    return profile


# --------------------------------------------------------------------------- a draft


def save_draft(target: Path, answers: Mapping[str, object], created: date | None) -> None:
    """The answers of a screening not yet finished, kept across Ctrl-C."""
    payload = {"created": created.isoformat() if created else None, "answers": dict(answers)}
    write_private_text(target, json.dumps(payload) + "\n")


def load_draft(source: Path) -> tuple[dict[str, Any], date | None] | None:
    """The unfinished screening's answers and kept start date; None (and a damaged draft
    is simply dropped: it only saves typing)."""
    try:
        payload = json.loads(source.read_text(encoding="utf-8"))
        answers = payload["answers"]
        created = date.fromisoformat(payload["created"]) if payload.get("created") else None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return (answers, created) if isinstance(answers, dict) else None


def clear_draft(source: Path) -> None:
    source.unlink(missing_ok=True)
