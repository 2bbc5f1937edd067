"""The history's domain rules: log validation and rows, undo grouping, check-ins, the
missing check-in reminder, the export format and import validation."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from helpers import a_set, content_library, context, open_store

from heelcoach.domain import logbook
from heelcoach.domain.monitoring import morning_verdict
from heelcoach.domain.records import CheckIn, SetRecord
from heelcoach.errors import BadInput, Refused
from heelcoach.frontends import words
from heelcoach.services import backup, history_edits
from heelcoach.services.progress import missing_checkin
from heelcoach.storage import transfer

TODAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 18, 30, 5, 123456, tzinfo=UTC)


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEELCOACH_CACHE_DIR", str(tmp_path / "cache"))


def request(exercise: str = "heel-drop", **overrides: object) -> logbook.LogRequest:
    options: dict[str, object] = {
        "sets": 1,
        "reps": 10,
        "seconds": None,
        "side": None,
        "pain": None,
        "day": TODAY,
        "note": None,
    }
    options.update(overrides)
    found = content_library().exercise(exercise)
    return logbook.check_log(found, **options)  # type: ignore[arg-type]


def save_log(wanted: logbook.LogRequest, now: datetime) -> list[SetRecord]:
    with open_store() as store:
        return history_edits.save_log(store, wanted, now)


def save_checkin(
    day: date, pain: int, stiffness: int, now: datetime
) -> history_edits.CheckInResult:
    logbook.check_score(pain, "--pain")
    logbook.check_score(stiffness, "--stiffness")
    with open_store() as store:
        return history_edits.save_checkin(store, CheckIn(day, pain, stiffness, now))


def missing(today: date) -> date | None:
    with open_store(create=False) as store:
        return missing_checkin(store, today)


def stored(**overrides: object) -> SetRecord:
    day = overrides.get("day", TODAY)
    assert isinstance(day, date)
    moment = datetime(day.year, day.month, day.day, 8, tzinfo=UTC)
    return a_set(day, moment, 30, **{"target_reps": 10, "pain": 1, **overrides})


# --------------------------------------------------------------------------- log


@pytest.mark.parametrize(
    "exercise,overrides,words",
    [
        ("heel-drp", {}, "did you mean heel-drop"),
        ("heel-drop", {"reps": None, "seconds": 30}, "counted in reps"),
        ("heel-drop", {"reps": None}, "add --reps"),
        ("calf-stretch", {"side": "left"}, "timed"),
        ("calf-stretch", {"side": "left", "reps": None}, "add --seconds"),
        ("heel-drop", {"seconds": 30}, "not both"),
        ("heel-drop", {"sets": 0}, "--sets must be between 1 and 20"),
        ("heel-drop", {"sets": 21}, "--sets must be between 1 and 20"),
        ("heel-drop", {"reps": 0}, "--reps must be between 1 and 200"),
        ("heel-drop", {"reps": -4}, "--reps must be between 1 and 200"),
        ("heel-drop", {"reps": 201}, "--reps must be between 1 and 200"),
        ("calf-stretch", {"reps": None, "seconds": 0, "side": "left"}, "--seconds must be"),
        ("calf-stretch", {"reps": None, "seconds": 3601, "side": "left"}, "--seconds must be"),
        ("heel-drop", {"pain": 11}, "--pain must be between 0 and 10"),
        ("heel-drop", {"pain": -1}, "--pain must be between 0 and 10"),
        ("eccentric-heel-drop", {}, "add --side left, right or both"),
        ("heel-drop", {"side": "left"}, "leave out --side"),
        ("eccentric-heel-drop", {"side": "up"}, "--side must be one of"),
        ("heel-drop", {"note": "x" * 501}, "keep it under 500"),
    ],
)
def test_log_requests_are_checked(exercise: str, overrides: dict, words: str) -> None:
    with pytest.raises(BadInput, match=words):
        request(exercise, **overrides)


def test_bounds_are_inclusive() -> None:
    assert request(sets=20, reps=200, pain=10).sets == 20
    assert request(sets=1, reps=1, pain=0).reps == 1
    timed = request("calf-stretch", reps=None, seconds=3600, side="right")
    assert timed.seconds == 3600 and timed.sides == ("right",)


def test_one_log_call_makes_rows_per_set_and_side_sharing_one_moment() -> None:
    rows = logbook.log_records(
        request("eccentric-heel-drop", sets=2, side="both", pain=3, note="  on the  stairs "),
        NOW,
    )
    assert [(r.set_number, r.side) for r in rows] == [
        (1, "left"),
        (1, "right"),
        (2, "left"),
        (2, "right"),
    ]
    assert {r.started_at for r in rows} == {NOW} and {r.ended_at for r in rows} == {NOW}
    assert len({r.uuid for r in rows}) == 4
    assert all(
        r.source == "log"
        and r.session_id is None
        and r.pain == 3
        and r.reps == 10
        and r.seconds is None
        and r.target_reps is None
        and r.day == TODAY
        and r.note == "on the stairs"
        for r in rows
    )


def test_a_past_day_keeps_the_time_of_logging() -> None:
    rows = logbook.log_records(request(day=TODAY - timedelta(days=3)), NOW)
    assert rows[0].day == TODAY - timedelta(days=3)
    assert rows[0].started_at == NOW - timedelta(days=3)


def test_saving_numbers_sets_after_the_ones_already_stored_that_day() -> None:
    save_log(request(sets=2), NOW)
    save_log(request(sets=1), NOW + timedelta(minutes=5))
    save_log(request(sets=1, day=TODAY - timedelta(days=1)), NOW)
    with open_store(create=False) as store:
        today = store.sets(since=TODAY, until=TODAY, newest_first=False)
        yesterday = store.sets(until=TODAY - timedelta(days=1))
    assert [r.set_number for r in today] == [1, 2, 3]
    assert [r.set_number for r in yesterday] == [1]


def test_describe_log() -> None:
    assert (
        words.describe_log(request(sets=2)) == "Saved 2 sets of Heel drop (10 reps) on 2026-11-20."
    )
    assert (
        words.describe_log(request("eccentric-heel-drop", side="both", pain=2))
        == "Saved 1 set of Eccentric heel drop (10 reps, pain 2/10) on each side on 2026-11-20."
    )


@pytest.mark.parametrize(
    "text,words",
    [
        ("2026-11-21", "in the future"),
        ("2026-13-01", "not a date"),
        ("yesterday", "not a date"),
    ],
)
def test_dates_must_be_real_and_not_in_the_future(text: str, words: str) -> None:
    with pytest.raises(BadInput, match=words):
        logbook.parse_day(text, "--date", TODAY)
    assert logbook.parse_day("2026-11-20", "--date", TODAY) == TODAY


# --------------------------------------------------------------------------- undo


def test_undo_takes_exactly_the_last_log_call() -> None:
    save_log(request(sets=2), NOW)
    last = save_log(request("eccentric-heel-drop", sets=2, side="both"), NOW + timedelta(minutes=1))
    with open_store() as store:
        entry = history_edits.last_log_entry(store)
        assert {r.uuid for r in entry.records} == {r.uuid for r in last}
        assert words.describe_undo(
            entry.records, {"eccentric-heel-drop": "Eccentric heel drop"}
        ) == ("4 sets of Eccentric heel drop (10 reps, left and right) logged for 2026-11-20")
        assert history_edits.undo(store, entry) == 4
        assert [r.exercise for r in store.sets()] == ["heel-drop", "heel-drop"]
        assert len(history_edits.last_log_entry(store).records) == 2


def test_undo_separates_two_log_calls_of_the_same_exercise_and_day() -> None:
    save_log(request(sets=2), NOW)
    save_log(request(sets=3, reps=12), NOW + timedelta(seconds=1))
    with open_store() as store:
        entry = history_edits.last_log_entry(store)
        assert [(r.set_number, r.reps) for r in entry.records] == [(5, 12), (4, 12), (3, 12)]
        history_edits.undo(store, entry)
        assert sorted(r.set_number for r in store.sets()) == [1, 2]


def test_undo_never_reaches_past_a_live_set() -> None:
    save_log(request(), NOW)
    with open_store() as store:
        store.add_sets([stored(source="live", session_id="s1")])
        with pytest.raises(Refused, match="live session"):
            history_edits.last_log_entry(store)
        assert store.count_sets() == 2


def test_undo_on_an_empty_history_is_refused() -> None:
    with open_store(create=False) as store, pytest.raises(Refused, match="nothing to undo"):
        history_edits.last_log_entry(store)


# --------------------------------------------------------------------------- check-ins


def check(day: date, pain: int, stiffness: int) -> CheckIn:
    return CheckIn(day, pain, stiffness, NOW)


@pytest.mark.parametrize(
    "before,after,verdict",
    [
        ((2, 2), (3, 2), "worse"),
        ((2, 2), (2, 3), "worse"),
        ((2, 2), (1, 3), "worse"),
        ((2, 2), (2, 2), "same or better"),
        ((2, 2), (0, 1), "same or better"),
        # 0-2 is safe (Silbernagel): a rise that stays within it is no worse for the dose
        ((0, 0), (1, 0), "same or better"),
        ((0, 1), (0, 2), "same or better"),
        ((1, 1), (3, 1), "worse"),
    ],
)
def test_checkin_verdict_follows_the_pain_monitoring_model(
    before: tuple, after: tuple, verdict: str
) -> None:
    assert (
        morning_verdict(check(TODAY, *before), check(TODAY + timedelta(days=1), *after)) == verdict
    )
    assert morning_verdict(None, check(TODAY, *after)) is None


def test_saving_a_checkin_compares_with_the_previous_day_and_replaces_the_same_day() -> None:
    first = save_checkin(TODAY - timedelta(days=2), 2, 2, NOW)
    assert first.previous is None and not first.replaced
    assert words.verdict_line(first.verdict).startswith("first check-in")
    worse = save_checkin(TODAY, 4, 2, NOW)
    assert worse.previous is not None and worse.previous.day == TODAY - timedelta(days=2)
    assert (
        words.verdict_line(worse.verdict) == "worse than last time: the next dose will be reduced"
    )
    again = save_checkin(TODAY, 1, 1, NOW)
    assert again.replaced and again.previous.day == TODAY - timedelta(days=2)
    assert words.verdict_line(again.verdict) == "same or better: keep going"
    with open_store(create=False) as store:
        assert [(c.day, c.pain) for c in store.checkins()] == [
            (TODAY - timedelta(days=2), 2),
            (TODAY, 1),
        ]


@pytest.mark.parametrize("pain,stiffness", [(11, 0), (0, 11), (-1, 0)])
def test_checkin_scores_are_checked_before_anything_is_written(
    pain: int, stiffness: int, heelcoach_home: Path
) -> None:
    with pytest.raises(BadInput, match="between 0 and 10"):
        save_checkin(TODAY, pain, stiffness, NOW)
    assert not (heelcoach_home / "history.db").exists()


def test_missing_checkin_names_yesterday_after_a_session_without_todays_checkin(
    heelcoach_home: Path,
) -> None:
    assert missing(TODAY) is None  # fresh machine: nothing, nothing created
    assert not (heelcoach_home / "history.db").exists()
    with open_store() as store:
        store.add_sets([stored(day=TODAY - timedelta(days=1))])
    assert missing(TODAY) == TODAY - timedelta(days=1)
    assert missing(TODAY + timedelta(days=1)) is None  # no set on the 20th
    save_checkin(TODAY - timedelta(days=1), 1, 1, NOW)  # yesterday's is not today's
    assert missing(TODAY) == TODAY - timedelta(days=1)
    save_checkin(TODAY, 1, 1, NOW)
    assert missing(TODAY) is None


# --------------------------------------------------------------------------- export/import


def test_export_row_has_every_setrecord_field_as_text_or_number() -> None:
    record = stored(side="left", pain=None, note='a, "quoted" note')
    row = transfer.export_row(record)
    assert tuple(row) == transfer.EXPORT_FIELDS
    assert set(transfer.EXPORT_FIELDS) == set(SetRecord._fields)
    assert row["day"] == "2026-11-20"
    assert row["started_at"] == "2026-11-20T08:00:00.000000+00:00"
    assert row["pain"] is None and row["reps"] == 10


@pytest.mark.parametrize(
    "given,output,expected",
    [
        (None, None, "jsonl"),
        ("jsonl", None, "jsonl"),
        ("CSV", None, "csv"),
        (None, Path("x.jsonl"), "jsonl"),
        (None, Path("x.csv"), "csv"),
        ("csv", Path("x.jsonl"), "csv"),
    ],
)
def test_export_format(given: str | None, output: Path | None, expected: str) -> None:
    assert backup.export_format(given, output) == expected


def test_export_format_rejects_others() -> None:
    with pytest.raises(BadInput, match="not one of: csv, jsonl"):
        backup.export_format("xml", None)


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_written_export_reads_back_identically(fmt: str, tmp_path: Path) -> None:
    originals = [
        stored(),
        stored(side="right", exercise="eccentric-heel-drop", pain=None),
        stored(
            reps=None,
            seconds=30,
            exercise="calf-stretch",
            side="left",
            note='line one, "two"\nthree é',
            session_id="abc",
            source="live",
        ),
    ]
    buffer = io.StringIO()
    assert transfer.write_export(transfer.ExportData(originals), fmt, buffer).sets == 3
    target = tmp_path / f"back.{fmt}"
    target.write_text(buffer.getvalue(), encoding="utf-8", newline="")
    assert read_import(target) == originals


def read_import(path: Path) -> list[SetRecord]:
    """Every set of an export file, each checked as it is read."""
    source = transfer.ImportFile(path, content_library())
    return [record for _, record in source.records() if isinstance(record, SetRecord)]


def write(tmp_path: Path, name: str, text: str) -> Path:
    target = tmp_path / name
    target.write_text(text, encoding="utf-8")
    return target


def csv_text(*rows: SetRecord) -> str:
    buffer = io.StringIO()
    transfer.write_export(transfer.ExportData(rows), "csv", buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    "old,new,line_words",
    [
        (",1,2026-11-20,", ",12,2026-11-20,", "pain must be between 0 and 10"),
        ("heel-drop", "heel-dorp", "not an exercise id heelcoach knows; did you mean heel-drop"),
        ("2026-11-20,2026", "2026-11-31,2026", "day is not a date (expected YYYY-MM-DD)"),
        (",log,", ",typed,", "source must be one of live, log, import"),
        ("+00:00", "", "has no timezone"),
        (",10,,10,", ",ten,,10,", "reps must be a whole number"),
    ],
)
def test_a_bad_csv_row_is_reported_by_line_and_nothing_is_read(
    old: str, new: str, line_words: str, tmp_path: Path
) -> None:
    good, bad = stored(), stored(day=TODAY)
    text = csv_text(good, bad, stored())
    lines = text.splitlines()
    lines[2] = lines[2].replace(old, new, 1)
    target = write(tmp_path, "bad.csv", "\n".join(lines) + "\n")
    with pytest.raises(BadInput) as caught:
        read_import(target)
    message = str(caught.value)
    assert message.startswith(f"{target}:3: ") and line_words in message
    assert message.endswith("nothing was imported")


def test_every_bad_row_is_counted_and_blank_lines_keep_line_numbers(tmp_path: Path) -> None:
    lines = csv_text(stored(), stored(), stored()).splitlines()
    lines[1] = lines[1].replace("heel-drop", "nope")
    lines[3] = lines[3].replace("heel-drop", "nope")
    target = write(tmp_path, "bad.csv", "\n".join([lines[0], "", *lines[1:]]) + "\n")
    with pytest.raises(
        BadInput,
        match=r"bad\.csv:3: not an exercise id heelcoach knows.*"
        r"\(and 1 more bad lines\)",
    ):
        read_import(target)


@pytest.mark.parametrize(
    "line,words",
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "expected a JSON object"),
        ('{"colour": "red"}', "unknown field 'colour'"),
        ('{"uuid": "x"}', "exercise is missing"),
    ],
)
def test_a_bad_jsonl_line_is_reported_by_line(line: str, words: str, tmp_path: Path) -> None:
    good = json.dumps(transfer.export_row(stored()))
    target = write(tmp_path, "bad.jsonl", f"{good}\n\n{line}\n")
    with pytest.raises(BadInput, match=rf"bad\.jsonl:3: {words}"):
        read_import(target)


def test_jsonl_rows_need_numbers_not_booleans_or_negative(tmp_path: Path) -> None:
    for value in (True, -1, 2.5):
        row = {**transfer.export_row(stored()), "reps": value}
        target = write(tmp_path, "bad.jsonl", json.dumps(row) + "\n")
        with pytest.raises(BadInput, match=r"bad\.jsonl:1: reps must be"):
            read_import(target)


def test_the_same_row_twice_is_read_once_but_a_conflicting_copy_is_an_error(tmp_path: Path) -> None:
    row = stored()
    changed = csv_text(row).splitlines()[1].replace(",10,,10,", ",11,,10,")
    clash = write(tmp_path, "clash.csv", csv_text(row) + changed + "\n")
    read_import(clash)  # each line is fine on its own; the store sees the clash
    with pytest.raises(BadInput, match=r"clash\.csv:3: set .* is also on an earlier line"):
        import_file(clash)
    with open_store(create=False) as store:
        assert store.count_sets() == 0
    twice = write(tmp_path, "twice.csv", csv_text(row) + csv_text(row).splitlines()[1] + "\n")
    assert import_file(twice)[:2] == (1, 0)  # the same line twice is stored once


def test_format_is_sniffed_when_the_extension_says_nothing(tmp_path: Path) -> None:
    row = stored()
    as_json = write(tmp_path, "backup.txt", json.dumps(transfer.export_row(row)) + "\n")
    as_csv = write(tmp_path, "backup", csv_text(row))
    assert read_import(as_json) == [row]
    assert read_import(as_csv) == [row]


@pytest.mark.parametrize(
    "header,words",
    [
        ("uuid,exercise,colour", "not a heelcoach export: the first line is not the export"),
        ("uuid,exercise", "missing column 'set_number'"),
    ],
)
def test_csv_header_is_checked(header: str, words: str, tmp_path: Path) -> None:
    with pytest.raises(BadInput, match=rf"h\.csv:1: {words}"):
        read_import(write(tmp_path, "h.csv", header + "\n"))


def test_import_is_all_or_nothing_and_idempotent(tmp_path: Path, heelcoach_home: Path) -> None:
    rows = [stored(), stored(set_number=2)]
    target = write(tmp_path, "ok.csv", csv_text(*rows))
    assert import_file(target)[:2] == (2, 0)
    assert import_file(target)[:2] == (0, 2)
    bad = write(tmp_path, "bad.csv", csv_text(stored(), stored(exercise="nope")))
    with pytest.raises(BadInput):
        import_file(bad)
    with open_store(create=False) as store:
        assert store.count_sets() == 2


def test_missing_import_file_is_bad_input(tmp_path: Path) -> None:
    with pytest.raises(BadInput, match="no such file"):
        read_import(tmp_path / "none.csv")


def test_forget_removes_profile_and_history(heelcoach_home: Path) -> None:
    assert history_edits.forget_targets(context()) == []
    (heelcoach_home / "profile.json").write_text("{}")
    save_log(request(), NOW)
    assert {p.name for p in history_edits.forget_targets(context())} >= {
        "profile.json",
        "history.db",
    }
    removed = {p.name for p in history_edits.forget_everything(context())}
    assert {"profile.json", "history.db"} <= removed
    assert history_edits.forget_targets(context()) == []


def import_file(path: Path) -> tuple[int, ...]:
    result = backup.import_everything(context(), content_library(), path)
    return result.counts
