"""Screening v2: the answers file contract, typed answers, re-screening, and `log` of an
exercise the screening leaves out."""

from __future__ import annotations

import json
import os
import sys
from datetime import date, timedelta
from pathlib import Path

import pexpect
import pytest
import yaml
from helpers import (
    BASE_ANSWERS,
    answers,
    assert_one_line_error,
    content_library,
    context,
    profile,
    run_cli,
    saved_profile,
    write_answers,
)

from heelcoach.domain.profile import Unclear, parse_typed

TODAY = date.today()


def question(key: str):
    return content_library().question(key)


def write_raw(folder: Path, text: str) -> Path:
    target = folder / "answers.yaml"
    target.write_text(text, encoding="utf-8")
    return target


# --------------------------------------------------------------------------- the file


def test_a_screening_saves_format_3_with_the_answers_and_the_day_they_were_given(
    tmp_path: Path, heelcoach_home: Path
) -> None:
    result = run_cli("screen", "--answers", str(write_answers(tmp_path, joint_pain=["knee"])))
    assert result.returncode == 0, result.stderr
    saved = json.loads((heelcoach_home / "profile.json").read_text())
    assert set(saved) == {"format", "created", "screened", "answers"} and saved["format"] == 3
    assert saved["screened"] == date.today().isoformat()


@pytest.mark.parametrize(
    "content,words",
    [
        ("", "the file is empty (expected one `key: value` line per answer)"),
        ("# only a comment\n", "the file is empty"),
        ("- age: 64\n", "expected one `key: value` line per answer, not a list"),
        ("64\n", "not a single value"),
    ],
)
def test_an_answers_file_that_is_not_answers_says_so_in_its_own_words(
    tmp_path: Path, heelcoach_home: Path, content: str, words: str
) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text(content)
    result = run_cli("screen", "--answers", str(answers))
    assert_one_line_error(result, 2)
    assert words in result.stderr and "NoneType" not in result.stderr
    assert not (heelcoach_home / "profile.json").exists()


@pytest.mark.parametrize(
    "change,words",
    [
        (
            {"cleared_by_professional": True},
            "cleared_by_professional: replaced by cleared_for_exercise and cleared_for_impact",
        ),
        ({"colour": "blue"}, "colour: unknown answer key"),
        ({"chest_pain": True}, "cleared_for_exercise: needed because chest_pain is true, got null"),
        (
            {"bone_density": "osteoporosis", "t_score": 3.2},
            "t_score: 3.2 is above zero, but a "
            "T-score with osteoporosis is below zero; did you mean -3.2?",
        ),
        ({"bone_density": "osteopenia", "t_score": 0.5}, "did you mean -0.5?"),
        (
            {"achilles_pain": True, "tiptoe_hold_ok": True},
            "achilles_pain_site: needed because achilles_pain is true",
        ),
        ({"achilles_pain_site": "mid"}, "achilles_pain_site: give null when there is no Achilles"),
        (
            {"achilles_pain": True, "achilles_pain_site": "heel"},
            "achilles_pain_site: expected one of: mid, insertion, unsure",
        ),
        ({"frail": None}, "frail: expected true or false"),
        ({"fracture_history": "no"}, "fracture_history: expected true or false"),
        ({"age": 70.5}, "age: expected a whole number from 16 to 110"),
    ],
)
def test_bad_answers_are_refused_with_one_line_naming_the_key(
    tmp_path: Path, heelcoach_home: Path, change: dict, words: str
) -> None:
    result = run_cli("screen", "--answers", str(write_answers(tmp_path, **change)))
    assert_one_line_error(result, 2)
    assert words in result.stderr
    assert not (heelcoach_home / "profile.json").exists()


