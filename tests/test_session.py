"""The session state machine, driven by a fake clock and scripted keys."""

from __future__ import annotations

import random

import pytest

from heelcoach.domain.session import (
    EMERGENCY_MESSAGE,
    SWITCH_SIDES_SECONDS,
    EmergencyStopped,
    Event,
    ExerciseSkipped,
    ExerciseStarted,
    PainNoted,
    PainStopped,
    Paused,
    Phase,
    PhaseStarted,
    RepCompleted,
    RestStarted,
    Resumed,
    Session,
    SessionEnded,
    SessionItem,
    SetFinished,
    SetStarted,
)

T0 = 1000.0  # an arbitrary monotonic start, so nothing depends on the clock starting at 0
READY = 5.0  # default get-ready time


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
    }
    fields.update(changes)
    return SessionItem(**fields)  # type: ignore[arg-type]


def hold(**changes: object) -> SessionItem:
    """Calf hold: 1 set of 10 s, cadence Hold 4 s, rest 20 s."""
    fields: dict[str, object] = {
        "exercise": "calf-hold", "name": "Calf hold", "sets": 1, "reps": None, "seconds": 10,
        "per_side": False, "support": None, "phases": (Phase("Hold", 4.0, "Stay high"),),
        "cues": ("Breathe",), "mistakes": (), "rest_seconds": 20,
    }  # fmt: skip
    fields.update(changes)
    return SessionItem(**fields)  # type: ignore[arg-type]


def kinds(events: list[Event]) -> list[str]:
    return [type(event).__name__ for event in events]


def only(kind: type, events: list[Event]) -> list:
    return [event for event in events if isinstance(event, kind)]


def run_fine(session: Session, until: float, step: float = 0.01) -> list[Event]:
    """Tick often, the way a healthy runner would."""
    events: list[Event] = []
    now = T0
    while now < until and not session.done:
        now = min(until, now + step)
        events += session.tick(now)
    return events


# --- the plain run ----------------------------------------------------------------------


def test_get_ready_then_reps_on_tempo_deadlines() -> None:
    session = Session([drop()], start=T0)
    assert session.tick(T0 + 4.9) == []
    assert session.snapshot(T0 + 4.9).mode == "get_ready"
    started = session.tick(T0 + READY)
    assert kinds(started) == ["ExerciseStarted", "SetStarted", "PhaseStarted"]
    assert started[2] == PhaseStarted("Rise", "Up on both feet", 2.0)
    assert session.tick(T0 + 6.99) == []
    assert session.tick(T0 + 7.0) == [PhaseStarted("Lower", "Slowly down", 3.0)]
    assert kinds(session.tick(T0 + 10.0)) == ["RepCompleted", "PhaseStarted"]


def test_a_set_of_reps_ends_after_the_target_reps_then_rests() -> None:
    session = Session([drop()], start=T0)
    events = run_fine(session, T0 + READY + 15.0)
    assert [e.rep for e in only(RepCompleted, events)] == [1, 2, 3]
    (finished,) = only(SetFinished, events)
    assert finished == SetFinished(
        exercise="heel-drop", set_number=1, side=None, reps=3, seconds=15.0, target_reps=3,
        target_seconds=None, pain=None, started=T0 + 5.0, ended=T0 + 20.0, ended_by="target",
    )  # fmt: skip
    assert kinds(events)[-2:] == ["SetFinished", "RestStarted"]
    assert only(RestStarted, events) == [RestStarted(30.0, "set 2 of 2")]
    snap = session.snapshot(T0 + 21.0)
    assert (snap.mode, snap.countdown, snap.next_label) == ("rest", 29, "set 2 of 2")


def test_the_end_of_the_last_set_ends_the_session() -> None:
    session = Session([drop(sets=1), hold()], start=T0)
    events = run_fine(session, T0 + 1000)
    assert events[-1] == SessionEnded("completed")
    assert session.done and session.end_reason == "completed"
    # get ready 5 + drop 15 + rest 30 + hold 10
    assert session.ended_at == pytest.approx(T0 + 60.0)
    assert session.snapshot(T0 + 2000).mode == "done"
    assert session.next_deadline(T0 + 2000) is None
    assert session.tick(T0 + 3000) == []
    assert session.press("n", T0 + 3000) == []


