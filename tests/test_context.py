"""Where the data and the cache live without `HEELCOACH_HOME`: exactly where
platformdirs puts them, whether heelcoach works it out itself (the fast way, on Linux)
or asks platformdirs."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs
import pytest

from heelcoach.context import Context

CASES = [
    {},  # nothing set: under HOME
    {"XDG_DATA_HOME": "", "XDG_CACHE_HOME": ""},
    {"XDG_DATA_HOME": "/srv/people/ana/data", "XDG_CACHE_HOME": "/var/tmp/ana-cache/"},
    {"XDG_DATA_HOME": "relative/data", "XDG_CACHE_HOME": "relative/cache"},
    {"XDG_DATA_HOME": "   ", "XDG_CACHE_HOME": " /spaced"},
    {"HOME": "/home/ana/"},
    {"HOME": "//"},
    {"HOME": "/"},
    {"HOME": "not/absolute"},
]


@pytest.mark.parametrize("overrides", CASES, ids=[str(case) for case in CASES])
def test_folders_match_platformdirs(
    overrides: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("HEELCOACH_HOME", "HEELCOACH_CACHE_DIR", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    for name, value in overrides.items():
        monkeypatch.setenv(name, value)
    ctx = Context.from_environment()
    assert ctx.data_dir == Path(platformdirs.user_data_path("heelcoach"))
    assert ctx.cache_dir == Path(platformdirs.user_cache_path("heelcoach"))


def test_the_overrides_still_win(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEELCOACH_HOME", str(tmp_path / "mine"))
    monkeypatch.setenv("HEELCOACH_CACHE_DIR", "")
    monkeypatch.setenv("XDG_DATA_HOME", "/elsewhere")
    ctx = Context.from_environment()
    assert ctx.data_dir == tmp_path / "mine" and ctx.cache_dir is None


def test_an_everyday_command_does_not_load_platformdirs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from test_startup import has, imported

    monkeypatch.delenv("HEELCOACH_HOME")
    monkeypatch.delenv("HEELCOACH_CACHE_DIR", raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    if sys.platform != "linux":
        pytest.skip("the fast way is for Linux")
    assert not has(imported("--version"), "platformdirs")
