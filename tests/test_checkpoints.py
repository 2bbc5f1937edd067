"""Progression's checkpoints give exactly what a replay from week 1 gives.

A person's history is built at random through the real store: sets (logged, and from live
sessions with an end-of-session pain), next-morning check-ins, readiness tests, undone sets
and pain reported after a set, on today and on days weeks back, while the clock moves on.
After every change, `services.progress.replay` (which reads the checkpoints the earlier
commands kept, replays from the last valid one and keeps what it replayed) is compared
with `domain.progression.review_weeks` from week 1 over the same history.
"""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
import yaml
from helpers import content_library, open_store, run_cli, saved_profile, write_answers

from heelcoach.domain.planner import week_of
from heelcoach.domain.profile import Profile
from heelcoach.domain.progression import Reviewed, review_weeks
from heelcoach.domain.records import CheckIn, ReadinessResult, SessionRecord, SetRecord
from heelcoach.services.prescription import in_force
from heelcoach.services.progress import load_history, replay
from heelcoach.storage.store import Store

START = date(2026, 1, 5)
PAINS = (0, 0, 1, 1, 2, 2, 3, 4, 5, 6, 7, None)


def at(day: date, minute: int) -> datetime:
    return datetime.combine(day, time(7), tzinfo=UTC) + timedelta(minutes=minute)


def screened(answers: Path) -> Profile:
    """The profile `heelcoach screen --answers` saves, program week 1 from START."""
    result = run_cli("screen", "--answers", str(answers), "--start", START.isoformat(), today=START)
    assert result.returncode == 0, result.stderr
    person = saved_profile()
    assert person is not None
    return person


def full_replay(store: Store, today: date) -> list[Reviewed]:
    person, library = saved_profile(), content_library()
    assert person is not None
    history = load_history(store, person, library, today)
    return review_weeks(person, library, history, today, in_force(store, library))


