"""The session engine, driven by a fake clock and commands; the key map on top of it."""

from __future__ import annotations

import random

import pytest

from heelcoach.content.model import Phase
from heelcoach.domain.session.engine import SWITCH_SIDES_SECONDS, Session
from heelcoach.domain.session.model import (
    Action,
    Activity,
    AnswerNext,
    AskingNext,
    EmergencyStopped,
    EndReason,
    Event,
    ExerciseSkipped,
    Hold,
    NextUp,
    PainReported,
    PainTime,
    Paused,
    PhaseStarted,
    PositionStarted,
    RepCompleted,
    ReportPain,
    RestStarted,
    Resumed,
    SessionEnded,
    SessionItem,
    SetEnd,
    SetFinished,
    SetStarted,
)
from heelcoach.frontends.live.controls import PAIN_PROBLEM, Controller, hints

T0 = 1000.0  # an arbitrary monotonic start, so nothing depends on the clock starting at 0
POS = 5.0  # get-into-position time used by these tests


def drop(**changes: object) -> SessionItem:
    """Heel drop: 2 sets of 3 reps, tempo Rise 2 s + Lower 3 s (5 s a rep), rest 30 s."""
    fields: dict[str, object] = {
        "exercise": "heel-drop",
        "name": "Heel drop",
        "sets": 2,
        "reps": 3,
        "seconds": None,
        "per_side": False,
        "support": "a wall or kitchen counter",
        "phases": (Phase("Rise", 2.0, "Up on both feet"), Phase("Lower", 3.0, "Slowly down")),
        "cues": ("Stand tall", "Knees soft"),
        "mistakes": ("Bouncing at the bottom",),
        "rest_seconds": 30,
        "setup": ("Stand by a wall.",),
        "loads": ("lower-leg",),
    }
    fields.update(changes)
    return SessionItem(**fields)  # type: ignore[arg-type]


def hold(**changes: object) -> SessionItem:
    """Calf hold: 1 set of 10 s, cadence Hold 4 s, rest 20 s; loads the lower leg."""
    fields: dict[str, object] = {
        "exercise": "calf-hold",
        "name": "Calf hold",
        "sets": 1,
        "reps": None,
        "seconds": 10,
        "per_side": False,
        "support": None,
        "phases": (Phase("Hold", 4.0, "Stay high"),),
        "cues": ("Breathe",),
        "mistakes": (),
        "rest_seconds": 20,
        "loads": ("lower-leg",),
    }
    fields.update(changes)
    return SessionItem(**fields)  # type: ignore[arg-type]


def bridge(**changes: object) -> SessionItem:
    return drop(exercise="bridge", name="Bridge", sets=1, loads=("hip", "thigh"), **changes)


def session_of(*items: SessionItem) -> Session:
    return Session(items, start=T0, position_seconds=POS)


def kinds(events: list[Event]) -> list[str]:
    return [type(event).__name__ for event in events]


def only(kind: type, events: list[Event]) -> list:
    return [event for event in events if isinstance(event, kind)]


def run_fine(session: Session, until: float, step: float = 0.01) -> list[Event]:
    """Tick often, the way a healthy runner would."""
    events: list[Event] = session.tick(T0)
    now = T0
    while now < until and not session.done:
        now = min(until, now + step)
        events += session.tick(now)
    return events


# --- the plain run ----------------------------------------------------------------------


def test_get_into_position_then_reps_on_tempo_deadlines() -> None:
    item = drop()
    session = session_of(item)
    assert session.tick(T0 + 4.9) == [PositionStarted(item, 1, 1, POS)]
    snap = session.snapshot(T0 + 4.9)
    assert (snap.activity, snap.countdown, snap.item) == (Activity.POSITION, 1, item)
    started = session.tick(T0 + POS)
    assert started == [SetStarted(item, 1, None), PhaseStarted(item.phases[0], 0, 1)]
    assert session.tick(T0 + 6.99) == []
    assert session.tick(T0 + 7.0) == [PhaseStarted(item.phases[1], 1, 1)]
    assert kinds(session.tick(T0 + 10.0)) == ["RepCompleted", "PhaseStarted"]


def test_enter_ends_the_position_countdown() -> None:
    session = session_of(drop())
    session.tick(T0 + 1.0)
    assert kinds(session.apply(Action.END_GET_READY, T0 + 1.0))[:1] == ["SetStarted"]
    assert session.next_deadline(T0 + 1.0) == pytest.approx(T0 + 3.0)
    assert session.apply(Action.END_GET_READY, T0 + 1.5) == []  # only in position


