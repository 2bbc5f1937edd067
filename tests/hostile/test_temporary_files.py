"""Temporary files are created exclusively and never through a link (O_EXCL, O_NOFOLLOW), so
a link planted in a shared folder can neither receive nor redirect the health data."""

from __future__ import annotations

import json
import os
from pathlib import Path

from conftest import make_set
from helpers import open_store, run_cli, write_answers


def test_a_planted_link_never_receives_the_data(tmp_path: Path, heelcoach_home: Path) -> None:
    with open_store() as store:
        store.add_sets([make_set(n) for n in range(1, 4)])
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)
    victim = tmp_path / "victim.txt"
    victim.write_text("the attacker reads or clobbers this\n")
    target = shared / "backup.jsonl"
    (shared / f".backup.jsonl.{os.getpid()}.tmp").symlink_to(victim)
    result = run_cli("export", "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert victim.read_text() == "the attacker reads or clobbers this\n"
    assert not target.is_symlink()
    lines = [json.loads(line) for line in target.read_text().splitlines()]
    assert sum(1 for line in lines if line.get("type", "set") == "set") == 3
    assert (os.stat(target).st_mode & 0o777) == 0o600

    # The profile is written the same way.
    (heelcoach_home / f".profile.json.{os.getpid()}.tmp").symlink_to(victim)
    assert run_cli("screen", "--answers", str(write_answers(tmp_path))).returncode == 0
    assert victim.read_text() == "the attacker reads or clobbers this\n"
    assert not (heelcoach_home / "profile.json").is_symlink()
