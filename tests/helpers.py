"""Shared builders for tests: a valid answers mapping, a profile, and a CLI runner."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from heelcoach.content import load_library
from heelcoach.screening import Profile, parse_answers

BASE_ANSWERS: dict[str, Any] = {
    "age": 58,
    "goals": ["bone"],
    "heart_condition": False,
    "chest_pain": False,
    "dizziness_or_fainting": False,
    "supervised_only": False,
    "cleared_by_professional": False,
    "pregnant": False,
    "bone_density": "osteopenia",
    "t_score": -1.8,
    "fracture_within_months": None,
    "vertebral_fracture": False,
    "joint_pain": [],
    "acute_injury": False,
    "foot_condition": False,
    "achilles_pain": False,
    "tiptoe_hold_ok": True,
    "injury_history": [],
    "balance_problems": False,
    "has_step": True,
    "has_support": True,
    "days_per_week": 4,
}


def answers(**overrides: Any) -> dict[str, Any]:
    return {**BASE_ANSWERS, **overrides}


def profile(created: date = date(2026, 1, 5), **overrides: Any) -> Profile:
    return parse_answers(answers(**overrides), load_library(), "test", created)


def write_answers(folder: Path, **overrides: Any) -> Path:
    target = folder / "answers.yaml"
    target.write_text(yaml.safe_dump(answers(**overrides)), encoding="utf-8")
    return target


def run_cli(*args: str, stdin: str | None = None,
            env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m heelcoach ARGS` as a user would, with piped (non-terminal) output."""
    return subprocess.run([sys.executable, "-m", "heelcoach", *args], input=stdin,
                          capture_output=True, text=True, timeout=60,
                          env={**os.environ, **(env or {})})


def assert_one_line_error(result: subprocess.CompletedProcess[str], code: int) -> None:
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("heelcoach: "), result.stderr
    assert "Traceback" not in result.stderr
