"""Text from a note, an import, a person's exercise names and cues, or an error message never
reaches the terminal raw: escape sequences show as `?`, and Rich markup (a hyperlink,
`[/bold] x`) is shown as typed instead of being interpreted or crashing the command.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from conftest import set_row, user_exercise, write_user_exercise
from helpers import run_cli

ESCAPES = "\x1b[2J\x1b]0;PWNED\x1b\\\x9b31m\x07\x08"
MARKUP = "[link=https://evil.example]tap here[/link] [/bold] x [red]"


def _raw(text: str) -> list[str]:
    """The terminal controls found in `text` (newlines excepted)."""
    return [c for c in text if (ord(c) < 32 and c not in "\n") or 0x7F <= ord(c) <= 0x9F]


def _assert_inert(result: object, *literal: str) -> None:
    stdout, stderr = result.stdout, result.stderr  # type: ignore[attr-defined]
    assert result.returncode in (0, 1, 2), (result.returncode, stderr)  # type: ignore[attr-defined]
    assert not _raw(stdout) and not _raw(stderr), (stdout, stderr)
    assert "Traceback" not in stderr and "internal error" not in stderr
    for text in literal:
        assert text in stdout, stdout


def test_text_from_a_person_or_a_file_never_reaches_the_terminal_raw(
    tmp_path: Path, heelcoach_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # wide enough that no table cell wraps
    note = f"sore {ESCAPES} {MARKUP}"
    assert run_cli("log", "heel-drop", "--reps", "10", "--note", note).returncode == 0
    for env in ({}, {"NO_COLOR": ""}, {"TERM": "xterm-256color"}):
        result = run_cli("history", env=env)
        assert result.returncode == 0, result.stderr
        _assert_inert(result, "[link=https://evil.example]", "[/bold]")

    imported = tmp_path / "notes.jsonl"
    imported.write_text(json.dumps(set_row(note=note)) + "\n", encoding="utf-8")
    assert run_cli("import", str(imported)).returncode == 0
    _assert_inert(run_cli("history"), "[red]")

    # A person's own exercise: markup in the name and the cues is shown as typed.
    mine = user_exercise(
        name="[bold red]Mine[/bold red] [/bold]",
        cues=[f"{MARKUP} first", "second"],
        setup=["[link=file:///etc/passwd]x[/link]"],
    )
    write_user_exercise(heelcoach_home, yaml.safe_dump({"exercises": [mine]}))
    _assert_inert(run_cli("exercises"), "[bold red]Mine[/bold red]")
    _assert_inert(run_cli("show", "my-drop"), "[link=https://evil.example]", "[/bold]")
    _assert_inert(run_cli("log", "my-drop", "--reps", "5"))
    _assert_inert(run_cli("stats"))

    # Escape sequences in a person's exercise (YAML escapes) never reach the terminal.
    escaped = yaml.safe_dump({"exercises": [user_exercise(name=f"Mine {ESCAPES}")]})
    write_user_exercise(heelcoach_home, escaped)
    for command in (["exercises"], ["show", "my-drop"], ["history"], ["stats"]):
        _assert_inert(run_cli(*command))
    (heelcoach_home / "exercises" / "mine.yaml").unlink()

    # Error lines that name what a file held are inert too.
    hostile = tmp_path / "hostile.jsonl"
    hostile.write_text(
        json.dumps({**set_row(), f"field{ESCAPES}": 1})
        + "\n"
        + json.dumps(set_row(exercise=f"heel{ESCAPES}[/bold]"))
        + "\n",
        encoding="utf-8",
    )
    result = run_cli("import", str(hostile))
    assert result.returncode == 2
    _assert_inert(result)
    result = run_cli("show", f"heel{ESCAPES}")
    assert result.returncode == 2
    _assert_inert(result)