def test_a_floor_exercise_waits_for_ready_then_counts_in_without_a_voice() -> None:
    on_mat = bridge(floor=True)
    session = Session([drop(sets=1), on_mat], start=T0, position_seconds=POS, wait_on_floor=True)
    assert kinds(session.tick(T0 + POS))[:2] == ["PositionStarted", "SetStarted"]  # by time
    events = run_fine(session, T0 + 60.0, step=0.5)
    (position,) = only(PositionStarted, events)[-1:]
    assert position.item == on_mat and position.waits
    assert Paused(Hold.READY) in events and not only(SetStarted, events)[1:]
    late = session.snapshot(T0 + 600.0)  # however long the person takes on the mat
    assert (late.activity, late.hold) == (Activity.POSITION, Hold.READY)
    assert hints(late)[0].label == "ready" and session.next_deadline(T0 + 600.0) is None
    session.apply(Action.QUIT, T0 + 600.0)  # a question on the way keeps the wait
    session.apply(Action.RESUME, T0 + 601.0)
    assert session.snapshot(T0 + 601.0).hold is Hold.READY
    session.apply(Action.END_GET_READY, T0 + 602.0)
    assert session.snapshot(T0 + 602.0).countdown == 5  # hands down, then 3-2-1
    assert session.tick(T0 + 606.9) == []
    assert kinds(session.tick(T0 + 607.0))[:1] == ["SetStarted"]


def test_a_floor_exercise_runs_by_time_when_a_voice_counts_in() -> None:
    session = Session([bridge(floor=True)], start=T0, position_seconds=POS)
    assert session.snapshot(T0).hold is None
    assert kinds(session.tick(T0 + POS))[1:2] == ["SetStarted"]


def test_a_set_of_reps_ends_after_the_target_reps_then_rests() -> None:
    item = drop()
    session = session_of(item)
    events = run_fine(session, T0 + POS + 15.0)
    assert [e.rep for e in only(RepCompleted, events)] == [1, 2, 3]
    (finished,) = only(SetFinished, events)
    assert finished == SetFinished(
        exercise="heel-drop",
        set_number=1,
        side=None,
        reps=3,
        seconds=15.0,
        target_reps=3,
        target_seconds=None,
        pain=None,
        started=T0 + 5.0,
        ended=T0 + 20.0,
        ended_by=SetEnd.TARGET,
    )
    assert kinds(events)[-2:] == ["SetFinished", "RestStarted"]
    up = NextUp(item, 2, None, new_exercise=False, same_set=False)
    assert only(RestStarted, events) == [RestStarted(30.0, up)]
    snap = session.snapshot(T0 + 21.0)
    assert (snap.activity, snap.countdown, snap.next) == (Activity.REST, 29, up)


def test_a_new_exercise_gets_a_position_moment_after_the_rest() -> None:
    first, second = drop(sets=1), hold()
    session = session_of(first, second)
    events = run_fine(session, T0 + 1000)
    # position 5, drop 15, rest 30, position 5, hold 10
    assert session.summary().elapsed_seconds == pytest.approx(65.0)
    assert only(PositionStarted, events) == [
        PositionStarted(first, 1, 2, POS),
        PositionStarted(second, 2, 2, POS),
    ]
    rest = only(RestStarted, events)[0]
    assert rest.next == NextUp(second, 1, None, new_exercise=True, same_set=False)
    assert events[-1] == SessionEnded(EndReason.COMPLETED)
    assert session.planned_seconds == pytest.approx(65.0)
    assert session.snapshot(T0 + 2000).activity is Activity.DONE
    assert session.next_deadline(T0 + 2000) is None
    assert session.apply(Action.FINISH_SET, T0 + 3000) == []


def test_timed_work_counts_down_and_cycles_the_cadence() -> None:
    session = session_of(hold())
    events = run_fine(session, T0 + 100)
    assert [p.phase.name for p in only(PhaseStarted, events)] == ["Hold"] * 3  # 0, 4, 8 s
    assert all(p.rep is None for p in only(PhaseStarted, events))
    (finished,) = only(SetFinished, events)
    assert (finished.reps, finished.seconds, finished.target_seconds) == (None, 10.0, 10)
    assert finished.ended == pytest.approx(T0 + 15.0)


