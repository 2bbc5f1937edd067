"""The week plan: doses by week, spacing, training days, goal mixes, and the JSON contract."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from helpers import content_library, profile

from heelcoach.domain.planner import PlanItem, WeekPlan, build_week, week_of
from heelcoach.frontends.cli.render_json import plan_to_json

START = date(2026, 3, 2)


def week(number: int, **overrides: object) -> WeekPlan:
    return build_week(profile(created=START, **overrides), content_library(), number)


def items_of(plan: WeekPlan, exercise_id: str) -> list[tuple[int, PlanItem]]:
    return [
        (index, item)
        for index, day in enumerate(plan.days)
        for item in day.items
        if item.exercise.id == exercise_id
    ]


def days_of(plan: WeekPlan, exercise_id: str) -> list[int]:
    return [index for index, _ in items_of(plan, exercise_id)]


def no_two_days_running(days: list[int]) -> bool:
    cyclic = [*sorted(days), days[0] + 7] if days else []
    return all(b - a >= 2 for a, b in itertools.pairwise(cyclic))


@pytest.mark.parametrize(
    "number,sets,reps,min_days,max_days",
    [
        (1, 2, 10, 3, 3),
        (2, 2, 10, 3, 3),
        (3, 2, 15, 3, 4),
        (6, 3, 20, 3, 4),
        (7, 3, 20, 4, 5),
        (12, 3, 30, 4, 5),
    ],
)
def test_heel_drop_doses_follow_the_seed_table(
    number: int, sets: int, reps: int, min_days: int, max_days: int
) -> None:
    plan = week(number, days_per_week=5)
    found = items_of(plan, "heel-drop")
    assert {(item.sets, item.reps) for _, item in found} == {(sets, reps)}
    assert min_days <= len(found) <= max_days
    if number <= 2:
        assert no_two_days_running(days_of(plan, "heel-drop"))


def test_intermediate_and_advanced_ranges_hold_for_every_week() -> None:
    for number in range(3, 7):
        for _, item in items_of(week(number, days_per_week=5), "heel-drop"):
            assert 2 <= item.sets <= 3 and 15 <= (item.reps or 0) <= 20
    for number in range(7, 15):
        for _, item in items_of(week(number, days_per_week=5), "heel-drop"):
            assert item.sets == 3 and 20 <= (item.reps or 0) <= 30


def test_heel_jumps_join_in_week_three_on_non_consecutive_days() -> None:
    assert not items_of(week(2), "heel-jump")
    for number in (3, 5, 8):
        plan = week(number, days_per_week=6)
        found = items_of(plan, "heel-jump")
        assert 2 <= len(found) <= 3
        assert all(2 <= item.sets <= 3 and 10 <= (item.reps or 0) <= 15 for _, item in found)
        assert no_two_days_running(days_of(plan, "heel-jump"))


def test_heel_jumps_need_a_base_exercise_in_the_plan() -> None:
    # Foot problems rule out heel drops; without the Achilles goal there is no base.
    plan = week(5, foot_condition=True)
    assert not items_of(plan, "heel-jump")


def test_eccentric_drops_ten_then_fifteen_per_leg_on_four_days() -> None:
    first = items_of(week(1, goals=["achilles"]), "eccentric-heel-drop")
    second = items_of(week(2, goals=["achilles"]), "eccentric-heel-drop")
    assert len(first) == 4 and {i.reps for _, i in first} == {10}
    assert len(second) == 4 and {i.reps for _, i in second} == {15}
    assert all(item.per_side for _, item in first)
    later = items_of(week(5, goals=["achilles"]), "eccentric-heel-drop")
    assert all(item.sets * (item.reps or 0) > 15 for _, item in later)


def test_warm_up_opens_every_day_with_drops_or_jumps() -> None:
    plan = week(4, goals=["bone"])
    for day in plan.days:
        ids = [item.exercise.id for item in day.items]
        if {"heel-drop", "heel-jump"} & set(ids):
            assert day.items[0].exercise.family == "warm-up"
            assert 2 <= day.items[0].sets <= 3 and 20 <= (day.items[0].seconds or 0) <= 30


def test_heel_jumps_come_before_heel_drops_straight_after_the_warm_up() -> None:
    for day in week(5, goals=["bone"], days_per_week=6).days:
        ids = [item.exercise.id for item in day.items]
        if "heel-jump" in ids:
            assert ids.index("heel-jump") == 1


def test_strength_work_is_ten_slow_reps_per_side_where_one_sided() -> None:
    plan = week(1, goals=["strength"])
    for exercise_id, one_sided in (
        ("bridge", False),
        ("side-lying-hamstring-curl", True),
        ("split-squat", True),
    ):
        found = items_of(plan, exercise_id)
        assert found, exercise_id
        assert all(item.reps == 10 and item.per_side is one_sided for _, item in found)


@pytest.mark.parametrize("days", [2, 3, 4, 5, 6])
def test_training_days_never_exceed_days_per_week(days: int) -> None:
    plan = week(8, goals=["bone", "achilles", "running", "strength"], days_per_week=days)
    assert sum(not day.is_rest for day in plan.days) <= days


def test_a_goal_that_does_not_fit_says_so() -> None:
    plan = week(1, goals=["achilles"], days_per_week=3)
    assert len(items_of(plan, "eccentric-heel-drop")) == 3
    assert any("4 days" in warning for warning in plan.warnings)


@pytest.mark.parametrize(
    "goal,expected",
    [
        ("bone", {"heel-kick-marching", "heel-drop", "bridge", "split-squat"}),
        ("achilles", {"eccentric-heel-drop", "calf-stretch"}),
        ("running", {"heel-kick-running", "eccentric-heel-drop", "split-squat"}),
        ("strength", {"bridge", "side-lying-hamstring-curl", "split-squat", "calf-stretch"}),
    ],
)
def test_goals_choose_the_mix(goal: str, expected: set[str]) -> None:
    plan = week(1, goals=[goal], days_per_week=6)
    planned = {item.exercise.id for day in plan.days for item in day.items}
    assert expected <= planned


def test_goals_merge_without_doubling_an_exercise() -> None:
    plan = week(4, goals=["bone", "achilles", "running", "strength"], days_per_week=6)
    for day in plan.days:
        ids = [item.exercise.id for item in day.items]
        assert len(ids) == len(set(ids))
        assert sum(item.exercise.family == "warm-up" for item in day.items) <= 1


def test_week_dates_start_on_the_profile_day() -> None:
    plan = week(3)
    assert plan.days[0].date == START + timedelta(days=14)
    assert [d.date for d in plan.days] == [START + timedelta(days=14 + i) for i in range(7)]
    assert week_of(profile(created=START), START + timedelta(days=13)) == 2


def test_levels_by_week() -> None:
    assert [week(n).level for n in (1, 2, 3, 6, 7, 20)] == [
        "beginner",
        "beginner",
        "intermediate",
        "intermediate",
        "advanced",
        "advanced",
    ]


# --------------------------------------------------------------------------- JSON contract

ITEM_KEYS = {
    "exercise": str,
    "sets": int,
    "reps": (int, type(None)),
    "seconds": (int, type(None)),
    "per_side": bool,
    "support": (str, type(None)),
}


def test_json_contract_shape() -> None:
    data = plan_to_json(week(3, balance_problems=True, has_step=False))
    assert set(data) == {"week", "level", "days", "excluded", "warnings", "referral"}
    assert data["week"] == 3 and data["level"] in ("beginner", "intermediate", "advanced")
    assert len(data["days"]) == 7
    for day in data["days"]:
        assert set(day) == {"date", "items"}
        date.fromisoformat(day["date"])
        for item in day["items"]:
            assert set(ITEM_KEYS) <= set(item)
            for key, kind in ITEM_KEYS.items():
                assert isinstance(item[key], kind), (key, item[key])
            assert (item["reps"] is None) != (item["seconds"] is None)
    assert data["excluded"] and all(set(e) == {"exercise", "reason"} for e in data["excluded"])
    assert all(isinstance(w, str) for w in data["warnings"]) and data["referral"] is None


def test_json_contract_referral() -> None:
    data = plan_to_json(week(1, chest_pain=True))
    assert isinstance(data["referral"], str)
    assert all(day["items"] == [] for day in data["days"])
