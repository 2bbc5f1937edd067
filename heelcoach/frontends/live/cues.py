"""What the coach says and sounds, and exactly when: a schedule on the session's own clock.

Every cue has a due time taken from the engine's deadlines (a phase's start, a rest's
end), not from when the loop happened to notice: the 3-2-1 before a set starts is due at
the set's start minus 3, 2 and 1 seconds, the rep number at the rep's first phase, and a
slow lowering is counted "down, 2, 3" on its own seconds. The runner plays each cue at
its time; a cue noticed late (a slow machine) is dropped rather than said late, and a cue
due while the voice is still speaking is dropped rather than queued, so speech never
lags the screen. Pure: no processes, no clock of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from heelcoach.domain.session import (
    Activity,
    AskingNext,
    EmergencyStopped,
    EndReason,
    Event,
    Hold,
    PainReported,
    Paused,
    PhaseStarted,
    PositionStarted,
    RestStarted,
    SessionEnded,
    SetStarted,
    Snapshot,
)
from heelcoach.frontends.words import live as live_words

LATE_AFTER = 0.15  # seconds: a cue noticed later than this after its time is dropped
COUNT_PHASES = (2.5, 6.0)  # phases this long are counted out second by second
TIMED_WARNING = 10  # "10 seconds" before the end of timed work at least twice as long
_SPOKEN = {"lower": "down", "rise": "up", "lift": "up"}  # short words that say the move


class Tone(StrEnum):
    """Distinct sounds: a tick for each of 3-2-1, and one for each kind of change."""

    TICK = "tick"
    WORK = "work"
    REST = "rest"
    SWITCH = "switch"
    DONE = "done"
    STOP = "stop"


@dataclass(frozen=True)
class Cue:
    due: float  # on the runner's session clock (pauses included)
    text: str | None = None
    tone: Tone | None = None


def spoken_seconds(text: str, rate: int) -> float:
    """About how long `text` takes to say at `rate` words a minute: a number is said as
    about one word per digit, and every utterance has a short start-up."""
    words = sum(
        max(1, len(word) / 6) if not word.isdecimal() else len(word)
        for word in text.replace(",", " ").split()
    )
    return 0.25 + words * 60.0 / max(60, rate)


def _spoken(name: str) -> str:
    return _SPOKEN.get(name.lower(), name.lower())


class Announcer:
    """Keeps the cues of the segment under way, rebuilt whenever the engine moves on."""

    def __init__(self) -> None:
        self._pending: list[Cue] = []
        self._considered = -float("inf")  # every cue due up to here was played or dropped

    def next_due(self) -> float | None:
        return self._pending[0].due if self._pending else None

    def due(self, now: float) -> list[Cue]:
        """Cues whose time has come, oldest first (the caller drops those too late)."""
        ready = [cue for cue in self._pending if cue.due <= now]
        self._pending = [cue for cue in self._pending if cue.due > now]
        self._considered = max(self._considered, now)
        return ready

    def on_events(self, events: Sequence[Event], s: Snapshot, now: float) -> None:
        """Replace the schedule after `events`, from the snapshot that follows them."""
        if not events:
            return
        cues = [cue for event in events for cue in _said_at_once(event, s, now)]
        if s.running:
            # A cue due before the last look was already played (or dropped) with the
            # schedule this one replaces.
            cues += [cue for cue in _segment_cues(events, s) if cue.due > self._considered]
        self._pending = sorted(cues, key=lambda cue: cue.due)


def _said_at_once(event: Event, s: Snapshot, now: float) -> list[Cue]:
    """Cues for news that happens when it is noticed (a key, the end)."""
    if isinstance(event, Paused) and event.why is Hold.PAUSED:
        return [Cue(now, "Paused.")]
    if isinstance(event, PainReported) and event.stopped:
        return [Cue(now, f"Stopping {event.item.name.lower()}.")]
    if isinstance(event, AskingNext):
        return [Cue(now, live_words.ask_text(event) + " Do it?")]
    if isinstance(event, EmergencyStopped):
        return [Cue(now, "Stop. Sit down and rest.", Tone.STOP)]
    if isinstance(event, SessionEnded) and event.reason is not EndReason.EMERGENCY:
        text = "Session complete. Well done." if event.reason is EndReason.COMPLETED else None
        return [Cue(now, text, Tone.DONE)]
    return []


def _segment_cues(events: Sequence[Event], s: Snapshot) -> list[Cue]:
    """Cues from the start of the segment (or phase) under way to its end."""
    start, end = s.segment_started_at, s.segment_ends_at
    if start is None or end is None or s.item is None:
        return []
    kinds = {type(event) for event in events}
    cues: list[Cue] = []
    if s.activity is Activity.WORK:
        if SetStarted in kinds:
            cues.append(Cue(start, None, Tone.WORK))
        if PhaseStarted in kinds or SetStarted in kinds:
            cues += _phase_cues(s)
        if s.item.timed:
            cues += _timed_cues(s, start, end, SetStarted in kinds)
        return cues
    if RestStarted in kinds or PositionStarted in kinds:
        cues.append(_segment_opening(s, start, end))
    return cues + countdown(end)


def countdown(end: float) -> list[Cue]:
    """3, 2, 1 before a change: a tick and the number on each of the last seconds."""
    return [Cue(end - n, str(n), Tone.TICK) for n in (3, 2, 1)]


def _segment_opening(s: Snapshot, start: float, end: float) -> Cue:
    seconds = round(end - start)
    up = s.next
    if s.activity is Activity.SWITCH and up is not None:
        return Cue(start, f"Switch to the {up.side} side.", Tone.SWITCH)
    if s.activity is Activity.POSITION and s.item is not None:
        parts = [f"Get into position for {s.item.name.lower()}.", *s.item.setup]
        if s.item.support:
            parts.append(f"Use {s.item.support}.")
        if s.side:
            parts.append(f"{s.side.capitalize()} side first.")
        return Cue(start, " ".join(parts), Tone.REST)
    text = f"Rest, {seconds} seconds."
    if up is not None:
        text += f" Next: {live_words.next_text(up)}."
    return Cue(start, text, Tone.REST)


def _phase_cues(s: Snapshot) -> list[Cue]:
    """The rep number as each rep begins ('3, left' with the legs in turn); a slow phase
    counted out, 'down, 2, 3'."""
    phase, begun, ends = s.phase, s.phase_started_at, s.phase_ends_at
    if phase is None or begun is None or ends is None or s.item is None or s.item.timed:
        return []
    first = s.phase_index == 0
    rep = f"{s.rep}, {s.side}" if s.item.alternate and s.side else str(s.rep)  # legs in turn
    cues = [Cue(begun, rep if first else None)]
    low, high = COUNT_PHASES
    if low <= phase.seconds <= high:
        if not first:
            cues = [Cue(begun, _spoken(phase.name))]
        second = 1
        while begun + second < ends - 0.4:
            cues.append(Cue(begun + second, str(second + 1)))
            second += 1
    return [cue for cue in cues if cue.text]


def _timed_cues(s: Snapshot, start: float, end: float, starting: bool) -> list[Cue]:
    cues = [Cue(start, "Go.")] if starting else []
    if end - start >= 2 * TIMED_WARNING:
        cues.append(Cue(end - TIMED_WARNING, f"{TIMED_WARNING} seconds."))
    return cues + countdown(end)