def test_timed_work_counts_down_and_cycles_the_cadence() -> None:
    session = Session([hold()], start=T0)
    events = run_fine(session, T0 + 100)
    phases = only(PhaseStarted, events)
    assert [p.name for p in phases] == ["Hold", "Hold", "Hold"]  # at 0, 4 and 8 s of 10
    (finished,) = only(SetFinished, events)
    assert (finished.reps, finished.seconds, finished.target_seconds) == (None, 10.0, 10)
    assert finished.ended == pytest.approx(T0 + 15.0)


def test_timed_countdown_snapshot_and_next_deadline_each_second() -> None:
    session = Session([hold()], start=T0)
    session.tick(T0 + 5.0)
    snap = session.snapshot(T0 + 5.3)
    assert (snap.mode, snap.countdown, snap.phase, snap.rep) == ("work", 10, "Hold", None)
    assert session.next_deadline(T0 + 5.3) == pytest.approx(T0 + 6.0)
    assert session.snapshot(T0 + 6.0).countdown == 9


def test_next_deadline_is_the_phase_end_during_reps() -> None:
    session = Session([drop(cues=("one",))], start=T0)
    session.tick(T0 + 5.5)
    assert session.next_deadline(T0 + 5.5) == pytest.approx(T0 + 7.0)
    session.tick(T0 + 7.2)
    assert session.next_deadline(T0 + 7.2) == pytest.approx(T0 + 10.0)


def test_late_tick_crossing_many_phases_emits_every_event_in_order() -> None:
    items = [drop(), hold()]
    fine = run_fine(Session(items, start=T0), T0 + 200)
    late = Session(items, start=T0)
    events = late.tick(T0 + 200)  # one tick after a very slow render
    assert events == fine
    assert kinds(events)[:3] == ["ExerciseStarted", "SetStarted", "PhaseStarted"]
    assert events[-1] == SessionEnded("completed")


def test_a_stale_time_is_treated_as_the_latest_seen() -> None:
    session = Session([drop()], start=T0)
    session.tick(T0 + 8.0)
    assert session.tick(T0 + 3.0) == []
    assert session.snapshot(T0 + 3.0).phase == "Lower"


# --- snapshot ---------------------------------------------------------------------------


def test_snapshot_has_what_the_screen_needs() -> None:
    session = Session([drop(sets=3)], start=T0)
    run_fine(session, T0 + 5 + 15 + 30 + 5 + 1)  # second set, second rep, in Rise
    snap = session.snapshot(T0 + 56.0)
    assert (snap.exercise, snap.exercise_name) == ("heel-drop", "Heel drop")
    assert (snap.set_number, snap.sets, snap.side) == (2, 3, None)
    assert (snap.rep, snap.reps_done, snap.reps_target) == (2, 1, 3)
    assert (snap.phase, snap.phase_cue) == ("Rise", "Up on both feet")
    assert snap.phase_progress == pytest.approx(0.5)
    assert snap.support == "a wall or kitchen counter"
    assert snap.measure == "3 reps"
    assert snap.cue == "Stand tall" and snap.mistake == "Bouncing at the bottom"
    assert 0 < snap.session_progress < 1
    assert snap.seconds_left == pytest.approx(9 + 30 + 15)
    assert ("n", "finish set") in snap.keys and ("!", "chest pain/dizzy") in snap.keys


def test_technique_cues_rotate() -> None:
    slow = (Phase("Rise", 10.0, ""), Phase("Lower", 10.0, ""))
    session = Session([drop(phases=slow, cues=("a", "b", "c"))], start=T0)
    session.tick(T0 + 12.0)
    assert session.snapshot(T0 + 12.0).cue == "a"
    assert session.next_deadline(T0 + 12.0) == pytest.approx(T0 + 13.0)  # before phase end
    assert session.snapshot(T0 + 13.5).cue == "b"
    assert session.snapshot(T0 + 21.5).cue == "c"


def test_session_progress_and_time_left_move_together() -> None:
    session = Session([drop(), hold()], start=T0)
    assert session.planned_seconds == pytest.approx(5 + 15 + 30 + 15 + 30 + 10)
    early, late = session.snapshot(T0 + 1.0), None
    run_fine(session, T0 + 60.0)
    late = session.snapshot(T0 + 60.0)
    assert early.session_progress < late.session_progress
    assert early.seconds_left == pytest.approx(session.planned_seconds - 1.0)
    assert late.seconds_left == pytest.approx(session.planned_seconds - 60.0)


