"""A folder heelcoach did not create is never chmodded (a 1777 HEELCOACH_HOME keeps its
sticky bit and is refused), and the parents it makes are never world-writable, whatever
the umask."""

from __future__ import annotations

import os
import stat
from pathlib import Path

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
