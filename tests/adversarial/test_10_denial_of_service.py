"""Finding 10: a "billion laughs" answers file took 2.2 GB and over 60 s, the same in
`<data dir>/exercises/` hung every command including `log`, `/dev/zero` as an answers or
import file ate gigabytes, and a FIFO hung."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from helpers import write_answers

LAUGHS = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 9) if prev else ', '.join(['lol'] * 9)}]\n"
    for prev, name in zip([None, *"abcdefgh"], "abcdefghi", strict=True)
)
SECONDS = 10


def _limited() -> None:
    gigabyte = 1024**3
    resource.setrlimit(resource.RLIMIT_AS, (2 * gigabyte, 2 * gigabyte))


def _run(*args: str) -> tuple[int, str, float]:
    began = time.monotonic()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "heelcoach", *args],
            capture_output=True,
            text=True,
            timeout=SECONDS,
            preexec_fn=_limited,
            env=dict(os.environ),
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        return -1, f"still running after {SECONDS} s", SECONDS
    return done.returncode, done.stderr, time.monotonic() - began


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
    cases = [
        ["screen", "--answers", str(laughs)],
        ["screen", "--answers", "/dev/zero"],
        ["screen", "--answers", str(fifo)],
        ["screen", "--answers", str(big)],
        ["import", "/dev/zero"],
        ["import", str(fifo)],
    ]
    for args in cases:
        code, stderr, took = _run(*args)
        assert code == 2, (args, code, stderr[-300:])
        assert len(stderr.strip().splitlines()) == 1 and "Traceback" not in stderr, stderr
        assert took < SECONDS
    assert not (heelcoach_home / "profile.json").exists()

    # The same in the folder of a person's own exercises: even `log` answers at once.
    (heelcoach_home / "exercises").mkdir()
    (heelcoach_home / "exercises" / "laughs.yaml").write_text(
        "exercises: []\nx:\n" + "".join("  " + line for line in LAUGHS.splitlines(True)),
        encoding="utf-8",
    )
    code, stderr, _took = _run("log", "heel-drop", "--reps", "10")
    assert code == 2, stderr
    (heelcoach_home / "exercises" / "laughs.yaml").unlink()
    os.mkfifo(heelcoach_home / "exercises" / "pipe.yaml")
    code, stderr, _took = _run("log", "heel-drop", "--reps", "10")
    assert code == 2, stderr