# --- pause ------------------------------------------------------------------------------


def test_pause_during_a_rep_shifts_later_deadlines_exactly() -> None:
    session = Session([drop()], start=T0)
    session.tick(T0 + 6.0)  # mid Rise (5-7)
    assert session.press(" ", T0 + 6.0) == [Paused()]
    assert session.snapshot(T0 + 9.0).mode == "paused"
    assert session.next_deadline(T0 + 9.0) is None
    assert session.tick(T0 + 50.0) == []
    assert session.snapshot(T0 + 50.0).phase_progress == pytest.approx(0.5)
    assert session.press(" ", T0 + 16.0 + 40.0) == [Resumed()]  # paused 50 s
    assert session.next_deadline(T0 + 56.0) == pytest.approx(T0 + 57.0)
    events = run_fine(session, T0 + 200)
    assert only(SetFinished, events)[0].ended == pytest.approx(T0 + 20.0 + 50.0)
    assert only(SetFinished, events)[0].seconds == pytest.approx(15.0)
    assert session.summary().paused_seconds == pytest.approx(50.0)


def test_pause_during_a_rest_shifts_the_rest_end() -> None:
    session = Session([drop()], start=T0)
    run_fine(session, T0 + 30.0)  # rest runs 20-50
    session.press(" ", T0 + 30.0)
    session.press(" ", T0 + 42.5)
    assert session.snapshot(T0 + 42.5).countdown == 20
    assert session.tick(T0 + 62.4) == []
    assert kinds(session.tick(T0 + 62.5))[:1] == ["SetStarted"]


# --- n: finish now ----------------------------------------------------------------------


def test_n_mid_set_records_reps_so_far() -> None:
    session = Session([drop()], start=T0)
    session.tick(T0 + 12.5)  # one rep done, second half way
    events = session.press("n", T0 + 12.5)
    assert kinds(events) == ["SetFinished", "RestStarted"]
    finished = events[0]
    assert (finished.reps, finished.seconds, finished.ended_by) == (1, 7.5, "early")
    assert session.snapshot(T0 + 12.5).countdown == 30


def test_n_mid_timed_set_records_seconds_done() -> None:
    session = Session([hold()], start=T0)
    session.tick(T0 + 11.0)
    (finished,) = only(SetFinished, session.press("n", T0 + 11.0))
    assert (finished.reps, finished.seconds) == (None, 6.0)


def test_n_during_a_rest_or_get_ready_starts_the_set_now() -> None:
    session = Session([drop()], start=T0)
    assert kinds(session.press("n", T0 + 1.0))[:2] == ["ExerciseStarted", "SetStarted"]
    run_fine(session, T0 + 20.0)  # set 1 ended at 16, rest till 46
    events = session.press("N", T0 + 20.0)
    assert kinds(events)[:1] == ["SetStarted"] and events[0].set_number == 2
    assert session.next_deadline(T0 + 20.0) == pytest.approx(T0 + 22.0)


# --- s: skip ----------------------------------------------------------------------------


def test_skip_mid_set_keeps_the_work_done_and_moves_to_the_next_exercise() -> None:
    session = Session([drop(), hold()], start=T0)
    session.tick(T0 + 11.0)
    events = session.press("s", T0 + 11.0)
    assert kinds(events) == ["SetFinished", "ExerciseSkipped", "RestStarted"]
    assert (events[0].reps, events[0].ended_by) == (1, "skip")
    assert events[1] == ExerciseSkipped(
        "heel-drop", "Heel drop", "Calf hold - set 1 of 1", "Skipped heel drop."
    )
    assert events[2] == RestStarted(30.0, "Calf hold - set 1 of 1")
    assert session.summary().exercises[0].skipped


def test_skip_during_a_rest_drops_the_coming_sets_and_keeps_the_rest_clock() -> None:
    session = Session([drop(sets=3), hold()], start=T0)
    run_fine(session, T0 + 25.0)  # resting before set 2 of 3 (20-50)
    events = session.press("s", T0 + 25.0)
    assert kinds(events) == ["ExerciseSkipped"]
    snap = session.snapshot(T0 + 25.0)
    assert (snap.exercise, snap.countdown) == ("calf-hold", 25)
    assert snap.next_label == "Calf hold - set 1 of 1"
    assert kinds(session.tick(T0 + 50.0))[:2] == ["ExerciseStarted", "SetStarted"]


