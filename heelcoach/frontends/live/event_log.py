"""`--events FILE`: one JSON object a line for every session event, flushed as it happens
(the format is in the README)."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from enum import Enum
from typing import IO

from heelcoach.content.model import Phase
from heelcoach.domain.session.model import Event, NextUp, SessionItem, SetFinished

# Fields that are the engine's bookkeeping, not news: monotonic times and list positions.
_SKIP = {"started", "ended", "set_index"}


def _value(value: object) -> object:
    if isinstance(value, SessionItem):
        return {"exercise": value.exercise, "name": value.name}
    if isinstance(value, NextUp):
        return {
            "exercise": value.item.exercise,
            "name": value.item.name,
            "set": value.set_number,
            "side": value.side,
        }
    if isinstance(value, Phase):
        return {"phase": value.name, "seconds": value.seconds}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, float):
        return round(value, 3)
    if isinstance(value, tuple):
        return [_value(part) for part in value]
    return value


def record(event: Event) -> dict[str, object]:
    """The event as a flat JSON-ready object (item and phase fields are merged in)."""
    kind = re.sub(r"(?<!^)(?=[A-Z])", "_", type(event).__name__).lower()  # set_started
    out: dict[str, object] = {"event": kind}
    for item in dataclasses.fields(event):
        if item.name in _SKIP:
            continue
        value = _value(getattr(event, item.name))
        if isinstance(value, dict) and item.name in ("item", "phase"):
            out.update(value)
        else:
            out[item.name] = value
    return out


class EventLog:
    """Writes one session's events; a write that fails (a full disk, a FIFO whose reader went
    away) stops the events, never the session, and `stopped` says why."""

    def __init__(
        self, stream: IO[str], origin: float, *, wall: Callable[[], datetime] | None = None
    ) -> None:
        self._stream = stream
        self._origin = origin
        self._wall = wall or (lambda: datetime.now(UTC))
        self.stopped = ""

    def _write(self, fields: dict[str, object], now: float) -> None:
        if self.stopped:
            return
        line = {"t": round(now - self._origin, 3), "time": self._wall().isoformat(), **fields}
        try:
            self._stream.write(json.dumps(line) + "\n")
            self._stream.flush()
        except OSError as error:
            self.stopped = error.strerror or str(error)

    def start(self, items: Sequence[SessionItem], speed: float, planned: float) -> None:
        shown = ("exercise", "name", "sets", "first_set", "reps", "seconds", "per_side")
        exercises = [{name: getattr(item, name) for name in shown} for item in items]
        fields: dict[str, object] = {"event": "session", "demo": speed != 1.0, "speed": speed}
        fields.update(planned_seconds=round(planned, 3), exercises=exercises)
        self._write(fields, self._origin)

    def event(self, event: Event, now: float, *, saved: bool = False) -> None:
        fields = record(event)
        if isinstance(event, SetFinished):
            fields["saved"] = saved
        self._write(fields, now)

    def ended(self, reason: str, now: float) -> None:
        """The last line when the run ends without the engine's own end (Ctrl-C)."""
        self._write({"event": "session_ended", "reason": reason}, now)