def test_timed_countdown_snapshot_and_next_deadline_each_second() -> None:
    session = session_of(hold())
    session.tick(T0 + 5.0)
    snap = session.snapshot(T0 + 5.3)
    assert (snap.activity, snap.countdown, snap.phase.name, snap.rep) == (
        Activity.WORK,
        10,
        "Hold",
        None,
    )
    assert session.next_deadline(T0 + 5.3) == pytest.approx(T0 + 6.0)
    assert session.snapshot(T0 + 6.0).countdown == 9


def test_late_tick_crossing_many_phases_emits_every_event_in_order() -> None:
    items = [drop(), hold()]
    fine = run_fine(Session(items, start=T0, position_seconds=POS), T0 + 200)
    late = Session(items, start=T0, position_seconds=POS)
    events = late.tick(T0 + 200)  # one tick after a very slow render
    assert events == fine
    assert kinds(events)[:3] == ["PositionStarted", "SetStarted", "PhaseStarted"]
    assert events[-1] == SessionEnded(EndReason.COMPLETED)


def test_a_stale_time_is_treated_as_the_latest_seen() -> None:
    session = session_of(drop())
    session.tick(T0 + 8.0)
    assert session.tick(T0 + 3.0) == []
    assert session.snapshot(T0 + 3.0).phase.name == "Lower"


# --- snapshot ---------------------------------------------------------------------------


def test_snapshot_has_what_the_screen_and_the_voice_need() -> None:
    session = session_of(drop(sets=3))
    run_fine(session, T0 + 5 + 15 + 30 + 5 + 1)  # second set, second rep, in Rise
    snap = session.snapshot(T0 + 56.0)
    assert snap.item.exercise == "heel-drop" and snap.hold is None
    assert (snap.set_number, snap.item.sets, snap.side) == (2, 3, None)
    assert (snap.rep, snap.phase_index) == (2, 0)
    assert snap.phase.name == "Rise" and snap.phase_progress == pytest.approx(0.5)
    assert snap.cue == "Stand tall" and snap.mistake == "Bouncing at the bottom"
    assert 0 < snap.session_progress < 1
    assert snap.seconds_left == pytest.approx(9 + 30 + 15)
    # Deadlines on the caller's clock, for cues that must be said on time.
    assert (snap.phase_started_at, snap.phase_ends_at) == (T0 + 55.0, T0 + 57.0)
    assert (snap.segment_started_at, snap.segment_ends_at) == (T0 + 50.0, T0 + 65.0)


def test_technique_cues_rotate() -> None:
    slow = (Phase("Rise", 10.0, ""), Phase("Lower", 10.0, ""))
    session = session_of(drop(phases=slow, cues=("a", "b", "c")))
    session.tick(T0 + 12.0)
    assert session.snapshot(T0 + 12.0).cue == "a"
    assert session.next_deadline(T0 + 12.0) == pytest.approx(T0 + 13.0)  # before phase end
    assert session.snapshot(T0 + 13.5).cue == "b"
    assert session.snapshot(T0 + 21.5).cue == "c"


def test_session_progress_and_time_left_move_together() -> None:
    session = session_of(drop(), hold())
    assert session.planned_seconds == pytest.approx(5 + 15 + 30 + 15 + 30 + 5 + 10)
    early = session.snapshot(T0 + 1.0)
    run_fine(session, T0 + 60.0)
    late = session.snapshot(T0 + 60.0)
    assert early.session_progress < late.session_progress
    assert early.seconds_left == pytest.approx(session.planned_seconds - 1.0)
    assert late.seconds_left == pytest.approx(session.planned_seconds - 60.0)
    run_fine(session, T0 + 100.0)  # in the rest before the hold, position still to come
    rest = session.snapshot(T0 + 100.0)
    assert rest.seconds_left == pytest.approx(session.planned_seconds - 100.0)


# --- pause ------------------------------------------------------------------------------


def test_pause_during_a_rep_shifts_later_deadlines_exactly() -> None:
    session = session_of(drop())
    session.tick(T0 + 6.0)  # mid Rise (5-7)
    assert session.apply(Action.PAUSE, T0 + 6.0) == [Paused(Hold.PAUSED)]
    snap = session.snapshot(T0 + 9.0)
    assert snap.hold is Hold.PAUSED and snap.activity is Activity.WORK
    assert snap.segment_ends_at is None  # a held clock has no deadlines
    assert session.next_deadline(T0 + 9.0) is None
    assert session.tick(T0 + 50.0) == []
    assert session.snapshot(T0 + 50.0).phase_progress == pytest.approx(0.5)
    assert session.apply(Action.RESUME, T0 + 56.0) == [Resumed()]  # paused 50 s
    assert session.next_deadline(T0 + 56.0) == pytest.approx(T0 + 57.0)
    events = run_fine(session, T0 + 200)
    assert only(SetFinished, events)[0].ended == pytest.approx(T0 + 20.0 + 50.0)
    assert only(SetFinished, events)[0].seconds == pytest.approx(15.0)


