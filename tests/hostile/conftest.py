"""Shared set-up for the tests of hostile input: hostile data, seeded histories, a shared cache.

Each file here holds one guarantee against hostile or unlucky input (files, folders,
terminals, disks, other processes), tried the way an attacker or a failing machine would.
"""

from __future__ import annotations

import errno
import hashlib
import os
import subprocess
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from helpers import a_set

from heelcoach.content.cache import content_dir
from heelcoach.domain.records import SetRecord
from heelcoach.storage.transfer import export_row


@pytest.fixture(scope="session")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("hostile-cache")


@pytest.fixture(autouse=True)
def quiet_and_cached(shared_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("HEELCOACH_CACHE_DIR", str(shared_cache))
    monkeypatch.setenv("NO_COLOR", "1")
    yield


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(folder: Path) -> dict[str, str]:
    """Every regular file in `folder` (not below it) by name, with its checksum."""
    return {p.name: sha256(p) for p in sorted(folder.iterdir()) if p.is_file()}


def make_set(n: int = 1, day: date | None = None, **overrides: object) -> SetRecord:
    day = day or date.today() - timedelta(days=1)
    begun = datetime(day.year, day.month, day.day, 8, tzinfo=UTC) + timedelta(minutes=n)
    usual = {"set_number": n, "reps": 12, "target_reps": 12, "pain": 2}
    return a_set(day, begun, 45, **{**usual, **overrides})


def set_row(**overrides: object) -> dict[str, object]:
    """One set as an export line carries it (yesterday, 10 reps, imported), then changed."""
    record = make_set(reps=10, target_reps=None, pain=None, source="import")
    return {**export_row(record), **overrides}


def user_exercise(**overrides: object) -> dict[str, object]:
    """A valid exercise of a person's own, based on the built-in heel drop."""
    library = yaml.safe_load((content_dir() / "exercises.yaml").read_text(encoding="utf-8"))
    exercise = dict(library["exercises"][0])
    exercise.update({"id": "my-drop", "name": "My drop", "variant_of": None})
    exercise.update(overrides)
    return exercise


def write_user_exercise(home: Path, text: str, name: str = "mine.yaml") -> Path:
    folder = home / "exercises"
    folder.mkdir(exist_ok=True)
    target = folder / name
    target.write_text(text, encoding="utf-8")
    return target


def reparse_content() -> None:
    """Make the next command of this process read the content again (cache or YAML).

    A process parses the content once (`content.loader` keeps it); the tests that damage
    the cache must see what a fresh process would.
    """
    from heelcoach.content import loader

    loader._loaded.clear()


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path | None]:
    """A 2 MB file system of its own (tmpfs), or None where mounting is not allowed."""
    mount = tmp_path / "disk"
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "tmpfs", str(mount)],
        capture_output=True,
        check=False,
    )
    if made.returncode != 0:
        yield None
        return
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(folder: Path) -> None:
    """Fill the file system holding `folder` up to the last byte."""
    fd = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            os.write(fd, b"\0" * 4096)
    except OSError as error:
        assert error.errno == errno.ENOSPC
    finally:
        os.close(fd)
