"""Rich output for the plan, the exercise library and the screening.

Text from the content or a person's own exercise files goes through `safe_text`: shown as
written, never as markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from rich import box
from rich.console import Console, Group, RenderableType
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from heelcoach.content.model import Exercise, Library
from heelcoach.domain.planner import Notice, PlanDay, WeekPlan
from heelcoach.domain.profile import Profile, asked
from heelcoach.domain.text import clean, line
from heelcoach.frontends.cli.lines import Lines, frame
from heelcoach.frontends.safe_text import block, rich_text
from heelcoach.frontends.words.plan import (
    alternate_tip,
    alternates,
    answer_text,
    exclusion_text,
    item_dose,
    note_text,
    notice_text,
    prescribed_texts,
    programme_text,
    referral_text,
    warning_texts,
)
from heelcoach.services.screening import PlanChange

# --------------------------------------------------------------------------- screening


def screening_intro(target: Console) -> None:
    target.print(
        Panel(
            "A few short questions decide which heel exercises are safe for you and how much "
            "to do. Your answers stay on this computer.\n"
            "heelcoach is a coach, not a clinician: it is not medical advice.",
            title="heelcoach screening",
            box=frame(target),
        )
    )


def screening_result(
    target: Console, plan: WeekPlan, person: Profile, library: Library, starts: str
) -> None:
    """After saving: a referral, or when the plan `starts`, what was left out and why, and
    what to do next."""
    referral = referral_text(plan, person, library)
    if referral:
        _alert(target, "See a professional first", referral)
        return
    out = Lines(target)
    out.blank()
    out.add(("Profile saved.", "green"), " ", line(starts))
    _exclusions_and_warnings(out, plan, library)
    out.add(
        "Next: ",
        ("heelcoach plan", "bold"),
        " to see the week, ",
        ("heelcoach start", "bold"),
        " to train now.",
    )
    out.print()


def plan_change(target: Console, change: PlanChange, library: Library) -> None:
    """What a new screening changed in this week's plan."""
    target.print("\n[bold]What changed in this week's plan[/bold]")
    if change.nothing:
        target.print("- Nothing: the same exercises as before.")
    if change.referral_now:
        target.print("- Your new answers call for a professional's check before any training.")
    if change.referral_lifted:
        target.print("- The reason to see a professional first no longer applies.")
    for exclusion in change.now_left_out:
        name = library.exercises[exclusion.exercise].name
        why = exclusion_text(exclusion, library)
        target.print(Text.assemble("- Now left out: ", (name, "bold"), f": {why}"))
    for exercise_id in change.back_in:
        target.print(
            Text.assemble("- Now in your plan: ", (library.exercises[exercise_id].name, "bold"))
        )


def profile(target: Console, saved: Profile, library: Library) -> None:
    """The saved answers: only the questions that applied (a skipped one was never asked)."""
    table = Table(
        title=f"Profile (program week 1 began {saved.created.isoformat()})",
        box=frame(target),
        show_header=False,
    )
    table.add_column("question")
    table.add_column("answer")
    for question in asked(saved, library):
        table.add_row(
            rich_text(question.text),
            rich_text(answer_text(question, getattr(saved, question.key))),
        )
    target.print(table)


def _alert(target: Console, title: str, text: str) -> None:
    target.print(Panel(escape(text), title=title, border_style="red", box=frame(target)))


# --------------------------------------------------------------------------- plan


def week_plan(
    target: Console,
    plan: WeekPlan,
    today: date,
    person: Profile,
    library: Library,
    alternate_legs: bool = False,
) -> None:
    first, last = plan.days[0].date, plan.days[-1].date
    out = Lines(target)
    out.add(
        (f"Week {plan.week}", "bold"), f" - {plan.level} - {first:%a %d %b} to {last:%a %d %b %Y}"
    )
    out.add(line(programme_text(plan)), style="cyan")
    if plan.prescribed is not None and plan.prescribed.note:
        out.add(line(f"Note from {plan.prescribed.clinician}: {plan.prescribed.note}"))
    for note in plan.progress.notes:
        out.add(("Level:", "cyan"), " ", line(note_text(note, library)))
    out.print()
    referral = referral_text(plan, person, library)
    if referral:
        _alert(target, "See a professional first", referral)
        return
    if plan.progress.hold:
        _alert(target, "See a physical therapist", notice_text(Notice("hold"), library))
    for day in plan.days:
        _day(out, day, today, plan, library, alternate_legs)
    tip = alternate_tip(plan, alternate_legs)
    if tip:
        out.blank()
        out.add(line(f"Tip: {tip}"), style="dim")
    _exclusions_and_warnings(out, plan, library)
    out.print()


