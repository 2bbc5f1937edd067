"""Keeping the logbook: `log` sets done away from the terminal, `undo` the last entry, and
the morning `checkin`. Each command imports what it uses when it runs."""

from typing import TYPE_CHECKING, Annotated

import typer

# Annotations are evaluated here (no `from __future__ import annotations`): Typer reads a
# command's options at start-up, and evaluating them from strings then costs more.
from heelcoach.context import Context
from heelcoach.errors import BadInput, Refused
from heelcoach.frontends.cli.common import WHOLE, complete_exercise_id, context
from heelcoach.frontends.cli.console import ask, ask_number, confirm, say, wrapped

if TYPE_CHECKING:
    from heelcoach.content.model import Library
    from heelcoach.domain.logbook import LogRequest
    from heelcoach.services.common import Store


def log(
    tctx: typer.Context,
    exercise: Annotated[
        str,
        typer.Argument(
            metavar="EXERCISE",
            autocompletion=complete_exercise_id,
            help="An exercise id from `heelcoach exercises`. "
            "Example: heelcoach log heel-drop --reps 10",
        ),
    ],
    sets: Annotated[
        int,
        typer.Option(
            parser=WHOLE,
            metavar="N",
            help="How many sets (1-20). Example: heelcoach log heel-drop --sets 2 --reps 10",
        ),
    ] = 1,
    reps: Annotated[
        int | None,
        typer.Option(
            parser=WHOLE,
            metavar="N",
            help="Reps in each set (1-200), for exercises counted in reps. "
            "Example: heelcoach log bridge --reps 10",
        ),
    ] = None,
    seconds: Annotated[
        int | None,
        typer.Option(
            parser=WHOLE,
            metavar="N",
            help="Seconds of each set (1-3600), for timed exercises. "
            "Example: heelcoach log calf-stretch --side both --seconds 30",
        ),
    ] = None,
    side: Annotated[
        str | None,
        typer.Option(
            metavar="left|right|both",
            help="For one-leg exercises (required for them): both = the sets were done on each "
            "leg. Example: heelcoach log eccentric-heel-drop --side both --reps 15",
        ),
    ] = None,
    pain: Annotated[
        int | None,
        typer.Option(
            parser=WHOLE,
            metavar="0-10",
            help="Pain during the sets, 0 (none) to 10. "
            "Example: heelcoach log heel-drop --reps 10 --pain 2",
        ),
    ] = None,
    on: Annotated[
        str | None,
        typer.Option(
            "--date",
            metavar="YYYY-MM-DD",
            help="The day the sets were done (default today; not in the future). "
            "Example: heelcoach log heel-drop --reps 10 --date 2026-11-20",
        ),
    ] = None,
    yes: Annotated[
        bool,
        typer.Option(
            "--yes",
            "-y",
            help="Record it even if your screening leaves this exercise out or it is far "
            "above the plan (for scripts). "
            "Example: heelcoach log heel-jump --reps 10 --yes",
        ),
    ] = False,
    note: Annotated[
        str | None,
        typer.Option(
            metavar="TEXT",
            help="A short note kept with the sets. "
            "Example: heelcoach log heel-drop --reps 10 "
            "--note 'on the stairs'",
        ),
    ] = None,
) -> None:
    """Record sets done away from the terminal.

    Example: heelcoach log heel-drop --sets 2 --reps 10
    """
    from heelcoach.domain.logbook import check_log, parse_day
    from heelcoach.frontends.words import describe_log
    from heelcoach.services import common
    from heelcoach.services.history_edits import save_log

    ctx = context(tctx)
    day = parse_day(on, "--date", ctx.today) if on is not None else ctx.today
    library = common.library(ctx)
    found = library.exercise(exercise)
    request = check_log(
        found, sets=sets, reps=reps, seconds=seconds, side=side, pain=pain, day=day, note=note
    )
    has_profile = _confirm_screened(ctx, library, found.id, yes)
    # Checked on a view that creates nothing, so a refusal leaves no empty history behind.
    with common.open_store(ctx, create=False) as store:
        _confirm_plausible(ctx, store, library, request, yes)
    with common.open_store(ctx, create=True) as store:
        first = not has_profile and store.latest_logged_set() is None
        save_log(store, request, ctx.now())
    ctx.done = describe_log(request)
    if first:
        ctx.stderr.write(
            "heelcoach: saved in your logbook; the plan and progression need a "
            "screening first: run `heelcoach screen`\n"
        )
    say(ctx, ctx.done)
    advice = _pain_advice(request)
    if advice is not None:
        say(ctx, wrapped(ctx, advice))
    say(ctx, "Changed your mind? heelcoach undo")


