"""`import` refuses what `log` refuses (both or neither of reps and seconds,
a side on a two-leg exercise, 0 or 1e9 reps, 1 MB notes, digits other than 0-9), and `log`
refuses `--date 0001-01-01` and `--reps ٣`."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from conftest import set_row
from helpers import assert_one_line_error, open_store, run_cli


def _csv(path: Path, row: dict[str, object]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(row))
        writer.writeheader()
        writer.writerow({key: "" if value is None else value for key, value in row.items()})
    return path


def test_import_refuses_every_set_that_log_refuses(tmp_path: Path) -> None:
    good = set_row()
    bad_rows = {
        "ancient day": set_row(day="0001-01-01"),
        "both amounts": set_row(reps=10, seconds=30),
        "no amount": set_row(reps=None, seconds=None),
        "seconds for a rep exercise": set_row(reps=None, seconds=30),
        "side on a two-leg exercise": set_row(side="left"),
        "no side on a one-leg exercise": set_row(exercise="eccentric-heel-drop", side=None),
        "no reps": set_row(reps=0),
        "a billion reps": set_row(reps=10**9),
        "huge target": set_row(target_reps=10**9),
        "a megabyte note": set_row(note="x" * 1_000_000),
        "set number zero": set_row(set_number=0),
        "pain 11": set_row(pain=11),
    }
    for label, row in bad_rows.items():
        source = tmp_path / "bad.jsonl"
        source.write_text(json.dumps(good) + "\n" + json.dumps(row) + "\n", encoding="utf-8")
        result = run_cli("import", str(source))
        assert_one_line_error(result, 2)
        assert "bad.jsonl:2" in result.stderr, (label, result.stderr)
        assert "nothing was imported" in result.stderr
    digits = _csv(tmp_path / "digits.csv", set_row(reps="٣", set_number="١"))
    result = run_cli("import", str(digits))
    assert_one_line_error(result, 2)
    with open_store(create=False) as store:
        assert store.count_sets() == 0

    for args in (["--date", "0001-01-01"], ["--date", "1899-12-31"], ["--reps", "٣"],
                 ["--reps", "1", "--pain", "٣"], ["--reps", "1", "--sets", "²"]):  # fmt: skip
        result = run_cli("log", "heel-drop", "--reps", "10", *args)
        assert_one_line_error(result, 2)
    with open_store(create=False) as store:
        assert store.count_sets() == 0
    # A set a live session cut short (no reps yet) still comes back from its own export.
    live = set_row(reps=0, target_reps=10, source="live", session_id="abc")
    source = tmp_path / "live.jsonl"
    source.write_text(json.dumps(live) + "\n", encoding="utf-8")
    assert run_cli("import", str(source)).returncode == 0
