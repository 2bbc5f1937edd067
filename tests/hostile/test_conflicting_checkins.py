"""Two different check-ins for one morning (one stored and one in a backup, or two in one
backup) are never merged by silently dropping one: the worse is kept, and the import says
which day."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from helpers import open_store, run_cli

DAY = date.today() - timedelta(days=3)


def _backup(path: Path, *scores: tuple[int, int]) -> Path:
    lines = [{"type": "header", "app": "heelcoach", "format": 2}]
    lines += [
        {"type": "checkin", "day": DAY.isoformat(), "pain": pain, "stiffness": stiffness,
         "recorded_at": f"{DAY.isoformat()}T07:0{n}:00.000000+00:00"}
        for n, (pain, stiffness) in enumerate(scores)
    ]  # fmt: skip
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def _stored() -> tuple[int, int]:
    with open_store(create=False) as store:
        checkin = store.checkin_for(DAY)
    assert checkin is not None
    return checkin.pain, checkin.stiffness


def test_a_worse_morning_in_a_backup_replaces_the_milder_one_stored(tmp_path: Path) -> None:
    assert (
        run_cli("checkin", "--pain", "1", "--stiffness", "1", "--date", DAY.isoformat()).returncode
        == 0
    )
    result = run_cli("import", str(_backup(tmp_path / "b.jsonl", (9, 2))))
    assert result.returncode == 0, result.stderr
    assert DAY.isoformat() in result.stdout and "worse" in result.stdout
    assert _stored() == (9, 2)


def test_a_milder_morning_in_a_backup_never_hides_the_worse_one_stored(tmp_path: Path) -> None:
    assert (
        run_cli("checkin", "--pain", "9", "--stiffness", "2", "--date", DAY.isoformat()).returncode
        == 0
    )
    result = run_cli("import", str(_backup(tmp_path / "b.jsonl", (1, 1))))
    assert result.returncode == 0, result.stderr
    assert DAY.isoformat() in result.stdout and "worse" in result.stdout
    assert _stored() == (9, 2)


def test_two_mornings_for_one_day_in_one_backup_keep_the_worse(tmp_path: Path) -> None:
    result = run_cli("import", str(_backup(tmp_path / "b.jsonl", (2, 1), (9, 1))))
    assert result.returncode == 0, result.stderr
    assert DAY.isoformat() in result.stdout and "worse" in result.stdout
    assert _stored() == (9, 1)


def test_the_same_morning_again_is_only_already_present(tmp_path: Path) -> None:
    assert (
        run_cli("checkin", "--pain", "3", "--stiffness", "2", "--date", DAY.isoformat()).returncode
        == 0
    )
    result = run_cli("import", str(_backup(tmp_path / "b.jsonl", (3, 2))))
    assert result.returncode == 0, result.stderr
    assert "worse" not in result.stdout and "0 new check-ins, 1 already present" in result.stdout
