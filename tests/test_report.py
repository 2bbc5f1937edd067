"""`heelcoach report`: an empty history, one week, a year (imported), the JSON contract,
the private output file, and the page in a real browser (headless Chromium).

The histories are made the way a person makes them: the real `screen --answers`, sets
through the store (one week, `Person` from test_progression) or `heelcoach import` of an
export file (a year, bench/year_history.py).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import assert_one_line_error, content_library, open_store, run_cli, saved_profile
from report_checks import check_structure, png_pixels
from test_progression import START, Person

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import year_history

ONE_WEEK_LATER = START + timedelta(days=8)
HYPHENATED_IDS = re.compile(r"\b[a-z]+(?:-[a-z]+)+\b")
CHROMIUM_FLAGS = (
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
BROWSER_TIMEOUT = 60


def report(*args: str, today: date = ONE_WEEK_LATER) -> str:
    result = run_cli("report", *args, today=today)
    assert result.returncode == 0, result.stderr
    return result.stdout


def report_json(*args: str, today: date = ONE_WEEK_LATER) -> dict[str, Any]:
    return json.loads(report("--format", "json", *args, today=today))  # type: ignore[no-any-return]


def one_week(tmp_path: Path) -> Person:
    """Week 1 trained as planned, one painful day, check-ins, and a hop test."""
    person = Person(tmp_path, goals=["bone", "achilles"], days_per_week=4)
    person.live_week(1)
    monday = START + timedelta(days=7)
    items = person.plan_on(monday).day(monday).items  # type: ignore[union-attr]
    person.train(monday, items, 7, 1.0, None, "heel-drop")
    person.test("hops", 3, START + timedelta(days=3))
    return person


def assert_sound_html(text: str) -> None:
    """Valid structure, nothing outside the file, names rather than ids."""
    assert text.startswith("<!DOCTYPE html>")
    page = check_structure(text)
    assert not page.errors, page.errors
    assert page.stack == [], f"unclosed: {page.stack}"
    assert page.counts.get("h1") == 1 and page.title.strip() and page.html_lang == "en"
    assert page.counts.get("script", 0) == 0
    assert page.counts.get("svg") == 3 and page.svg_first_child == ["title"] * 3
    assert set(page.labelledby) <= page.ids
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*https?:""", text, re.I)
    assert "default-src 'none'" in text
    words = " ".join(page.text)
    ids = {e.id for e in content_library().exercises.values() if "-" in e.id}
    assert not ids & set(HYPHENATED_IDS.findall(words)), "an exercise id shown to a person"


# --------------------------------------------------------------------------- histories


def test_an_empty_history_reports_the_plan_and_no_numbers(tmp_path: Path) -> None:
    Person(tmp_path)
    data = report_json(today=START)
    assert [w["week"] for w in data["weeks"]] == [1]
    week = data["weeks"][0]
    assert week["done_sets"] == 0 and week["planned_sets"] > 0 and week["in_progress"]
    assert week["pain_max"] is None and week["morning_pain"] is None and week["impacts"] == 0
    assert week["adherence"] is None  # not judged while in progress
    assert data["totals"]["planned_sets"] == 0 and data["totals"]["adherence"] is None
    assert data["programme"]["kind"] == "built-in"
    assert data["current_plan"]["week"] == 1
    assert_sound_html(report(today=START))
    assert "| 1 (now) |" in report("--format", "markdown", today=START)


def test_one_week_shows_numbers_tests_changes_and_stops(tmp_path: Path) -> None:
    one_week(tmp_path)
    data = report_json()
    first, second = data["weeks"]
    assert first["done_sets"] == first["planned_sets"] > 0 and first["adherence"] == 1.0
    assert first["morning_pain"] == 1.0 and first["impacts"] > 0
    assert first["tests"] == [
        {
            "date": "2026-01-08",
            "test": "hops",
            "name": "10 double-leg hops",
            "result": "pain 3/10",
            "passed": True,
        },
    ]
    assert any(c["kind"] == "moved-on" for c in first["changes"])
    stops = second["pain_stops"]
    assert stops == [
        {"date": "2026-01-12", "exercise": "heel-drop", "name": "Heel drop", "pain": 7, "notes": []}
    ]
    assert any(
        c["kind"] == "stepped-back-pain" and c["name"] == "Heel drop" for c in second["changes"]
    )
    assert data["totals"]["pain_stops"] == 1 and data["totals"]["emergency_stops"] == 0
    html = report()
    assert_sound_html(html)
    assert "Pain stop 2026-01-12: Heel drop hurt 7/10" in html
    markdown = report("--format", "markdown")
    assert markdown.startswith("# Heel exercise report") and "<" not in markdown
    assert markdown.count("\n| 1 |") == 1 and "Heel drop hurt 7/10" in markdown


