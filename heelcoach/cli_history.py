"""The training-history commands: log, undo, history, stats, export, import, checkin, forget.

Registered on `heelcoach.cli.app` by the import at the end of cli.py. Only Typer and the
standard library are imported here at module level: `log` and `checkin` must start without
Rich or YAML (the content library comes from its JSON cache), so the store, the records
logic and the content are imported inside the commands, and Rich (`render_history`) only
by `history` and `stats`. Every other command prints plain lines with print().
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from heelcoach.cli import _today, app, complete_exercise_id
from heelcoach.errors import BadInput, Refused

DEFAULT_HISTORY_LIMIT = 20
DEFAULT_STATS_WEEKS = 8


def _stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


# --------------------------------------------------------------------------- log


@app.command()
def log(
    exercise: Annotated[str, typer.Argument(
        metavar="EXERCISE", autocompletion=complete_exercise_id,
        help="An exercise id from `heelcoach exercises`. "
             "Example: heelcoach log heel-drop --reps 10")],
    sets: Annotated[int, typer.Option(
        "--sets", metavar="N", help="How many sets (1-20). "
                                    "Example: heelcoach log heel-drop --sets 2 --reps 10")] = 1,
    reps: Annotated[Optional[int], typer.Option(
        "--reps", metavar="N", help="Reps in each set (1-200), for exercises counted in reps. "
                                    "Example: heelcoach log bridge --reps 10")] = None,
    seconds: Annotated[Optional[int], typer.Option(
        "--seconds", metavar="N",
        help="Seconds of each set (1-3600), for timed exercises. "
             "Example: heelcoach log calf-stretch --side both --seconds 30")] = None,
    side: Annotated[Optional[str], typer.Option(
        "--side", metavar="left|right|both",
        help="For one-leg exercises (required for them): both = the sets were done on each "
             "leg. Example: heelcoach log eccentric-heel-drop --side both --reps 15")] = None,
    pain: Annotated[Optional[int], typer.Option(
        "--pain", metavar="0-10", help="Pain during the sets, 0 (none) to 10. "
                                       "Example: heelcoach log heel-drop --reps 10 --pain 2")
    ] = None,
    on: Annotated[Optional[str], typer.Option(
        "--date", metavar="YYYY-MM-DD",
        help="The day the sets were done (default today; not in the future). "
             "Example: heelcoach log heel-drop --reps 10 --date 2026-11-20")] = None,
    note: Annotated[Optional[str], typer.Option(
        "--note", metavar="TEXT", help="A short note kept with the sets. "
                                       "Example: heelcoach log heel-drop --reps 10 "
                                       "--note 'on the stairs'")] = None,
) -> None:
    """Record sets done away from the terminal.

    Example: heelcoach log heel-drop --sets 2 --reps 10
    """
    from heelcoach.catalogue import find_exercise
    from heelcoach.records import check_log, describe_log, parse_day, save_log

    today = _today()
    day = parse_day(on, "--date", today) if on is not None else today
    request = check_log(find_exercise(exercise), sets=sets, reps=reps, seconds=seconds,
                        side=side, pain=pain, day=day, note=note)
    save_log(request)
    print(describe_log(request))
    print("Changed your mind? heelcoach undo")


# --------------------------------------------------------------------------- undo


@app.command()
def undo(
    yes: Annotated[bool, typer.Option(
        "--yes", "-y", help="Remove without asking (for scripts). "
                            "Example: heelcoach undo --yes")] = False,
) -> None:
    """Remove what the last `heelcoach log` added, after asking.

    Example: heelcoach undo
    """
    from heelcoach.records import last_log_entry
    from heelcoach.records import undo as remove
    from heelcoach.store import Store

    with Store.open(create=False) as store:
        entry = last_log_entry(store)
        what = entry.describe(_names())
        if not yes:
            if not _stdin_is_terminal():
                raise BadInput(f"undo would remove {what}: confirm in a terminal or add --yes")
            answer = input(f"Remove {what}? [y/N] ")
            if answer.strip().lower() not in ("y", "yes"):
                raise Refused("nothing removed")
        removed = remove(entry, store)
    print(f"Removed {what}." if removed == len(entry.records)
          else f"Removed {removed} of {len(entry.records)} sets ({what}); the rest were "
               "already gone.")


def _names() -> dict[str, str]:
    """Exercise names by id; ids alone if the library cannot be read."""
    from heelcoach.catalogue import exercise_facts
    from heelcoach.errors import HeelcoachError

    try:
        return {key: facts.name for key, facts in exercise_facts().items()}
    except HeelcoachError:
        return {}


# --------------------------------------------------------------------------- history


@app.command()
def history(
    since: Annotated[Optional[str], typer.Option(
        "--since", metavar="YYYY-MM-DD",
        help="Only sets on or after this day. Example: heelcoach history --since 2026-11-01")
    ] = None,
    exercise: Annotated[Optional[str], typer.Option(
        "--exercise", metavar="ID", autocompletion=complete_exercise_id,
        help="Only this exercise. "
                                         "Example: heelcoach history --exercise heel-drop")
    ] = None,
    limit: Annotated[int, typer.Option(
        "--limit", metavar="N", help="Show the newest N sets (0 = all). "
                                     "Example: heelcoach history --limit 50")
    ] = DEFAULT_HISTORY_LIMIT,
    as_json: Annotated[bool, typer.Option(
        "--json", help="Print a JSON list instead of a table (keys: uuid, date, exercise, "
                       "set, side, reps, seconds, target_reps, target_seconds, pain, "
                       "started_at, ended_at, session_id, source, note). "
                       "Example: heelcoach history --json --limit 0")] = False,
) -> None:
    """List recorded sets, newest first.

    Example: heelcoach history --since 2026-11-01
    """
    import json

    from heelcoach.catalogue import exercise_facts, find_exercise
    from heelcoach.records import history_json, parse_day
    from heelcoach.store import Store

    first = parse_day(since, "--since", _today()) if since is not None else None
    if limit < 0:
        raise BadInput(f"--limit must be 0 (all) or more, got {limit}")
    facts = exercise_facts()
    with Store.open(create=False) as store:
        if exercise is not None and exercise not in facts \
                and not store.sets(exercise=exercise, limit=1):
            find_exercise(exercise)  # BadInput with close matches
        fetch = limit + 1 if limit else None
        records = store.sets(since=first, exercise=exercise, limit=fetch)
    more = bool(limit) and len(records) > limit
    records = records[:limit] if limit else records
    if as_json:
        print(json.dumps([history_json(record) for record in records], indent=2))
        return
    from heelcoach import render_history

    names = {key: value.name for key, value in facts.items()}
    render_history.history(render_history.console(), records, names, more, limit)


# --------------------------------------------------------------------------- stats


@app.command()
def stats(
    weeks: Annotated[int, typer.Option(
        "--weeks", metavar="N", help="How many weeks to show, ending with this one (1-52). "
                                     "Example: heelcoach stats --weeks 12")
    ] = DEFAULT_STATS_WEEKS,
    as_json: Annotated[bool, typer.Option(
        "--json", help="Print the numbers as JSON instead of charts. "
                       "Example: heelcoach stats --json")] = False,
) -> None:
    """Weekly volume, impacts, adherence, streak and pain.

    Example: heelcoach stats --weeks 4
    """
    from heelcoach.records import check_number
    from heelcoach.stats import gather, to_json

    check_number(weeks, "--weeks", (1, 52))
    result = gather(_today(), weeks)
    if as_json:
        import json

        print(json.dumps(to_json(result), indent=2))
        return
    from heelcoach import render_history

    render_history.stats(render_history.console(), result)


# --------------------------------------------------------------------------- export/import


@app.command()
def export(
    output_format: Annotated[Optional[str], typer.Option(
        "--format", metavar="csv|jsonl",
        help="File format (default: from --output's extension, else csv). "
             "Example: heelcoach export --format jsonl > history.jsonl")] = None,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", metavar="FILE",
        help="Write to FILE (private: mode 0600) instead of the screen. "
             "Example: heelcoach export --format csv --output history.csv")] = None,
) -> None:
    """Write every recorded set (all fields) as CSV or JSON lines.

    Example: heelcoach export -o backup.csv
    """
    from heelcoach.records import export_format, export_history, plural

    fmt = export_format(output_format, output)
    count = export_history(fmt, output)
    if output is not None:
        print(f"Exported {plural(count, 'set')} to {output} ({fmt}).")


@app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(
        metavar="FILE", help="A file from `heelcoach export` (.csv or .jsonl). "
                             "Example: heelcoach import backup.csv")],
) -> None:
    """Add the sets of an export file; sets already stored (same uuid) are skipped.

    Example: heelcoach import backup.jsonl
    """
    from heelcoach.content import load_library
    from heelcoach.records import import_sets, plural

    result = import_sets(file, load_library())
    print(f"Imported {plural(result.new, 'new set')}, "
          f"{result.present} already present")


# --------------------------------------------------------------------------- checkin


@app.command()
def checkin(
    pain: Annotated[Optional[int], typer.Option(
        "--pain", metavar="0-10", help="Pain this morning, 0 (none) to 10. "
                                       "Example: heelcoach checkin --pain 2 --stiffness 3")
    ] = None,
    stiffness: Annotated[Optional[int], typer.Option(
        "--stiffness", metavar="0-10",
        help="Stiffness this morning, 0 (none) to 10. "
             "Example: heelcoach checkin --pain 2 --stiffness 3")] = None,
    on: Annotated[Optional[str], typer.Option(
        "--date", metavar="YYYY-MM-DD",
        help="The morning this check-in is for (default today). "
             "Example: heelcoach checkin --pain 1 --stiffness 1 --date 2026-11-21")] = None,
) -> None:
    """The morning-after check: pain and stiffness decide the next dose.

    Example: heelcoach checkin
    """
    from heelcoach.records import check_score, parse_day, save_checkin, verdict_line

    today = _today()
    day = parse_day(on, "--date", today) if on is not None else today
    if pain is not None:
        check_score(pain, "--pain")
    if stiffness is not None:
        check_score(stiffness, "--stiffness")
    if pain is None or stiffness is None:
        if not _stdin_is_terminal():
            missing = "--pain" if pain is None else "--stiffness"
            raise BadInput(f"{missing} is needed when there is no terminal to ask in "
                           "(e.g. heelcoach checkin --pain 2 --stiffness 3)")
        print("Morning check-in: how does the trained leg feel right now, compared with "
              "nothing at all (0) and the worst imaginable (10)?")
        if pain is None:
            pain = _ask_score("Pain 0-10: ")
        if stiffness is None:
            stiffness = _ask_score("Stiffness 0-10: ")
    result = save_checkin(day, pain, stiffness)
    action = "Replaced" if result.replaced else "Saved"
    print(f"{action} the check-in for {day.isoformat()}: pain {pain}/10, "
          f"stiffness {stiffness}/10.")
    print(verdict_line(result.verdict))


def _ask_score(prompt: str) -> int:
    while True:
        typed = input(prompt).strip()
        if typed.isdecimal() and 0 <= int(typed) <= 10:
            return int(typed)
        print("  type a whole number from 0 to 10")


# --------------------------------------------------------------------------- forget


@app.command()
def forget(
    yes: Annotated[bool, typer.Option(
        "--yes", help="Delete without the typed confirmation (for scripts). "
                      "Example: heelcoach forget --yes")] = False,
) -> None:
    """Delete your profile and your whole training history.

    Example: heelcoach forget
    """
    from heelcoach import paths
    from heelcoach.records import forget_everything, forget_targets

    targets = forget_targets()
    if not targets:
        print(f"Nothing to delete: no profile or history in {paths.data_dir()}.")
        return
    if not yes:
        if not _stdin_is_terminal():
            raise BadInput("forget deletes your profile and history for good: type the "
                           "confirmation in a terminal, or add --yes")
        print("This deletes for good:")
        for target in targets:
            print(f"  {target}")
        if input("Type forget to delete them: ").strip() != "forget":
            raise Refused("nothing deleted (the confirmation was not `forget`)")
    for removed in forget_everything():
        print(f"Deleted {removed}")
    kept = paths.user_exercises_dir()
    if kept.is_dir():
        print(f"Kept your own exercises in {kept}")
