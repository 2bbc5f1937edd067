"""The week's plan as files to keep: a printable Markdown handout and an iCalendar file.

The handout is meant for paper: headings and bullet lists, no tables, short lines. The
calendar follows RFC 5545, with one all-day event per training day; an event's UID depends
only on the day and the profile, so importing a newer file updates the events.
"""

from __future__ import annotations

import hashlib
import textwrap
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from heelcoach import __version__
from heelcoach.content.model import Library
from heelcoach.domain import text as safe
from heelcoach.domain.monitoring import TOO_MUCH_PAIN_ABOVE
from heelcoach.domain.planner import PlanDay, PlanItem, WeekPlan, build_week
from heelcoach.domain.prescription import Item
from heelcoach.domain.profile import Profile
from heelcoach.frontends.words.plan import (
    exclusion_text,
    item_dose,
    note_text,
    prescribed_texts,
    programme_text,
    referral_text,
    warning_texts,
)

WIDTH = 88  # a printed page holds about 90 characters at a readable size
KEY_CUES = 3
SUMMARY_SKIPS = ("warm-up", "stretch")  # named in the description, not the title
ALARM_AFTER_MIDNIGHT = "PT8H"  # a reminder at 08:00 on the (all-day) training day
ICS_LINE_OCTETS = 75

# Signs that call for stopping at once, whatever the exercise (clinical-notes.md: pain
# above 5/10 is too much; chest pain and dizziness are PAR-Q+ red flags).
GENERAL_STOP_SIGNS = (
    f"Pain above {TOO_MUCH_PAIN_ABOVE} out of 10 during an exercise",
    "Chest pain or pressure, or an unusual shortness of breath",
    "Dizziness, light-headedness or fainting",
    "Feeling unsteady on your feet",
)
NOT_ADVICE = (
    "heelcoach is a coach, not a clinician: this plan is not medical advice. If something "
    "feels wrong, stop and talk to your doctor or physical therapist."
)
EMERGENCY = (
    "If chest pain or dizziness does not pass within a few minutes, call your emergency number."
)


# --------------------------------------------------------------------------- Markdown


def markdown(plan: WeekPlan, profile: Profile, library: Library) -> str:
    """A printable handout of one week."""
    plan = _person_text_escaped(plan)
    lines = [*_md_title(plan, library)]
    referral = referral_text(plan, profile, library)
    if referral:
        lines += ["## See a professional first", "", *_wrap(referral), ""]
    else:
        for day in plan.days:
            if not day.is_rest:
                lines += _md_day(day, plan, library)
        lines += _md_rest_days(plan.days)
    lines += [*_md_section("Stop and get help if", stop_signs(plan)), *_wrap(EMERGENCY), ""]
    left_out = [
        f"{library.exercises[e.exercise].name}: {exclusion_text(e, library)}" for e in plan.excluded
    ]
    lines += _md_section("Left out, and why", left_out)
    lines += _md_section("Before you start", warning_texts(plan, library))
    lines += ["---", "", *_wrap(NOT_ADVICE)]
    return "\n".join(lines) + "\n"


def _person_text_escaped(plan: WeekPlan) -> WeekPlan:
    """`plan` with the text a person or a clinician wrote (a prescription's clinician,
    notes, support and overrides; a person's own exercise) escaped for Markdown
    (`domain.text.markdown`), so the handout's own formatting stays, and theirs can make
    no link, image or markup."""
    written = plan.prescription
    if written is not None:
        stages = tuple(s._replace(items=tuple(map(_item_escaped, s.items))) for s in written.stages)
        written = written._replace(
            clinician=safe.markdown(written.clinician), note=_escaped(written.note), stages=stages
        )
    days = tuple(day._replace(items=tuple(map(_plan_item_escaped, day.items))) for day in plan.days)
    return plan._replace(prescription=written, days=days)


def _escaped(text: str | None) -> str | None:
    return None if text is None else safe.markdown(text)


def _item_escaped(item: Item) -> Item:
    return item._replace(
        support=_escaped(item.support), note=_escaped(item.note), override=_escaped(item.override)
    )


def _plan_item_escaped(item: PlanItem) -> PlanItem:
    exercise = item.exercise
    if exercise.custom:
        exercise = exercise._replace(
            name=safe.markdown(exercise.name),
            setup=tuple(map(safe.markdown, exercise.setup)),
            cues=tuple(map(safe.markdown, exercise.cues)),
            stop_if=tuple(map(safe.markdown, exercise.stop_if)),
        )
    written = _item_escaped(item.written) if item.written is not None else None
    return item._replace(exercise=exercise, support=_escaped(item.support), written=written)


