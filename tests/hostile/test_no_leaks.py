"""Nothing leaks: error messages never quote a file's content (`import /etc/shadow`), and
with an unreadable data folder `export` refuses instead of writing an empty file."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from conftest import make_set, set_row
from helpers import as_nobody, run_cli

from heelcoach.storage.store import Store

SECRET = "s3cr3tHashValue"


def test_errors_never_quote_a_file_and_an_unreadable_folder_is_refused(tmp_path: Path) -> None:
    shadow = f"root:$6${SECRET}$Zx9:19700:0:99999:7:::\ndaemon:*:19700:0:99999:7:::\n"
    for name in ("shadow", "shadow.csv", "shadow.jsonl", "shadow.json"):
        source = tmp_path / name
        source.write_text(shadow, encoding="utf-8")
        result = run_cli("import", str(source))
        assert result.returncode == 2, result.stderr
        assert SECRET not in result.stderr and "root:" not in result.stderr, result.stderr
    # A set line naming an exercise heelcoach does not know: the id is the file's text too.
    row = tmp_path / "row.jsonl"
    row.write_text(json.dumps(set_row(exercise=SECRET)) + "\n", encoding="utf-8")
    result = run_cli("import", str(row))
    assert result.returncode == 2 and SECRET not in result.stderr, result.stderr
    answers = tmp_path / "answers.yaml"
    answers.write_text(f"age: {SECRET}\n", encoding="utf-8")
    result = run_cli("screen", "--answers", str(answers))
    assert result.returncode == 2 and SECRET not in result.stderr, result.stderr

    outcome = _unreadable_folder_as_nobody()
    if "skip" in outcome:
        pytest.skip(str(outcome["skip"]))
    assert "crash" not in outcome, outcome
    for command, (code, stderr, created) in outcome.items():
        assert code == 1, (command, code, stderr)
        assert not created, command


def _unreadable_folder_scenario(base: Path) -> dict[str, object]:
    home = base / "home"
    os.environ["HEELCOACH_HOME"] = str(home)
    os.environ["HEELCOACH_CACHE_DIR"] = str(base / "cache")
    with Store.open(home / "history.db") as store:
        store.add_sets([make_set(n) for n in range(1, 4)])
    home.chmod(0)
    result: dict[str, object] = {}
    try:
        for command in (["export", "-o"], ["export", "--format", "csv", "-o"]):
            target = base / "out.jsonl"
            done = run_cli(*command, str(target))
            result[" ".join(command)] = (done.returncode, done.stderr, target.exists())
            target.unlink(missing_ok=True)
        done = run_cli("history")
        result["history"] = (done.returncode, done.stderr, False)
    finally:
        home.chmod(0o700)
    return result


def _unreadable_folder_as_nobody() -> dict[str, object]:
    base = Path(tempfile.mkdtemp(prefix="heelcoach-unreadable-"))
    try:
        return as_nobody(_unreadable_folder_scenario, base)
    finally:
        shutil.rmtree(base, ignore_errors=True)
