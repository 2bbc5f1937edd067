"""Start-up time of the everyday commands, as ratios to importing what they may need.

Targets:
* `heelcoach --version`, `heelcoach log ...` and `heelcoach checkin ...` within 1.15x of
  `python -c "import typer"`: they pay for Typer and little else (no Rich, no YAML);
* `heelcoach plan`, `history`, `stats`, `show heel-drop`, the home screen (`heelcoach`)
  and `heelcoach --help` within 1.2x of `python -c "import typer, rich.console,
  rich.table, yaml"`.

A minimal Typer app of two commands, running one, is timed beside them against `import
typer` with no target of its own: the floor any Typer command line starts from. So is
`import typer` ending with `os._exit`: heelcoach ends that way once its output is flushed
and its files closed (see `heelcoach.frontends.cli.app._exit`), skipping the interpreter's
teardown that both baselines pay, and this row shows how much of the ratio that is.

Method: a throwaway data folder (HEELCOACH_HOME) and content cache (HEELCOACH_CACHE_DIR)
with a profile three weeks old and a small history; the installed console script, run as
a person runs it, `PYTHONDONTWRITEBYTECODE` unset; warm-up rounds first (they fill the
content cache, the OS caches and any missing bytecode), then every command and both
baselines once per round in a new random order, so drift on the machine hits all of them
alike. The ratio of the medians is compared with the target; the quartiles of the
round-by-round ratios show the spread. Exit status 1 when a command misses its target.
Run by hand:

    /tmp/heelcoach-bench/bin/python bench/startup.py [--rounds 40] [--warmup 3] [--json]
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

LIGHT = "import typer"
FULL = "import typer, rich.console, rich.table, yaml"
TARGETS = {LIGHT: 1.15, FULL: 1.2}


# The floor a Typer command line sets: a minimal app of two commands running one of them,
# measured against the same baseline but with no target of its own.
TYPER_FLOOR = (
    "import typer; app = typer.Typer(); app.command()(lambda: None);"
    " app.command('other')(lambda: None); app(['other'], standalone_mode=False)"
)


class Case(NamedTuple):
    label: str
    args: tuple[str, ...]
    baseline: str | None  # the baseline's code; None for the baselines themselves
    code: str | None = None  # Python code run instead of heelcoach, shown but not judged
    shown_as: str = "(the floor)"


CASES = (
    Case(f"python -c '{LIGHT}'", (), None),
    Case(f"python -c '{FULL}'", (), None),
    Case("minimal Typer app, one command", (), LIGHT, TYPER_FLOOR),
    Case(
        "import typer, no teardown (os._exit)",
        (),
        LIGHT,
        "import typer, os; os._exit(0)",
        "(for reference)",
    ),
    Case("heelcoach --version", ("--version",), LIGHT),
    Case("heelcoach log heel-drop --reps 10", ("log", "heel-drop", "--reps", "10"), LIGHT),
    Case(
        "heelcoach checkin --pain 3 --stiffness 2",
        ("checkin", "--pain", "3", "--stiffness", "2"),
        LIGHT,
    ),
    Case("heelcoach plan", ("plan",), FULL),
    Case("heelcoach history", ("history",), FULL),
    Case("heelcoach stats", ("stats",), FULL),
    Case("heelcoach show heel-drop", ("show", "heel-drop"), FULL),
    Case("heelcoach (home screen)", (), FULL),
    Case("heelcoach --help", ("--help",), FULL),
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
        store.add_sets([SetRecord(SetRecord.new_uuid(), "heel-drop", n, None, 10, None, 10,
                                  None, 1, day, moment, moment, None, "log")
                        for n in (1, 2)])
        store.save_checkin(CheckIn(day + timedelta(days=1), 1, 1, moment))
"""


def argv_of(case: Case, coach: list[str]) -> list[str]:
    if case.baseline is None:
        return [sys.executable, "-c", case.label.split("'")[1]]
    if case.code is not None:
        return [sys.executable, "-c", case.code]
    return [*coach, *case.args]


