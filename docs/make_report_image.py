"""Regenerate the README's report screenshot: `python docs/make_report_image.py`.

Writes images/report.png, next to this script: the first page of `heelcoach report` for
a sample person (bench/sample_answers.yaml) after sixteen weeks of training, made by
bench/year_history.py and put in with `heelcoach import`, as headless Chromium shows it
at A4 proportions. Dates and the history are fixed, and nothing is read from or written
to the real data folder (a temporary HEELCOACH_HOME and content cache are used).

Needs Chromium (Debian: `apt-get install chromium`).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date, datetime, time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]  # run from a checkout without installing

START = date(2026, 1, 5)  # a Monday: program week 1
TODAY = date(2026, 4, 22)  # the Wednesday of week 16
WEEKS = 16
WINDOW = "--window-size=1240,1754"  # A4 proportions, 150 dots an inch
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)


def heelcoach(*args: str) -> None:
    from heelcoach.context import Context
    from heelcoach.frontends.cli.app import run

    out, err = io.StringIO(), io.StringIO()
    ctx = Context.from_environment(
        stdout=out, stderr=err, now=lambda: datetime.combine(TODAY, time(9)).astimezone()
    )
    if run(list(args), ctx) != 0:
        raise SystemExit(f"heelcoach {' '.join(args)} failed: {err.getvalue().strip()}")


def sample_report(scratch: Path) -> Path:
    """The sample person's report, from a history imported as a person would."""
    import year_history

    from heelcoach.context import Context
    from heelcoach.services import common

    heelcoach(
        "screen",
        "--answers",
        str(ROOT / "bench" / "sample_answers.yaml"),
        "--start",
        START.isoformat(),
    )
    ctx = Context.from_environment()
    library = common.library(ctx)
    profile = common.load_profile(ctx, library)
    assert profile is not None
    made = year_history.sample(profile, library, TODAY)
    export = scratch / "history.jsonl"
    year_history.write_export(export, made.rows)
    heelcoach("import", str(export))
    with common.open_store(ctx, create=True) as store:
        year_history.add_the_rest(store, made)
    page = scratch / "report.html"
    heelcoach("report", "--weeks", str(WEEKS), "--output", str(page))
    return page


def main() -> None:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("needs chromium (Debian: apt-get install chromium)")
    target = HERE / "images" / "report.png"
    with tempfile.TemporaryDirectory(prefix="heelcoach-images-") as folder:
        scratch = Path(folder)
        os.environ["HEELCOACH_HOME"] = str(scratch / "home")
        os.environ["HEELCOACH_CACHE_DIR"] = str(scratch / "cache")
        page = sample_report(scratch)
        subprocess.run(
            [
                chromium,
                *FLAGS,
                f"--user-data-dir={scratch / 'browser'}",
                WINDOW,
                f"--screenshot={target}",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )
    print(f"wrote {target.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