def _day(
    out: Lines,
    day: PlanDay,
    today: date,
    plan: WeekPlan,
    library: Library,
    alternate_legs: bool = False,
) -> None:
    marker = "  (today)" if day.date == today else ""
    heading = (f"{day.date:%a %d %b}{marker}", "bold")
    out.blank()
    if day.is_rest:
        out.add(heading, ("  rest day", "dim"))
        return
    out.add(heading)
    for number, item in enumerate(day.items, 1):
        name = (f"{number}. {line(item.exercise.name)}", "bold")
        out.add(name, f"  {line(item_dose(item))}", indent=2)
        details = [f"tempo: {item.exercise.tempo}", f"cue: {item.exercise.cues[0]}"]
        if alternate_legs and alternates(item):
            details.append("legs: in turn, one left then one right (your setting)")
        if item.support:
            details.insert(0, f"support: {item.support}")
        details += prescribed_texts(item, plan, library)
        for detail in details:
            out.add(line(detail), indent=5, style="dim")


def _exclusions_and_warnings(out: Lines, plan: WeekPlan, library: Library) -> None:
    if plan.excluded:
        out.blank()
        out.add(("Left out, and why", "bold"))
        for exclusion in plan.excluded:
            name = library.exercises[exclusion.exercise].name
            out.add("- ", (line(name), "bold"), ": ", line(exclusion_text(exclusion, library)))
    warnings = warning_texts(plan, library, hold=False)  # a hold has a panel of its own
    if warnings:
        out.blank()
        out.add(("Before you start", "bold yellow"))
        for warning in warnings:
            out.add(f"! {line(warning)}")
    out.blank()


# --------------------------------------------------------------------------- library


def exercise_list(target: Console, library: Library) -> None:
    table = Table(box=box.SIMPLE_HEAD if target.is_terminal else box.ASCII2, pad_edge=False)
    table.add_column("ID", no_wrap=True)  # ids are typed back, so never cut them short
    table.add_column("Name")
    table.add_column("Family", no_wrap=True)
    table.add_column("Work", no_wrap=True)
    for exercise in library.exercises.values():
        name = exercise.name + (" (yours)" if exercise.custom else "")
        work = exercise.measure + (", per side" if exercise.per_side else "")
        table.add_row(*(rich_text(cell) for cell in (exercise.id, name, exercise.family, work)))
    target.print(table)
    target.print("Details: heelcoach show ID")


def exercise_detail(target: Console, exercise: Exercise, library: Library) -> None:
    not_for = [f"{library.rules[r].title}: {library.rules[r].reason}" for r in exercise.not_for]
    support_if = [library.rules[r].title for r in exercise.support_if]
    sections: list[RenderableType] = [
        block(exercise.purpose),
        _section("Setup", exercise.setup),
        _section(
            "Tempo (one rep)", [f"{p.name} {p.seconds:g} s - {p.cue}" for p in exercise.phases]
        ),
        _section("Cues", exercise.cues),
        _section("Mistakes to avoid", exercise.mistakes),
        _section("Stop if", exercise.stop_if),
        _section("Who should not do it", not_for or ["No specific exclusions."]),
    ]
    if support_if:
        sections.append(_section("Hold a support if", support_if))
    facts = (
        f"{exercise.family}, {exercise.measure}, impact {exercise.impact}"
        f"{', per side' if exercise.per_side else ''}; equipment: "
        f"{', '.join(exercise.equipment) or 'none'}"
    )
    sections.append(_section("Source", [library.cite(exercise.source)]))
    sections.append(block(facts, style="dim"))
    title = rich_text(f"{exercise.name} ({exercise.id})")
    target.print(Panel(Group(*sections), title=title, box=frame(target)))


def _section(title: str, lines: Sequence[str]) -> Group:
    return Group(
        Text(f"\n{title}", style="bold"),
        Text("\n".join(f"- {clean(line)}" for line in lines) or "-"),
    )