def _md_title(plan: WeekPlan, library: Library) -> list[str]:
    first, last = plan.days[0].date, plan.days[-1].date
    lines = [
        f"# heelcoach: week {plan.week}, {plan.level} level",
        "",
        f"{_long_day(first)} to {_long_day(last)}",
        "",
    ]
    for note in plan.progress.notes:
        lines += _bullet(f"Level: {note_text(note, library)}")
    written = plan.prescribed
    if written is not None:
        lines += _bullet(programme_text(plan))
        if written.note:
            lines += _bullet(f"Note from {written.clinician}: {written.note}")
    return lines + ([""] if plan.progress.notes or written else [])


def _md_day(day: PlanDay, plan: WeekPlan, library: Library) -> list[str]:
    lines = [f"## {_long_day(day.date)}", ""]
    for number, item in enumerate(day.items, 1):
        lines += _md_item(number, item, prescribed_texts(item, plan, library))
    return lines


def _md_item(number: int, item: PlanItem, prescribed: Sequence[str]) -> list[str]:
    exercise = item.exercise
    lines = [f"### {number}. {exercise.name}: {item_dose(item)}", ""]
    if item.support:
        lines += _bullet(f"Support: {item.support}")
    lines += _bullet(f"Tempo: {exercise.tempo}")
    lines += _bullet("Setup: " + " ".join(exercise.setup))
    lines += _bullet("Key cues:")
    for cue in exercise.cues[:KEY_CUES]:
        lines += _bullet(cue, indent=2)
    for text in prescribed:
        lines += _bullet(text[0].upper() + text[1:])
    return [*lines, ""]


def _md_rest_days(days: Sequence[PlanDay]) -> list[str]:
    rest = [f"{day.date:%a %d %b}" for day in days if day.is_rest]
    if not rest:
        return []
    return ["## Rest days", "", *_wrap(", ".join(rest) + ": rest, or an easy walk."), ""]


def _md_section(title: str, items: Sequence[str]) -> list[str]:
    """A heading and a bullet for each item; nothing without items."""
    if not items:
        return []
    return [f"## {title}", "", *(line for item in items for line in _bullet(item)), ""]


def stop_signs(plan: WeekPlan) -> list[str]:
    """The general stop signs, then each planned exercise's own, without repeats.

    An exercise's own sign names the exercises it belongs to: "Sharp pain rather than a
    stretch" means little on paper without "(calf stretch)".
    """
    general = {_sign_key(sign) for sign in GENERAL_STOP_SIGNS}
    own: dict[str, tuple[str, dict[str, None]]] = {}
    for day in plan.days:
        for item in day.items:
            for sign in item.exercise.stop_if:
                key = _sign_key(sign)
                if key not in general:
                    own.setdefault(key, (sign, {}))[1][item.exercise.name.lower()] = None
    return [*GENERAL_STOP_SIGNS, *(f"{sign} ({', '.join(names)})" for sign, names in own.values())]


def _sign_key(sign: str) -> str:
    """Two wordings of one sign ("Pain above 5 out of 10" and "... during an exercise")
    count once: compare the words before the first qualifier."""
    words = sign.lower().rstrip(".").split()
    for qualifier in ("during", "while", "when"):
        if qualifier in words[1:]:
            words = words[: words.index(qualifier)]
    return " ".join(words)


def _bullet(text: str, indent: int = 0) -> list[str]:
    """A Markdown list item wrapped to the page, continuation lines under its text."""
    pad = " " * indent
    return textwrap.wrap(
        text,
        WIDTH,
        initial_indent=f"{pad}- ",
        subsequent_indent=f"{pad}  ",
        break_on_hyphens=False,
    )


def _wrap(text: str) -> list[str]:
    return textwrap.wrap(text, WIDTH, break_on_hyphens=False)


def _long_day(day: date) -> str:
    return f"{day:%A %d %B %Y}"


# --------------------------------------------------------------------------- iCalendar


