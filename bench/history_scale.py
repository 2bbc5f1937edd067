"""Do the everyday commands stay as quick for a heavy user of many years as for a newcomer?
Run by hand, with heelcoach installed (not editable) in an environment of its own:

    python3 -m venv /tmp/heelcoach-bench && /tmp/heelcoach-bench/bin/pip install .
    /tmp/heelcoach-bench/bin/python bench/history_scale.py [--sizes 35000,100000] [--rounds 15]

One data folder is a newcomer's: screened a week ago, a single set logged. Then one for
each of `--sizes`: a heavy user who screened ten years ago (35,000 sets) or twenty
(100,000; other sizes at 3,500 sets a year, a year of daily sessions being about 3,300)
and trained four days a week since, with a session and a morning check-in per training
day. The histories are built through the store and kept in
a temporary folder keyed by size and day (`--keep-dir`), so a second run the same day
starts at once.

Each command is then run as a person runs it (the installed console script, a new process,
`PYTHONDONTWRITEBYTECODE` unset) in every folder, all of them once per round in a new
random order, after untimed warm-up rounds. The first `plan` in a copied history works out
every program week once (and keeps where each began): it is printed, then left out of the
medians. Targets: ten years (35,000 sets) within 1.2x of the newcomer for every command,
twenty years (100,000) within 2x. Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import benchlib

TARGETS = {35_000: 1.2, 100_000: 2.0}
YEARS = {35_000: 10, 100_000: 20}  # a heavy user's history of that size spans this long
COMMANDS = {
    # --yes: many rounds on one day pass the daily impact ceiling, which `log` queries.
    "log": ["log", "heel-drop", "--reps", "10", "--pain", "1", "--yes"],
    "checkin": ["checkin", "--pain", "1", "--stiffness", "1"],
    "history --limit 20": ["history", "--limit", "20"],
    "plan": ["plan"],
    "stats": ["stats"],
    "home screen": [],
}
SEED_VERSION = 2  # bump when the seed below changes what it builds

SEED = r"""
import json, random, sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from heelcoach.storage.store import (
    CheckIn, SCHEMA_VERSION, SessionRecord, SetRecord, Store)

