"""Progression as a decision table: what each kind of week leads to, and the reason shown.

Histories are built directly (no store): each finished week is done as planned at some
share of its sets, with some pain, and possibly followed by a worse morning check-in.
"""

from __future__ import annotations

import math
from datetime import UTC, date, timedelta
from pathlib import Path

import pytest
from helpers import content_library, open_store, profile, run_cli, write_answers

from heelcoach.domain import progression
from heelcoach.domain.planner import WeekPlan, week_of
from heelcoach.domain.progression import DayVolume, History, MorningCheck
from heelcoach.storage.store import SetRecord

START = date(2026, 1, 5)
BONE = {"goals": ["bone"]}
# 30 planned set rows in weeks 1 and 2, so 60% and 80% are whole numbers of sets.
LEVELS = {"goals": ["bone", "achilles"], "days_per_week": 3}
ACHILLES = {"goals": ["achilles"], "achilles_pain": True, "tiptoe_hold_ok": True}


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEELCOACH_CACHE_DIR", str(tmp_path / "cache"))


def planned_rows(plan: WeekPlan) -> int:
    return sum(item.sets * (2 if item.per_side else 1) for day in plan.days for item in day.items)


def week_as_done(
    plan: WeekPlan, share: float = 1.0, pain: int | None = 2, only: str | None = None
) -> list[DayVolume]:
    """Volumes for `plan`'s training days: every planned set row when share is 1, else the
    first `share` of them (rounded up), each exercise-day with `pain`."""
    wanted = math.ceil(planned_rows(plan) * share - 1e-9)
    volumes: list[DayVolume] = []
    for day in plan.days:
        for item in day.items:
            if only is not None and item.exercise.id != only:
                continue
            rows = min(item.sets * (2 if item.per_side else 1), wanted)
            if rows > 0:
                volumes.append(DayVolume(day.date, item.exercise.id, rows, pain))
                wanted -= rows
    return volumes


class Diary:
    """Builds a History week by week, planning each week from the progress so far."""

    def __init__(self, **overrides: object) -> None:
        self.profile = profile(created=START, **overrides)
        self.library = content_library()
        self.volumes: list[DayVolume] = []
        self.sessions: list[tuple[date, int]] = []
        self.checks: list[MorningCheck] = []

    @property
    def history(self) -> History:
        return History(
            tuple(sorted(self.volumes, key=lambda v: (v.day, v.exercise))),
            tuple(self.sessions),
            tuple(self.checks),
        )

    def plan(self, week: int) -> WeekPlan:
        return progression.review_weeks(self.profile, self.library, self.history, week)[-1][0]

    def week(
        self,
        share: float = 1.0,
        pain: int | None = 2,
        session_pain: int | None = None,
        worse_morning: bool = False,
    ) -> WeekPlan:
        """Do the next week; returns its plan."""
        number = 1 + len(
            {week_of(self.profile, v.day) for v in self.volumes}
            | {week_of(self.profile, d) for d, _ in self.sessions}
        )
        plan = self.plan(number)
        self.volumes += week_as_done(plan, share, pain)
        first_training = next(day.date for day in plan.days if not day.is_rest)
        if session_pain is not None:
            self.sessions.append((first_training, session_pain))
        if worse_morning:
            self.checks += [
                MorningCheck(first_training, 1, 1),
                MorningCheck(first_training + timedelta(days=1), 3, 1),
            ]
        return plan


def items(plan: WeekPlan, exercise_id: str) -> set[tuple[int, int | None]]:
    return {
        (item.sets, item.reps)
        for day in plan.days
        for item in day.items
        if item.exercise.id == exercise_id
    }


# --------------------------------------------------------------------------- levels


def test_beginner_moves_to_intermediate_only_after_two_weeks_on_plan() -> None:
    diary = Diary(**LEVELS)
    first = diary.week()
    assert first.level == "beginner" and planned_rows(first) == 30
    second = diary.week()
    assert second.level == "beginner"  # one good week is not enough
    assert second.level_reasons == (
        "moved on: 100% of planned sets done in week 1, pain at most 5",
    )
    third = diary.plan(3)
    assert third.level == "intermediate"
    assert third.level_reasons == ("moved on: 100% of planned sets done in week 2, pain at most 5",)
    assert items(third, "heel-drop") == {(2, 15)}


