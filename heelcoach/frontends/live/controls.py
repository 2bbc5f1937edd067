"""Keys for the live session: how a key is named, the command it means in each state, the
pain prompt's digits, and the hints shown. Every key reader names keys with `key_name`."""

from __future__ import annotations

from dataclasses import dataclass

from heelcoach.domain.session.engine import MAX_PAIN
from heelcoach.domain.session.model import (
    Action,
    Activity,
    AnswerNext,
    Command,
    Hold,
    ReportPain,
    Snapshot,
)

ENTER, ESCAPE, BACKSPACE, SPACE = "enter", "escape", "backspace", " "
RESIZE = "resize"  # not a key: the terminal changed size (SIGWINCH), so redraw
# Raw characters, and names some key sources use, for the names above.
_ALIASES = {
    "\r": ENTER,
    "\n": ENTER,
    "return": ENTER,
    "\x1b": ESCAPE,
    "esc": ESCAPE,
    "\x7f": BACKSPACE,
    "\x08": BACKSPACE,
    "space": SPACE,
}

PAIN_PROBLEM = "Pain must be a whole number from 0 to 10: try again."
# For --help and the plain start line: the keys of a running set.
KEYS_HELP = (
    "space pause, n finish the set (in a rest: end it), s skip the exercise, p report pain "
    "0-10, ! chest pain or dizziness (stops everything), q quit"
)


def key_name(char: str) -> str | None:
    """A typed character's name in the key map, lower case so Caps Lock changes nothing."""
    named = _ALIASES.get(char, _ALIASES.get(char.lower()))
    if named is not None:
        return named
    if char in (ENTER, ESCAPE, BACKSPACE, RESIZE):
        return char
    if len(char) != 1 or not char.isprintable():
        return None
    return char.lower()


@dataclass(frozen=True)
class KeyHint:
    key: str
    label: str
    rank: int  # lower is kept longer when the window is narrow


_QUIT = KeyHint("q", "quit", 0)
_STOP = KeyHint("!", "chest pain/dizzy", 1)
_PAUSE = KeyHint("space", "pause", 2)
_PAIN = KeyHint("p", "pain", 3)
_SKIP = KeyHint("s", "skip", 5)
_FINISH = {
    Activity.WORK: KeyHint("n", "finish set", 4),
    Activity.REST: KeyHint("n", "end rest", 4),
    Activity.SWITCH: KeyHint("n", "end rest", 4),
    Activity.POSITION: KeyHint("enter", "start now", 1),
}


def hints(snapshot: Snapshot) -> tuple[KeyHint, ...]:
    """The keys that do something now, in the order they are shown."""
    if snapshot.activity is Activity.DONE:
        return ()
    if snapshot.hold is Hold.PAIN:
        return (
            KeyHint("0-10", "pain", 2),
            KeyHint("enter", "save", 0),
            KeyHint("esc", "cancel", 3),
            _STOP,
        )
    if snapshot.hold is Hold.QUIT:
        return (KeyHint("y", "quit", 0), KeyHint("other keys", "keep going", 2), _STOP)
    if snapshot.hold is Hold.ASK:
        return (KeyHint("y", "do it", 0), KeyHint("other keys", "skip it", 2), _STOP)
    if snapshot.hold is Hold.READY:
        return (KeyHint("enter", "ready", 0), _SKIP, _PAIN, _STOP, _QUIT)
    pause = KeyHint("space", "resume", 2) if snapshot.hold is Hold.PAUSED else _PAUSE
    return (pause, _FINISH[snapshot.activity], _SKIP, _PAIN, _STOP, _QUIT)


class Controller:
    """Turns keys into engine commands, holding the pain prompt's digits and problem."""

    def __init__(self) -> None:
        self.pain_typed = ""
        self.problem: str | None = None

    def commands(self, key: str, snapshot: Snapshot) -> list[Command]:
        named = key_name(key)
        if named is None or named == RESIZE or snapshot.activity is Activity.DONE:
            return []
        if named == "!":  # the emergency stop works from every screen, questions included
            return [Action.EMERGENCY]
        hold = snapshot.hold
        if hold is Hold.PAIN:
            return self._pain_key(named)
        if hold is Hold.QUIT:
            return [Action.CONFIRM_QUIT] if named == "y" else [Action.RESUME]
        if hold is Hold.ASK:
            return [AnswerNext(named == "y")]
        self.problem = None
        return self._main_key(named, snapshot)

    def _main_key(self, key: str, snapshot: Snapshot) -> list[Command]:
        if key == SPACE:
            return [Action.RESUME if snapshot.hold is Hold.PAUSED else Action.PAUSE]
        if key == ENTER:
            return [Action.END_GET_READY] if snapshot.activity is Activity.POSITION else []
        if key == "p":
            self.pain_typed = ""
            return [Action.ASK_PAIN]
        simple: dict[str, Command] = {"n": Action.FINISH_SET, "s": Action.SKIP, "q": Action.QUIT}
        return [simple[key]] if key in simple else []

    def _pain_key(self, key: str) -> list[Command]:
        if key in (ESCAPE, "p"):
            self.pain_typed, self.problem = "", None
            return [Action.RESUME]
        if key.isdecimal() and len(key) == 1 and key.isascii():
            if len(self.pain_typed) < 2:
                self.pain_typed += key
        elif key == BACKSPACE:
            self.pain_typed = self.pain_typed[:-1]
        elif key == ENTER:
            return self._submit()
        return []

    def _submit(self) -> list[Command]:
        typed, self.pain_typed = self.pain_typed, ""
        if not typed or int(typed) > MAX_PAIN:
            self.problem = PAIN_PROBLEM
            return []
        self.problem = None
        return [ReportPain(int(typed))]


@dataclass(frozen=True)
class Frame:
    snapshot: Snapshot
    keys: tuple[KeyHint, ...] = ()
    pain_typed: str | None = None  # the digits typed at the pain prompt
    problem: str | None = None  # a bad pain number, shown until the next key
    saved: str | None = None  # "Set 1 saved: 10 reps", from the caller that stored it
    demo: float | None = None  # the speed of a demo run (nothing is saved)
    heard: str | None = None  # the listening counter: "heard 7 / 10"
    listening: str | None = None  # its latest coaching: "Land firmer: ..."
