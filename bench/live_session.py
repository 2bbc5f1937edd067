"""Timing and CPU cost of the live session, measured side by side in one run.

Targets (from the live-session issue):
* drift: every set is handed over to be saved, and the session ends, less than 50 ms
  (real time) after its planned moment - at 20x speed, in real time, and with a screen
  that takes 30 ms to draw each frame - and the lateness does not grow over the session,
  because every deadline is planned from the start, never from the last tick;
* the session clock: the end the session reports equals the plan (get ready, work,
  switches, rests) to the millisecond;
* CPU: a real-time `heelcoach start --sound` in a 24x80 terminal uses well under 5% of
  one core, speaking and playing tones as it goes.

Method. Drift: `heelcoach.frontends.live.runner.run_session` runs in this process with the
real monotonic clock, no keys pressed, and an `on_set_finished` that notes the real time of each
hand-over. A set's planned real moment is `origin + (set end on the session clock -
origin) / speed`; lateness is the hand-over time minus that. Three runs: a four-exercise
plan at --speed (plain lines to memory), the same plan with the full-screen Rich view on a
console whose every `print` sleeps --render-ms, and a ~40 s plan in real time.
The drift runs give each exercise 5 s to get into position (a session gives 15).
CPU: a real `heelcoach start --yes --sound` child in a pseudo-terminal (pty.fork), with
today's session from a profile that starts today, and stand-ins for a speech program and
a sound player on its PATH (`espeak-ng` and `aplay` shell scripts that note each call and
sleep as long as the real ones would take), so every cue starts a process as it would
with a real voice; its CPU time is read from /proc/PID/stat (or psutil) once the full
screen is up and again --cpu-seconds later, then the session is quit with q, y and the
whole process's CPU (start-up and the sound processes it waited for included) comes from
wait4.

Everything runs in a temporary data folder, so a real history is never touched. Exit
status 1 when a target is missed. Takes about 2 minutes:

    /tmp/heelcoach-bench/bin/python bench/live_session.py \\
        [--speed 20] [--render-ms 30] [--cpu-seconds 30]
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import io
import os
import platform
import pty
import select
import signal
import struct
import subprocess
import sys
import tempfile
import termios
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import benchlib

POSITION_SECONDS = 5.0  # get into position, in the drift runs
DRIFT_TARGET_MS = 50.0
CLOCK_TARGET_MS = 1.0
CPU_TARGET = 5.0  # percent of one core
ANSWERS = (Path(__file__).parent / "sample_answers.yaml").read_text(encoding="utf-8")


def heelcoach_command() -> list[str]:
    """The installed console script beside this interpreter, as a person runs it."""
    return benchlib.installed_heelcoach()


# --------------------------------------------------------------------------- drift


@dataclass(frozen=True)
class DriftResult:
    label: str
    sets: int
    planned: float  # seconds on the session clock, get ready included
    session_end: float  # where the session says it ended, on the same clock
    end_late_ms: float  # real lateness of the last hand-over (the end of the session)
    first_late_ms: float
    worst_late_ms: float
    wall: float

    @property
    def clock_error_ms(self) -> float:
        return abs(self.session_end - self.planned) * 1000

    @property
    def ok(self) -> bool:
        return (
            self.worst_late_ms < DRIFT_TARGET_MS
            and self.end_late_ms < DRIFT_TARGET_MS
            and self.clock_error_ms < CLOCK_TARGET_MS
        )


class _Clock:
    """time.monotonic, keeping the first reading: run_session's origin."""

    def __init__(self) -> None:
        self.origin: float | None = None

    def __call__(self) -> float:
        now = time.monotonic()
        if self.origin is None:
            self.origin = now
        return now


class _NobodyTyping:
    """A key source with no one at the keyboard: waits as long as asked."""

    def read(self, timeout: float) -> None:
        time.sleep(timeout)


def _item(
    library: Any,
    exercise_id: str,
    sets: int,
    *,
    reps: int | None = None,
    seconds: int | None = None,
    per_side: bool = False,
    rest: int | None = None,
) -> Any:
    from heelcoach.domain.session.model import SessionItem

    exercise = library.exercise(exercise_id)
    return SessionItem(
        exercise=exercise.id,
        name=exercise.name,
        sets=sets,
        reps=reps,
        seconds=seconds,
        per_side=per_side,
        support=None,
        phases=exercise.phases,
        cues=exercise.cues,
        mistakes=exercise.mistakes,
        rest_seconds=exercise.rest_seconds if rest is None else rest,
    )


