"""Start-up as a person feels it: heelcoach side by side with other command-line tools.

The peers are pipx, jrnl and sqlite-utils, installed into the same bench environment as
heelcoach, so all run on the same interpreter and disk; a minimal Typer app running one
command is the floor any Typer command line starts from. Targets:

* `heelcoach --version`, `log` and `checkin` faster than the fastest peer's `--version`;
* `plan`, `history`, `stats`, `show`, the home screen and `--help` at most 1.3x of it;
* `log` at most 1.6x the minimal Typer app.

Method: a throwaway data folder (HEELCOACH_HOME) and content cache with a profile three
weeks old and a small history; each tool's installed console script, run as a person runs
it; warm-up rounds first (they fill caches and any missing bytecode), then every command
once per round in a new random order, so a slow spell on a shared machine hits them all
alike. Medians and quartiles are printed; exit status 1 when a target is missed. Targets
are judged on wall time, what a person waits for; on a machine others are busy on, judge
them on CPU time instead (`--by cpu`: the time the process itself ran, which waiting for a
core does not inflate), and say so with the figures.

Set up the bench environment once (a regular install, not an editable one):

    python3 -m venv /tmp/heelcoach-bench
    /tmp/heelcoach-bench/bin/pip install . pipx jrnl sqlite-utils
    /tmp/heelcoach-bench/bin/python bench/startup.py [--rounds 30] [--warmup 3] [--by cpu] [--json]
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple

import benchlib

PEERS = ("pipx", "jrnl", "sqlite-utils")
TYPER_APP = "minimal Typer app, one command"
FASTER_THAN_PEERS = 1.0
NEAR_PEERS = 1.3
NEAR_TYPER = 1.6

# A Typer app of two commands running one of them: what any Typer command line pays.
TYPER_FLOOR = (
    "import typer; app = typer.Typer(); app.command()(lambda: None);"
    " app.command('other')(lambda: None); app(['other'])"
)


class Case(NamedTuple):
    label: str
    args: tuple[str, ...]
    peer_target: float | None = None  # the most it may take, as a ratio to the fastest peer
    typer_target: float | None = None  # the same, as a ratio to the minimal Typer app


HEELCOACH = (
    Case("heelcoach --version", ("--version",), FASTER_THAN_PEERS),
    # --yes: many rounds on one day pass the daily impact ceiling, which `log` queries.
    Case(
        "heelcoach log",
        ("log", "heel-drop", "--reps", "10", "--yes"),
        FASTER_THAN_PEERS,
        NEAR_TYPER,
    ),
    Case("heelcoach checkin", ("checkin", "--pain", "3", "--stiffness", "2"), FASTER_THAN_PEERS),
    Case("heelcoach plan", ("plan",), NEAR_PEERS),
    Case("heelcoach history", ("history",), NEAR_PEERS),
    Case("heelcoach stats", ("stats",), NEAR_PEERS),
    Case("heelcoach show heel-drop", ("show", "heel-drop"), NEAR_PEERS),
    Case("heelcoach (home screen)", (), NEAR_PEERS),
    Case("heelcoach --help", ("--help",), NEAR_PEERS),
)

SEED = r"""
import os, sys
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from heelcoach.storage.store import CheckIn, SetRecord, Store
start = date.fromisoformat(sys.argv[1])
with Store.open(Path(os.environ["HEELCOACH_HOME"]) / "history.db") as store:
    for offset in range(0, 21, 2):
        day = start + timedelta(days=offset)
        moment = datetime.combine(day, time(8), tzinfo=timezone.utc)
        store.add_sets([SetRecord(uuid=SetRecord.new_uuid(), exercise="heel-drop", set_number=n,
                                  side=None, reps=10, seconds=None, target_reps=10,
                                  target_seconds=None, pain=1, day=day, started_at=moment,
                                  ended_at=moment, session_id=None, source="log")
                        for n in (1, 2)])
        store.save_checkin(CheckIn(day + timedelta(days=1), 1, 1, moment))
"""


def peer_script(name: str) -> str:
    """A peer's console script beside this interpreter; exit 2 with the set-up when missing."""
    script = Path(sys.executable).with_name(name)
    if not script.exists():
        raise SystemExit(
            f"no {name} beside {sys.executable}: install the peers into the bench"
            f" environment (`{Path(sys.executable).with_name('pip')} install {' '.join(PEERS)}`)"
        )
    return str(script)


