"""`heelcoach prescribe`: check a clinician's programme against the screening, keep it.

It is checked with the saved profile, the readiness results and the base for jumps the
history has built, and saved beside the history only when every conflict is lifted by an
override that may lift it; otherwise nothing is written and the conflicts are returned.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import NamedTuple

from heelcoach.content.model import Library
from heelcoach.domain.prescription import Conflict, Prescription, accepted, check
from heelcoach.domain.profile import Profile
from heelcoach.storage import prescription_file
from heelcoach.storage.store import Store

FILE_NAME = "prescription.json"


class Checked(NamedTuple):
    """A prescription read and checked: saved when nothing blocks it."""

    prescription: Prescription
    conflicts: tuple[Conflict, ...]  # every conflict, lifted or not
    saved: bool

    @property
    def blocking(self) -> tuple[Conflict, ...]:
        return tuple(conflict for conflict in self.conflicts if not conflict.lifted)


def saved_path(store: Store) -> Path:
    """Where the prescription for this history is kept: beside it, in the data folder."""
    return store.path.with_name(FILE_NAME)


def in_force(store: Store, library: Library) -> Prescription | None:
    """The saved prescription, or None for the built-in programme."""
    return prescription_file.load(saved_path(store), library)


def prescribe(
    store: Store, library: Library, profile: Profile, source: Path, today: date
) -> Checked:
    """Read `source`, check it against the person, and save it when nothing blocks it."""
    return install(store, library, profile, prescription_file.load_file(source, library), today)


def install(
    store: Store,
    library: Library,
    profile: Profile,
    prescription: Prescription,
    today: date,
    accepted_on: date | None = None,
) -> Checked:
    """Check `prescription` and save it, accepted on `accepted_on` (default today), when
    nothing blocks it; from a clinician's file or an export, the checks are the same."""
    from heelcoach.services.progress import replay
    from heelcoach.services.readiness import latest_readiness

    base = replay(store, profile, library, today).current.progress.base_weeks
    conflicts = tuple(check(prescription, profile, library, latest_readiness(store), base))
    checked = Checked(prescription, conflicts, saved=False)
    if checked.blocking:
        return checked
    saved = accepted(prescription, conflicts)
    prescription_file.save(saved_path(store), saved, accepted_on or today)
    return Checked(prescription, conflicts, saved=True)


def clear(store: Store) -> bool:
    """Back to the built-in programme; whether a prescription was in force."""
    return prescription_file.clear(saved_path(store))
