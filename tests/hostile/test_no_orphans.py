"""Nothing is left behind: a `kill -9` of `start` leaves its session marked interrupted by
the next write, a killed export's `.tmp` is removed by `forget`, and `forget` during a
live session stops the session from saving into a deleted file."""

from __future__ import annotations

import dataclasses
import os
import signal
from datetime import date
from pathlib import Path

import pytest
from conftest import make_set
from helpers import open_store, run_cli

from heelcoach.domain.session.model import SetFinished
from heelcoach.errors import Refused
from heelcoach.services import training


def _session_in_child(hold: bool) -> tuple[int, int | None]:
    """A child process that starts a live session, then dies by SIGKILL or waits."""
    ready_read, ready_write = os.pipe()
    wait_read, wait_write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            with open_store() as store:
                training.begin(store, date.today())
                os.write(ready_write, b"r")
                if hold:
                    os.read(wait_read, 1)  # until the parent has looked
                else:
                    os.kill(os.getpid(), signal.SIGKILL)
        finally:
            os._exit(0)
    os.close(ready_write)
    assert os.read(ready_read, 1) == b"r"
    os.close(ready_read)
    os.close(wait_read)
    return pid, wait_write


def _statuses() -> list[str]:
    with open_store(create=False) as store:
        return [session.status for session in store.sessions()]


def test_nothing_is_orphaned(heelcoach_home: Path) -> None:
    # A session whose process is still alive stays running...
    alive, release = _session_in_child(hold=True)
    assert run_cli("log", "heel-drop", "--reps", "10").returncode == 0
    assert _statuses() == ["running"]
    os.write(release, b"x")
    os.waitpid(alive, 0)
    # ... and one whose process was killed is marked interrupted by the next writer.
    killed, _ = _session_in_child(hold=False)
    os.waitpid(killed, 0)
    assert run_cli("checkin", "--pain", "1", "--stiffness", "1").returncode == 0
    assert _statuses() == ["interrupted", "interrupted"]

    # forget removes the temporary files heelcoach left in the data folder.
    strays = [
        heelcoach_home / ".backup.jsonl.4242.tmp",
        heelcoach_home / ".profile.json.77.0badc0de.tmp",
    ]
    for stray in strays:
        stray.write_text("half an export of health data")
    kept = heelcoach_home / "my-notes.tmp"
    kept.write_text("not ours")
    assert run_cli("forget", "--yes").returncode == 0
    assert not [stray for stray in strays if stray.exists()]
    assert kept.exists()
    assert not [p.name for p in heelcoach_home.iterdir() if p.name.endswith(".lock")]

    # A live session whose history was deleted under it stops saving.
    with open_store() as store:
        session_id = training.begin(store, date.today())
        saver = training.SetSaver(store, session_id, date.today(), 1.0)
        event = SetFinished("heel-drop", 1, None, 10, 30.0, 10, None, None, 0.0, 30.0, "target")
        saver(event)
        assert run_cli("forget", "--yes").returncode == 0
        with pytest.raises(Refused) as caught:
            saver(dataclasses.replace(event, set_number=2))
        assert "deleted" in str(caught.value) or "replaced" in str(caught.value)
        assert not (heelcoach_home / "history.db").exists()
        store.add_sets([])  # nothing to write is still nothing
        with pytest.raises(Refused):
            store.add_sets([make_set(3)])
    assert not (heelcoach_home / "history.db").exists()