@pytest.mark.parametrize(
    "share,pain,level,reason",
    [
        (1.0, 5, "intermediate", "moved on: 100% of planned sets done in week 2, pain at most 5"),
        (0.8, 2, "intermediate", "moved on: 80% of planned sets done in week 2, pain at most 5"),
        (0.6, 2, "beginner", "held: 60% of planned sets done in week 2 (moving on needs 80%)"),
        (0.7, 0, "beginner", "held: 70% of planned sets done in week 2 (moving on needs 80%)"),
        (0.0, None, "beginner", "held: 0% of planned sets done in week 2 (moving on needs 80%)"),
        (1.0, 6, "beginner", "stepped back: pain reached 6/10 in week 2 (above 5 is too much)"),
        (0.6, 7, "beginner", "stepped back: pain reached 7/10 in week 2 (above 5 is too much)"),
    ],
)
def test_the_second_week_decides_the_third(
    share: float, pain: int | None, level: str, reason: str
) -> None:
    diary = Diary(**LEVELS)
    diary.week()
    diary.week(share=share, pain=pain)
    third = diary.plan(3)
    assert third.level == level
    assert third.level_reasons == (reason,)


def test_held_weeks_keep_the_dose_until_the_sets_are_done() -> None:
    diary = Diary(**LEVELS)
    for _ in range(3):
        diary.week(share=0.6)
    held = diary.plan(4)
    assert held.level == "beginner" and items(held, "heel-drop") == {(2, 10)}
    assert held.level_reasons == ("held: 60% of planned sets done in week 3 (moving on needs 80%)",)


def test_session_pain_of_seven_steps_back_a_level() -> None:
    diary = Diary(**BONE)
    diary.week()
    diary.week()
    assert diary.week(session_pain=7).level == "intermediate"  # week 3, then pain 7
    fourth = diary.plan(4)
    assert fourth.level == "beginner"
    assert items(fourth, "heel-drop") == {(2, 10)}
    assert fourth.level_reasons == (
        "stepped back: pain reached 7/10 in week 3 (above 5 is too much)",
    )


def test_a_beginner_stepping_back_starts_the_beginner_weeks_again() -> None:
    diary = Diary(**BONE)
    diary.week(session_pain=7)
    second = diary.plan(2)
    assert second.level == "beginner" and second.level_reasons[0].startswith("stepped back")
    assert items(second, "heel-drop") == {(2, 10)}
    diary.week()
    assert diary.plan(3).level == "beginner"  # week 2 was the first beginner week again
    diary.week()
    assert diary.plan(4).level == "intermediate"


def test_a_worse_next_morning_steps_back_even_with_every_set_done() -> None:
    diary = Diary(**BONE)
    diary.week()
    diary.week()
    third = diary.week(worse_morning=True)
    fourth = diary.plan(4)
    assert fourth.level == "beginner"
    morning = next(day.date for day in third.days if not day.is_rest) + timedelta(days=1)
    assert fourth.level_reasons == (
        f"stepped back: the check-in on {morning:%a %d %b} was worse than the one before it "
        "(week 3)",
    )


def test_a_same_or_better_morning_does_not_step_back() -> None:
    diary = Diary(**BONE)
    first = diary.week()
    day = next(d.date for d in first.days if not d.is_rest)
    diary.checks += [MorningCheck(day, 3, 3), MorningCheck(day + timedelta(days=1), 3, 2)]
    assert diary.plan(2).level_reasons[0].startswith("moved on")


def test_a_worse_morning_after_a_rest_day_is_not_blamed_on_training() -> None:
    diary = Diary(**BONE)
    first = diary.week()
    rest = next(d.date for d in first.days if d.is_rest)
    diary.checks += [MorningCheck(rest, 1, 1), MorningCheck(rest + timedelta(days=1), 4, 4)]
    assert diary.plan(2).level_reasons[0].startswith("moved on")


# --------------------------------------------------------------------------- eccentric drops


def test_eccentric_drops_go_10_then_15_then_more_while_pain_is_acceptable() -> None:
    diary = Diary(**ACHILLES)
    assert items(diary.week(pain=4), "eccentric-heel-drop") == {(1, 10)}
    assert items(diary.week(pain=5), "eccentric-heel-drop") == {(1, 15)}
    assert items(diary.week(pain=3), "eccentric-heel-drop") == {(2, 15)}
    assert items(diary.plan(4), "eccentric-heel-drop") == {(2, 15)}


