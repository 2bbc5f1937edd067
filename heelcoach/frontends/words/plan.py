"""The plan in words: doses, exclusions, warnings, notices and why the ladders moved.
The domain hands over rule ids and numbers; every sentence about a plan is made here."""

from __future__ import annotations

from heelcoach.content.model import Library, Question
from heelcoach.domain.conditions import Facts, reasons
from heelcoach.domain.planner import (
    Exclusion,
    NoteKind,
    Notice,
    PlanItem,
    ProgressNote,
    WeekPlan,
)
from heelcoach.domain.prescription import CEILING_RULE, Conflict
from heelcoach.domain.profile import Profile
from heelcoach.domain.readiness import Readiness
from heelcoach.domain.safety import person_facts
from heelcoach.frontends.words import dose, listing


def item_dose(item: PlanItem) -> str:
    return dose(item.sets, item.reps, item.seconds, item.per_side)


def answer_text(question: Question, value: object) -> str:
    """An answer as a person reads it: yes/no, labels for choices, 'none', '-' unknown."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple | list):
        return ", ".join(question.label(str(v)) for v in value) or "none"
    if isinstance(value, str):
        return question.label(value)
    if isinstance(value, float):
        return f"{value:g}"
    return "-" if value is None else str(value)


def rule_text(rule_id: str, library: Library) -> str:
    """A rule's reason and advice, as one paragraph."""
    rule = library.rules[rule_id]
    return f"{rule.reason} {rule.advice}"


def gate_text(rule_id: str, library: Library) -> str:
    """'Locked until `heelcoach test hops` hurts less than 5/10.'"""
    rule = library.rules[rule_id]
    spec = library.programme.readiness
    if rule.test == "hops":
        bar = f"hurts less than {spec.hops_pass_below}/10"
    else:
        bar = f"hurts {spec.tiptoe_passes_at_most}/10 or less"
    return f"Locked until `heelcoach test {rule.test}` {bar}."  # a gate always names one


def exclusion_text(exclusion: Exclusion, library: Library) -> str:
    """Why an exercise is left out, what to do instead, and what would bring it back."""
    if exclusion.kind == "not-yet":
        week = exclusion.joins_week or 1
        level = library.programme.level_for(week)
        return f"Not yet: it joins at the {level} level (program week {week})."
    # A test opens a gate, and a clearance or a prescription lifts a rule, only when
    # nothing that stays keeps the exercise out: their words would promise what they
    # cannot give. A rule never lifted at home speaks alone.
    ruled = [r for r in exclusion.rules if library.rules[r].kind != "gate"]
    staying = [r for r in ruled if not library.rules[r].overridable]
    parts = [_rule_words(rule_id, library) for rule_id in staying or ruled or exclusion.rules]
    if exclusion.stand_in:
        parts.append(f"{library.exercises[exclusion.stand_in].name} is planned instead.")
    return " ".join(parts)


def _rule_words(rule_id: str, library: Library) -> str:
    """A rule's reason, then its advice, or for a readiness gate the test that opens it."""
    rule = library.rules[rule_id]
    if rule.kind == "gate":
        return f"{rule.reason} {gate_text(rule_id, library)}"
    return rule_text(rule_id, library)


def referral_text(plan: WeekPlan, profile: Profile, library: Library) -> str | None:
    """'You reported chest pain and pregnancy. <reason> <advice>' or None."""
    if not plan.referral:
        return None
    known = person_facts(profile, library, Readiness())
    keys = [key for rule_id in plan.referral for key in _reported(rule_id, library, known)]
    answers = [library.question(key).short for key in dict.fromkeys(keys)]
    said = " ".join(rule_text(rule_id, library) for rule_id in plan.referral)
    return f"You reported {listing(answers)}. {said}" if answers else said


def _reported(rule_id: str, library: Library, known: Facts) -> list[str]:
    condition = library.rules[rule_id].when
    return [] if condition is None else reasons(condition, known)


def warning_texts(plan: WeekPlan, library: Library, *, hold: bool = True) -> list[str]:
    """Everything to know before the first session: rules' advice, then the plan's notices
    (the hold on every dose unless `hold` is False) and the doses cut to the daily
    impact ceiling."""
    texts = [rule_text(rule_id, library) for rule_id in plan.warnings]
    texts += [notice_text(n, library) for n in plan.notices if hold or n.kind != "hold"]
    texts += cut_texts(plan, library)
    return texts


