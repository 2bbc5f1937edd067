"""Runs a `Session` in real time: the clock, the keys, the screen, the sound, the saving.

This module owns the loop of a live session. It sleeps exactly until the session's next
deadline or the next key (never polling in a busy loop), hands every finished set to the
caller before the next set starts so it can be committed, and picks the display: a
full-screen Rich view (imported only when used) or plain lines for screen readers, logs
and dumb terminals. It also guarantees the terminal is given back on every exit,
including Ctrl-C, which ends the run as "interrupted" with all committed sets kept.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from types import TracebackType
from typing import IO, Any, Protocol

from heelcoach.domain.session import (
    KEYS_HELP,
    Event,
    ExerciseStarted,
    PhaseStarted,
    RepCompleted,
    RestStarted,
    Resumed,
    Session,
    SessionItem,
    SessionSummary,
    SetFinished,
    SetStarted,
    Snapshot,
)

FRAME_INTERVAL = 0.1  # at most ~10 redraws a second, so keys show within 100 ms
ANIMATION_INTERVAL = 0.2  # a bar that merely moves is smooth enough at 5 frames a second
MAX_WAIT = 1.0  # with nothing due (paused), still wake now and then; keys wake us at once
MIN_WAIT = 0.001  # a deadline a rounding error away must still let the clock move on
FRAME_SLACK = 0.005  # a wake-up this close to the frame interval may draw
PLAIN_COUNTDOWN_MARKS = (30, 20, 10, 3, 2, 1)  # plain mode speaks up at these seconds left
INTERRUPTED_MESSAGE = "Session interrupted. Sets saved so far are kept."


class KeySource(Protocol):
    """Anything that yields keys: `read` waits at most `timeout` s and returns a key name."""

    def read(self, timeout: float) -> str | None: ...


@dataclass(frozen=True)
class SessionOutcome:
    """How a live session ended and what it did; `saved` are the sets the caller stored,
    `message` the last word for the person (completion, pain stop, emergency advice)."""

    reason: str  # "completed" | "quit" | "emergency" | "interrupted"
    summary: SessionSummary
    saved: tuple[SetFinished, ...]
    message: str | None
    message_shown: bool = False  # plain lines already said it; a full screen vanished

    @property
    def interrupted(self) -> bool:
        return self.reason == "interrupted"

    @property
    def emergency(self) -> bool:
        return self.reason == "emergency"


def run_session(
    items: Sequence[SessionItem],
    *,
    on_set_finished: Callable[[SetFinished], None],
    clock: Callable[[], float] = time.monotonic,
    speed: float = 1.0,
    plain: bool = False,
    sound: bool = False,
    console: Any = None,
    keys: KeySource | None = None,
    out: IO[str] = sys.stdout,
    get_ready_seconds: float = 5.0,
) -> SessionOutcome:
    """Run today's items live until they are done, quit, stopped or interrupted.

    `on_set_finished` runs synchronously for each recorded set before the next one starts;
    an exception from it ends the session (the terminal is restored) and propagates.
    `speed` > 1 runs the session clock faster (demos, tests); event times are on that
    clock. `keys` defaults to the terminal (cbreak, restored on exit); a caller-supplied
    source is used as is. `console` is a Rich console for the full-screen view; plain
    lines go to `out` when `plain` is set, `out` is not a TTY or TERM is dumb. The full
    screen vanishes on exit, so the caller shows `outcome.message` (e.g. the emergency
    advice) afterwards unless `outcome.message_shown` says plain lines already did.
    """
    if speed <= 0:
        raise ValueError("speed must be positive")
    origin = clock()
    session = Session(items, start=origin, get_ready_seconds=get_ready_seconds)
    runner = _Runner(session, on_set_finished, clock, origin, speed)
    use_plain = _wants_plain(plain, console, out)
    reason: str | None = None
    try:
        with ExitStack() as stack:
            reader = keys if keys is not None else stack.enter_context(_terminal_keys())
            display = stack.enter_context(_open_display(use_plain, console, out))
            speaker = stack.enter_context(Speaker(sound, display.bell))
            runner.loop(reader, display, speaker)
    except KeyboardInterrupt:
        reason = "interrupted"
    message = INTERRUPTED_MESSAGE if reason else session.message
    return SessionOutcome(
        reason=reason or session.end_reason or "interrupted",
        summary=session.summary(),
        saved=tuple(runner.saved),
        message=message,
        message_shown=use_plain and reason is None,
    )


# --- the loop ---------------------------------------------------------------------------


@dataclass
class _Runner:
    session: Session
    on_set_finished: Callable[[SetFinished], None]
    clock: Callable[[], float]
    origin: float
    speed: float
    saved: list[SetFinished] = field(default_factory=list)

    def now(self) -> float:
        """The session clock: real time since the start, `speed` times faster."""
        return self.origin + (self.clock() - self.origin) * self.speed

    def loop(self, reader: KeySource, display: _Display, speaker: Speaker) -> None:
        display.start(self.session.snapshot(self.now()))
        while True:
            self._handle(self.session.tick(self.now()), display, speaker)
            display.show(self.session.snapshot(self.now()), self.clock())
            if self.session.done:
                return
            key = reader.read(self._wait(display))
            if key is not None:
                self._handle(self.session.press(key, self.now()), display, speaker)

    def _wait(self, display: _Display) -> float:
        """Real seconds to sleep: until the next deadline, key or due redraw."""
        now = self.now()
        deadline = self.session.next_deadline(now)
        wait = MAX_WAIT if deadline is None else (deadline - now) / self.speed
        hint = display.wait_hint(self.session.snapshot(now), self.clock(), self.speed)
        if hint is not None:
            wait = min(wait, hint)
        return max(MIN_WAIT, min(wait, MAX_WAIT))

    def _handle(self, events: list[Event], display: _Display, speaker: Speaker) -> None:
        for event in events:
            if isinstance(event, SetFinished):
                self._save(event, display)
            else:
                display.event(event, self.session)
            speaker.on_event(event)

    def _save(self, finished: SetFinished, display: _Display) -> None:
        # Committed before anything else happens, so a crash later loses nothing stored.
        self.on_set_finished(finished)
        self.saved.append(finished)
        text = saved_text(finished)
        self.session.confirm_saved(text)
        display.saved(text)


def saved_text(finished: SetFinished) -> str:
    """'Set 1 saved: 10 reps' (or '... (left): 30 s')."""
    side = f" ({finished.side})" if finished.side else ""
    if finished.reps is not None:
        amount = f"{finished.reps} rep{'s' if finished.reps != 1 else ''}"
    else:
        amount = f"{round(finished.seconds)} s"
    pain = f", pain {finished.pain}/10" if finished.pain is not None else ""
    return f"Set {finished.set_number}{side} saved: {amount}{pain}"


def _wants_plain(plain: bool, console: Any, out: IO[str]) -> bool:
    if plain or os.environ.get("TERM") == "dumb":
        return True
    if console is not None:
        return not console.is_terminal
    try:
        return not out.isatty()
    except (AttributeError, ValueError):
        return True


def _terminal_keys() -> Any:
    from heelcoach.frontends.live.terminal import (
        KeyReader,  # POSIX-only modules, loaded when needed
    )

    return KeyReader()


# --- displays ---------------------------------------------------------------------------


class _Display(Protocol):
    def __enter__(self) -> _Display: ...
    def __exit__(self, *exc: object) -> None: ...
    def start(self, snapshot: Snapshot) -> None: ...
    def event(self, event: Event, session: Session) -> None: ...
    def saved(self, text: str) -> None: ...
    def show(self, snapshot: Snapshot, real_now: float) -> None: ...
    def wait_hint(self, snapshot: Snapshot, real_now: float, speed: float) -> float | None: ...
    def bell(self) -> None: ...


def _open_display(plain: bool, console: Any, out: IO[str]) -> _Display:
    if plain:
        return PlainDisplay(out)
    from heelcoach.frontends.live import (
        view as live_view,  # Rich is only paid for in full-screen mode
    )

    return _ScreenDisplay(live_view.LiveScreen(console, out), live_view)


class PlainDisplay:
    """One line per event, no cursor movement: for screen readers, logs, TERM=dumb."""

    def __init__(self, out: IO[str]) -> None:
        self._out = out
        self._last_message: str | None = None
        self._last_countdown: int | None = None
        self._cued: set[str] = set()  # phases whose cue was read out in this set

    def __enter__(self) -> PlainDisplay:
        return self

    def __exit__(self, *exc: object) -> None:
        self._out.flush()

    def say(self, line: str) -> None:
        self._out.write(line + "\n")
        self._out.flush()

    def start(self, snapshot: Snapshot) -> None:
        minutes = max(1, round(snapshot.seconds_left / 60))
        self.say(f"Today: {snapshot.exercise_count} exercise(s), about {minutes} min.")
        self.say(f"Keys: {KEYS_HELP}.")
        self.say(f"Get ready: {snapshot.next_label} - starting in {snapshot.countdown} s")
        self._last_countdown = snapshot.countdown

    def event(self, event: Event, session: Session) -> None:
        line = self._line(event, session)
        if line:
            self.say(line)
        message = getattr(event, "message", None)
        if message:  # warnings print in order with the events that caused them
            self.say(message)
            self._last_message = message

    def _line(self, event: Event, session: Session) -> str | None:
        if isinstance(event, ExerciseStarted):
            each = " each side" if event.per_side else ""
            support = f" - support: {event.support}" if event.support else ""
            return f"{event.name}: {event.sets} set(s) of {event.measure}{each}{support}"
        if isinstance(event, SetStarted):
            self._cued.clear()
            side = f" - {event.side} side" if event.side else ""
            return f"{event.name} - set {event.set_number} of {event.sets}{side} - go"
        if isinstance(event, PhaseStarted):
            return self._phase_line(event)
        if isinstance(event, RepCompleted):
            return f"rep {event.rep}/{event.target}"
        if isinstance(event, RestStarted):
            return _rest_line(event)
        return "Resumed" if isinstance(event, Resumed) else None

    def _phase_line(self, event: PhaseStarted) -> str:
        """The cue once per set, then just the name, so the pace stays easy to follow."""
        if event.cue and event.name not in self._cued:
            self._cued.add(event.name)
            return f"{event.name} - {event.cue}"
        return event.name

    def saved(self, text: str) -> None:
        self.say(text)

    def show(self, snapshot: Snapshot, real_now: float) -> None:
        if snapshot.message != self._last_message:
            self._last_message = snapshot.message
            if snapshot.message:
                self.say(snapshot.message)
        self._countdown(snapshot)

    def _countdown(self, snapshot: Snapshot) -> None:
        shown, self._last_countdown = self._last_countdown, snapshot.countdown
        running = snapshot.mode in ("work", "rest", "get_ready")
        count = snapshot.countdown
        if running and count is not None and count != shown and count in PLAIN_COUNTDOWN_MARKS:
            self.say(f"{count} s left")

    def wait_hint(self, snapshot: Snapshot, real_now: float, speed: float) -> float | None:
        return None

    def bell(self) -> None:
        self._out.write("\a")
        self._out.flush()


def _rest_line(event: RestStarted) -> str:
    seconds = round(event.seconds)
    if event.next_label.endswith(" side") and " of " not in event.next_label:
        return f"Switch sides - {seconds} s - next: {event.next_label}"
    return f"Rest {seconds} s - next: {event.next_label}"


class _ScreenDisplay:
    """The Rich full screen, redrawn only when something visible changed: at most 10x a
    second for news (keys, phases, countdown), 5x a second for a bar that merely moves."""

    def __init__(self, screen: Any, view: Any) -> None:
        self._screen = screen
        self._view = view
        self._last_key: tuple[object, int] | None = None
        self._last_draw = -float("inf")
        self._pending: float | None = None  # frame interval of a redraw still owed

    def __enter__(self) -> _ScreenDisplay:
        self._screen.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._screen.__exit__(*exc)

    def start(self, snapshot: Snapshot) -> None:
        self.show(snapshot, -float("inf"))

    def event(self, event: Event, session: Session) -> None:
        pass  # the next frame shows everything an event changed

    def saved(self, text: str) -> None:
        pass

    def show(self, snapshot: Snapshot, real_now: float) -> None:
        key = self._view.frame_key(snapshot)
        if key == self._last_key:
            self._pending = None
            return
        news = self._last_key is None or key[0] != self._last_key[0]
        interval = FRAME_INTERVAL if news else ANIMATION_INTERVAL
        if real_now - self._last_draw < interval - FRAME_SLACK:
            self._pending = interval  # drawn on a later wake-up, within `interval`
            return
        self._screen.show(snapshot)
        self._last_key, self._last_draw, self._pending = key, real_now, None

    def wait_hint(self, snapshot: Snapshot, real_now: float, speed: float) -> float | None:
        hints = []
        if self._pending is not None:
            hints.append(self._pending - (real_now - self._last_draw))
        step = self._view.bar_step(snapshot)
        if step:
            hints.append(max(ANIMATION_INTERVAL, step / speed))
        return min(hints) if hints else None

    def bell(self) -> None:
        self._screen.bell()


# --- sound ------------------------------------------------------------------------------


def _speech_command() -> list[str] | None:
    """A text-to-speech program, if one is installed; the coach is silent otherwise."""
    if shutil.which("espeak-ng"):
        return ["espeak-ng", "-s", "160"]
    if shutil.which("say"):
        return ["say"]
    return None


class Speaker:
    """Bell and spoken phase names. Speech runs in its own process so it never blocks the
    clock; a word due while the last one is still being spoken is dropped, not queued."""

    def __init__(self, enabled: bool, bell: Callable[[], None]) -> None:
        self._enabled = enabled
        self._bell = bell
        self._command = _speech_command() if enabled else None
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Speaker:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def on_event(self, event: Event) -> None:
        if not self._enabled:
            return
        if isinstance(event, PhaseStarted):
            self.cue(event.name)
        elif isinstance(event, RestStarted):
            self.cue("Rest")

    def cue(self, word: str) -> None:
        self._bell()
        self._speak(word)

    def _speak(self, word: str) -> None:
        if self._command is None or self._busy():
            return
        try:
            self._process = subprocess.Popen(
                [*self._command, word],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,  # Ctrl-C is for the coach, not the voice
            )
        except OSError:
            self._command = None  # broken install: fall back to the bell alone

    def _busy(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def close(self) -> None:
        """Let the last word finish (it is short), then make sure no voice outlives us."""
        process, self._process = self._process, None
        if process is None:
            return
        try:
            process.wait(timeout=1.0)
        except subprocess.TimeoutExpired:
            process.terminate()
            process.wait()
