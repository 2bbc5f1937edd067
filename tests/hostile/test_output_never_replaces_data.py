"""An output file never lands on the data it comes from: `export -o` (and every other
output option) refuses the profile, the history and the files beside them."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import make_set, snapshot
from helpers import assert_one_line_error, open_store, run_cli, write_answers


def test_export_never_lands_on_the_data_it_exports(tmp_path: Path, heelcoach_home: Path) -> None:
    assert run_cli("screen", "--answers", str(write_answers(tmp_path))).returncode == 0
    with open_store() as store:
        store.add_sets([make_set(n) for n in range(1, 6)])
    before = snapshot(heelcoach_home)
    linked_folder = tmp_path / "linked-home"
    linked_folder.symlink_to(heelcoach_home)
    linked_file = tmp_path / "innocent.jsonl"
    linked_file.symlink_to(heelcoach_home / "history.db")
    targets = [
        heelcoach_home / "profile.json",
        heelcoach_home / "history.db",
        heelcoach_home / "history.db-wal",
        heelcoach_home / "history.db-shm",
        heelcoach_home / "history.db-journal",
        heelcoach_home / "sub" / ".." / "history.db",
        linked_folder / "history.db",
        linked_folder / "profile.json",
        linked_file,
    ]
    for target in targets:
        for fmt in ("csv", "jsonl"):
            result = run_cli("export", "--format", fmt, "-o", str(target))
            assert_one_line_error(result, 2)
            assert snapshot(heelcoach_home) == before, target
    # No other name in the data folder either: it holds heelcoach's own files only.
    assert_one_line_error(run_cli("export", "-o", str(heelcoach_home / "backup.jsonl")), 2)
    assert snapshot(heelcoach_home) == before
    assert run_cli("export", "-o", str(tmp_path / "backup.jsonl")).returncode == 0
    history = json.loads(run_cli("history", "--json", "--limit", "0").stdout)
    assert len(history) == 5
    assert run_cli("plan", "--json").returncode == 0
