"""Where the data and the cache live: `HEELCOACH_HOME` and `HEELCOACH_CACHE_DIR` when set,
else the platform's own user folders (the XDG ones on Linux)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from heelcoach.context import Context


@pytest.fixture
def no_overrides(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("HEELCOACH_HOME", "HEELCOACH_CACHE_DIR", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return tmp_path / "home"


@pytest.mark.skipif(sys.platform != "linux", reason="the XDG folders are Linux's")
def test_folders_follow_xdg(
    no_overrides: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert Context.from_environment().data_dir == no_overrides / ".local/share/heelcoach"
    assert Context.from_environment().cache_dir == no_overrides / ".cache/heelcoach"
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    ctx = Context.from_environment()
    assert ctx.data_dir == tmp_path / "data/heelcoach"
    assert ctx.cache_dir == tmp_path / "cache/heelcoach"


@pytest.mark.usefixtures("no_overrides")
def test_the_overrides_still_win(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEELCOACH_HOME", str(tmp_path / "mine"))
    monkeypatch.setenv("HEELCOACH_CACHE_DIR", "")
    monkeypatch.setenv("XDG_DATA_HOME", "/elsewhere")
    ctx = Context.from_environment()
    assert ctx.data_dir == tmp_path / "mine" and ctx.cache_dir is None
    monkeypatch.setenv("HEELCOACH_CACHE_DIR", str(tmp_path / "cache"))
    assert Context.from_environment().cache_dir == tmp_path / "cache"
