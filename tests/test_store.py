"""Behaviour of the history store: records, queries, migrations, files and permissions."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import stat
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from helpers import context, open_store

from heelcoach.domain.records import CheckIn, SessionRecord, SetRecord
from heelcoach.errors import BadInput, Refused
from heelcoach.storage import rows, schema, store
from heelcoach.storage.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION
from heelcoach.storage.store import Store

PLUS_TWO = timezone(timedelta(hours=2))
DAY = date(2024, 5, 6)


def at(day: date, hour: int, minute: int = 0, tz: timezone = UTC) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)


def make_set(**overrides: object) -> SetRecord:
    day = overrides.get("day", DAY)
    assert isinstance(day, date)
    fields: dict[str, object] = {
        "uuid": SetRecord.new_uuid(),
        "exercise": "heel-drop",
        "set_number": 1,
        "side": None,
        "reps": 15,
        "seconds": None,
        "target_reps": 15,
        "target_seconds": None,
        "pain": 2,
        "day": day,
        "started_at": at(day, 8),
        "ended_at": at(day, 8, 1),
        "session_id": None,
        "source": "log",
        "note": None,
    }
    fields.update(overrides)
    return SetRecord(**fields)  # type: ignore[arg-type]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


@pytest.fixture
def db() -> Iterator[Store]:
    with open_store() as opened:
        yield opened


# ----------------------------------------------------------------------------- records


def test_every_field_round_trips(db: Store) -> None:
    full = make_set(
        exercise="single-leg-heel-raise",
        set_number=3,
        side="left",
        reps=12,
        seconds=None,
        target_reps=15,
        target_seconds=45,
        pain=7,
        day=date(2024, 2, 29),
        started_at=datetime(2024, 2, 29, 23, 58, 30, 123456, tzinfo=PLUS_TWO),
        ended_at=datetime(2024, 3, 1, 0, 0, 1, 5, tzinfo=PLUS_TWO),
        session_id="session-42",
        source="live",
        note="felt a twinge — stopped early",
    )
    bare = make_set(
        side=None, reps=None, seconds=30, target_reps=None, target_seconds=None, pain=None,
        source="import", note=None, day=date(2024, 3, 1),
    )  # fmt: skip
    assert db.add_sets([full, bare]) == 2

    by_uuid = {record.uuid: record for record in db.sets()}
    assert by_uuid == {full.uuid: full, bare.uuid: bare}
    assert list(db.iter_all_sets()) == [full, bare]
    assert db.latest_logged_set() == bare
    again = by_uuid[full.uuid]
    # Stored as UTC: the same instant, and its calendar date kept as the set's own day.
    assert again.started_at.utcoffset() == timedelta(0)
    assert again.started_at == datetime(2024, 2, 29, 21, 58, 30, 123456, tzinfo=UTC)
    assert type(again.day) is date

    stored = (
        raw(db.path)
        .execute("SELECT day, started_at, ended_at FROM sets WHERE uuid = ?", (full.uuid,))
        .fetchone()
    )
    assert stored == (
        "2024-02-29",
        "2024-02-29T21:58:30.123456+00:00",
        "2024-02-29T22:00:01.000005+00:00",
    )


def test_new_uuid_is_a_fresh_uuid4() -> None:
    first, second = SetRecord.new_uuid(), SetRecord.new_uuid()
    assert first != second
    assert len(first) == 36 and first[14] == "4"


def test_duplicate_uuid_is_ignored_and_counted(db: Store) -> None:
    original = make_set(reps=10)
    assert db.add_sets([original]) == 1
    assert db.add_sets([original]) == 0
    # Same uuid, different content (an older export re-imported): the stored one wins.
    assert db.add_sets([make_set(uuid=original.uuid, reps=99)]) == 0

    fresh = [make_set(set_number=2), make_set(set_number=3)]
    assert db.add_sets([original, fresh[0], fresh[1], fresh[0]]) == 2
    assert db.count_sets() == 3
    assert [r for r in db.sets() if r.uuid == original.uuid] == [original]
    assert db.add_sets([]) == 0


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"pain": 11}, "pain"),
        ({"reps": -1}, "reps"),
        ({"set_number": 0}, "set_number"),
        ({"side": "middle"}, "side"),
        ({"source": "guess"}, "source"),
        ({"uuid": "not-a-uuid"}, "uuid"),
        ({"exercise": ""}, "exercise"),
        ({"started_at": datetime(2024, 5, 6, 8, 0)}, "timezone"),
        ({"ended_at": at(DAY, 7)}, "before"),
        ({"day": datetime(2024, 5, 6, 8, 0, tzinfo=UTC)}, "date"),
        ({"reps": True}, "reps"),
    ],
)
def test_invalid_set_in_a_batch_stores_nothing(db: Store, change: dict, words: str) -> None:
    good = make_set()
    with pytest.raises(BadInput, match=words) as caught:
        db.add_sets([good, make_set(**change)])
    assert "\n" not in str(caught.value)
    assert db.count_sets() == 0


def test_delete_set(db: Store) -> None:
    keep, drop = make_set(), make_set(set_number=2)
    db.add_sets([keep, drop])
    assert db.delete_sets([drop.uuid]) == 1
    assert db.delete_sets([drop.uuid]) == 0
    assert db.sets() == [keep]


def test_latest_logged_set_is_by_insertion_not_time(db: Store) -> None:
    assert db.latest_logged_set() is None
    recent = make_set(day=date(2024, 6, 1), source="live")
    older_but_later_inserted = make_set(day=date(2020, 1, 1), source="import")
    db.add_sets([recent])
    db.add_sets([older_but_later_inserted])
    assert db.latest_logged_set() == older_but_later_inserted


# ----------------------------------------------------------------------------- queries


def _fill_three_days(db: Store) -> dict[str, SetRecord]:
    d1, d2, d3 = date(2024, 5, 1), date(2024, 5, 2), date(2024, 5, 3)
    named = {
        "d1-drop": make_set(day=d1, exercise="heel-drop", ended_at=at(d1, 8, 5)),
        "d1-raise": make_set(day=d1, exercise="heel-raise", ended_at=at(d1, 8, 10)),
        "d2-drop-late": make_set(
            day=d2, exercise="heel-drop", started_at=at(d2, 18), ended_at=at(d2, 18, 5)
        ),
        "d2-drop-early": make_set(day=d2, exercise="heel-drop", ended_at=at(d2, 8, 5)),
        "d3-raise": make_set(day=d3, exercise="heel-raise", ended_at=at(d3, 8, 5)),
    }
    # Inserted out of time order on purpose: ordering must come from day and time.
    db.add_sets([named[k] for k in ("d3-raise", "d1-raise", "d2-drop-late", "d1-drop",
                                    "d2-drop-early")])  # fmt: skip
    return named


def _names(named: dict[str, SetRecord], records: list[SetRecord]) -> list[str]:
    by_uuid = {record.uuid: name for name, record in named.items()}
    return [by_uuid[record.uuid] for record in records]


def test_sets_ordering_and_limit(db: Store) -> None:
    named = _fill_three_days(db)
    newest = ["d3-raise", "d2-drop-late", "d2-drop-early", "d1-raise", "d1-drop"]
    assert _names(named, db.sets()) == newest
    assert _names(named, db.sets(newest_first=False)) == newest[::-1]
    assert _names(named, db.sets(limit=2)) == newest[:2]
    assert _names(named, db.sets(limit=2, newest_first=False)) == newest[::-1][:2]
    assert db.sets(limit=0) == []
    assert _names(named, list(db.iter_all_sets())) == newest[::-1]


def test_same_time_sets_keep_insertion_order(db: Store) -> None:
    twins = [make_set(set_number=n) for n in (1, 2, 3)]
    db.add_sets(twins)
    assert db.sets(newest_first=False) == twins
    assert db.sets() == twins[::-1]


def test_sets_filters(db: Store) -> None:
    named = _fill_three_days(db)
    d1, d2, d3 = date(2024, 5, 1), date(2024, 5, 2), date(2024, 5, 3)
    assert _names(named, db.sets(since=d2)) == ["d3-raise", "d2-drop-late", "d2-drop-early"]
    assert _names(named, db.sets(until=d1)) == ["d1-raise", "d1-drop"]
    assert _names(named, db.sets(since=d2, until=d2)) == ["d2-drop-late", "d2-drop-early"]
    assert _names(named, db.sets(exercise="heel-raise")) == ["d3-raise", "d1-raise"]
    assert _names(named, db.sets(exercise="heel-drop", since=d2, limit=1)) == ["d2-drop-late"]
    assert db.sets(exercise="nope") == []
    assert db.sets(since=d3 + timedelta(days=1)) == []


def test_daily_volume_aggregates_per_day_and_exercise(db: Store) -> None:
    d1, d2 = date(2024, 5, 1), date(2024, 5, 2)
    db.add_sets(
        [
            make_set(day=d1, exercise="heel-drop", reps=10, pain=2),
            make_set(day=d1, exercise="heel-drop", reps=12, pain=5, set_number=2),
            make_set(day=d1, exercise="heel-drop", reps=None, seconds=30, pain=None, set_number=3),
            make_set(day=d1, exercise="wall-hold", reps=None, seconds=45, pain=None),
            make_set(
                day=d2,
                exercise="heel-drop",
                reps=8,
                pain=0,
                landings=8,
                soft_landings=1,
                hard_landings=0,
            ),
            make_set(
                day=d2,
                exercise="heel-drop",
                reps=6,
                pain=0,
                set_number=2,
                landings=5,
                soft_landings=2,
                hard_landings=1,
            ),
            make_set(day=date(2024, 4, 30), exercise="heel-drop", reps=100),  # outside
            make_set(day=date(2024, 5, 3), exercise="heel-drop", reps=100),  # outside
        ]
    )
    assert db.daily_volume(d1, d2) == [
        (d1, "heel-drop", 3, 22, 30, 5, None, None, None),  # nobody listened
        (d1, "wall-hold", 1, 0, 45, None, None, None, None),
        (d2, "heel-drop", 2, 14, 0, 0, 13, 3, 1),
    ]
    assert db.daily_volume(date(2023, 1, 1), date(2023, 1, 31)) == []


# ----------------------------------------------------------------------------- sessions


def test_sessions_start_finish_and_filter(db: Store) -> None:
    first = SessionRecord("s-1", DAY, at(DAY, 8), None, None, "running")
    nxt = DAY + timedelta(days=1)
    second = SessionRecord("s-2", nxt, at(nxt, 9, tz=PLUS_TWO), None, None, "running")
    db.start_session(second)
    db.start_session(first)
    assert db.sessions() == [first, second]

    db.finish_session("s-1", ended_at=at(DAY, 8, 20), pain=3, status="finished")
    db.finish_session("s-2", ended_at=at(nxt, 9, 5), pain=None, status="stopped")
    done = SessionRecord("s-1", DAY, at(DAY, 8), at(DAY, 8, 20), 3, "finished")
    assert db.sessions(until=DAY) == [done]
    assert db.sessions(since=nxt) == [
        SessionRecord("s-2", nxt, at(nxt, 9, tz=PLUS_TWO), at(nxt, 9, 5), None, "stopped")
    ]

    with pytest.raises(BadInput, match="already started"):
        db.start_session(first)
    with pytest.raises(BadInput, match="no session"):
        db.finish_session("s-404", ended_at=at(DAY, 9), pain=None, status="finished")
    with pytest.raises(BadInput, match="status"):
        db.finish_session("s-1", ended_at=at(DAY, 9), pain=None, status="paused")
    assert db.sessions(until=DAY) == [done]


def test_checkins_one_per_day_and_replaced(db: Store) -> None:
    d1, d2 = date(2024, 5, 1), date(2024, 5, 2)
    db.save_checkin(CheckIn(d1, pain=4, stiffness=6, recorded_at=at(d1, 7)))
    db.save_checkin(CheckIn(d2, pain=2, stiffness=3, recorded_at=at(d2, 7)))
    replacement = CheckIn(d1, pain=1, stiffness=2, recorded_at=at(d1, 7, 30))
    db.save_checkin(replacement)

    assert db.checkin_for(d1) == replacement
    assert db.checkin_for(date(2024, 5, 3)) is None
    assert [c.day for c in db.checkins()] == [d1, d2]
    assert db.checkins(since=d2) == [CheckIn(d2, 2, 3, at(d2, 7))]
    assert db.checkins(until=d1) == [replacement]
    with pytest.raises(BadInput, match="stiffness"):
        db.save_checkin(CheckIn(d1, pain=1, stiffness=11, recorded_at=at(d1, 8)))
    assert db.checkin_for(d1) == replacement


# ----------------------------------------------------------------------------- the file


def test_new_file_is_marked_wal_and_durable() -> None:
    with open_store() as db:
        assert db.path == context().history_path
        conn = db._conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
        assert conn.isolation_level is None
    check = raw(context().history_path)
    assert check.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    assert check.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_permissions_are_private_whatever_the_umask(tmp_path: Path) -> None:
    home = tmp_path / "fresh" / "data"
    db_path = home / "history.db"
    old = os.umask(0)  # the most careless umask a user could have
    try:
        with Store.open(db_path) as db:
            db.add_sets([make_set()])
            assert mode(home) == 0o700
            for name in ("history.db", "history.db-wal", "history.db-shm"):
                assert mode(home / name) == 0o600, name
    finally:
        os.umask(old)
    assert mode(db_path) == 0o600


def test_loose_permissions_on_an_existing_history_are_tightened() -> None:
    with open_store() as db:
        db.add_sets([make_set()])
    path = context().history_path
    path.chmod(0o644)
    path.parent.chmod(0o755)
    with open_store() as db:
        assert db.count_sets() == 1
        assert mode(path) == 0o600
        assert mode(path.parent) == 0o755  # a folder it did not create is never chmodded


def test_heelcoach_home_is_read_at_call_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    monkeypatch.setenv("HEELCOACH_HOME", str(first))
    with open_store() as db:
        db.add_sets([make_set()])
        assert db.path == first / "history.db"
    monkeypatch.setenv("HEELCOACH_HOME", str(second))
    with open_store() as db:
        assert db.path == second / "history.db"
        assert db.count_sets() == 0
    assert store.destroy(context().history_path) == [second / "history.db"]
    monkeypatch.setenv("HEELCOACH_HOME", str(first))
    with open_store() as db:
        assert db.count_sets() == 1


def test_destroy_removes_the_database_and_its_sidecars() -> None:
    path = context().history_path
    with open_store() as db:
        db.add_sets([make_set()])
        held = Path(str(path) + "-wal"), Path(str(path) + "-shm")
        assert all(p.exists() for p in held)
    # A crash leaves the sidecars behind; recreate that state.
    for sidecar in held:
        sidecar.write_bytes(b"")
    stamp = Path(str(path) + "-verified")  # the note an earlier version kept beside it
    stamp.write_text("heelcoach-verified 1\n")
    assert sorted(store.destroy(context().history_path)) == sorted([path, *held, stamp])
    assert not any(p.exists() for p in (path, *held, stamp))
    assert store.destroy(context().history_path) == []
    with open_store() as db:
        assert db.count_sets() == 0


def test_reader_on_a_fresh_machine_creates_nothing(heelcoach_home: Path) -> None:
    heelcoach_home.rmdir()
    with open_store(create=False) as db:
        assert db.writable is False
        assert db.sets() == [] and db.count_sets() == 0
        assert db.latest_logged_set() is None
        assert db.daily_volume(DAY, DAY) == []
        assert db.sessions() == [] and db.checkins() == []
        with pytest.raises(Refused, match="no history"):
            db.add_sets([make_set()])
    assert not heelcoach_home.exists()


def test_reader_sees_an_existing_history() -> None:
    record = make_set()
    with open_store() as db:
        db.add_sets([record])
    with open_store(create=False) as db:
        assert db.writable is True
        assert db.sets() == [record]


def test_an_sqlite_file_with_nothing_in_it_is_adopted_as_new() -> None:
    path = context().history_path
    conn = raw(path)  # as an earlier version left it when killed before its first commit
    conn.execute("PRAGMA journal_mode = WAL")
    conn.close()
    assert path.stat().st_size > 0
    with open_store() as db:
        assert db.add_sets([make_set()])
    assert raw(path).execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_closed_store_cannot_be_used() -> None:
    db = open_store()
    db.close()
    db.close()  # closing twice is harmless
    with pytest.raises(RuntimeError):
        db.count_sets()


# ----------------------------------------------------------------------------- migrations


def test_migrations_are_named_ordered_real_steps(tmp_path: Path) -> None:
    assert SCHEMA_VERSION == len(MIGRATIONS) >= 3
    names = [m.name for m in MIGRATIONS]
    assert len(set(names)) == len(names) and all(names)

    conn = raw(tmp_path / "steps.db")
    previous = set()
    for version in range(1, SCHEMA_VERSION + 1):
        assert schema.apply_migrations(conn, version) == version
        assert conn.execute("PRAGMA user_version").fetchone()[0] == version
        made = set(conn.execute("SELECT type, name, sql FROM sqlite_master").fetchall())
        assert made != previous, f"step {version} ({names[version - 1]}) changed nothing"
        previous = made


def _seed(conn: sqlite3.Connection, version: int) -> dict[str, object]:
    """Rows valid at schema `version`, written with that version's columns only."""
    seeded: dict[str, object] = {}
    if version >= 1:
        seeded["set"] = make_set(side="right", reps=9, pain=4, session_id="old-session",
                                 source="live", note="from an old version")  # fmt: skip
        row = rows.to_row(seeded["set"])  # type: ignore[arg-type]
        count = 15 if version < 10 else 18  # version 10 added the landings heard
        columns = ", ".join(rows.SET_COLUMNS[:count])
        conn.execute(f"INSERT INTO sets ({columns}) VALUES ({','.join('?' * count)})",
                     row[:count])  # fmt: skip
    if version >= 2:
        seeded["session"] = SessionRecord("old-session", DAY, at(DAY, 8), at(DAY, 8, 30), 1,
                                          "finished")  # fmt: skip
        columns = 6 if version < 6 else 7  # version 6 added cleared_at
        conn.execute(
            f"INSERT INTO sessions VALUES ({', '.join('?' * columns)})",
            rows.to_row(seeded["session"])[:columns],  # type: ignore[arg-type]
        )
        seeded["checkin"] = CheckIn(DAY, 3, 4, at(DAY, 7))
        conn.execute(
            "INSERT INTO checkins VALUES (?, ?, ?, ?)",
            rows.to_row(seeded["checkin"]),  # type: ignore[arg-type]
        )
    return seeded


