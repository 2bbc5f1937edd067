"""A programme start far in the past or future (`screen --start 0001-01-01`, `9999-12-31`)
is refused, so no later command slows down or fails."""

from __future__ import annotations

import json
import time
from pathlib import Path

from helpers import assert_one_line_error, run_cli, write_answers


def test_start_dates_far_from_today_are_refused_and_never_saved(
    tmp_path: Path, heelcoach_home: Path
) -> None:
    answers = str(write_answers(tmp_path))
    for start in ("0001-01-01", "1900-01-01", "9999-12-31", "3000-01-01"):
        result = run_cli("screen", "--answers", answers, "--start", start)
        assert_one_line_error(result, 2)
        assert "--start" in result.stderr
        assert not (heelcoach_home / "profile.json").exists()

    # A profile edited by hand to such a day is refused as damaged, quickly.
    assert run_cli("screen", "--answers", answers).returncode == 0
    saved = json.loads((heelcoach_home / "profile.json").read_text())
    for created in ("0001-01-01", "9999-12-31"):
        (heelcoach_home / "profile.json").write_text(json.dumps({**saved, "created": created}))
        for command in (["plan"], ["plan", "--json"], ["start", "-y"], ["stats"], []):
            began = time.monotonic()
            result = run_cli(*command)
            assert_one_line_error(result, 2)
            assert time.monotonic() - began < 5
