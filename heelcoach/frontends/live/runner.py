"""Runs a `Session` in real time: the clock, the keys, the screen, the sound, the saving.
The loop sleeps until the next deadline, cue, redraw or key; every finished set goes to
the caller before the next starts; Ctrl-C ends the run "interrupted", saved sets kept."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, ExitStack
from dataclasses import dataclass, field, replace
from typing import IO, TYPE_CHECKING, Any, Protocol, TypeAlias

from heelcoach.domain.session.engine import POSITION_SECONDS, Session
from heelcoach.domain.session.listening import Coaching
from heelcoach.domain.session.model import (
    Action,
    Activity,
    AnswerNext,
    AskingNext,
    EmergencyStopped,
    EndReason,
    Event,
    ExerciseSkipped,
    Hold,
    PainReported,
    Paused,
    PhaseStarted,
    PositionStarted,
    RepCompleted,
    RestStarted,
    Resumed,
    SessionItem,
    SessionSummary,
    SetFinished,
    SetStarted,
)
from heelcoach.errors import BadInput
from heelcoach.frontends import words
from heelcoach.frontends.live.controls import KEYS_HELP, RESIZE, Controller, Frame, hints
from heelcoach.frontends.live.cues import DEFAULT_RATE, Announcer, Cue, talk_at
from heelcoach.frontends.live.event_log import EventLog
from heelcoach.frontends.live.listen import POLL_SECONDS, LiveListener
from heelcoach.frontends.words import live as live_words

if TYPE_CHECKING:
    from heelcoach.frontends.live.view import LiveScreen

MAX_WAIT = 1.0  # with nothing due (paused), still wake now and then; keys wake us at once
MIN_WAIT = 0.001  # a deadline a rounding error away must still let the clock move on
PLAIN_COUNTDOWN_MARKS = (30, 20, 10, 3, 2, 1)  # plain mode speaks up at these seconds left
EMERGENCY_WAIT = 600.0  # real seconds the emergency panel waits for a key
COACHING_TEXT = {
    Coaching.FIRMER: words.LAND_FIRMER[0].upper() + words.LAND_FIRMER[1:] + ".",
    Coaching.SOFTER: words.LAND_SOFTER[0].upper() + words.LAND_SOFTER[1:] + ".",
    Coaching.TOO_LOUD: live_words.LISTEN_TOO_LOUD,
}


class KeySource(Protocol):
    """Keys; a source with `interactive = False` (a pipe) is never asked a question."""

    def read(self, timeout: float) -> str | None: ...


class CueSink(Protocol):
    """Plays cues at a speech rate in words a minute."""

    rate: int

    def play(self, cue: Cue, late: float, real_now: float) -> None: ...
    def close(self) -> None: ...


@dataclass(frozen=True)
class SessionOutcome:
    """How a live session ended; `saved` are the sets handed over (a demo stores none)."""

    reason: str  # "completed" | "quit" | "emergency" | "interrupted"
    summary: SessionSummary
    saved: tuple[SetFinished, ...]
    demo: bool = False
    plain: bool = False  # plain lines were shown, so what they said is still on screen
    events_stopped: str = ""  # why `--events` stopped being written, if it did

    @property
    def interrupted(self) -> bool:
        return self.reason == "interrupted"

    @property
    def emergency(self) -> bool:
        return self.reason == EndReason.EMERGENCY


def _terminal_keys() -> AbstractContextManager[KeySource]:
    from heelcoach.frontends.live.terminal import KeyReader  # POSIX-only, loaded when needed

    return KeyReader()


# Where a live run gets its clock and keys; tests swap these to drive `heelcoach start`
# in-process with a fake clock and scripted keys.
default_clock: Callable[[], float] = time.monotonic
default_keys: Callable[[], AbstractContextManager[KeySource]] = _terminal_keys


def run_session(
    items: Sequence[SessionItem],
    *,
    on_set_finished: Callable[[SetFinished], None],
    on_pain: Callable[[int, int], None] | None = None,
    clock: Callable[[], float] | None = None,
    speed: float = 1.0,
    plain: bool = False,
    speaker: Callable[[Callable[[], None]], CueSink] | None = None,
    console: Any = None,
    keys: KeySource | None = None,
    out: IO[str] = sys.stdout,
    position_seconds: float = POSITION_SECONDS,
    events: IO[str] | None = None,
    key_hints: bool = True,
    stopped_earlier: Sequence[SessionItem] = (),
    wait_on_floor: bool = False,
    listener: LiveListener | None = None,
) -> SessionOutcome:
    """Run today's items live until they are done, quit, stopped or interrupted.
    `on_set_finished` runs for each set before the next starts; its exception ends the
    session and propagates. `on_pain(i, pain)`: pain in a rest belongs to the i-th set.
    A `speed` other than 1 is a demo. `speaker` builds what plays cues (None: silence)."""
    if speed <= 0:
        raise ValueError("speed must be positive")
    clock = clock or default_clock
    origin = clock()
    session = Session(
        items,
        start=origin,
        position_seconds=position_seconds,
        stopped_earlier=stopped_earlier,
        wait_on_floor=wait_on_floor,
    )
    use_plain = _wants_plain(plain, console, out)
    runner = _Runner(session, on_set_finished, on_pain, clock, origin, speed, key_hints)
    runner.listener = listener
    if listener is not None:
        listener.start(origin)
    log = EventLog(events, origin) if events is not None else None
    reason: str | None = None
    try:
        with ExitStack() as stack:
            reader = keys if keys is not None else stack.enter_context(default_keys())
            runner.can_answer = bool(getattr(reader, "interactive", True))
            display = _open_display(use_plain, console, out, runner.can_answer and key_hints)
            stack.enter_context(display)  # both displays enter as themselves
            runner.display, runner.log = display, log
            runner.speaker = speaker(display.bell) if speaker is not None else _Silence()
            runner.announcer = Announcer(talk_at(runner.speaker.rate, speed))
            stack.callback(runner.speaker.close)
            if listener is not None:
                stack.callback(listener.close)
            if log is not None:
                log.start(items, speed, session.planned_seconds)
            runner.loop(reader)
    except KeyboardInterrupt:
        reason = "interrupted"
        if log is not None:
            log.ended(reason, runner.now())
    return SessionOutcome(
        reason=reason or session.end_reason or "interrupted",
        summary=session.summary(),
        saved=tuple(runner.saved),
        demo=speed != 1.0,
        plain=use_plain,
        events_stopped=log.stopped if log is not None else "",
    )


class _Silence:
    rate = DEFAULT_RATE

    def play(self, cue: Cue, late: float, real_now: float) -> None:
        pass

    def close(self) -> None:
        pass


@dataclass
class _Runner:
    session: Session
    on_set_finished: Callable[[SetFinished], None]
    on_pain: Callable[[int, int], None] | None
    clock: Callable[[], float]
    origin: float
    speed: float
    key_hints: bool
    can_answer: bool = True
    display: _Display = field(init=False)  # these four come once the run starts
    log: EventLog | None = field(init=False)
    speaker: CueSink = field(init=False)
    announcer: Announcer = field(init=False)
    saved: list[SetFinished] = field(default_factory=list)
    saved_note: str | None = None
    controller: Controller = field(default_factory=Controller)
    listener: LiveListener | None = None
    listen_note: str | None = None

    @property
    def demo(self) -> bool:
        return self.speed != 1.0

    def now(self) -> float:
        """The session clock: real time since the start, `speed` times faster."""
        return self.origin + (self.clock() - self.origin) * self.speed

    def frame(self, now: float) -> Frame:
        snapshot = self.session.snapshot(now)
        prompt = snapshot.hold is Hold.PAIN
        return Frame(
            snapshot,
            keys=hints(snapshot) if self.key_hints and self.can_answer else (),
            pain_typed=self.controller.pain_typed if prompt else None,
            problem=self.controller.problem,
            saved=self.saved_note,
            demo=self.speed if self.demo else None,
            heard=self._heard_text(),
            listening=self.listen_note,
        )

    def _heard_text(self) -> str | None:
        counted = self.listener.listening.counted() if self.listener is not None else None
        if counted is None:
            return None
        heard, planned = counted
        return f"heard {heard}" + (f" / {planned}" if planned is not None else "")

    def loop(self, reader: KeySource) -> None:
        self.display.start(self.frame(self.now()))
        while True:
            now = self.now()
            if self.listener is not None:  # before the tick: a landing counts for its rep
                self._listen(self.listener, now)
            self._handle(self.session.tick(now), now)
            frame = self.frame(now)
            self.display.show(frame, self.clock())
            self._play(now)
            if self.session.done:
                break
            key = reader.read(self._wait(frame))
            if key == RESIZE:
                self.display.resized()
            elif key is not None:
                self._press(key)
        if self.session.end_reason is EndReason.EMERGENCY and self.display.full_screen:
            self._hold_emergency_panel(reader)

    def _press(self, key: str) -> None:
        now = self.now()
        self._handle(self.session.tick(now), now)
        for command in self.controller.commands(key, self.session.snapshot(now)):
            self._handle(self.session.apply(command, now), now)

    def _hold_emergency_panel(self, reader: KeySource) -> None:
        """The advice stays on screen until a key: no one should miss it."""
        if not self.can_answer:
            return
        self.display.resized()  # drawn now, whatever the frame rate allowed a moment ago
        self.display.show(self.frame(self.now()), self.clock())
        started = self.clock()
        while self.clock() - started < EMERGENCY_WAIT:
            self._play(self.now())
            key = reader.read(MAX_WAIT)
            if key == RESIZE:
                self.display.resized()
                self.display.show(self.frame(self.now()), self.clock())
            elif key is not None:
                return

    def _wait(self, frame: Frame) -> float:
        """Real seconds to sleep: until the next deadline, cue, key or due redraw."""
        now = self.now()
        deadline = self.session.next_deadline(now)
        wait = MAX_WAIT if deadline is None else (deadline - now) / self.speed
        cue = self.announcer.next_due()
        if cue is not None:
            wait = min(wait, (cue - now) / self.speed)
        hint = self.display.wait_hint(frame, self.clock(), self.speed)
        if hint is not None:
            wait = min(wait, hint)
        if self.listener is not None:
            wait = min(wait, POLL_SECONDS)
        return max(MIN_WAIT, min(wait, MAX_WAIT))

    def _handle(self, events: list[Event], now: float) -> None:
        if not events:
            return
        for event in events:
            self._pass_on(event, now)
        while not self.can_answer and (more := self._unattended(now)):
            for event in more:
                self._pass_on(event, now)
            events = events + more
        self.announcer.on_events(events, self.session.snapshot(now), now)

    def _unattended(self, now: float) -> list[Event]:
        """With no keyboard, a question skips the exercise and "ready" is taken as said."""
        hold = self.session.snapshot(now).hold
        if hold is Hold.ASK:
            return self.session.apply(AnswerNext(False), now)
        if hold is Hold.READY:
            return self.session.apply(Action.END_GET_READY, now)
        return []

    def _pass_on(self, event: Event, now: float) -> None:
        if self.listener is not None:
            if isinstance(event, SetStarted | PositionStarted):
                self.listen_note = None
            self._coach(self.listener.listening.on_events([event], now), now)
        if isinstance(event, SetFinished):
            self._save(self._with_landings(event))
        elif isinstance(event, PainReported) and event.set_index is not None:
            self._pain_after(event.set_index, event.pain)
        self.display.event(event)
        if self.log is not None:
            self.log.event(event, now, saved=not self.demo)

    def _with_landings(self, finished: SetFinished) -> SetFinished:
        heard = self.listener.listening.finished_set() if self.listener is not None else None
        if heard is None:
            return finished
        return replace(
            finished, landings=heard.heard, soft_landings=heard.soft, hard_landings=heard.hard
        )

    def _listen(self, listener: LiveListener, now: float) -> None:
        """Hear what came in. Sound that cannot be read on (a recording damaged part-way)
        ends the listening, not the session: the set under way was not heard to its end,
        so it is saved without landings, like every set after it."""
        try:
            coaching = listener.poll(now)
        except BadInput as error:
            self.listener = None
            self.listen_note = live_words.listen_stopped_text(str(error))
            self.display.say(self.listen_note)
            return
        self._coach(coaching, now)

    def _coach(self, coaching: list[Coaching], now: float) -> None:
        """Show and say the listening counter's coaching (it comes at most once a set)."""
        for what in coaching:
            self.listen_note = COACHING_TEXT[what]
            self.display.say(self.listen_note)
            self.speaker.play(Cue(now, self.listen_note), 0.0, self.clock())

    def _save(self, finished: SetFinished) -> None:
        # Committed before anything else happens, so a crash later loses nothing stored.
        self.on_set_finished(finished)
        self.saved.append(finished)
        self._note_saved(finished)

    def _note_saved(self, finished: SetFinished) -> None:
        self.saved_note = (live_words.demo_saved_text if self.demo else live_words.saved_text)(
            finished
        )
        self.display.say(self.saved_note + ".")

    def _pain_after(self, index: int, pain: int) -> None:
        """Pain in a rest belongs to the set just done (every set is handed over in turn, so
        `index` is always one of `saved`): store it on that set."""
        if self.on_pain is not None:
            self.on_pain(index, pain)
        done = self.saved[index]
        self.saved[index] = replace(done, pain=max(pain, done.pain or 0))
        self._note_saved(self.saved[index])

    def _play(self, now: float) -> None:
        real = self.clock()
        for cue in self.announcer.due(now):
            self.speaker.play(cue, (now - cue.due) / self.speed, real)


