"""The listening counter in a live session: the pure state machine beside the session
engine on a fake clock, then `heelcoach start --listen` fed a simulated recording through
the same sound interface the microphone uses (`--listen-file`), in this process and in a
real pseudo-terminal. No microphone is needed.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import listen_corpus as lc
import numpy as np
import pytest
import soundfile as sf
import test_start_e2e
from helpers import as_nobody, run_cli, write_answers
from test_session import T0, drop, hold
from test_start_e2e import ILLNESS, Terminal, history, screened

from heelcoach.content.model import Phase
from heelcoach.domain.session.engine import Session
from heelcoach.domain.session.listening import Coaching, Listening, SetLandings
from heelcoach.domain.session.model import SessionItem
from heelcoach.listening.landing import Landing

live = test_start_e2e.live  # the fixtures of `heelcoach start` end to end
spawn = test_start_e2e.spawn
FIRMER = "Land firmer: let the heels drop so you hear it."


class Listened:
    """A session and its listening counter run together on a fake clock."""

    def __init__(self, item: SessionItem, reference: float | None = None) -> None:
        self.session = Session([item], start=T0, position_seconds=5.0)
        self.listening = Listening(reference_dbfs=reference)
        self.coaching: list[tuple[float, Coaching]] = []
        self.now = T0
        self._pass(self.session.tick(T0))

    def _pass(self, events: list) -> None:
        for what in self.listening.on_events(events, self.now):
            self.coaching.append((self.now, what))

    def run_to(self, until: float, landings: dict[float, float] | None = None) -> None:
        """Tick every 0.1 s to `until` (seconds after T0); `landings` maps the time a
        landing is heard to its level."""
        heard = sorted((landings or {}).items())
        while self.now < T0 + until:
            self.now = round(self.now + 0.1, 6)
            while heard and T0 + heard[0][0] <= self.now:
                at, level = heard.pop(0)
                for what in self.listening.heard(Landing(T0 + at, level)):
                    self.coaching.append((self.now, what))
            self._pass(self.session.tick(self.now))


# drop(): 2 sets of 3 reps of 5 s (rise 2 s, lower 3 s), 5 s in position, 30 s rest:
# set 1 is 5-20 s, set 2 50-65 s; a landing heard 3 s into each rep.
SET_ONE = [5 + 3 + 5 * i for i in range(3)]
SET_TWO = [50 + 3 + 5 * i for i in range(3)]


def test_heard_against_planned_and_the_saved_tally() -> None:
    run = Listened(drop(sets=1))
    run.run_to(9, {SET_ONE[0]: -20.0})
    assert run.listening.counted() == (1, 3)
    run.run_to(21, dict.fromkeys(SET_ONE[1:], -20.0))
    assert run.listening.counted() is None  # resting: nothing to count
    assert run.listening.finished_set() == SetLandings(heard=3, soft=0, hard=0)
    assert run.coaching == []


def test_a_heel_drop_rep_with_no_thump_is_told_once_a_set() -> None:
    run = Listened(drop())
    run.run_to(21, {SET_ONE[0]: -20.0})  # reps 2 and 3 silent
    assert run.coaching == [(T0 + 15.0, Coaching.FIRMER)]  # at the end of rep 2, once
    run.run_to(66, {SET_TWO[0]: -20.0})
    assert [what for _, what in run.coaching] == [Coaching.FIRMER] * 2  # again in set 2


def test_a_soft_landing_is_told_against_the_set_or_a_calibration() -> None:
    run = Listened(drop(sets=1, reps=4))
    levels = {8: -20.0, 13: -20.5, 18: -19.5, 23: -29.0}
    run.run_to(26, levels)
    assert [what for _, what in run.coaching] == [Coaching.FIRMER]
    assert run.listening.finished_set() == SetLandings(heard=4, soft=1, hard=0)
    calibrated = Listened(drop(sets=1, reps=4), reference=-12.0)  # every one is soft now
    calibrated.run_to(26, levels)
    assert calibrated.coaching[0] == (T0 + 8.0, Coaching.FIRMER)  # from the first landing
    assert calibrated.listening.finished_set() == SetLandings(heard=4, soft=4, hard=0)


def test_a_hard_jump_landing_is_told_to_land_softer_and_soft_ones_are_fine() -> None:
    run = Listened(drop(exercise="heel-jump", name="Heel jump", sets=1, reps=4))
    run.run_to(26, {8: -20.0, 13: -30.0, 18: -20.0, 23: -11.0})
    assert [what for _, what in run.coaching] == [Coaching.SOFTER]
    assert run.listening.finished_set() == SetLandings(heard=4, soft=0, hard=1)


def test_a_timed_heel_kick_set_counts_every_landing_and_tells_a_hard_one_once() -> None:
    kicks = hold(
        exercise="heel-kick-standing",
        name="Standing heel kicks",
        phases=(Phase("Left heel", 0.5, "Left heel up"), Phase("Right heel", 0.5, "Right")),
    )  # one set of 10 s from 5 s, a landing each half second
    landings = {5.3 + 0.5 * i: -20.0 for i in range(19)}
    landings[9.3] = -10.0  # one landing 10 dB harder than the rest
    landings[11.3] = -9.0  # and another: told once a set all the same
    run = Listened(kicks)
    run.run_to(10, {at: level for at, level in landings.items() if at < 10})
    assert run.listening.counted() == (10, None)  # timed work: heard, nothing planned
    run.run_to(16, {at: level for at, level in landings.items() if at >= 10})
    assert run.listening.finished_set() == SetLandings(heard=19, soft=0, hard=2)
    assert run.coaching == [(T0 + 9.3, Coaching.SOFTER)]  # no "land firmer" for kicks


def test_an_exercise_without_landings_is_not_listened_to() -> None:
    run = Listened(drop(exercise="bridge", name="Bridge"))
    run.run_to(21, {8: -20.0})
    assert run.listening.counted() is None and run.coaching == []
    assert run.listening.finished_set() is None


def test_a_room_too_loud_is_named_while_getting_into_position() -> None:
    run = Listened(drop())
    assert run.listening.room(-80.0, T0 + 1.0) == []  # not heard long enough yet
    assert run.listening.room(-30.0, T0 + 4.5) == [Coaching.TOO_LOUD]
    assert run.listening.room(-30.0, T0 + 4.8) == []  # once an exercise
    quiet = Listened(drop())
    assert quiet.listening.room(-80.0, T0 + 4.5) == []


# --------------------------------------------------------------------------- the command


@pytest.fixture
def heel_drop_profile(tmp_path: Path) -> None:
    screened(tmp_path, goals=["bone"])  # week 1: heel drops, 2 sets of 10 reps


@pytest.fixture(scope="module")
def heel_drop_session(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A recording of a live heel-drop session, from its start: set 1 (15-45 s) has ten
    landings, the 4th and 5th soft; set 2 (after 60 s of rest) misses reps 3 and 7."""
    one = lc.heel_drop_contacts(lc.POSITION, 10)
    two = lc.heel_drop_contacts(lc.POSITION + 30 + 60, 10, skip=(3, 7))
    gains = [-12.0 if i in (3, 4) else 0.0 for i in range(len(one) + len(two))]
    path = tmp_path_factory.mktemp("sound") / "session.wav"
    sf.write(str(path), lc.recording(one + two, gains, 140.0), lc.RATE)
    return path


