"""Start-up time of the everyday commands, as ratios to importing their dependencies.

Targets (from the start-up issue):
* `heelcoach --version`, `heelcoach log ...` and `heelcoach checkin ...` take at most 1.3x
  `python -c "import typer"`: they must not pay for Rich, YAML or anything else heavy.
* `heelcoach plan` and `heelcoach history` take at most 1.3x
  `python -c "import typer, rich.console, rich.table, yaml"`.

Method: a throwaway data folder (HEELCOACH_HOME) and content cache (HEELCOACH_CACHE_DIR)
with a profile three weeks old and a small history, bytecode caching on (in a private
PYTHONPYCACHEPREFIX, as an installed wheel has bytecode), the content cache warmed, then
every command and both baselines run once per round in a shuffled order, for many rounds,
so drift on the machine (CPU frequency, other load) hits all of them alike. Medians are
compared; the exit status is 1 when a command misses its target. Run by hand:

    .venv/bin/python bench/startup.py [--rounds 40] [--warmup 3] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

TARGET = 1.3
LIGHT_BASELINE = "import typer"
FULL_BASELINE = "import typer, rich.console, rich.table, yaml"


@dataclass(frozen=True)
class Case:
    label: str
    argv: tuple[str, ...]
    baseline: str | None  # the baseline's label; None for the baselines themselves


# The same sample person for every benchmark, kept beside the scripts.
ANSWERS = (Path(__file__).parent / "sample_answers.yaml").read_text(encoding="utf-8")


def heelcoach_command() -> list[str]:
    """The installed console script beside this interpreter, as a person runs it."""
    script = Path(sys.executable).with_name("heelcoach")
    return [str(script)] if script.exists() else [sys.executable, "-m", "heelcoach"]


def cases() -> list[Case]:
    coach = tuple(heelcoach_command())
    light, full = f"python -c '{LIGHT_BASELINE}'", f"python -c '{FULL_BASELINE}'"
    return [
        Case(light, (sys.executable, "-c", LIGHT_BASELINE), None),
        Case(full, (sys.executable, "-c", FULL_BASELINE), None),
        Case("heelcoach --version", (*coach, "--version"), light),
        Case(
            "heelcoach log heel-drop --reps 10", (*coach, "log", "heel-drop", "--reps", "10"), light
        ),
        Case(
            "heelcoach checkin --pain 3 --stiffness 2",
            (*coach, "checkin", "--pain", "3", "--stiffness", "2"),
            light,
        ),
        Case("heelcoach plan", (*coach, "plan"), full),
        Case("heelcoach history", (*coach, "history"), full),
    ]


# --------------------------------------------------------------------------- the data


def prepare(folder: Path) -> dict[str, str]:
    """A data folder with a profile and a small history; returns the environment to use."""
    env = {
        **os.environ,
        "HEELCOACH_HOME": str(folder / "home"),
        "HEELCOACH_CACHE_DIR": str(folder / "cache"),
        "NO_COLOR": "1",
        # An installed wheel has bytecode; a checkout run with PYTHONDONTWRITEBYTECODE
        # would compile every heelcoach module on every run and blame start-up for it.
        # A private prefix keeps the bytecode out of the source tree.
        "PYTHONPYCACHEPREFIX": str(folder / "pycache"),
    }
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    answers = folder / "answers.yaml"
    answers.write_text(ANSWERS, encoding="utf-8")
    start = date.today() - timedelta(weeks=3)
    run(
        [*heelcoach_command(), "screen", "--answers", str(answers), "--start", start.isoformat()],
        env,
    )
    seed_history(env, start)
    run([*heelcoach_command(), "plan"], env)  # warms the content cache
    return env


def seed_history(env: dict[str, str], start: date) -> None:
    """Three weeks of heel drops and check-ins, written through the store in a child
    process so this process keeps the caller's HEELCOACH_HOME untouched."""
    script = f"""
import os
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from heelcoach.storage.store import CheckIn, SetRecord, Store
start = date.fromisoformat({start.isoformat()!r})
with Store.open(Path(os.environ["HEELCOACH_HOME"]) / "history.db") as store:
    for offset in range(0, 21, 2):
        day = start + timedelta(days=offset)
        moment = datetime.combine(day, time(8), tzinfo=timezone.utc)
        store.add_sets([SetRecord(SetRecord.new_uuid(), "heel-drop", n, None, 10, None, 10,
                                  None, 1, day, moment, moment, None, "log")
                        for n in (1, 2)])
        store.save_checkin(CheckIn(day + timedelta(days=1), 1, 1, moment))
"""
    run([sys.executable, "-c", script], env)


