"""Hostile files are refused within moments and in little memory: a "billion laughs" YAML
(as answers or in `<data dir>/exercises/`), `/dev/zero` as an answers or import file, and
a FIFO."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import textwrap
from pathlib import Path

from helpers import write_answers

LAUGHS = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9) if prev else ', '.join(['lol'] * 9)}]\n"
    for prev, name in zip([None, *"abcdefgh"], "abcdefghi", strict=True)
)
SECONDS = 10  # for each case; the whole run is bounded too

# One process runs every case in turn, each with its own data folder and a clock, so the
# test pays for one start-up; memory is capped so a regression fails instead of swapping.
DRIVER = textwrap.dedent(
    """
    import io, json, os, sys, time
    from heelcoach.context import Context
    from heelcoach.frontends.cli.app import run

    results = []
    for argv, home in json.loads(sys.argv[1]):
        env = {**os.environ, "HEELCOACH_HOME": home}
        err = io.StringIO()
        ctx = Context.from_environment(env, stdin=io.StringIO(), stdout=io.StringIO(),
                                       stderr=err, stdin_isatty=False, stdout_isatty=False)
        began = time.monotonic()
        code = run(argv, ctx)
        results.append([argv, code, err.getvalue(), time.monotonic() - began])
        print(json.dumps(results[-1]), flush=True)
    """
)


def _limited() -> None:
    gigabyte = 1024**3
    resource.setrlimit(resource.RLIMIT_AS, (2 * gigabyte, 2 * gigabyte))


def test_hostile_input_files_are_refused_within_seconds(
    tmp_path: Path, heelcoach_home: Path
) -> None:
    laughs = tmp_path / "laughs.yaml"
    laughs.write_text(LAUGHS, encoding="utf-8")
    big = tmp_path / "big.yaml"
    base = write_answers(tmp_path).read_text(encoding="utf-8")
    big.write_text(base + "# padding\n" * 3_000_000, encoding="utf-8")
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    home = str(heelcoach_home)
    # The same in the folder of a person's own exercises: even `log` answers at once.
    laughing_home, piped_home = tmp_path / "laughing-home", tmp_path / "piped-home"
    for folder in (laughing_home, piped_home):
        (folder / "exercises").mkdir(parents=True)
    (laughing_home / "exercises" / "laughs.yaml").write_text(
        "exercises: []\nx:\n" + "".join("  " + line for line in LAUGHS.splitlines(True)),
        encoding="utf-8",
    )
    os.mkfifo(piped_home / "exercises" / "pipe.yaml")
    cases = [
        (["screen", "--answers", str(laughs)], home),
        (["screen", "--answers", "/dev/zero"], home),
        (["screen", "--answers", str(fifo)], home),
        (["screen", "--answers", str(big)], home),
        (["import", "/dev/zero"], home),
        (["import", str(fifo)], home),
        (["log", "heel-drop", "--reps", "10"], str(laughing_home)),
        (["log", "heel-drop", "--reps", "10"], str(piped_home)),
    ]
    try:
        done = subprocess.run(
            [sys.executable, "-c", DRIVER, json.dumps(cases)],
            capture_output=True,
            text=True,
            timeout=SECONDS * 3,
            preexec_fn=_limited,
            env={**os.environ, "HEELCOACH_CACHE_DIR": ""},
            stdin=subprocess.DEVNULL,
        )
        output = done.stdout
    except subprocess.TimeoutExpired as stuck:
        output = (stuck.stdout or b"").decode() if isinstance(stuck.stdout, bytes) else ""
    results = [json.loads(line) for line in output.splitlines()]
    assert len(results) == len(cases), f"stuck after {results[-1:] or 'start-up'}"
    for argv, code, stderr, took in results:
        assert code == 2, (argv, code, stderr[-300:])
        assert len(stderr.strip().splitlines()) == 1 and "Traceback" not in stderr, stderr
        assert took < SECONDS, (argv, took)
    assert not (heelcoach_home / "profile.json").exists()
