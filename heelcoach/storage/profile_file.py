"""The saved profile (`profile.json`), screening answers files, and an unfinished screening.

The profile is small JSON written atomically to a private file:

    {"format": 3, "created": "2026-11-02", "screened": "2026-11-02", "answers": {...}}

What the screening leaves out is judged again by every command from the content installed
then, never saved: an `excluded` key that earlier versions wrote is read and ignored.
Format 2 kept no `screened` day: its answers count from `created`. Format 1 (no `format`
key) held a single `cleared_by_professional` answer and is never reinterpreted: reading it
raises `OldProfile`, so `heelcoach screen` asks only what is new. A profile saved by a
newer heelcoach is refused rather than guessed at, and so is an unknown key. Every file
here is read through `heelcoach.reader`; an export carries the same profile payload, so an
imported profile goes through exactly these checks.
"""

from __future__ import annotations

import errno
import json
from collections.abc import Mapping
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from heelcoach.domain.text import key_named
from heelcoach.errors import BadInput, Refused
from heelcoach.files import write_private_text
from heelcoach.reader import ANSWERS_MAX_BYTES, ReadError, read_json, read_yaml_document

if TYPE_CHECKING:
    from heelcoach.content.model import Library
    from heelcoach.domain.profile import Profile

PROFILE_FORMAT = 3
# `excluded`: earlier versions saved what the screening left out; it is ignored.
PROFILE_KEYS = ("format", "created", "screened", "answers", "excluded")
# Program week 1 may begin this long before or after the day a profile is made: a
# physiotherapist may date it from the first appointment, or from next Monday.
START_WINDOW = timedelta(days=5 * 366)
START_AHEAD = timedelta(days=366)
EARLIEST_START = date(2000, 1, 1)


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


class NewerProfile(ValueError):
    """A profile of a format this version does not know: refused rather than guessed at."""


def profile_payload(profile: Profile) -> dict[str, Any]:
    """The profile as it is saved, and as an export carries it."""
    return {
        "format": PROFILE_FORMAT,
        "created": profile.created.isoformat(),
        "screened": profile.answered.isoformat(),
        "answers": profile.answers(),
    }


def check_start(day: date, today: date, option: str = "--start") -> date:
    """The day program week 1 begins, within the window around today, or BadInput."""
    earliest, latest = max(EARLIEST_START, today - START_WINDOW), today + START_AHEAD
    if not earliest <= day <= latest:
        raise BadInput(
            f"{option}: {day.isoformat()} is too far from today; program week 1 can begin"
            f" between {earliest.isoformat()} and {latest.isoformat()}"
        )
    return day