def test_skipping_the_last_exercise_ends_the_session() -> None:
    session = Session([drop()], start=T0)
    session.tick(T0 + 6.0)
    events = session.press("s", T0 + 6.0)
    assert kinds(events) == ["ExerciseSkipped", "SessionEnded"]  # nothing worth keeping
    assert session.end_reason == "completed"


# --- p: pain ----------------------------------------------------------------------------


def enter_pain(session: Session, text: str, now: float) -> list[Event]:
    events = session.press("p", now)
    for char in text:
        events += session.press(char, now)
    return events + session.press("enter", now)


def test_pain_entry_freezes_the_clock_and_shows_what_is_typed() -> None:
    session = Session([drop()], start=T0)
    session.tick(T0 + 6.0)
    session.press("p", T0 + 6.0)
    session.press("4", T0 + 7.0)
    snap = session.snapshot(T0 + 30.0)
    assert (snap.mode, snap.pain_typed) == ("pain_entry", "4")
    assert session.tick(T0 + 30.0) == [] and session.next_deadline(T0 + 30.0) is None
    assert ("enter", "submit") in snap.keys


def test_pain_up_to_5_is_attached_to_the_current_set() -> None:
    session = Session([drop()], start=T0)
    session.tick(T0 + 6.0)
    events = enter_pain(session, "3", T0 + 6.0)
    assert events == [PainNoted("heel-drop", 3, "Pain 3/10 noted.")]
    assert session.snapshot(T0 + 6.0).mode == "work"
    finished = only(SetFinished, run_fine(session, T0 + 30))[0]
    assert finished.pain == 3 and finished.reps == 3
    assert [r.pain for r in session.summary().pain_reports] == [3]


def test_pain_during_a_rest_goes_with_the_next_set_of_the_exercise() -> None:
    session = Session([drop()], start=T0)
    events = run_fine(session, T0 + 25.0)
    enter_pain(session, "5", T0 + 25.0)
    first, second = only(SetFinished, events + run_fine(session, T0 + 200))
    assert (first.set_number, first.pain) == (1, None)
    assert (second.set_number, second.pain) == (2, 5)
    assert session.summary().pain_reports[0].set_number == 2


def test_pain_above_5_stops_the_exercise_and_says_why() -> None:
    session = Session([drop(), hold()], start=T0)
    session.tick(T0 + 12.0)
    events = enter_pain(session, "7", T0 + 12.0)
    assert kinds(events) == ["SetFinished", "PainStopped", "RestStarted"]
    finished, stopped, rest = events
    assert (finished.reps, finished.pain, finished.ended_by) == (1, 7, "pain")
    message = "Pain 7/10: stopping heel drop. Pain above 5 is too much - rest it."
    assert stopped == PainStopped("heel-drop", 7, message)
    assert rest.next_label == "Calf hold - set 1 of 1"
    assert session.snapshot(T0 + 12.0).message == message
    result = session.summary().exercises[0]
    assert (result.pain_stopped, result.max_pain, result.sets_done) == (True, 7, 1)


def test_pain_10_in_the_last_exercise_ends_the_session() -> None:
    session = Session([drop()], start=T0)
    session.tick(T0 + 6.0)
    assert kinds(enter_pain(session, "10", T0 + 6.0)) == [
        "SetFinished", "PainStopped", "SessionEnded",
    ]  # fmt: skip
    assert session.snapshot(T0 + 6.0).message.startswith("Pain 10/10: stopping heel drop.")


def test_bad_pain_values_are_ignored_with_a_message() -> None:
    session = Session([drop()], start=T0)
    session.tick(T0 + 6.0)
    assert enter_pain(session, "11", T0 + 6.0) == []
    snap = session.snapshot(T0 + 6.0)
    assert snap.mode == "pain_entry" and snap.pain_typed == ""
    assert "0 to 10" in (snap.message or "")
    assert session.press("enter", T0 + 6.0) == []  # empty is bad too
    for key in ("1", "2", "3", "x"):  # a third digit and letters are ignored
        session.press(key, T0 + 6.0)
    assert session.snapshot(T0 + 6.0).pain_typed == "12"
    session.press("backspace", T0 + 6.0)
    assert kinds(session.press("enter", T0 + 6.0)) == ["PainNoted"]


