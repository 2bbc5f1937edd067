"""An import reads its file once and keeps a set line exactly when the rules every stored
set keeps (`domain.records`) allow it, storing it as written."""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from helpers import assert_one_line_error, content_library, open_store, run_cli

from heelcoach.domain.records import SetRecord, exercise_problem, set_problem
from heelcoach.storage import transfer
from heelcoach.storage.transfer import EXPORT_FIELDS, ImportFile

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
    """The same line changed in one way: still valid, or not."""
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


def read_lines(tmp_path: Path, lines: list[dict[str, Any]]) -> list[tuple[int, Any]]:
    """The records an import takes from `lines` (a file without a header), with their
    line numbers; BadInput when a line is refused."""
    source = tmp_path / "lines.jsonl"
    source.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return list(ImportFile(source, content_library()).records())


@pytest.mark.parametrize("seed", range(4))
def test_an_import_takes_a_line_only_as_the_rules_every_set_keeps_allow(
    tmp_path: Path, seed: int
) -> None:
    rng = random.Random(seed)
    library = content_library()
    taken = 0
    for _ in range(150):
        line = unusual(usual_line(rng), rng)
        try:
            ((_, record),) = read_lines(tmp_path, [line])
        except transfer.BadInput:
            continue
        taken += 1
        facts = library.exercises[record.exercise]
        assert set_problem(record) is None, line
        assert exercise_problem(record, facts.measure, facts.per_side) is None, line
    assert taken > 20


def test_every_usual_line_is_taken_as_written(tmp_path: Path) -> None:
    rng = random.Random(11)
    lines = [usual_line(rng) for _ in range(500)]
    for line in lines:
        line["note"] = line["note"] or None  # an export never writes an empty note
    records = [record for _, record in read_lines(tmp_path, lines)]
    assert [transfer.export_row(record) for record in records] == lines


def test_a_day_ahead_of_this_machine_is_kept_as_recorded(tmp_path: Path) -> None:
    """What day a set counts for is its writer's business: a set logged where the day
    has already begun, or under a clock set years ahead, is imported as it was recorded."""
    rng = random.Random(2)
    ahead = [usual_line(rng), usual_line(rng)]
    ahead[0]["day"] = (TODAY + timedelta(days=1)).isoformat()
    ahead[1]["day"], ahead[1]["started_at"] = "2100-01-01", "2100-01-01T08:00:00.000000+00:00"
    ahead[1]["ended_at"] = "2100-01-01T08:01:00.000000+00:00"
    for line in ahead:
        line["note"] = line["note"] or None
    records = [record for _, record in read_lines(tmp_path, ahead)]
    assert [transfer.export_row(record) for record in records] == ahead


def test_a_long_import_keeps_the_history_whole_and_all_or_nothing(tmp_path: Path) -> None:
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
    assert not (fresh / "history.db").exists()  # the history it began is gone again
