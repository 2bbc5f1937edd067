"""What `heelcoach` with no command shows: a welcome on first run, then today's overview.

The overview answers "what now?" on one 80x24 screen: today's session (or the next
training day), a missing morning check-in, this week's sets so far, the streak of weeks
on plan, any referral, and exactly one command to run next. Facts are gathered into an
`Overview` first and drawn afterwards, so the rules can be tested without a terminal.

Rich is imported only inside the drawing functions; `heelcoach.cli` imports this module
only when the root command runs.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from heelcoach import paths
from heelcoach.errors import EXIT_REFUSED, Refused

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from heelcoach.content import Library
    from heelcoach.planner import PlanDay, PlanItem, WeekPlan
    from heelcoach.screening import Profile


@dataclass(frozen=True)
class TodayItem:
    name: str
    dose: str
    planned: int  # set rows: one-sided work counts each side
    done: int


@dataclass(frozen=True)
class Overview:
    """Everything the home screen says, as plain values."""

    today: date
    starts: date  # the day program week 1 begins
    week: int
    level: str
    referral: str | None
    training_today: bool
    items: tuple[TodayItem, ...]  # today's session, or the next training day's
    next_day: date | None  # the next training day when today is a rest day
    missing_checkin: date | None  # the training day whose next-morning check-in is missing
    planned_so_far: int
    done_so_far: int
    streak: int  # weeks on plan in a row (`heelcoach stats` counts it the same way)
    weeks_judged: int  # finished program weeks

    @property
    def sets_left(self) -> bool:
        return self.training_today and any(item.done < item.planned for item in self.items)

    @property
    def next_command(self) -> str:
        """The one thing to do next."""
        if self.referral:
            return "heelcoach screen"
        if self.missing_checkin is not None:
            return "heelcoach checkin"
        if self.sets_left:
            return "heelcoach start"
        return "heelcoach plan"


# --------------------------------------------------------------------------- entry point


def show_home(interactive: bool, today: date) -> None:
    """The root command: welcome and screening on first run, else the overview."""
    from heelcoach.content import load_library
    from heelcoach.screening import load_profile

    library = load_library()
    profile = load_profile(library)
    if profile is None:
        _first_run(library, interactive, today)
        return
    overview = build_overview(profile, library, today)
    from heelcoach import render

    render.console().print(overview_renderable(overview))
    if overview.referral:
        import typer

        raise typer.Exit(EXIT_REFUSED)


def _first_run(library: Library, interactive: bool, today: date) -> None:
    from heelcoach import cli, render

    console = render.console()
    console.print(welcome_renderable(console))
    if not interactive:
        console.print("To begin, run [bold]heelcoach screen[/bold] in a terminal "
                      "(or [bold]heelcoach screen --answers FILE[/bold]).")
        raise Refused("no profile yet: run `heelcoach screen`")
    # The same questions, checks and saving as `heelcoach screen`.
    profile = cli.screen_interactively(library, today, intro=False)
    cli.report_screening(profile, library)


def welcome_renderable(console: Console) -> RenderableType:
    from rich import box
    from rich.panel import Panel

    text = (
        "heelcoach coaches heel exercises for stronger bones and healthier Achilles "
        "tendons: a short screening decides what is safe for you, then you get a weekly "
        "plan, live coaching through each session, and a history of how it went.\n\n"
        "heelcoach is a coach, not a clinician: it is not medical advice.\n"
        f"Your answers and history stay on this computer, in {paths.data_dir()}."
    )
    # Plain ASCII borders when piped, as everywhere else, so a file gets clean text.
    frame = box.ROUNDED if console.is_terminal else box.ASCII
    return Panel(text, title="Welcome to heelcoach", box=frame)


# --------------------------------------------------------------------------- the facts


def build_overview(profile: Profile, library: Library, today: date) -> Overview:
    """Read the plan and the history and work out what the home screen says."""
    from heelcoach.planner import build_week, week_of
    from heelcoach.progression import load_history, missing_checkin, review_weeks
    from heelcoach.stats import Plan, streak_on_plan
    from heelcoach.store import Store

    week = week_of(profile, today)
    # The same ladder `plan` climbs: the last entry is this week as `plan` shows it.
    reviews = review_weeks(profile, library, load_history(profile, today), week)
    plan, _, progress = reviews[-1]
    with Store.open(create=False) as store:
        done_week = store.sets(since=plan.days[0].date, until=today)
    done_today = Counter(record.exercise for record in done_week if record.day == today)
    day = plan.day(today)
    training_today = day is not None and not day.is_rest and not plan.referral
    next_day = None
    if not training_today and not plan.referral:
        following = build_week(profile, library, week + 1, progress)
        next_day = _next_training_day(plan, today) or _next_training_day(following, today)
    shown = day if training_today else next_day
    items = tuple(_today_item(item, done_today) for item in (shown.items if shown else ()))
    planned = sum(item.set_rows for d in plan.days if d.date <= today for item in d.items)
    judged = ([Plan(review.week, review.planned_sets, review.done_sets)
               for _, review, _ in reviews] if today >= profile.created else [])
    return Overview(today, profile.created, plan.week, plan.level, plan.referral,
                    training_today, items, next_day.date if next_day else None,
                    missing_checkin(today), planned, len(done_week),
                    streak_on_plan(judged, week), len(judged) - 1)


def _today_item(item: PlanItem, done: Counter[str]) -> TodayItem:
    return TodayItem(item.exercise.name, item.dose, item.set_rows, done[item.exercise.id])


def _next_training_day(plan: WeekPlan, today: date) -> PlanDay | None:
    return next((d for d in plan.days if d.date > today and not d.is_rest), None)


# --------------------------------------------------------------------------- drawing


def overview_renderable(overview: Overview) -> RenderableType:
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    title = Text.assemble(("heelcoach", "bold"),
                          f"  {overview.today:%a %d %b %Y}  -  week {overview.week}, "
                          f"{overview.level}")
    parts: list[RenderableType] = [title, Text()]
    if overview.referral:
        parts.append(Panel(overview.referral, title="See a professional first",
                           border_style="red", expand=False))
    else:
        parts += _session_lines(overview)
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column()
    if not overview.referral:
        facts.add_row("Check-in", _checkin_text(overview))
        facts.add_row("This week", _adherence_text(overview))
        facts.add_row("Streak", _streak_text(overview))
    next_text = Text(overview.next_command, style="bold green")
    if overview.referral:
        next_text.append("  once a professional has cleared you", style="default")
    facts.add_row("Next", next_text)
    parts += [Text(), facts]
    return Group(*parts)


def _session_lines(overview: Overview) -> list[RenderableType]:
    from rich.table import Table
    from rich.text import Text

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
        rows.add_row(f"  {number}. {item.name}", item.dose, _done_text(item, overview))
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
        return f"{done} sets done; none planned yet"
    share = min(1.0, done / planned)
    return f"{done} sets done, {planned} planned so far ({share:.0%})"


def _streak_text(overview: Overview) -> str:
    from heelcoach.records import plural
    from heelcoach.stats import ON_PLAN

    bar = f"{ON_PLAN:.0%} or more of the planned sets"
    if overview.weeks_judged <= 0 and overview.streak == 0:
        return f"your first week: do {bar} to start a streak"
    return f"{plural(overview.streak, 'week')} on plan in a row ({bar})"