def check_payload(payload: Any) -> dict[str, Any]:
    """A profile payload of a format this version reads, or ValueError naming what is
    wrong (`NewerProfile`, a ValueError too, so an import names the file's line like any
    other bad field). `OldProfile` is for the caller to raise: a payload without `format`
    is returned as is."""
    if not isinstance(payload, dict) or not isinstance(payload.get("answers"), dict):
        raise ValueError("expected an object with `created` and `answers`")
    unknown = [key for key in payload if key not in PROFILE_KEYS]
    if unknown:
        raise ValueError(f"unknown field{key_named(unknown[0])}")
    version = payload.get("format", 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ValueError("`format` must be a whole number")
    if version > PROFILE_FORMAT:
        raise NewerProfile(
            f"the profile was saved by a newer heelcoach (format {version}, this one reads up"
            f" to {PROFILE_FORMAT}); upgrade heelcoach to use it"
        )
    return payload


def profile_from_payload(
    payload: Any, library: Library, source: str, today: date | None = None
) -> Profile:
    """Check a profile payload from an export and build the Profile (ValueError if bad).

    Without `today` (an import) its days are not held against this machine's clock: a
    backup restores the same wherever and whenever it is read."""
    payload = check_payload(payload)
    if "format" not in payload:
        raise ValueError("the profile has no format: it was saved by an earlier heelcoach")
    from heelcoach.domain.profile import parse_answers

    created = _created(payload, today)
    profile = parse_answers(payload["answers"], library, source, created, quote=False)
    return profile._replace(screened=_screened(payload, today) or created)


def load_answers_file(path: Path, library: Library, created: date) -> Profile:
    """Read a YAML answers file (safe reader: size, alias and depth limits, a key given
    twice refused) into a Profile."""
    raw = read_yaml_document(path, max_bytes=ANSWERS_MAX_BYTES, what="an answers file").data
    from heelcoach.domain.profile import parse_answers

    return parse_answers(raw, library, str(path), created)


def save_profile(target: Path, profile: Profile) -> None:
    write_private_text(target, json.dumps(profile_payload(profile), indent=2) + "\n")


def load_profile(source: Path, library: Library, today: date) -> Profile | None:
    """The saved profile, None when there is none, BadInput when it is damaged, and
    `OldProfile` when an earlier version saved it."""
    payload = _read_payload(source)
    if payload is None:
        return None
    try:
        created, screened = _created(payload, today), _screened(payload, today)
    except ValueError as error:
        raise _damaged(source, str(error)) from None
    if "format" not in payload:
        raise OldProfile(source, dict(payload.get("answers") or {}), created)
    from heelcoach.domain.profile import parse_answers

    return parse_answers(payload["answers"], library, str(source), created)._replace(
        screened=screened
    )


def _read_payload(source: Path) -> dict[str, Any] | None:
    try:
        payload = read_json(source, max_bytes=ANSWERS_MAX_BYTES, what="a profile")
    except ReadError as error:
        if error.missing:
            return None
        if error.errno == errno.ENOTDIR:
            folder = source.parent
            raise BadInput(f"{folder} is not a folder; set HEELCOACH_HOME to a folder") from None
        if error.errno is not None:
            raise Refused(f"{source}: cannot read your profile ({error})") from None
        raise _damaged(source, str(error)) from None
    try:
        return check_payload(payload)
    except NewerProfile as error:
        raise Refused(f"{source}: {error}") from None
    except ValueError as error:
        raise _damaged(source, str(error)) from None


def _created(payload: Mapping[str, Any], today: date | None) -> date:
    """The day program week 1 began: a date no earlier than 2000 and, given `today`, not
    far ahead of it."""
    text = payload.get("created")
    if not isinstance(text, str) or not text.isascii():
        raise ValueError("no valid `created` date")
    try:
        created = date.fromisoformat(text)
    except ValueError:
        raise ValueError("`created` is not a date (expected YYYY-MM-DD)") from None
    latest = date.max if today is None else today + START_AHEAD
    if not EARLIEST_START <= created <= latest:
        raise ValueError(
            f"`created` is not a plausible first day (expected one from {EARLIEST_START}"
            f" to {latest})"
        )
    return created


def _screened(payload: Mapping[str, Any], today: date | None) -> date | None:
    """The day the answers were given, when the payload keeps it (format 3)."""
    if payload.get("screened") is None:
        return None
    return _created({"created": payload["screened"]}, today)


def _damaged(source: Path, detail: str) -> BadInput:
    detail = detail.removeprefix(f"{source}").lstrip(":0123456789 ")
    return BadInput(
        f"{source}: the saved profile is damaged ({detail}); run `heelcoach screen` to answer again"
    )


def save_draft(target: Path, answers: Mapping[str, object], created: date | None) -> None:
    """The answers of a screening not yet finished, kept across Ctrl-C."""
    payload = {"created": created.isoformat() if created else None, "answers": dict(answers)}
    write_private_text(target, json.dumps(payload) + "\n")


def load_draft(source: Path) -> tuple[dict[str, Any], date | None] | None:
    """The unfinished screening's answers and kept start date; None (and a damaged draft
    is simply dropped: it only saves typing)."""
    try:
        payload = read_json(source, max_bytes=ANSWERS_MAX_BYTES, what="a screening draft")
        answers = payload["answers"]
        created = date.fromisoformat(payload["created"]) if payload.get("created") else None
    except (BadInput, ValueError, KeyError, TypeError, AttributeError):
        return None
    return (answers, created) if isinstance(answers, dict) else None


def clear_draft(source: Path) -> None:
    source.unlink(missing_ok=True)
