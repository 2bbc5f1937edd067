"""The saved profile (`profile.json`) and screening answers files: reading and writing.

The profile is small JSON written atomically to a private file; an answers file is YAML
written by hand (often by a physiotherapist), read with the safe loader only. Both are
checked by `domain.profile.parse_answers`, so a damaged or hand-edited file is refused with
one line instead of being half-trusted.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from heelcoach.content.model import Library
from heelcoach.domain.profile import Profile, parse_answers
from heelcoach.errors import BadInput, Refused
from heelcoach.files import write_private_text


def load_answers_file(path: Path, library: Library, created: date) -> Profile:
    """Read a YAML answers file (safe loader only) into a Profile."""
    import yaml

    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise BadInput(f"{path}: cannot read: {error.strerror}") from None
    except UnicodeDecodeError:
        raise BadInput(f"{path}: not a UTF-8 text file") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        raise BadInput(f"{where}: invalid YAML: {getattr(error, 'problem', error)}") from None
    return parse_answers(raw, library, str(path), created)


def save_profile(target: Path, profile: Profile) -> Path:
    payload = {"created": profile.created.isoformat(), "answers": profile.answers()}
    write_private_text(target, json.dumps(payload, indent=2) + "\n")
    return target


def load_profile(source: Path, library: Library) -> Profile | None:
    """The saved profile, None when there is none, BadInput when it is damaged."""
    try:
        payload = json.loads(source.read_text(encoding="utf-8"))
        created = date.fromisoformat(payload["created"])
        answers = payload["answers"]
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise BadInput(
            f"{source}: the saved profile is damaged ({error}); "
            "run `heelcoach screen` to answer again"
        ) from None
    return parse_answers(answers, library, str(source), created)


def require_profile(source: Path, library: Library) -> Profile:
    profile = load_profile(source, library)
    if profile is None:
        raise Refused(
            "no profile yet: run `heelcoach screen` first (or `heelcoach screen --answers FILE`)"
        )
    return profile
