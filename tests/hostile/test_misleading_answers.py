"""A pain score is written with the digits 0-9 only, wherever it is read (`+5`, ` 5` and
`-0` are refused, not read as 5 or 0), and a profile line of an unknown format in an
import names the file and the line."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import snapshot
from helpers import assert_one_line_error, run_cli, write_answers


def test_a_pain_score_is_digits_only_everywhere(tmp_path: Path, heelcoach_home: Path) -> None:
    assert run_cli("screen", "--answers", str(write_answers(tmp_path))).returncode == 0
    before = snapshot(heelcoach_home)
    for given in ("+5", " 5", "5 ", "-0", "٥", "0x5"):
        for command in (
            ["log", "heel-drop", "--reps", "10", "--pain", given],
            ["checkin", "--pain", given, "--stiffness", "1"],
            ["checkin", "--pain", "1", "--stiffness", given],
            ["test", "tiptoe", "--pain", given],
        ):
            result = run_cli(*command)
            assert_one_line_error(result, 2)
            assert "digits 0-9" in result.stderr, result.stderr
    assert snapshot(heelcoach_home) == before
    assert run_cli("log", "heel-drop", "--reps", "10", "--pain", "5").returncode == 0


def test_a_profile_line_of_a_newer_format_names_file_and_line(
    tmp_path: Path, heelcoach_home: Path
) -> None:
    assert run_cli("screen", "--answers", str(write_answers(tmp_path))).returncode == 0
    assert run_cli("log", "heel-drop", "--reps", "10").returncode == 0
    exported = run_cli("export").stdout.splitlines()
    line = next(n for n, text in enumerate(exported, 1) if '"type": "profile"' in text)
    row = json.loads(exported[line - 1])
    exported[line - 1] = json.dumps({**row, "format": 99})
    source = tmp_path / "newer-profile.jsonl"
    source.write_text("\n".join(exported) + "\n", encoding="utf-8")
    elsewhere = tmp_path / "elsewhere"
    result = run_cli("import", str(source), env={"HEELCOACH_HOME": str(elsewhere)})
    assert_one_line_error(result, 2)
    assert f"{source}:{line}:" in result.stderr and "newer heelcoach" in result.stderr
    assert not (elsewhere / "profile.json").exists()
