"""The history store under stress: kill -9, concurrent writers, damaged or foreign files,
a full disk and a read-only folder. Nothing acknowledged may be lost, nothing refused may be
touched, and every failure must be one clean line.
"""

from __future__ import annotations

import hashlib
import os
import random
import selectors
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from helpers import as_nobody, context, open_store

from heelcoach.domain.records import SetRecord
from heelcoach.errors import HeelcoachError, Refused
from heelcoach.storage.store import Store

REPO = Path(__file__).resolve().parents[1]

# Shared by the child processes: build a plausible set numbered n.
_CHILD_PRELUDE = textwrap.dedent(
    """
    import os, sys, time
    from datetime import datetime, timedelta, timezone
    from pathlib import Path
    from heelcoach.domain.records import SetRecord
    from heelcoach.storage.store import Store

    HISTORY = Path(os.environ["HEELCOACH_HOME"]) / "history.db"

    def make(n):
        now = datetime.now(timezone.utc)
        return SetRecord(
            uuid=SetRecord.new_uuid(), exercise="heel-drop", set_number=n, side="left",
            reps=10, seconds=None, target_reps=10, target_seconds=None, pain=1,
            day=now.date(), started_at=now - timedelta(seconds=40), ended_at=now,
            session_id="stress", source="live",
        )

    def say(text):
        sys.stdout.write(text + "\\n")
        sys.stdout.flush()
    """
)

KILL_WRITER = _CHILD_PRELUDE + textwrap.dedent(
    """
    with Store.open(HISTORY) as db:
        say("ready")
        n = 0
        while True:
            n += 1
            if n % 3:
                record = make(n)
                db.add_sets([record])
                say(record.uuid)  # only after add_set has returned: acknowledged
            else:
                batch = [make(n), make(n)]
                db.add_sets(batch)
                for record in batch:
                    say(record.uuid)
    """
)

RACE_WRITER = _CHILD_PRELUDE + textwrap.dedent(
    """
    barrier, count, reopen = sys.argv[1], int(sys.argv[2]), sys.argv[3] == "reopen"
    say("ready")
    deadline = time.monotonic() + 60
    while not os.path.exists(barrier):
        if time.monotonic() > deadline:
            sys.exit("the barrier never opened")
        time.sleep(0.0005)
    db = Store.open(HISTORY)
    for n in range(1, count + 1):
        if reopen:  # open/inspect/migrate/close races too
            db.close()
            db = Store.open(HISTORY)
        record = make(n)
        assert db.add_sets([record]), "a fresh uuid was not inserted"
        say(record.uuid)
    db.close()
    """
)


def history() -> Path:
    return context().history_path


