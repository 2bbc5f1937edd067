"""What the coach says and sounds, due at the engine's deadlines. A cue noticed late, or
due while the voice still speaks, is dropped, so speech never lags the screen; openings
are cut to what fits before the 3-2-1, so the count is never what goes silent."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from heelcoach.domain.session.model import (
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

COUNTDOWN_FROM = 3  # the 3-2-1 before every change
LATE_AFTER = 0.15  # seconds: a cue noticed later than this after its time is dropped
COUNT_PHASES = (2.5, 6.0)  # phases this long are counted out second by second
TIMED_WARNING = 10  # "10 seconds" before the end of timed work at least twice as long
DEFAULT_RATE = 170  # words a minute: unhurried, and each count fits its second
_SPOKEN = {"lower": "down", "rise": "up", "lift": "up"}  # short words that say the move
_PACE = "slowly"  # each further second of a slow phase: a word, never a number


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
    """About how long `text` takes to say at `rate` words a minute (a word per digit)."""
    words = sum(
        max(1, len(word) / 6) if not word.isdecimal() else len(word)
        for word in text.replace(",", " ").split()
    )
    return 0.25 + words * 60.0 / max(60, rate)


Talk = Callable[[str], float]  # how many session seconds saying a text takes


def talk_at(rate: int, speed: float = 1.0) -> Talk:
    """Speech time on the session clock: a demo's faster clock leaves less room."""
    return lambda text: spoken_seconds(text, rate) * speed


class Announcer:
    """Keeps the cues of the segment under way, rebuilt whenever the engine moves on."""

    def __init__(self, talk: Talk = talk_at(DEFAULT_RATE)) -> None:
        self._talk = talk
        self._pending: list[Cue] = []
        self._pain_stopped = False  # no praise at the end of a session pain cut short
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
        self._pain_stopped |= any(isinstance(e, PainReported) and e.stopped for e in events)
        cues = [cue for e in events for cue in _said_at_once(e, now, self._pain_stopped)]
        if s.running:
            # A cue due before the last look was already played (or dropped) with the
            # schedule this one replaces.
            cues += [
                cue for cue in _segment_cues(events, s, self._talk) if cue.due > self._considered
            ]
        self._pending = sorted(cues, key=lambda cue: cue.due)


def _said_at_once(event: Event, now: float, pain_stopped: bool) -> list[Cue]:
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
        done = event.reason is EndReason.COMPLETED
        text = ("Session complete." + ("" if pain_stopped else " Well done.")) if done else None
        return [Cue(now, text, Tone.DONE)]
    return []


def _segment_cues(events: Sequence[Event], s: Snapshot, talk: Talk) -> list[Cue]:
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
            cues += _timed_cues(start, end, SetStarted in kinds)
        return cues
    if RestStarted in kinds or PositionStarted in kinds:
        cues.append(_segment_opening(s, start, end, talk))
    return cues + countdown(end)


def countdown(end: float) -> list[Cue]:
    """3, 2, 1 before a change: a tick and the number on each of the last seconds."""
    return [Cue(end - n, str(n), Tone.TICK) for n in range(COUNTDOWN_FROM, 0, -1)]


def _segment_opening(s: Snapshot, start: float, end: float, talk: Talk) -> Cue:
    """A rest's, a switch's or a position's opening, cut to the room before the 3-2-1."""
    room = end - COUNTDOWN_FROM - start
    up = s.next
    if s.activity is Activity.SWITCH and up is not None:
        side = str(up.side)
        text = _fitted(
            [f"Switch to the {side} side.", f"{side.capitalize()} side."], [], room, talk
        )
        return Cue(start, text, Tone.SWITCH)
    if s.activity is Activity.POSITION and s.item is not None:
        more = [f"{s.side.capitalize()} side first."] if s.side else []
        if s.item.support:
            more.append(f"Support: {s.item.support}.")
        name = s.item.name
        headlines = [f"Get into position for {name.lower()}.", f"{name}."]
        return Cue(start, _fitted(headlines, [*more, *s.item.setup], room, talk), Tone.REST)
    more = [f"Next: {live_words.next_text(up)}."] if up is not None else []
    text = _fitted([f"Rest, {round(end - start)} seconds.", "Rest."], more, room, talk)
    return Cue(start, text, Tone.REST)


def _fitted(headlines: Sequence[str], more: Sequence[str], room: float, talk: Talk) -> str:
    """The first headline said within `room` seconds (else the last), then what still fits."""
    said = [next((line for line in headlines if talk(line) <= room), headlines[-1])]
    for part in more:
        if talk(" ".join([*said, part])) <= room:
            said.append(part)
    return " ".join(said)


def _phase_cues(s: Snapshot) -> list[Cue]:
    """The rep number as a rep begins ("go" for the first: one short word, so a slow phase a
    second later is still said), a slow phase paced "down, slowly", and the leg in turn."""
    phase, begun, ends, item = s.phase, s.phase_started_at, s.phase_ends_at, s.item
    if phase is None or begun is None or ends is None or item is None or item.timed:
        return []
    leg = s.side if item.alternate and s.side else None
    leg_on_move = leg is not None and any(_paced(p.seconds) for p in item.phases)
    words: list[str] = []
    if s.phase_index == 0:
        words.append("Go" if s.rep == 1 else str(s.rep))
        if leg is not None and not leg_on_move:
            words.append(leg)
    if _paced(phase.seconds):
        spoken = _SPOKEN.get(phase.name.lower(), phase.name.lower())
        words += [leg, spoken] if leg and leg_on_move else [spoken]
    cues = [Cue(begun, ", ".join(words))] if words else []
    if _paced(phase.seconds):
        second = 1
        while begun + second < ends - 0.4:
            cues.append(Cue(begun + second, _PACE))
            second += 1
    return cues


def _paced(seconds: float) -> bool:
    return COUNT_PHASES[0] <= seconds <= COUNT_PHASES[1]


def _timed_cues(start: float, end: float, starting: bool) -> list[Cue]:
    cues = [Cue(start, "Go.")] if starting else []
    if end - start >= 2 * TIMED_WARNING:
        cues.append(Cue(end - TIMED_WARNING, f"{TIMED_WARNING} seconds."))
    return cues + countdown(end)
