"""A backup restores on any machine: what day a record counts for is what its writer
recorded, never compared with the clock or time zone of the machine that imports it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from helpers import run_cli, run_process


def _restore(backup: Path, home: Path, timezone: str) -> list[dict[str, object]]:
    """Import `backup` into a new data folder under `timezone`; the sets it then holds."""
    env = {"HEELCOACH_HOME": str(home), "TZ": timezone}
    result = run_process("import", str(backup), env=env)
    assert result.returncode == 0, result.stderr
    shown = run_process("history", "--json", "--limit", "0", env=env)
    return list(json.loads(shown.stdout))


def test_a_set_logged_a_day_ahead_restores_where_the_day_has_not_begun(tmp_path: Path) -> None:
    # Kiritimati is UTC+14 and Honolulu UTC-10: the same moment is a day later there.
    logged = run_process("log", "heel-drop", "--reps", "10", env={"TZ": "Pacific/Kiritimati"})
    assert logged.returncode == 0, logged.stderr
    backup = tmp_path / "backup.jsonl"
    assert run_process("export", "-o", str(backup)).returncode == 0
    restored = _restore(backup, tmp_path / "honolulu", "Pacific/Honolulu")
    written = json.loads(run_process("history", "--json").stdout)
    assert [row["date"] for row in restored] == [written[0]["date"]]


def test_a_set_logged_under_a_clock_years_ahead_does_not_block_a_restore(tmp_path: Path) -> None:
    assert run_cli("log", "heel-drop", "--reps", "10").returncode == 0
    wrong = run_cli("log", "heel-drop", "--reps", "12", today=date(2100, 1, 1))
    assert wrong.returncode == 0, wrong.stderr
    backup = tmp_path / "backup.jsonl"
    assert run_cli("export", "-o", str(backup)).returncode == 0
    restored = _restore(backup, tmp_path / "restored", "UTC")
    assert sorted(str(row["date"])[:4] for row in restored)[-1] == "2100"
    assert len(restored) == 2