def make_set(n: int = 1, day: date = date(2024, 5, 6)) -> SetRecord:
    begun = datetime(day.year, day.month, day.day, 8, tzinfo=UTC) + timedelta(minutes=n)
    return SetRecord(
        uuid=SetRecord.new_uuid(), exercise="heel-drop", set_number=n, side=None, reps=12,
        seconds=None, target_reps=12, target_seconds=None, pain=2, day=day,
        started_at=begun, ended_at=begun + timedelta(seconds=45), session_id=None,
        source="log", note="x" * 40,
    )  # fmt: skip


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sidecars(path: Path) -> list[Path]:
    return [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm", "-journal")]


def stored_uuids(path: Path | None = None) -> set[str]:
    with Store.open(path or history()) as db:
        return {record.uuid for record in db.iter_all_sets()}


def assert_one_clean_line(error: BaseException, *words: str) -> None:
    message = str(error)
    assert isinstance(error, HeelcoachError), repr(error)
    assert message and "\n" not in message and "Traceback" not in message, message
    for word in words:
        assert word in message, f"{word!r} not in {message!r}"


# ----------------------------------------------------------------------------- processes


class Children:
    """Child Python processes that are always killed and reaped when the test ends."""

    def __init__(self) -> None:
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(self, code: str, *args: str) -> subprocess.Popen[bytes]:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
        proc = subprocess.Popen(
            [sys.executable, "-c", code, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            cwd=REPO,
        )
        self.procs.append(proc)
        return proc

    def cleanup(self) -> None:
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()
            proc.wait(timeout=10)
            for stream in (proc.stdout, proc.stderr):
                if stream is not None:
                    stream.close()


@pytest.fixture
def children() -> Iterator[Children]:
    spawned = Children()
    try:
        yield spawned
    finally:
        spawned.cleanup()


class LineReader:
    """Read whole lines from a child's stdout with a deadline, never blocking forever."""

    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        assert proc.stdout is not None
        self.proc = proc
        self.fd = proc.stdout.fileno()
        self.buffer = b""
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.fd, selectors.EVENT_READ)

    def lines(self, count: int, timeout: float = 30.0) -> list[str]:
        deadline = time.monotonic() + timeout
        while self.buffer.count(b"\n") < count:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"child gave too few lines in {timeout}s: {self.stderr()}")
            if self.selector.select(left) and not self._read_some():
                raise AssertionError(f"child ended early: {self.stderr()}")
        return self._take(count)

    def rest(self) -> list[str]:
        """Whole lines still buffered or in the pipe after the child has ended."""
        while self._read_some():
            pass
        return self._take(self.buffer.count(b"\n"))

    def _read_some(self) -> bool:
        chunk = os.read(self.fd, 65536)
        self.buffer += chunk
        return bool(chunk)

    def _take(self, count: int) -> list[str]:
        *taken, self.buffer = self.buffer.split(b"\n", count)
        return [line.decode() for line in taken]

    def stderr(self) -> str:
        if self.proc.poll() is None or self.proc.stderr is None:
            return "(still running)"
        return self.proc.stderr.read().decode(errors="replace")


# ----------------------------------------------------------------------------- kill -9


@pytest.mark.parametrize("after", [5, 150])
def test_kill_9_loses_no_acknowledged_set(children: Children, after: int) -> None:
    writer = children.start(KILL_WRITER)
    reader = LineReader(writer)
    assert reader.lines(1) == ["ready"]
    acknowledged = reader.lines(after)
    writer.send_signal(signal.SIGKILL)
    assert writer.wait(timeout=10) == -signal.SIGKILL
    acknowledged += reader.rest()  # printed before the kill, still in the pipe
    assert len(acknowledged) >= after and all(len(u) == 36 for u in acknowledged)

    path = history()
    assert Path(f"{path}-wal").exists()  # it really died mid-flight, without a clean close
    kept = stored_uuids()
    missing = set(acknowledged) - kept
    assert not missing, f"{len(missing)} acknowledged sets lost"
    # At most the one set in flight at the kill may be stored without being acknowledged.
    assert len(kept) - len(acknowledged) <= 2
    with sqlite3.connect(path) as check:
        assert check.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


# ----------------------------------------------------------------------------- concurrency


@pytest.mark.parametrize("mode", ["keep-open", "reopen"])
def test_four_writers_at_once_all_land(
    children: Children, heelcoach_home: Path, tmp_path: Path, mode: str
) -> None:
    barrier = tmp_path / "go"
    writers = [children.start(RACE_WRITER, str(barrier), "25", mode) for _ in range(4)]
    readers = [LineReader(proc) for proc in writers]
    for reader in readers:
        assert reader.lines(1) == ["ready"]
    assert not history().exists()  # they also race to create the file
    barrier.touch()

    printed: list[str] = []
    for proc, reader in zip(writers, readers, strict=True):
        printed += reader.lines(25, timeout=60)
        assert proc.wait(timeout=60) == 0, reader.stderr()
        assert proc.stderr is not None
        errors = proc.stderr.read().decode(errors="replace")
        assert "database is locked" not in errors
        assert errors == "", errors

    assert len(set(printed)) == 100
    with open_store() as db:
        assert db.count_sets() == 100
    assert stored_uuids() == set(printed)


# ----------------------------------------------------------------------------- bad files


