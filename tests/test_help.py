"""Help screens: every command listed with its summary, every option with its default,
readable at any width, in a terminal as in a pipe, and cheap to start."""

from __future__ import annotations

import os
import sys

import pexpect
import pyte
import pytest
from helpers import run_cli
from test_startup import has, imported

from heelcoach.frontends.cli.app import COMMANDS


def help_of(*args: str, columns: int, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COLUMNS", str(columns))
    result = run_cli(*args, "--help")
    assert result.returncode == 0, result.stderr
    return result.stdout


def lines_with(text: str, word: str) -> list[str]:
    return [line for line in text.splitlines() if word in line]


def rows(text: str) -> list[str]:
    """The lines inside the panels, without their borders."""
    return [line.strip("│ ") for line in text.splitlines() if line.startswith("│")]


def test_root_help_lists_every_command_with_its_first_paragraph(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = help_of(columns=120, monkeypatch=monkeypatch)
    assert "Usage: heelcoach [OPTIONS] COMMAND [ARGS]..." in text
    for name, _, _ in COMMANDS:
        assert any(row.split()[:1] == [name] for row in rows(text)), name
    assert "log        Record sets done away from the terminal." in rows(text)
    assert "Example: heelcoach log heel-drop --sets 2" not in text  # only the summary
    assert "╭─ Commands" in text and "╭─ Options" in text


def test_command_help_shows_placeholders_defaults_and_required(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = help_of("log", columns=120, monkeypatch=monkeypatch)
    assert "Usage: heelcoach log [OPTIONS] {EXERCISE}" in text
    assert "Example: heelcoach log heel-drop --sets 2 --reps 10" in text  # the description
    inside = rows(text)
    sets = next(at for at, row in enumerate(inside) if row.startswith("--sets"))
    assert inside[sets].split()[:2] == ["--sets", "N"]
    assert "[default: 1]" in inside[sets + 1 : sets + 3]  # shown literally, not as markup
    assert "[required]" in text  # the exercise argument
    assert lines_with(text, "--yes, -y")  # long spelling first


@pytest.mark.parametrize("columns", [40, 60, 100, 160])
@pytest.mark.parametrize("command", ["", "log", "export", "test"])
def test_help_fits_the_width_and_keeps_words_whole(
    command: str, columns: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = help_of(*filter(None, [command]), columns=columns, monkeypatch=monkeypatch)
    assert max(len(line) for line in text.splitlines()) <= columns
    assert "…" not in text  # nothing cut off
    assert "Show this message and exit." in " ".join(" ".join(text.split("│")).split())


def test_narrow_help_puts_the_text_under_the_option(monkeypatch: pytest.MonkeyPatch) -> None:
    text = help_of("log", columns=50, monkeypatch=monkeypatch).splitlines()
    at = text.index(lines_with("\n".join(text), "--sets N")[0])
    assert text[at].split("│")[1].strip() == "--sets N"
    assert text[at + 1].split("│")[1].startswith("   How many sets")


def test_help_in_a_terminal_is_drawn_and_coloured_without_markdown() -> None:
    screen = pyte.Screen(90, 40)
    stream = pyte.ByteStream(screen)
    child = pexpect.spawn(
        sys.executable,
        ["-m", "heelcoach", "checkin", "--help"],
        env={**os.environ, "TERM": "xterm", "COLUMNS": "90", "LINES": "40"},
        dimensions=(40, 90),
        timeout=30,
    )
    child.expect(pexpect.EOF)
    raw = child.before
    stream.feed(raw)
    shown = "\n".join(screen.display)
    assert "Usage: heelcoach checkin [OPTIONS]" in shown and "╭─ Options" in shown
    assert b"\x1b[" in raw  # coloured in a terminal


def test_help_does_not_import_markdown_or_pygments() -> None:
    modules = imported("--help")
    for heavy in ("rich.markdown", "pygments", "markdown_it", "rich.traceback", "yaml"):
        assert not has(modules, heavy), f"--help imports {heavy}"


@pytest.mark.parametrize("command", sorted({name for name, _, _ in COMMANDS}))
def test_every_value_has_a_placeholder_a_person_can_read(
    command: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = help_of(command, columns=120, monkeypatch=monkeypatch)
    assert "<parse>" not in text  # the name of a parsing function is no placeholder