def test_start_listen_counts_each_set_and_says_land_firmer_once_a_set(
    heel_drop_profile: None, heel_drop_session: Path, live: Callable
) -> None:
    result = live(
        "--plain", "--exercise", "heel-drop", "--listen", "--listen-file", str(heel_drop_session)
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Set 1 saved: 10 reps, 8 of 10 landings firm, 2 soft." in out
    assert "Set 2 saved: 10 reps, 8 of 8 landings firm." in out
    assert out.count(FIRMER) == 2
    first, second = out.split("Set 1 saved")
    assert first.count(FIRMER) == 1 and second.count(FIRMER) == 1
    sets, _ = history()
    heard = [(s.landings, s.soft_landings, s.hard_landings) for s in sets]
    assert heard == [(10, 2, 0), (8, 0, 0)]


def test_the_landings_heard_are_in_history_and_an_export_restores_them(
    heel_drop_profile: None,
    heel_drop_session: Path,
    live: Callable,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    live("--plain", "--exercise", "heel-drop", "--listen", "--listen-file", str(heel_drop_session))
    monkeypatch.setenv("COLUMNS", "160")  # the whole table on one line a set
    shown = run_cli("history").stdout
    assert "8 of 10 landings firm, 2 soft" in shown and "8 of 8 landings firm" in shown
    assert "Heel drop: 16 of 18 landings firm, 2 soft" in run_cli("stats").stdout
    stats = json.loads(run_cli("stats", "--json").stdout)
    assert stats["landings"] == [{"exercise": "heel-drop", "heard": 18, "soft": 2, "hard": 0}]
    report = json.loads(run_cli("report", "--format", "json").stdout)
    assert [(h["exercise"], h["text"]) for h in report["landings"]] == [
        ("heel-drop", "16 of 18 landings firm, 2 soft")
    ]
    assert (
        "Heel drop 16 of 18 landings firm, 2 soft."
        in run_cli("report", "--format", "markdown").stdout
    )
    exported = run_cli("export", "--output", str(tmp_path / "all.jsonl"))
    assert exported.returncode == 0, exported.stderr
    monkeypatch.setenv("HEELCOACH_HOME", str(tmp_path / "elsewhere"))
    assert run_cli("import", str(tmp_path / "all.jsonl")).returncode == 0
    rows = json.loads(run_cli("history", "--json").stdout)
    assert [(r["landings"], r["soft_landings"], r["hard_landings"]) for r in rows] == [
        (8, 0, 0),
        (10, 2, 0),
    ]


def test_a_recording_damaged_part_way_stops_the_listening_not_the_session(
    heel_drop_profile: None, heel_drop_session: Path, live: Callable, tmp_path: Path
) -> None:
    """Set 1 is heard whole; the sound breaks in the rest after it: one line says so (the
    file's name made inert), and set 2 is saved as a set nobody listened to."""
    audio, rate = sf.read(str(heel_drop_session), dtype="float32")
    audio[70 * rate : 70 * rate + 100] = np.nan
    damaged = tmp_path / "\x1b]2;pwned\x07damaged.wav"
    sf.write(str(damaged), audio, rate, subtype="FLOAT")
    result = live("--plain", "--exercise", "heel-drop", "--listen", "--listen-file", str(damaged))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Set 1 saved: 10 reps, 8 of 10 landings firm, 2 soft." in out
    stopped = [line for line in out.splitlines() if line.startswith("Stopped listening")]
    assert len(stopped) == 1 and "damaged" in stopped[0], out
    assert "\x1b" not in out and "\x07" not in out
    assert "Set 2 saved: 10 reps." in out
    sets, _ = history()
    assert [(s.landings, s.soft_landings) for s in sets] == [(10, 2), (None, None)]


def without_a_microphone(monkeypatch: pytest.MonkeyPatch) -> None:
    try:  # the test extra leaves sounddevice (and PortAudio) out: then nothing to stand in
        import sounddevice
    except (ImportError, OSError):
        return

    def no_device(*args: object, **kwargs: object) -> None:
        raise sounddevice.PortAudioError("no default input device")

    monkeypatch.setattr(sounddevice, "query_devices", no_device)  # a machine without one


def test_without_a_microphone_the_session_runs_on_and_says_so(
    heel_drop_profile: None, live: Callable, monkeypatch: pytest.MonkeyPatch
) -> None:
    without_a_microphone(monkeypatch)
    result = live("--plain", "--exercise", "heel-drop", "--listen")
    assert result.returncode == 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("heelcoach: not listening: no microphone")
    assert "Set 2 saved: 10 reps." in result.stdout


def test_no_microphone_is_said_before_the_questions_not_behind_the_live_screen(
    heel_drop_profile: None, live: Callable, monkeypatch: pytest.MonkeyPatch
) -> None:
    without_a_microphone(monkeypatch)
    result = live("--exercise", "heel-drop", "--listen", tty=True, stdin="\nn\n")
    assert "Not started" in result.stdout  # "no" to "Ready?": it was said before that
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("heelcoach: not listening: no microphone")


def test_calibrating_without_a_microphone_is_refused_and_offers_a_recording(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    without_a_microphone(monkeypatch)
    result = run_cli("listen", "--calibrate")
    assert result.returncode == 1 and result.stdout == ""  # refused as the machine is
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "heelcoach listen --calibrate FILE" in lines[0]
    assert not (Path(os.environ["HEELCOACH_HOME"]) / "listening.json").exists()


def test_without_the_extra_start_listen_says_how_to_install_it_and_runs_on(
    heel_drop_profile: None, live: Callable, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "numpy", None)
    result = live("--plain", "--exercise", "heel-drop", "--listen")
    assert result.returncode == 0
    assert "pip install 'heelcoach[listen]'" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Set 2 saved: 10 reps." in result.stdout


def test_listening_options_are_checked_before_anything_starts(
    heel_drop_profile: None, live: Callable, tmp_path: Path
) -> None:
    text = tmp_path / "notes.wav"
    text.write_text("not a sound")
    played = tmp_path / "played.wav"
    sf.write(str(played), np.zeros(2 * lc.RATE, np.float32), lc.RATE)
    before = played.read_bytes()
    for args in (
        ("--listen", "--listen-file", str(text)),
        ("--record", str(tmp_path / "r.wav")),
        ("--listen-file", str(text)),
        ("--listen", "--listen-file", str(played), "--record", str(played)),
        ("--listen", "--listen-file", str(tmp_path / "gone.wav"), "--record", str(played)),
    ):
        result = live("--plain", "--exercise", "heel-drop", *args)
        assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
        assert "Rise" not in result.stdout
    assert history() == ([], [])
    assert played.read_bytes() == before  # never recorded over what was played


def test_a_damaged_calibration_is_refused_before_the_session_is_outlined(
    heel_drop_profile: None, live: Callable, tmp_path: Path
) -> None:
    stored = Path(os.environ["HEELCOACH_HOME"]) / "listening.json"
    stored.write_text('{"firm_dbfs": 1e308, "landings": 3}\n')
    played = tmp_path / "played.wav"
    sf.write(str(played), np.zeros(2 * lc.RATE, np.float32), lc.RATE)
    result = live("--plain", "--exercise", "heel-drop", "--listen", "--listen-file", str(played))
    assert result.returncode == 1 and result.stdout == ""  # not after the outline and questions
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "listening.json is damaged" in lines[0]
    assert history() == ([], [])


def _record_where_nobody_may_write(base: Path) -> dict[str, object]:
    """As a user who may not write in `locked`: `start --listen --record locked/...`."""
    from heelcoach.context import Context
    from heelcoach.frontends.cli.app import run

    locked = base / "locked"
    locked.mkdir(mode=0o500)
    sound = base / "set.wav"
    sf.write(str(sound), np.zeros(2 * lc.RATE, np.float32), lc.RATE)
    env = {"HEELCOACH_HOME": str(base / "home"), "HEELCOACH_CACHE_DIR": ""}

    def cli(*args: str) -> tuple[int, str, str]:
        out, err = io.StringIO(), io.StringIO()
        streams = {"stdin": io.StringIO(""), "stdin_isatty": False, "stdout_isatty": False}
        code = run(list(args), Context.from_environment(env, stdout=out, stderr=err, **streams))
        return code, out.getvalue(), err.getvalue()

    assert cli("screen", "--answers", str(write_answers(base, goals=["bone"])))[0] == 0
    code, out, err = cli(
        "start", "--plain", "--speed", "100", "--exercise", "heel-drop", "--listen",
        "--listen-file", str(sound), "--record", str(locked / "kept.wav"),
    )  # fmt: skip
    return {"code": code, "out": out, "err": err, "locked": os.listdir(locked)}


def test_a_recording_nobody_may_write_is_refused_before_the_session_is_outlined() -> None:
    base = Path(tempfile.mkdtemp(prefix="heelcoach-record-"))
    try:
        result = as_nobody(_record_where_nobody_may_write, base)
    finally:
        (base / "locked").chmod(0o700)
        shutil.rmtree(base, ignore_errors=True)
    if "skip" in result:
        pytest.skip(f"running as root and {result['skip']}; root ignores permissions")
    assert "crash" not in result, result
    assert result["code"] == 2, result
    assert str(result["err"]).count("\n") == 1 and "--record: cannot write" in str(result["err"])
    assert result["out"] == "" and result["locked"] == []  # nothing outlined, nothing written


@pytest.mark.pty
def test_the_live_screen_shows_heard_against_planned_and_the_cue(
    heel_drop_profile: None, heel_drop_session: Path, spawn: Callable[..., Terminal]
) -> None:
    term = spawn(
        "start",
        "--exercise",
        "heel-drop",
        "--speed",
        "10",
        "--yes",
        "--listen",
        "--listen-file",
        str(heel_drop_session),
    )
    term.wait_for(ILLNESS)
    term.send("\r")
    screen = term.wait_screen(r"rep 3 / 10 · heard 2 / 10", timeout=20)
    assert "heard" in screen
    screen = term.wait_screen(r"Land firmer: let the heels drop so you hear it", timeout=20)
    term.wait_for(
        r"Set 1 done \(demo, not saved\): 10 reps, 8 of 10 landings firm, 2 soft", timeout=20
    )
    term.send("q")
    term.send("y")
    assert term.finish() == 0


@pytest.mark.pty
def test_a_room_too_loud_to_listen_in_is_named_on_screen(
    heel_drop_profile: None, tmp_path: Path, spawn: Callable[..., Terminal]
) -> None:
    """A loud mains hum fills the thump band while the person gets into position."""
    loud = tmp_path / "hum.wav"
    sf.write(str(loud), 0.3 * lc.hum(np.random.default_rng(3), 30.0), lc.RATE)
    term = spawn(
        "start", "--exercise", "heel-drop", "--speed", "10", "--yes", "--listen",
        "--listen-file", str(loud),
    )  # fmt: skip
    term.wait_for(ILLNESS)
    term.send("\r")
    term.wait_screen(r"Too loud here to hear every landing", timeout=20)
    term.send("q")
    term.send("y")
    assert term.finish() == 0


def test_record_keeps_what_was_heard_only_when_asked(
    heel_drop_profile: None, heel_drop_session: Path, live: Callable, tmp_path: Path
) -> None:
    kept = tmp_path / "kept.wav"
    result = live(
        "--plain",
        "--exercise",
        "heel-drop",
        "--listen",
        "--listen-file",
        str(heel_drop_session),
        "--record",
        str(kept),
    )
    assert result.returncode == 0, result.stderr
    heard = sf.info(str(kept))
    assert heard.samplerate == lc.RATE and 120 < heard.duration <= 140  # the whole session
    assert kept.stat().st_mode & 0o777 == 0o600


def test_record_writes_where_a_tilde_points_as_events_does(
    heel_drop_profile: None,
    heel_drop_session: Path,
    live: Callable,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    result = live(
        "--plain", "--exercise", "heel-drop", "--listen", "--listen-file", str(heel_drop_session),
        "--record", "~/kept.wav",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "kept.wav").stat().st_mode & 0o777 == 0o600
