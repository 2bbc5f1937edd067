"""An import checks a set line the quick way when it is in the usual form, and field by
field otherwise: both must accept exactly the same lines and store exactly the same row.
And the second pass, which only reads what the first one checked, must refuse a file
that changed in between."""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from helpers import assert_one_line_error, content_library, open_store, run_cli

from heelcoach.domain.records import SetRecord
from heelcoach.storage import transfer
from heelcoach.storage.store import Store
from heelcoach.storage.transfer import EXPORT_FIELDS, OPTIONAL_IMPORT_FIELDS, ImportFile

TODAY = date.today()


def usual_line(rng: random.Random) -> dict[str, Any]:
    """A set line as `heelcoach export` writes it, at random."""
    exercise, per_side, timed = rng.choice(
        [("heel-drop", False, False), ("eccentric-heel-drop", True, False),
         ("calf-stretch", True, True), ("bridge", False, False), ("heel-jump", False, False)]
    )  # fmt: skip
    day = TODAY - timedelta(days=rng.randrange(3000))
    begun = datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(
        seconds=rng.randrange(86_000), microseconds=rng.randrange(1_000_000)
    )
    live = rng.random() < 0.5
    amount = rng.randint(0 if live else 1, 30)
    record = SetRecord(
        SetRecord.new_uuid(), exercise, rng.randint(1, 9),
        rng.choice(("left", "right", "both")) if per_side else None,
        None if timed else amount, amount if timed else None,
        rng.choice((None, 10, 15)) if not timed else None,
        rng.choice((None, 30)) if timed else None,
        rng.choice((None, 0, 3, 10)), day, begun, begun + timedelta(seconds=rng.randrange(90)),
        rng.choice((None, "s-1", "a session")) if live else None,
        "live" if live else rng.choice(("log", "import")),
        rng.choice((None, "", "on the stairs", "é ünïcode", "tab\there", "x" * 500)),
    )  # fmt: skip
    return transfer.export_row(record)