@pytest.mark.parametrize(
    "key",
    [
        "chronic_condition",
        "chronic_medication",
        "bone_joint_problem",
        "frail",
        "fracture_history",
        "achilles_pain_site",
        "cleared_for_exercise",
        "cleared_for_impact",
    ],
)
def test_every_new_key_is_required(tmp_path: Path, key: str) -> None:
    data = {k: v for k, v in BASE_ANSWERS.items() if k != key}
    result = run_cli("screen", "--answers", str(write_raw(tmp_path, yaml.safe_dump(data))))
    assert_one_line_error(result, 2)
    assert f"{key}: missing answer" in result.stderr


def test_an_old_answers_file_is_told_what_changed(tmp_path: Path) -> None:
    old = {
        k: v
        for k, v in BASE_ANSWERS.items()
        if k not in ("cleared_for_exercise", "cleared_for_impact")
    }
    old["cleared_by_professional"] = False
    result = run_cli("screen", "--answers", str(write_raw(tmp_path, yaml.safe_dump(old))))
    assert_one_line_error(result, 2)
    assert "cleared_by_professional" in result.stderr


def test_a_key_given_twice_is_refused_not_the_last_one_kept(
    tmp_path: Path, heelcoach_home: Path
) -> None:
    text = yaml.safe_dump(answers(chest_pain=True, cleared_for_exercise=False))
    text = text.replace("chest_pain: true\n", "chest_pain: true\nchest_pain: false\n")
    result = run_cli("screen", "--answers", str(write_raw(tmp_path, text)))
    assert_one_line_error(result, 2)
    assert "chest_pain: given twice" in result.stderr
    assert not (heelcoach_home / "profile.json").exists()


def test_a_positive_t_score_with_normal_bones_is_kept(tmp_path: Path) -> None:
    result = run_cli(
        "screen", "--answers", str(write_answers(tmp_path, bone_density="normal", t_score=0.8))
    )
    assert result.returncode == 0, result.stderr


def test_show_lists_only_the_questions_that_were_asked(tmp_path: Path) -> None:
    run_cli("screen", "--answers", str(write_answers(tmp_path)))
    shown = run_cli("screen", "--show").stdout
    assert "Where exactly does the Achilles hurt?" not in shown  # no Achilles pain
    assert "lowest T-score" in shown  # osteopenia: asked


# --------------------------------------------------------------------------- typed answers


@pytest.mark.parametrize(
    "key,typed,value",
    [
        ("bone_density", "2", "osteopenia"),
        ("bone_density", "Osteoporosis", "osteoporosis"),
        ("bone_density", "thinner bones", "osteopenia"),
        ("joint_pain", "knee, low back", ["knee", "low_back"]),
        ("joint_pain", "knee and hip", ["knee", "hip"]),
        ("joint_pain", "2 4", ["knee", "low_back"]),
        ("joint_pain", "none", []),
        ("joint_pain", "", []),
        ("goals", "1, 3", ["bone", "running"]),
        ("age", "70.5", 70),
        ("fracture_within_months", "3.5", 3),
        ("fracture_within_months", "", None),
        ("t_score", "\u22122.1", -2.1),
        ("t_score", "minus 2.5", -2.5),
        ("t_score", "don't know", None),
        ("chest_pain", "Yes", True),
        ("chest_pain", "n", False),
        ("achilles_pain_site", "where it joins the heel bone", "insertion"),
    ],
)
def test_typed_answers_are_read_generously(key: str, typed: str, value: object) -> None:
    assert parse_typed(question(key), typed) == value


@pytest.mark.parametrize(
    "key,typed,guess",
    [
        ("bone_density", "osteoperosis", "osteoporosis"),
        ("bone_density", "osteopina", "osteopenia"),
        ("achilles_pain_site", "insertional", "insertion"),
    ],
)
def test_a_near_miss_gets_a_did_you_mean(key: str, typed: str, guess: str) -> None:
    with pytest.raises(Unclear) as unclear:
        parse_typed(question(key), typed)
    assert unclear.value.suggestion == guess


