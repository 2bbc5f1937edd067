"""What the benchmarks share: the installed command, its environment, timing whole processes,
and medians with their spread.

Every benchmark times `heelcoach` as a person runs it: the console script an install puts
beside the interpreter (`/tmp/heelcoach-bench/bin/heelcoach`), never `python -m heelcoach` from the
checkout, in a new process each time. `PYTHONDONTWRITEBYTECODE` is removed from the
measured processes' environment (an installed package has its bytecode, and Python keeps
it up to date); the first, untimed rounds give Python the chance to write what is missing.
"""

from __future__ import annotations

import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
# The same sample person for every benchmark, kept beside the scripts.
ANSWERS_FILE = HERE / "sample_answers.yaml"


def installed_heelcoach() -> list[str]:
    """The console script beside this interpreter; exit 2 when it is missing, or when it
    would run the checkout (an editable install) instead of an installed package."""
    script = Path(sys.executable).with_name("heelcoach")
    if not script.exists():
        raise SystemExit(
            f"no console script {script}: install heelcoach into this environment first"
            " (`python3 -m venv /tmp/heelcoach-bench && /tmp/heelcoach-bench/bin/pip install .`)"
        )
    with tempfile.TemporaryDirectory() as neutral:  # away from the checkout's sys.path
        where = subprocess.run(
            [sys.executable, "-c", "import heelcoach; print(heelcoach.__file__)"],
            cwd=neutral,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    if Path(where).resolve().is_relative_to(REPO) and not Path(where).resolve().is_relative_to(
        Path(sys.prefix).resolve()
    ):
        raise SystemExit(
            f"{script} runs the checkout ({where}): an editable install. Benchmarks time an"
            " installed package, in an environment of its own: `python3 -m venv"
            " /tmp/heelcoach-bench && /tmp/heelcoach-bench/bin/pip install .`"
        )
    return [str(script)]


def environment(home: Path, cache: Path, **extra: str) -> dict[str, str]:
    """The environment of a measured process: its own data folder and content cache,
    no colour, and bytecode caching as an installed package has it."""
    env = {
        **os.environ,
        "HEELCOACH_HOME": str(home),
        "HEELCOACH_CACHE_DIR": str(cache),
        "NO_COLOR": "1",
        "COLUMNS": "100",
        **extra,
    }
    for name in ("PYTHONDONTWRITEBYTECODE", "PYTHONPYCACHEPREFIX", "HEELCOACH_DEBUG"):
        env.pop(name, None)
    return env


def run(argv: Sequence[str], env: Mapping[str, str], what: str = "") -> str:
    """Run a setup step; exit with its error when it fails. Returns its output."""
    result = subprocess.run(list(argv), env=dict(env), capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(
            f"setup failed{' (' + what + ')' if what else ''}: {' '.join(argv)}\n"
            f"{result.stderr.strip()}"
        )
    return result.stdout


class Sample(NamedTuple):
    wall: float  # seconds from start to exit
    cpu: float  # user + system seconds of the child
    max_rss_kb: int  # the child's peak resident memory


def time_process(
    argv: Sequence[str], env: Mapping[str, str], *, check: bool = True, stdin: int | None = None
) -> Sample:
    """One whole process, from fork to exit, with its CPU time and peak memory."""
    began = time.perf_counter()
    child = subprocess.Popen(
        list(argv),
        env=dict(env),
        stdin=subprocess.DEVNULL if stdin is None else stdin,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE if check else subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - began
    code = os.waitstatus_to_exitcode(status)
    child.returncode = code  # reaped above; keep Popen from waiting again
    if check and code != 0:
        error = child.stderr.read().decode(errors="replace") if child.stderr else ""
        raise SystemExit(f"{' '.join(argv)} failed ({code}): {error.strip()}")
    if child.stderr:
        child.stderr.close()
    return Sample(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss)


class Spread(NamedTuple):
    median: float
    low: float  # first quartile
    high: float  # third quartile
    least: float
    most: float

    def ms(self) -> str:
        """`median [q1-q3]` in milliseconds."""
        return f"{self.median * 1000:6.1f} [{self.low * 1000:.0f}-{self.high * 1000:.0f}]"


def spread(values: Sequence[float]) -> Spread:
    ordered = sorted(values)
    if len(ordered) >= 4:
        low, _, high = statistics.quantiles(ordered, n=4, method="inclusive")
    else:
        low, high = ordered[0], ordered[-1]
    return Spread(statistics.median(ordered), low, high, ordered[0], ordered[-1])


def measure(
    cases: Mapping[str, Callable[[], Sample]], rounds: int, warmup: int
) -> dict[str, list[Sample]]:
    """Every case once per round, in a new random order each round (so a slow spell on the
    machine hits them all alike); the warm-up rounds are run and thrown away."""
    samples: dict[str, list[Sample]] = {label: [] for label in cases}
    labels = list(cases)
    for number in range(warmup + rounds):
        random.shuffle(labels)
        for label in labels:
            sample = cases[label]()
            if number >= warmup:
                samples[label].append(sample)
    return samples


def paired_ratios(a: Sequence[Sample], b: Sequence[Sample]) -> Spread:
    """The round-by-round ratios a/b of wall times (both measured in the same rounds)."""
    return spread([x.wall / y.wall for x, y in zip(a, b, strict=True)])


def exit_status(missed: Sequence[str]) -> int:
    """Print each missed target; the script's exit status: 1 when any was missed."""
    for line in missed:
        print(f"MISSED: {line}")
    return 1 if missed else 0