def test_pause_during_a_rest_shifts_the_rest_end() -> None:
    session = session_of(drop())
    run_fine(session, T0 + 30.0)  # rest runs 20-50
    session.apply(Action.PAUSE, T0 + 30.0)
    session.apply(Action.RESUME, T0 + 42.5)
    assert session.snapshot(T0 + 42.5).countdown == 20
    assert session.tick(T0 + 62.4) == []
    assert kinds(session.tick(T0 + 62.5))[:1] == ["SetStarted"]


# --- finish now ---------------------------------------------------------------------------


def test_finish_mid_set_records_reps_so_far() -> None:
    session = session_of(drop())
    session.tick(T0 + 12.5)  # one rep done, second half way
    events = session.apply(Action.FINISH_SET, T0 + 12.5)
    assert kinds(events) == ["SetFinished", "RestStarted"]
    finished = events[0]
    assert (finished.reps, finished.seconds, finished.ended_by) == (1, 7.5, SetEnd.EARLY)
    assert session.snapshot(T0 + 12.5).countdown == 30


def test_finish_mid_timed_set_records_seconds_done() -> None:
    session = session_of(hold())
    session.tick(T0 + 11.0)
    (finished,) = only(SetFinished, session.apply(Action.FINISH_SET, T0 + 11.0))
    assert (finished.reps, finished.seconds) == (None, 6.0)


def test_finish_during_a_rest_starts_the_set_or_the_position_now() -> None:
    session = session_of(drop(), hold())
    run_fine(session, T0 + 25.0)  # set 1 ended at 20, rest till 50
    events = session.apply(Action.FINISH_SET, T0 + 25.0)
    assert kinds(events)[:1] == ["SetStarted"] and events[0].set_number == 2
    run_fine(session, T0 + 45.0)  # set 2 ended at 40: the rest before the hold
    assert kinds(session.apply(Action.FINISH_SET, T0 + 45.0)) == ["PositionStarted"]


# --- skip ----------------------------------------------------------------------------


def test_skip_mid_set_keeps_the_work_done_and_moves_to_the_next_exercise() -> None:
    first, second = drop(), hold()
    session = session_of(first, second)
    session.tick(T0 + 11.0)
    events = session.apply(Action.SKIP, T0 + 11.0)
    assert kinds(events) == ["SetFinished", "ExerciseSkipped", "RestStarted"]
    assert (events[0].reps, events[0].ended_by) == (1, SetEnd.SKIP)
    up = NextUp(second, 1, None, new_exercise=True, same_set=False)
    assert events[1] == ExerciseSkipped(first, up)
    assert events[2] == RestStarted(30.0, up)
    assert session.summary().exercises[0].skipped
    assert session.snapshot(T0 + 11.0).notice == events[1]


def test_skip_during_a_rest_drops_the_coming_sets_and_keeps_the_rest_clock() -> None:
    session = session_of(drop(sets=3), hold())
    run_fine(session, T0 + 25.0)  # resting before set 2 of 3 (20-50)
    assert kinds(session.apply(Action.SKIP, T0 + 25.0)) == ["ExerciseSkipped"]
    snap = session.snapshot(T0 + 25.0)
    assert (snap.item.exercise, snap.countdown, snap.next.new_exercise) == (
        "calf-hold",
        25,
        True,
    )
    assert kinds(session.tick(T0 + 50.0)) == ["PositionStarted"]


def test_skipping_the_last_exercise_ends_the_session() -> None:
    session = session_of(drop())
    session.tick(T0 + 6.0)
    events = session.apply(Action.SKIP, T0 + 6.0)
    assert kinds(events) == ["ExerciseSkipped", "SessionEnded"]  # nothing worth keeping
    assert session.end_reason is EndReason.COMPLETED


# --- pain ----------------------------------------------------------------------------


def test_pain_question_holds_the_clock() -> None:
    session = session_of(drop())
    session.tick(T0 + 6.0)
    assert session.apply(Action.ASK_PAIN, T0 + 6.0) == [Paused(Hold.PAIN)]
    assert session.snapshot(T0 + 30.0).hold is Hold.PAIN
    assert session.tick(T0 + 30.0) == [] and session.next_deadline(T0 + 30.0) is None
    assert session.apply(Action.FINISH_SET, T0 + 31.0) == []  # only the question's answers count
    assert session.apply(Action.RESUME, T0 + 32.0) == [Resumed()]  # cancelled
    assert session.next_deadline(T0 + 32.0) == pytest.approx(T0 + 33.0)  # held 26 s
    assert session.summary().pain_reports == ()