@pytest.mark.parametrize("cancel", ["escape", "\x1b", "p"])
def test_escape_or_p_cancels_pain_entry(cancel: str) -> None:
    session = Session([drop()], start=T0)
    session.tick(T0 + 6.0)
    session.press("p", T0 + 6.0)
    session.press("8", T0 + 6.0)
    assert session.press(cancel, T0 + 9.0) == []
    snap = session.snapshot(T0 + 9.0)
    assert snap.mode == "work" and snap.message == "Pain entry cancelled."
    assert session.next_deadline(T0 + 9.0) == pytest.approx(T0 + 10.0)  # clock held 3 s
    assert session.summary().pain_reports == ()


# --- !: emergency -----------------------------------------------------------------------


def test_emergency_stops_the_whole_session_at_once() -> None:
    session = Session([drop(), hold()], start=T0)
    session.tick(T0 + 11.0)
    events = session.press("!", T0 + 11.0)
    assert kinds(events) == ["SetFinished", "EmergencyStopped", "SessionEnded"]
    assert events[1] == EmergencyStopped(EMERGENCY_MESSAGE)
    assert events[2] == SessionEnded("emergency")
    assert session.snapshot(T0 + 11.0).message == EMERGENCY_MESSAGE
    assert session.summary().end_reason == "emergency"


@pytest.mark.parametrize("prompt", ["p", "q", " "])
def test_emergency_works_from_prompts_and_pause(prompt: str) -> None:
    session = Session([drop()], start=T0)
    session.tick(T0 + 6.0)
    session.press(prompt, T0 + 6.0)
    assert kinds(session.press("!", T0 + 7.0))[-1] == "SessionEnded"
    assert session.end_reason == "emergency"


# --- q: quit ----------------------------------------------------------------------------


def test_quit_needs_confirmation_and_keeps_the_set_in_progress() -> None:
    session = Session([drop()], start=T0)
    session.tick(T0 + 16.0)  # two reps done
    assert session.press("q", T0 + 16.0) == []
    assert session.snapshot(T0 + 17.0).mode == "confirm_quit"
    events = session.press("y", T0 + 20.0)
    assert kinds(events) == ["SetFinished", "SessionEnded"]
    assert (events[0].reps, events[0].ended_by, events[0].seconds) == (2, "quit", 11.0)
    assert events[1] == SessionEnded("quit")


def test_any_other_key_cancels_quit_and_the_clock_was_held() -> None:
    session = Session([drop()], start=T0)
    session.tick(T0 + 6.0)
    session.press("q", T0 + 6.0)
    assert session.press("n", T0 + 16.0) == []  # cancels; does not finish the set
    snap = session.snapshot(T0 + 16.0)
    assert snap.mode == "work" and snap.message == "Carrying on."
    assert session.next_deadline(T0 + 16.0) == pytest.approx(T0 + 17.0)


def test_quitting_with_nothing_done_records_nothing() -> None:
    session = Session([drop()], start=T0)
    session.tick(T0 + 6.0)
    session.press("q", T0 + 6.0)
    assert session.press("Y", T0 + 6.0) == [SessionEnded("quit")]
    assert session.summary().sets == ()


# --- per side ---------------------------------------------------------------------------


def test_per_side_sets_are_left_then_right_with_a_switch_rest() -> None:
    session = Session([drop(per_side=True, sets=2)], start=T0)
    events = run_fine(session, T0 + 1000)
    sets = only(SetFinished, events)
    assert [(s.set_number, s.side) for s in sets] == [
        (1, "left"), (1, "right"), (2, "left"), (2, "right"),
    ]  # fmt: skip
    rests = only(RestStarted, events)
    assert rests == [
        RestStarted(SWITCH_SIDES_SECONDS, "right side"),
        RestStarted(30.0, "set 2 of 2 - left side"),
        RestStarted(SWITCH_SIDES_SECONDS, "right side"),
    ]
    assert [s.side for s in only(SetStarted, events)] == ["left", "right", "left", "right"]
    assert len(only(ExerciseStarted, events)) == 1
    assert sets[1].started == pytest.approx(sets[0].ended + SWITCH_SIDES_SECONDS)
    assert session.summary().exercises[0].sets_done == 4


