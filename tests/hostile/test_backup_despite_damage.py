"""A backup is what a person reaches for when something is damaged, so damage elsewhere
never stops it: with a damaged profile or prescription, or a stray file among their own
exercises, `export` still writes every set, check-in and session, names each part it left
out and why, and exits 1 so a script never takes it for a whole backup."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import make_set
from helpers import open_store, run_cli, write_answers

EXAMPLE = Path(__file__).parents[2] / "docs" / "prescription-example.yaml"


def _sets_in(text: str) -> int:
    return sum(1 for row in map(json.loads, text.splitlines()) if row.get("type") == "set")


def test_export_writes_the_sets_whatever_else_is_damaged(
    tmp_path: Path, heelcoach_home: Path
) -> None:
    assert run_cli("screen", "--answers", str(write_answers(tmp_path))).returncode == 0
    assert run_cli("prescribe", str(EXAMPLE)).returncode in (0, 1)
    with open_store() as store:
        store.add_sets([make_set(n) for n in range(1, 6)])
    stray = heelcoach_home / "exercises" / "report.yaml"
    stray.parent.mkdir()
    stray.write_text("<html><body>a report</body></html>\n", encoding="utf-8")
    (heelcoach_home / "profile.json").write_text('{"format": 2, "created"', encoding="utf-8")
    (heelcoach_home / "prescription.json").write_text("{damaged", encoding="utf-8")

    result = run_cli("export")
    assert result.returncode == 1, result.stderr
    assert _sets_in(result.stdout) == 5
    said = result.stderr.strip().splitlines()
    assert len(said) == 2 and all(line.startswith("heelcoach: left out") for line in said)
    assert "profile.json" in said[0] and "prescription.json" in said[1]

    backup = tmp_path / "backup.jsonl"
    result = run_cli("export", "-o", str(backup))
    assert result.returncode == 1 and "left out" in result.stderr
    assert _sets_in(backup.read_text(encoding="utf-8")) == 5
    assert _sets_in(run_cli("export", "--format", "jsonl").stdout) == 5

    elsewhere = {"HEELCOACH_HOME": str(tmp_path / "restored")}
    assert run_cli("import", str(backup), env=elsewhere).returncode == 0
    assert len(json.loads(run_cli("history", "--json", env=elsewhere).stdout)) == 5