def test_pain_up_to_5_is_attached_to_the_set_in_progress() -> None:
    item = drop()
    session = session_of(item)
    session.tick(T0 + 6.0)
    session.apply(Action.ASK_PAIN, T0 + 6.0)
    events = session.apply(ReportPain(3), T0 + 6.0)
    report = PainReported(item, 3, PainTime.DURING_SET, 1, None, None, stopped=False)
    assert events == [report, Resumed()]
    assert session.snapshot(T0 + 6.0).notice == report
    finished = only(SetFinished, run_fine(session, T0 + 30))[0]
    assert finished.pain == 3 and finished.reps == 3
    assert [r.pain for r in session.summary().pain_reports] == [3]


def test_pain_during_a_rest_belongs_to_the_set_just_done() -> None:
    session = session_of(drop())
    events = run_fine(session, T0 + 25.0)
    (report,) = session.apply(ReportPain(4), T0 + 25.0)
    assert (report.when, report.set_number, report.set_index) == (PainTime.AFTER_SET, 1, 0)
    first, second = only(SetFinished, events + run_fine(session, T0 + 200))
    assert (first.set_number, first.pain) == (1, None)  # as handed over, before the pain
    assert second.pain is None
    assert session.summary().pain_reports[0].set_number == 1


def test_pain_above_5_stops_the_exercise() -> None:
    first, second = drop(), bridge()
    session = session_of(first, second)
    session.tick(T0 + 12.0)
    events = session.apply(ReportPain(7), T0 + 12.0)
    assert kinds(events) == ["PainReported", "SetFinished", "RestStarted"]
    stopped, finished, rest = events
    assert stopped.stopped and stopped.when is PainTime.DURING_SET and stopped.next_loads == ()
    assert (finished.reps, finished.pain, finished.ended_by) == (1, 7, SetEnd.PAIN)
    assert rest.next.item == second  # a bridge loads the hip, not the lower leg
    result = session.summary().exercises[0]
    assert (result.pain_stopped, result.sets_done) == (True, 1)


def test_after_a_pain_stop_the_next_exercise_on_the_same_area_is_asked_about() -> None:
    first, second, third = drop(), hold(), bridge()
    session = session_of(first, second, third)
    session.tick(T0 + 12.0)
    events = session.apply(ReportPain(8), T0 + 12.0)
    assert kinds(events) == ["PainReported", "SetFinished", "RestStarted", "AskingNext", "Paused"]
    assert events[0].next_loads == ("lower-leg",)
    assert events[3] == AskingNext(first, second, ("lower-leg",))
    snap = session.snapshot(T0 + 40.0)
    assert snap.hold is Hold.ASK and snap.asking == events[3]
    assert session.tick(T0 + 100.0) == []  # the rest is held while the question waits
    assert session.apply(Action.SKIP, T0 + 100.0) == []  # only an answer counts
    events = session.apply(AnswerNext(False), T0 + 100.0)  # the default: skip it
    assert kinds(events) == ["ExerciseSkipped", "Resumed"]
    snap = session.snapshot(T0 + 100.0)
    assert (snap.item, snap.countdown) == (third, 30)  # the rest carries on, for the bridge
    summary = session.summary()
    assert [r.skipped for r in summary.exercises] == [False, True, False]


def test_a_stop_in_an_earlier_session_today_is_asked_about_before_the_same_area() -> None:
    first, second, third = drop(), hold(), bridge()
    session = Session([second, third], start=T0, position_seconds=5.0, stopped_earlier=[first])
    events = session.tick(T0)
    assert kinds(events) == ["PositionStarted", "AskingNext", "Paused"]
    assert events[1] == AskingNext(first, second, ("lower-leg",), earlier=True)
    assert session.tick(T0 + 60.0) == []  # nothing starts while the question waits
    events = session.apply(AnswerNext(False), T0 + 60.0)
    assert kinds(events)[:2] == ["ExerciseSkipped", "PositionStarted"]  # straight to the next
    assert session.snapshot(T0 + 60.0).item == third
    unrelated = Session([third], start=T0, position_seconds=5.0, stopped_earlier=[first])
    assert kinds(unrelated.tick(T0)) == ["PositionStarted"]  # a bridge: no shared area


