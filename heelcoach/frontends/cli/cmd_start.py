"""`heelcoach start`: today's session, live, with every finished set saved at once."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from heelcoach.context import Context
from heelcoach.errors import EXIT_INTERRUPTED, EXIT_REFUSED, Refused
from heelcoach.frontends.cli.common import complete_exercise_id, context, parse_date

if TYPE_CHECKING:
    from datetime import date

    from heelcoach.content.model import Library
    from heelcoach.domain.profile import Profile
    from heelcoach.domain.session import SessionItem
    from heelcoach.frontends.live.runner import SessionOutcome
    from heelcoach.services.training import Choice
    from heelcoach.storage.store import Store


def start(
    tctx: typer.Context,
    exercise: Annotated[
        str | None,
        typer.Option(
            "--exercise",
            metavar="ID",
            autocompletion=complete_exercise_id,
            help="Run just this exercise from this week's plan. "
            "Example: heelcoach start --exercise eccentric-heel-drop",
        ),
    ] = None,
    day: Annotated[
        str | None,
        typer.Option(
            "--day",
            metavar="DATE",
            help="Run the session planned for another day. "
            "Example: heelcoach start --day 2026-11-24",
        ),
    ] = None,
    speed: Annotated[
        float,
        typer.Option(
            "--speed",
            min=0.1,
            max=1000.0,
            help="Run the clock X times faster: for demos and tests only, not for training. "
            "Example: heelcoach start --speed 20",
        ),
    ] = 1.0,
    plain: Annotated[
        bool,
        typer.Option(
            "--plain",
            help="One line per event instead of the full-screen view (for screen "
            "readers and logs; automatic when output is not a terminal or "
            "TERM=dumb). Example: heelcoach start --plain",
        ),
    ] = False,
    sound: Annotated[
        bool,
        typer.Option(
            "--sound",
            help="Ring the terminal bell at phase changes and speak them with "
            "espeak-ng or say when installed. Example: heelcoach start --sound",
        ),
    ] = False,
    yes: Annotated[
        bool,
        typer.Option(
            "--yes", "-y", help="Start without the 'ready?' question. Example: heelcoach start -y"
        ),
    ] = False,
) -> None:
    """Run today's session live: paced reps, timers, rests, cues; every set saved at once.

    Keys: space pause, n finish the set now, s skip the exercise, q quit,
    p report pain 0-10, ! chest pain or dizziness (stops everything).

    Example: heelcoach start
    """
    from heelcoach.frontends.cli.cmd_plan import profile_or_screen, remind_checkin
    from heelcoach.frontends.cli.console import confirm, say
    from heelcoach.services import common, training

    ctx = context(tctx)
    library = common.library(ctx)
    profile = profile_or_screen(ctx, library)
    on_day = parse_date(day, "--day") if day else None
    with common.open_store(ctx, create=False) as store:
        choice = _choose(ctx, store, profile, library, on_day, exercise)
        remind_checkin(ctx, store)
        if choice.is_rest:
            choice = _rest_day(ctx, store, profile, library, choice)
    items = training.session_items(choice.items)
    _outline(ctx, choice, items)
    if not yes and ctx.interactive and not confirm(ctx, "Ready? Start now", default=True):
        say(ctx, "Not started. Run `heelcoach start` when you are ready.")
        return
    _run_live(ctx, items, speed=speed, plain=plain, sound=sound)


def _choose(
    ctx: Context,
    store: Store,
    profile: Profile,
    library: Library,
    on_day: date | None,
    exercise: str | None,
) -> Choice:
    """Today's (or that day's, or that exercise's) session; a refusal says why in words."""
    from heelcoach.frontends.plan_words import exclusion_text, referral_text
    from heelcoach.services import training

    try:
        return training.choose(
            store, profile, library, ctx.today, on_day=on_day, exercise_id=exercise
        )
    except training.NoHomePlan as refused:
        raise Refused(referral_text(refused.plan, profile, library) or str(refused)) from None
    except training.NotInPlan as refused:
        if refused.exclusion is None:
            raise
        name = library.exercises[refused.exercise_id].name
        why = exclusion_text(refused.exclusion, library)
        raise Refused(f"{name} is not in your plan: {why}") from None


