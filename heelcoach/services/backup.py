"""A backup of everything a person keeps, and its restore: `heelcoach export` and `import`.

An import adds what the history lacks and restores the profile, the prescription and the
settings only where the person has none yet. A prescription from a file is installed only
when it passes the checks `heelcoach prescribe` applies, against the profile in force once
the import is done: a file never lifts a safety rule.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterable
from contextlib import closing, suppress
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Literal, NamedTuple, TextIO, TypeVar

from heelcoach.context import Context
from heelcoach.domain.text import clean
from heelcoach.errors import BadInput, HeelcoachError
from heelcoach.files import open_output
from heelcoach.storage.store import ImportCounts, Store, destroy_if_empty

if TYPE_CHECKING:  # loaded when an export or import runs
    from heelcoach.content.model import Library
    from heelcoach.domain.records import SetRecord
    from heelcoach.services.prescription import Checked
    from heelcoach.storage.prescription_file import Saved
    from heelcoach.storage.transfer import ExportCounts as ExportCounts  # what front ends show
    from heelcoach.storage.transfer import ExportData, ImportFile

T = TypeVar("T")
EXPORT_FORMATS = ("csv", "jsonl")
Restored = Literal["none", "saved", "kept"]  # not in the file, restored, one was here
Installed = Literal["none", "saved", "kept", "no-profile", "bad-profile", "conflicts"]


def export_format(given: str | None, output: Path | None) -> str:
    """The format asked for, else the one the output file's extension names, else jsonl."""
    if given is not None:
        fmt = given.strip().lower()
        if fmt not in EXPORT_FORMATS:
            raise BadInput(f"--format: '{given}' is not one of: {', '.join(EXPORT_FORMATS)}")
        return fmt
    if output is not None and output.suffix.lower() == ".csv":
        return "csv"
    return "jsonl"


class Exported(NamedTuple):
    """What an export wrote, and each part it had to leave out, with why."""

    counts: ExportCounts
    skipped: tuple[str, ...] = ()


def export_everything(
    ctx: Context, store: Store, fmt: str, output: Path | None, stdout: TextIO
) -> Exported:
    """Write the export to `output` (never one of the person's data files) or `stdout`.

    A backup is what a person reaches for when something is damaged, so damage elsewhere
    never stops it: a file that cannot be read is left out and named in `skipped`; the
    history is always exported whole (or not at all, when it is damaged).
    """
    from heelcoach.storage.transfer import write_export

    skipped: list[str] = []
    with closing(store.iter_all_sets()) as sets:
        data = _export_data(ctx, store, fmt, sets, skipped)
        if output is None and ctx.stdout_isatty:
            # On a screen the export is read, not kept: its text made inert like all
            # text shown there. A file or a pipe gets every character as stored.
            shown = io.StringIO()
            counts = write_export(data, fmt, shown)
            stdout.write(clean(shown.getvalue()))
            return Exported(counts, tuple(skipped))
        if output is None:
            return Exported(write_export(data, fmt, stdout), tuple(skipped))
        with open_output(output, ctx.data_dir, "--output") as handle:
            return Exported(write_export(data, fmt, handle), tuple(skipped))


def _export_data(
    ctx: Context, store: Store, fmt: str, sets: Iterable[SetRecord], skipped: list[str]
) -> ExportData:
    from heelcoach.storage import prescription_file, profile_file, settings_file
    from heelcoach.storage.transfer import ExportData

    data = ExportData(sets, store.sessions(), store.checkins(), store.readiness())
    if fmt != "jsonl":
        return data
    library = _library(ctx)
    profile = _or_skip(
        skipped, lambda: profile_file.load_profile(ctx.profile_path, library, ctx.today)
    )
    saved = _or_skip(skipped, lambda: prescription_file.load_saved(ctx.prescription_path, library))
    # A damaged settings file is exported as the defaults it gives, like it is used.
    settings = settings_file.load_settings(ctx.settings_path)[0]
    return data._replace(
        profile=profile_file.profile_payload(profile) if profile is not None else None,
        prescription=prescription_file.saved_payload(saved) if saved is not None else None,
        settings=settings._asdict() if ctx.settings_path.exists() else None,
    )


