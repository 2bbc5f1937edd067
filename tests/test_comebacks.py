"""A physiotherapist's histories, replayed through the real store: a break, a morning
wobble, a first passed tiptoe test after weeks of an empty plan, an 88-year-old, two sore
mornings and the review that lifts their hold, weeks without check-ins, and answers that
age. Each person is screened with the real `screen --answers` and trains day by day as the
plan of that day says (`test_progression.Person`)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

from helpers import run_cli, saved_profile, write_answers
from test_progression import ACHILLES, BONE, START, Person, doses

from heelcoach.domain.planner import WeekPlan, week_start

RUNNER = {**ACHILLES, "goals": ["achilles", "running"], "bone_density": "normal", "t_score": None}


def session_loads(plan: WeekPlan) -> dict[str, int]:
    """The most one session asks of each exercise: reps (or seconds) times sets."""
    loads: dict[str, int] = {}
    for day in plan.days:
        for item in day.items:
            amount = item.sets * (item.reps or item.seconds or 0)
            loads[item.exercise.id] = max(loads.get(item.exercise.id, 0), amount)
    return loads


def assert_no_spikes(plans: list[WeekPlan], group: set[str]) -> None:
    """clinical-notes.md (load spikes): no exercise's load per session more than doubles
    from one week to the next, and no two loads of one tendon rise in the same week."""
    for before, after in pairwise(plans):
        old, new = session_loads(before), session_loads(after)
        for exercise_id, load in new.items():
            if old.get(exercise_id):
                assert load <= 2 * old[exercise_id], (after.week, exercise_id, old, new)
        rising = {e for e in group if new.get(e, 0) > old.get(e, 0)}
        assert len(rising) <= 1, (after.week, rising)


def test_three_weeks_off_restarts_lower_and_asks_for_the_hop_test_again(tmp_path: Path) -> None:
    person = Person(tmp_path, **BONE)
    person.test("hops", 1, START)
    for week in range(1, 7):
        person.live_week(week)
    before = person.week_plan(7)
    assert doses(before, "heel-jump") and doses(before, "heel-drop")
    # weeks 7, 8 and 9: nothing done (illness, travel)
    after = person.week_plan(10)
    assert sum(session_loads(after).values()) < sum(session_loads(before).values())
    assert after.progress.positions["heel-drop"] < before.progress.positions["heel-drop"]
    jump = after.exclusion("heel-jump")
    assert jump is not None and "hops-not-passed" in jump.rules  # the old test counts no more
    assert any("weeks with nothing done" in note for note in person.notes(after))


def test_a_dose_held_at_the_ceiling_restarts_below_it_after_a_break(tmp_path: Path) -> None:
    """Anna's heel drops climb past her daily ceiling on the ladder and are planned cut
    to it; three weeks off must bring the plan below what she did, then build again."""
    person = Person(tmp_path, **{**BONE, "age": 68, "bone_density": "osteopenia", "t_score": -2.1})
    for week in range(1, 9):
        person.live_week(week)
    done = session_loads(person.week_plan(8))["heel-drop"]
    # weeks 9, 10 and 11: nothing done
    back = person.week_plan(12)
    assert session_loads(back)["heel-drop"] < done
    person.live_week(12)
    person.live_week(13)
    assert_no_spikes([back, person.week_plan(13), person.week_plan(14)], set())
    assert session_loads(person.week_plan(14))["heel-drop"] == done  # built up again


def test_a_one_point_morning_wobble_within_0_2_does_not_step_back(tmp_path: Path) -> None:
    person = Person(tmp_path, **BONE)
    person.live_week(1, morning=(0, 0))
    person.live_week(2, mornings=[(1, 0), (1, 1), (1, 1)])
    third = person.week_plan(3)
    assert third.level == "intermediate" and doses(third, "heel-drop") == {(2, 15)}


def test_an_empty_week_is_nothing_done_not_100_percent(tmp_path: Path) -> None:
    person = Person(
        tmp_path,
        **{**ACHILLES, "achilles_pain_site": "insertion", "tiptoe_hold_ok": False},
    )
    for week in (1, 2, 3):
        person.live_week(week)  # nothing is planned: the tendon rests
    fourth = person.week_plan(4)
    assert not fourth.items() and fourth.level == "beginner"
    assert person.notes(fourth) == [
        "held: nothing was planned in week 3, so nothing showed the dose was easy"
    ]


def test_a_first_passed_tiptoe_test_after_weeks_starts_at_the_bottom(tmp_path: Path) -> None:
    person = Person(tmp_path, **{**RUNNER, "tiptoe_hold_ok": False})
    for week in range(1, 5):
        person.live_week(week)  # the warm-up kicks and split squats, no drops
    assert not doses(person.week_plan(4), "eccentric-heel-drop")
    person.test("tiptoe", 2, week_start(person.profile, 5))
    person.test("hops", 2, week_start(person.profile, 5))
    plans = []
    for week in range(5, 15):
        plans.append(person.week_plan(week))
        person.live_week(week)
    first = plans[0]
    assert doses(first, "eccentric-heel-drop") == {(1, 10)}  # 004's start, not 3 x 15
    assert not doses(first, "eccentric-heel-drop-bent-knee")
    bent = [doses(plan, "eccentric-heel-drop-bent-knee") for plan in plans]
    assert {(1, 15)} in bent and bent.index({(1, 15)}) < len(bent) - 1  # joins low, builds
    group = {"eccentric-heel-drop", "eccentric-heel-drop-bent-knee", "heel-jump"}
    assert_no_spikes(plans, group)


def test_an_88_year_old_holds_on_and_jumps_stay_for_a_supervised_test(tmp_path: Path) -> None:
    person = Person(
        tmp_path,
        **{**BONE, "age": 88, "bone_density": "osteopenia", "t_score": -2.1},
        cleared_for_impact=True,
    )
    assert run_cli("test", "hops", "--pain", "1", today=START).returncode == 1
    for week in range(1, 8):
        plan = person.week_plan(week)
        assert all(i.support_required for i in plan.items() if i.exercise.id == "heel-drop")
        assert not doses(plan, "heel-jump") and not doses(plan, "single-leg-heel-drop")
        person.live_week(week)
    assert doses(person.week_plan(8), "heel-drop")


def test_from_80_the_marching_warm_up_is_held_at_a_support_too(tmp_path: Path) -> None:
    """older-age: standing work is done with a hand on a support; a march on the spot
    stands on one leg at a time, so it is no exception."""
    person = Person(tmp_path, **{**BONE, "age": 84})
    kicks = [i for i in person.week_plan(1).items() if i.exercise.family == "warm-up"]
    assert kicks and all(item.support_required for item in kicks)


def test_two_sore_mornings_hold_every_dose_until_a_review_is_recorded(tmp_path: Path) -> None:
    person = Person(tmp_path, **BONE)
    person.live_week(1, mornings=[(7, 3), (7, 3), (1, 1)])
    for week in (2, 3):
        person.live_week(week)
        held = person.week_plan(week + 1)
        assert held.progress.hold, week  # a good week does not lift it
        assert doses(held, "heel-drop") == {(2, 10)}
    monday = week_start(person.profile, 4)
    again = run_cli("screen", "--answers", str(write_answers(tmp_path, **BONE)), today=monday)
    assert again.returncode == 0, again.stderr
    person.profile = saved_profile() or person.profile
    assert person.profile.created == START  # the programme week is kept
    assert not person.plan_on(monday + timedelta(days=1)).progress.hold
    person.live_week(4)
    assert person.notes(person.week_plan(5))[0].startswith("moved on")


def test_without_check_ins_the_doses_move_on_at_half_pace(tmp_path: Path) -> None:
    person = Person(tmp_path, **BONE)
    for week in range(1, 5):
        person.live_week(week, morning=None)
    third = person.week_plan(3)
    assert third.level == "beginner"
    assert any("heelcoach checkin" in note for note in person.notes(third))
    fifth = person.week_plan(5)
    assert fifth.level == "intermediate" and doses(fifth, "heel-drop") == {(2, 15)}


def test_unrated_sets_with_check_ins_move_on_at_half_pace_too(tmp_path: Path) -> None:
    person = Person(tmp_path, **BONE)
    for week in range(1, 5):
        person.live_week(week, pain=None)
    assert person.week_plan(3).level == "beginner"
    assert person.week_plan(5).level == "intermediate"


def test_an_operation_ages_and_plan_and_home_ask_for_a_new_screening(tmp_path: Path) -> None:
    answers = write_answers(tmp_path, **{**BONE, "acute_injury": True})
    screened = run_cli(
        "screen", "--answers", str(answers), "--start", START.isoformat(), today=START
    )
    assert screened.returncode == 0, screened.stderr
    early = run_cli("plan", today=START + timedelta(days=30))
    assert "operation" in early.stdout or "surgeon" in early.stdout
    assert (
        "heelcoach screen"
        not in " ".join(early.stdout.split()).split("Run `heelcoach screen`")[0][-1:]
    )
    later: date = START + timedelta(days=95)
    for command in (["plan"], []):
        shown = " ".join(run_cli(*command, today=later).stdout.split())
        assert "more than 3 months old" in shown and "heelcoach screen" in shown, command
    assert "more than 3 months old" not in " ".join(early.stdout.split())


def test_a_fracture_answer_ages_after_six_months_in_all(tmp_path: Path) -> None:
    answers = write_answers(
        tmp_path, **{**BONE, "fracture_within_months": 4, "cleared_for_impact": False}
    )
    assert (
        run_cli(
            "screen", "--answers", str(answers), "--start", START.isoformat(), today=START
        ).returncode
        == 0
    )
    assert "months old" not in run_cli("plan", today=START + timedelta(days=40)).stdout
    aged = " ".join(run_cli("plan", today=START + timedelta(days=65)).stdout.split())
    assert "more than 6 months old" in aged


def test_a_fracture_already_past_its_window_asks_nothing(tmp_path: Path) -> None:
    answers = write_answers(
        tmp_path, **{**BONE, "fracture_within_months": 8, "cleared_for_impact": False}
    )
    screened = run_cli(
        "screen", "--answers", str(answers), "--start", START.isoformat(), today=START
    )
    assert screened.returncode == 0
    assert "months old" not in run_cli("plan", today=START + timedelta(days=65)).stdout


def test_a_backdated_start_begins_at_its_week_with_nothing_missed(tmp_path: Path) -> None:
    """A physiotherapist screens someone on a Saturday with program week 1 three weeks and
    five days back: the weeks before that Saturday were never the person's to do."""
    screened_on = START + timedelta(weeks=3, days=5)
    answers = write_answers(tmp_path, **BONE)
    result = run_cli("screen", "--answers", str(answers), "--start", START.isoformat(),
                     today=screened_on)  # fmt: skip
    assert result.returncode == 0, result.stderr
    plan = run_cli("plan", today=screened_on).stdout
    assert "held" not in plan and "stepped back" not in plan and "nothing done" not in plan
    written = run_cli("plan", "--week", "4", today=screened_on).stdout
    assert plan.splitlines()[2:] == written.splitlines()[2:]  # the doses as week 4 writes them
    stats = run_cli("stats", today=screened_on).stdout
    rows = {line.split("|")[1].strip(): line for line in stats.splitlines() if "| 0" in line}
    assert all("nothing planned" in rows[week] for week in ("1", "2", "3")), rows  # not missed
    assert "0/0" not in stats and "low" not in rows["4*"]
    so_far = re.search(r"0/(\d+) 0% so far", rows["4*"])
    home = " ".join(run_cli(today=screened_on).stdout.split())
    said = f"0 sets done, {so_far[1]} planned so far" if so_far else "none planned yet"
    assert said in home  # the home screen counts the same days as stats
    # A real break after the screening still counts: weeks 5, 6 and 7 with nothing done.
    later = run_cli("plan", today=START + timedelta(weeks=7)).stdout  # week 8 begins
    assert "weeks with nothing done" in " ".join(later.split())
