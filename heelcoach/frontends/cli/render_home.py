"""The home screen drawn with Rich: the first-run welcome and the one-screen overview."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from heelcoach.content.model import Library
from heelcoach.domain.planner import Notice
from heelcoach.domain.profile import Profile
from heelcoach.frontends.cli.lines import frame
from heelcoach.frontends.safe_text import block, rich_text
from heelcoach.frontends.words import plural
from heelcoach.frontends.words.plan import item_dose, notice_text, referral_text, rule_text
from heelcoach.services.home import Overview, TodayItem


def welcome_renderable(console: Console, data_dir: Path) -> RenderableType:
    text = (
        "heelcoach coaches heel exercises for stronger bones and healthier Achilles "
        "tendons: a short screening decides what is safe for you, then you get a weekly "
        "plan, live coaching through each session, and a history of how it went.\n\n"
        "heelcoach is a coach, not a clinician: it is not medical advice.\n"
        f"Your answers and history stay on this computer, in {data_dir}."
    )
    return Panel(block(text), title="Welcome to heelcoach", box=frame(console))


def overview_renderable(overview: Overview, profile: Profile, library: Library) -> RenderableType:
    title = Text.assemble(
        ("heelcoach", "bold"),
        f"  {overview.today:%a %d %b %Y}  -  week {overview.week}, {overview.level}",
    )
    parts: list[RenderableType] = [title, Text()]
    referral = referral_text(overview.plan, profile, library)
    if referral:
        parts.append(
            Panel(
                block(referral), title="See a professional first", border_style="red", expand=False
            )
        )
    else:
        if overview.plan.progress.hold:
            parts += [Text(notice_text(Notice("hold"), library), style="bold red"), Text()]
        for notice in overview.plan.notices:
            if notice.kind == "rescreen":
                parts += [Text(notice_text(notice, library), style="bold"), Text()]
        parts += _session_lines(overview)
        parts += _before_first(overview, library)
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column()
    if not referral:
        facts.add_row("Check-in", _checkin_text(overview))
        facts.add_row("This week", _adherence_text(overview))
        facts.add_row("Streak", _streak_text(overview, library))
    next_text = Text(overview.next_command, style="bold green")
    if referral:
        next_text.append("  once a professional has cleared you", style="default")
    facts.add_row("Next", next_text)
    parts += [Text(), facts]
    return Group(*parts)


def _before_first(overview: Overview, library: Library) -> list[RenderableType]:
    """The screening's advice for before the first session, until there has been one."""
    if not overview.first_session or not overview.plan.warnings:
        return []
    lines = [Text(f"! {rule_text(rule, library)}") for rule in overview.plan.warnings]
    return [Text(), Text("Before your first session", style="bold yellow"), *lines]


def _session_lines(overview: Overview) -> list[RenderableType]:
    if overview.training_today:
        heading = "Today's session"
    elif overview.today < overview.starts and overview.next_day is not None:
        heading = f"Your program starts on {overview.next_day:%a %d %b}"
    elif overview.next_day is not None:
        heading = f"Rest day. Next training day: {overview.next_day:%a %d %b}"
    else:
        return [Text("Rest day.")]
    rows = Table.grid(padding=(0, 2))
    rows.add_column(no_wrap=True)
    rows.add_column(no_wrap=True)
    rows.add_column(no_wrap=True, style="dim")
    for number, item in enumerate(overview.items, 1):
        name = item.item.exercise.name
        rows.add_row(
            rich_text(f"  {number}. {name}"),
            rich_text(item_dose(item.item)),
            _done_text(item, overview),
        )
    return [Text(heading, style="bold"), rows]


def _done_text(item: TodayItem, overview: Overview) -> str:
    if not overview.training_today or item.done == 0:
        return ""
    return "done" if item.done >= item.planned else f"{item.done} of {item.planned} sets"


def _checkin_text(overview: Overview) -> str:
    if overview.missing_checkin is None:
        return "nothing missing"
    return f"missing after {overview.missing_checkin:%A}'s session: run `heelcoach checkin`"


def _adherence_text(overview: Overview) -> str:
    planned, done = overview.planned_so_far, overview.done_so_far
    if planned == 0:
        return f"{plural(done, 'set')} done; none planned yet"
    share = min(1.0, done / planned)
    return f"{plural(done, 'set')} done, {planned} planned so far ({share:.0%})"


def _streak_text(overview: Overview, library: Library) -> str:
    bar = f"{library.programme.monitoring.move_on_adherence:.0%} or more of the planned sets"
    if overview.weeks_judged <= 0 and overview.streak == 0:
        return f"your first week: do {bar} to start a streak"
    return f"{plural(overview.streak, 'week')} on plan in a row ({bar})"
