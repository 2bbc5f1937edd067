"""The week plan: doses by week, spacing, training days, goal mixes, the daily impact
ceiling (a property test over generated profiles and weeks), and the JSON contract."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, date, datetime, timedelta

import pytest
from helpers import content_library, profile

from heelcoach.domain.planner import PlanItem, WeekPlan, build_week, impact_ceiling, week_of
from heelcoach.domain.readiness import Readiness
from heelcoach.domain.records import ReadinessResult
from heelcoach.frontends.cli.render_json import plan_to_json

START = date(2026, 3, 2)
AT = datetime(2026, 3, 1, 8, tzinfo=UTC)
# Both gates open, as after passing tests, so the plan shows what the programme holds.
PASSED = Readiness.latest(
    [
        ReadinessResult(
            "00000000-0000-4000-8000-000000000001",
            "tiptoe",
            AT.date(),
            AT,
            "both",
            1,
            None,
            None,
            "entered",
        ),
        ReadinessResult(
            "00000000-0000-4000-8000-000000000002",
            "hops",
            AT.date(),
            AT,
            None,
            1,
            None,
            None,
            "entered",
        ),
    ]
)
# Healthy, young, normal bones: the default ceiling of 50.
FIT = {"age": 40, "bone_density": "normal", "t_score": None, "cleared_for_impact": True}


def week(
    number: int,
    readiness: Readiness = PASSED,
    previous: WeekPlan | None = None,
    **overrides: object,
) -> WeekPlan:
    person = profile(created=START, **{**FIT, **overrides})
    return build_week(person, content_library(), number, readiness=readiness, previous=previous)


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
    cyclic = [*sorted(days), sorted(days)[0] + 7] if days else []
    return all(b - a >= 2 for a, b in itertools.pairwise(cyclic))


# --------------------------------------------------------------------------- doses


@pytest.mark.parametrize(
    "number,sets,reps,min_days,max_days",
    [(1, 2, 10, 3, 3), (2, 2, 10, 3, 3), (3, 2, 15, 3, 4), (4, 2, 15, 3, 4)],
)
def test_heel_drop_doses_follow_the_seed_table_under_the_ceiling(
    number: int, sets: int, reps: int, min_days: int, max_days: int
) -> None:
    plan = week(number, days_per_week=5)
    found = items_of(plan, "heel-drop")
    assert {(item.sets, item.reps) for _, item in found} == {(sets, reps)}
    assert min_days <= len(found) <= max_days
    if number <= 2:
        assert no_two_days_running(days_of(plan, "heel-drop"))


# The seed doses in sets of at most 15 (ROS: short sets with pauses): 3 x 20 is 4 x 15.
@pytest.mark.parametrize("number,seed", [(5, (4, 15)), (7, (4, 15)), (12, (6, 15))])
def test_a_seed_dose_above_the_ceiling_is_cut_to_it(number: int, seed: tuple[int, int]) -> None:
    no_hops = Readiness.latest(PASSED.tiptoe)  # no jumps to share the day with
    plan = week(number, readiness=no_hops, days_per_week=5, cleared_for_impact=False)
    cut = [item for _, item in items_of(plan, "heel-drop")]
    assert cut and all(item.cut_from == seed for item in cut)
    assert all(40 <= item.heel_strikes <= 50 for item in cut)  # cut to the ceiling, not far below
    assert all(item.reps <= 15 for item in cut)  # never one unbroken set of 30 or 50


@pytest.mark.parametrize("answers", [FIT, {**FIT, "bone_density": "osteopenia", "t_score": -2.1}])
def test_a_cut_says_whom_the_ceiling_was_written_for(answers: dict[str, object]) -> None:
    from heelcoach.frontends.words.plan import cut_texts

    no_hops = Readiness.latest(PASSED.tiptoe)
    plan = build_week(profile(**answers), content_library(), 12, readiness=no_hops)
    said = cut_texts(plan, content_library())
    assert said and all("written for people with osteoporosis" in line for line in said)


def test_cautious_ceiling_for_low_bone_density_age_or_a_past_fracture() -> None:
    library = content_library()
    assert impact_ceiling(profile(**FIT), library) == 50
    assert impact_ceiling(profile(**{**FIT, "bone_density": "osteopenia"}), library) == 30
    assert impact_ceiling(profile(**{**FIT, "age": 65}), library) == 30
    assert impact_ceiling(profile(**{**FIT, "fracture_history": True}), library) == 30
    assert impact_ceiling(profile(**{**FIT, "t_score": -2.7}), library) == 30  # the stricter


@pytest.mark.parametrize("number", [5, 7, 9, 12])
def test_jumps_keep_their_dose_as_the_drops_rise(number: int) -> None:
    plan = week(number, days_per_week=6, goals=["bone"], age=70)
    ceiling = impact_ceiling(profile(**{**FIT, "age": 70}), content_library(), number)
    seed = content_library().programme.stages("heel-jump")
    jump_dose = max((s for s in seed if s.from_week <= number), key=lambda s: s.from_week)
    shared = [
        day for day in plan.days if {"heel-drop", "heel-jump"} <= {i.exercise.id for i in day.items}
    ]
    assert shared, "drops and jumps share at least one day"
    for day in shared:
        assert day.heel_strikes <= ceiling
        jump = next(item for item in day.items if item.exercise.id == "heel-jump")
        drop = next(item for item in day.items if item.exercise.id == "heel-drop")
        assert (jump.sets, jump.reps) == (jump_dose.sets, jump_dose.reps)
        assert drop.reps is not None and drop.reps >= 5  # never a token set


def test_the_cautious_ceiling_builds_towards_about_50() -> None:
    library = content_library()
    person = profile(**{**FIT, "bone_density": "osteoporosis", "t_score": -2.8})
    assert [impact_ceiling(person, library, week) for week in (1, 3, 7, 12)] == [30, 40, 50, 50]


def test_heel_jumps_join_in_week_three_on_non_consecutive_days() -> None:
    assert not items_of(week(2), "heel-jump")
    plan = week(3)
    found = items_of(plan, "heel-jump")
    assert found and {(i.sets, i.reps) for _, i in found} == {(2, 10)}
    assert no_two_days_running(days_of(plan, "heel-jump"))


def test_jumps_wait_for_the_hop_test_in_every_week() -> None:
    plan = week(9, readiness=Readiness.latest(PASSED.tiptoe))
    assert not items_of(plan, "heel-jump")
    jump = plan.exclusion("heel-jump")
    assert jump is not None and jump.kind == "gate"


def test_jumps_never_fall_on_two_days_running_across_a_week_boundary() -> None:
    for days_per_week in (4, 5, 6):
        previous = None
        for number in range(3, 13):
            plan = week(
                number, previous=previous, days_per_week=days_per_week, goals=["bone", "running"]
            )
            if previous is not None:
                jumping = ("heel-jump", "high-knee-heel-kick")
                ended = any(i.exercise.id in jumping for i in previous.days[-1].items)
                starts = any(i.exercise.id in jumping for i in plan.days[0].items)
                assert not (ended and starts), (days_per_week, number)
            for exercise_id in ("heel-jump", "high-knee-heel-kick"):
                assert no_two_days_running(days_of(plan, exercise_id))
            previous = plan


def test_eccentric_drops_ten_then_fifteen_per_leg_then_the_full_protocol() -> None:
    first, second, fifth = (week(n, goals=["achilles"]) for n in (1, 2, 5))
    assert {(i.sets, i.reps) for _, i in items_of(first, "eccentric-heel-drop")} == {(1, 10)}
    assert {(i.sets, i.reps) for _, i in items_of(second, "eccentric-heel-drop")} == {(1, 15)}
    assert {(i.sets, i.reps) for _, i in items_of(fifth, "eccentric-heel-drop")} == {(3, 15)}
    assert len(items_of(first, "eccentric-heel-drop")) == 4
    assert all(item.per_side for _, item in items_of(first, "eccentric-heel-drop"))


def test_every_strength_day_ends_with_the_calf_stretch() -> None:
    plan = week(3, goals=["bone"])  # the bone goal has bridges and split squats, no stretch
    for day in plan.days:
        families = [item.exercise.family for item in day.items]
        if "strength" in families:
            assert day.items[-1].exercise.id == "calf-stretch"


def test_warm_up_opens_every_day_with_drops_or_jumps() -> None:
    plan = week(3, goals=["bone"])
    for day in plan.days:
        ids = [item.exercise.id for item in day.items]
        if {"heel-drop", "heel-jump"} & set(ids):
            assert day.items[0].exercise.family == "warm-up"


def test_one_leg_drops_join_at_week_seven_held_throughout() -> None:
    assert not items_of(week(6), "single-leg-heel-drop")
    found = items_of(week(7), "single-leg-heel-drop")
    assert found and all(item.support_required for _, item in found)
    assert all("throughout" in (item.support or "") for _, item in found)


@pytest.mark.parametrize("days", [2, 3, 4, 5, 6])
def test_training_days_never_exceed_days_per_week(days: int) -> None:
    plan = week(8, days_per_week=days, goals=["bone", "achilles", "running", "strength"])
    assert sum(not day.is_rest for day in plan.days) <= days


def test_a_dose_that_does_not_fit_the_days_says_so() -> None:
    plan = week(1, days_per_week=2, goals=["achilles"])
    assert any(
        n.kind == "too-few-days" and n.exercise == "eccentric-heel-drop" for n in plan.notices
    )


@pytest.mark.parametrize(
    "goal,expected",
    [
        ("bone", {"heel-drop", "bridge", "split-squat"}),
        ("achilles", {"eccentric-heel-drop", "calf-stretch"}),
        ("strength", {"bridge", "side-lying-hamstring-curl", "split-squat", "calf-stretch"}),
        ("running", {"heel-kick-running", "eccentric-heel-drop", "split-squat"}),
    ],
)
def test_goals_choose_the_mix(goal: str, expected: set[str]) -> None:
    planned = {item.exercise.id for item in week(3, goals=[goal]).items()}
    assert expected <= planned


def test_levels_by_week_and_dates_from_the_profile_day() -> None:
    assert [week(n).level for n in (1, 2, 3, 6, 7, 12)] == [
        "beginner",
        "beginner",
        "intermediate",
        "intermediate",
        "advanced",
        "advanced",
    ]
    plan = week(2)
    assert plan.days[0].date == START + timedelta(days=7) and len(plan.days) == 7
    assert week_of(profile(created=START), START + timedelta(days=13)) == 2


# --------------------------------------------------------------------------- the ceiling, always


def generated_answers(rng: random.Random) -> dict[str, object]:
    """A random, valid screening that does not refer (referrals plan nothing)."""
    answers: dict[str, object] = {
        "age": rng.randint(16, 100),
        "goals": rng.sample(["bone", "achilles", "running", "strength"], rng.randint(1, 4)),
        "bone_density": rng.choice(["normal", "osteopenia", "osteoporosis", "unknown"]),
        "fracture_history": rng.random() < 0.2,
        "balance_problems": rng.random() < 0.2,
        "joint_pain": rng.sample(["ankle", "knee", "hip", "low_back"], rng.randint(0, 1)),
        "cleared_for_impact": rng.random() < 0.5,
        "has_step": rng.random() < 0.8,
        "has_support": rng.random() < 0.9,
        "days_per_week": rng.randint(2, 6),
    }
    density = answers["bone_density"]
    answers["t_score"] = (
        round(rng.uniform(-4, -1), 1) if density in ("osteopenia", "osteoporosis") else None
    )
    if rng.random() < 0.3:
        answers.update(
            achilles_pain=True,
            tiptoe_hold_ok=rng.random() < 0.8,
            achilles_pain_site=rng.choice(["mid", "insertion", "unsure"]),
        )
    return answers


@pytest.mark.parametrize("seed", range(40))
def test_every_plan_keeps_the_daily_impact_ceiling(seed: int) -> None:
    rng = random.Random(seed)
    person = profile(created=START, **generated_answers(rng))
    library = content_library()
    previous = None
    for number in range(1, 17):
        ceiling = impact_ceiling(person, library, number)
        plan = build_week(person, library, number, readiness=PASSED, previous=previous)
        for day in plan.days:
            assert day.heel_strikes <= ceiling, (seed, number, day.date)
            assert day.heel_strikes <= 50
            for item in day.items:  # never a token set: 5 at least, per side for one leg
                assert not item.heel_strikes or (item.reps or 0) >= 5, (seed, number, item)
        previous = plan


# --------------------------------------------------------------------------- JSON


def test_json_contract_shape() -> None:
    person = profile(created=START, **{**FIT, "balance_problems": True, "has_step": False})
    plan = build_week(person, content_library(), 3, readiness=PASSED)
    data = plan_to_json(plan, person, content_library())
    assert set(data) == {"week", "level", "days", "excluded", "warnings", "referral"}
    assert len(data["days"]) == 7 and data["referral"] is None
    item = next(i for day in data["days"] for i in day["items"])
    assert {"exercise", "sets", "reps", "seconds", "per_side", "support"} <= set(item)
    assert (item["reps"] is None) != (item["seconds"] is None)
    assert all(set(e) == {"exercise", "reason"} and e["reason"] for e in data["excluded"])
    assert all(isinstance(w, str) and w for w in data["warnings"])


def test_json_contract_referral_names_what_was_reported() -> None:
    person = profile(created=START, chest_pain=True, pregnant=True, cleared_for_exercise=False)
    data = plan_to_json(build_week(person, content_library(), 1), person, content_library())
    assert data["referral"].startswith("You reported chest pain and pregnancy.")
    assert all(day["items"] == [] for day in data["days"])
