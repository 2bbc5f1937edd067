"""Eccentric drops with the legs taking turns (004: "one on the left, one on the right"):
the setting turns a set per leg into one set in turns, the live screen names the leg of
each rep, and the history still keeps a row per leg."""

from __future__ import annotations

from datetime import date

from helpers import content_library, open_store, profile

from heelcoach.domain.planner import build_week
from heelcoach.domain.session.engine import Session
from heelcoach.domain.session.model import SessionItem, SetFinished
from heelcoach.services.training import SetSaver, session_items

START = date(2026, 3, 2)


def eccentric_items(alternate_legs: bool) -> list[SessionItem]:
    person = profile(START, goals=["achilles"])
    plan = build_week(person, content_library(), 1)
    day = next(d for d in plan.days if not d.is_rest)
    return session_items(day.items, alternate_legs=alternate_legs)


def test_the_setting_makes_one_set_with_the_legs_in_turn() -> None:
    normal = next(i for i in eccentric_items(False) if i.exercise == "eccentric-heel-drop")
    turns = next(i for i in eccentric_items(True) if i.exercise == "eccentric-heel-drop")
    assert normal.per_side and normal.reps == 10 and not normal.alternate
    assert not turns.per_side and turns.reps == 20 and turns.alternate
    assert turns.cues[0].startswith("Legs in turn")
    others = [i for i in eccentric_items(True) if i.exercise != "eccentric-heel-drop"]
    assert not any(i.alternate for i in others)  # only the one-leg eccentric drops


def test_the_screen_names_the_leg_of_each_rep() -> None:
    item = next(i for i in eccentric_items(True) if i.exercise == "eccentric-heel-drop")
    session = Session([item], start=0.0, position_seconds=0.0)
    rep = sum(phase.seconds for phase in item.phases)
    sides = []
    for now in (0.1, rep + 0.1, 2 * rep + 0.1):
        session.tick(now)
        sides.append(session.snapshot(now).side)
    assert sides[-3:] == ["left", "right", "left"]


def test_a_set_in_turns_is_kept_as_a_row_per_leg() -> None:
    with open_store() as store:
        saver = SetSaver(store, "s-1", START, 1.0, frozenset({"eccentric-heel-drop"}))
        saver(SetFinished("eccentric-heel-drop", 1, None, 19, 100.0, 20, None, 3, 0.0, 100.0))
        saver.pain(0, 4)  # pain said in the rest after it belongs to both rows
        rows = sorted(store.sets(), key=lambda r: r.side or "")
    assert [(r.side, r.reps, r.target_reps, r.pain) for r in rows] == [
        ("left", 10, 10, 4),
        ("right", 9, 10, 4),
    ]


def test_a_set_stopped_after_one_rep_keeps_no_row_for_the_leg_never_trained() -> None:
    with open_store() as store:
        saver = SetSaver(store, "s-1", START, 1.0, frozenset({"eccentric-heel-drop"}))
        saver(SetFinished("eccentric-heel-drop", 1, None, 1, 5.0, 20, None, None, 0.0, 5.0))
        rows = store.sets()
    assert [(r.side, r.reps) for r in rows] == [("left", 1)]
