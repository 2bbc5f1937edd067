"""The content cache follows every change to a content file, and two installs sharing one
cache folder keep their own entries."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from heelcoach.content import cache as catalogue
from tests.helpers import run_process as run_cli


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private content cache, shared by this test's subprocesses."""
    folder = tmp_path / "content-cache"
    monkeypatch.setenv("HEELCOACH_CACHE_DIR", str(folder))
    return folder


def user_exercise(base_id: str, name: str) -> str:
    """A valid user exercise file: a copy of a built-in one under a new id and name."""
    raw = yaml.safe_load((catalogue.content_dir() / "exercises.yaml").read_text())
    exercise = {
        **next(e for e in raw["exercises"] if e["id"] == base_id),
        "id": "my-drop",
        "name": name,
    }
    return yaml.safe_dump({"exercises": [exercise]}, sort_keys=False)


def shown_name(cache_dir: Path) -> str:
    """What a fresh process, reading through the cache, calls the user exercise."""
    result = run_cli("show", "my-drop")
    assert result.returncode == 0, result.stderr
    assert len(list(cache_dir.glob("content-*.json"))) == 1
    return result.stdout


def test_cache_follows_an_edited_file(heelcoach_home: Path, cache_dir: Path) -> None:
    mine = heelcoach_home / "exercises" / "mine.yaml"
    mine.parent.mkdir()
    mine.write_text(user_exercise("heel-drop", "Kitchen drop"))
    assert "Kitchen drop" in shown_name(cache_dir)
    mine.write_text(user_exercise("heel-drop", "Hallway drop, longer name"))
    assert "Hallway drop" in shown_name(cache_dir)


def test_cache_follows_a_removed_file(heelcoach_home: Path, cache_dir: Path) -> None:
    mine = heelcoach_home / "exercises" / "mine.yaml"
    mine.parent.mkdir()
    mine.write_text(user_exercise("heel-drop", "Kitchen drop"))
    assert "Kitchen drop" in shown_name(cache_dir)
    mine.unlink()
    assert run_cli("show", "my-drop").returncode == 2


def test_cache_follows_a_same_size_edit_within_one_timestamp_tick(
    heelcoach_home: Path, cache_dir: Path
) -> None:
    mine = heelcoach_home / "exercises" / "mine.yaml"
    mine.parent.mkdir()
    mine.write_text(user_exercise("heel-drop", "Kitchen drop"))
    assert "Kitchen drop" in shown_name(cache_dir)
    stamp = mine.stat().st_mtime_ns
    mine.write_text(user_exercise("heel-drop", "Hallway drop"))  # same length
    os.utime(mine, ns=(stamp, stamp))  # as a coarse clock would have stamped it
    assert "Hallway drop" in shown_name(cache_dir)


def test_two_installs_sharing_a_cache_folder_keep_their_own_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from heelcoach.content import loader

    shared, user_dir = tmp_path / "shared-cache", tmp_path / "exercises"
    installs = [catalogue.content_dir(), tmp_path / "second-install" / "content"]
    shutil.copytree(installs[0], installs[1])
    for install in installs:  # each fills its own entry
        monkeypatch.setattr(catalogue, "content_dir", lambda where=install: where)
        loader._loaded.clear()
        loader.load_library(user_dir, shared)
    assert len(list(shared.glob("content-*.json"))) == 2

    def no_parsing(files: object) -> None:
        raise AssertionError("parsed the YAML again: the other install evicted this entry")

    monkeypatch.setattr(loader, "_parse_and_check", no_parsing)
    for install in installs:
        monkeypatch.setattr(catalogue, "content_dir", lambda where=install: where)
        loader._loaded.clear()
        assert loader.load_library(user_dir, shared).exercises