def run(argv: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        raise SystemExit(f"setup failed: {' '.join(argv)}\n{result.stderr}")


def available(case: Case, env: dict[str, str]) -> bool:
    """False when the command does not exist yet (usage error) or fails."""
    result = subprocess.run(case.argv, env=env, capture_output=True, timeout=120)
    return result.returncode == 0


# --------------------------------------------------------------------------- timing


@dataclass(frozen=True)
class Sample:
    wall: float  # seconds from start to exit
    cpu: float  # user + system seconds of the child: steadier on a busy machine


def time_once(case: Case, env: dict[str, str]) -> Sample:
    began = time.perf_counter()
    child = subprocess.Popen(
        case.argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _, _, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - began
    child.returncode = 0  # reaped above; keep Popen from waiting again
    return Sample(wall, usage.ru_utime + usage.ru_stime)


def measure(
    selected: list[Case], env: dict[str, str], rounds: int, warmup: int
) -> dict[str, list[Sample]]:
    """Every case once per round, in a new random order each round."""
    samples: dict[str, list[Sample]] = {case.label: [] for case in selected}
    for round_number in range(warmup + rounds):
        order = selected[:]
        random.shuffle(order)
        for case in order:
            sample = time_once(case, env)
            if round_number >= warmup:  # the first rounds only fill the OS caches
                samples[case.label].append(sample)
    return samples


def report(
    selected: list[Case], missing: list[Case], samples: dict[str, list[Sample]]
) -> list[dict[str, object]]:
    wall = {label: statistics.median(s.wall for s in got) for label, got in samples.items()}
    cpu = {label: statistics.median(s.cpu for s in got) for label, got in samples.items()}
    rows: list[dict[str, object]] = []
    for case in selected:
        row: dict[str, object] = {
            "command": case.label,
            "wall_ms": round(wall[case.label] * 1000, 1),
            "cpu_ms": round(cpu[case.label] * 1000, 1),
        }
        if case.baseline is not None:
            ratio = wall[case.label] / wall[case.baseline]
            row.update(
                baseline=case.baseline,
                ratio=round(ratio, 2),
                cpu_ratio=round(cpu[case.label] / cpu[case.baseline], 2),
                ok=ratio <= TARGET,
            )
        rows.append(row)
    rows += [{"command": case.label, "missing": True} for case in missing]
    return rows


def print_table(rows: list[dict[str, object]], rounds: int) -> None:
    print(f"{rounds} rounds, medians; target: wall-clock ratio <= {TARGET}")
    width = max(len(str(row["command"])) for row in rows)
    print(f"\n{'command':{width}}  {'wall':>9}  {'cpu':>9}  {'ratio':>5}  {'cpu':>5}  result")
    for row in rows:
        label = f"{row['command']:{width}}"
        if row.get("missing"):
            print(f"{label}  {'-':>9}  {'-':>9}  {'-':>5}  {'-':>5}  not available")
            continue
        times = f"{row['wall_ms']:>6.1f} ms  {row['cpu_ms']:>6.1f} ms"
        if "ratio" not in row:
            print(f"{label}  {times}  {'':>5}  {'':>5}  baseline")
            continue
        verdict = "ok" if row["ok"] else "MISSED"
        print(f"{label}  {times}  {row['ratio']:>5.2f}  {row['cpu_ratio']:>5.2f}  {verdict}")
    print(
        "\nratio = median wall time / median wall time of its baseline "
        f"(--version, log, checkin: `{LIGHT_BASELINE}`; plan, history: `{FULL_BASELINE}`);"
        "\ncpu = the same for user + system CPU time."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40, help="timed rounds (default 40)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed rounds first")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="heelcoach-bench-"))
    try:
        env = prepare(folder)
        everything = cases()
        selected = [case for case in everything if available(case, env)]
        missing = [case for case in everything if case not in selected]
        samples = measure(selected, env, args.rounds, args.warmup)
        rows = report(selected, missing, samples)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if args.json:
        print(json.dumps({"rounds": args.rounds, "target": TARGET, "results": rows}, indent=2))
    else:
        print_table(rows, args.rounds)
    if any(row.get("ok") is False for row in rows):
        sys.exit(1)


if __name__ == "__main__":
    main()