def commands(coach: list[str]) -> dict[str, list[str]]:
    """Every timed command line by its label."""
    argv = {f"{peer} --version": [peer_script(peer), "--version"] for peer in PEERS}
    argv[TYPER_APP] = [sys.executable, "-c", TYPER_FLOOR]
    argv.update({case.label: [*coach, *case.args] for case in HEELCOACH})
    return argv


def prepare(folder: Path, coach: list[str]) -> dict[str, str]:
    """A profile three weeks old and a small history; returns the environment to use."""
    env = benchlib.environment(folder / "home", folder / "cache", HOME=str(folder / "user"))
    start = date.today() - timedelta(weeks=3)
    answers = str(benchlib.ANSWERS_FILE)
    benchlib.run([*coach, "screen", "--answers", answers, "--start", start.isoformat()], env)
    benchlib.run([sys.executable, "-c", SEED, start.isoformat()], env, "the small history")
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30, help="timed rounds (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed rounds first")
    parser.add_argument(
        "--by", choices=("wall", "cpu"), default="wall", help="the time judged (default wall)"
    )
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    coach = benchlib.installed_heelcoach()
    folder = Path(tempfile.mkdtemp(prefix="heelcoach-bench-"))
    try:
        env = prepare(folder, coach)
        cases = {
            label: (lambda argv=argv: benchlib.time_process(argv, env))
            for label, argv in commands(coach).items()
        }
        samples = benchlib.measure(cases, args.rounds, args.warmup)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    rows, missed = judge(samples, args.by)
    if args.json:
        print(
            json.dumps(
                {"rounds": args.rounds, "by": args.by, "results": rows, "missed": missed}, indent=2
            )
        )
    else:
        print_table(rows, args.rounds, args.warmup, args.by)
    sys.exit(benchlib.exit_status(missed))


def judge(
    samples: dict[str, list[benchlib.Sample]], by: str
) -> tuple[list[dict[str, object]], list[str]]:
    """A row for every command, and a line for every target missed, judged on `by` time."""
    medians = {
        label: benchlib.spread([getattr(s, by) for s in got]).median
        for label, got in samples.items()
    }
    fastest = min((f"{peer} --version" for peer in PEERS), key=medians.__getitem__)
    rows: list[dict[str, object]] = []
    missed: list[str] = []
    targets = {case.label: case for case in HEELCOACH}
    for label, got in samples.items():
        wall = benchlib.spread([s.wall for s in got])
        cpu = benchlib.spread([s.cpu for s in got])
        row: dict[str, object] = {
            "command": label,
            "wall_ms": round(wall.median * 1000, 1),
            "wall_q1_ms": round(wall.low * 1000, 1),
            "wall_q3_ms": round(wall.high * 1000, 1),
            "cpu_ms": round(cpu.median * 1000, 1),
            "vs_fastest_peer": round(medians[label] / medians[fastest], 2),
            "vs_typer_app": round(medians[label] / medians[TYPER_APP], 2),
        }
        case = targets.get(label)
        for key, target, against in (
            ("vs_fastest_peer", case and case.peer_target, fastest),
            ("vs_typer_app", case and case.typer_target, TYPER_APP),
        ):
            if target is not None and row[key] > target:  # type: ignore[operator]
                missed.append(f"{label}: {row[key]}x of {against}, the target is {target}x")
        rows.append(row)
    rows.append({"fastest_peer": fastest})
    return rows, missed


def print_table(rows: list[dict[str, object]], rounds: int, warmup: int, by: str) -> None:
    *timed, fastest = rows
    print(
        f"{rounds} rounds after {warmup} warm-up rounds; wall time median [quartiles], CPU"
        f" time median; ratios of {by} medians; fastest peer: {fastest['fastest_peer']}"
    )
    width = max(len(str(row["command"])) for row in timed)
    print(f"\n{'command':{width}}  {'wall ms':>17}  {'cpu ms':>6}  {'/peer':>6}  {'/typer':>6}")
    for row in sorted(timed, key=lambda row: float(row["vs_fastest_peer"])):  # type: ignore[arg-type]
        spread = f"{row['wall_ms']:6.1f} [{row['wall_q1_ms']:.0f}-{row['wall_q3_ms']:.0f}]"
        print(
            f"{row['command']:{width}}  {spread:>17}  {row['cpu_ms']:6.1f}"
            f"  {row['vs_fastest_peer']:>5.2f}x  {row['vs_typer_app']:>5.2f}x"
        )


if __name__ == "__main__":
    main()
