"""Rich output for plans, the library, the screening and the history.

Rich is imported only by the report modules (this one, `render_history`, `home`,
`live_view`, `output`), so commands that print nothing fancy never pay for it. The console
(from `output`) writes plain text when piped or under `NO_COLOR`, and tables use ASCII
borders when piped, so a file or a screen reader gets clean text.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any, TextIO

from rich import box
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from heelcoach.content.model import Exercise, Library, Question
from heelcoach.domain.planner import PlanDay, WeekPlan
from heelcoach.domain.profile import Profile, check_value, parse_typed


def _box(target: Console) -> box.Box:
    return box.ROUNDED if target.is_terminal else box.ASCII


def _bullets(items: Sequence[str], mark: str = "-") -> Text:
    return Text("\n".join(f"{mark} {item}" for item in items))


# --------------------------------------------------------------------------- screening


def screening_intro(target: Console) -> None:
    target.print(
        Panel(
            "A few short questions decide which heel exercises are safe for you and how much "
            "to do. Your answers stay on this computer.\n"
            "heelcoach is a coach, not a clinician: it is not medical advice.",
            title="heelcoach screening",
            box=_box(target),
        )
    )


def ask(target: Console, question: Question, stream: TextIO) -> Any:
    """Ask one question until the answer is valid; return it in the file format."""
    from rich.prompt import Prompt  # only the screening asks anything

    target.print(f"\n[bold]{question.text}[/bold]")
    target.print(f"[dim]{question.help}[/dim]")
    hint = _answer_hint(question)
    while True:
        typed = Prompt.ask(
            f"  {hint}", console=target, default="", show_default=False, stream=stream
        )
        try:
            value = check_value(question, parse_typed(question, typed))
        except ValueError as error:
            target.print(f"  [red]{error}[/red]")
            continue
        return list(value) if isinstance(value, tuple) else value


def _answer_hint(question: Question) -> str:
    choices = ", ".join(question.choices or ())
    if question.type == "bool":
        return "y/n"
    if question.type == "choice":
        return choices
    if question.type == "multi":
        return f"comma-separated: {choices} (blank for none)"
    if question.type == "number_or_null":
        return "number, blank if unknown"
    span = f"{question.min:g}-{question.max:g}"
    return span if question.type == "int" else f"{span}, blank for none"


def screening_result(target: Console, plan: WeekPlan) -> None:
    if plan.referral:
        target.print(
            Panel(
                plan.referral,
                title="See a professional first",
                border_style="red",
                box=_box(target),
            )
        )
        return
    target.print("\n[green]Profile saved.[/green] Your plan starts today.")
    _exclusions_and_warnings(target, plan)
    target.print(
        "Next: [bold]heelcoach plan[/bold] to see the week, "
        "[bold]heelcoach start[/bold] to train now."
    )


def profile(target: Console, saved: Profile, library: Library) -> None:
    table = Table(
        title=f"Profile (program week 1 began {saved.created.isoformat()})",
        box=_box(target),
        show_header=False,
    )
    table.add_column("question")
    table.add_column("answer")
    for question in library.questions:
        table.add_row(question.text, _answer_text(getattr(saved, question.key)))
    target.print(table)


def _answer_text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return ", ".join(value) or "none"
    return "-" if value is None else str(value)


# --------------------------------------------------------------------------- plan


def week_plan(target: Console, plan: WeekPlan, today: date) -> None:
    first, last = plan.days[0].date, plan.days[-1].date
    target.print(
        f"[bold]Week {plan.week}[/bold] - {plan.level} - {first:%a %d %b} to {last:%a %d %b %Y}"
    )
    for reason in plan.level_reasons:
        target.print(f"[cyan]Level:[/cyan] {reason}")
    if plan.referral:
        target.print(
            Panel(
                plan.referral,
                title="See a professional first",
                border_style="red",
                box=_box(target),
            )
        )
        return
    for day in plan.days:
        _day(target, day, today)
    _exclusions_and_warnings(target, plan)


def _day(target: Console, day: PlanDay, today: date) -> None:
    marker = "  (today)" if day.date == today else ""
    heading = f"\n[bold]{day.date:%a %d %b}{marker}[/bold]"
    if day.is_rest:
        target.print(f"{heading}  [dim]rest day[/dim]")
        return
    target.print(heading)
    for number, item in enumerate(day.items, 1):
        target.print(
            Padding(
                Text.assemble((f"{number}. {item.exercise.name}", "bold"), f"  {item.dose}"),
                (0, 0, 0, 2),
                expand=False,
            )
        )
        details = [f"tempo: {item.exercise.tempo}", f"cue: {item.cue}"]
        if item.support:
            details.insert(0, f"support: {item.support}")
        for detail in details:
            target.print(Padding(Text(detail, style="dim"), (0, 0, 0, 5), expand=False))


def _exclusions_and_warnings(target: Console, plan: WeekPlan) -> None:
    if plan.excluded:
        target.print("\n[bold]Left out, and why[/bold]")
        for exclusion in plan.excluded:
            target.print(f"- [bold]{exclusion.exercise}[/bold]: {exclusion.reason}")
    if plan.warnings:
        target.print("\n[bold yellow]Before you start[/bold yellow]")
        target.print(_bullets(plan.warnings, "!"))
    target.print()


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
        table.add_row(exercise.id, name, exercise.family, work)
    target.print(table)
    target.print("Details: heelcoach show ID")


def exercise_detail(target: Console, exercise: Exercise, library: Library) -> None:
    not_for = [f"{library.rules[r].title}: {library.rules[r].reason}" for r in exercise.not_for]
    support_if = [library.rules[r].title for r in exercise.support_if]
    sections: list[RenderableType] = [
        Text(exercise.purpose),
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
        f"{', '.join(exercise.equipment) or 'none'}; source: {exercise.source}"
    )
    sections.append(Text(facts, style="dim"))
    target.print(
        Panel(Group(*sections), title=f"{exercise.name} ({exercise.id})", box=_box(target))
    )


def _section(title: str, lines: Sequence[str]) -> Group:
    return Group(Text(f"\n{title}", style="bold"), _bullets(lines) if lines else Text("-"))
