"""The listening counter during a live session: landings in, counts and cues out.

A pure state machine beside the session engine. The front end passes it the engine's
events (a set starts, a rep is done, a set ends, an exercise's get-into-position begins),
every landing the microphone hears (`heard`, on the session's clock) and, while the
person gets into position, the room's noise (`room`). It keeps the count of the set under
way and says when to coach: a heel drop whose rep passes with no thump or with a soft one
gets "land firmer" (001), a jump or kick landing clearly harder than the rest "land
softer" (000, 002), each at most once a set; and a room too loud to hear a soft landing
is named before the set starts. No clock, no sound, no words.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from heelcoach.domain.session.model import (
    Event,
    PositionStarted,
    RepCompleted,
    SessionItem,
    SetFinished,
    SetStarted,
)
from heelcoach.listening.judge import (
    LISTENED,
    SOFT_BELOW_DB,
    Flag,
    JudgedLanding,
    judge,
    judge_one,
    reference_of,
)
from heelcoach.listening.landing import Landing

# Without a calibration the first landings of a set have nothing to be compared with:
# from this many on, each is judged against the median of those heard so far.
JUDGE_FROM = 3
# The room is too loud when its noise in the thump band comes within this of a soft
# landing (a calibrated firm one less SOFT_BELOW_DB): 12 dB is what a landing must rise
# above the floor to be heard (listening.detect.ONSET_OVER_FLOOR). Without a calibration
# a soft landing a few metres away is taken to be about -45 dB against full scale, the
# quietest the simulated corpus holds (bench/listen.py).
HEARD_ABOVE_NOISE_DB = 12.0
UNCALIBRATED_SOFT_DBFS = -45.0
ROOM_SECONDS = 4.0  # the noise floor is a percentile of the last few seconds heard


class Coaching(StrEnum):
    FIRMER = "firmer"  # a heel drop with no thump, or a soft one
    SOFTER = "softer"  # a hard jump or kick landing
    TOO_LOUD = "too_loud"  # the room's noise would hide a soft landing


@dataclass(frozen=True)
class SetLandings:
    """What was heard during one set: the count and how many were soft or hard."""

    heard: int
    soft: int
    hard: int


@dataclass
class _Set:
    item: SessionItem
    flags: frozenset[Flag]
    landings: list[Landing] = field(default_factory=list)
    since: float = 0.0  # when the rep under way began
    in_rep: int = 0  # landings heard since then
    coached: bool = False


class Listening:
    """Feed it the engine's events, the landings heard and the room's noise."""

    def __init__(self, *, reference_dbfs: float | None = None) -> None:
        self._reference = reference_dbfs
        self._set: _Set | None = None
        self._positioning = False
        self._room_checked = False
        self._position_at = 0.0
        self._last: SetLandings | None = None

    @property
    def listening(self) -> bool:
        return self._set is not None

    def counted(self) -> tuple[int, int | None] | None:
        """(heard, planned) in the set under way; planned is None for timed work."""
        if self._set is None:
            return None
        return len(self._set.landings), self._set.item.reps

    def finished_set(self) -> SetLandings | None:
        """The landings of the set that just ended, judged against the whole set, once:
        None when that set was not listened to."""
        last, self._last = self._last, None
        return last

    def on_events(self, events: list[Event], now: float) -> list[Coaching]:
        coaching: list[Coaching] = []
        for event in events:
            coaching += self._on_event(event, now)
        return coaching

    def heard(self, landing: Landing) -> list[Coaching]:
        """A landing at `landing.t` on the session clock."""
        current = self._set
        if current is None or landing.t < current.since - 0.5:
            return []
        current.landings.append(landing)
        current.in_rep += 1
        judged = self._judge_latest(current)
        if judged is not None and (judged.soft or judged.hard):
            return self._coach(current, Coaching.FIRMER if judged.soft else Coaching.SOFTER)
        return []

    def room(self, noise_dbfs: float, now: float) -> list[Coaching]:
        """The room's noise while the person gets into position: once an exercise, when
        it has been heard for long enough to know its floor."""
        if not self._positioning or self._room_checked or now - self._position_at < ROOM_SECONDS:
            return []
        self._room_checked = True
        soft = (
            self._reference - SOFT_BELOW_DB
            if self._reference is not None
            else UNCALIBRATED_SOFT_DBFS
        )
        return [Coaching.TOO_LOUD] if noise_dbfs > soft - HEARD_ABOVE_NOISE_DB else []

    # -- engine events ---------------------------------------------------------------------

    def _on_event(self, event: Event, now: float) -> list[Coaching]:
        if isinstance(event, PositionStarted):
            self._positioning = event.item.exercise in LISTENED
            self._room_checked = False
            self._position_at = now
        elif isinstance(event, SetStarted):
            self._positioning = False
            flags = LISTENED.get(event.item.exercise)
            self._set = _Set(event.item, flags, since=now) if flags is not None else None
        elif isinstance(event, RepCompleted):
            return self._rep_done(now)
        elif isinstance(event, SetFinished):
            self._finish()
        return []

    def _rep_done(self, now: float) -> list[Coaching]:
        """A heel drop's rep that passed without a thump is told to land firmer."""
        current = self._set
        if current is None:
            return []
        silent = current.in_rep == 0 and Flag.SOFT in current.flags
        current.since, current.in_rep = now, 0
        return self._coach(current, Coaching.FIRMER) if silent else []

    def _finish(self) -> None:
        current = self._set
        self._set = None
        self._last = None
        if current is None:
            return
        judged = judge(current.landings, current.flags, self._reference)
        self._last = SetLandings(
            len(judged), sum(j.soft for j in judged), sum(j.hard for j in judged)
        )

    def _judge_latest(self, current: _Set) -> JudgedLanding | None:
        reference = self._reference
        if reference is None:
            if len(current.landings) < JUDGE_FROM:
                return None
            levels = [landing.level_dbfs for landing in current.landings]
            reference = reference_of(levels, current.flags)
        return judge_one(current.landings[-1], current.flags, reference or 0.0)

    @staticmethod
    def _coach(current: _Set, what: Coaching) -> list[Coaching]:
        if current.coached:
            return []
        current.coached = True
        return [what]