def test_saying_yes_to_the_same_area_runs_it() -> None:
    session = session_of(drop(), hold())
    run_fine(session, T0 + 25.0)  # resting after set 1 of the drops
    events = session.apply(ReportPain(6), T0 + 25.0)  # belongs to set 1: drops stop
    assert kinds(events) == ["PainReported", "AskingNext", "Paused"]
    assert events[0].set_index == 0  # the pain is the first set's
    assert session.apply(AnswerNext(True), T0 + 30.0) == [Resumed()]
    events = run_fine(session, T0 + 200)
    assert [s.exercise for s in only(SetFinished, events)] == ["calf-hold"]


def test_pain_10_in_the_last_exercise_ends_the_session() -> None:
    session = session_of(drop())
    session.tick(T0 + 6.0)
    assert kinds(session.apply(ReportPain(10), T0 + 6.0)) == [
        "PainReported",
        "SetFinished",
        "SessionEnded",
    ]


def test_pain_out_of_range_is_a_bug_in_the_caller() -> None:
    session = session_of(drop())
    with pytest.raises(ValueError, match="0-10"):
        session.apply(ReportPain(11), T0 + 1.0)


# --- emergency -----------------------------------------------------------------------


def test_emergency_stops_the_whole_session_at_once() -> None:
    session = session_of(drop(), hold())
    session.tick(T0 + 11.0)
    events = session.apply(Action.EMERGENCY, T0 + 11.0)
    assert events[1:] == [EmergencyStopped(), SessionEnded(EndReason.EMERGENCY)]
    assert events[0].ended_by is SetEnd.EMERGENCY
    assert session.end_reason is EndReason.EMERGENCY
    assert session.snapshot(T0 + 11.0).end_reason is EndReason.EMERGENCY


@pytest.mark.parametrize("command", [Action.ASK_PAIN, Action.QUIT, Action.PAUSE])
def test_emergency_works_from_questions_and_pause(command: object) -> None:
    session = session_of(drop())
    session.tick(T0 + 6.0)
    session.apply(command, T0 + 6.0)  # type: ignore[arg-type]
    assert kinds(session.apply(Action.EMERGENCY, T0 + 7.0))[-1] == "SessionEnded"
    assert session.end_reason is EndReason.EMERGENCY


# --- quit ----------------------------------------------------------------------------


def test_quit_needs_confirmation_and_keeps_the_set_in_progress() -> None:
    session = session_of(drop())
    session.tick(T0 + 16.0)  # two reps done
    assert session.apply(Action.CONFIRM_QUIT, T0 + 16.0) == []  # not asked yet
    assert session.apply(Action.QUIT, T0 + 16.0) == [Paused(Hold.QUIT)]
    assert session.snapshot(T0 + 17.0).hold is Hold.QUIT
    events = session.apply(Action.CONFIRM_QUIT, T0 + 20.0)
    assert kinds(events) == ["SetFinished", "SessionEnded"]
    assert (events[0].reps, events[0].ended_by, events[0].seconds) == (2, SetEnd.QUIT, 11.0)
    assert events[1] == SessionEnded(EndReason.QUIT)


def test_quitting_with_nothing_done_records_nothing() -> None:
    session = session_of(drop())
    session.tick(T0 + 6.0)
    session.apply(Action.QUIT, T0 + 6.0)
    assert session.apply(Action.CONFIRM_QUIT, T0 + 6.0) == [SessionEnded(EndReason.QUIT)]
    assert session.summary().exercises[0].sets_done == 0


# --- per side ---------------------------------------------------------------------------


def test_per_side_sets_are_left_then_right_with_a_switch_rest() -> None:
    item = drop(per_side=True, sets=2)
    session = session_of(item)
    events = run_fine(session, T0 + 1000)
    sets = only(SetFinished, events)
    assert [(s.set_number, s.side) for s in sets] == [
        (1, "left"),
        (1, "right"),
        (2, "left"),
        (2, "right"),
    ]
    assert only(RestStarted, events) == [
        RestStarted(SWITCH_SIDES_SECONDS, NextUp(item, 1, "right", False, True)),
        RestStarted(30.0, NextUp(item, 2, "left", False, False)),
        RestStarted(SWITCH_SIDES_SECONDS, NextUp(item, 2, "right", False, True)),
    ]
    assert [s.side for s in only(SetStarted, events)] == ["left", "right", "left", "right"]
    assert len(only(PositionStarted, events)) == 1
    assert sets[1].started == pytest.approx(sets[0].ended + SWITCH_SIDES_SECONDS)
    assert session.summary().exercises[0].sets_done == 4