path, total, start, days = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
start = date.fromisoformat(start)
# (exercise, reps, seconds, per side) cycled through a training day.
MENU = (
    ("heel-kick-marching", None, 20, False),
    ("heel-drop", 15, None, False),
    ("heel-jump", 10, None, False),
    ("eccentric-heel-drop", 15, None, True),
    ("bridge", 10, None, False),
    ("split-squat", 10, None, True),
    ("calf-stretch", None, 30, True),
)
rng = random.Random(7)
training = [start + timedelta(days=d) for d in range(days) if d % 7 in (0, 2, 4, 6)]
per_day = -(-total // len(training))
made, batch, sessions, checkins = 0, [], [], []
with Store.open(path, create=True) as store:
    for day in training:
        if made >= total:
            break
        session = SetRecord.new_uuid()
        moment = datetime(day.year, day.month, day.day, 7, tzinfo=UTC)
        begun = moment
        count = min(per_day, total - made)
        for index in range(count):
            exercise, reps, seconds, per_side = MENU[index % len(MENU)]
            ended = moment + timedelta(seconds=40)
            batch.append(SetRecord(
                SetRecord.new_uuid(), exercise, index // len(MENU) + 1,
                ("left", "right")[index % 2] if per_side else None, reps, seconds, reps,
                seconds, rng.choice((0, 1, 1, 2, 2, 3, None)), day, moment, ended, session,
                "live"))
            moment = ended + timedelta(seconds=20)
        made += count
        sessions.append(SessionRecord(session, day, begun, moment, rng.choice((0, 1, 2, 3)),
                                      "finished"))
        checkins.append(CheckIn(day + timedelta(days=1), rng.choice((0, 1, 2)),
                                rng.choice((0, 1, 2)), moment + timedelta(hours=20)))
        if len(batch) >= 50_000:
            store.add_sets(batch)
            batch = []
    store.add_sets(batch)
    store.import_records(((0, record) for record in [*sessions, *checkins]), "seed")
    print(json.dumps({"sets": store.count_sets(), "days": len(training),
                      "schema": SCHEMA_VERSION}))
"""


def build_history(keep: Path, home: Path, sets: int, start: date, days: int) -> str:
    """`sets` sets in `home`/history.db, from the cache folder when built today already."""
    python = [sys.executable]
    schema = benchlib.run(
        [*python, "-c", "from heelcoach.storage.store import SCHEMA_VERSION as v; print(v)"],
        os.environ,
    ).strip()
    key = f"sets{sets}-days{days}-from{start.isoformat()}-schema{schema}-seed{SEED_VERSION}"
    cached = keep / key / "history.db"
    if not cached.exists():
        began = time.perf_counter()
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_name("building.db")
        for stale in partial.parent.glob("building.db*"):
            stale.unlink()
        out = benchlib.run(
            [*python, "-c", SEED, str(partial), str(sets), start.isoformat(), str(days)],
            os.environ,
        )
        partial.rename(cached)
        for leftover in partial.parent.glob("building.db*"):
            leftover.unlink()
        print(f"built {json.loads(out)['sets']:,} sets in {time.perf_counter() - began:.0f} s")
    home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(cached, home / "history.db")
    (home / "history.db").chmod(0o600)
    return key


def span_days(size: int) -> int:
    """How many days a heavy user's history of `size` sets spans (3,500 sets a year
    unless `YEARS` says)."""
    return round(YEARS.get(size, size / 3_500) * 365.25)


def screened(coach: list[str], env: dict[str, str], home: Path, start: date) -> None:
    """A profile whose program week 1 began on `start`: screened a week ago, then dated
    back as if screened then (`screen --start` reaches back a few years only)."""
    recent = (date.today() - timedelta(days=7)).isoformat()
    benchlib.run([*coach, "screen", "--answers", str(benchlib.ANSWERS_FILE), "--start", recent],
                 env, "screen")  # fmt: skip
    profile = home / "profile.json"
    saved = json.loads(profile.read_text(encoding="utf-8"))
    saved["created"] = start.isoformat()
    profile.write_text(json.dumps(saved), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="35000,100000", help="history sizes, in sets")
    parser.add_argument("--rounds", type=int, default=15, help="timed rounds (default 15)")
    parser.add_argument("--warmup", type=int, default=2, help="untimed rounds first")
    parser.add_argument(
        "--keep-dir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "heelcoach-bench-histories",
        help="where built histories are kept for the next run",
    )
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",")]
    coach = benchlib.installed_heelcoach()
    today = date.today()
    with tempfile.TemporaryDirectory(prefix="heelcoach-bench-") as folder:
        root = Path(folder)
        cache = root / "cache"
        names = ["1 set", *(f"{size:,} sets" for size in sizes)]
        homes = {name: root / f"home-{index}" for index, name in enumerate(names)}
        envs = {name: benchlib.environment(home, cache) for name, home in homes.items()}
        newcomer = today - timedelta(days=7)
        screened(coach, envs["1 set"], homes["1 set"], newcomer)
        benchlib.run([*coach, "log", "heel-drop", "--reps", "10"], envs["1 set"], "the set")
        for name, size in zip(names[1:], sizes, strict=True):
            days = span_days(size)
            start = today - timedelta(days=days)
            screened(coach, envs[name], homes[name], start)
            build_history(options.keep_dir, homes[name], size, start, days)
        print("the first plan in each copied history (every program week worked out once):")
        for name in names:
            replay = benchlib.time_process([*coach, "plan"], envs[name])
            print(f"  {name:>16}: plan {replay.wall * 1000:7.0f} ms")

        def case(args: list[str], env: dict[str, str]) -> Callable[[], benchlib.Sample]:
            return lambda: benchlib.time_process([*coach, *args], env)

        cases = {
            (command, name): case(args, envs[name])
            for command, args in COMMANDS.items()
            for name in names
        }
        labelled = {f"{command}|{name}": run for (command, name), run in cases.items()}
        samples = benchlib.measure(labelled, options.rounds, options.warmup)
    return report(samples, names, sizes, options)


def report(
    samples: dict[str, list[benchlib.Sample]],
    names: list[str],
    sizes: list[int],
    options: argparse.Namespace,
) -> int:
    print(
        f"\n{options.rounds} rounds after {options.warmup} warm-up rounds; wall time per"
        " command, median [quartiles] in ms; ratio = median / median of the 1-set history,"
        " with the quartiles of the round-by-round ratios"
    )
    header = f"{'command':<20}{names[0]:>18}"
    for name in names[1:]:
        header += f"{name:>22}  {'ratio [quartiles]':<20}"
    print(header)
    missed = []
    for command in COMMANDS:
        base = samples[f"{command}|{names[0]}"]
        base_spread = benchlib.spread([s.wall for s in base])
        row = f"{command:<20}{base_spread.ms():>18}"
        for name, size in zip(names[1:], sizes, strict=True):
            got = samples[f"{command}|{name}"]
            got_spread = benchlib.spread([s.wall for s in got])
            ratio = got_spread.median / base_spread.median
            paired = benchlib.paired_ratios(got, base)
            target = TARGETS.get(size, 2.0)
            verdict = "ok" if ratio <= target else "MISSED"
            if ratio > target:
                missed.append(f"{command} at {name}: {ratio:.2f}x > {target}x")
            row += (
                f"{got_spread.ms():>22}"
                f"  {f'{ratio:.2f}x [{paired.low:.2f}-{paired.high:.2f}] {verdict}':<20}"
            )
        print(row)
    print("targets: " + ", ".join(f"{size:,} sets <= {t}x" for size, t in TARGETS.items()))
    return benchlib.exit_status(missed)


if __name__ == "__main__":
    sys.exit(main())
