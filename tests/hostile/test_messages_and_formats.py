"""YAML with control characters gives a one-line error; profile.json carries a format
version and refuses unknown keys; a garbage `-journal` gets an accurate message."""

from __future__ import annotations

import json
import os
from pathlib import Path

import yaml
from conftest import sha256, user_exercise, write_user_exercise
from helpers import assert_one_line_error, run_cli, write_answers


def test_clear_one_line_errors_and_a_versioned_profile(
    tmp_path: Path, heelcoach_home: Path
) -> None:
    text = yaml.safe_dump({"exercises": [user_exercise()]}, sort_keys=False)
    write_user_exercise(heelcoach_home, text.replace("My drop", "My\x07drop\x1b"))
    result = run_cli("exercises")
    assert_one_line_error(result, 2)
    assert "mine.yaml:" in result.stderr
    (heelcoach_home / "exercises" / "mine.yaml").unlink()
    answers = tmp_path / "control.yaml"
    answers.write_text(write_answers(tmp_path).read_text() + "\x0c\x00\x1b\n", encoding="utf-8")
    assert_one_line_error(run_cli("screen", "--answers", str(answers)), 2)

    assert run_cli("screen", "--answers", str(write_answers(tmp_path))).returncode == 0
    saved = json.loads((heelcoach_home / "profile.json").read_text())
    assert isinstance(saved.get("format"), int) and saved["format"] >= 2
    (heelcoach_home / "profile.json").write_text(json.dumps({**saved, "extra": True}))
    result = run_cli("plan", "--json")
    assert_one_line_error(result, 2)
    assert "extra" in result.stderr
    older = {key: value for key, value in saved.items() if key != "format"}
    (heelcoach_home / "profile.json").write_text(json.dumps(older))
    result = run_cli("plan", "--json")  # format 1 is never reinterpreted: screen again
    assert_one_line_error(result, 1)
    assert "earlier heelcoach" in result.stderr and "heelcoach screen" in result.stderr
    newer = {**saved, "format": saved["format"] + 1}
    (heelcoach_home / "profile.json").write_text(json.dumps(newer))
    result = run_cli("plan", "--json")
    assert_one_line_error(result, 1)
    assert "newer" in result.stderr

    (heelcoach_home / "profile.json").unlink()
    assert run_cli("log", "heel-drop", "--reps", "10").returncode == 0
    journal = heelcoach_home / "history.db-journal"
    journal.write_bytes(os.urandom(4096))
    before = sha256(heelcoach_home / "history.db")
    for command in (["log", "heel-drop", "--reps", "10"], ["history"]):
        result = run_cli(*command)
        assert_one_line_error(result, 1)
        assert "chmod" not in result.stderr and "writable" not in result.stderr
        assert "history.db-journal" in result.stderr
        assert sha256(heelcoach_home / "history.db") == before