def notice_text(notice: Notice, library: Library) -> str:
    if notice.kind == "hold":
        return (
            "Two mornings in one week were too sore or stiff (above 5/10): every dose is "
            "held until a physical therapist has seen you (new pain can be a fracture). "
            "Record their review: `heelcoach screen` with your answers now, or their "
            "programme with `heelcoach prescribe`."
        )
    if notice.kind == "rescreen":
        question = library.question(notice.exercise or "")
        return (
            f"Your answer about {question.short} is more than {notice.wanted} months old: "
            "heelcoach keeps to it until you answer again. Run `heelcoach screen` (your "
            "programme week is kept) so the plan fits you now."
        )
    exercise = library.exercises[notice.exercise or ""]
    return (
        f"{exercise.name} is meant for {notice.wanted} days a week, but your training "
        f"days allow {notice.got}. Add a training day (`heelcoach screen`) to get the "
        "full dose."
    )


def cut_texts(plan: WeekPlan, library: Library) -> list[str]:
    """One line per exercise whose dose the daily impact ceiling cut this week."""
    seen: dict[str, str] = {}
    for item in plan.items():
        if item.cut_from and item.exercise.id not in seen:
            sets, reps = item.cut_from
            before = dose(sets, reps, None, item.per_side)
            seen[item.exercise.id] = (
                f"{item.exercise.name}: {before} would pass your daily ceiling of "
                f"{plan.impact_ceiling} heel strikes, so it is {item_dose(item)} "
                f"{'that day' if _alone(plan, item) else 'on days with other impact work'}. "
                f"{_ceiling_why(plan, library)}"
            )
    return list(seen.values())


def _alone(plan: WeekPlan, cut: PlanItem) -> bool:
    return all(
        sum(1 for item in day.items if item.heel_strikes) == 1
        for day in plan.days
        if cut in day.items
    )


def _ceiling_why(plan: WeekPlan, library: Library) -> str:
    ceiling = library.programme.impact_ceiling
    if plan.impact_ceiling == ceiling.default:
        return (  # clinical-notes.md: the consensus is written for people with osteoporosis
            f"The Royal Osteoporosis Society advises building up gradually to about "
            f"{ceiling.default} a day, in advice written for people with osteoporosis."
        )
    return (
        f"The Royal Osteoporosis Society builds up to about {ceiling.default} a day; with "
        "low bone density, age 65 or over, a past fracture or a sore joint, heelcoach "
        f"starts at {ceiling.cautious[0][1]} and raises it as your level moves on "
        f"({plan.impact_ceiling} now)."
    )


# Why a ladder moved or held, by the note's kind; `note_text` fills in the numbers.
NOTE_TEXTS: dict[NoteKind, str] = {
    "moved-on": "moved on: {share} of planned sets done in {week}, pain at most 5",
    "moved-on-slowly": (
        "moved on at half pace: the sets were done, but without a next-morning check-in or "
        "a pain rating for most of them in {week} (`heelcoach checkin`, `log --pain`, the "
        "end-of-session question); with both it moves on every week"
    ),
    "held-nothing-planned": (
        "held: nothing was planned in {week}, so nothing showed the dose was easy"
    ),
    "held-review": (
        "held in {week}: waiting for a physical therapist's review after two sore mornings"
    ),
    "held-one-at-a-time": (
        "held in {week}: {name} waits a week, as another load on the same tendon rises this "
        "week (never two at once)"
    ),
    "comeback": (
        "stepped back after {count} weeks with nothing done: doses restart lower and build up "
        "again (a hop or tiptoe test from before a break of three weeks or more is asked again)"
    ),
    "held-adherence": "held: {share} of planned sets done in {week} (moving on needs {needed})",
    "held-unrated": (
        "held: only {share} of planned sets in {week} had a pain rating of 5 or less (rate "
        "pain with `log --pain`, `p` in a session or the end-of-session question; without "
        "ratings it moves on every second week)"
    ),
    "held-mornings": (
        "held: {count} of {limit} training days in {week} had a next-morning check-in "
        "(`heelcoach checkin`: with most of them it moves on every week, without them every "
        "second week)"
    ),
    "held-bad-mornings": "held: {count} mornings in {week} were too sore or stiff",
    "held-stepped-back": "held: a dose was stepped back in {week}",
    "stepped-back-pain": "stepped back: {name} hurt {count}/10 on {day} (above 5 is too much)",
    "stepped-back-morning": (
        "stepped back: the check-in on {day} (pain {count}/10, stiffness {extra}/10) was too "
        "much or worse than the one before"
    ),
}


