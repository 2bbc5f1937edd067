"""Does the history commands' speed hold up with two years of training? Run by hand:

    .venv/bin/python bench/history_scale.py [--sets 100000] [--runs 7]

Two data folders are made in a temp folder, both with a profile whose program week 1
began two years ago (`heelcoach screen --answers ... --start`): one with an empty history
file, one seeded with `--sets` sets spread over those two years (through `Store.add_sets`
in batches, with a session and a morning check-in per training day). Each command is then
run as a user runs it (a new `python -m heelcoach` process), alternating the empty and the
full folder side by side in every round so that machine noise hits both alike, and the
median wall time of each is compared. Goal: full / empty within 1.5x for every command.
Exit status 1 when a command misses it.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

GOAL = 1.5
# The same sample person for every benchmark, kept beside the scripts.
ANSWERS = (Path(__file__).parent / "sample_answers.yaml").read_text(encoding="utf-8")
COMMANDS = {
    "log": ["log", "heel-drop", "--reps", "10", "--pain", "1"],
    "history --limit 20": ["history", "--limit", "20"],
    "stats": ["stats"],
}
# (exercise, reps, seconds, per side) cycled through a training day.
DAY_MENU = (
    ("heel-kick-marching", None, 20, False),
    ("heel-drop", 15, None, False),
    ("heel-jump", 10, None, False),
    ("eccentric-heel-drop", 15, None, True),
    ("bridge", 10, None, False),
    ("split-squat", 10, None, True),
    ("calf-stretch", None, 30, True),
)


def heelcoach(home: Path, cache: Path, *args: str, check: bool = True) -> float:
    env = {
        **os.environ,
        "HEELCOACH_HOME": str(home),
        "HEELCOACH_CACHE_DIR": str(cache),
        "NO_COLOR": "1",
    }
    started = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "heelcoach", *args], env=env, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - started
    if check and result.returncode != 0:
        raise SystemExit(
            f"heelcoach {' '.join(args)} failed ({result.returncode}): {result.stderr.strip()}"
        )
    return elapsed


def seed(home: Path, total: int, start: date, days: int) -> None:
    """`total` sets over `days` days from `start`, 4 training days a week."""
    os.environ["HEELCOACH_HOME"] = str(home)
    from heelcoach.storage.store import CheckIn, SessionRecord, SetRecord, Store

    rng = random.Random(7)
    training_days = [start + timedelta(days=d) for d in range(days) if d % 7 in (0, 2, 4, 6)]
    per_day = -(-total // len(training_days))
    made = 0
    batch: list[SetRecord] = []
    with Store.open(Path(os.environ["HEELCOACH_HOME"]) / "history.db", create=True) as store:
        for day in training_days:
            session = SetRecord.new_uuid()
            begin = datetime(day.year, day.month, day.day, 7, 0, tzinfo=UTC)
            store.start_session(SessionRecord(session, day, begin, None, None, "running"))
            moment = begin
            count = min(per_day, total - made)
            for index in range(count):
                exercise, reps, seconds, per_side = DAY_MENU[index % len(DAY_MENU)]
                side = ("left", "right")[index % 2] if per_side else None
                ended = moment + timedelta(seconds=40)
                batch.append(
                    SetRecord(
                        uuid=SetRecord.new_uuid(),
                        exercise=exercise,
                        set_number=index // len(DAY_MENU) + 1,
                        side=side,
                        reps=reps,
                        seconds=seconds,
                        target_reps=reps,
                        target_seconds=seconds,
                        pain=rng.choice((0, 1, 1, 2, 2, 3, None)),
                        day=day,
                        started_at=moment,
                        ended_at=ended,
                        session_id=session,
                        source="live",
                        note=None,
                    )
                )
                moment = ended + timedelta(seconds=20)
            made += count
            store.finish_session(
                session, ended_at=moment, pain=rng.choice((0, 1, 2, 3)), status="finished"
            )
            store.save_checkin(
                CheckIn(
                    day + timedelta(days=1),
                    rng.choice((0, 1, 2)),
                    rng.choice((0, 1, 2)),
                    moment + timedelta(hours=20),
                )
            )
            if len(batch) >= 5000:
                store.add_sets(batch)
                batch = []
        store.add_sets(batch)
        print(f"seeded {store.count_sets()} sets over {len(training_days)} training days")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--days", type=int, default=730)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="heelcoach-bench-") as folder:
        root = Path(folder)
        cache = root / "cache"
        answers = root / "answers.yaml"
        answers.write_text(ANSWERS, encoding="utf-8")
        start = date.today() - timedelta(days=options.days)
        homes = {"empty": root / "empty", "full": root / "full"}
        for home in homes.values():
            heelcoach(
                home, cache, "screen", "--answers", str(answers), "--start", start.isoformat()
            )
        began = time.perf_counter()
        seed(homes["full"], options.sets, start, options.days)
        print(f"seeding took {time.perf_counter() - began:.1f} s")
        from heelcoach.storage.store import Store

        os.environ["HEELCOACH_HOME"] = str(homes["empty"])
        Store.open(
            Path(os.environ["HEELCOACH_HOME"]) / "history.db", create=True
        ).close()  # an empty history file, not a missing one
        for home in homes.values():  # warm the content cache and the OS file cache
            for args in COMMANDS.values():
                heelcoach(home, cache, *args)
        times: dict[tuple[str, str], list[float]] = {}
        for run in range(options.runs):
            for name, args in COMMANDS.items():
                order = ("empty", "full") if run % 2 == 0 else ("full", "empty")
                for which in order:
                    times.setdefault((name, which), []).append(
                        heelcoach(homes[which], cache, *args)
                    )
        print(
            f"\nmedian of {options.runs} runs each (python -m heelcoach ...), "
            f"{options.sets} sets over {options.days} days:"
        )
        print(f"{'command':<22}{'empty':>10}{'full':>10}{'ratio':>8}  goal <= {GOAL}x")
        missed = False
        for name in COMMANDS:
            empty = statistics.median(times[(name, "empty")])
            full = statistics.median(times[(name, "full")])
            ratio = full / empty
            missed |= ratio > GOAL
            print(
                f"{name:<22}{empty * 1000:>8.0f}ms{full * 1000:>8.0f}ms{ratio:>7.2f}x  "
                f"{'ok' if ratio <= GOAL else 'MISSED'}"
            )
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