def unusual(line: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    """The same line changed in one way: still valid, or not, in a form `_quick_row` may or
    may not take."""
    changes: list[tuple[str, Any]] = [
        ("uuid", line["uuid"].upper()), ("uuid", " " + line["uuid"]), ("uuid", "not-a-uuid"),
        ("exercise", " heel-drop"), ("exercise", "heel-dorp"), ("exercise", 7),
        ("set_number", 0), ("set_number", 1001), ("set_number", True), ("set_number", "3"),
        ("set_number", 2.0), ("side", ""), ("side", "up"), ("side", None), ("side", "left"),
        ("reps", None), ("reps", 0), ("reps", 201), ("reps", "10"), ("seconds", 30),
        ("seconds", 3601), ("target_reps", -1), ("target_reps", 201), ("target_seconds", 9999),
        ("pain", 11), ("pain", -1), ("pain", False), ("day", (TODAY + timedelta(1)).isoformat()),
        ("day", "1999-12-31"), ("day", "2024-02-30"), ("day", "20240105"), ("day", " 2024-01-05"),
        ("day", "2024-W01-1"), ("started_at", line["started_at"].replace("+00:00", "+02:00")),
        ("started_at", line["started_at"][:19] + "+00:00"), ("started_at", "2024-01-05T25:00:00"
         ".000000+00:00"), ("started_at", line["ended_at"][:-7] + "9+00:00"),
        ("ended_at", "1999-12-31T23:59:59.000000+00:00"), ("ended_at", "9001-01-01T00:00:00"
         ".000000+00:00"), ("ended_at", line["started_at"].replace("T", " ")),
        ("session_id", ""), ("session_id", " s"), ("session_id", "s\n"), ("session_id", "x" * 101),
        ("source", "phone"), ("source", "live"), ("note", "x" * 501), ("note", 5),
        ("note", "\udcff"),
    ]  # fmt: skip
    name, value = rng.choice(changes)
    changed = {**line, name: value}
    if rng.random() < 0.1:
        changed.pop(rng.choice(EXPORT_FIELDS))
    return changed


def slow_row(source: ImportFile, line: dict[str, Any]) -> tuple[Any, ...] | None:
    try:
        fields = transfer._fields(dict(line), EXPORT_FIELDS, OPTIONAL_IMPORT_FIELDS)
        return source._set_row(fields)
    except transfer._RowError:
        return None


@pytest.mark.parametrize("seed", range(4))
def test_the_quick_check_takes_only_what_the_full_check_stores_the_same(
    tmp_path: Path, seed: int
) -> None:
    rng = random.Random(seed)
    source = ImportFile(tmp_path / "x.jsonl", content_library(), TODAY)
    quick_taken = 0
    for _ in range(600):
        line = usual_line(rng)
        if rng.random() < 0.6:
            line = unusual(line, rng)
        slow = slow_row(source, line)
        quick = source._quick_row(line)
        if quick is not None:
            quick_taken += 1
            assert quick == slow, line  # never takes what the full check refuses or changes
        elif slow is not None:
            assert slow != tuple(map(line.get, EXPORT_FIELDS)) or not _plain(line), line
        csv_like = {k: (None if v in (None, "") else str(v)) for k, v in line.items()}
        csv_quick = source._quick_row(transfer._numbers(dict(csv_like)))
        if csv_quick is not None:
            assert csv_quick == slow_row(source, csv_like)
    assert quick_taken > 200


def _plain(line: dict[str, Any]) -> bool:
    """Whether the line is in a form the quick check should have taken (it is only
    allowed to leave a line in the usual form to the full check when it holds something
    the quick one does not look at, such as an empty side)."""
    return line.get("side") != "" and line.get("note") != "" and line.get("session_id") != ""


def test_every_usual_line_takes_the_quick_check(tmp_path: Path) -> None:
    rng = random.Random(11)
    source = ImportFile(tmp_path / "x.jsonl", content_library(), TODAY)
    for _ in range(500):
        line = usual_line(rng)
        if line["note"] == "":
            line["note"] = None  # an export never writes an empty note: it stores none
        assert source._quick_row(line) is not None, line


def test_a_file_changed_between_the_two_passes_is_refused(tmp_path: Path) -> None:
    rng = random.Random(3)
    lines = [usual_line(rng) for _ in range(3000)]
    for line in lines:
        line["note"] = line["note"] or None
    source = tmp_path / "backup.jsonl"
    header = json.dumps({"type": "header", "app": "heelcoach", "format": 2})
    body = [json.dumps({"type": "set", **line}) for line in lines]
    source.write_text("\n".join([header, *body]) + "\n", encoding="utf-8")
    checked = ImportFile(source, content_library(), TODAY)
    summary = checked.check()
    assert summary.sets == 3000
    # Between the passes set lines change into ones the first pass would refuse: one that
    # still fits the table (a day to come), early on, and one that does not, later.
    tomorrow = (TODAY + timedelta(days=1)).isoformat()
    body[100] = json.dumps({"type": "set", **lines[100], "day": tomorrow})
    body[2500] = json.dumps({"type": "set", **lines[2500], "pain": 99})
    source.write_text("\n".join([header, *body]) + "\n", encoding="utf-8")
    with open_store() as store, pytest.raises(transfer.BadInput) as caught:
        store.restore(checked.batches(), summary.sets)
    assert "changed while it was imported" in str(caught.value)
    with open_store(create=False) as store:
        assert store.count_sets() == 0  # nothing of it went in


def test_an_import_that_doubles_the_history_keeps_its_indexes(tmp_path: Path) -> None:
    rng = random.Random(5)
    lines = [usual_line(rng) for _ in range(12_000)]
    source = tmp_path / "big.jsonl"
    source.write_text(
        "".join(json.dumps({**line, "note": line["note"] or None}) + "\n" for line in lines),
        encoding="utf-8",
    )
    result = run_cli("import", str(source))
    assert result.returncode == 0, result.stderr
    with open_store(create=False) as store:
        assert store.count_sets() == 12_000
        listed = "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sets'"
        indexes = {row[0] for row in store._read(listed)}
        assert {"sets_by_day", "sets_by_exercise_day", "sets_daily_volume"} <= indexes
        assert store._read("PRAGMA integrity_check") == [("ok",)]
    again = run_cli("import", str(source))  # everything present: nothing doubled
    assert again.returncode == 0 and "0 new sets, 12000 already present" in again.stdout
    bad = tmp_path / "bad.jsonl"  # a uuid again, later in the same file, with other values
    bad.write_text(source.read_text() + json.dumps({**lines[0], "reps": 5}) + "\n")
    fresh = tmp_path / "fresh"
    result = run_cli("import", str(bad), env={"HEELCOACH_HOME": str(fresh)})
    assert_one_line_error(result, 2)
    assert "bad.jsonl:12001" in result.stderr and "different values" in result.stderr
    with Store.open(fresh / "history.db", create=False) as store:
        assert store.count_sets() == 0
