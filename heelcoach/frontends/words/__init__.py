"""Every word a person reads, so one change of phrase reaches every front end: counts,
doses and one-line descriptions here; `plan` the plan's reasons; `live` the session's."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from heelcoach.domain.logbook import LogRequest
from heelcoach.domain.monitoring import MorningVerdict
from heelcoach.domain.records import ReadinessResult, SetRecord

if TYPE_CHECKING:
    from heelcoach.context import Context
    from heelcoach.services.backup import ExportCounts, ImportResult


def amount(reps: int | None, seconds: int | None) -> str:
    """'10 reps' or '30 s' ('-' for neither): how heelcoach writes one set's work."""
    if reps is not None:
        return plural(reps, "rep")
    return f"{seconds} s" if seconds is not None else "-"


def dose(sets: int, reps: int | None, seconds: int | None, per_side: bool) -> str:
    """'2 x 10 reps', '1 x 30 s per side': the one way heelcoach writes a dose."""
    return f"{sets} x {amount(reps, seconds)}" + (" per side" if per_side else "")


def plural(count: int, word: str) -> str:
    """`1 set`, `2 sets`, `1,200 sets`: the count with its word."""
    return f"{count:,} {word}" + ("" if count == 1 else "s")


def readiness_text(result: ReadinessResult) -> str:
    """'tiptoe (left): pain 3/10', 'heel raises: left 18, right -'."""
    if result.test == "heel-raise":
        left, right = ("-" if count is None else count for count in (result.left, result.right))
        return f"heel raises: left {left}, right {right}"
    side = f" ({result.side})" if result.side and result.side != "both" else ""
    return f"{result.test}{side}: pain {result.pain}/10"


def describe_log(request: LogRequest) -> str:
    sets = plural(request.sets, "set")
    if request.sides == ("left", "right"):
        where = " on each side"
    elif request.sides[0] is not None:
        where = f" on the {request.sides[0]} side"
    else:
        where = ""
    pain = f", pain {request.pain}/10" if request.pain is not None else ""
    return (
        f"Saved {sets} of {request.name} ({amount(request.reps, request.seconds)}{pain}){where} on "
        f"{request.day.isoformat()}."
    )


def verdict_line(verdict: MorningVerdict | None) -> str:
    """What a morning check-in means for the next session (pain-monitoring model)."""
    if verdict == "too much":
        return (
            "above 5/10 is too much: what you trained yesterday steps back a level next "
            "session. If two mornings in a week are like this, see a physical therapist."
        )
    if verdict == "worse":
        return "worse than last time: the next dose will be reduced"
    if verdict == "same or better":
        return "same or better: keep going"
    return "first check-in: the next one will be compared with it"


def describe_undo(records: Sequence[SetRecord], names: Mapping[str, str]) -> str:
    """'2 sets of Heel drop (10 reps) logged for 2026-11-20'."""
    first = records[0]
    name = names.get(first.exercise, first.exercise)
    done = amount(first.reps, first.seconds)
    sides = sorted({r.side for r in records if r.side is not None})
    where = f", {' and '.join(sides)}" if sides else ""
    return (
        f"{plural(len(records), 'set')} of {name} ({done}{where}) "
        f"logged for {first.day.isoformat()}"
    )


def describe_live_undo(records: Sequence[SetRecord], names: Mapping[str, str]) -> str:
    """'the live session of 2026-11-20: 3 sets (Heel drop 2, Calf stretch 1)'."""
    counts = Counter(record.exercise for record in records)
    parts = ", ".join(f"{names.get(key, key)} {count}" for key, count in counts.items())
    return (
        f"the live session of {records[0].day.isoformat()}: {plural(len(records), 'set')} ({parts})"
    )


def describe_export(counts: ExportCounts) -> str:
    """'4 sets, 1 session, 2 check-ins, 0 readiness tests, your profile and your settings'."""
    parts = [plural(counts.sets, "set")]
    extras = [
        words
        for present, words in (
            (counts.profile, "your profile"),
            (counts.prescription, "the prescription"),
            (counts.settings, "your settings"),
        )
        if present
    ]
    if counts.sessions or counts.checkins or counts.readiness or extras:
        parts += [
            plural(counts.sessions, "session"),
            plural(counts.checkins, "check-in"),
            plural(counts.readiness, "readiness test"),
        ]
    return listing([*parts, *extras]) if extras else ", ".join(parts)


def listing(items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c' ('' for none)."""
    if len(items) < 2:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def describe_import(result: ImportResult, ctx: Context) -> list[str]:
    """What an import did, one line per kind of record, then the profile, the settings
    and the prescription (a prescription not installed is for the caller to refuse)."""
    counts = result.counts
    lines = [f"Imported {plural(counts.sets, 'new set')}, {counts.sets_present} already present"]
    for new, present, word in (
        (counts.sessions, counts.sessions_present, "new session"),
        (counts.checkins, counts.checkins_present, "new check-in"),
        (counts.readiness, counts.readiness_present, "new readiness test"),
    ):
        if new or present:
            lines.append(f"Imported {plural(new, word)}, {present} already present")
    if counts.worse_kept:
        days = listing([day.isoformat() for day in counts.worse_kept])
        lines.append(
            f"Two different check-ins for the morning of {days}: the worse (more pain, then"
            " more stiffness) was kept"
        )
    for state, path, restored, kept in (
        (result.profile, ctx.profile_path, "your profile", "the profile"),
        (result.settings, ctx.settings_path, "your settings", "the settings"),
        (result.prescription, ctx.prescription_path, "the prescription", "the prescription"),
    ):
        unused = "ones in the file were" if kept == "the settings" else "one in the file was"
        if state == "saved":
            lines.append(f"Restored {restored} to {path}")
        elif state == "kept":
            lines.append(f"Kept {kept} already in {path}; the {unused} not used")
    return lines


LAND_FIRMER = "land firmer: let the heels drop so you hear it"
LAND_SOFTER = "land softer, knees bent"


def landings_text(heard: int, soft: int, hard: int) -> str:
    """'8 of 10 landings firm', '1 soft' and '1 hard' added when there are any."""
    firm = heard - soft - hard
    text = f"{firm} of {plural(heard, 'landing')} firm"
    extras = [f"{count} {word}" for count, word in ((soft, "soft"), (hard, "hard")) if count]
    return ", ".join([text, *extras])


def landings_verdict(heard: int, soft: int, hard: int) -> str:
    """'8 of 10 landings firm, 2 soft: land firmer ...', with the cue for each kind
    flagged (both when no exercise was named and a set had both)."""
    cues = [cue for cue, flagged in ((LAND_FIRMER, soft), (LAND_SOFTER, hard)) if flagged]
    return landings_text(heard, soft, hard) + (f": {'; '.join(cues)}." if cues else ".")
