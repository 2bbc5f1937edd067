"""Progression that listens, replayed through the real store.

Each scenario screens a person (the real `screen --answers`), then lives through weeks
day by day: it does each planned set as the plan of that day says (stored in the real
SQLite history, with a pain rating), checks in the next morning, sometimes runs a
readiness test, and asks the plan the way `heelcoach plan` does. The assertions are
about what a person would see: doses, levels, locks, and the reasons given.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from helpers import content_library, open_store, run_cli, saved_profile, write_answers

from heelcoach.domain.planner import WeekPlan, week_start
from heelcoach.domain.records import CheckIn, ReadinessResult, SessionRecord, SetRecord
from heelcoach.frontends.words.plan import note_text
from heelcoach.services.progress import current_week_plan

START = date(2026, 1, 5)  # a Monday
BONE = {"goals": ["bone"], "days_per_week": 3, "age": 50, "bone_density": "normal", "t_score": None}
ACHILLES = {
    "goals": ["achilles"],
    "days_per_week": 4,
    "achilles_pain": True,
    "achilles_pain_site": "mid",
    "tiptoe_hold_ok": True,
}


def at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


class Person:
    """Someone training by the plan, one day at a time, into the real history."""

    def __init__(self, tmp_path: Path, **answers: object) -> None:
        result = run_cli(
            "screen",
            "--answers",
            str(write_answers(tmp_path, **answers)),
            "--start",
            START.isoformat(),
            today=START,  # screened on the day program week 1 begins
        )
        assert result.returncode == 0, result.stderr
        profile = saved_profile()
        assert profile is not None
        self.profile, self.library = profile, content_library()

    def plan_on(self, day: date) -> WeekPlan:
        with open_store(create=False) as store:
            return current_week_plan(store, self.profile, self.library, day)

    def week_plan(self, week: int) -> WeekPlan:
        return self.plan_on(week_start(self.profile, week))

    def live_week(
        self,
        week: int,
        *,
        pain: int | None = 2,
        morning: tuple[int, int] | None = (1, 1),
        share: float = 1.0,
        session_pain: int | None = None,
        pain_on: str | None = None,
        mornings: list[tuple[int, int]] | None = None,
    ) -> None:
        """Train every planned day of `week` (the plan as it stands that morning)."""
        first = week_start(self.profile, week)
        rising = iter(mornings or [])
        for offset in range(7):
            day = first + timedelta(days=offset)
            planned = self.plan_on(day).day(day)
            if planned is None or planned.is_rest:
                continue
            self.train(day, planned.items, pain, share, session_pain, pain_on)
            score = next(rising, None) or morning
            if score is not None:
                self.check_in(day + timedelta(days=1), *score)

    def train(
        self,
        day: date,
        items: object,
        pain: int | None,
        share: float,
        session_pain: int | None,
        pain_on: str | None,
    ) -> None:
        session = f"s-{day.isoformat()}"
        rows = []
        for item in items:  # type: ignore[attr-defined]
            sets = max(1, round(item.sets * share)) if share < 1 else item.sets
            if share == 0:
                continue
            for number in range(1, sets + 1):
                for side in ("left", "right") if item.per_side else (None,):
                    rated = pain if pain_on in (None, item.exercise.id) else 1
                    rows.append(
                        SetRecord(
                            SetRecord.new_uuid(),
                            item.exercise.id,
                            number,
                            side,
                            item.reps,
                            item.seconds,
                            item.reps,
                            item.seconds,
                            rated,
                            day,
                            at(day),
                            at(day),
                            session,
                            "live",
                        )
                    )
        with open_store() as store:
            store.start_session(
                SessionRecord(session, day, at(day), at(day, 10), session_pain, "finished")
            )
            store.add_sets(rows)

    def check_in(self, day: date, pain: int, stiffness: int) -> None:
        with open_store() as store:
            store.save_checkin(CheckIn(day, pain, stiffness, at(day, 7)))

    def test(self, test: str, pain: int, day: date) -> None:
        result = ReadinessResult(
            SetRecord.new_uuid(),
            test,
            day,
            at(day, 8),
            "both" if test == "tiptoe" else None,
            pain,
            None,
            None,
            "entered",
        )
        with open_store() as store:
            store.add_readiness([result])

    def notes(self, plan: WeekPlan) -> list[str]:
        return [note_text(note, self.library) for note in plan.progress.notes]


def doses(plan: WeekPlan, exercise_id: str) -> set[tuple[int, int | None]]:
    return {(i.sets, i.reps) for i in plan.items() if i.exercise.id == exercise_id}


# --------------------------------------------------------------------------- scenarios


def test_perfect_adherence_moves_on_level_by_level(tmp_path: Path) -> None:
    person = Person(tmp_path, **BONE)
    for week in (1, 2):
        person.live_week(week)
    third = person.week_plan(3)
    assert third.level == "intermediate"
    assert doses(third, "heel-drop") == {(2, 15)}
    assert person.notes(third) == ["moved on: 100% of planned sets done in week 2, pain at most 5"]


def test_half_the_sets_holds_the_dose_and_says_why(tmp_path: Path) -> None:
    person = Person(tmp_path, **BONE)
    person.live_week(1)
    person.live_week(2, share=0.5)
    third = person.week_plan(3)
    assert third.level == "beginner" and doses(third, "heel-drop") == {(2, 10)}
    note = person.notes(third)[0]
    assert note.startswith("held: ") and note.endswith("done in week 2 (moving on needs 80%)")


def test_pain_7_in_week_2_steps_that_exercise_back_at_once(tmp_path: Path) -> None:
    person = Person(tmp_path, **BONE)
    for week in (1, 2, 3):
        person.live_week(week)
    before = person.week_plan(4)
    assert doses(before, "heel-drop") == {(2, 15)}
    monday = week_start(person.profile, 4)
    person.train(monday, list(before.day(monday).items), 7, 1.0, None, "heel-drop")  # type: ignore[union-attr]
    after = person.plan_on(monday + timedelta(days=1))
    assert doses(after, "heel-drop") == {(2, 10)}  # back down the ladder, for the next session
    assert any("heel drop hurt 7/10" in note for note in person.notes(after))
    assert doses(after, "bridge") == doses(before, "bridge")  # only the painful exercise


def test_a_painful_session_answer_steps_back_everything_in_it(tmp_path: Path) -> None:
    person = Person(tmp_path, **BONE)
    for week in (1, 2, 3):
        person.live_week(week)
    monday = week_start(person.profile, 4)
    items = person.plan_on(monday).day(monday).items  # type: ignore[union-attr]
    person.train(monday, items, None, 1.0, 7, None)  # no set rated; the session said 7
    after = person.plan_on(monday + timedelta(days=1))
    assert doses(after, "heel-drop") == {(2, 10)}


def test_mornings_at_8_of_10_never_move_on_and_call_for_a_professional(tmp_path: Path) -> None:
    person = Person(tmp_path, **BONE)
    for week in (1, 2, 3, 4):
        person.live_week(week, morning=(8, 8))
    plan = person.week_plan(5)
    assert plan.level == "beginner" and doses(plan, "heel-drop") == {(2, 10)}
    assert plan.progress.hold
    checkin = run_cli("checkin", "--pain", "8", "--stiffness", "8", "--date", "2026-01-20")
    assert "too much" in checkin.stdout


def test_mornings_rising_step_back_each_time(tmp_path: Path) -> None:
    person = Person(tmp_path, **BONE)
    person.live_week(1)
    person.live_week(2)
    person.live_week(3, mornings=[(2, 2), (3, 3), (4, 4)])
    plan = person.week_plan(4)
    assert doses(plan, "heel-drop") == {(2, 10)}  # every worse morning stepped it back
    assert any("check-in" in note for note in person.notes(plan)) or person.notes(plan)[
        0
    ].startswith("held")


def test_no_check_ins_hold_the_dose_and_say_so(tmp_path: Path) -> None:
    person = Person(tmp_path, **BONE)
    for week in (1, 2, 3):
        person.live_week(week, morning=None)
    plan = person.week_plan(4)
    assert plan.level == "beginner" and doses(plan, "heel-drop") == {(2, 10)}
    assert "next-morning check-in" in person.notes(plan)[0]


def test_sets_logged_without_pain_are_not_evidence_of_no_pain(tmp_path: Path) -> None:
    person = Person(tmp_path, **BONE)
    for week in (1, 2):
        person.live_week(week, pain=None)
    plan = person.week_plan(3)
    assert plan.level == "beginner"
    assert "pain rating" in person.notes(plan)[0]


def test_achilles_at_pain_4_throughout_still_progresses(tmp_path: Path) -> None:
    person = Person(tmp_path, **ACHILLES)
    seen = []
    for week in (1, 2, 3, 4, 5):
        seen.append(doses(person.week_plan(week), "eccentric-heel-drop"))
        person.live_week(week, pain=4, morning=(4, 4))
    seen.append(doses(person.week_plan(6), "eccentric-heel-drop"))
    assert seen[:5] == [{(1, 10)}, {(1, 15)}, {(2, 15)}, {(2, 15)}, {(3, 15)}]
    assert "eccentric-heel-drop-bent-knee" in {i.exercise.id for i in person.week_plan(6).items()}


def test_a_painful_tiptoe_test_locks_the_loading_and_a_better_one_unlocks_it(
    tmp_path: Path,
) -> None:
    person = Person(tmp_path, **{**BONE, "goals": ["bone", "achilles"]})
    person.live_week(1)
    monday = week_start(person.profile, 2)
    person.test("tiptoe", 7, monday)
    locked = person.plan_on(monday)
    planned = {i.exercise.id for i in locked.items()}
    assert not {"heel-drop", "eccentric-heel-drop"} & planned
    assert locked.exclusion("heel-drop").kind == "gate"  # type: ignore[union-attr]
    person.test("tiptoe", 3, monday + timedelta(days=2))
    again = person.plan_on(monday + timedelta(days=2))
    assert {"heel-drop", "eccentric-heel-drop"} <= {i.exercise.id for i in again.items()}


def test_hops_failing_keep_jumps_locked_and_passing_opens_them(tmp_path: Path) -> None:
    person = Person(tmp_path, **BONE)
    for week in (1, 2):
        person.live_week(week)
    monday = week_start(person.profile, 3)
    person.test("hops", 6, monday)
    assert "heel-jump" not in {i.exercise.id for i in person.plan_on(monday).items()}
    person.test("hops", 2, monday)
    assert "heel-jump" in {i.exercise.id for i in person.plan_on(monday).items()}


def test_jumps_wait_for_base_weeks_with_little_pain(tmp_path: Path) -> None:
    person = Person(tmp_path, **BONE)
    person.test("hops", 1, START)
    for week in (1, 2):
        person.live_week(week, pain=5)  # acceptable pain moves on, but builds no base
    plan = person.week_plan(3)
    assert plan.level == "intermediate"
    assert plan.exclusion("heel-jump").kind == "base"  # type: ignore[union-attr]


def test_drops_below_5_build_the_base_like_the_hop_test(tmp_path: Path) -> None:
    """clinical-notes.md unlocks hopping below 5/10: drops at 4/10 build the base."""
    person = Person(tmp_path, **BONE)
    person.test("hops", 3, START)
    for week in (1, 2):
        person.live_week(week, pain=4)
    assert "heel-jump" in {item.exercise.id for item in person.week_plan(3).items()}


@pytest.mark.parametrize("days", [3, 4])
def test_the_current_week_is_the_same_plan_plan_shows(tmp_path: Path, days: int) -> None:
    person = Person(tmp_path, **{**BONE, "days_per_week": days})
    person.live_week(1)
    today = week_start(person.profile, 2) + timedelta(days=1)
    shown = run_cli("plan", "--json", today=today)
    assert shown.returncode == 0, shown.stderr
    assert '"week": 2' in shown.stdout
