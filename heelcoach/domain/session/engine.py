"""The live session as a pure state machine: times and commands in, events and snapshots
out. Every boundary is `previous deadline + duration` in active time (monotonic time less
time held), so a late tick never moves later deadlines."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from heelcoach.domain.monitoring import TOO_MUCH_PAIN_ABOVE
from heelcoach.domain.session.model import (
    Action,
    Activity,
    AnswerNext,
    AskingNext,
    Command,
    EmergencyStopped,
    EndReason,
    Event,
    ExerciseResult,
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
    SessionSummary,
    SetEnd,
    SetFinished,
    SetStarted,
    Snapshot,
)

READY_COUNTDOWN_SECONDS = 5.0  # after a floor exercise's "ready": hands down, 3-2-1, work
SWITCH_SIDES_SECONDS = 5.0  # a short breather to turn around between left and right
POSITION_SECONDS = 15.0  # time to get into position (lie down, find the step); Enter ends it
CUE_ROTATE_SECONDS = 8.0  # long enough to read a cue, short enough to keep it fresh
MAX_PAIN = 10


@dataclass(frozen=True)
class _Cursor:
    """Which set (and side) is running, or comes next during a rest or a position."""

    item: int
    set_number: int
    side: str | None


class Session:
    """A coached session: feed it times and commands, read events and snapshots back."""

    def __init__(
        self,
        items: Sequence[SessionItem],
        *,
        start: float,
        position_seconds: float = POSITION_SECONDS,
        stopped_earlier: Sequence[SessionItem] = (),
        wait_on_floor: bool = False,
    ) -> None:
        """`stopped_earlier`: today's earlier pain stops, asked about as after a stop here.
        `wait_on_floor` (no voice counts the person in): a floor exercise's position waits
        for END_GET_READY, so nothing starts unseen while the person lies on the mat."""
        self._items = tuple(items)
        if not self._items:
            raise ValueError("a session needs at least one exercise")
        self._start = start
        self._position = max(0.0, position_seconds)
        self._wait_on_floor = wait_on_floor
        self._ready_wait = False  # a floor exercise's position, held until END_GET_READY
        self._last_now = start
        self._frozen_total = 0.0
        self._freeze_started: float | None = None
        self._paused = False
        self._prompt: Hold | None = None  # PAIN, QUIT or ASK
        self._cursor = self._first_set(0) or _Cursor(0, 1, None)
        self._kind = Activity.POSITION
        self._needs_position = False
        self._seg_start = start
        self._seg_start_wall = start
        self._seg_end = start + self._position
        self._phase_index = 0
        self._phase_end = start
        self._reps_done = 0
        self._pending_pain: int | None = None
        self._sets: list[SetFinished] = []
        self._set_items: list[int] = []  # the item index of each recorded set
        self._last_set: int | None = None  # index into _sets while resting after it
        self._pain_reports: list[PainReported] = []
        self._skipped: set[int] = set()
        self._pain_stopped: set[int] = set()
        # The last of today's earlier pain stops: what the first question names.
        self._earlier_stop = stopped_earlier[-1] if stopped_earlier else None
        self._hurt_areas = dict.fromkeys(area for item in stopped_earlier for area in item.loads)
        self._last_stopped: int | None = None
        self._accepted: set[int] = set()  # asked about after a pain stop and taken
        self._asking: AskingNext | None = None
        self._notice: PainReported | ExerciseSkipped | None = None
        self._end_reason: EndReason | None = None
        self._ended_at: float | None = None
        self._queued: list[Event] = [self._position_event(), *self._await_ready(start)]
        self._queued += self._maybe_ask(start)

    @property
    def done(self) -> bool:
        return self._kind is Activity.DONE

    @property
    def end_reason(self) -> EndReason | None:
        return self._end_reason

    @property
    def planned_seconds(self) -> float:
        """The whole plan's length from `start` if nothing is held, skipped or cut short."""
        first = self._first_set(0) or _Cursor(0, 1, None)
        return self._position + self._items[0].set_seconds + self._future_seconds(first)

    def tick(self, now: float) -> list[Event]:
        """Advance to `now`, emitting every boundary crossed since the last call, in order."""
        self._last_now = now = max(now, self._last_now)  # a stale `now` counts as the latest
        events, self._queued = self._queued, []
        if self.done or self._freeze_started is not None:
            return events
        active = self._active(now)
        while not self.done and self._freeze_started is None:
            due = self._due()
            if due > active:
                break
            events += self._cross(due)
        return events

    def apply(self, command: Command, now: float) -> list[Event]:
        """Carry out one command at `now`; anything already due happens first."""
        events = self.tick(now)
        now = self._last_now
        if self.done:
            return events
        if command is Action.EMERGENCY:  # works from every state, questions included
            return events + self._stop(
                now, SetEnd.EMERGENCY, EndReason.EMERGENCY, EmergencyStopped()
            )
        if self._prompt is Hold.ASK:
            if isinstance(command, AnswerNext):
                return events + self._answer(command.take, now)
            return events
        if isinstance(command, ReportPain):
            return events + self._report_pain(command.pain, now)
        if command is Action.CONFIRM_QUIT and self._prompt is Hold.QUIT:
            return events + self._stop(now, SetEnd.QUIT, EndReason.QUIT)
        if command is Action.RESUME:
            return events + self._resume(now)
        if self._prompt is not None:
            return events  # a question is open: only its answers (above) count
        return events + self._act(command, now)

    def next_deadline(self, now: float) -> float | None:
        """Monotonic time at which the snapshot next changes by itself; None while held."""
        now = max(now, self._last_now)
        if self.done or self._freeze_started is not None:
            return None
        active = self._active(now)
        candidates = [self._due()]
        if self._kind is Activity.WORK:
            candidates.append(self._cue_deadline(active))
        countdown = self._countdown(active)
        if countdown is not None:  # when the whole-second countdown next drops by one
            candidates.append(self._seg_end - max(0, countdown - 1))
        return min(candidates) + self._frozen_total

    def snapshot(self, now: float) -> Snapshot:
        now = max(now, self._last_now)
        if self.done:
            return self._done_snapshot()
        active = self._active(now)
        item = self._item()
        working = self._kind is Activity.WORK
        phase = item.tempo[self._phase_index] if working else None
        begun = self._phase_end - phase.seconds if phase else self._seg_start
        length = phase.seconds if phase else self._seg_end - self._seg_start
        running = self._freeze_started is None
        elapsed = active - self._seg_start
        progress, left = self._progress(active)
        return Snapshot(
            activity=self._kind,
            hold=self._hold(),
            item=item,
            exercise_number=self._cursor.item + 1,
            exercise_count=len(self._items),
            set_number=self._cursor.set_number,
            side=item.side_of_rep(self._reps_done + 1) if item.alternate else self._cursor.side,
            rep=min(self._reps_done + 1, item.reps) if working and item.reps else None,
            phase=phase,
            phase_index=self._phase_index if working else 0,
            phase_progress=_fraction(active - begun, length),
            phase_seconds=length,
            countdown=self._countdown(active),
            cue=_rotate(item.cues, elapsed),
            mistake=_rotate(item.mistakes, elapsed),
            next=None if working else self._next_up(self._cursor),
            asking=self._asking,
            notice=self._notice,
            session_progress=progress,
            seconds_left=left,
            segment_started_at=self._wall(self._seg_start) if running else None,
            segment_ends_at=self._wall(self._seg_end) if running else None,
            phase_started_at=self._wall(begun) if running and phase else None,
            phase_ends_at=self._wall(self._phase_end) if running and phase else None,
        )

    def summary(self) -> SessionSummary:
        end = self._ended_at if self._ended_at is not None else self._last_now
        return SessionSummary(
            exercises=tuple(self._result(i) for i in range(len(self._items))),
            pain_reports=tuple(self._pain_reports),
            elapsed_seconds=end - self._start,
        )

    def _active(self, now: float) -> float:
        """Session time with holds removed; all deadlines live on this axis."""
        base = self._freeze_started if self._freeze_started is not None else now
        return base - self._frozen_total

    def _wall(self, active: float) -> float:
        return active + self._frozen_total

    def _hold(self) -> Hold | None:
        if self._prompt is not None:
            return self._prompt
        if self._paused:
            return Hold.PAUSED
        return Hold.READY if self._ready_wait else None

    def _refreeze(self, now: float) -> bool:
        """Hold or release the clock as pauses and questions want; True when it restarts."""
        want = self._paused or self._prompt is not None or self._ready_wait
        if want and self._freeze_started is None:
            self._freeze_started = now
        elif not want and self._freeze_started is not None:
            self._frozen_total += now - self._freeze_started
            self._freeze_started = None
            return True
        return False

    def _release(self, now: float, *, announce: bool = True) -> list[Event]:
        """Close questions and un-pause before an action that moves the session on."""
        self._paused = False
        self._prompt = None
        self._asking = None
        self._ready_wait = False
        restarted = self._refreeze(now)
        return [Resumed()] if restarted and announce else []

    def _due(self) -> float:
        if self._kind is not Activity.WORK:
            return self._seg_end
        return min(self._phase_end, self._seg_end) if self._item().timed else self._phase_end

    def _cross(self, due: float) -> list[Event]:
        if self._kind is Activity.WORK:
            return self._cross_work(due)
        if self._kind is not Activity.POSITION and self._needs_position:
            return self._start_position(due)
        return self._start_work(due)

    def _cross_work(self, due: float) -> list[Event]:
        item = self._item()
        phases = item.tempo
        events: list[Event] = []
        if item.timed and self._seg_end <= self._phase_end:
            return self._end_set(due, SetEnd.TARGET)
        if not item.timed and self._phase_index == len(phases) - 1:
            self._reps_done += 1
            events.append(RepCompleted(item.exercise, self._reps_done, item.reps or 0))
            if self._reps_done >= (item.reps or 0):
                return events + self._end_set(due, SetEnd.TARGET)
        self._phase_index = (self._phase_index + 1) % len(phases)
        phase = phases[self._phase_index]
        self._phase_end = due + phase.seconds
        rep = None if item.timed else self._reps_done + 1
        return [*events, PhaseStarted(phase, self._phase_index, rep)]

    def _position_event(self) -> PositionStarted:
        item = self._item()
        waits = self._wait_on_floor and item.floor
        seconds = self._seg_end - self._seg_start
        return PositionStarted(item, self._cursor.item + 1, len(self._items), seconds, waits)

    def _start_position(self, at: float) -> list[Event]:
        self._kind = Activity.POSITION
        self._needs_position = False
        self._seg_start = at
        self._seg_end = at + self._position
        return [self._position_event(), *self._await_ready(at)]

    def _await_ready(self, at: float) -> list[Event]:
        """Hold a floor exercise's position (see `wait_on_floor`)."""
        if not (self._wait_on_floor and self._item().floor):
            return []
        self._ready_wait = True
        if self._freeze_started is None:
            self._freeze_started = self._wall(at)
        return [Paused(Hold.READY)]

    def _ready(self, now: float) -> list[Event]:
        """The person is ready on the floor: the position's last seconds count them in."""
        events = self._release(now)
        self._seg_end = self._active(now) + READY_COUNTDOWN_SECONDS
        return events

    def _start_work(self, at: float) -> list[Event]:
        item = self._item()
        self._kind = Activity.WORK
        self._needs_position = False
        self._notice = None  # the last set's news would now be stale
        self._last_set = None
        self._seg_start = at
        self._seg_start_wall = self._wall(at)
        self._seg_end = at + item.set_seconds
        self._reps_done = 0
        self._phase_index = 0
        first = item.tempo[0]
        self._phase_end = at + first.seconds
        c = self._cursor
        return [
            SetStarted(item, c.set_number, c.side),
            PhaseStarted(first, 0, None if item.timed else 1),
        ]

    def _end_set(self, at: float, ended_by: SetEnd) -> list[Event]:
        """Record the set in progress and move on the normal way (next side, set or item)."""
        done = self._cursor
        events: list[Event] = [self._record_set(at, ended_by)]
        following = self._next_work(done)
        return events + self._advance(at, following, self._rest_between(done, following))

    def _record_set(self, at: float, ended_by: SetEnd) -> SetFinished:
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
        self._set_items.append(self._cursor.item)
        self._last_set = len(self._sets) - 1
        self._pending_pain = None
        return finished

    def _advance(self, at: float, following: _Cursor | None, rest: float) -> list[Event]:
        """Start the rest before `following` (or the set itself when there is no rest)."""
        if following is None:
            return self._finish(EndReason.COMPLETED, at)
        new_exercise = following.item != self._cursor.item
        same_set = not new_exercise and following.set_number == self._cursor.set_number
        self._cursor = following
        self._needs_position = self._needs_position or new_exercise
        if rest <= 0:
            events = self._start_position(at) if self._needs_position else self._start_work(at)
        else:
            self._kind = Activity.SWITCH if same_set else Activity.REST
            self._seg_start = at
            self._seg_end = at + rest
            events = [RestStarted(rest, self._next_up(following))]
        return events + self._maybe_ask(at)

    def _finish(self, reason: EndReason, at: float) -> list[Event]:
        self._kind = Activity.DONE
        self._end_reason = reason
        self._ended_at = self._wall(at)
        self._asking = None
        return [SessionEnded(reason)]

    def _item(self) -> SessionItem:
        return self._items[self._cursor.item]

    def _first_set(self, index: int) -> _Cursor | None:
        if index >= len(self._items):
            return None
        item = self._items[index]
        return _Cursor(index, item.first_set, _first_side(item))

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

    def _future_seconds(self, c: _Cursor) -> float:
        """Planned rests, positions and work after set `c`."""
        total = 0.0
        following = self._next_work(c)
        while following is not None:
            total += self._rest_between(c, following) + self._items[following.item].set_seconds
            if following.item != c.item:
                total += self._position
            c, following = following, self._next_work(following)
        return total

    def _next_up(self, c: _Cursor) -> NextUp:
        new = self._needs_position or self._kind is Activity.POSITION
        return NextUp(self._items[c.item], c.set_number, c.side, new, self._kind is Activity.SWITCH)

    def _act(self, command: Command, now: float) -> list[Event]:
        """Commands that apply while no question is open."""
        if command is Action.PAUSE:
            if self._paused:
                return []
            self._paused = True
            self._refreeze(now)
            return [Paused(Hold.PAUSED)]
        if command is Action.FINISH_SET:
            return self._finish_now(now)
        if command is Action.END_GET_READY:
            if self._kind is not Activity.POSITION:
                return []
            if self._ready_wait:
                return self._ready(now)
            return self._release(now) + self._start_work(self._active(now))
        if command is Action.SKIP:
            return self._skip(now)
        if command in (Action.ASK_PAIN, Action.QUIT):
            self._prompt = Hold.PAIN if command is Action.ASK_PAIN else Hold.QUIT
            self._refreeze(now)
            return [Paused(self._prompt)]
        return []

    def _resume(self, now: float) -> list[Event]:
        if self._prompt is not None:
            self._prompt = None
        else:
            self._paused = False
        return [Resumed()] if self._refreeze(now) else []

    def _finish_now(self, now: float) -> list[Event]:
        """End the set with what is done so far, or end a rest or a position early."""
        events = self._release(now)
        active = self._active(now)
        if self._kind is Activity.WORK:
            return events + self._end_set(active, SetEnd.EARLY)
        return events + self._cross(active)

    def _skip(self, now: float) -> list[Event]:
        """Drop what is left of the current (or, during a rest, the coming) exercise."""
        events = self._release(now)
        active = self._active(now)
        return (
            events + self._keep_cut_set(active, SetEnd.SKIP) + self._drop(self._cursor.item, active)
        )

    def _drop(self, index: int, active: float) -> list[Event]:
        self._skipped.add(index)
        following = self._first_set(index + 1)
        up = None
        if following is not None:
            item = self._items[following.item]
            up = NextUp(item, following.set_number, following.side, True, False)
        self._notice = ExerciseSkipped(self._items[index], up)
        return [self._notice, *self._move_past(index, active, following)]

    def _move_past(self, index: int, active: float, following: _Cursor | None) -> list[Event]:
        """Leave item `index` for `following`: a running rest keeps its clock."""
        self._pending_pain = None
        if self._kind is Activity.WORK:
            return self._advance(active, following, float(self._items[index].rest_seconds))
        if following is None:
            return self._finish(EndReason.COMPLETED, active)
        self._cursor = following
        self._needs_position = True
        if self._kind is Activity.POSITION:
            return self._start_position(active) + self._maybe_ask(active)
        self._kind = Activity.REST  # a switch that now leads to another exercise
        return self._maybe_ask(active)

    def _stop(self, now: float, how: SetEnd, reason: EndReason, *news: Event) -> list[Event]:
        """End the session now, keeping the set in progress if it is worth recording."""
        self._release(now, announce=False)
        active = self._active(now)
        return [*self._keep_cut_set(active, how), *news, *self._finish(reason, active)]

    def _keep_cut_set(self, active: float, how: SetEnd) -> list[Event]:
        """Record a set cut short if it has a rep (rep work) or a second (timed work)."""
        if self._kind is not Activity.WORK:
            return []
        worth = active - self._seg_start >= 1.0 if self._item().timed else self._reps_done >= 1
        return [self._record_set(active, how)] if worth else []

    def _report_pain(self, pain: int, now: float) -> list[Event]:
        """Pain belongs to the set in progress, else to the set just done (a rest after it),
        else (nothing done yet) to the coming exercise. Above 5 stops that exercise."""
        if not 0 <= pain <= MAX_PAIN:
            raise ValueError(f"pain must be 0-{MAX_PAIN}, got {pain}")
        active = self._active(now)
        c = self._cursor
        set_index = None if self._kind is Activity.WORK else self._last_set
        index, number, side = c.item, None, None
        if self._kind is Activity.WORK:
            when, number, side = PainTime.DURING_SET, c.set_number, c.side
            self._pending_pain = max(pain, self._pending_pain or 0)
        elif set_index is not None:
            done = self._sets[set_index]
            when, number, side = PainTime.AFTER_SET, done.set_number, done.side
            index = self._set_items[set_index]
        else:
            when = PainTime.BEFORE_ANY
        item = self._items[index]
        stopped = pain > TOO_MUCH_PAIN_ABOVE
        report = PainReported(item, pain, when, number, side, set_index, stopped)
        self._pain_reports.append(report)
        if not stopped:
            self._prompt = None
            self._notice = report
            events: list[Event] = [report]
            return events + ([Resumed()] if self._refreeze(now) else [])
        self._pain_stopped.add(index)
        self._last_stopped = index
        self._hurt_areas.update(dict.fromkeys(item.loads))
        events = self._release(now)
        coming = self._first_set(index + 1) if index == c.item else c
        shared = _shared(self._items[coming.item].loads, self._hurt_areas) if coming else ()
        self._notice = replace(report, next_loads=shared)
        events.append(self._notice)
        if self._kind is Activity.WORK:
            self._pending_pain = pain
            events.append(self._record_set(active, SetEnd.PAIN))
        if index == c.item:
            return events + self._move_past(index, active, coming)
        return events + self._maybe_ask(active)

    def _maybe_ask(self, active: float) -> list[Event]:
        """Before an exercise that loads an area that stopped another one, ask first."""
        index = self._cursor.item
        last = self._last_stopped
        stopped = self._earlier_stop if last is None else self._items[last]
        if self.done or stopped is None or index in self._accepted:
            return []
        item = self._items[index]
        areas = _shared(item.loads, self._hurt_areas)
        if not areas or index in self._pain_stopped:
            return []
        self._asking = AskingNext(stopped, item, areas, earlier=last is None)
        self._prompt = Hold.ASK
        if self._freeze_started is None:  # held from the deadline, which may lie in the past
            self._freeze_started = self._wall(active)
        return [self._asking, Paused(Hold.ASK)]

    def _answer(self, take: bool, now: float) -> list[Event]:
        index = self._cursor.item
        self._prompt = None
        self._asking = None
        if take:
            self._accepted.add(index)
            return [Resumed()] if self._refreeze(now) else []
        active = self._active(now)
        events = self._drop(index, active)
        if self._prompt is None and self._refreeze(now) and not self.done:
            events.append(Resumed())
        return events

    def _countdown(self, active: float) -> int | None:
        if self._kind is Activity.WORK and not self._item().timed:
            return None
        return max(0, math.ceil(self._seg_end - active - 1e-9))

    def _cue_deadline(self, active: float) -> float:
        item = self._item()
        if max(len(item.cues), len(item.mistakes)) < 2:
            return math.inf
        elapsed = max(0.0, active - self._seg_start)
        return self._seg_start + (elapsed // CUE_ROTATE_SECONDS + 1) * CUE_ROTATE_SECONDS

    def _progress(self, active: float) -> tuple[float, float]:
        """(share of the session done, seconds left), both on the plan's clock."""
        left = max(0.0, self._seg_end - active) + self._future_seconds(self._cursor)
        if self._kind is not Activity.WORK:
            left += self._item().set_seconds
        if self._needs_position and self._kind is not Activity.POSITION:
            left += self._position
        done = max(0.0, active - self._start)
        total = done + left
        return (done / total if total > 0 else 1.0), left

    def _done_snapshot(self) -> Snapshot:
        count = len(self._items)
        return Snapshot(
            activity=Activity.DONE,
            exercise_number=count,
            exercise_count=count,
            set_number=0,
            notice=self._notice,
            end_reason=self._end_reason,
        )

    def _result(self, index: int) -> ExerciseResult:
        item = self._items[index]
        sets = [s for s, i in zip(self._sets, self._set_items, strict=True) if i == index]
        return ExerciseResult(
            name=item.name,
            sets_done=len(sets),
            reps=sum(s.reps or 0 for s in sets),
            seconds=round(sum(s.seconds for s in sets), 3),
            skipped=index in self._skipped,
            pain_stopped=index in self._pain_stopped,
        )


def _first_side(item: SessionItem) -> str | None:
    return "left" if item.per_side else None


def _shared(loads: tuple[str, ...], hurt: dict[str, None]) -> tuple[str, ...]:
    return tuple(area for area in loads if area in hurt)


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