def note_text(note: ProgressNote, library: Library) -> str:
    """Why a ladder moved or held, in a line."""
    week = f"week {note.week}"
    return NOTE_TEXTS[note.kind].format(
        week=week,
        day=f"{note.day:%a %d %b}" if note.day else week,
        name=library.exercises[note.exercise].name.lower() if note.exercise else "the plan",
        share=_share(note.value),
        needed=_share(note.limit),
        count=int(note.value or 0),
        limit=int(note.limit or 0),
        extra=int(note.extra or 0),
    )


def _share(value: float | None) -> str:
    return f"{(value or 0):.0%}"


def alternates(item: PlanItem) -> bool:
    """Eccentric drops on one leg can be done in turn, left and right (004)."""
    return item.exercise.family == "achilles" and item.per_side


def alternate_tip(plan: WeekPlan, alternate_legs: bool) -> str | None:
    """004: if 10 in a row on one leg is too hard, alternate; offered, never imposed."""
    if alternate_legs or not any(alternates(item) for item in plan.items()):
        return None
    return (
        "if 10 slow drops in a row on one leg are too hard, do them in turn: one left, "
        "one right. Switch it on with `heelcoach settings alternate-legs on`."
    )


# --------------------------------------------------------------------------- prescriptions


def programme_text(plan: WeekPlan) -> str:
    """Which programme the week follows: the built-in one, or a clinician's."""
    written, pending = plan.prescribed, plan.prescription
    if written is not None:
        return (
            f"Programme: prescribed by {written.clinician} ({written.date:%d %b %Y}); "
            "`heelcoach prescribe --clear` returns to the built-in programme."
        )
    if pending is not None:
        return (
            f"Programme: heelcoach's built-in programme until the prescription by "
            f"{pending.clinician} begins ({pending.date:%d %b %Y})."
        )
    return "Programme: heelcoach's built-in programme."


def rule_reason(rule_id: str, plan_ceiling: int | None, library: Library) -> str:
    """A rule's reason; the impact ceiling's names this person's number."""
    reason = library.rules[rule_id].reason
    if rule_id == CEILING_RULE and plan_ceiling is not None:
        return f"{reason} (your ceiling: {plan_ceiling} a day)"
    return reason


def prescribed_texts(item: PlanItem, plan: WeekPlan, library: Library) -> list[str]:
    """What a prescribed item carries beside its dose: overrides, lighter doses, the note."""
    if item.written is None or plan.prescribed is None:
        return []
    by = plan.prescribed.clinician
    texts = [
        f"prescribed by {by} despite: {rule_reason(rule, plan.impact_ceiling, library)}"
        for rule in item.despite
    ]
    written = dose(item.written.sets, item.written.reps, item.written.seconds, item.per_side)
    if item_dose(item) != written and item.cut_from is None:
        texts.append(
            f"prescribed {written}; now {item_dose(item)}: {STEP_RULE}"
            if (item.rung or 0) < 0
            else f"prescribed {written}; held at {item_dose(item)}: {HOLD_RULE}"
        )
    if item.written.note:
        texts.append(f"note from {by}: {item.written.note}")
    return texts


STEP_RULE = (
    "stepped back after pain above 5/10 or a worse morning (one set fewer per step, then "
    "a third fewer reps or seconds); a week with 80% of sets done at pain 5 or less "
    "brings it back a step"
)
HOLD_RULE = (
    "the next prescribed dose waits for a week with 80% of sets done at pain 5 or less "
    "and most mornings checked in"
)


def conflict_text(conflict: Conflict, ceiling: int, library: Library) -> str:
    """One conflict as `prescribe` lists it: exercise, stage, the rule's reason."""
    rule = library.rules[conflict.rule]
    name = library.exercises[conflict.exercise].name
    where = f"{name} ({conflict.exercise}), stage from week {conflict.from_week}"
    reason = rule_reason(conflict.rule, ceiling, library)
    if conflict.lifted:
        return f"{where}: kept by override despite: {reason}"
    if not rule.overridable:
        return f"{where}: {reason} [{conflict.rule}: cannot be overridden at home]"
    return f"{where}: {reason} [{conflict.rule}: give `override: <reason>` to keep it]"
