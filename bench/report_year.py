"""How long does `heelcoach report` take over a year of training? Run by hand:

    /tmp/heelcoach-bench/bin/python bench/report_year.py [--runs 11]

A data folder gets the sample profile (`sample_answers.yaml`) with program week 1 a year
ago and a year of history made by `year_history.sample` (the person training by their
own plan, with light weeks, painful days, check-ins, hop tests and one emergency stop),
put in as a person moves a history: `heelcoach import` of an export file, then the
check-ins and tests through the store. Each format of `heelcoach report --weeks 53` is
then run as a person runs it (the installed console script, a new process each time),
alternating with
`heelcoach plan`, which replays the same year, so that machine noise hits both alike.
Targets: the HTML report of the year within 2x of `plan` and under 2 s. Exit status 1
when one is missed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import benchlib  # noqa: E402  (beside this script)

COACH = benchlib.installed_heelcoach()
GOAL_RATIO, GOAL_SECONDS = 2.0, 2.0
COMMANDS = {
    "plan": ["plan"],
    "report (html)": ["report", "--weeks", "53", "--output", "{out}/report.html"],
    "report --format json": ["report", "--weeks", "53", "--format", "json"],
    "report --format markdown": ["report", "--weeks", "53", "--format", "markdown"],
}


def heelcoach(env: dict[str, str], *args: str) -> float:
    started = time.perf_counter()
    result = subprocess.run([*COACH, *args], env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"heelcoach {' '.join(args)} failed: {result.stderr.strip()}")
    return elapsed


def prepare(root: Path, env: dict[str, str]) -> int:
    """The profile, the imported sets and the rest of the year; returns the set count."""
    import year_history

    from heelcoach.content.loader import load_library
    from heelcoach.storage.profile_file import load_profile
    from heelcoach.storage.store import Store

    start = date.today() - timedelta(days=364)
    heelcoach(
        env, "screen", "--answers", str(HERE / "sample_answers.yaml"), "--start", start.isoformat()
    )
    home = Path(env["HEELCOACH_HOME"])
    library = load_library(home / "exercises", None)
    profile = load_profile(home / "profile.json", library, date.today())
    assert profile is not None
    made = year_history.sample(profile, library, date.today())
    export = root / "year.jsonl"
    year_history.write_export(export, made.rows)
    began = time.perf_counter()
    heelcoach(env, "import", str(export))
    print(f"imported {len(made.rows)} sets in {time.perf_counter() - began:.2f} s")
    with Store.open(home / "history.db", create=True) as store:
        year_history.add_the_rest(store, made)
    return len(made.rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=11)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="heelcoach-bench-") as folder:
        root = Path(folder)
        env = {
            **os.environ,
            "HEELCOACH_HOME": str(root / "home"),
            "HEELCOACH_CACHE_DIR": str(root / "cache"),
            "NO_COLOR": "1",
        }
        sets = prepare(root, env)
        runs = {name: [arg.format(out=root) for arg in args] for name, args in COMMANDS.items()}
        for args in runs.values():  # warm the content cache and the OS file cache
            heelcoach(env, *args)
        times: dict[str, list[float]] = {name: [] for name in runs}
        for run in range(options.runs):
            order = list(runs) if run % 2 == 0 else list(reversed(runs))
            for name in order:
                times[name].append(heelcoach(env, *runs[name]))
        size = (root / "report.html").stat().st_size
    baseline = statistics.median(times["plan"])
    print(f"\nmedian of {options.runs} runs (the installed heelcoach), a year: {sets} sets")
    print(f"{'command':<28}{'median':>9}{'vs plan':>9}")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:<28}{median * 1000:>7.0f}ms{median / baseline:>8.2f}x")
    html = statistics.median(times["report (html)"])
    print(
        f"HTML report: {size / 1024:.0f} KB; goal: within {GOAL_RATIO}x of plan and "
        f"under {GOAL_SECONDS:g} s"
    )
    missed = html / baseline > GOAL_RATIO or html > GOAL_SECONDS
    print("MISSED" if missed else "ok")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