def _wants_plain(plain: bool, console: Any, out: IO[str]) -> bool:
    if plain or os.environ.get("TERM") == "dumb":
        return True
    if console is not None:
        return not console.is_terminal
    try:
        return not out.isatty()
    except (AttributeError, ValueError):
        return True


_Display: TypeAlias = "PlainDisplay | LiveScreen"


def _open_display(plain: bool, console: Any, out: IO[str], keys: bool) -> _Display:
    if plain:
        return PlainDisplay(out, keys=keys)
    from heelcoach.frontends.live.view import LiveScreen  # Rich only for the full screen

    return LiveScreen(console, out)


class PlainDisplay:
    """A sentence a line, every cue and tip included: for screen readers, logs, TERM=dumb."""

    full_screen = False

    def __init__(self, out: IO[str], *, keys: bool = True) -> None:
        self._out = out
        self._keys = keys
        self._last_countdown: int | None = None
        self._last_problem: str | None = None
        self._cued: set[str] = set()  # phases whose cue was read out in this set
        self._tips: set[str] = set()  # tips and mistakes read out in this set
        self._item: SessionItem | None = None  # the set running now

    def __enter__(self) -> PlainDisplay:
        return self

    def __exit__(self, *exc: object) -> None:
        self._out.flush()

    def say(self, line: str) -> None:
        self._out.write(line + "\n")
        self._out.flush()

    def start(self, frame: Frame) -> None:
        if self._keys:
            self.say(f"Keys: {KEYS_HELP}.")

    def event(self, event: Event) -> None:
        for line in self._lines(event):
            self.say(line)

    def _lines(self, event: Event) -> list[str]:
        if isinstance(event, PositionStarted):
            return self._position(event)
        if isinstance(event, SetStarted):
            self._cued.clear()
            self._tips.clear()
            self._item = event.item
            self._last_countdown = event.item.seconds  # "20 seconds left" would repeat it
            where = live_words.set_text(event.item, event.set_number, event.side)
            return [f"{event.item.name}, {where}: go."]
        if isinstance(event, PhaseStarted):
            return [*self._leg_line(event), self._phase_line(event)]
        if isinstance(event, RepCompleted):
            return [f"Rep {event.rep} of {event.target} done."]
        if isinstance(event, RestStarted):
            self._last_countdown = round(event.seconds)
            what = "Switch sides:" if event.next.same_set else "Rest for"
            up = live_words.next_text(event.next)
            return [f"{what} {round(event.seconds)} seconds. Next: {up}."]
        return self._news(event)

    def _position(self, event: PositionStarted) -> list[str]:
        item = event.item
        lines = [
            f"Exercise {event.number} of {event.count}: {item.name}, {live_words.dose_text(item)}."
        ]
        if item.setup:
            lines.append("Get into position: " + " ".join(_sentence(s) for s in item.setup))
        if item.support:
            lines.append(f"Support: {item.support}.")
        if event.waits:
            lines.append(live_words.READY_PROMPT)
            return lines
        start = " Press Enter to start now." if self._keys else ""
        lines.append(f"Starting in {round(event.seconds)} seconds.{start}")
        self._last_countdown = round(event.seconds)
        return lines

    def _news(self, event: Event) -> list[str]:
        if isinstance(event, ExerciseSkipped):
            return [live_words.skipped_text(event)]
        if isinstance(event, PainReported):
            return [live_words.pain_text(event)]
        if isinstance(event, AskingNext):
            question = f" {live_words.ASK_QUESTION}" if self._keys else " Skipping it to be safe."
            return [live_words.ask_text(event) + question]
        if isinstance(event, EmergencyStopped):
            return emergency_lines()
        if isinstance(event, Paused):
            prompts = {
                Hold.PAUSED: live_words.PAUSED_TEXT,
                Hold.PAIN: live_words.PAIN_PROMPT,
                Hold.QUIT: live_words.QUIT_PROMPT,
            }
            return [prompts[event.why]] if event.why in prompts else []
        return ["Resumed."] if isinstance(event, Resumed) else []

    def _leg_line(self, event: PhaseStarted) -> list[str]:
        """With the legs in turn, each rep opens by naming its leg."""
        side = self._item.side_of_rep(event.rep) if self._item and event.rep else None
        return [f"{side.capitalize()} leg."] if side and event.index == 0 else []

    def _phase_line(self, event: PhaseStarted) -> str:
        """The cue once per set, then just the name, so the pace stays easy to follow."""
        name = event.phase.name
        if event.phase.cue and name not in self._cued:
            self._cued.add(name)
            return f"{name}: {_sentence(event.phase.cue)}"
        return f"{name}."

    def show(self, frame: Frame, real_now: float) -> None:
        if frame.problem != self._last_problem:
            self._last_problem = frame.problem
            if frame.problem:
                self.say(frame.problem)
        s = frame.snapshot
        if s.activity is Activity.WORK and s.running:  # each tip once a set, as it comes
            for label, tip in (("Tip", s.cue), ("Avoid", s.mistake)):
                if tip and tip not in self._tips:
                    self._tips.add(tip)
                    self.say(f"{label}: {_sentence(tip)}")
        self._countdown(frame)

    def _countdown(self, frame: Frame) -> None:
        shown, count = self._last_countdown, frame.snapshot.countdown
        self._last_countdown = count
        if frame.snapshot.running and count != shown and count in PLAIN_COUNTDOWN_MARKS:
            self.say(f"{count} {'second' if count == 1 else 'seconds'} left.")

    def wait_hint(self, frame: Frame, real_now: float, speed: float) -> float | None:
        return None

    def bell(self) -> None:
        self._out.write("\a")
        self._out.flush()

    def resized(self) -> None:
        pass


def emergency_lines() -> list[str]:
    rule = "=" * 60
    return [rule, f"{live_words.EMERGENCY_TITLE.upper()}. {live_words.EMERGENCY_ADVICE}", rule]


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else text + "."
