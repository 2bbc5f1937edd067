"""A person's preferences (`settings.json`): how they like to do things, never health facts.

Health answers belong to the screening; these are choices a person switches on and off
(for now: alternating legs in eccentric drops, 004). A damaged file gives the defaults
with a warning rather than a refusal: a preference must never stop a session.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

from heelcoach.domain.text import key_named
from heelcoach.errors import BadInput
from heelcoach.files import write_private_text
from heelcoach.reader import ReadError, read_json

SETTINGS_MAX_BYTES = 16 * 1024


class Settings(NamedTuple):
    """Preferences; each has a safe default."""

    alternate_legs: bool = False  # eccentric drops one left, one right, in turn (004)


def load_settings(source: Path) -> tuple[Settings, str | None]:
    """The saved settings, and what was wrong when a damaged file left the defaults."""
    try:
        data = read_json(source, max_bytes=SETTINGS_MAX_BYTES, what="a settings file")
    except BadInput as error:  # missing: the defaults; damaged, a FIFO, too big: say so
        missing = isinstance(error, ReadError) and error.missing
        return Settings(), None if missing else f"{source.name} is unreadable"
    if not isinstance(data, dict) or not isinstance(data.get("alternate_legs", False), bool):
        return Settings(), f"{source.name} is not a settings file"
    return Settings(alternate_legs=data.get("alternate_legs") is True), None


def settings_from_payload(payload: object) -> Settings:
    """Settings from an export line, checked strictly (a file may hold anything): every
    field known, every value true or false; ValueError naming the field otherwise."""
    if not isinstance(payload, dict):
        raise ValueError("expected an object of settings")
    for key, value in payload.items():
        if key not in Settings._fields:
            raise ValueError(
                f"unknown setting{key_named(key)} (expected: {', '.join(Settings._fields)})"
            )
        if not isinstance(value, bool):
            raise ValueError(f"{key}: expected true or false")
    return Settings(**payload)


def save_settings(target: Path, settings: Settings) -> None:
    write_private_text(target, json.dumps(settings._asdict(), indent=2) + "\n")