def prepare(folder: Path, coach: list[str]) -> dict[str, str]:
    """A profile three weeks old and a small history; returns the environment to use."""
    env = benchlib.environment(folder / "home", folder / "cache")
    start = date.today() - timedelta(weeks=3)
    benchlib.run(
        [*coach, "screen", "--answers", str(benchlib.ANSWERS_FILE), "--start",
         start.isoformat()],
        env,
    )  # fmt: skip
    benchlib.run([sys.executable, "-c", SEED, start.isoformat()], env, "the small history")
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40, help="timed rounds (default 40)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed rounds first")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    coach = benchlib.installed_heelcoach()
    folder = Path(tempfile.mkdtemp(prefix="heelcoach-bench-"))
    try:
        env = prepare(folder, coach)
        cases = {
            case.label: (lambda argv=argv_of(case, coach): benchlib.time_process(argv, env))
            for case in CASES
        }
        samples = benchlib.measure(cases, args.rounds, args.warmup)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    rows = report(samples)
    if args.json:
        print(json.dumps({"rounds": args.rounds, "results": rows}, indent=2))
    else:
        print_table(rows, args.rounds, args.warmup)
    if any(row.get("ok") is False for row in rows):
        sys.exit(1)


def report(samples: dict[str, list[benchlib.Sample]]) -> list[dict[str, object]]:
    base_label = {case.label.split("'")[1]: case.label for case in CASES if not case.baseline}
    rows: list[dict[str, object]] = []
    for case in CASES:
        got = samples[case.label]
        wall = benchlib.spread([s.wall for s in got])
        cpu = benchlib.spread([s.cpu for s in got])
        row: dict[str, object] = {
            "command": case.label,
            "wall_ms": round(wall.median * 1000, 1),
            "wall_q1_ms": round(wall.low * 1000, 1),
            "wall_q3_ms": round(wall.high * 1000, 1),
            "cpu_ms": round(cpu.median * 1000, 1),
        }
        if case.baseline is not None:
            base = samples[base_label[case.baseline]]
            ratio = wall.median / benchlib.spread([s.wall for s in base]).median
            paired = benchlib.paired_ratios(got, base)
            row.update(
                baseline=case.baseline,
                ratio=round(ratio, 3),
                ratio_q1=round(paired.low, 3),
                ratio_q3=round(paired.high, 3),
            )
            if case.code is None:  # the reference rows are shown, not judged
                row.update(target=TARGETS[case.baseline], ok=ratio <= TARGETS[case.baseline])
            else:
                row.update(shown_as=case.shown_as)
        rows.append(row)
    return rows


def print_table(rows: list[dict[str, object]], rounds: int, warmup: int) -> None:
    print(
        f"{rounds} rounds after {warmup} warm-up rounds; wall time median [quartiles];"
        " ratio = median / median of the baseline, [quartiles of the round-by-round ratios]"
    )
    width = max(len(str(row["command"])) for row in rows)
    print(f"\n{'command':{width}}  {'wall ms':>17}  {'cpu ms':>7}  {'ratio':>19}  target")
    for row in rows:
        times = (
            f"{row['wall_ms']:6.1f} [{row['wall_q1_ms']:.0f}-{row['wall_q3_ms']:.0f}]"
            f"  {row['cpu_ms']:7.1f}"
        )
        if "ratio" not in row:
            print(f"{row['command']:{width}}  {times:>27}  {'baseline':>19}")
            continue
        ratio = f"{row['ratio']:.2f}x [{row['ratio_q1']:.2f}-{row['ratio_q3']:.2f}]"
        verdict = ("ok" if row["ok"] else "MISSED") if "ok" in row else str(row["shown_as"])
        target = f"<={row['target']} " if "target" in row else ""
        print(f"{row['command']:{width}}  {times:>27}  {ratio:>19}  {target}{verdict}")
    print(f"\nbaselines: `{LIGHT}` for --version, log and checkin; `{FULL}` for the rest")


if __name__ == "__main__":
    main()