def test_per_side_snapshot_names_the_side() -> None:
    session = Session([drop(per_side=True)], start=T0)
    run_fine(session, T0 + 22.0)  # in the switch rest (20-25)
    snap = session.snapshot(T0 + 22.0)
    assert (snap.mode, snap.activity) == ("rest", "switch")
    assert (snap.phase, snap.side) == ("Switch sides", "right")


# --- timing accuracy --------------------------------------------------------------------


def ten_minute_plan() -> list[SessionItem]:
    """5 s get ready + 595 s of work and rests = exactly 600 s, with awkward tempos."""
    tempo = (Phase("Rise", 1.3, ""), Phase("Hold", 0.7, ""), Phase("Lower", 3.1, ""))
    return [
        drop(sets=3, reps=10, phases=tempo, rest_seconds=45),
        hold(sets=2, seconds=37, per_side=True, rest_seconds=30),
        drop(exercise="heel-raise", name="Heel raise", sets=2, reps=7,
             phases=(Phase("Up", 1.1, ""), Phase("Down", 2.9, "")), rest_seconds=33),
    ]  # fmt: skip


def test_the_ten_minute_plan_is_ten_minutes() -> None:
    session = Session(ten_minute_plan(), start=T0)
    # drop: 3 sets x 10 reps x 5.1 s + 2 rests x 45 s, then 45 s rest;
    # hold: 4 sides x 37 s + 2 switches x 5 s + 30 s between sets, then 30 s rest;
    # raise: 2 sets x 7 reps x 4 s + 33 s rest.
    assert 153 + 90 + 45 + 148 + 10 + 30 + 30 + 56 + 33 == 595
    assert session.planned_seconds == pytest.approx(5 + 595.0)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_ten_minute_session_with_jittery_ticks_ends_on_time(seed: int) -> None:
    rng = random.Random(seed)
    session = Session(ten_minute_plan(), start=T0)
    planned = session.planned_seconds
    now, events, last_tick = T0, [], T0
    while not session.done:
        deadline = session.next_deadline(now) or now + 0.1
        now = max(now, deadline) + rng.choice([0.0, rng.uniform(0, 0.03), rng.uniform(0, 0.9)])
        events += session.tick(now)
        last_tick = now
    assert abs(session.ended_at - (T0 + planned)) < 0.05
    assert abs(session.summary().elapsed_seconds - planned) < 0.05
    assert last_tick >= session.ended_at  # the end was seen by a tick, not guessed early
    assert only(SessionEnded, events) == [SessionEnded("completed")]
    assert len(only(SetFinished, events)) == 3 + 4 + 2


def test_a_long_pause_moves_the_end_by_exactly_the_pause() -> None:
    session = Session(ten_minute_plan(), start=T0)
    planned = session.planned_seconds
    session.tick(T0 + 123.4)
    session.press(" ", T0 + 123.4)
    session.press(" ", T0 + 123.4 + 77.7)
    now = T0 + 123.4 + 77.7
    while not session.done:
        now += 0.37
        session.tick(now)
    assert session.ended_at == pytest.approx(T0 + planned + 77.7, abs=1e-6)


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
    session = Session([hold(phases=())], start=T0)
    events = run_fine(session, T0 + 100)
    assert [p.name for p in only(PhaseStarted, events)] == ["Go"]
    assert only(SetFinished, events)[0].seconds == 10.0


def test_summary_totals() -> None:
    session = Session([drop(), hold()], start=T0)
    run_fine(session, T0 + 1000)
    summary = session.summary()
    drop_result, hold_result = summary.exercises
    assert (drop_result.sets_done, drop_result.reps, drop_result.seconds) == (2, 6, 30.0)
    assert (hold_result.sets_done, hold_result.reps, hold_result.seconds) == (1, 0, 10.0)
    assert summary.active_seconds == pytest.approx(40.0)
    assert summary.end_reason == "completed"


def test_pain_entry_ignores_characters_that_only_look_like_digits() -> None:
    session = Session([drop()], start=T0)
    session.tick(T0 + 6.0)
    session.press("p", T0 + 6.0)
    session.press("²", T0 + 6.1)  # a superscript two: str.isdigit() says yes, int() says no
    session.press("3", T0 + 6.2)
    assert session.snapshot(T0 + 6.3).pain_typed == "3"
