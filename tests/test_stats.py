"""Statistics: weeks, volume, impacts, pain, check-ins, adherence and the streak."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from helpers import content_library, open_store

from heelcoach.domain import stats
from heelcoach.domain.records import CheckIn
from heelcoach.domain.stats import DayVolume, Plan, WeekSpan
from heelcoach.frontends.cli.render_json import stats_to_json
from heelcoach.services.stats import gather

BAR = 0.8  # programme.yaml monitoring.move_on_adherence (checked below)

TODAY = date(2026, 11, 19)  # a Thursday


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEELCOACH_CACHE_DIR", str(tmp_path / "cache"))


def exercises() -> dict:
    return dict(content_library().exercises)


# --------------------------------------------------------------------------- weeks


def test_calendar_weeks_start_on_monday_and_end_with_this_one() -> None:
    spans = stats.week_spans(TODAY, 3, None)
    assert [(s.first, s.last) for s in spans] == [
        (date(2026, 11, 2), date(2026, 11, 8)),
        (date(2026, 11, 9), date(2026, 11, 15)),
        (date(2026, 11, 16), date(2026, 11, 22)),
    ]
    assert all(s.program_week is None for s in spans)


def test_program_weeks_start_on_the_profile_day_and_are_numbered() -> None:
    start = date(2026, 10, 31)  # a Saturday: week 3 is 14-20 Nov
    spans = stats.week_spans(TODAY, 4, start)
    assert [s.program_week for s in spans] == [None, 1, 2, 3]
    assert spans[-1] == WeekSpan(date(2026, 11, 14), date(2026, 11, 20), 3)
    assert spans[0].first == date(2026, 10, 24)


# --------------------------------------------------------------------------- compute


def volume(
    day: date,
    exercise: str,
    sets: int = 1,
    reps: int = 0,
    seconds: int = 0,
    pain: int | None = None,
) -> DayVolume:
    return DayVolume(day, exercise, sets, reps, seconds, pain)


def run(
    volumes: list[DayVolume],
    sessions: list = (),
    mornings: list = (),
    plans: list[Plan] | None = None,
    weeks: int = 2,
) -> stats.Stats:
    spans = stats.week_spans(TODAY, weeks, None)
    return stats.compute(TODAY, spans, volumes, list(sessions), list(mornings), exercises(), plans)


def test_volume_per_exercise_and_week_in_reps_or_seconds() -> None:
    result = run(
        [
            volume(date(2026, 11, 10), "heel-drop", 2, reps=30),
            volume(date(2026, 11, 17), "heel-drop", 1, reps=15),
            volume(date(2026, 11, 18), "calf-stretch", 2, seconds=60),
            volume(date(2026, 11, 1), "heel-drop", 9, reps=99),
        ]
    )  # before the window
    by_id = {v.exercise: v for v in result.volumes}
    assert by_id["heel-drop"].per_week == (30, 15) and by_id["heel-drop"].unit == "reps"
    assert by_id["heel-drop"].sets_per_week == (2, 1)
    assert by_id["calf-stretch"].per_week == (0, 60) and by_id["calf-stretch"].unit == "s"
    assert [w.sets for w in result.weeks] == [2, 3]
    assert result.total_sets == 5


def test_impacts_count_reps_of_bone_impact_exercises_only() -> None:
    result = run(
        [
            volume(TODAY, "heel-drop", 2, reps=20),
            volume(TODAY, "heel-jump", 1, reps=10),
            volume(TODAY, "single-leg-heel-drop", 2, reps=16),  # 8 per side
            volume(TODAY, "bridge", 1, reps=10),
            volume(TODAY, "eccentric-heel-drop", 2, reps=30),
            volume(TODAY, "heel-kick-marching", 1, seconds=30),
        ]
    )
    assert [w.impacts for w in result.weeks] == [0, 46]


def test_an_unknown_exercise_still_counts_as_volume_but_not_impacts() -> None:
    result = run([volume(TODAY, "gone-custom", 1, reps=10)])
    assert result.volumes[0].name == "gone-custom" and result.weeks[-1].impacts == 0


def test_pain_is_the_weeks_highest_and_the_mean_of_each_days_highest() -> None:
    result = run(
        [
            volume(date(2026, 11, 16), "heel-drop", pain=2),
            volume(date(2026, 11, 16), "bridge", pain=4),
            volume(date(2026, 11, 17), "heel-drop", pain=1),
            volume(date(2026, 11, 18), "heel-drop", pain=None),
        ],
        sessions=[(date(2026, 11, 17), 3), (date(2026, 11, 1), 9)],
    )
    week = result.weeks[-1]
    assert week.pain_max == 4 and week.pain_mean == 3.5  # days: 4 and 3
    assert result.weeks[0].pain_max is None and result.weeks[0].pain_mean is None


def morning(day: date, pain: int, stiffness: int) -> CheckIn:
    return CheckIn(day, pain, stiffness, datetime.combine(day, time(7), UTC))


def test_checkins_give_weekly_means_and_the_latest_trend() -> None:
    mornings = [
        morning(date(2026, 11, 10), 1, 3),
        morning(date(2026, 11, 17), 2, 2),
        morning(date(2026, 11, 18), 3, 1),
    ]
    result = run([], mornings=mornings)
    assert (result.weeks[0].checkin_pain, result.weeks[0].checkin_stiffness) == (1.0, 3.0)
    assert (result.weeks[1].checkin_pain, result.weeks[1].checkin_stiffness) == (2.5, 1.5)
    assert result.checkin_trend == "worse"
    better = run([], mornings=[morning(date(2026, 11, 10), 2, 3), mornings[1]])
    assert better.checkin_trend == "same or better"
    assert run([], mornings=mornings[:1]).checkin_trend is None


def test_without_plans_there_is_no_adherence_or_streak() -> None:
    result = run([volume(TODAY, "heel-drop", reps=10)])
    assert not result.has_profile and result.streak is None
    assert all(w.plan is None for w in result.weeks)
    assert result.weeks[-1].in_progress and not result.weeks[0].in_progress


# --------------------------------------------------------------------------- streak


def plans(*shares: tuple[int, int]) -> list[Plan]:
    return [Plan(week, planned, done, BAR) for week, (done, planned) in enumerate(shares, 1)]


@pytest.mark.parametrize(
    "shares,current,expected",
    [
        # (done, planned) per week, oldest first; the last one is the week in progress
        (((8, 10), (10, 10), (1, 10)), 3, 2),  # the week in progress never breaks it
        (((8, 10), (10, 10), (9, 10)), 3, 3),  # ... and counts once it is on plan
        (((10, 10), (7, 10), (10, 10), (0, 10)), 4, 1),  # 70% breaks the run
        (((10, 10), (0, 0), (8, 10), (0, 5)), 4, 2),  # nothing planned: skipped, no break
        (((0, 0), (0, 0), (0, 0)), 3, 0),  # weeks with nothing planned are no streak
        (((5, 10),), 1, 0),
        (((79, 100), (80, 100), (0, 1)), 3, 1),  # 80% is the bar, 79% is below it
        (((30, 10), (5, 10)), 3, 0),  # more than planned is capped at 100%
    ],
)
def test_streak_of_weeks_on_plan(shares: tuple, current: int, expected: int) -> None:
    assert stats.streak_on_plan(plans(*shares), current) == expected


def test_adherence_and_on_plan() -> None:
    assert Plan(1, 10, 8, BAR).on_plan and not Plan(1, 10, 7, BAR).on_plan
    assert not Plan(1, 0, 0, BAR).on_plan
    assert Plan(1, 0, 0, BAR).adherence == 1.0 and Plan(1, 4, 9, BAR).adherence == 1.0


def test_program_week_stats_carry_their_plan() -> None:
    start = date(2026, 11, 5)  # weeks: 5-11, 12-18, 19-25
    spans = stats.week_spans(TODAY, 4, start)
    result = stats.compute(TODAY, spans, [], [], [], exercises(), plans((10, 10), (3, 10), (0, 10)))
    assert [w.plan.week if w.plan else None for w in result.weeks] == [None, 1, 2, 3]
    assert result.streak == 0
    json_weeks = stats_to_json(result)["weeks"]
    assert [w["on_plan"] for w in json_weeks] == [None, True, False, False]
    assert json_weeks[2]["adherence"] == 0.3 and json_weeks[3]["in_progress"] is True


# --------------------------------------------------------------------------- gather


def test_gather_on_a_fresh_machine_reads_nothing_and_creates_nothing(heelcoach_home: Path) -> None:
    with open_store(create=False) as store:
        result = gather(store, content_library(), None, TODAY, 8)
    assert len(result.weeks) == 8 and result.total_sets == 0 and not result.has_profile
    assert list(heelcoach_home.iterdir()) == []


def test_on_plan_is_the_move_on_bar_from_content() -> None:
    assert content_library().programme.monitoring.move_on_adherence == BAR


def test_before_any_screening_stats_points_to_the_screening_not_to_log() -> None:
    from helpers import run_cli

    shown = run_cli("stats").stdout
    assert "Start with the screening: heelcoach screen" in shown
    assert "heelcoach log" not in shown
