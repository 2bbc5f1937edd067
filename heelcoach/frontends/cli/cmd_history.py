"""The training-history commands: log, undo, history, stats, export, import, checkin, forget.

Only Typer and the standard library are imported at module level: `log` and `checkin` must
start without Rich or YAML (the content library comes from its JSON cache), so the store,
the records logic and the content are imported inside the commands, and Rich
(`render_history`) only by `history` and `stats`. Every other command prints plain lines.
"""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

# Annotations are evaluated here (no `from __future__ import annotations`): Typer reads a
# command's options at start-up, and evaluating them from strings then costs more.
from heelcoach.context import Context
from heelcoach.errors import BadInput, Refused
from heelcoach.frontends.cli.common import WHOLE, complete_exercise_id, context, whole_number

if TYPE_CHECKING:
    from heelcoach.content.model import Library
    from heelcoach.services.backup import ImportResult

DEFAULT_HISTORY_LIMIT = 20
DEFAULT_STATS_WEEKS = 8
MAX_HISTORY_LIMIT = 1_000_000_000


# --------------------------------------------------------------------------- log


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
            "--sets",
            parser=WHOLE,
            metavar="N",
            help="How many sets (1-20). Example: heelcoach log heel-drop --sets 2 --reps 10",
        ),
    ] = 1,
    reps: Annotated[
        int | None,
        typer.Option(
            "--reps",
            parser=WHOLE,
            metavar="N",
            help="Reps in each set (1-200), for exercises counted in reps. "
            "Example: heelcoach log bridge --reps 10",
        ),
    ] = None,
    seconds: Annotated[
        int | None,
        typer.Option(
            "--seconds",
            parser=WHOLE,
            metavar="N",
            help="Seconds of each set (1-3600), for timed exercises. "
            "Example: heelcoach log calf-stretch --side both --seconds 30",
        ),
    ] = None,
    side: Annotated[
        str | None,
        typer.Option(
            "--side",
            metavar="left|right|both",
            help="For one-leg exercises (required for them): both = the sets were done on each "
            "leg. Example: heelcoach log eccentric-heel-drop --side both --reps 15",
        ),
    ] = None,
    pain: Annotated[
        int | None,
        typer.Option(
            "--pain",
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
            help="Record it even if your screening leaves this exercise out (for scripts). "
            "Example: heelcoach log heel-jump --reps 10 --yes",
        ),
    ] = False,
    note: Annotated[
        str | None,
        typer.Option(
            "--note",
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
    from heelcoach.frontends.cli.console import say
    from heelcoach.frontends.words import describe_log
    from heelcoach.services import common
    from heelcoach.services.records import save_log

    ctx = context(tctx)
    day = parse_day(on, "--date", ctx.today) if on is not None else ctx.today
    library = common.library(ctx)
    found = library.exercise(exercise)
    request = check_log(
        found, sets=sets, reps=reps, seconds=seconds, side=side, pain=pain, day=day, note=note
    )
    has_profile = _confirm_screened(ctx, library, found.id, yes)
    with common.open_store(ctx, create=True) as store:
        first = not has_profile and store.latest_logged_set() is None
        save_log(store, request, ctx.now())
    if first:
        ctx.stderr.write(
            "heelcoach: saved in your logbook; the plan and progression need a "
            "screening first: run `heelcoach screen`\n"
        )
    say(ctx, describe_log(request))
    say(ctx, "Changed your mind? heelcoach undo")


def _confirm_screened(ctx: Context, library: "Library", exercise_id: str, yes: bool) -> bool:
    """Warn about an exercise the screening leaves out today (as `plan` says), unless a
    prescription's override accepted each reason; record it only if confirmed. Returns
    whether a profile exists."""
    from heelcoach.frontends.cli.console import confirm
    from heelcoach.frontends.safe_text import line
    from heelcoach.services.records import screening_verdict

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


# --------------------------------------------------------------------------- undo


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
    from heelcoach.frontends.cli.console import ask, say
    from heelcoach.frontends.words import describe_live_undo, describe_undo
    from heelcoach.services import common
    from heelcoach.services.records import last_live_session, last_log_entry, undo_live_session
    from heelcoach.services.records import undo as remove

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
    say(
        ctx,
        f"Removed {what}."
        if removed == len(records)
        else f"Removed {removed} of {len(records)} sets ({what}); the rest were already gone.",
    )


def _names(ctx: Context) -> dict[str, str]:
    """Exercise names by id; ids alone if the library cannot be read."""
    from heelcoach.errors import HeelcoachError
    from heelcoach.services import common

    try:
        return {key: found.name for key, found in common.library(ctx).exercises.items()}
    except HeelcoachError:
        return {}


# --------------------------------------------------------------------------- history


def history(
    tctx: typer.Context,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            metavar="YYYY-MM-DD",
            help="Only sets on or after this day. Example: heelcoach history --since 2026-11-01",
        ),
    ] = None,
    exercise: Annotated[
        str | None,
        typer.Option(
            "--exercise",
            metavar="ID",
            autocompletion=complete_exercise_id,
            help="Only this exercise. Example: heelcoach history --exercise heel-drop",
        ),
    ] = None,
    limit: Annotated[
        int,
        typer.Option(
            "--limit",
            parser=whole_number(0, MAX_HISTORY_LIMIT),
            metavar="N",
            help="Show the newest N sets (0 = all). Example: heelcoach history --limit 50",
        ),
    ] = DEFAULT_HISTORY_LIMIT,
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
    import json

    from heelcoach.domain.logbook import parse_day
    from heelcoach.services import common

    ctx = context(tctx)
    first = parse_day(since, "--since", ctx.today) if since is not None else None
    if limit < 0:
        raise BadInput(f"--limit must be 0 (all) or more, got {limit}")
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
        from heelcoach.frontends.cli.render_json import history_json

        ctx.stdout.write(json.dumps([history_json(record) for record in records], indent=2) + "\n")
        return
    from heelcoach.frontends.cli import render_history
    from heelcoach.frontends.cli.console import console

    names = {key: value.name for key, value in library.exercises.items()}
    render_history.history(console(ctx), records, names, more, limit)


# --------------------------------------------------------------------------- stats


def stats(
    tctx: typer.Context,
    weeks: Annotated[
        int,
        typer.Option(
            "--weeks",
            parser=WHOLE,
            metavar="N",
            help="How many weeks to show, ending with this one (1-52). "
            "Example: heelcoach stats --weeks 12",
        ),
    ] = DEFAULT_STATS_WEEKS,
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
        import json

        from heelcoach.frontends.cli.render_json import stats_to_json

        ctx.stdout.write(json.dumps(stats_to_json(result), indent=2) + "\n")
        return
    from heelcoach.frontends.cli import render_history
    from heelcoach.frontends.cli.console import console

    render_history.stats(console(ctx), result, library.programme.monitoring.move_on_adherence)


# --------------------------------------------------------------------------- export/import


def export(
    tctx: typer.Context,
    output_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            metavar="jsonl|csv",
            help="jsonl: everything (sets, sessions, check-ins, readiness tests, the profile,"
            " the prescription, the settings); csv: the sets only, for a spreadsheet. Default:"
            " from --output's extension, else jsonl."
            " Example: heelcoach export --format jsonl > backup.jsonl",
        ),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="Write to FILE (private: mode 0600) instead of the screen; never one of"
            " heelcoach's own data files. Example: heelcoach export --output backup.jsonl",
        ),
    ] = None,
) -> None:
    """Write your whole history, profile, prescription and settings as JSON lines, or the
    sets as CSV.

    Example: heelcoach export -o backup.jsonl
    """
    from heelcoach.frontends.cli.console import say
    from heelcoach.frontends.words import describe_export, listing
    from heelcoach.services import common
    from heelcoach.services.backup import export_everything, export_format, left_out_of_csv

    ctx = context(tctx)
    fmt = export_format(output_format, output)
    library = common.library(ctx) if fmt == "jsonl" else None  # to check the profile
    with common.open_store(ctx, create=False) as store:
        counts = export_everything(ctx, store, library, fmt, output, ctx.stdout)
    if fmt == "csv":
        beside = left_out_of_csv(ctx)
        rest = ["sessions", "check-ins", "readiness tests", "the profile"]
        rest += ["the prescription"] if beside.prescription else []
        rest += ["the settings"] if beside.settings else []
        ctx.stderr.write(
            f"heelcoach: CSV holds the sets only; {listing(rest)} need --format jsonl\n"
        )
    if output is not None:
        say(ctx, f"Exported {describe_export(counts)} to {output} ({fmt}).")