def build_real_history(path: Path, count: int = 3000) -> set[str]:
    """A real heelcoach history of `count` sets, closed cleanly (no -wal/-shm left)."""
    records = [make_set(n % 90 + 1, date(2024, 1, 1) + timedelta(days=n // 6))
               for n in range(count)]  # fmt: skip
    with Store.open(path) as db:
        db.add_sets(records)
    assert not any(p.exists() for p in sidecars(path))
    return {r.uuid for r in records}


def corrupt_middle_page(path: Path, avoid: set[int] = frozenset()) -> None:
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    pages = len(data) // page_size
    page = pages // 2
    while page + 1 in avoid:  # page numbers are 1-based
        page += 1
    noise = random.Random(1234).randbytes(page_size)
    data[page * page_size : (page + 1) * page_size] = noise
    path.write_bytes(bytes(data))


def make_foreign_sqlite(path: Path, *, wal: bool = False) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    if wal:
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO recipes (name) VALUES ('soup'), ('bread')")
    conn.close()


def _corrupt(path: Path) -> None:
    build_real_history(path)
    corrupt_middle_page(path)


def _truncate(path: Path) -> None:
    build_real_history(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


BAD_FILES: dict[str, tuple[Callable[[Path], None], str]] = {
    "corrupt-page": (_corrupt, "damaged"),
    "truncated": (_truncate, "damaged"),
    "foreign-sqlite": (make_foreign_sqlite, "not a heelcoach history"),
    "foreign-sqlite-wal": (lambda p: make_foreign_sqlite(p, wal=True), "not a heelcoach history"),
    "plain-text": (lambda p: p.write_text("my heel diary\nday 1: sore\n"), "not a heelcoach"),
    "short-header": (lambda p: p.write_bytes(b"SQLite format 3\x00\x10\x00"), "damaged"),
}


@pytest.mark.parametrize("create", [True, False], ids=["writer", "reader"])
@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_bad_files_are_refused_and_left_untouched(kind: str, create: bool) -> None:
    path = history()
    build, words = BAD_FILES[kind]
    build(path)
    before = sha256(path)
    stat_before = path.stat()
    assert not any(p.exists() for p in sidecars(path))

    with pytest.raises(Refused) as caught:
        Store.open(history(), create=create)
    assert_one_clean_line(caught.value, words, str(path))
    if words == "damaged":
        assert f"sqlite3 {path} .recover" in str(caught.value)
        assert "keep a copy" in str(caught.value)

    assert sha256(path) == before
    assert path.stat().st_mtime_ns == stat_before.st_mtime_ns
    assert path.stat().st_mode == stat_before.st_mode
    assert [p for p in sidecars(path) if p.exists()] == []
    # Refusing again (e.g. the next command) changes nothing either.
    with pytest.raises(Refused):
        open_store()
    assert sha256(path) == before


def test_damaged_file_after_a_crash_keeps_its_wal(tmp_path: Path) -> None:
    """The -wal of a crashed session holds committed sets: never delete or rewrite it."""
    source = tmp_path / "live" / "history.db"
    build_real_history(source)
    db = Store.open(source)
    db.add_sets([make_set(n) for n in range(1, 20)])
    path = history()
    for original in (source, *sidecars(source)[:2]):  # a crash: db, -wal and -shm remain
        shutil.copyfile(original, path.parent / original.name)
    db.close()

    wal = Path(f"{path}-wal")
    wal_bytes = wal.read_bytes()
    page_size = int.from_bytes(path.read_bytes()[16:18], "big")
    in_wal = {
        int.from_bytes(wal_bytes[offset : offset + 4], "big")
        for offset in range(32, len(wal_bytes), 24 + page_size)
    }
    assert in_wal  # the test only means something if the WAL holds pages
    corrupt_middle_page(path, avoid=in_wal)  # damage a page the WAL does not cover
    before, wal_before = sha256(path), sha256(wal)

    with pytest.raises(Refused) as caught:
        open_store()
    assert_one_clean_line(caught.value, "damaged", str(path))
    assert sha256(path) == before
    assert sha256(wal) == wal_before
    assert Path(f"{path}-shm").exists()


# ----------------------------------------------------------------------------- full disk


def test_full_disk_fails_cleanly_and_keeps_what_was_stored() -> None:
    path = history()
    first = [make_set(n) for n in range(1, 51)]
    with open_store() as db:
        db.add_sets(first)
        page_count = db._conn.execute("PRAGMA page_count").fetchone()[0]

    acknowledged = {r.uuid for r in first}
    with Store.open(history()) as db:
        db._conn.execute(f"PRAGMA max_page_count = {page_count + 3}")  # a disk nearly full
        big_batch = [make_set(n % 90 + 1) for n in range(5000)]
        with pytest.raises(HeelcoachError) as caught:
            db.add_sets(big_batch)
        assert_one_clean_line(caught.value, "full", str(path))
        assert db.count_sets() == 50  # the failed batch was rolled back whole

        # One at a time until the disk is full: everything acknowledged must stay.
        with pytest.raises(HeelcoachError) as caught:
            for n in range(5000):
                record = make_set(n % 90 + 1)
                db.add_sets([record])
                acknowledged.add(record.uuid)
        assert_one_clean_line(caught.value, "full")
        assert len(acknowledged) > 50
        assert {r.uuid for r in db.sets()} == acknowledged
        # The store is still usable for reading and for changes that fit.
        assert db.delete_sets([first[0].uuid])
        acknowledged.discard(first[0].uuid)

    assert stored_uuids() == acknowledged
    with sqlite3.connect(path) as check:
        assert check.execute("PRAGMA integrity_check").fetchall() == [("ok",)]


# ----------------------------------------------------------------------------- read-only


def _readonly_scenario(base: Path) -> dict[str, object]:
    """Runs as a user that file permissions apply to; returns what happened, as JSON data."""
    result: dict[str, object] = {}

    def attempt(label: str) -> None:
        try:
            with open_store() as db:
                db.add_sets([make_set(99)])
            result[label] = None
        except HeelcoachError as exc:
            result[label] = [type(exc).__name__, str(exc)]

    # 1. An existing history; file and folder made read-only.
    home = base / "existing"
    os.environ["HEELCOACH_HOME"] = str(home)
    with open_store() as db:
        db.add_sets([make_set(n) for n in range(1, 4)])
    stored = sorted(stored_uuids())
    db_path = history()
    db_path.chmod(0o400)
    home.chmod(0o500)
    attempt("file_and_folder")
    # 2. Only the folder read-only: SQLite cannot create its -wal/-shm there.
    db_path.chmod(0o600)
    attempt("folder_only")
    home.chmod(0o700)
    result["kept"] = sorted(stored_uuids()) == stored
    result["path"] = str(db_path)

    # 3. No history yet and the folder is read-only.
    empty = base / "empty"
    empty.mkdir(mode=0o500)
    os.environ["HEELCOACH_HOME"] = str(empty)
    attempt("new_in_readonly_folder")
    result["created"] = (empty / "history.db").exists()
    empty.chmod(0o700)
    return result


def test_read_only_folder_gives_one_clean_line() -> None:
    base = Path(tempfile.mkdtemp(prefix="heelcoach-ro-"))
    try:
        result = as_nobody(_readonly_scenario, base)
    finally:
        for folder in (base, *base.iterdir()):
            folder.chmod(0o700)
        shutil.rmtree(base)
    if "skip" in result:
        pytest.skip(f"running as root and {result['skip']}; root ignores permissions")
    assert "crash" not in result, result
    if result["file_and_folder"] is None:
        pytest.skip("writes to a read-only file and folder succeeded: permissions not enforced")
    for label in ("file_and_folder", "folder_only", "new_in_readonly_folder"):
        outcome = result[label]
        assert outcome is not None, f"{label}: the write unexpectedly succeeded"
        kind, message = outcome  # type: ignore[misc]
        assert kind == "Refused", outcome
        assert message and "\n" not in message
        assert "writable" in message and "HEELCOACH_HOME" in message, message
    assert str(result["path"]) in result["file_and_folder"][1]  # type: ignore[index]
    assert result["kept"] is True
    assert result["created"] is False
