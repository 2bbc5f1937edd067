"""The foundation commands as a user runs them: screen, plan, exercises, show, --version."""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pexpect
import pytest
from helpers import (
    answer_in_terminal,
    assert_one_line_error,
    content_library,
    run_cli,
    run_process,
    write_answers,
)

from heelcoach import __version__

ANSI = "\x1b["


def screened(tmp_path: Path, *extra: str, **overrides: object) -> None:
    result = run_cli("screen", "--answers", str(write_answers(tmp_path, **overrides)), *extra)
    assert result.returncode == 0, result.stderr


def test_version_and_module_entry_point() -> None:
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"heelcoach {__version__}"


def test_screen_from_answers_file_saves_a_private_profile(
    tmp_path: Path, heelcoach_home: Path
) -> None:
    result = run_cli("screen", "--answers", str(write_answers(tmp_path)))
    assert result.returncode == 0, result.stderr
    assert "Profile saved" in result.stdout
    saved = heelcoach_home / "profile.json"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600
    assert stat.S_IMODE(heelcoach_home.stat().st_mode) == 0o700
    shown = run_cli("screen", "--show")
    assert shown.returncode == 0 and "osteopenia" in shown.stdout


def test_screen_start_date_sets_program_week_one(tmp_path: Path) -> None:
    screened(tmp_path, "--start", "2026-01-05")
    data = json.loads(run_cli("plan", "--week", "2", "--json").stdout)
    assert data["days"][0]["date"] == "2026-01-12"


@pytest.mark.parametrize(
    "change,expected",
    [
        ({"colour": "blue"}, "colour: unknown answer key"),
        ({"age": "sixty"}, "age: expected a whole number"),
        ({"age": 12}, "age: expected a whole number from 16 to 110"),
        ({"goals": []}, "goals: choose at least one goal"),
        ({"goals": ["flying"]}, "goals: expected a list of"),
        ({"bone_density": "soft"}, "bone_density: expected one of"),
        ({"pregnant": "no"}, "pregnant: expected true or false"),
        ({"days_per_week": 7}, "days_per_week"),
        ({"t_score": "low"}, "t_score"),
    ],
)
def test_bad_answers_exit_2_and_write_nothing(
    tmp_path: Path, heelcoach_home: Path, change: dict, expected: str
) -> None:
    result = run_cli("screen", "--answers", str(write_answers(tmp_path, **change)))
    assert_one_line_error(result, 2)
    assert expected in result.stderr
    assert not (heelcoach_home / "profile.json").exists()


def test_missing_answer_key(tmp_path: Path, heelcoach_home: Path) -> None:
    target = write_answers(tmp_path)
    target.write_text(
        "\n".join(
            line for line in target.read_text().splitlines() if not line.startswith("has_step")
        )
    )
    result = run_cli("screen", "--answers", str(target))
    assert_one_line_error(result, 2)
    assert "has_step: missing answer" in result.stderr


def test_answers_file_with_python_tag_is_rejected(tmp_path: Path, heelcoach_home: Path) -> None:
    marker = tmp_path / "owned"
    target = tmp_path / "evil.yaml"
    target.write_text(f"age: !!python/object/apply:os.system ['touch {marker}']\n")
    result = run_cli("screen", "--answers", str(target))
    assert_one_line_error(result, 2)
    assert not marker.exists() and not (heelcoach_home / "profile.json").exists()


def test_missing_answers_file(tmp_path: Path) -> None:
    assert_one_line_error(run_cli("screen", "--answers", str(tmp_path / "nope.yaml")), 2)


def test_plan_without_profile_when_not_interactive_exits_1(heelcoach_home: Path) -> None:
    result = run_cli("plan")
    assert_one_line_error(result, 1)
    assert "heelcoach screen" in result.stderr
    assert list(heelcoach_home.iterdir()) == []


def test_plan_prints_days_exclusions_and_warnings(tmp_path: Path) -> None:
    screened(tmp_path, balance_problems=True, goals=["bone", "achilles"])
    result = run_cli("plan")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Week 1 - beginner" in out and "Heel drop" in out and "2 x 10 reps" in out
    assert "hold a wall or kitchen counter throughout" in out
    assert "Left out, and why" in out and "Heel jump" in out
    assert "Before you start" in out
    assert ANSI not in out  # piped output is plain


def test_plan_week_json_parses(tmp_path: Path) -> None:
    screened(tmp_path)
    data = json.loads(run_cli("plan", "--week", "7", "--json").stdout)
    assert data["week"] == 7 and data["level"] == "advanced"


def test_referral_refuses_with_reason(tmp_path: Path) -> None:
    screened_result = run_cli(
        "screen",
        "--answers",
        str(write_answers(tmp_path, chest_pain=True, cleared_for_exercise=False)),
    )
    assert screened_result.returncode == 1
    assert "chest pain" in screened_result.stdout
    result = run_cli("plan", "--json")
    assert result.returncode == 1
    assert "chest pain" in json.loads(result.stdout)["referral"]