def _library(ctx: Context) -> Library:
    """The library the profile and prescription are checked with: the built-in content
    alone when the person's own exercise files do not load (the sets are exported all
    the same; a prescription naming one of them is left out, with why)."""
    from heelcoach.content.loader import load_library
    from heelcoach.services.common import library

    try:
        return library(ctx)
    except HeelcoachError:
        return load_library(Path(os.devnull), ctx.cache_dir)  # not a folder: no own files


def _or_skip(skipped: list[str], read: Callable[[], T]) -> T | None:
    try:
        return read()
    except HeelcoachError as error:
        skipped.append(str(error))
        return None


class LeftOut(NamedTuple):
    """What the person keeps beside the history that a CSV export leaves out."""

    prescription: bool
    settings: bool


def left_out_of_csv(ctx: Context) -> LeftOut:
    return LeftOut(ctx.prescription_path.exists(), ctx.settings_path.exists())


class ImportResult(NamedTuple):
    """What an import added and found already stored, and what became of the profile,
    the settings and the prescription in the file."""

    counts: ImportCounts
    profile: Restored
    settings: Restored
    prescription: Installed
    checked: Checked | None = None  # the prescription's check, when it was checked
    profile_problem: str = ""  # why the profile in force could not be read


def import_everything(ctx: Context, library: Library, path: Path) -> ImportResult:
    """Import an export file, the prescription last: it is checked against the profile in
    force once the rest is restored."""
    from heelcoach.storage.transfer import ImportFile

    source = ImportFile(path, library)
    counts = _import_records(ctx, source)
    from heelcoach.services.screening import save
    from heelcoach.storage.profile_file import profile_from_payload
    from heelcoach.storage.settings_file import save_settings

    profile = _restore(
        ctx.profile_path,
        source.singles.get("profile"),
        lambda _, payload: save(ctx, profile_from_payload(payload, library, str(path))),
    )
    settings = _restore(ctx.settings_path, source.singles.get("settings"), save_settings)
    saved = source.singles.get("prescription")
    if saved is None:
        return ImportResult(counts, profile, settings, "none")
    if ctx.prescription_path.exists():
        return ImportResult(counts, profile, settings, "kept")
    installed, checked, problem = _install(ctx, library, saved)
    return ImportResult(counts, profile, settings, installed, checked, problem)


def _import_records(ctx: Context, source: ImportFile) -> ImportCounts:
    """Read the file once, writing its records into the history in one transaction. The
    history is opened (and made, when there is none) at the first good record, so a file
    without records, or bad before its first, creates nothing; a history this import made
    is removed again when the import fails."""
    from heelcoach.services.common import open_store

    records = source.records()
    first = next(records, None)
    if first is None:
        return ImportCounts()
    made_folder = not os.path.lexists(ctx.data_dir)
    made = not os.path.lexists(ctx.history_path)
    try:
        with open_store(ctx, create=True) as store:
            return store.import_records(chain([first], records), str(source.path))
    except HeelcoachError:
        if made:
            destroy_if_empty(ctx.history_path)
        if made_folder:
            with suppress(OSError):  # only when nothing else is in it
                ctx.data_dir.rmdir()
        raise


def _restore(target: Path, value: T | None, save: Callable[[Path, T], object]) -> Restored:
    """Save what the file holds only where the person has none: even a damaged one is
    theirs to replace."""
    if value is None:
        return "none"
    if target.exists():
        return "kept"
    save(target, value)
    return "saved"


def _install(ctx: Context, library: Library, saved: Saved) -> tuple[Installed, Checked, str]:
    from heelcoach.services.common import load_profile, open_store
    from heelcoach.services.prescription import Checked, install

    unchecked = Checked(saved.prescription, (), saved=False)
    try:
        profile = load_profile(ctx, library)
    except HeelcoachError as error:  # damaged, or saved by another version
        return "bad-profile", unchecked, str(error)
    if profile is None:
        return "no-profile", unchecked, ""
    with open_store(ctx, create=False) as store:
        checked = install(store, library, profile, saved.prescription, ctx.today, saved.accepted)
    return ("saved" if checked.saved else "conflicts"), checked, ""
