"""Start-up cost, checked by what each command imports (not timed; see bench/startup.py).

`-X importtime` lists every module a process imports. The fast commands (`--version`,
`log`, `checkin`) must not import Rich or YAML, and with a warm content cache no command
parses YAML at all. The content cache itself must follow every change to a content file.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml

from heelcoach.content import cache as catalogue
from tests.helpers import run_process as run_cli
from tests.helpers import write_answers

FAST = {
    "--version": ("--version",),
    "log": ("log", "heel-drop", "--reps", "10"),
    "checkin": ("checkin", "--pain", "3", "--stiffness", "2"),  # both: no terminal to ask
}
# Modules only the live session, the history tools or the handouts need.
NOT_FOR_PLAN = (
    "heelcoach.domain.session",
    "heelcoach.frontends.live",
    "heelcoach.services.history_edits",
    "heelcoach.domain.stats",
    "heelcoach.frontends.handouts",
    "heelcoach.services.home",
    "heelcoach.frontends.cli.render_history",
    "heelcoach.storage.transfer",
)


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private content cache, shared by this test's subprocesses."""
    folder = tmp_path / "content-cache"
    monkeypatch.setenv("HEELCOACH_CACHE_DIR", str(folder))
    return folder


@pytest.fixture
def profile(tmp_path: Path, cache_dir: Path) -> None:
    """A profile three weeks in; `screen` also warms the content cache."""
    start = date.today() - timedelta(weeks=3)
    result = run_cli(
        "screen", "--answers", str(write_answers(tmp_path)), "--start", start.isoformat()
    )
    assert result.returncode == 0, result.stderr
    assert len(list(cache_dir.glob("content-*.json"))) == 1


def imported(*args: str) -> set[str]:
    """Every module `heelcoach ARGS` imports, run as a separate process."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "heelcoach", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert result.returncode == 0, result.stderr
    modules = set()
    for line in result.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            modules.add(line.rsplit("|", 1)[1].strip())
    assert "heelcoach.frontends.cli.app" in modules  # the listing was read correctly
    return modules


def has(modules: set[str], package: str) -> bool:
    return any(name == package or name.startswith(package + ".") for name in modules)


@pytest.mark.usefixtures("profile")
def test_version_imports_no_content_and_no_store() -> None:
    modules = imported("--version")
    assert not has(modules, "heelcoach.content") and not has(modules, "sqlite3")


@pytest.mark.usefixtures("profile")
def test_plan_with_warm_cache_skips_yaml_and_the_session_modules() -> None:
    modules = imported("plan")
    assert not has(modules, "yaml"), "plan parses YAML although the cache is warm"
    unneeded = sorted(name for name in NOT_FOR_PLAN if name in modules)
    assert not unneeded, f"plan imports {unneeded}"


@pytest.mark.usefixtures("profile")
def test_history_with_warm_cache_skips_yaml() -> None:
    assert not has(imported("history"), "yaml")


def test_cold_cache_parses_yaml_once_then_never(cache_dir: Path) -> None:
    assert has(imported("exercises"), "yaml")  # nothing cached yet: parse the files
    assert not has(imported("exercises"), "yaml")


# --------------------------------------------------------------------------- the cache


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