@pytest.mark.parametrize(
    "args",
    [["plan", "--week", "0"], ["plan", "--nope"], ["plan", "--format", "pdf"], ["frobnicate"]],
)
def test_usage_errors_are_one_line(tmp_path: Path, args: list[str]) -> None:
    screened(tmp_path)
    assert_one_line_error(run_cli(*args), 2)


def test_exercises_lists_the_library() -> None:
    result = run_cli("exercises")
    assert result.returncode == 0
    for exercise_id in content_library().exercises:
        assert exercise_id in result.stdout


def test_show_prints_technique_and_source() -> None:
    result = run_cli("show", "heel-jump")
    assert result.returncode == 0
    for heading in (
        "Setup",
        "Cues",
        "Mistakes to avoid",
        "Who should not do it",
        "Source",
        '000: "Heel Jumps: Understanding Benefits, Technique, and Integration"',
    ):
        assert heading in result.stdout


def test_show_unknown_id_suggests_close_matches() -> None:
    result = run_cli("show", "heel-jmup")
    assert_one_line_error(result, 2)
    assert "did you mean heel-jump" in result.stderr


def test_no_color_in_a_terminal_gives_plain_text(tmp_path: Path) -> None:
    screened(tmp_path)
    child = pexpect.spawn(
        sys.executable,
        ["-m", "heelcoach", "plan"],
        encoding="utf-8",
        env={**os.environ, "NO_COLOR": "1", "TERM": "xterm"},
        timeout=30,
    )
    child.expect(pexpect.EOF)
    assert "Heel drop" in child.before
    assert "\x1b[3" not in child.before and "\x1b[1m" not in child.before  # no colour, no bold


# --------------------------------------------------------------------------- interactive


def test_interactive_screening_in_a_terminal(heelcoach_home: Path) -> None:
    child = pexpect.spawn(
        sys.executable,
        ["-m", "heelcoach", "screen"],
        encoding="utf-8",
        env={**os.environ, "TERM": "xterm"},
        timeout=30,
        dimensions=(40, 100),
    )
    answer_in_terminal(child)
    child.expect("Profile saved")
    child.expect("Heel jump")  # knee pain rules out heel jumps
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    saved = json.loads((heelcoach_home / "profile.json").read_text())
    assert saved["answers"]["t_score"] == -2.8 and saved["answers"]["joint_pain"] == ["knee"]
    assert saved["answers"]["tiptoe_hold_ok"] is None  # not asked without Achilles pain


def test_plan_without_profile_screens_first_when_interactive(heelcoach_home: Path) -> None:
    child = pexpect.spawn(
        sys.executable,
        ["-m", "heelcoach", "plan"],
        encoding="utf-8",
        env={**os.environ, "TERM": "xterm"},
        timeout=30,
        dimensions=(40, 100),
    )
    answer_in_terminal(child)
    child.expect("Week 1")
    child.expect(pexpect.EOF)
    assert (heelcoach_home / "profile.json").exists()


def test_plan_reminds_about_a_missing_morning_checkin(tmp_path: Path) -> None:
    from datetime import date, timedelta

    yesterday = (date.today() - timedelta(days=1)).isoformat()
    screened(tmp_path, "--start", yesterday)
    assert run_cli("log", "heel-drop", "--reps", "10", "--date", yesterday).returncode == 0
    text = run_cli("plan")
    assert "heelcoach checkin" in text.stdout and "Reminder" in text.stdout
    as_json = run_cli("plan", "--json")
    json.loads(as_json.stdout)  # the reminder never breaks the JSON
    assert "Reminder" in as_json.stderr
    assert run_cli("checkin", "--pain", "1", "--stiffness", "1").returncode == 0
    assert "Reminder" not in run_cli("plan").stdout


@pytest.mark.parametrize(
    "words,expected",
    [
        ("heelcoach pl", {"plan"}),
        ("heelcoach show heel-d", {"heel-drop"}),
        (
            "heelcoach log ecc",
            {"eccentric-heel-drop", "eccentric-heel-drop-floor", "eccentric-heel-drop-bent-knee"},
        ),
    ],
)
def test_shell_completion_offers_commands_and_exercise_ids(words: str, expected: set[str]) -> None:
    result = run_process(
        env={
            "COMP_WORDS": words,
            "COMP_CWORD": str(len(words.split()) - 1),
            "_HEELCOACH_COMPLETE": "complete_bash",
        }
    )
    assert set(result.stdout.split()) == expected, result.stderr


def test_answers_file_that_is_not_text(tmp_path: Path, heelcoach_home: Path) -> None:
    target = tmp_path / "answers.yaml"
    target.write_bytes(b"\xff\xfe\x00binary")
    result = run_cli("screen", "--answers", str(target))
    assert_one_line_error(result, 2)
    assert "not a UTF-8 text file" in result.stderr


def test_every_command_and_option_has_help_with_an_example() -> None:
    from typer.main import get_command

    from heelcoach.frontends.cli.app import app

    root = get_command(app)
    missing = [
        name for name, command in root.commands.items() if "Example:" not in (command.help or "")
    ]
    missing += [
        f"{name} {param.name}"
        for name, command in root.commands.items()
        for param in command.params
        if getattr(param, "help", None) is not None and "Example:" not in param.help
    ]
    assert missing == []
