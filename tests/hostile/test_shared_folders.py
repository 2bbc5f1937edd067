"""A folder heelcoach did not create is never chmodded (a 1777 HEELCOACH_HOME keeps its
sticky bit and is refused), one another user owns is refused, and the parents it makes
are never world-writable, whatever the umask."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from conftest import snapshot
from helpers import assert_one_line_error, run_cli


def test_a_folder_others_can_write_is_refused_and_never_chmodded(tmp_path: Path) -> None:
    for mode in (0o1777, 0o777, 0o770):
        shared = tmp_path / f"shared-{mode:o}"
        shared.mkdir()
        shared.chmod(mode)
        env = {"HEELCOACH_HOME": str(shared)}
        for command in (["log", "heel-drop", "--reps", "10"], ["checkin", "--pain", "1",
                        "--stiffness", "1"], ["history"], ["export"]):  # fmt: skip
            result = run_cli(*command, env=env)
            assert_one_line_error(result, 1)
            assert "others" in result.stderr and str(shared) in result.stderr
        assert stat.S_IMODE(shared.stat().st_mode) == mode
        assert list(shared.iterdir()) == []

    old = os.umask(0)
    try:
        home = tmp_path / "new" / "nested" / "home"
        result = run_cli("log", "heel-drop", "--reps", "10", env={"HEELCOACH_HOME": str(home)})
    finally:
        os.umask(old)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    for parent in (tmp_path / "new", tmp_path / "new" / "nested"):
        assert not stat.S_IMODE(parent.stat().st_mode) & 0o022, oct(parent.stat().st_mode)
    assert stat.S_IMODE((home / "history.db").stat().st_mode) == 0o600


def test_a_folder_another_user_owns_is_refused_whatever_its_mode(tmp_path: Path) -> None:
    """Its owner could delete the history or swap the profile: mode bits are not enough."""
    theirs = tmp_path / "theirs"
    theirs.mkdir(mode=0o755)
    (theirs / "profile.json").write_text("{}", encoding="utf-8")
    other = 65534 if os.geteuid() != 65534 else 65533
    try:
        os.chown(theirs, other, other)
    except PermissionError:
        pytest.skip("giving a folder to another user needs root here")
    before = snapshot(theirs)
    env = {"HEELCOACH_HOME": str(theirs)}
    for command in (["log", "heel-drop", "--reps", "10"], ["history"], ["export"], ["plan"]):
        result = run_cli(*command, env=env)
        assert_one_line_error(result, 1)
        assert "another user" in result.stderr and str(theirs) in result.stderr
    assert snapshot(theirs) == before
    assert theirs.stat().st_uid == other
