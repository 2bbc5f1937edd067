"""The interactive screening through a real pseudo-terminal: numbered choices, "did you
mean", plain-word lists, decimals, "question k of n", the summary, and Ctrl-C kept."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pexpect
from helpers import TYPED_ANSWERS, answer_in_terminal, content_library


def spawn(*args: str) -> pexpect.spawn:
    return pexpect.spawn(
        sys.executable,
        ["-m", "heelcoach", *args],
        encoding="utf-8",
        env={**os.environ, "TERM": "xterm", "NO_COLOR": "1"},
        timeout=20,
        dimensions=(40, 100),
    )


def saved(home: Path) -> dict[str, object]:
    return json.loads((home / "profile.json").read_text())["answers"]


def test_numbers_near_misses_lists_decimals_and_the_summary(heelcoach_home: Path) -> None:
    child = spawn("screen")
    child.expect_exact("Question 1 of ")
    child.sendline("70.5")  # a decimal age is taken, rounded down
    child.expect_exact("What do you want from heel training?")
    child.sendline("1, 2")  # numbered choices
    for key in (
        "heart_condition",
        "chest_pain",
        "dizziness_or_fainting",
        "chronic_condition",
        "chronic_medication",
        "bone_joint_problem",
        "supervised_only",
    ):  # not asked about pregnancy at 70
        child.expect_exact(content_library().question(key).text[:40])
        child.sendline("n")
    child.expect_exact("What did your last bone density result show?")
    child.expect_exact("2. osteopenia (thinner bones)")
    child.sendline("osteoperosis")  # a near miss
    child.expect_exact("Did you mean osteoporosis?")
    child.sendline("")  # Enter takes the suggestion
    child.expect_exact("What was your lowest T-score?")
    child.sendline("3.2")  # the sign slip
    child.expect(r"Did you\s+mean -3\.2\?")  # broken between words for the window
    child.sendline("y")
    typed = {
        **TYPED_ANSWERS,
        "joint_pain": "knee, low back",
        "achilles_pain": "y",
        "achilles_pain_site": "2",
        "tiptoe_hold_ok": "y",
    }
    later = {
        q.key: typed[q.key]
        for q in content_library().questions
        if q.key in typed
        and q.group not in ("about you", "readiness")
        and q.key not in ("bone_density", "t_score")
    }
    for key, answer in later.items():
        child.expect_exact(content_library().question(key).text[:40])
        child.sendline(answer)
    child.expect_exact("Your answers")
    child.expect_exact("Enter to save")
    child.sendline("1")  # change the age
    child.expect_exact("How old are you?")
    child.sendline("72")
    child.expect_exact("Enter to save")
    child.sendline("")
    child.expect_exact("Profile saved")
    child.expect(pexpect.EOF)
    answers = saved(heelcoach_home)
    assert answers["age"] == 72 and answers["goals"] == ["bone", "achilles"]
    assert answers["bone_density"] == "osteoporosis" and answers["t_score"] == -3.2
    assert answers["joint_pain"] == ["knee", "low_back"]
    assert answers["achilles_pain_site"] == "insertion"
    assert answers["cleared_for_exercise"] is None  # never asked: nothing to clear


def test_ctrl_c_keeps_the_answers_for_next_time(heelcoach_home: Path) -> None:
    child = spawn("screen")
    child.expect_exact("How old are you?")
    child.sendline("66")
    child.expect_exact("What do you want from heel training?")
    child.sendline("bone")
    child.expect_exact("heart trouble")
    child.expect_exact("y or n >")
    child.sendintr()  # Ctrl-C at the keyboard
    child.expect_exact("Your answers so far are kept")
    child.expect(pexpect.EOF)
    assert not (heelcoach_home / "profile.json").exists()
    again = spawn("screen")
    again.expect_exact("Carry on where you left off?")
    again.sendline("")
    again.expect_exact("Question 3 of ")  # straight to the first unanswered question
    rest = {k: v for k, v in TYPED_ANSWERS.items() if k not in ("age", "goals")}
    answer_in_terminal(again, rest)
    again.expect_exact("Profile saved")
    again.expect(pexpect.EOF)
    assert saved(heelcoach_home)["age"] == 66
    assert not (heelcoach_home / "screening-draft.json").exists()


def test_prompts_break_between_words_in_a_40_column_window(heelcoach_home: Path) -> None:
    from test_start_e2e import Terminal

    term = Terminal("screen", size=(12, 40))
    try:
        term.wait_for(r"How old are you")
        term.send("70\r")
        term.wait_for(r"What do you want from\s+heel")
        term.send("1\r")
        while "osteopenia" not in term.text:  # no to each readiness question
            term.wait_for(r"(y or n >|2\. osteopenia)", since=term.mark())
            if "osteopenia" not in term.text:
                term.send("n\r")
        term.send("osteoperosis\r")
        shown = term.wait_screen(r"Did you mean")
        rows = [row.strip() for row in shown.splitlines()]
        assert any("osteoporosis?" in row for row in rows), shown
        assert not any(row.endswith("osteoporosi") for row in rows), shown
        assert all(len(row) <= 40 for row in rows)
    finally:
        term.child.close(force=True)