def plans() -> tuple[list[Any], list[Any]]:
    """A four-exercise plan (~7 min: timed, rep and per-side work, switches and rests) for
    the sped-up runs, and a ~40 s one for real time."""
    from heelcoach.content.loader import load_library

    library = load_library(Path(os.environ["HEELCOACH_HOME"]) / "exercises", None)
    full = [
        _item(library, "heel-kick-marching", 2, seconds=20),
        _item(library, "heel-drop", 2, reps=10, rest=30),
        _item(library, "eccentric-heel-drop", 1, reps=3, per_side=True),
        _item(library, "calf-stretch", 1, seconds=30, per_side=True),
    ]
    short = [
        _item(library, "heel-drop", 2, reps=3, rest=4),
        _item(library, "calf-stretch", 1, seconds=10),
    ]
    return full, short


def _slow_console(render_ms: float) -> Any:
    from rich.console import Console

    class SlowConsole(Console):
        """A terminal that takes `render_ms` to take each frame."""

        def print(self, *args: Any, **kwargs: Any) -> None:
            time.sleep(render_ms / 1000)
            super().print(*args, **kwargs)

    sink = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 (lives for the run)
    return SlowConsole(
        file=sink, force_terminal=True, width=80, height=24, color_system="truecolor"
    )


def drift(
    label: str,
    items: list[Any],
    speed: float,
    render_ms: float | None = None,
) -> DriftResult:
    from heelcoach.domain.session.engine import Session
    from heelcoach.frontends.live.runner import run_session

    clock = _Clock()
    handed: list[tuple[float, Any]] = []

    def on_set_finished(finished: Any) -> None:
        handed.append((time.monotonic(), finished))

    screen: dict[str, Any] = {"plain": True, "out": io.StringIO()}
    if render_ms is not None:
        screen = {"console": _slow_console(render_ms)}
    started = time.monotonic()
    outcome = run_session(
        items,
        on_set_finished=on_set_finished,
        clock=clock,
        speed=speed,
        keys=_NobodyTyping(),
        position_seconds=POSITION_SECONDS,
        **screen,
    )
    wall = time.monotonic() - started
    if outcome.reason != "completed" or not handed or clock.origin is None:
        raise SystemExit(f"{label}: the session did not complete ({outcome.reason})")
    origin = clock.origin
    late = [
        (real - (origin + (finished.ended - origin) / speed)) * 1000 for real, finished in handed
    ]
    return DriftResult(
        label=label,
        sets=len(handed),
        planned=Session(items, start=0.0, position_seconds=POSITION_SECONDS).planned_seconds,
        session_end=outcome.summary.elapsed_seconds,
        end_late_ms=late[-1],
        first_late_ms=late[0],
        worst_late_ms=max(late),
        wall=wall,
    )


# --------------------------------------------------------------------------- CPU


@dataclass(frozen=True)
class CpuResult:
    window: float  # seconds of session measured
    window_cpu: float | None  # CPU seconds in that window (None: no way to read it live)
    total_wall: float
    total_cpu: float  # the whole process, start-up and quitting included
    exit_code: int
    source: str
    spoken: int = 0  # cues the stand-in speech program was asked to say
    tones: int = 0  # tones the stand-in player was asked to play

    @property
    def window_percent(self) -> float | None:
        return None if self.window_cpu is None else 100 * self.window_cpu / self.window

    @property
    def total_percent(self) -> float:
        return 100 * self.total_cpu / self.total_wall


def _process_cpu(pid: int) -> tuple[float, str] | None:
    """User + system CPU seconds of a running process, and where the figure came from."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        return (int(fields[11]) + int(fields[12])) / ticks, "/proc/PID/stat"
    except (OSError, IndexError, ValueError):
        pass
    try:
        import psutil  # type: ignore[import-not-found]
    except ImportError:
        return None
    try:
        times = psutil.Process(pid).cpu_times()
    except psutil.Error:  # the process is gone
        return None
    return times.user + times.system, "psutil"


class _Pty:
    """A child on a pseudo-terminal; its output is drained so it never blocks writing."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        pid, fd = pty.fork()
        if pid == 0:  # the child: a 24x80 terminal, Ctrl-C as a person has it, then exec
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
                signal.signal(signal.SIGINT, signal.SIG_DFL)
                os.execvpe(argv[0], argv, env)
            finally:
                os._exit(127)
        self.pid, self.fd = pid, fd
        self.output = b""
        self.closed = False

    def drain(self, seconds: float, until: bytes | None = None, since: int = 0) -> bool:
        """Read for `seconds`, or until `until` shows up after `since`; True if it did."""
        deadline = time.monotonic() + seconds
        while not self.closed:
            if until is not None and until in self.output[since:]:
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                break
            ready, _, _ = select.select([self.fd], [], [], min(left, 0.25))
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:  # EIO: the child has gone
                    chunk = b""
                if not chunk:
                    self.closed = True
                self.output += chunk
        return until is not None and until in self.output[since:]

    def send(self, keys: bytes) -> None:
        os.write(self.fd, keys)

    def wait(self) -> tuple[int, float]:
        """Exit code and the child's total CPU seconds (user + system)."""
        _, status, usage = os.wait4(self.pid, 0)
        os.close(self.fd)
        return os.waitstatus_to_exitcode(status), usage.ru_utime + usage.ru_stime

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)