def ics(
    plan: WeekPlan, profile: Profile, library: Library, weeks: int, folder: Path, stamp: datetime
) -> str:
    """One all-day event per training day over `weeks` weeks (none for a referral); the
    weeks after `plan` are projected from it, and their descriptions say so. The data
    `folder` keeps event UIDs apart between people."""
    dtstamp = f"{stamp.astimezone(UTC):%Y%m%dT%H%M%SZ}"
    identity = _profile_key(profile, folder)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:-//heelcoach//heelcoach {__version__}//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:heelcoach",
    ]
    if not plan.referral:
        for week_plan in _weeks(plan, profile, library, weeks):
            projected = week_plan is not plan
            for day in week_plan.days:
                if not day.is_rest:
                    lines += _event(day, week_plan, projected, identity, dtstamp)
    lines.append("END:VCALENDAR")
    return "".join(f"{folded}\r\n" for line in lines for folded in fold(line))


def _weeks(plan: WeekPlan, profile: Profile, library: Library, weeks: int) -> Iterator[WeekPlan]:
    """`plan`, then the weeks after it as if each goes to plan from where `plan` stands.

    Continuing from the first week's own progress (rather than the program as written for
    that calendar week) keeps a person who is behind schedule from finding, say, heel
    jumps in next week's calendar before they have built the base for them.
    """
    yield plan
    start, previous = plan.progress, plan
    for ahead in range(1, weeks):
        progress = start._replace(
            week=start.week + ahead,
            positions={key: week + ahead for key, week in start.positions.items()},
            base_weeks=start.base_weeks + ahead,
            hold=False,
            notes=(),
            rungs={key: rung + ahead for key, rung in start.rungs.items()},
        )
        previous = build_week(
            profile,
            library,
            plan.week + ahead,
            progress,
            plan.readiness,
            previous,
            plan.prescription,
        )
        yield previous


def _event(day: PlanDay, plan: WeekPlan, projected: bool, identity: str, dtstamp: str) -> list[str]:
    summary = f"heelcoach: {_summary_names(day.items)} (week {plan.week})"
    description = _description(day, plan, projected)
    return [
        "BEGIN:VEVENT",
        f"UID:{day.date:%Y%m%d}-{identity}@heelcoach",
        f"DTSTAMP:{dtstamp}",
        f"DTSTART;VALUE=DATE:{day.date:%Y%m%d}",
        f"DTEND;VALUE=DATE:{day.date + timedelta(days=1):%Y%m%d}",
        f"SUMMARY:{safe.ics(summary)}",
        f"DESCRIPTION:{safe.ics(description)}",
        "TRANSP:TRANSPARENT",  # a reminder to train, not a block of busy time
        "CATEGORIES:heelcoach",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{safe.ics(summary)}",
        f"TRIGGER;RELATED=START:{ALARM_AFTER_MIDNIGHT}",
        "END:VALARM",
        "END:VEVENT",
    ]


def _summary_names(items: Sequence[PlanItem]) -> str:
    main = [item for item in items if item.exercise.family not in SUMMARY_SKIPS] or items
    return ", ".join(dict.fromkeys(item.exercise.name.lower() for item in main))


def _description(day: PlanDay, plan: WeekPlan, projected: bool) -> str:
    lines = [f"Week {plan.week}, {plan.level} level."]
    lines += [
        f"- {item.exercise.name}: {item_dose(item)}"
        + (f" (support: {item.support})" if item.support else "")
        for item in day.items
    ]
    if projected:
        lines.append(
            "Planned as if the weeks before this one go to plan. Run `heelcoach "
            "plan` that week for doses that follow how your training went."
        )
    lines.append("Run `heelcoach start` to train with the coach.")
    lines.append(
        f"Stop if pain goes above {TOO_MUCH_PAIN_ABOVE}/10, or with chest pain, "
        "dizziness or feeling unsteady."
    )
    lines.append(NOT_ADVICE)
    return "\n".join(lines)


def _profile_key(profile: Profile, folder: Path) -> str:
    """Stable for one person's program on this computer (its start day and data folder),
    so a newer file updates the same days' events and two people never collide."""
    where = str(folder.expanduser().resolve())
    return hashlib.sha256(f"{profile.created.isoformat()}|{where}".encode()).hexdigest()[:16]


def fold(line: str) -> list[str]:
    """Split a content line into pieces of at most 75 octets (continuations start with a
    space), never inside a UTF-8 character."""
    pieces: list[str] = []
    current: list[str] = []
    size = 0
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > ICS_LINE_OCTETS:
            pieces.append("".join(current))
            current, size = [" "], 1
        current.append(char)
        size += octets
    pieces.append("".join(current))
    return pieces