class RandomTrainee:
    """Writes at random into the real history, mostly by the plan, sometimes weeks back."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.uuids: list[str] = []
        self.sessions: list[str] = []
        self.minute = 0

    def day(self, today: date) -> date:
        roll = self.rng.random()
        if roll < 0.6:
            back = self.rng.choice((0, 1))
        elif roll < 0.9:
            back = self.rng.randrange(14)
        else:
            back = self.rng.randrange((today - START).days + 1)
        return max(START, today - timedelta(days=back))

    def write(self, store: Store, plan_days: dict[date, list[tuple[str, int | None, int | None,
              bool]]], today: date) -> None:  # fmt: skip
        rng, day = self.rng, self.day(today)
        self.minute += 1
        roll = rng.random()
        if roll < 0.45:
            items = plan_days.get(day) or [("heel-drop", 10, None, False)]
            live = rng.random() < 0.4
            session = SetRecord.new_uuid() if live else None
            if session is not None:
                store.start_session(SessionRecord(session, day, at(day, self.minute), None,
                                                  None, "running"))  # fmt: skip
                self.sessions.append(session)
            for exercise, reps, seconds, per_side in rng.sample(items, rng.randint(1, len(items))):
                sides = ("left", "right") if per_side else (None,)
                for number in range(1, rng.randint(1, 3) + 1):
                    records = [
                        SetRecord(SetRecord.new_uuid(), exercise, number, side, reps, seconds,
                                  reps, seconds, rng.choice(PAINS), day, at(day, self.minute),
                                  at(day, self.minute + 1), session, "live" if live else "log")
                        for side in sides
                    ]  # fmt: skip
                    store.add_sets(records)
                    self.uuids += [r.uuid for r in records]
            if session is not None:
                store.finish_session(session, ended_at=at(day, self.minute + 2),
                                     pain=rng.choice(PAINS), status="finished")  # fmt: skip
        elif roll < 0.75:
            pain, stiffness = rng.choice((0, 1, 2, 3, 6, 7)), rng.choice((0, 1, 2, 3, 6))
            store.save_checkin(CheckIn(day, pain, stiffness, at(day, self.minute)))
        elif roll < 0.82:
            test = rng.choice(("tiptoe", "hops", "heel-raise"))
            counts = (rng.randint(10, 30), rng.randint(10, 30)) if test == "heel-raise" else (
                None, None)  # fmt: skip
            store.add_readiness([ReadinessResult(
                SetRecord.new_uuid(), test, day, at(day, self.minute),  # type: ignore[arg-type]
                "both" if test == "tiptoe" else None,
                None if test == "heel-raise" else rng.choice((0, 1, 2, 4, 6)),
                *counts, "entered")])  # fmt: skip
        elif roll < 0.9 and self.uuids:
            store.delete_sets([self.uuids.pop(rng.randrange(len(self.uuids)))])
        elif roll < 0.95 and self.uuids:
            store.set_pain(rng.choice(self.uuids), rng.choice((1, 4, 6, 8)))
        elif self.sessions:
            store.set_session_pain(rng.choice(self.sessions), rng.choice((0, 3, 6)))


def plan_days(weeks: list[Reviewed]) -> dict[date, list[tuple[str, int | None, int | None, bool]]]:
    return {
        day.date: [(i.exercise.id, i.reps, i.seconds, i.per_side) for i in day.items]
        for reviewed in weeks
        for day in reviewed.plan.days
        if day.items
    }


def prescribe_bridges(tmp_path: Path, today: date) -> None:
    body = {
        "clinician": "A. Example",
        "date": today.isoformat(),
        "stages": [{"from_week": 1, "items": [{"exercise": "bridge", "sets": 2, "reps": 10,
                                               "days": 2}]}],
    }  # fmt: skip
    path = tmp_path / "rx.yaml"
    path.write_text(yaml.safe_dump(body), encoding="utf-8")
    result = run_cli("prescribe", str(path), today=today)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_checkpoints_give_what_a_replay_from_week_one_gives(tmp_path: Path, seed: int) -> None:
    goals = ["bone", "achilles"] if seed % 2 else ["bone"]
    written = write_answers(tmp_path, goals=goals, days_per_week=3 + seed % 2)
    person, library = screened(written), content_library()
    trainee = RandomTrainee(seed)
    today, known = START + timedelta(days=9), plan_days([])
    resumed = 0
    for step in range(70):
        today += timedelta(days=trainee.rng.choice((0, 0, 1, 1, 2, 3, 6)))
        if seed == 3 and step == 35:
            prescribe_bridges(tmp_path, today)
        with open_store() as store:
            trainee.write(store, known, today)
        with open_store(create=False) as store:
            full = full_replay(store, today)
            got = replay(store, person, library, today)
            assert got.weeks == full[-len(got.weeks) :], f"step {step}: the weeks replayed"
            assert got.judged == [r.review for r in full], f"step {step}: the weeks judged"
            resumed += got.weeks[0].start.week > 1
            back = trainee.rng.randint(1, week_of(person, today))
            assert replay(store, person, library, today, from_week=back).weeks == full[back - 1 :]
        known = plan_days(full)
    assert resumed > 30  # the checkpoints were used, not just kept


def trained(folder: Path, seed: int, weeks: int, writes: int) -> tuple[Profile, date]:
    """A screened person and `writes` random writes of training, `weeks` into the plan."""
    person, trainee = screened(write_answers(folder)), RandomTrainee(seed)
    today = START + timedelta(weeks=weeks)
    for _ in range(writes):
        with open_store() as store:
            trainee.write(store, {}, today)
    return person, today


def test_a_history_that_cannot_keep_checkpoints_gives_the_same(tmp_path: Path) -> None:
    (person, today), library = trained(tmp_path, 9, 6, 30), content_library()
    with open_store(create=False) as store:
        store._identity = None  # as on a read-only disk: nothing can be kept
        got = replay(store, person, library, today)
        assert got.weeks == full_replay(store, today)
        assert store._read("SELECT count(*) FROM week_checkpoints")[0][0] == 0


def test_a_damaged_checkpoint_is_replayed_over(tmp_path: Path) -> None:
    (person, today), library = trained(tmp_path, 5, 8, 40), content_library()
    with open_store() as store:
        replay(store, person, library, today)
        weeks = [row[0] for row in store._read("SELECT week FROM week_checkpoints")]
        assert weeks == list(range(2, week_of(person, today) + 1))
        with store._write() as conn:  # a state that is not what the code writes
            conn.execute("UPDATE week_checkpoints SET state = '{\"week\": 4}' WHERE week = 5")
            conn.execute("UPDATE week_checkpoints SET state = ? WHERE week = 6",
                         (json.dumps({"not": "a checkpoint"}),))  # fmt: skip
        got = replay(store, person, library, today)
        assert got.weeks == full_replay(store, today)[3:]  # from week 4, the last good one
        assert got.judged == [r.review for r in full_replay(store, today)]


def test_a_history_changed_outside_loses_its_checkpoints(tmp_path: Path) -> None:
    written = write_answers(tmp_path)
    person, library = screened(written), content_library()
    today = START + timedelta(weeks=5)
    with open_store() as store:
        RandomTrainee(2).write(store, {}, today)
        replay(store, person, library, today)
        assert store._read("SELECT count(*) FROM week_checkpoints")[0][0] > 0
    conn = sqlite3.connect(open_store().path)  # another program adds a painful set
    conn.execute(
        "INSERT INTO sets (uuid, exercise, set_number, reps, pain, day, started_at, ended_at,"
        " source) VALUES ('00000000-0000-4000-8000-000000000001', 'heel-drop', 9, 10, 8, ?,"
        " ?, ?, 'log')",
        (START.isoformat(), at(START, 1).isoformat(), at(START, 2).isoformat()),
    )
    conn.commit()
    conn.close()
    with open_store(create=False) as store:
        assert store._read("SELECT count(*) FROM week_checkpoints")[0][0] == 0
        got = replay(store, person, library, today)
        assert got.weeks == full_replay(store, today)  # from week 1 again


def test_a_test_entered_for_a_day_weeks_back_changes_the_weeks_after_it(tmp_path: Path) -> None:
    achilles = {"goals": ["achilles"], "achilles_pain": True, "achilles_pain_site": "mid",
                "tiptoe_hold_ok": True}  # fmt: skip
    written = write_answers(tmp_path, **achilles)
    person, library = screened(written), content_library()
    today = START + timedelta(weeks=5, days=2)
    with open_store() as store:
        before = replay(store, person, library, today)  # keeps weeks 2 to 6
        assert before.weeks[0].start.week == 1 and len(before.weeks) == 6
        store.add_readiness([ReadinessResult(SetRecord.new_uuid(), "tiptoe", START +
                             timedelta(days=7), at(START, 1), "both", 8, None, None,
                             "entered")])  # fmt: skip
        after = replay(store, person, library, today)
        full = full_replay(store, today)
        assert after.weeks == full[-len(after.weeks) :] and after.judged == [r.review for r in full]
        assert after.judged != before.judged  # week 2 on were planned without heel drops