def _confirm_screened(ctx: Context, library: "Library", exercise_id: str, yes: bool) -> bool:
    """Warn about an exercise the screening leaves out today (as `plan` says), unless a
    prescription's override accepted each reason; record it only if confirmed. Returns
    whether a profile exists."""
    from heelcoach.domain.text import line
    from heelcoach.services.exercise_verdict import screening_verdict

    verdict = screening_verdict(ctx, library, exercise_id)
    rules = verdict.leaving_out
    if not rules:
        return verdict.screened
    name = library.exercises[exercise_id].name
    reason = " ".join(f"{rule.reason} {rule.advice}" for rule in rules)
    if not yes and not ctx.interactive:  # one line: the refusal says why
        raise Refused(
            f"{name} not recorded: your screening leaves it out: {reason} (add --yes to "
            "record it anyway)"
        )
    warning = line(f"warning: your screening leaves {name} out: {reason}")
    ctx.stderr.write(f"heelcoach: {warning}\n")
    if yes:
        return True
    if not confirm(ctx, "Record it anyway", default=False):
        raise Refused(f"{name} not recorded")
    return True


def _confirm_plausible(
    ctx: Context, store: "Store", library: "Library", request: "LogRequest", yes: bool
) -> None:
    """Ask about a request far above the plan (in a terminal), refuse it without one;
    `--yes` records it as given."""
    from heelcoach.services.log_check import doubt

    why = None if yes else doubt(ctx, store, library, request)
    if why is None:
        return
    if not ctx.interactive:
        raise Refused(f"{request.name} not recorded: {why}; check the numbers, or add --yes")
    say(ctx, wrapped(ctx, f"Check the numbers: {why}."))
    if not confirm(ctx, "Record it as typed", default=False):
        raise Refused(f"{request.name} not recorded")


def _pain_advice(request: "LogRequest") -> str | None:
    """Silbernagel's pain-monitoring model (clinical-notes.md): above 5/10 is too much."""
    from heelcoach.domain.monitoring import TOO_MUCH_PAIN_ABOVE

    if request.pain is None or request.pain <= TOO_MUCH_PAIN_ABOVE:
        return None
    return (
        f"Pain {request.pain}/10 is more than the {TOO_MUCH_PAIN_ABOVE}/10 that is fine during "
        f"exercise: stop {request.name.lower()} for today. Its next session steps back a stage "
        "where there is one below. Tomorrow morning, run `heelcoach checkin`; if the pain "
        "keeps coming back above 5, see a physical therapist."
    )