@pytest.mark.parametrize(
    "key,typed",
    [
        ("goals", "none"),
        ("age", "old"),
        ("age", "٣٠"),
        ("chest_pain", "maybe"),
        ("joint_pain", "elbow"),
        ("days_per_week", "1e3"),
    ],
)
def test_unclear_answers_are_asked_again(key: str, typed: str) -> None:
    with pytest.raises(Unclear):
        parse_typed(question(key), typed)


# --------------------------------------------------------------------------- re-screening


def screened_weeks_ago(tmp_path: Path, weeks: int, **overrides: object) -> None:
    start = TODAY - timedelta(weeks=weeks)
    result = run_cli(
        "screen",
        "--answers",
        str(write_answers(tmp_path, **overrides)),
        "--start",
        start.isoformat(),
    )
    assert result.returncode == 0, result.stderr


def test_screening_again_keeps_the_programme_week_and_says_what_changed(tmp_path: Path) -> None:
    screened_weeks_ago(tmp_path, 2)
    before = saved_profile()
    again = run_cli("screen", "--answers", str(write_answers(tmp_path, joint_pain=["knee"])))
    assert again.returncode == 0, again.stderr
    after = saved_profile()
    assert before is not None and after is not None and after.created == before.created
    assert "You are in program week 3" in again.stdout
    assert "What changed in this week's plan" in again.stdout
    assert (
        "Now left out: Heel jump" in " ".join(again.stdout.split()) or "Nothing" in again.stdout
    )  # jumps may not have joined yet for this person


def test_restart_starts_week_1_today_and_start_sets_the_day(tmp_path: Path) -> None:
    screened_weeks_ago(tmp_path, 3)
    assert run_cli("screen", "--answers", str(write_answers(tmp_path)), "--restart").returncode == 0
    assert saved_profile().created == TODAY  # type: ignore[union-attr]
    chosen = TODAY - timedelta(days=3)
    run_cli("screen", "--answers", str(write_answers(tmp_path)), "--start", chosen.isoformat())
    assert saved_profile().created == chosen  # type: ignore[union-attr]


def test_a_profile_saved_by_an_earlier_version_is_never_reinterpreted(
    tmp_path: Path, heelcoach_home: Path
) -> None:
    old_answers = {
        k: v
        for k, v in BASE_ANSWERS.items()
        if k not in ("cleared_for_exercise", "cleared_for_impact", "frail")
    }
    old_answers["cleared_by_professional"] = True
    start = TODAY - timedelta(weeks=4)
    (heelcoach_home / "profile.json").write_text(
        json.dumps({"created": start.isoformat(), "answers": old_answers})
    )
    refused = run_cli("plan")
    assert_one_line_error(refused, 1)
    assert "earlier heelcoach" in refused.stderr and "heelcoach screen" in refused.stderr
    again = run_cli("screen", "--answers", str(write_answers(tmp_path)))
    assert again.returncode == 0, again.stderr
    assert saved_profile().created == start  # type: ignore[union-attr]  # the week is kept


# --------------------------------------------------------------------------- log


def test_log_of_an_excluded_exercise_warns_and_needs_yes(tmp_path: Path) -> None:
    run_cli("screen", "--answers", str(write_answers(tmp_path, balance_problems=True)))
    refused = run_cli("log", "heel-jump", "--reps", "10")
    assert_one_line_error(refused, 1)
    assert "Heel jump not recorded: your screening leaves it out" in refused.stderr
    assert "add --yes" in refused.stderr
    assert run_cli("history", "--json").stdout.strip() == "[]"  # nothing written
    forced = run_cli("log", "heel-jump", "--reps", "10", "--yes")
    assert forced.returncode == 0 and "warning" in forced.stderr
    assert len(json.loads(run_cli("history", "--json").stdout)) == 1


def log_in_a_terminal(typed: str) -> tuple[int, str, str]:
    """`heelcoach log heel-jump --reps 10` in a terminal where the person types `typed`."""
    from heelcoach.frontends.cli.app import run

    ctx = context(stdin=typed, tty=True)
    code = run(["log", "heel-jump", "--reps", "10"], ctx)
    return code, ctx.stdout.getvalue(), ctx.stderr.getvalue()  # type: ignore[attr-defined]


