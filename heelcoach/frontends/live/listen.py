"""The listening counter in a live session: sound feed -> detector -> `Listening`.

The runner calls `poll` on every wake-up: the sound heard since the last call goes
through the detector, each landing enters the session's `Listening` state machine on the
session clock, and while the person gets into position the room's noise is measured.
What comes back is coaching (`Coaching`) for the runner to show and say.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from heelcoach.domain.session.listening import Coaching, Listening
from heelcoach.listening.landing import Landing

if TYPE_CHECKING:
    from heelcoach.frontends.audio import Recorder, SoundFeed

POLL_SECONDS = 0.1  # hear new sound at least this often


class LiveListener:
    """Listens from `origin` on the session clock; the feed's seconds are its seconds."""

    def __init__(
        self, feed: SoundFeed, listening: Listening, recorder: Recorder | None = None
    ) -> None:
        from heelcoach.listening.detect import LandingDetector

        self.listening = listening
        self._feed = feed
        self._detector = LandingDetector(feed.rate)
        self._recorder = recorder
        self._origin: float | None = None

    def start(self, origin: float) -> None:
        self._origin = origin

    def poll(self, now: float) -> list[Coaching]:
        if self._origin is None:
            self.start(now)
        origin = self._origin or 0.0
        found: list[Landing] = []
        for block in self._feed.take(now - origin):
            if self._recorder is not None:
                self._recorder.write(block)
            found += self._detector.feed(block)
        coaching: list[Coaching] = []
        for landing in found:
            coaching += self.listening.heard(Landing(origin + landing.t, landing.level_dbfs))
        return coaching + self.listening.room(self._detector.noise_dbfs, now)

    def close(self) -> None:
        self._feed.close()
        if self._recorder is not None:
            self._recorder.close()