def undo(
    tctx: typer.Context,
    yes: Annotated[
        bool,
        typer.Option(
            "--yes", "-y", help="Remove without asking (for scripts). Example: heelcoach undo --yes"
        ),
    ] = False,
) -> None:
    """Remove what the last `heelcoach log` added, or the last live session, after asking.

    Example: heelcoach undo
    """
    from heelcoach.frontends.words import describe_live_undo, describe_undo
    from heelcoach.services import common
    from heelcoach.services.history_edits import (
        last_live_session,
        last_log_entry,
        undo_live_session,
    )
    from heelcoach.services.history_edits import undo as remove

    ctx = context(tctx)
    with common.open_store(ctx, create=False) as store:
        live = last_live_session(store)
        entry = last_log_entry(store) if live is None else None
        records = live.records if live is not None else entry.records if entry else ()
        what = (describe_live_undo if live else describe_undo)(records, _names(ctx))
        if not yes:
            if not ctx.stdin_isatty:
                raise BadInput(f"undo would remove {what}: confirm in a terminal or add --yes")
            if ask(ctx, f"Remove {what}? [y/N] ").strip().lower() not in ("y", "yes"):
                raise Refused("nothing removed")
        if live is not None:
            removed = undo_live_session(store, live)
        elif entry is not None:
            removed = remove(store, entry)
    ctx.done = (
        f"Removed {what}."
        if removed == len(records)
        else f"Removed {removed} of {len(records)} sets ({what}); the rest were already gone."
    )
    say(ctx, ctx.done)


def _names(ctx: Context) -> dict[str, str]:
    """Exercise names by id; ids alone if the library cannot be read."""
    from heelcoach.errors import HeelcoachError
    from heelcoach.services import common

    try:
        return {key: found.name for key, found in common.library(ctx).exercises.items()}
    except HeelcoachError:
        return {}


def checkin(
    tctx: typer.Context,
    pain: Annotated[
        int | None,
        typer.Option(
            parser=WHOLE,
            metavar="0-10",
            help="Pain this morning, 0 (none) to 10. "
            "Example: heelcoach checkin --pain 2 --stiffness 3",
        ),
    ] = None,
    stiffness: Annotated[
        int | None,
        typer.Option(
            parser=WHOLE,
            metavar="0-10",
            help="Stiffness this morning, 0 (none) to 10. "
            "Example: heelcoach checkin --pain 2 --stiffness 3",
        ),
    ] = None,
    on: Annotated[
        str | None,
        typer.Option(
            "--date",
            metavar="YYYY-MM-DD",
            help="The morning this check-in is for (default today). "
            "Example: heelcoach checkin --pain 1 --stiffness 1 --date 2026-11-21",
        ),
    ] = None,
) -> None:
    """The morning-after check: pain and stiffness decide the next dose.

    Example: heelcoach checkin
    """
    from heelcoach.domain.logbook import check_score, parse_day
    from heelcoach.domain.records import CheckIn
    from heelcoach.frontends.words import verdict_line
    from heelcoach.services import common
    from heelcoach.services.history_edits import save_checkin

    ctx = context(tctx)
    day = parse_day(on, "--date", ctx.today) if on is not None else ctx.today
    if pain is not None:
        check_score(pain, "--pain")
    if stiffness is not None:
        check_score(stiffness, "--stiffness")
    if pain is None or stiffness is None:
        if not ctx.stdin_isatty:
            missing = "--pain" if pain is None else "--stiffness"
            raise BadInput(
                f"{missing} is needed when there is no terminal to ask in "
                "(e.g. heelcoach checkin --pain 2 --stiffness 3)"
            )
        say(
            ctx,
            "Morning check-in: how do the legs you trained feel right now, compared with "
            "nothing at all (0) and the worst imaginable (10)?",
        )
        if pain is None:
            pain = _ask_score(ctx, "Pain 0-10: ")
        if stiffness is None:
            stiffness = _ask_score(ctx, "Stiffness 0-10: ")
    with common.open_store(ctx, create=True) as store:
        result = save_checkin(store, CheckIn(day, pain, stiffness, ctx.now()))
    ctx.done = f"Saved the check-in for {day.isoformat()}."
    action = "Replaced" if result.replaced else "Saved"
    say(
        ctx,
        f"{action} the check-in for {day.isoformat()}: pain {pain}/10, stiffness {stiffness}/10.",
    )
    say(ctx, verdict_line(result.verdict))


def _ask_score(ctx: Context, prompt: str) -> int:
    return ask_number(ctx, prompt, 10, "  type a whole number from 0 to 10: ")