def import_(
    tctx: typer.Context,
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="A file from `heelcoach export` (.jsonl or .csv). "
            "Example: heelcoach import backup.jsonl",
        ),
    ],
) -> None:
    """Restore an export: what is already stored (same uuid) is kept, nothing is doubled.

    A profile, prescription or settings already here are kept. The prescription in the
    file is installed only if it passes the checks of `heelcoach prescribe`; if not, the
    rest is imported and the exit status is 1.

    Example: heelcoach import backup.jsonl
    """
    from heelcoach.frontends.cli.console import say
    from heelcoach.frontends.words import describe_import
    from heelcoach.services import common
    from heelcoach.services.backup import import_everything

    ctx = context(tctx)
    library = common.library(ctx)
    result = import_everything(ctx, library, file)  # all checked before any write
    for line in describe_import(result, ctx):
        say(ctx, line)
    refusal = _not_installed(ctx, result, library)
    if refusal:
        raise Refused(f"the prescription in {file} was not installed: {refusal}")


def _not_installed(ctx: Context, result: "ImportResult", library: "Library") -> str | None:
    """Why the file's prescription was not installed, in one line; None if it was (or
    there was none to install)."""
    if result.prescription == "no-profile":
        return (
            "it is checked against your screening, and there is none yet; the rest was"
            " imported: run `heelcoach screen`, then import the file again"
        )
    if result.prescription == "bad-profile":
        return (
            f"your profile could not be read to check it ({result.profile_problem}); the"
            " rest was imported"
        )
    if result.prescription != "conflicts" or result.checked is None:
        return None
    from heelcoach.domain.planner import impact_ceiling
    from heelcoach.frontends.plan_words import conflict_text
    from heelcoach.services.common import require_profile

    blocking = result.checked.blocking
    ceiling = impact_ceiling(require_profile(ctx, library), library)
    more = f" (and {len(blocking) - 1} more)" if len(blocking) > 1 else ""
    return (
        f"it conflicts with your screening: {conflict_text(blocking[0], ceiling, library)}"
        f"{more}; the rest was imported (a clinician can prescribe again with"
        " `heelcoach prescribe FILE`)"
    )