def _rest_day(
    ctx: Context, store: Store, profile: Profile, library: Library, choice: Choice
) -> Choice:
    from heelcoach.frontends.cli.console import confirm, say
    from heelcoach.services import training

    upcoming = training.next_training_day(store, profile, library, choice.day)
    say(ctx, f"{choice.day:%a %d %b} is a rest day in your plan: rest lets bone and tendon adapt.")
    if upcoming is None:
        raise typer.Exit(0)
    say(
        ctx,
        f"Next training day: {upcoming.date:%a %d %b} "
        f"({', '.join(item.exercise.name for item in upcoming.items)}).",
    )
    if not ctx.interactive or not confirm(ctx, "Do that session now instead", default=False):
        raise typer.Exit(0)
    return training.choose(store, profile, library, ctx.today, on_day=upcoming.date)


def _outline(ctx: Context, choice: Choice, items: list[SessionItem]) -> None:
    from heelcoach.frontends.cli.console import say
    from heelcoach.frontends.words import plural
    from heelcoach.services import training

    total_sets = sum(item.set_rows for item in items)
    minutes = training.estimated_minutes(items)
    say(
        ctx,
        f"Session for {choice.day:%a %d %b}: {plural(len(items), 'exercise')}, "
        f"{plural(total_sets, 'set')}, about {plural(minutes, 'minute')}.",
    )
    for number, item in enumerate(items, 1):
        side = " per side" if item.per_side else ""
        support = f" - support: {item.support}" if item.support else ""
        say(ctx, f"  {number}. {item.name}: {item.sets} x {item.measure}{side}{support}")


def _run_live(
    ctx: Context, items: list[SessionItem], *, speed: float, plain: bool, sound: bool
) -> None:
    from heelcoach.frontends.live.runner import run_session
    from heelcoach.services import common, training

    done_on = ctx.today  # another day's session counts for the day it is actually done
    with common.open_store(ctx, create=True) as store:
        session_id = training.begin(store, done_on)
        saver = training.SetSaver(store, session_id, done_on, speed)
        try:
            outcome = run_session(
                items, on_set_finished=saver, speed=speed, plain=plain, sound=sound, out=ctx.stdout
            )
        except BaseException:  # a closed terminal (SIGHUP) or SIGTERM: sets are saved
            training.finish(store, session_id, "interrupted")
            raise
        # Close the session record first: a Ctrl-C at the question below must not leave it
        # marked as running.
        training.finish(store, session_id, outcome.reason)
        _summary(ctx, outcome)
        if outcome.reason in ("completed", "quit") and ctx.interactive:
            pain = _session_pain(ctx)
            if pain is not None:
                store.set_session_pain(session_id, pain)
    _closing(ctx, outcome)


SESSION_ENDINGS = {
    "completed": "Session completed",
    "quit": "Session quit",
    "emergency": "Session stopped for your safety",
    "interrupted": "Session interrupted",
}


def _summary(ctx: Context, outcome: SessionOutcome) -> None:
    from heelcoach.frontends.cli.console import say
    from heelcoach.frontends.words import plural

    summary = outcome.summary
    minutes = summary.elapsed_seconds / 60
    say(
        ctx,
        f"\n{SESSION_ENDINGS[outcome.reason]}: {plural(len(outcome.saved), 'set')} "
        f"saved in {minutes:.0f} min.",
    )
    for result in summary.exercises:
        if result.sets_done or result.skipped:
            done = plural(result.reps, "rep") if result.reps else f"{result.seconds:.0f} s"
            flags = " (skipped)" if result.skipped else ""
            flags += " (stopped: pain)" if result.pain_stopped else ""
            say(ctx, f"  {result.name}: {plural(result.sets_done, 'set')}, {done}{flags}")
    for report in summary.pain_reports:
        say(ctx, f"  pain {report.pain}/10 during {report.exercise} set {report.set_number}")
    if outcome.message and not outcome.message_shown:
        say(ctx, outcome.message)


def _session_pain(ctx: Context) -> int | None:
    from heelcoach.frontends.cli.console import ask, say

    while True:
        try:
            typed = ask(ctx, "How much pain did this session cause, 0-10? (blank to skip) ")
        except EOFError:
            return None
        if not typed.strip():
            return None
        if typed.strip().isdecimal() and 0 <= int(typed) <= 10:
            return int(typed)
        say(ctx, "Type a whole number from 0 to 10.")


def _closing(ctx: Context, outcome: SessionOutcome) -> None:
    from heelcoach.frontends.cli.console import say

    if outcome.emergency:
        raise typer.Exit(EXIT_REFUSED)
    say(ctx, "Tomorrow morning, run `heelcoach checkin`: how you feel then decides the next dose.")
    if outcome.interrupted:
        raise typer.Exit(EXIT_INTERRUPTED)