@pytest.mark.parametrize("version", range(SCHEMA_VERSION))
def test_every_older_version_is_migrated_forward_keeping_data(version: int) -> None:
    path = context().history_path
    conn = raw(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")  # as every version wrote it
    assert schema.apply_migrations(conn, version) == version
    seeded = _seed(conn, version)
    conn.close()
    assert raw(path).execute("PRAGMA user_version").fetchone()[0] == version

    with open_store() as db:
        assert db._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        if "set" in seeded:
            assert db.sets() == [seeded["set"]]
            assert db.add_sets([seeded["set"]]) == 0  # its uuid is still unique
        if "session" in seeded:
            assert db.sessions() == [seeded["session"]]
            assert db.checkin_for(DAY) == seeded["checkin"]
        # And the migrated file works at the current version.
        db.add_sets([make_set(set_number=2)])
        db.start_session(SessionRecord("new", DAY, at(DAY, 9), None, None, "running"))
        assert db.count_sets() == (2 if "set" in seeded else 1)
    indexes = {
        name for (name,) in raw(path).execute("SELECT name FROM sqlite_master WHERE type='index'")
    }
    assert {"sets_by_day", "sets_by_exercise_day"} <= indexes


def test_a_newer_schema_is_refused_and_left_unchanged() -> None:
    path = context().history_path
    with open_store() as db:
        db.add_sets([make_set()])
    conn = raw(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = sha256(path)
    with pytest.raises(Refused) as caught:
        open_store()
    message = str(caught.value)
    assert "newer heelcoach" in message and str(path) in message and "\n" not in message
    assert sha256(path) == before
    assert not Path(str(path) + "-wal").exists()
    with pytest.raises(Refused, match="newer"):
        open_store(create=False)
    assert sha256(path) == before


# ----------------------------------------------------------------------------- speed


BIG, PER_DAY = 35_000, 30


@pytest.fixture(scope="module")
def big_history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A heavy user's ten years and more: 35,000 sets over about 3 years, 4 exercises,
    built once for the speed tests."""
    path = tmp_path_factory.mktemp("big") / "history.db"
    start = date(2021, 1, 1)
    exercises = ("heel-drop", "heel-raise", "wall-hold", "toe-walk")
    records = []
    for i in range(BIG):
        day = start + timedelta(days=i // PER_DAY)
        begun = at(day, 6) + timedelta(seconds=i % PER_DAY * 60)
        records.append(
            make_set(
                day=day,
                exercise=exercises[i % 4],
                set_number=i % PER_DAY + 1,
                pain=i % 11,
                started_at=begun,
                ended_at=begun + timedelta(seconds=50),
            )
        )
    with Store.open(path) as db:
        assert db.add_sets(records) == BIG
    return path


def _plan(db: Store, sql: str, params: list[object] | None = None) -> str:
    rows = db._conn.execute(f"EXPLAIN QUERY PLAN {sql}", params or []).fetchall()
    return " | ".join(row[-1] for row in rows)


def _sets_sql(db: Store, query: dict) -> str:
    """The statement `db.sets(**query)` runs, its values in place."""
    statements: list[str] = []
    db._conn.set_trace_callback(statements.append)
    db.sets(**query)
    db._conn.set_trace_callback(None)
    (sql,) = statements
    return sql


@pytest.mark.parametrize(
    "query",
    [
        {"limit": 20},
        {"limit": 20, "newest_first": False},
        {"exercise": "heel-drop", "limit": 20},
        {"since": date(2022, 3, 1), "until": date(2022, 3, 21)},
        {"exercise": "wall-hold", "since": date(2022, 3, 1), "until": date(2022, 3, 21)},
    ],
)
def test_set_queries_use_an_index_and_no_sort(big_history: Path, query: dict) -> None:
    with Store.open(big_history) as db:
        plan = _plan(db, _sets_sql(db, query))
        assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, plan
        assert "TEMP B-TREE" not in plan, plan
        started = time.perf_counter()
        found = db.sets(**query)
        elapsed = time.perf_counter() - started
    assert found
    assert elapsed < 0.25, f"{query} took {elapsed:.3f}s"


def test_queries_over_a_heavy_users_history_are_fast(big_history: Path) -> None:
    with Store.open(big_history) as db:
        assert db.count_sets() == BIG
        started = time.perf_counter()
        latest = db.sets(limit=20)
        three_weeks = db.daily_volume(date(2022, 3, 1), date(2022, 3, 21))
        last = db.latest_logged_set()
        elapsed = time.perf_counter() - started
        volume_sql = "SELECT count(*) FROM sets WHERE day >= ? AND day <= ?"
        plan = _plan(db, volume_sql, ["2022-03-01", "2022-03-21"])
    assert len(latest) == 20
    assert latest[0].day == date(2021, 1, 1) + timedelta(days=(BIG - 1) // PER_DAY)
    assert len(three_weeks) == 21 * 4
    assert sum(row[2] for row in three_weeks) == 21 * PER_DAY
    assert last is not None
    assert "sets_by_day" in plan
    assert elapsed < 0.5, f"took {elapsed:.3f}s"


def test_every_write_takes_the_write_lock_up_front(db: Store) -> None:
    """BEGIN IMMEDIATE: a deferred transaction that reads and then writes can fail at once
    with "database is locked" under a concurrent writer, whatever the busy timeout."""
    statements: list[str] = []
    db._conn.set_trace_callback(statements.append)
    record = make_set()
    db.add_sets([record])
    db.delete_sets([record.uuid])
    db.start_session(SessionRecord("s", DAY, at(DAY, 8), None, None, "running"))
    db.finish_session("s", ended_at=at(DAY, 9), pain=1, status="finished")
    db.save_checkin(CheckIn(DAY, 1, 1, at(DAY, 7)))
    db._conn.set_trace_callback(None)

    begins = [s for s in statements if s.upper().startswith("BEGIN")]
    assert begins == ["BEGIN IMMEDIATE"] * 5
    assert [s for s in statements if s.upper() in ("COMMIT", "ROLLBACK")] == ["COMMIT"] * 5


def test_a_failed_write_is_rolled_back(db: Store) -> None:
    db.start_session(SessionRecord("s", DAY, at(DAY, 8), None, None, "running"))
    statements: list[str] = []
    db._conn.set_trace_callback(statements.append)
    with pytest.raises(BadInput):
        db.start_session(SessionRecord("s", DAY, at(DAY, 9), None, None, "running"))
    db._conn.set_trace_callback(None)
    assert statements[0] == "BEGIN IMMEDIATE" and statements[-1] == "ROLLBACK"
    assert not db._conn.in_transaction
    assert db.sessions() == [SessionRecord("s", DAY, at(DAY, 8), None, None, "running")]


def test_delete_sets_removes_exactly_the_given_sets() -> None:

    with open_store() as store:
        records = [make_set(set_number=n) for n in (1, 2, 3)]
        store.add_sets(records)
        assert store.delete_sets([records[0].uuid, "not-there", records[1].uuid]) == 2
        assert [r.uuid for r in store.sets()] == [records[2].uuid]


def test_session_pain_answer_keeps_when_the_session_ended() -> None:
    from heelcoach.storage.store import SessionRecord

    start = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    with open_store() as store:
        store.start_session(SessionRecord("s1", start.date(), start, None, None, "running"))
        store.finish_session(
            "s1", ended_at=start + timedelta(minutes=12), pain=None, status="finished"
        )
        store.set_session_pain("s1", 3)
        (session,) = store.sessions()
    assert (session.pain, session.ended_at) == (3, start + timedelta(minutes=12))


def test_the_inspection_knows_when_each_table_appears(tmp_path: Path) -> None:
    """`schema.TABLES` must follow MIGRATIONS: a new table needs its entry there."""
    for version in range(1, SCHEMA_VERSION + 1):
        conn = sqlite3.connect(":memory:", isolation_level=None)
        schema.apply_migrations(conn, version)
        tables = {
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        }
        assert tables == {t for t, (since, _) in schema.TABLES.items() if since <= version}
        schema.check_identity(tmp_path / f"v{version}.db", conn)  # refuses none of them
        conn.close()


def test_sessions_still_start_where_files_cannot_be_locked(
    db: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Some network folders refuse `flock`: a session starts anyway, and only the clock
    (STALE_SESSION_HOURS) decides when an unfinished one counts as interrupted."""
    import errno
    import fcntl

    def no_locks(fd: int, operation: int) -> None:
        raise OSError(errno.ENOLCK, "no locks available")

    monkeypatch.setattr(fcntl, "flock", no_locks)
    now = datetime.now(UTC)
    old = now - timedelta(hours=store.STALE_SESSION_HOURS + 1)
    db.start_session(SessionRecord("recent", now.date(), now, None, None, "running"))
    db.start_session(SessionRecord("old", old.date(), old, None, None, "running"))
    with open_store() as writer:
        statuses = {s.session_id: s.status for s in writer.sessions()}
    assert statuses == {"recent": "running", "old": "interrupted"}