# --------------------------------------------------------------------------- checkin


def checkin(
    tctx: typer.Context,
    pain: Annotated[
        int | None,
        typer.Option(
            "--pain",
            parser=WHOLE,
            metavar="0-10",
            help="Pain this morning, 0 (none) to 10. "
            "Example: heelcoach checkin --pain 2 --stiffness 3",
        ),
    ] = None,
    stiffness: Annotated[
        int | None,
        typer.Option(
            "--stiffness",
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
    from heelcoach.frontends.cli.console import say
    from heelcoach.frontends.words import verdict_line
    from heelcoach.services import common
    from heelcoach.services.records import save_checkin

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
            "Morning check-in: how does the trained leg feel right now, compared with "
            "nothing at all (0) and the worst imaginable (10)?",
        )
        if pain is None:
            pain = _ask_score(ctx, "Pain 0-10: ")
        if stiffness is None:
            stiffness = _ask_score(ctx, "Stiffness 0-10: ")
    with common.open_store(ctx, create=True) as store:
        result = save_checkin(store, CheckIn(day, pain, stiffness, ctx.now()))
    action = "Replaced" if result.replaced else "Saved"
    say(
        ctx,
        f"{action} the check-in for {day.isoformat()}: pain {pain}/10, stiffness {stiffness}/10.",
    )
    say(ctx, verdict_line(result.verdict))


def _ask_score(ctx: Context, prompt: str) -> int:
    from heelcoach.frontends.cli.console import ask_number

    return ask_number(ctx, prompt, 10, "  type a whole number from 0 to 10: ")


# --------------------------------------------------------------------------- check


def check(tctx: typer.Context) -> None:
    """Read the whole history through SQLite's full integrity check, and every record.

    Other commands check the pages only when the file changed outside heelcoach.
    This one always does, and says how to recover when something is damaged.

    Example: heelcoach check
    """
    from heelcoach.frontends.cli.console import say
    from heelcoach.frontends.words import plural
    from heelcoach.services.records import Damaged, check_history

    ctx = context(tctx)
    try:
        report = check_history(ctx)
    except Damaged as damage:
        _recovery_steps(ctx, damage.findings)
        raise
    if not report.exists:
        say(ctx, f"No history yet at {report.path}: nothing to check.")
        return
    say(
        ctx,
        f"The history at {report.path} is whole: SQLite's full integrity check found"
        f" nothing wrong, and every record reads back ({plural(report.sets, 'set')},"
        f" {plural(report.sessions, 'session')}, {plural(report.checkins, 'check-in')},"
        f" {plural(report.readiness, 'readiness test')}).",
    )
    if report.changed_outside:
        say(ctx, "It had changed since heelcoach last used it (copied, restored or edited).")
    if not report.noted:
        say(ctx, "The folder cannot be written, so the next command checks it again.")


def _recovery_steps(ctx: Context, findings: tuple[str, ...]) -> None:
    from heelcoach.frontends.cli.console import say

    path = ctx.history_path
    say(ctx, f"The history at {path} is damaged; nothing was changed. SQLite reports:")
    for finding in findings:
        for line in finding.splitlines():
            say(ctx, f"  {line}")
    say(ctx, "To recover what can still be read:")
    say(ctx, f"  1. keep a copy of the whole folder first: cp -a {path.parent} {path.parent}.copy")
    say(ctx, f"  2. sqlite3 {path} .recover | sqlite3 {path.parent / 'recovered.db'}")
    say(
        ctx,
        f"  3. move {path.name} and any {path.name}-wal and {path.name}-shm aside, rename"
        f" recovered.db to {path.name}, and run `heelcoach check` again",
    )
    say(ctx, "Or move it aside to start a new history (`heelcoach import` restores an export).")


# --------------------------------------------------------------------------- forget


def forget(
    tctx: typer.Context,
    yes: Annotated[
        bool,
        typer.Option(
            "--yes",
            help="Delete without the typed confirmation (for scripts). "
            "Example: heelcoach forget --yes",
        ),
    ] = False,
) -> None:
    """Delete your profile and your whole training history.

    Example: heelcoach forget
    """
    from heelcoach.frontends.cli.console import ask, say
    from heelcoach.services.records import forget_everything, forget_targets

    ctx = context(tctx)
    targets = forget_targets(ctx)
    if not targets:
        say(ctx, f"Nothing to delete: no profile or history in {ctx.data_dir}.")
        return
    if not yes:
        if not ctx.stdin_isatty:
            raise BadInput(
                "forget deletes your profile and history for good: type the "
                "confirmation in a terminal, or add --yes"
            )
        say(ctx, "This deletes for good:")
        for target in targets:
            say(ctx, f"  {target}")
        if ask(ctx, "Type forget to delete them: ").strip() != "forget":
            raise Refused("nothing deleted (the confirmation was not `forget`)")
    for removed in forget_everything(ctx):
        say(ctx, f"Deleted {removed}")
    kept = ctx.user_exercises_dir
    if kept.is_dir():
        say(ctx, f"Kept your own exercises in {kept}")
