"""Reading the history back: `history` lists recorded sets, `stats` sums them by week."""

from typing import Annotated

import typer

# Annotations are evaluated here (no `from __future__ import annotations`): Typer reads a
# command's options at start-up, and evaluating them from strings then costs more.
from heelcoach.frontends.cli.common import WHOLE, complete_exercise_id, context, whole_number
from heelcoach.frontends.cli.console import console

MAX_HISTORY_LIMIT = 1_000_000_000


def history(
    tctx: typer.Context,
    since: Annotated[
        str | None,
        typer.Option(
            metavar="YYYY-MM-DD",
            help="Only sets on or after this day. Example: heelcoach history --since 2026-11-01",
        ),
    ] = None,
    exercise: Annotated[
        str | None,
        typer.Option(
            metavar="ID",
            autocompletion=complete_exercise_id,
            help="Only this exercise. Example: heelcoach history --exercise heel-drop",
        ),
    ] = None,
    limit: Annotated[
        int,
        typer.Option(
            parser=whole_number(0, MAX_HISTORY_LIMIT),
            metavar="N",
            help="Show the newest N sets (0 = all). Example: heelcoach history --limit 50",
        ),
    ] = 20,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Print a JSON list instead of a table (keys: uuid, date, exercise, "
            "set, side, reps, seconds, target_reps, target_seconds, pain, "
            "started_at, ended_at, session_id, source, note). "
            "Example: heelcoach history --json --limit 0",
        ),
    ] = False,
) -> None:
    """List recorded sets, newest first.

    Example: heelcoach history --since 2026-11-01
    """
    from heelcoach.domain.logbook import parse_day
    from heelcoach.services import common

    ctx = context(tctx)
    first = parse_day(since, "--since", ctx.today) if since is not None else None
    library = common.library(ctx)
    with common.open_store(ctx, create=False) as store:
        if (
            exercise is not None
            and exercise not in library.exercises
            and not store.sets(exercise=exercise, limit=1)
        ):
            library.exercise(exercise)  # BadInput with close matches
        fetch = limit + 1 if limit else None
        records = store.sets(since=first, exercise=exercise, limit=fetch)
    more = bool(limit) and len(records) > limit
    records = records[:limit] if limit else records
    if as_json:
        from heelcoach.frontends.cli.render_json import dumps, history_json

        ctx.stdout.write(dumps([history_json(record) for record in records]))
        return
    from heelcoach.frontends.cli import render_history

    names = {key: value.name for key, value in library.exercises.items()}
    render_history.history(console(ctx), records, names, more, limit)


def stats(
    tctx: typer.Context,
    weeks: Annotated[
        int,
        typer.Option(
            parser=WHOLE,
            metavar="N",
            help="How many weeks to show, ending with this one (1-52). "
            "Example: heelcoach stats --weeks 12",
        ),
    ] = 8,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Print the numbers as JSON instead of charts. Example: heelcoach stats --json",
        ),
    ] = False,
) -> None:
    """Weekly volume, impacts, adherence, streak and pain.

    Example: heelcoach stats --weeks 4
    """
    from heelcoach.domain.logbook import check_number
    from heelcoach.services import common
    from heelcoach.services.stats import gather

    ctx = context(tctx)
    check_number(weeks, "--weeks", (1, 52))
    library = common.library(ctx)
    profile = common.load_profile(ctx, library)
    with common.open_store(ctx, create=False) as store:
        result = gather(store, library, profile, ctx.today, weeks)
    if as_json:
        from heelcoach.frontends.cli.render_json import dumps, stats_to_json

        ctx.stdout.write(dumps(stats_to_json(result)))
        return
    from heelcoach.frontends.cli import render_history

    render_history.stats(console(ctx), result, library.programme.monitoring.move_on_adherence)
