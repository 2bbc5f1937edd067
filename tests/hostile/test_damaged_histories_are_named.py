"""A history that is not what it should be is named for what it is, with the way out: a
FIFO in its place is not "no history yet", an emptied file is damage and never the start
of a new history, and a day full of sets says so in words, not with a record's uuid."""

from __future__ import annotations

import os
import re
from datetime import UTC, date, datetime
from pathlib import Path

from helpers import a_set, assert_one_line_error, open_store, run_cli

UUID = re.compile("[0-9a-f]{8}-[0-9a-f]{4}-")


def test_check_on_a_fifo_in_place_of_the_history_says_what_it_is(heelcoach_home: Path) -> None:
    os.mkfifo(heelcoach_home / "history.db", 0o600)
    result = run_cli("check")
    assert_one_line_error(result, 1)
    assert "No history yet" not in result.stdout
    assert "not a regular file" in result.stderr


def test_a_history_cut_to_nothing_is_damage_and_is_never_replaced(heelcoach_home: Path) -> None:
    assert run_cli("log", "heel-drop", "--reps", "10").returncode == 0
    history = heelcoach_home / "history.db"
    for sidecar in heelcoach_home.glob("history.db-*"):
        sidecar.unlink()
    os.truncate(history, 0)  # as a failed copy or a full disk in another program leaves it
    for command in (["log", "heel-drop", "--reps", "5"], ["history"], ["check"]):
        result = run_cli(*command)
        assert_one_line_error(result, 1)
        assert "damaged" in result.stderr and "empty" in result.stderr, result.stderr
        assert history.stat().st_size == 0  # nothing was started in its place
    assert "heelcoach import" in run_cli("check").stderr  # how to get the history back


def test_the_set_past_a_full_day_is_refused_in_words() -> None:
    today = date.today()
    moment = datetime.now(UTC)
    with open_store() as store:
        store.add_sets([a_set(today, moment, set_number=n, source="log") for n in range(1, 1001)])
    result = run_cli("log", "heel-drop", "--reps", "10")
    assert_one_line_error(result, 2)
    assert "1000" in result.stderr and not UUID.search(result.stderr), result.stderr
    with open_store(create=False) as store:
        assert store.count_sets() == 1000