def test_eccentric_drops_stay_at_10_when_they_hurt_too_much() -> None:
    diary = Diary(**ACHILLES)
    diary.week(pain=6)
    assert items(diary.plan(2), "eccentric-heel-drop") == {(1, 10)}


def test_eccentric_drops_step_down_from_15_when_they_hurt_too_much() -> None:
    diary = Diary(**ACHILLES)
    diary.week(pain=2)
    assert items(diary.week(pain=7), "eccentric-heel-drop") == {(1, 15)}
    assert items(diary.plan(3), "eccentric-heel-drop") == {(1, 10)}


def test_eccentric_drops_wait_at_10_until_the_sets_are_done() -> None:
    diary = Diary(**ACHILLES)
    diary.week(share=0.5, pain=1)
    assert items(diary.plan(2), "eccentric-heel-drop") == {(1, 10)}


# --------------------------------------------------------------------------- heel jumps


def jumps_in(plan: WeekPlan) -> bool:
    return bool(items(plan, "heel-jump"))


def test_heel_jumps_join_after_two_weeks_of_drops_with_pain_at_most_3() -> None:
    diary = Diary(**BONE)
    diary.week(pain=3)
    diary.week(pain=3)
    assert jumps_in(diary.plan(3))


def test_heel_jumps_stay_out_while_the_drops_hurt_more_than_3() -> None:
    diary = Diary(**BONE)
    diary.week(pain=3)
    diary.week(pain=4)  # acceptable for moving on (<= 5), not for the jump base
    third = diary.plan(3)
    assert third.level == "intermediate" and not jumps_in(third)
    reasons = {e.exercise: e.reason for e in third.excluded}
    assert reasons["heel-jump"] == content_library().rules["jumps-need-base"].reason
    diary.week(pain=2)
    assert jumps_in(diary.plan(4))  # the second base week came in week 3


def test_heel_jumps_need_drops_actually_done() -> None:
    diary = Diary(**BONE)
    for week in (1, 2):  # every planned set row done, but bridges instead of heel drops
        plan = diary.plan(week)
        done = [v for v in week_as_done(plan, pain=1) if v.exercise != "heel-drop"]
        missing = planned_rows(plan) - sum(v.sets for v in done)
        diary.volumes += [*done, DayVolume(plan.days[0].date, "bridge", missing, 1)]
    third = diary.plan(3)
    assert third.level == "intermediate" and not jumps_in(third)
    assert "heel-jump" in {e.exercise for e in third.excluded}


def test_session_pain_above_3_spoils_a_base_week() -> None:
    diary = Diary(**BONE)
    diary.week(pain=1)
    diary.week(pain=1, session_pain=4)
    assert not jumps_in(diary.plan(3))


# --------------------------------------------------------------------------- CLI


def test_plan_shows_why_the_week_was_held(tmp_path: Path) -> None:
    today = date.today()
    start = today - timedelta(days=7)  # today is in week 2
    answers_file = write_answers(tmp_path, **LEVELS)
    result = run_cli("screen", "--answers", str(answers_file), "--start", start.isoformat())
    assert result.returncode == 0, result.stderr
    person = profile(created=start, **LEVELS)
    first = progression.review_weeks(person, content_library(), History.empty(), 2)[0][0]
    assert planned_rows(first) == 30
    with open_store() as store:  # 18 of 30 planned sets: 60%
        store.add_sets([_set(start + timedelta(days=i % 7), i) for i in range(18)])
    shown = run_cli("plan", env={"COLUMNS": "200"})
    assert shown.returncode == 0, shown.stderr
    assert "Level: held: 60% of planned sets done in week 1 (moving on needs 80%)" in " ".join(
        shown.stdout.split()
    )
    assert "Week 2 - beginner" in shown.stdout


def _set(day: date, index: int) -> SetRecord:
    from datetime import datetime

    moment = datetime(day.year, day.month, day.day, 9, 0, index % 60, tzinfo=UTC)
    return SetRecord(
        uuid=SetRecord.new_uuid(),
        exercise="heel-drop",
        set_number=index + 1,
        side=None,
        reps=10,
        seconds=None,
        target_reps=10,
        target_seconds=None,
        pain=1,
        day=day,
        started_at=moment,
        ended_at=moment,
        session_id=None,
        source="log",
        note=None,
    )
