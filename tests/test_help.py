"""Help screens: every command's `--help` works, lists every option and fits the terminal,
narrow or wide."""

from __future__ import annotations

import pytest
from helpers import run_cli

from heelcoach.frontends.cli.app import COMMANDS, app


def help_of(*args: str, columns: int, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COLUMNS", str(columns))
    result = run_cli(*args, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    return result.stdout


def options_of(command: str) -> list[str]:
    """The long spelling of every visible option `command` takes, read from the app."""
    import typer.main

    group = typer.main.get_command(app)
    found = group.commands[command]  # type: ignore[attr-defined]
    return [
        max(param.opts, key=len)
        for param in found.params
        if not getattr(param, "hidden", False) and param.param_type_name == "option"
    ]


@pytest.mark.parametrize("columns", [40, 160])
@pytest.mark.parametrize("command", sorted({name for name, _, _ in COMMANDS}))
def test_every_command_help_lists_its_options_and_fits(
    command: str, columns: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = help_of(command, columns=columns, monkeypatch=monkeypatch)
    assert " ".join(text.split()).startswith(f"Usage: heelcoach {command} [OPTIONS]")
    for option in [*options_of(command), "--help"]:
        assert option in text, f"{command} --help does not list {option}"
    assert max(len(line) for line in text.splitlines()) <= columns
    assert "<parse>" not in text  # the name of a parsing function is no placeholder


@pytest.mark.parametrize("columns", [40, 160])
def test_root_help_lists_every_command(columns: int, monkeypatch: pytest.MonkeyPatch) -> None:
    text = help_of(columns=columns, monkeypatch=monkeypatch)
    assert " ".join(text.split()).startswith("Usage: heelcoach [OPTIONS] COMMAND [ARGS]...")
    listed = {line.split()[0] for line in text.partition("Commands:")[2].splitlines() if line}
    assert listed == {name for name, _, _ in COMMANDS}
    assert "--version" in text
    assert max(len(line) for line in text.splitlines()) <= columns


def test_command_help_shows_placeholders_defaults_and_the_example(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = " ".join(help_of("log", columns=160, monkeypatch=monkeypatch).split())
    assert "Usage: heelcoach log [OPTIONS] {EXERCISE}" in text
    assert "Example: heelcoach log heel-drop --sets 2 --reps 10" in text
    assert "--sets N" in text and "[default: 1]" in text
    assert "[required]" in text  # the exercise argument


def test_help_text_is_not_read_as_markup(monkeypatch: pytest.MonkeyPatch) -> None:
    text = help_of("log", columns=160, monkeypatch=monkeypatch)
    assert "[default: 1]" in text  # shown literally
    assert "\x1b[" not in text
