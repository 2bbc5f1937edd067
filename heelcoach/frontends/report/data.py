"""The report as plain data: the `report --format json` contract, and what the templates read.

Schema `heelcoach.report/1` (README "The report"; pinned by tests/test_report.py). Dates are
`YYYY-MM-DD`; pain and stiffness are 0-10; `adherence` is a share from 0 to 1, null for a
week with nothing planned and for the week in progress, and the planned and done totals
count finished weeks only (the current week's plan runs to its end). Every exercise
carries its id and its name; the HTML and Markdown show only names.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from heelcoach.content.model import Library
from heelcoach.domain.planner import WeekPlan
from heelcoach.domain.prescription import Prescription, program_week
from heelcoach.domain.profile import Profile, asked
from heelcoach.domain.readiness import passes
from heelcoach.domain.records import ReadinessResult
from heelcoach.frontends.words import dose, landings_text
from heelcoach.frontends.words.plan import (
    answer_text,
    exclusion_text,
    item_dose,
    note_text,
    prescribed_texts,
    referral_text,
    warning_texts,
)
from heelcoach.services.report import Report, ReportWeek

SCHEMA = "heelcoach.report/1"
# Questions whose answer is a concern when it is "yes" would be wrong: these are the good news.
REASSURING = ("tiptoe_hold_ok", "has_step", "has_support")
CLEARANCES = ("cleared_for_exercise", "cleared_for_impact")
CONCERN_GROUPS = ("readiness", "bones", "joints", "achilles", "balance")
NOT_CONCERNS = {"bone_density": ("normal",), "achilles_pain_site": ()}
TEST_NAMES = {
    "tiptoe": "One-leg tiptoe hold",
    "hops": "10 double-leg hops",
    "heel-raise": "Heel raises to fatigue",
}


def report_data(report: Report, library: Library) -> dict[str, Any]:
    """The whole report in the documented shape."""
    weeks = [_week(week, library) for week in report.weeks]
    finished = [week for week in report.weeks if not week.numbers.in_progress]
    planned = sum(week.planned_sets for week in finished)
    done = sum(week.done_sets for week in finished)
    return {
        "schema": SCHEMA,
        "generated": report.today.isoformat(),
        "period": {
            "first_day": report.weeks[0].first_day.isoformat(),
            "last_day": report.weeks[-1].last_day.isoformat(),
            "first_week": report.weeks[0].week,
            "last_week": report.weeks[-1].week,
        },
        "person": _person(report.profile, library),
        "concerns": [library.rules[rule].title for rule in report.concerns if _said(rule, library)],
        "excluded": [
            {
                "exercise": e.exercise,
                "name": _name(e.exercise, library),
                "reason": exclusion_text(e, library),
            }
            for e in report.excluded
        ],
        "programme": _programme(report.prescription, report.profile.created, library),
        "reference_pain": report.pain_too_much_above,
        "weeks": weeks,
        "totals": {
            "planned_sets": planned,
            "done_sets": done,
            "adherence": _adherence(done, planned),
            "pain_stops": sum(len(w["pain_stops"]) for w in weeks),
            "emergency_stops": sum(len(w["emergency_stops"]) for w in weeks),
        },
        "current_plan": _plan(report.current, report.profile, library),
        "landings": [
            {
                "exercise": heard.exercise,
                "name": _name(heard.exercise, library),
                "heard": heard.heard,
                "soft": heard.soft,
                "hard": heard.hard,
                "text": landings_text(heard.heard, heard.soft, heard.hard),
            }
            for heard in report.landings
        ],
    }


def _adherence(done: int, planned: int) -> float | None:
    """The share of planned sets done, at most 1; None with nothing planned."""
    return round(min(1.0, done / planned), 3) if planned else None


def _said(rule_id: str, library: Library) -> bool:
    """Rules that tell something about the person (not the ones every plan applies)."""
    rule = library.rules[rule_id]
    return rule.kind in ("referral", "warning", "exclude", "gate") and rule.id not in (
        "one-leg-support",
        "mid-tendon-only",
        "single-leg-clearance",
    )


def _name(exercise_id: str, library: Library) -> str:
    found = library.exercises.get(exercise_id)
    return found.name if found else exercise_id


def _person(profile: Profile, library: Library) -> dict[str, Any]:
    """Who: age, goals, what the screening found, clearances, the training week."""
    goals = library.question("goals")
    answers = [(q, getattr(profile, q.key)) for q in asked(profile, library)]
    return {
        "age": profile.age,
        "goals": [goals.label(goal) for goal in profile.goals],
        "program_start": profile.created.isoformat(),
        "days_per_week": profile.days_per_week,
        "screening": [
            f"{q.short[0].upper()}{q.short[1:]}: {answer_text(q, value)}"
            for q, value in answers
            if q.group in CONCERN_GROUPS and q.key not in CLEARANCES and _concern(q.key, value)
        ],
        "clearances": [
            f"{q.short[0].upper()}{q.short[1:]}: {answer_text(q, value)}"
            for q, value in answers
            if q.key in CLEARANCES
        ],
    }


def _concern(key: str, value: object) -> bool:
    if key in REASSURING:
        return value is False
    if isinstance(value, bool):
        return value
    if isinstance(value, tuple | list):
        return bool(value)
    return value is not None and value not in NOT_CONCERNS.get(key, ("none",))


def _programme(
    prescription: Prescription | None, created: date, library: Library
) -> dict[str, Any]:
    if prescription is None:
        return {"kind": "built-in", "clinician": None, "date": None, "note": None, "stages": []}
    return {
        "kind": "prescription",
        "clinician": prescription.clinician,
        "date": prescription.date.isoformat(),
        "note": prescription.note,
        "stages": [
            {
                "from_week": stage.from_week,
                # The prescription counts its own weeks; the rest of the report counts
                # program weeks: both are given so nobody has to work one out.
                "program_week": program_week(prescription, created, stage),
                "items": [
                    {
                        "exercise": item.exercise,
                        "name": _name(item.exercise, library),
                        "dose": dose(
                            item.sets, item.reps, item.seconds, _sided(item.exercise, library)
                        ),
                        "days": item.days,
                        "support": item.support,
                        "note": item.note,
                        "override": item.override,
                    }
                    for item in stage.items
                ],
            }
            for stage in prescription.stages
        ],
    }


def _sided(exercise_id: str, library: Library) -> bool:
    found = library.exercises.get(exercise_id)
    return bool(found and found.per_side)


def _week(week: ReportWeek, library: Library) -> dict[str, Any]:
    numbers = week.numbers
    return {
        "week": week.week,
        "first_day": week.first_day.isoformat(),
        "last_day": week.last_day.isoformat(),
        "in_progress": numbers.in_progress,
        "programme": "prescription" if week.prescribed else "built-in",
        "planned_sets": week.planned_sets,
        "done_sets": week.done_sets,
        "adherence": None if numbers.in_progress else _adherence(week.done_sets, week.planned_sets),
        "pain_max": numbers.pain_max,
        "pain_mean": numbers.pain_mean,
        "morning_pain": numbers.checkin_pain,
        "morning_stiffness": numbers.checkin_stiffness,
        "impacts": numbers.impacts,
        "tests": [_test(result, library) for result in week.tests],
        "changes": [
            {
                "date": note.day.isoformat() if note.day else None,
                "exercise": note.exercise,
                "name": _name(note.exercise, library) if note.exercise else None,
                "kind": note.kind,
                "text": note_text(note, library),
            }
            for note in week.changes
        ],
        "pain_stops": [
            {
                "date": stop.day.isoformat(),
                "exercise": stop.exercise,
                "name": _name(stop.exercise, library),
                "pain": stop.pain,
                "notes": list(stop.notes),
            }
            for stop in week.pain_stops
        ],
        "emergency_stops": [
            {
                "date": stop.day.isoformat(),
                "cleared": stop.cleared_at.date().isoformat() if stop.cleared_at else None,
            }
            for stop in week.emergencies
        ],
    }


def _test(result: ReadinessResult, library: Library) -> dict[str, Any]:
    passed = passes(result, library.programme.readiness)
    if result.test == "heel-raise":
        measured = f"left {result.left if result.left is not None else '-'}, right " + (
            f"{result.right if result.right is not None else '-'}"
        )
    else:
        side = f" ({result.side})" if result.side and result.side != "both" else ""
        measured = f"pain {result.pain}/10{side}"
    return {
        "date": result.day.isoformat(),
        "test": result.test,
        "name": TEST_NAMES.get(result.test, result.test),
        "result": measured,
        "passed": passed,
    }


def _plan(plan: WeekPlan, profile: Profile, library: Library) -> dict[str, Any]:
    return {
        "week": plan.week,
        "level": plan.level,
        "days": [
            {
                "date": day.date.isoformat(),
                "items": [
                    {
                        "exercise": item.exercise.id,
                        "name": item.exercise.name,
                        "dose": item_dose(item),
                        "support": item.support,
                        "notes": prescribed_texts(item, plan, library),
                    }
                    for item in day.items
                ],
            }
            for day in plan.days
        ],
        "warnings": warning_texts(plan, library),
        "referral": referral_text(plan, profile, library),
    }