def test_a_year_imported_from_an_export(tmp_path: Path) -> None:
    today = START + timedelta(days=364)
    Person(tmp_path)
    profile = saved_profile()
    assert profile is not None
    made = year_history.sample(profile, content_library(), today)
    export = tmp_path / "year.jsonl"
    year_history.write_export(export, made.rows)
    imported = run_cli("import", str(export), today=today)
    assert imported.returncode == 0, imported.stderr
    with open_store() as store:
        year_history.add_the_rest(store, made)
    started = time.perf_counter()
    data = report_json("--weeks", "60", today=today)
    took = time.perf_counter() - started
    assert [w["week"] for w in data["weeks"]] == list(range(1, 54))  # 364 days on: week 53
    assert data["totals"]["done_sets"] == len(made.rows)
    assert data["totals"]["pain_stops"] >= 4 and data["totals"]["emergency_stops"] == 1
    assert sum(len(w["tests"]) for w in data["weeks"]) == len(made.tests)
    assert any(c["kind"] == "held-adherence" for w in data["weeks"] for c in w["changes"])
    assert took < 5, f"a year's report took {took:.1f} s"
    assert_sound_html(report("--weeks", "60", today=today))
    assert len(report_json(today=today)["weeks"]) == 12  # the default: the last 12 weeks


def test_the_programme_in_force_is_the_prescription(tmp_path: Path) -> None:
    Person(tmp_path)
    body = {
        "clinician": "A. Example",
        "date": START.isoformat(),
        "note": "Keep pain under 4/10 & <b>rest</b> if not.",
        "stages": [
            {
                "from_week": 1,
                "items": [
                    {
                        "exercise": "side-lying-hamstring-curl",
                        "sets": 2,
                        "reps": 10,
                        "days": 2,
                        "note": "slowly",
                    },
                ],
            }
        ],
    }
    path = tmp_path / "rx.yaml"
    path.write_text(yaml.safe_dump(body), encoding="utf-8")
    assert run_cli("prescribe", str(path), today=START).returncode == 0
    data = report_json(today=START)
    assert data["programme"]["kind"] == "prescription"
    assert data["programme"]["stages"][0]["items"][0]["name"] == "Side-lying hamstring curl"
    assert data["weeks"][0]["programme"] == "prescription"
    html = report(today=START)
    assert_sound_html(html)
    assert "&lt;b&gt;rest&lt;/b&gt;" in html and "<b>rest</b>" not in html  # escaped


def test_a_prescription_begun_later_shows_its_weeks_beside_the_program_weeks(
    tmp_path: Path,
) -> None:
    """A prescription written in program week 3 counts that week as its own week 1: the
    report gives both numbers, so a clinician reading it beside the weeks is not misled."""
    Person(tmp_path)
    written = START + timedelta(days=15)  # program week 3
    body = {
        "clinician": "A. Example",
        "date": written.isoformat(),
        "stages": [
            {"from_week": week, "items": [{"exercise": "bridge", "sets": 2, "reps": 10, "days": 2}]}
            for week in (1, 3)
        ],
    }
    path = tmp_path / "rx.yaml"
    path.write_text(yaml.safe_dump(body), encoding="utf-8")
    assert run_cli("prescribe", str(path), today=written).returncode == 0
    stages = report_json(today=written)["programme"]["stages"]
    assert [(s["from_week"], s["program_week"]) for s in stages] == [(1, 3), (3, 5)]
    markdown = report("--format", "markdown", today=written)
    assert "From prescription week 3 (program week 5): Bridge" in markdown
    assert "<td>3 (5)</td>" in report(today=written)


# --------------------------------------------------------------------------- the contract