def plan_leaves_out(exercise_id: str) -> bool:
    plan = json.loads(run_cli("plan", "--json").stdout)
    return exercise_id in {e["exercise"] for e in plan["excluded"]}


def test_log_judges_by_todays_rules_not_what_the_screening_saved(
    tmp_path: Path, heelcoach_home: Path
) -> None:
    """A profile saved when the rules were different (an upgrade changed one since): log
    warns exactly when `plan` leaves the exercise out now."""
    run_cli("screen", "--answers", str(write_answers(tmp_path, balance_problems=True)))
    saved = json.loads((heelcoach_home / "profile.json").read_text())
    saved["excluded"] = {"heel-drop": ["joint-pain"]}  # as an earlier version judged
    (heelcoach_home / "profile.json").write_text(json.dumps(saved))
    assert plan_leaves_out("heel-jump") and not plan_leaves_out("heel-drop")

    assert run_cli("log", "heel-drop", "--reps", "10").returncode == 0
    refused = run_cli("log", "heel-jump", "--reps", "10")
    assert_one_line_error(refused, 1)
    assert "Heel jump not recorded: your screening leaves it out" in refused.stderr

    code, shown, said = log_in_a_terminal("n\n")
    assert code == 1 and "warning: your screening leaves Heel jump out" in said
    assert "Record it anyway? [y/N]" in shown
    code, _, _ = log_in_a_terminal("y\n")
    assert code == 0
    days = [row["exercise"] for row in json.loads(run_cli("history", "--json").stdout)]
    assert sorted(days) == ["heel-drop", "heel-jump"]


@pytest.mark.pty
def test_log_asks_in_a_real_terminal_before_recording_a_left_out_exercise(
    tmp_path: Path,
) -> None:
    run_cli("screen", "--answers", str(write_answers(tmp_path, balance_problems=True)))
    child = pexpect.spawn(
        sys.executable,
        ["-m", "heelcoach", "log", "heel-jump", "--reps", "10"],
        encoding="utf-8",
        env={**os.environ, "TERM": "xterm", "NO_COLOR": "1"},
        timeout=20,
        dimensions=(30, 100),
    )
    child.expect("your screening leaves Heel jump out")
    child.expect(r"Record it anyway\? \[y/N\]")
    child.sendline("y")
    child.expect("Saved 1 set of Heel jump")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert len(json.loads(run_cli("history", "--json").stdout)) == 1


def test_log_of_an_exercise_only_waiting_for_a_test_needs_no_confirmation(tmp_path: Path) -> None:
    run_cli("screen", "--answers", str(write_answers(tmp_path)))
    result = run_cli("log", "heel-jump", "--reps", "10")  # locked by the hop test, not a rule
    assert result.returncode == 0 and result.stderr == ""


def test_log_without_a_profile_is_a_logbook_that_says_so_once(heelcoach_home: Path) -> None:
    first = run_cli("log", "heel-drop", "--reps", "10")
    assert first.returncode == 0
    assert "need a screening first: run `heelcoach screen`" in first.stderr
    second = run_cli("log", "heel-drop", "--reps", "10")
    assert second.returncode == 0 and second.stderr == ""


# --------------------------------------------------------------------------- words that mean it


def _typed(key: str, text: str) -> object:
    return parse_typed(content_library().question(key), text)


@pytest.mark.parametrize("text", ["no", "none", "never", "No", ""])
def test_no_recent_fracture_can_be_said_in_words(text: str) -> None:
    assert _typed("fracture_within_months", text) is None


def test_a_bare_0_is_not_read_as_a_fracture_this_month() -> None:
    with pytest.raises(Unclear, match="0 could mean none"):
        _typed("fracture_within_months", "0")
    assert _typed("fracture_within_months", "this month") == 0
    assert _typed("fracture_within_months", "3") == 3