def sound_stand_ins(folder: Path) -> tuple[Path, Path]:
    """`espeak-ng` and `aplay` scripts that log each call and take as long as the real
    ones would (about a word's time, a tone's time)."""
    bin_dir, log = folder / "bin", folder / "sound.log"
    bin_dir.mkdir()
    for name, seconds in (("espeak-ng", 0.4), ("aplay", 0.15)):
        script = bin_dir / name
        script.write_text(f'#!/bin/sh\necho {name} >> "{log}"\nsleep {seconds}\n')
        script.chmod(0o755)
    return bin_dir, log


def cpu(
    env: dict[str, str], seconds: float, folder: Path, options: tuple[str, ...] = ()
) -> CpuResult:
    """CPU of `heelcoach start --yes --sound OPTIONS` in a 24x80 pseudo-terminal."""
    bin_dir, log = sound_stand_ins(folder)
    term_env = {**env, "TERM": "xterm-256color", "PATH": f"{bin_dir}:{env['PATH']}"}
    for name in ("COLUMNS", "LINES", "NO_COLOR"):
        term_env.pop(name, None)
    started = time.monotonic()
    child = _Pty([*heelcoach_command(), "start", "--yes", "--sound", *options], term_env)
    try:
        if not child.drain(30, until=b"[y/N]"):  # anything new since last time?
            raise SystemExit(f"cpu: no health question:\n{child.output[-2000:]!r}")
        child.send(b"\r")
        if not child.drain(30, until=b"\x1b[?1049h"):  # the full screen is up
            raise SystemExit(f"cpu: no full screen:\n{child.output[-2000:]!r}")
        first = _process_cpu(child.pid)
        window_start = time.monotonic()
        child.drain(seconds)
        window = time.monotonic() - window_start
        last = _process_cpu(child.pid)
        if child.closed:
            raise SystemExit("cpu: the session ended before the measurement did")
        mark = len(child.output)
        child.send(b"q")
        if not child.drain(10, until=b"Quit the session", since=mark):
            raise SystemExit("cpu: q was not answered")
        child.send(b"y")
        if child.drain(10, until=b"How much pain", since=mark):
            child.send(b"\r")
        child.drain(10)
    except BaseException:
        child.kill()
        raise
    exit_code, total_cpu = child.wait()
    total_wall = time.monotonic() - started
    window_cpu = last[0] - first[0] if first and last else None
    source = first[1] if first else "wait4 only"
    calls = log.read_text().split() if log.exists() else []
    return CpuResult(
        window,
        window_cpu,
        total_wall,
        total_cpu,
        exit_code,
        source,
        calls.count("espeak-ng"),
        calls.count("aplay"),
    )


# --------------------------------------------------------------------------- the run