def test_the_json_contract(tmp_path: Path) -> None:
    one_week(tmp_path)
    data = report_json()
    assert set(data) == {
        "schema",
        "generated",
        "period",
        "person",
        "concerns",
        "excluded",
        "programme",
        "reference_pain",
        "weeks",
        "totals",
        "current_plan",
        "landings",
    }
    assert data["landings"] == []  # nothing heard: no `start --listen` yet
    assert data["schema"] == "heelcoach.report/1" and data["reference_pain"] == 5
    assert set(data["period"]) == {"first_day", "last_day", "first_week", "last_week"}
    assert set(data["person"]) == {
        "age",
        "goals",
        "program_start",
        "days_per_week",
        "screening",
        "clearances",
    }
    assert set(data["programme"]) == {"kind", "clinician", "date", "note", "stages"}
    assert all(set(e) == {"exercise", "name", "reason"} for e in data["excluded"])
    assert set(data["totals"]) == {
        "planned_sets",
        "done_sets",
        "adherence",
        "pain_stops",
        "emergency_stops",
    }
    for week in data["weeks"]:
        assert set(week) == {
            "week",
            "first_day",
            "last_day",
            "in_progress",
            "programme",
            "planned_sets",
            "done_sets",
            "adherence",
            "pain_max",
            "pain_mean",
            "morning_pain",
            "morning_stiffness",
            "impacts",
            "tests",
            "changes",
            "pain_stops",
            "emergency_stops",
        }
        assert all(set(t) == {"date", "test", "name", "result", "passed"} for t in week["tests"])
        assert all(set(c) == {"date", "exercise", "name", "kind", "text"} for c in week["changes"])
        keys = {"date", "exercise", "name", "pain", "notes"}
        assert all(set(s) == keys for s in week["pain_stops"])
    plan = data["current_plan"]
    assert set(plan) == {"week", "level", "days", "warnings", "referral"} and len(plan["days"]) == 7
    items = [item for day in plan["days"] for item in day["items"]]
    assert items and all(
        set(item) == {"exercise", "name", "dose", "support", "notes"} for item in items
    )


# --------------------------------------------------------------------------- the file


def test_output_is_a_private_file_and_never_the_data(tmp_path: Path, heelcoach_home: Path) -> None:
    Person(tmp_path)
    target = tmp_path / "report.html"
    result = run_cli("report", "--output", str(target), today=START)
    assert result.returncode == 0 and result.stdout == ""
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    for data in ("profile.json", "history.db"):
        before = (heelcoach_home / data).read_bytes() if (heelcoach_home / data).exists() else None
        refused = run_cli("report", "--output", str(heelcoach_home / data), today=START)
        assert_one_line_error(refused, 2)
        after = (heelcoach_home / data).read_bytes() if (heelcoach_home / data).exists() else None
        assert before == after
    link = tmp_path / "innocent.html"
    link.symlink_to(heelcoach_home / "profile.json")
    assert_one_line_error(run_cli("report", "-o", str(link), today=START), 2)
    assert_one_line_error(run_cli("report", "-o", str(tmp_path), today=START), 2)
    assert_one_line_error(run_cli("report", "--format", "pdf", today=START), 2)


@pytest.mark.parametrize(
    ("name", "given", "kind"),
    [
        ("report.md", None, "markdown"),
        ("report.markdown", None, "markdown"),
        ("report.JSON", None, "json"),
        ("report.htm", None, "html"),
        ("report.txt", None, "html"),
        ("report", None, "html"),
        ("report.md", "markdown", "markdown"),
        ("report.txt", "json", "json"),
    ],
)
def test_the_output_name_picks_the_format(
    name: str, given: str | None, kind: str, tmp_path: Path
) -> None:
    Person(tmp_path)
    target = tmp_path / name
    chosen = ["--format", given] if given else []
    result = run_cli("report", "--output", str(target), *chosen, today=START)
    assert result.returncode == 0, result.stderr
    text = target.read_text(encoding="utf-8")
    if kind == "json":
        assert json.loads(text)["schema"] == "heelcoach.report/1"
    elif kind == "html":
        assert text.startswith("<!DOCTYPE html>")
    else:
        assert not text.lstrip().startswith(("<", "{")) and "| 1 (now) |" in text


@pytest.mark.parametrize(
    ("name", "given"),
    [
        ("report.md", "html"),
        ("report.html", "markdown"),
        ("report.json", "html"),
        ("a.htm", "json"),
    ],
)
def test_a_format_that_contradicts_the_output_name_is_refused(
    name: str, given: str, tmp_path: Path
) -> None:
    Person(tmp_path)
    folder = tmp_path / "out"
    folder.mkdir()
    result = run_cli("report", "--output", str(folder / name), "--format", given, today=START)
    assert_one_line_error(result, 2)
    assert f"--format {given} does not match" in result.stderr
    assert list(folder.iterdir()) == []