def test_a_partly_done_exercise_starts_at_its_next_set() -> None:
    session = session_of(drop(sets=3, first_set=3))
    events = run_fine(session, T0 + 1000)
    assert [s.set_number for s in only(SetFinished, events)] == [3]
    assert session.planned_seconds == pytest.approx(POS + 15)
    with pytest.raises(ValueError, match="first_set"):
        drop(sets=2, first_set=3)


# --- timing accuracy --------------------------------------------------------------------


def ten_minute_plan() -> list[SessionItem]:
    """3 x 5 s in position + 585 s of work and rests = exactly 600 s, awkward tempos."""
    tempo = (Phase("Rise", 1.3, ""), Phase("Hold", 0.7, ""), Phase("Lower", 3.1, ""))
    return [
        drop(sets=3, reps=10, phases=tempo, rest_seconds=45),
        hold(sets=2, seconds=37, per_side=True, rest_seconds=30),
        drop(
            exercise="heel-raise",
            name="Heel raise",
            sets=2,
            reps=7,
            phases=(Phase("Up", 1.1, ""), Phase("Down", 2.9, "")),
            rest_seconds=23,
        ),
    ]


def test_the_ten_minute_plan_is_ten_minutes() -> None:
    session = Session(ten_minute_plan(), start=T0, position_seconds=POS)
    # drop: 3 sets x 10 reps x 5.1 s + 2 rests x 45 s, then 45 s rest;
    # hold: 4 sides x 37 s + 2 switches x 5 s + 30 s between sets, then 30 s rest;
    # raise: 2 sets x 7 reps x 4 s + 23 s rest.
    assert 153 + 90 + 45 + 148 + 10 + 30 + 30 + 56 + 23 == 585
    assert session.planned_seconds == pytest.approx(3 * POS + 585.0)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_ten_minute_session_with_jittery_ticks_ends_on_time(seed: int) -> None:
    rng = random.Random(seed)
    session = Session(ten_minute_plan(), start=T0, position_seconds=POS)
    planned = session.planned_seconds
    now, events, last_tick = T0, [], T0
    while not session.done:
        deadline = session.next_deadline(now) or now + 0.1
        now = max(now, deadline) + rng.choice([0.0, rng.uniform(0, 0.03), rng.uniform(0, 0.9)])
        events += session.tick(now)
        last_tick = now
    assert abs(session.summary().elapsed_seconds - planned) < 0.05
    # The end was seen by a tick, not guessed early.
    assert last_tick >= T0 + session.summary().elapsed_seconds
    assert only(SessionEnded, events) == [SessionEnded(EndReason.COMPLETED)]
    assert len(only(SetFinished, events)) == 3 + 4 + 2


def test_a_long_pause_moves_the_end_by_exactly_the_pause() -> None:
    session = Session(ten_minute_plan(), start=T0, position_seconds=POS)
    planned = session.planned_seconds
    session.tick(T0 + 123.4)
    session.apply(Action.PAUSE, T0 + 123.4)
    session.apply(Action.RESUME, T0 + 123.4 + 77.7)
    now = T0 + 123.4 + 77.7
    while not session.done:
        now += 0.37
        session.tick(now)
    assert session.summary().elapsed_seconds == pytest.approx(planned + 77.7, abs=1e-6)


# --- inputs -----------------------------------------------------------------------------


def test_items_must_set_exactly_one_of_reps_or_seconds() -> None:
    with pytest.raises(ValueError, match="exactly one"):
        drop(seconds=30)
    with pytest.raises(ValueError, match="exactly one"):
        drop(reps=None)
    with pytest.raises(ValueError, match="tempo"):
        drop(phases=())
    with pytest.raises(ValueError, match="positive"):
        drop(phases=(Phase("Rise", 0.0, ""),))
    with pytest.raises(ValueError):
        Session([], start=T0)


def test_timed_work_without_a_tempo_is_one_phase() -> None:
    session = session_of(hold(phases=()))
    events = run_fine(session, T0 + 100)
    assert [p.phase.name for p in only(PhaseStarted, events)] == ["Go"]
    assert only(SetFinished, events)[0].seconds == 10.0


