"""The live session as a pure state machine: what is happening now, and what comes next.

This module owns the rules of a coached session - the tempo of each rep, set and rest
order, per-side work, pause, pain reports, skipping, quitting and the emergency stop. It
has no clock, no terminal and no disk: callers pass monotonic times in and get events and
snapshots out, so every rule can be tested with a fake clock and scripted keys, and the
same engine can drive a full-screen view, plain text or a test.

Timing is deadline based. Every boundary is `previous deadline + duration`, counted in
"active time" (monotonic time minus everything spent paused), so a late tick never moves
later deadlines and a long session does not drift.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, TypeAlias, TypedDict

from heelcoach.content.model import Phase  # one rep's tempo, exactly as the content defines it
from heelcoach.domain.monitoring import TOO_MUCH_PAIN_ABOVE  # pain above this stops the exercise

SWITCH_SIDES_SECONDS = 5.0  # a short breather to turn around between left and right
CUE_ROTATE_SECONDS = 8.0  # long enough to read a cue, short enough to keep it fresh
MAX_PAIN = 10

KEY_ENTER = "enter"
KEY_ESCAPE = "escape"
KEY_BACKSPACE = "backspace"
# Raw characters a key source may hand over instead of the names above.
_KEY_ALIASES = {
    "\r": KEY_ENTER,
    "\n": KEY_ENTER,
    "return": KEY_ENTER,
    "\x1b": KEY_ESCAPE,
    "esc": KEY_ESCAPE,
    "\x7f": KEY_BACKSPACE,
    "\b": KEY_BACKSPACE,
    "space": " ",
}

Mode: TypeAlias = Literal[
    "get_ready", "work", "rest", "paused", "pain_entry", "confirm_quit", "done"
]
EndReason: TypeAlias = Literal["completed", "quit", "emergency"]

EMERGENCY_MESSAGE = (
    "Stopped. Sit down and rest now. If chest pain or dizziness does not pass within a "
    "few minutes, or you feel unwell, call your emergency number."
)


# --- inputs -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionItem:
    """One exercise of today's plan, with everything the coach says while it runs."""

    exercise: str
    name: str
    sets: int
    reps: int | None
    seconds: int | None
    per_side: bool
    support: str | None
    phases: tuple[Phase, ...]
    cues: tuple[str, ...]
    mistakes: tuple[str, ...]
    rest_seconds: int

    def __post_init__(self) -> None:
        # Lists are accepted for convenience but stored as tuples so the item stays hashable.
        for name in ("phases", "cues", "mistakes"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        _validate_item(self)

    @property
    def timed(self) -> bool:
        return self.seconds is not None

    @property
    def tempo(self) -> tuple[Phase, ...]:
        """The phases to run; timed work without a tempo is one long phase."""
        if self.phases:
            return self.phases
        return (Phase("Go", float(self.seconds or 1), "Keep going steadily."),)

    @property
    def cycle_seconds(self) -> float:
        return sum(phase.seconds for phase in self.tempo)

    @property
    def set_seconds(self) -> float:
        """Planned length of one set on one side."""
        if self.seconds is not None:
            return float(self.seconds)
        return (self.reps or 0) * self.cycle_seconds

    @property
    def set_rows(self) -> int:
        """Recorded sets: one-leg work records one per side."""
        return self.sets * (2 if self.per_side else 1)

    @property
    def measure(self) -> str:
        return f"{self.seconds} s" if self.seconds is not None else f"{self.reps} reps"


def _validate_item(item: SessionItem) -> None:
    """Reject plans the engine cannot run, at construction rather than mid-session."""
    where = item.exercise or "exercise"
    if (item.reps is None) == (item.seconds is None):
        raise ValueError(f"{where}: set exactly one of reps or seconds")
    if item.sets < 1:
        raise ValueError(f"{where}: sets must be at least 1")
    if item.reps is not None and item.reps < 1:
        raise ValueError(f"{where}: reps must be at least 1")
    if item.seconds is not None and item.seconds < 1:
        raise ValueError(f"{where}: seconds must be at least 1")
    if item.rest_seconds < 0:
        raise ValueError(f"{where}: rest_seconds cannot be negative")
    if item.reps is not None and not item.phases:
        raise ValueError(f"{where}: rep work needs a tempo (phases)")
    if any(phase.seconds <= 0 for phase in item.phases):
        raise ValueError(f"{where}: every phase needs a positive duration")


# --- events -----------------------------------------------------------------------------


@dataclass(frozen=True)
class ExerciseStarted:
    exercise: str
    name: str
    sets: int
    measure: str
    per_side: bool
    support: str | None


@dataclass(frozen=True)
class SetStarted:
    exercise: str
    name: str
    set_number: int
    sets: int
    side: str | None


@dataclass(frozen=True)
class PhaseStarted:
    name: str
    cue: str = ""
    seconds: float = 0.0


@dataclass(frozen=True)
class RepCompleted:
    exercise: str
    rep: int
    target: int


@dataclass(frozen=True)
class SetFinished:
    """One recorded set. `started`/`ended` are monotonic times; `seconds` excludes pauses."""

    exercise: str
    set_number: int
    side: str | None
    reps: int | None
    seconds: float
    target_reps: int | None
    target_seconds: int | None
    pain: int | None
    started: float
    ended: float
    ended_by: str = "target"  # "target" | "early" | "skip" | "pain" | "quit" | "emergency"


@dataclass(frozen=True)
class RestStarted:
    seconds: float
    next_label: str


@dataclass(frozen=True)
class ExerciseSkipped:
    exercise: str
    name: str
    next_label: str | None
    message: str = ""


@dataclass(frozen=True)
class PainNoted:
    exercise: str
    pain: int
    message: str


@dataclass(frozen=True)
class PainStopped:
    exercise: str
    pain: int
    message: str


@dataclass(frozen=True)
class EmergencyStopped:
    message: str


@dataclass(frozen=True)
class Paused:
    pass


@dataclass(frozen=True)
class Resumed:
    pass


@dataclass(frozen=True)
class SessionEnded:
    reason: EndReason


Event: TypeAlias = (
    ExerciseStarted
    | SetStarted
    | PhaseStarted
    | RepCompleted
    | SetFinished
    | RestStarted
    | ExerciseSkipped
    | PainNoted
    | PainStopped
    | EmergencyStopped
    | Paused
    | Resumed
    | SessionEnded
)


# --- outputs ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    """Everything a screen needs to draw one frame; `activity` is what the clock is doing
    underneath a pause or prompt ("get_ready" | "work" | "rest" | "switch" | "done")."""

    mode: Mode
    activity: str
    exercise: str | None
    exercise_name: str | None
    exercise_number: int
    exercise_count: int
    set_number: int
    sets: int
    side: str | None
    support: str | None
    measure: str
    rep: int | None
    reps_done: int | None
    reps_target: int | None
    seconds_target: int | None
    phase: str | None
    phase_cue: str | None
    phase_progress: float
    phase_seconds: float | None
    countdown: int | None
    cue: str | None
    mistake: str | None
    next_label: str | None
    session_progress: float
    seconds_left: float
    pain_typed: str | None
    message: str | None
    saved: str | None  # the caller's confirmation that the last set was stored
    keys: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class PainReport:
    exercise: str
    set_number: int
    side: str | None
    pain: int
    at: float


@dataclass(frozen=True)
class ExerciseResult:
    exercise: str
    name: str
    sets_done: int  # recorded sets; per-side work records two per set
    reps: int
    seconds: float
    skipped: bool
    pain_stopped: bool
    max_pain: int | None


@dataclass(frozen=True)
class SessionSummary:
    exercises: tuple[ExerciseResult, ...]
    sets: tuple[SetFinished, ...]
    pain_reports: tuple[PainReport, ...]
    active_seconds: float  # time under work, pauses and rests excluded
    elapsed_seconds: float
    paused_seconds: float
    end_reason: EndReason | None


class _RepFields(TypedDict):
    rep: int | None
    reps_done: int | None
    reps_target: int | None


class _PhaseFields(TypedDict):
    phase: str | None
    phase_cue: str | None
    phase_progress: float
    phase_seconds: float | None


class _ProgressFields(TypedDict):
    session_progress: float
    seconds_left: float


@dataclass(frozen=True)
class _Cursor:
    """Which set (and side) is running, or comes next during a rest."""

    item: int
    set_number: int
    side: str | None


KEYS_HELP = "space pause, n finish set, s skip, p pain, ! chest pain/dizzy, q quit"
_KEYS_RUNNING = (
    ("space", "pause"),
    ("n", "finish set"),
    ("s", "skip"),
    ("p", "pain"),
    ("!", "chest pain/dizzy"),
    ("q", "quit"),
)
_KEYS_RESTING = (("space", "pause"), ("n", "end rest"), *_KEYS_RUNNING[2:])
_KEYS_PAUSED = (("space", "resume"), *_KEYS_RUNNING[1:])
_KEYS_PAIN = (("0-10", "pain"), ("enter", "submit"), ("esc", "cancel"), ("!", "chest pain/dizzy"))
_KEYS_QUIT = (("y", "quit"), ("any key", "keep going"), ("!", "chest pain/dizzy"))

_REST_NAMES = {"get_ready": "Get ready", "rest": "Rest", "switch": "Switch sides"}


# --- the engine -------------------------------------------------------------------------


class Session:
    """A coached session: feed it times and keys, read events and snapshots back."""

    def __init__(
        self, items: Sequence[SessionItem], *, start: float, get_ready_seconds: float = 5.0
    ) -> None:
        self._items = tuple(items)
        if not self._items:
            raise ValueError("a session needs at least one exercise")
        self._start = start
        self._get_ready = max(0.0, get_ready_seconds)
        self._last_now = start
        self._frozen_total = 0.0
        self._freeze_started: float | None = None
        self._paused = False
        self._modal: str | None = None  # "pain_entry" | "confirm_quit"
        self._pain_typed = ""
        self._message: str | None = None
        self._saved_note: str | None = None
        self._cursor = _Cursor(0, 1, _first_side(self._items[0]))
        self._kind = "get_ready"  # "get_ready" | "work" | "rest" | "switch" | "done"
        self._rest_from: int | None = None  # item whose set preceded the current rest
        self._seg_start = start
        self._seg_start_wall = start
        self._seg_end = start + self._get_ready
        self._phase_index = 0
        self._phase_end = start
        self._reps_done = 0
        self._pending_pain: int | None = None
        self._announced: int | None = None
        self._sets: list[SetFinished] = []
        self._pain_reports: list[PainReport] = []
        self._skipped: set[int] = set()
        self._pain_stopped: set[int] = set()
        self._end_reason: EndReason | None = None
        self._ended_at: float | None = None

    # -- public API ----------------------------------------------------------------------

    @property
    def done(self) -> bool:
        return self._kind == "done"

    @property
    def end_reason(self) -> EndReason | None:
        return self._end_reason

    @property
    def ended_at(self) -> float | None:
        """Monotonic time the session ended: the exact deadline, not the tick that saw it."""
        return self._ended_at

    @property
    def planned_seconds(self) -> float:
        """The whole plan's length from `start` if nothing is paused, skipped or cut short."""
        first = _Cursor(0, 1, _first_side(self._items[0]))
        return self._get_ready + self._work_seconds(first) + self._future_seconds(first)

    def tick(self, now: float) -> list[Event]:
        """Advance to `now`, emitting every boundary crossed since the last call, in order."""
        now = self._observe(now)
        if self.done or self._freeze_started is not None:
            return []
        active = self._active(now)
        events: list[Event] = []
        while not self.done:
            due = self._due()
            if due > active:
                break
            events += self._cross(due)
        return events

    def press(self, key: str, now: float) -> list[Event]:
        """Apply one key at `now`; anything already due happens first."""
        events = self.tick(now)
        now = self._last_now
        if self.done:
            return events
        key = _normalise_key(key)
        if key == "!":  # the emergency stop works from every screen, prompts included
            return events + self._emergency(now)
        if self._modal == "pain_entry":
            return events + self._pain_key(key, now)
        if self._modal == "confirm_quit":
            return events + self._quit_key(key, now)
        return events + self._main_key(key, now)

    def next_deadline(self, now: float) -> float | None:
        """Monotonic time at which the snapshot next changes by itself; None while frozen."""
        now = max(now, self._last_now)
        if self.done or self._freeze_started is not None:
            return None
        active = self._active(now)
        candidates = [self._due(), self._cue_deadline(active)]
        if self._kind != "work" or self._item().timed:
            candidates.append(self._countdown_deadline(active))
        return min(candidates) + self._frozen_total

    def snapshot(self, now: float) -> Snapshot:
        now = max(now, self._last_now)
        if self.done:
            return self._done_snapshot()
        active = self._active(now)
        item = self._item()
        return Snapshot(
            mode=self._mode(),
            activity=self._kind,
            exercise=item.exercise,
            exercise_name=item.name,
            exercise_number=self._cursor.item + 1,
            exercise_count=len(self._items),
            set_number=self._cursor.set_number,
            sets=item.sets,
            side=self._cursor.side,
            support=item.support,
            measure=item.measure,
            **self._rep_fields(item),
            seconds_target=item.seconds,
            **self._phase_fields(item, active),
            countdown=self._countdown(active),
            cue=_rotate(item.cues, active - self._seg_start),
            mistake=_rotate(item.mistakes, active - self._seg_start),
            next_label=self._next_label() if self._kind != "work" else None,
            **self._progress_fields(active),
            pain_typed=self._pain_typed if self._modal == "pain_entry" else None,
            message=self._message,
            saved=self._saved_note,
            keys=self._keys(),
        )

    @property
    def message(self) -> str | None:
        """The latest message for the person (prompt, warning or confirmation)."""
        return self._message

    def note(self, message: str | None) -> None:
        """Replace the message with one from the caller."""
        self._message = message

    def confirm_saved(self, text: str) -> None:
        """Show that the caller stored the last set; kept apart from warnings so a pain
        stop message is never hidden by a save confirmation."""
        self._saved_note = text

    def summary(self) -> SessionSummary:
        paused = self._frozen_total
        if self._freeze_started is not None:
            paused += self._last_now - self._freeze_started
        end = self._ended_at if self._ended_at is not None else self._last_now
        return SessionSummary(
            exercises=tuple(self._result(i) for i in range(len(self._items))),
            sets=tuple(self._sets),
            pain_reports=tuple(self._pain_reports),
            active_seconds=round(sum(s.seconds for s in self._sets), 3),
            elapsed_seconds=end - self._start,
            paused_seconds=paused,
            end_reason=self._end_reason,
        )

    # -- clock ---------------------------------------------------------------------------

    def _observe(self, now: float) -> float:
        """Monotonic clocks never go back; a stale `now` is treated as the latest seen."""
        self._last_now = max(now, self._last_now)
        return self._last_now

    def _active(self, now: float) -> float:
        """Session time with pauses removed; all deadlines live on this axis."""
        base = self._freeze_started if self._freeze_started is not None else now
        return base - self._frozen_total

    def _wall(self, active: float) -> float:
        return active + self._frozen_total

    def _refreeze(self, now: float) -> None:
        """Start or stop the clock to match the pause flag and any open prompt."""
        want = self._paused or self._modal is not None
        if want and self._freeze_started is None:
            self._freeze_started = now
        elif not want and self._freeze_started is not None:
            self._frozen_total += now - self._freeze_started
            self._freeze_started = None

    def _release(self, now: float, *, announce: bool) -> list[Event]:
        """Close prompts and un-pause before an action that moves the session on."""
        was_paused = self._paused
        self._paused = False
        self._modal = None
        self._pain_typed = ""
        self._refreeze(now)
        return [Resumed()] if was_paused and announce else []

    # -- boundaries ----------------------------------------------------------------------

    def _due(self) -> float:
        """The next deadline in active time."""
        if self._kind == "work":
            if self._item().timed:
                return min(self._phase_end, self._seg_end)
            return self._phase_end
        return self._seg_end

    def _cross(self, due: float) -> list[Event]:
        if self._kind == "work":
            return self._cross_work(due)
        return self._start_work(due)

    def _cross_work(self, due: float) -> list[Event]:
        item = self._item()
        phases = item.tempo
        events: list[Event] = []
        if item.timed and self._seg_end <= self._phase_end:
            return self._end_set(due, "target")
        if not item.timed and self._phase_index == len(phases) - 1:
            self._reps_done += 1
            events.append(RepCompleted(item.exercise, self._reps_done, item.reps or 0))
            if self._reps_done >= (item.reps or 0):
                return events + self._end_set(due, "target")
        self._phase_index = (self._phase_index + 1) % len(phases)
        phase = phases[self._phase_index]
        self._phase_end = due + phase.seconds
        return [*events, PhaseStarted(phase.name, phase.cue, phase.seconds)]

    def _start_work(self, at: float) -> list[Event]:
        item = self._item()
        events: list[Event] = []
        if self._announced != self._cursor.item:
            self._announced = self._cursor.item
            events.append(
                ExerciseStarted(
                    item.exercise, item.name, item.sets, item.measure, item.per_side, item.support
                )
            )
        self._kind = "work"
        self._message = None  # last set's news (saved, pain noted) would now be stale
        self._saved_note = None
        self._seg_start = at
        self._seg_start_wall = self._wall(at)
        self._seg_end = at + item.set_seconds
        self._reps_done = 0
        self._phase_index = 0
        first = item.tempo[0]
        self._phase_end = at + first.seconds
        c = self._cursor
        events.append(SetStarted(item.exercise, item.name, c.set_number, item.sets, c.side))
        events.append(PhaseStarted(first.name, first.cue, first.seconds))
        return events

    def _end_set(self, at: float, ended_by: str) -> list[Event]:
        """Record the set in progress and move on the normal way (next side, set or item)."""
        done = self._cursor
        events: list[Event] = [self._record_set(at, ended_by)]
        following = self._next_work(done)
        return events + self._advance(at, following, self._rest_between(done, following))

    def _record_set(self, at: float, ended_by: str) -> SetFinished:
        item = self._item()
        finished = SetFinished(
            exercise=item.exercise,
            set_number=self._cursor.set_number,
            side=self._cursor.side,
            reps=None if item.timed else self._reps_done,
            seconds=round(min(at - self._seg_start, item.set_seconds), 3),
            target_reps=item.reps,
            target_seconds=item.seconds,
            pain=self._pending_pain,
            started=self._seg_start_wall,
            ended=self._wall(at),
            ended_by=ended_by,
        )
        self._sets.append(finished)
        self._pending_pain = None
        self._rest_from = self._cursor.item
        return finished

    def _advance(self, at: float, following: _Cursor | None, rest: float) -> list[Event]:
        """Start the rest before `following` (or the set itself when there is no rest)."""
        if following is None:
            return self._finish("completed", at)
        same_set = following.item == self._cursor.item and (
            following.set_number == self._cursor.set_number
        )
        self._cursor = following
        if rest <= 0:
            return self._start_work(at)
        self._kind = "switch" if same_set else "rest"
        self._seg_start = at
        self._seg_end = at + rest
        return [RestStarted(rest, self._next_label())]

    def _finish(self, reason: EndReason, at: float, message: str | None = None) -> list[Event]:
        self._kind = "done"
        self._end_reason = reason
        self._ended_at = self._wall(at)
        default = {"completed": "Session complete. Well done.", "quit": "Session ended."}
        self._message = message or default.get(reason, EMERGENCY_MESSAGE)
        return [SessionEnded(reason)]

    # -- plan navigation -----------------------------------------------------------------

    def _item(self, index: int | None = None) -> SessionItem:
        return self._items[self._cursor.item if index is None else index]

    def _first_set(self, index: int) -> _Cursor | None:
        if index >= len(self._items):
            return None
        return _Cursor(index, 1, _first_side(self._items[index]))

    def _next_work(self, c: _Cursor) -> _Cursor | None:
        item = self._items[c.item]
        if item.per_side and c.side == "left":
            return _Cursor(c.item, c.set_number, "right")
        if c.set_number < item.sets:
            return _Cursor(c.item, c.set_number + 1, _first_side(item))
        return self._first_set(c.item + 1)

    def _rest_between(self, done: _Cursor, following: _Cursor | None) -> float:
        if following is None:
            return 0.0
        if following.item == done.item and following.set_number == done.set_number:
            return SWITCH_SIDES_SECONDS
        return float(self._items[done.item].rest_seconds)

    def _work_seconds(self, c: _Cursor) -> float:
        return self._items[c.item].set_seconds

    def _future_seconds(self, c: _Cursor) -> float:
        """Planned rests and work after set `c`."""
        total = 0.0
        following = self._next_work(c)
        while following is not None:
            total += self._rest_between(c, following) + self._work_seconds(following)
            c, following = following, self._next_work(following)
        return total

    def _next_label(self) -> str:
        if self._kind == "switch":  # same set, other leg: the side is all that changes
            return f"{self._cursor.side} side"
        return _label(self._items, self._cursor, self._rest_from)

    # -- keys ----------------------------------------------------------------------------

    def _main_key(self, key: str, now: float) -> list[Event]:
        if key == " ":
            return self._toggle_pause(now)
        if key == "n":
            return self._finish_now(now)
        if key == "s":
            return self._skip(now)
        if key == "p":
            self._modal, self._pain_typed = "pain_entry", ""
            self._message = "Pain 0-10? Type a number, then Enter. Esc cancels."
            self._refreeze(now)
        elif key == "q":
            self._modal = "confirm_quit"
            self._message = "Quit the session? Press y to quit, any other key to keep going."
            self._refreeze(now)
        return []

    def _toggle_pause(self, now: float) -> list[Event]:
        self._paused = not self._paused
        self._refreeze(now)
        if self._paused:
            self._message = "Paused - press space to resume."
            return [Paused()]
        self._message = None
        return [Resumed()]

    def _finish_now(self, now: float) -> list[Event]:
        """'n': end the set with what is done so far, or end a rest early."""
        events = self._release(now, announce=True)
        active = self._active(now)
        if self._kind == "work":
            return events + self._end_set(active, "early")
        return events + self._start_work(active)

    def _skip(self, now: float) -> list[Event]:
        """'s': drop what is left of the current (or, during a rest, the coming) exercise."""
        events = self._release(now, announce=True)
        active = self._active(now)
        index = self._cursor.item
        item = self._item()
        if self._kind == "work" and self._worth_recording(active):
            events.append(self._record_set(active, "skip"))
        self._skipped.add(index)
        following = self._first_set(index + 1)
        self._message = f"Skipped {item.name.lower()}."
        label = _label(self._items, following, index) if following else None
        events.append(ExerciseSkipped(item.exercise, item.name, label, self._message))
        return events + self._move_past(index, active, following)

    def _move_past(self, index: int, active: float, following: _Cursor | None) -> list[Event]:
        """Leave item `index` for `following`: a running rest keeps its clock."""
        self._pending_pain = None
        if self._kind == "work":
            return self._advance(active, following, float(self._items[index].rest_seconds))
        if following is None:
            return self._finish("completed", active, self._message)
        self._cursor = following
        return []

    def _quit_key(self, key: str, now: float) -> list[Event]:
        self._modal = None
        if key != "y":
            self._message = "Carrying on."
            self._refreeze(now)
            return []
        self._release(now, announce=False)
        active = self._active(now)
        events: list[Event] = []
        if self._kind == "work" and self._worth_recording(active):
            events.append(self._record_set(active, "quit"))
        return events + self._finish("quit", active)

    def _emergency(self, now: float) -> list[Event]:
        self._release(now, announce=False)
        active = self._active(now)
        events: list[Event] = []
        if self._kind == "work" and self._worth_recording(active):
            events.append(self._record_set(active, "emergency"))
        events.append(EmergencyStopped(EMERGENCY_MESSAGE))
        return events + self._finish("emergency", active, EMERGENCY_MESSAGE)

    def _worth_recording(self, active: float) -> bool:
        """A set cut short is kept if it has a rep (rep work) or a second (timed work)."""
        if self._item().timed:
            return active - self._seg_start >= 1.0
        return self._reps_done >= 1

    # -- pain ----------------------------------------------------------------------------

    def _pain_key(self, key: str, now: float) -> list[Event]:
        if key in (KEY_ESCAPE, "p"):
            self._modal, self._pain_typed = None, ""
            self._message = "Pain entry cancelled."
            self._refreeze(now)
        elif key.isdecimal() and len(key) == 1:
            if len(self._pain_typed) < 2:
                self._pain_typed += key
        elif key == KEY_BACKSPACE:
            self._pain_typed = self._pain_typed[:-1]
        elif key == KEY_ENTER:
            return self._submit_pain(now)
        return []

    def _submit_pain(self, now: float) -> list[Event]:
        typed = self._pain_typed
        if not typed or int(typed) > MAX_PAIN:
            self._pain_typed = ""
            self._message = "Pain must be a whole number from 0 to 10 - try again."
            return []
        pain = int(typed)
        if pain > TOO_MUCH_PAIN_ABOVE:
            return self._pain_stop(pain, now)
        self._modal, self._pain_typed = None, ""
        self._refreeze(now)
        return [self._pain_note(pain, now)]

    def _pain_note(self, pain: int, now: float) -> PainNoted:
        """Pain 0-5 belongs to the running set, or during a rest to the coming one."""
        item = self._item()
        self._report_pain(pain, now)
        self._pending_pain = max(pain, self._pending_pain or 0)
        self._message = f"Pain {pain}/10 noted."
        if pain >= 4:
            self._message += " Keep it at 5 or below; stop if it climbs."
        return PainNoted(item.exercise, pain, self._message)

    def _pain_stop(self, pain: int, now: float) -> list[Event]:
        events = self._release(now, announce=True)
        active = self._active(now)
        index = self._cursor.item
        item = self._item()
        self._report_pain(pain, now)
        self._pain_stopped.add(index)
        message = (
            f"Pain {pain}/10: stopping {item.name.lower()}. "
            f"Pain above {TOO_MUCH_PAIN_ABOVE} is too much - rest it."
        )
        if self._kind == "work":
            self._pending_pain = pain
            events.append(self._record_set(active, "pain"))
        events.append(PainStopped(item.exercise, pain, message))
        events += self._move_past(index, active, self._first_set(index + 1))
        self._message = message
        return events

    def _report_pain(self, pain: int, now: float) -> None:
        c = self._cursor
        report = PainReport(self._item().exercise, c.set_number, c.side, pain, now)
        self._pain_reports.append(report)

    # -- snapshot parts ------------------------------------------------------------------

    def _mode(self) -> Mode:
        if self._modal is not None:
            return self._modal  # type: ignore[return-value]
        if self._paused:
            return "paused"
        return "rest" if self._kind == "switch" else self._kind  # type: ignore[return-value]

    def _keys(self) -> tuple[tuple[str, str], ...]:
        if self._modal == "pain_entry":
            return _KEYS_PAIN
        if self._modal == "confirm_quit":
            return _KEYS_QUIT
        if self._paused:
            return _KEYS_PAUSED
        return _KEYS_RUNNING if self._kind == "work" else _KEYS_RESTING

    def _rep_fields(self, item: SessionItem) -> _RepFields:
        if item.timed:
            return {"rep": None, "reps_done": None, "reps_target": None}
        done = self._reps_done if self._kind == "work" else 0
        return {
            "rep": min(done + 1, item.reps or 0),
            "reps_done": done,
            "reps_target": item.reps,
        }

    def _phase_fields(self, item: SessionItem, active: float) -> _PhaseFields:
        if self._kind != "work":
            length = self._seg_end - self._seg_start
            return {
                "phase": _REST_NAMES[self._kind],
                "phase_cue": _rest_cue(self._kind, item),
                "phase_progress": _fraction(active - self._seg_start, length),
                "phase_seconds": length,
            }
        phase = item.tempo[self._phase_index]
        begun = self._phase_end - phase.seconds
        return {
            "phase": phase.name,
            "phase_cue": phase.cue,
            "phase_progress": _fraction(active - begun, phase.seconds),
            "phase_seconds": phase.seconds,
        }

    def _countdown(self, active: float) -> int | None:
        if self._kind == "work" and not self._item().timed:
            return None
        return max(0, math.ceil(self._seg_end - active - 1e-9))

    def _countdown_deadline(self, active: float) -> float:
        """When the whole-second countdown next drops by one."""
        shown = max(0, math.ceil(self._seg_end - active - 1e-9))
        return self._seg_end - max(0, shown - 1)

    def _cue_deadline(self, active: float) -> float:
        item = self._item()
        if max(len(item.cues), len(item.mistakes)) < 2:
            return math.inf
        elapsed = max(0.0, active - self._seg_start)
        return self._seg_start + (elapsed // CUE_ROTATE_SECONDS + 1) * CUE_ROTATE_SECONDS

    def _progress_fields(self, active: float) -> _ProgressFields:
        left = max(0.0, self._seg_end - active) + self._future_seconds(self._cursor)
        if self._kind != "work":
            left += self._work_seconds(self._cursor)
        done = max(0.0, active - self._start)
        total = done + left
        return {"session_progress": done / total if total > 0 else 1.0, "seconds_left": left}

    def _done_snapshot(self) -> Snapshot:
        count = len(self._items)
        empty: dict[str, None] = dict.fromkeys(
            (
                "exercise",
                "exercise_name",
                "side",
                "support",
                "rep",
                "reps_done",
                "reps_target",
                "seconds_target",
                "phase_cue",
                "phase_seconds",
                "countdown",
                "cue",
                "mistake",
                "next_label",
                "pain_typed",
            )
        )
        return Snapshot(
            mode="done",
            activity="done",
            exercise_number=count,
            exercise_count=count,
            set_number=0,
            sets=0,
            measure="",
            phase="Done",
            phase_progress=1.0,
            session_progress=1.0,
            seconds_left=0.0,
            message=self._message,
            saved=self._saved_note,
            keys=(),
            **empty,
        )

    def _result(self, index: int) -> ExerciseResult:
        item = self._items[index]
        sets = [s for s in self._sets if s.exercise == item.exercise]
        pains = [r.pain for r in self._pain_reports if r.exercise == item.exercise]
        return ExerciseResult(
            exercise=item.exercise,
            name=item.name,
            sets_done=len(sets),
            reps=sum(s.reps or 0 for s in sets),
            seconds=round(sum(s.seconds for s in sets), 3),
            skipped=index in self._skipped,
            pain_stopped=index in self._pain_stopped,
            max_pain=max(pains) if pains else None,
        )


# --- helpers ----------------------------------------------------------------------------


def _first_side(item: SessionItem) -> str | None:
    return "left" if item.per_side else None


def _normalise_key(key: str) -> str:
    key = _KEY_ALIASES.get(key, _KEY_ALIASES.get(key.lower(), key))
    return key.lower() if len(key) == 1 else key


def _fraction(part: float, whole: float) -> float:
    if whole <= 0:
        return 1.0
    return min(1.0, max(0.0, part / whole))


def _rotate(texts: tuple[str, ...], elapsed: float) -> str | None:
    """One text at a time, changing every CUE_ROTATE_SECONDS so it can be read in full."""
    if not texts:
        return None
    step = int(max(0.0, elapsed) // CUE_ROTATE_SECONDS)
    return texts[step % len(texts)]


def _rest_cue(kind: str, item: SessionItem) -> str:
    if kind == "switch":
        return "Change to the other leg."
    if kind == "get_ready" and item.support:
        return f"Stand by {item.support}."
    return "Breathe easy and shake out your legs."


def _label(items: Sequence[SessionItem], target: _Cursor | None, from_item: int | None) -> str:
    """'set 2 of 3', or 'Heel raise - set 1 of 2' when the exercise changes."""
    if target is None:
        return "finish"
    item = items[target.item]
    parts = [] if target.item == from_item else [item.name]
    parts.append(f"set {target.set_number} of {item.sets}")
    if target.side:
        parts.append(f"{target.side} side")
    return " - ".join(parts)