@pytest.mark.parametrize("text", ["never", "never scanned", "unknown", "4"])
def test_never_scanned_is_understood(text: str) -> None:
    assert _typed("bone_density", text) == "unknown"


def test_the_achilles_comes_before_the_generic_injury_and_joint_questions() -> None:
    keys = [question.key for question in content_library().questions]
    for generic in ("joint_pain", "acute_injury", "foot_condition", "injury_history"):
        assert keys.index("achilles_pain") < keys.index(generic), generic
    for generic in ("joint_pain", "acute_injury", "foot_condition"):
        assert "Achilles pain" in content_library().question(generic).help


@pytest.mark.parametrize(("age", "asked"), [(34, True), (59, True), (60, False), (68, False)])
def test_pregnancy_is_asked_only_where_it_can_apply(age: int, asked: bool) -> None:
    from heelcoach.domain.profile import applies

    question = content_library().question("pregnant")
    assert applies(question, {"age": age}) is asked


def test_a_file_that_says_pregnant_from_60_is_still_followed() -> None:
    from heelcoach.domain.readiness import Readiness
    from heelcoach.domain.safety import judge

    person = profile(age=62, pregnant=True, cleared_for_exercise=True)
    judgement = judge(person, content_library(), Readiness())
    assert "pregnancy" in judgement.fired and "pregnancy" in judgement.warnings


def test_an_answers_file_with_several_mistakes_names_them_all_in_one_run(tmp_path: Path) -> None:
    answers = write_answers(tmp_path, age=300, t_score=1.8, days_per_week=9, frail="maybe")
    result = run_cli("screen", "--answers", str(answers))
    assert_one_line_error(result, 2)
    for key in ("age", "t_score", "frail", "days_per_week"):
        assert f" {key}: " in result.stderr, key
    assert "4 problems: (1) age: " in result.stderr
    assert saved_profile() is None


def test_the_question_count_never_grows_and_the_numbers_run_on() -> None:
    import re

    from helpers import TYPED_ANSWERS, context

    from heelcoach.frontends.cli.app import run

    questions = content_library().questions
    typed = "".join(TYPED_ANSWERS[q.key] + "\n" for q in questions if q.key in TYPED_ANSWERS)
    ctx = context(stdin=typed + "\n", tty=True)
    assert run(["screen"], ctx) == 0
    shown = re.findall(r"Question (\d+) of (\d+)", ctx.stdout.getvalue())  # type: ignore[attr-defined]
    numbers, totals = [int(n) for n, _ in shown], [int(t) for _, t in shown]
    assert numbers == list(range(1, len(shown) + 1))
    assert totals == sorted(totals, reverse=True) and totals[-1] == numbers[-1]


def test_the_summary_fits_a_24_line_terminal_and_keeps_every_number() -> None:
    import re

    from helpers import TYPED_ANSWERS, context

    from heelcoach.frontends.cli.app import run

    questions = content_library().questions
    typed = "".join(TYPED_ANSWERS[q.key] + "\n" for q in questions if q.key in TYPED_ANSWERS)
    ctx = context(stdin=typed + "4\nn\n\n", tty=True, env={"COLUMNS": "80"})
    assert run(["screen"], ctx) == 0
    shown = re.sub(r"\x1b\[[0-9;]*m", "", ctx.stdout.getvalue())  # type: ignore[attr-defined]
    first = shown[shown.index("  Your answers  ") :].split("Enter to save")[0]
    assert len(first.splitlines()) + 1 <= 24, first  # the table, the noes and the prompt
    assert "Answered no: 3 a heart condition or high blood pressure, 4 chest pain" in " ".join(
        first.split()
    )
    assert "Question 4 of" in shown.split("  Your answers  ")[1]  # 4 changes chest pain
    assert saved_profile() is not None and saved_profile().chest_pain is False