@pytest.mark.pty
def test_in_a_terminal_the_report_is_plain_text_not_markup(tmp_path: Path) -> None:
    from helpers import write_answers
    from test_start_e2e import Terminal

    answers = write_answers(tmp_path)
    assert run_cli("screen", "--answers", str(answers)).returncode == 0
    term = Terminal("report", size=(24, 80))
    assert term.finish() == 0
    assert "<html" not in term.text.lower() and "<div" not in term.text
    assert "heelcoach report --output report.html" in term.text  # where the page is
    assert re.search(r"^# ", term.text, re.M), term.text[:500]  # the Markdown report
    refused = Terminal("report", "--format", "html", size=(24, 80))
    assert refused.finish() == 2
    assert "add --output report.html" in refused.text


def test_a_painful_set_keeps_its_note_and_crosses_the_line_on_the_chart(tmp_path: Path) -> None:
    from helpers import write_answers

    from heelcoach.frontends.report.charts import pain

    answers = write_answers(tmp_path)
    assert run_cli("screen", "--answers", str(answers)).returncode == 0
    note = "<b>sharp</b> at the heel"
    logged = run_cli("log", "heel-drop", "--reps", "9", "--pain", "7", "--note", note)
    assert logged.returncode == 0, logged.stderr
    (stop,) = [s for w in report_json(today=date.today())["weeks"] for s in w["pain_stops"]]
    assert stop["notes"] == [note]
    html = report(today=date.today())
    assert "the note: &ldquo;&lt;b&gt;sharp&lt;/b&gt; at the heel&rdquo;" in html
    markdown = report("--format", "markdown", today=date.today())
    assert '"&lt;b&gt;sharp&lt;/b&gt; at the heel"' in markdown
    week = {
        "week": 1,
        "first_day": "2026-01-05",
        "pain_max": 7,
        "pain_mean": 2.5,
        "morning_pain": None,
        "morning_stiffness": None,
    }
    chart = pain([week], 5)
    (worst,) = chart["series"][0]["points"]
    assert worst["y"] < chart["ref"]["y"]  # above the 5/10 line (SVG y grows downwards)


def test_no_profile_is_refused() -> None:
    assert_one_line_error(run_cli("report"), 1)


# --------------------------------------------------------------------------- a browser


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser"):
        if found := shutil.which(name):
            return found
    return None


def start_chromium(binary: str, folder: Path, *args: str) -> subprocess.Popen[bytes]:
    """Headless Chromium with a fresh profile, in its own session (so it can be killed)."""
    profile = folder / f"profile-{time.monotonic_ns()}"
    return subprocess.Popen(
        [binary, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )


def finish(process: subprocess.Popen[bytes]) -> None:
    try:
        out, _ = process.communicate(timeout=BROWSER_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)  # its zygote and renderers too
        process.communicate()
        pytest.fail(f"chromium hung for more than {BROWSER_TIMEOUT} s")
    assert process.returncode == 0, out.decode(errors="replace")[-2000:]


def test_the_report_in_a_real_browser_shows_and_prints(tmp_path: Path) -> None:
    binary = find_chromium()
    if binary is None:
        reason = "chromium is not installed (Debian: apt-get install chromium; .ci/run does it)"
        if os.environ.get("REQUIRE_CHROMIUM") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    one_week(tmp_path)
    page = tmp_path / "report.html"
    assert run_cli("report", "-o", str(page), today=ONE_WEEK_LATER).returncode == 0
    png, pdf = tmp_path / "report.png", tmp_path / "report.pdf"
    finish(  # one browser run takes the screenshot and prints the page
        start_chromium(
            binary,
            tmp_path,
            f"--screenshot={png}",
            "--window-size=1240,1754",
            f"--print-to-pdf={pdf}",
            "--no-pdf-header-footer",
            page.as_uri(),
        )
    )
    width, height, bpp, rows = png_pixels(png)
    assert (width, height) == (1240, 1754)
    blank = rows[0][:bpp] * width
    colours = {
        rows[y][x * bpp : (x + 1) * bpp] for y in range(0, height, 7) for x in range(0, width, 3)
    }
    assert len(colours) >= 8, "fewer than 8 colours: a blank page?"
    inked = [y for y, row in enumerate(rows) if row != blank]
    assert len(inked) > height * 0.3 and max(inked) > height * 0.5, "little drawn on the page"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", data))
    assert 1 <= pages <= 6, pages
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", data)
    assert box, "no page size in the PDF"
    size = (round(float(box[1])), round(float(box[2])))
    assert size in ((595, 842), (612, 792)), f"{size} is neither A4 nor Letter"