def test_summary_totals() -> None:
    session = session_of(drop(), hold())
    run_fine(session, T0 + 1000)
    summary = session.summary()
    drop_result, hold_result = summary.exercises
    assert (drop_result.sets_done, drop_result.reps, drop_result.seconds) == (2, 6, 30.0)
    assert (hold_result.sets_done, hold_result.reps, hold_result.seconds) == (1, 0, 10.0)
    assert session.end_reason is EndReason.COMPLETED


# --- the key map (frontends/live/controls) ----------------------------------------------


def press(session: Session, controller: Controller, key: str, now: float) -> list[Event]:
    events = session.tick(now)
    for command in controller.commands(key, session.snapshot(now)):
        events += session.apply(command, now)
    return events


def test_keys_mean_commands_in_each_state() -> None:
    session, keys = session_of(drop()), Controller()
    session.tick(T0 + 1.0)
    assert keys.commands("enter", session.snapshot(T0 + 1.0)) == [Action.END_GET_READY]
    assert keys.commands("\r", session.snapshot(T0 + 1.0)) == [Action.END_GET_READY]
    press(session, keys, "enter", T0 + 1.0)
    running = session.snapshot(T0 + 1.5)
    assert keys.commands(" ", running) == [Action.PAUSE]
    assert keys.commands("N", running) == [Action.FINISH_SET]  # Caps Lock changes nothing
    assert keys.commands("s", running) == [Action.SKIP]
    assert keys.commands("q", running) == [Action.QUIT]
    assert keys.commands("!", running) == [Action.EMERGENCY]
    assert keys.commands("enter", running) == []
    press(session, keys, " ", T0 + 1.5)
    assert keys.commands(" ", session.snapshot(T0 + 2.0)) == [Action.RESUME]


def test_quit_question_keys() -> None:
    session, keys = session_of(drop()), Controller()
    session.tick(T0 + 6.0)
    press(session, keys, "q", T0 + 6.0)
    assert keys.commands("n", session.snapshot(T0 + 7.0)) == [Action.RESUME]  # keeps going
    assert keys.commands("Y", session.snapshot(T0 + 7.0)) == [Action.CONFIRM_QUIT]


def test_pain_digits_are_typed_in_the_front_end() -> None:
    session, keys = session_of(drop()), Controller()
    session.tick(T0 + 6.0)
    press(session, keys, "p", T0 + 6.0)
    for key in ("1", "1", "enter"):
        assert press(session, keys, key, T0 + 6.0) == []
    assert keys.problem == PAIN_PROBLEM and session.snapshot(T0 + 6.0).hold is Hold.PAIN
    assert press(session, keys, "enter", T0 + 6.0) == []  # empty is bad too
    for key in ("1", "2", "3", "x", "²"):  # a third digit, letters, look-alike digits
        press(session, keys, key, T0 + 6.0)
    assert keys.pain_typed == "12"
    press(session, keys, "backspace", T0 + 6.0)
    assert kinds(press(session, keys, "enter", T0 + 6.0)) == ["PainReported", "Resumed"]
    assert keys.problem is None and keys.pain_typed == ""


@pytest.mark.parametrize("cancel", ["escape", "\x1b", "p"])
def test_escape_or_p_cancels_the_pain_question(cancel: str) -> None:
    session, keys = session_of(drop()), Controller()
    session.tick(T0 + 6.0)
    press(session, keys, "p", T0 + 6.0)
    press(session, keys, "8", T0 + 6.0)
    assert press(session, keys, cancel, T0 + 9.0) == [Resumed()]
    assert session.snapshot(T0 + 9.0).hold is None and keys.pain_typed == ""


def test_any_key_but_y_skips_the_same_area_question() -> None:
    session, keys = session_of(drop(), hold()), Controller()
    run_fine(session, T0 + 25.0)
    session.apply(ReportPain(9), T0 + 25.0)
    assert keys.commands("enter", session.snapshot(T0 + 25.0)) == [AnswerNext(False)]
    assert keys.commands("y", session.snapshot(T0 + 25.0)) == [AnswerNext(True)]


def test_key_hints_follow_the_state() -> None:
    session = session_of(drop(per_side=True))
    session.tick(T0 + 1.0)
    labels = {h.key: h.label for h in hints(session.snapshot(T0 + 1.0))}
    assert labels["enter"] == "start now" and labels["q"] == "quit"
    run_fine(session, T0 + 22.0)  # the switch between sides
    session.apply(Action.PAUSE, T0 + 22.0)
    labels = {h.key: h.label for h in hints(session.snapshot(T0 + 22.0))}
    assert labels["space"] == "resume" and labels["n"] == "end rest"  # not "finish set"