def prepare(folder: Path) -> dict[str, str]:
    """A data folder with a profile that starts today (so today is a training day)."""
    env = {
        **os.environ,
        "HEELCOACH_HOME": str(folder / "home"),
        "HEELCOACH_CACHE_DIR": str(folder / "cache"),
    }
    answers = folder / "answers.yaml"
    answers.write_text(ANSWERS, encoding="utf-8")
    for argv in (
        [
            *heelcoach_command(),
            "screen",
            "--answers",
            str(answers),
            "--start",
            date.today().isoformat(),
        ],
        [*heelcoach_command(), "plan"],
    ):
        result = subprocess.run(
            argv, env=env, capture_output=True, text=True, timeout=120, check=False
        )
        if result.returncode != 0:
            raise SystemExit(f"setup failed: {' '.join(argv)}\n{result.stderr}")
    return env


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def report(runs: list[DriftResult], usage: CpuResult, args: argparse.Namespace) -> bool:
    print(
        f"heelcoach live session - Python {platform.python_version()} on "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs"
    )
    print()
    print(
        f"{'drift (real ms after the planned moment)':<44}{'sets':>5}{'plan':>9}"
        f"{'ended at':>11}{'first':>8}{'worst':>8}{'end':>8}  target   result"
    )
    all_ok = True
    for run in runs:
        all_ok &= run.ok
        print(
            f"{run.label:<44}{run.sets:>5}{run.planned:>8.1f}s{run.session_end:>10.3f}s"
            f"{run.first_late_ms:>+8.1f}{run.worst_late_ms:>+8.1f}{run.end_late_ms:>+8.1f}"
            f"  < {DRIFT_TARGET_MS:.0f} ms  {verdict(run.ok)}"
        )
    print("  plan: the planned length on the session clock (positions, work, switches, rests)")
    print(
        "  ended at: where the session says it ended; must equal the plan within "
        f"{CLOCK_TARGET_MS:.0f} ms"
    )
    print("  first / worst / end: how late (real ms) a set was handed over to be saved: the")
    print("  first set, the latest of all, and the last set (the end of the session)")
    print()
    print(
        f"{'CPU of `heelcoach start --sound`, 24x80':<44}{'seconds':>9}{'CPU s':>9}"
        f"{'% of a core':>13}  target   result"
    )
    rows: list[tuple[str, float, float | None, float | None]] = [
        (
            f"{args.cpu_seconds:.0f} s of session ({usage.source})",
            usage.window,
            usage.window_cpu,
            usage.window_percent,
        ),
        (
            "whole process: start-up, session, quit",
            usage.total_wall,
            usage.total_cpu,
            usage.total_percent,
        ),
    ]
    for label, wall, used, percent in rows:
        if percent is None:
            print(f"{label:<44}{wall:>9.1f}{'n/a':>9}{'n/a':>13}")
            continue
        ok = percent < CPU_TARGET
        all_ok &= ok
        print(
            f"{label:<44}{wall:>9.1f}{used:>9.2f}{percent:>12.2f}%  < {CPU_TARGET:.0f}%     "
            f"{verdict(ok)}"
        )
    print(f"  sound: {usage.spoken} cues spoken, {usage.tones} tones played (stand-ins)")
    if usage.exit_code != 0:
        print(f"the measured session exited with status {usage.exit_code}")
        all_ok = False
    print()
    print("all targets met" if all_ok else "a target was missed")
    return all_ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--speed", type=float, default=20.0, help="session speed of the sped-up runs (default 20)"
    )
    parser.add_argument(
        "--render-ms",
        type=float,
        default=30.0,
        help="how long the slow screen takes to draw a frame (default 30)",
    )
    parser.add_argument(
        "--cpu-seconds",
        type=float,
        default=30.0,
        help="real-time session seconds to measure CPU over (default 30)",
    )
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="heelcoach-bench-") as tmp:
        env = prepare(Path(tmp))
        # This process loads the content too: use the throwaway cache, never the real one.
        os.environ["HEELCOACH_HOME"] = env["HEELCOACH_HOME"]
        os.environ["HEELCOACH_CACHE_DIR"] = env["HEELCOACH_CACHE_DIR"]
        if os.environ.get("TERM", "dumb") == "dumb":
            os.environ["TERM"] = "xterm-256color"  # dumb would force plain lines
        import heelcoach.frontends.live.view  # noqa: F401  (pay for Rich before any clock starts)

        full, short = plans()
        speed = args.speed
        runs = []
        for label, items, run_speed, render_ms in (
            (f"speed {speed:g}, plain lines", full, speed, None),
            (
                f"speed {speed:g}, full screen, {args.render_ms:g} ms a frame",
                full,
                speed,
                args.render_ms,
            ),
            ("real time, plain lines", short, 1.0, None),
        ):
            print(f"running: {label} ...", file=sys.stderr, flush=True)
            runs.append(drift(label, items, run_speed, render_ms))
        print(
            f"running: `heelcoach start` for {args.cpu_seconds:g} s in a pty ...",
            file=sys.stderr,
            flush=True,
        )
        usage = cpu(env, args.cpu_seconds, Path(tmp))
    print(file=sys.stderr)
    return 0 if report(runs, usage, args) else 1


if __name__ == "__main__":
    sys.exit(main())
