"""Finds heel landings in sound: float samples in, landings out, block by block.

A heel landing on a floor is a low, broadband thump: it starts abruptly, most of its
energy lies below the speech and music a small loudspeaker plays, and it dies away within
a fraction of a second. The detector follows two bands of a short-time spectrum - the
thump band and the band above it - against a running noise floor of each, and calls a
landing where the thump band jumps well above its floor, outweighs what rose in the band
above, and decays again. Steady sounds (mains hum, a fan) are taken off the thump and
voice bands bin by bin, so a hum inside them does not hide a soft landing, and a landing's
tail beating against a hum is not another landing; speech, typing, tones and music from a
loudspeaker carry their energy above the thump band; a reverberant tail decays instead of
rising; and nothing within a refractory time of a landing starts another, so two heels a
few milliseconds apart are one landing (an event that was not a landing holds nothing
back once it is decided). Two more bands weigh what rose: a hiss or a key's click (the
click band) does not count against a thump, and a deep voice close to the microphone,
whose pitch reaches into the thump band, rises more in its first harmonics than in its
pitch. And a voice stays voiced through its syllable while a thump dies away: an event
whose voice band still far outweighs its thump band a little later was a voice, unless
its thump rose far above the room; so, when its thump did not rise very far above the
room, was one whose thump is a small part of all that rose with it and weaker at its peak
than the voice band, one that stays louder in the voice band than in the thump band from
its peak on, and one that starts inside a loud sound, weaker at its peak than the voice
band.

Pure signal work: numpy arrays in, `Landing`s out, no clock and no device. The same
`LandingDetector` runs on a file (tests, `heelcoach listen`) and on a microphone.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from heelcoach.listening.landing import Landing

Samples = npt.NDArray[np.float32]

HOP_SECONDS = 0.01  # frames fine enough to place a contact well inside the accuracy goal
OFFSET_SECONDS = 0.04  # the moving mean taken off: its first null is the thump band's edge
WINDOW_SECONDS = 0.04  # long enough to resolve the thump band
THUMP_BAND = (25.0, 100.0)  # Hz: a heel on a floor; below a laptop or TV speaker's range
UPPER_BAND = (200.0, 4000.0)  # Hz: voices, keys, tones and most of any music
VOICE_BAND = (110.0, 400.0)  # Hz: where a voice's pitch and its first harmonics lie
CLICK_BAND = (1500.0, 4000.0)  # Hz: a key's click; a heel's click is a small part of it
FLOOR_SECONDS = 3.0  # the noise floor is a low percentile of this much recent sound
FLOOR_PERCENTILE = 20.0
FLOOR_EVERY = 10  # frames between floor updates: the floor moves slowly anyway
# What a bin of the voice band holds all the time (a hum's harmonics) is not voice: its
# lowest few percent, so a voice held through a sentence still counts as voice.
VOICE_STEADY_PERCENTILE = 2.0
# A thump must rise this far above the floor of its band (a factor of energy: 9 dB): low
# enough for a soft landing far from the microphone over a hum; the checks below, not this
# one, keep other sounds out.
ONSET_OVER_FLOOR = 10 ** (9 / 10)
# ... and this far above its own level just before (6 dB): an attack, not a swell.
ATTACK_RISE = 10 ** (6 / 10)
# At the onset frame the thump band's rise must be at least this share of the band
# above's (-15 dB: a heel's click may be louder than its thump, a key click's is not) ...
ONSET_SHARE = 0.03
# ... and at least this share (-25 dB) of all the band above holds over its floor: a soft
# thump under a loud tone still counts, the spectral splatter of a tone's start or end
# does not ...
BENEATH_SHARE = 10 ** (-25 / 10)
# ... and over the event frames it must hold at least this share (-15 dB) of all that
# rose below the click band: a voice, a beep or a hiss starting with a landing does not
# hide it, a voice alone, a beep's start or keys alone hold far less.
THUMP_SHARE = 0.03
# At its peak a thump stands this far (12 dB) above the band's level before it: a key
# click's splatter into the band does not ...
PEAK_RISE = 10 ** (12 / 10)
# ... or this far (8 dB) when at its peak it outweighs the voice band: a landing just after
# a syllable or a beep starts from that sound's tail, so it rises less above what came just
# before, while a click's broadband splatter fills the wider voice band more than the thump
# band.
PEAK_RISE_OVER_VOICE = 10 ** (8 / 10)
# At its peak a thump holds at least this share (-12 dB) of what rose in the voice band: a
# deep voice whose pitch reaches down into the thump band carries more in its first
# harmonics above it, while a steady tone there (a long beep) was there before the landing.
VOICE_SHARE = 10 ** (-12 / 10)
# A thump at least this share (-10 dB) of the band above's floor is heard above the room.
AUDIBLE_SHARE = 0.1
# A deep voice's pitch lies in the thump band, but a syllable carries most of what rises
# above it, and its first harmonics (the voice band) rise more than its pitch: when the
# thump band holds less than this share (-8 dB) of all that rose and the voice band rose
# more, it is a voice (unless its thump rose far above the room, below). A landing under a
# voice keeps more of the rise, or its thump outgrows the voice band.
VOICE_MIX_SHARE = 0.16
# A voice's pitch and harmonics last as long as its syllable, a thump dies away: when,
# a little after the onset (these frames), the thump band holds less than this share
# (-10 dB) of the voice band, what was heard was voiced ...
LATE_FRAMES = (8, 14)
LATE_THUMP_SHARE = 10 ** (-10 / 10)
# ... unless its thump stood this far (33 dB) above the band's floor: a firm landing under
# speech or beeps has a voice band as loud after it, but its thump rose far more than a
# voice close to the microphone raises the thump band.
SURE_OVER_FLOOR = 10 ** (33 / 10)
# The checks for a deep voice close to the microphone (the share above and the three
# below) hold only for a thump that rose less than this far (46 dB) above the thump band's
# floor: such a voice raises the band less than that over a quiet room, a firm landing or
# one near the microphone more, whatever its own overtones (a tile floor's ring in the
# voice band) or the voice or the beep over it.
VOICE_SURE_OVER_FLOOR = 10 ** (46 / 10)
# A thump that holds under this share (-7 dB) of all that rose with it, and is weaker at its
# peak than the voice band by this much (2 dB), came with a syllable. A landing under
# speech keeps more of the rise, or outweighs the voice band at its peak.
VOICE_LED_SHARE = 0.2
VOICE_LED_PEAK = 10 ** (-2 / 10)
# A voice that stays louder in the voice band than in the thump band both at the thump's
# peak (by 6 dB) and a little later (by 5 dB) was voiced all through.
VOICED_PEAK_SHARE = 10 ** (-6 / 10)
VOICED_LATE_SHARE = 10 ** (-5 / 10)
# A thump that starts while the band above already stands this far (37 dB) over its floor
# began inside a loud sound; when it is weaker at its peak than the voice band (by 1 dB),
# it was a syllable. A landing under beeps or speech outweighs the voice band at its peak.
AMID_UPPER_OVER_FLOOR = 10 ** (37 / 10)
AMID_PEAK_SHARE = 10 ** (-1 / 10)
EVENT_FRAMES = 8  # the onset and the frames after it that are weighed together
DECAY_FRAMES = 35  # by then the thump band must have fallen ...
DECAY_DROP = 10 ** (10 / 10)  # ... this far (10 dB) below its peak
REFRACTORY_SECONDS = 0.25  # nothing within this of a landing starts another one
# A landing's tail beating against a hum can rise again just after the refractory time:
# an event this soon after a landing and this much (15 dB) weaker is that tail.
TAIL_SECONDS = 0.5
TAIL_DROP = 10 ** (15 / 10)
ABSOLUTE_FLOOR = 3e-8  # -75 dB: below this the thump band counts as silent
ONSET_FRACTION = 0.25  # the contact is where the sound first reaches this share of its peak
ONSET_LOOKBACK_SECONDS = 0.06


class _Frame(NamedTuple):
    """One analysis frame: the energy of each band."""

    thump: float
    upper: float
    voice: float
    click: float


@dataclass
class _Candidate:
    onset: int  # frame index
    base: _Frame  # each band just before the onset
    rose: _Frame  # what rose in each band, summed over the event frames
    peak: float
    peak_frame: int
    voice_at_peak: float  # the voice band, in the frame of the thump's peak
    late_thump: float = 0.0  # the thump band, summed over the late frames
    late_voice: float = 0.0  # the voice band, summed over the late frames
    decayed: bool | None = None  # once known: whether the thump died away in time

    def add(self, now: _Frame) -> None:
        """Add what rose in this event frame over what each band held before."""
        self.rose = _Frame(
            *(
                total + max(0.0, level - base)
                for total, level, base in zip(self.rose, now, self.base, strict=True)
            )
        )

    def thump_share(self) -> float:
        """The thump band's share of all that rose in it and the band above."""
        return self.rose.thump / max(self.rose.thump + self.rose.upper, 1e-30)

    def share_below_click(self) -> float:
        """The thump band's share of what rose in it and the band above, leaving out the
        click band: a hiss or a key's click starting with a landing does not hide it."""
        below_click = max(0.0, self.rose.upper - self.rose.click)
        return self.rose.thump / max(self.rose.thump + below_click, 1e-30)

    def is_thump(self, floor_thump: float) -> bool:
        """Whether what rose is a thump, not a key click or a voice."""
        rose = self.rose
        return self.share_below_click() >= THUMP_SHARE and not (
            self.thump_share() < VOICE_MIX_SHARE
            and rose.thump < rose.voice
            and self.peak < VOICE_SURE_OVER_FLOOR * floor_thump
        )


class _SteadyLevel:
    """What each bin of a band holds steadily: a low percentile of its recent frames."""

    def __init__(self, frames: int, percentile: float) -> None:
        self._history: deque[npt.NDArray[np.float64]] = deque(maxlen=frames)
        self._percentile = percentile

    def less_steady(self, bins: npt.NDArray[np.float64]) -> npt.NDArray[np.float64]:
        """Per frame, the band's energy less what each of its bins holds steadily. Taken
        once a block: the steady level changes slowly, and a landing is too short to move
        it."""
        steady = np.zeros(bins.shape[1])
        if self._history:
            steady = np.percentile(self._history, self._percentile, axis=0)
        self._history.extend(bins)
        over: npt.NDArray[np.float64] = np.maximum(bins - steady, 0.0).sum(axis=1)
        return over


class LandingDetector:
    """Feed blocks of mono float samples with `feed`; call `flush` at the end of a file."""

    def __init__(self, rate: int) -> None:
        if rate < 8000:
            raise ValueError("a sample rate of at least 8000 Hz is needed")
        self.rate = rate
        self._hop = max(1, round(rate * HOP_SECONDS))
        self._nfft = 1 << math.ceil(math.log2(rate * WINDOW_SECONDS))
        self._window = np.hanning(self._nfft).astype(np.float32)
        freqs = np.fft.rfftfreq(self._nfft, 1 / rate)
        self._thump_bins = (freqs >= THUMP_BAND[0]) & (freqs <= THUMP_BAND[1])
        self._upper_bins = (freqs >= UPPER_BAND[0]) & (freqs <= UPPER_BAND[1])
        self._voice_bins = (freqs >= VOICE_BAND[0]) & (freqs <= VOICE_BAND[1])
        self._click_bins = (freqs >= CLICK_BAND[0]) & (freqs <= CLICK_BAND[1])
        self._scale = 1.0 / float(np.sum(self._window**2)) / self._nfft
        self._pending = np.zeros(0, dtype=np.float32)  # samples not yet framed
        self._offset_tail = np.zeros(round(rate * OFFSET_SECONDS), dtype=np.float32)
        self._pending_start = 0  # index of the first of them
        self._frame = 0  # index of the next frame
        history = round(FLOOR_SECONDS / HOP_SECONDS)
        self._thump_history: deque[float] = deque(maxlen=history)
        self._steady_thump = _SteadyLevel(history, FLOOR_PERCENTILE)
        self._steady_voice = _SteadyLevel(history, VOICE_STEADY_PERCENTILE)
        self._upper_history: deque[float] = deque(maxlen=history)
        # "Just before": the frames whose windows ended before this frame's began.
        self._recent: deque[_Frame] = deque(maxlen=self._nfft // self._hop + 3)
        self._floors = (ABSOLUTE_FLOOR, ABSOLUTE_FLOOR)
        self._candidate: _Candidate | None = None
        self._quiet_until = -1  # first frame after the refractory time
        self._raw: deque[Samples] = deque()
        self._raw_start = 0
        self._last_onset = math.inf  # once the sound has ended, no event starts
        self._last_landing: tuple[int, float] | None = None  # its onset frame and thump

    @property
    def noise_dbfs(self) -> float:
        """The noise a landing must rise above now, in dB against full scale: the floor
        of the thump band, or the share of the band above's that hides a thump."""
        return _db(max(self._floors[0], AUDIBLE_SHARE * self._floors[1]))

    def feed(self, block: Samples) -> list[Landing]:
        """Landings completed by this block, in order (each is decided a little after it)."""
        block = np.asarray(block, dtype=np.float32)
        self._raw.append(block)
        data = np.concatenate((self._pending, self._without_offset(block)))
        count = (len(data) - self._nfft) // self._hop + 1 if len(data) >= self._nfft else 0
        landings: list[Landing] = []
        if count > 0:
            for row in self._band_energies(data, count).tolist():
                landing = self._step(_Frame(*row))
                if landing is not None:
                    landings.append(landing)
        used = count * self._hop
        self._pending = data[used:]
        self._pending_start += used
        # Raw sound is kept as far back as the contact of the event under way may lie.
        c = self._candidate
        first = self._pending_start if c is None else c.onset * self._hop
        self._forget_before(first - round(self.rate * ONSET_LOOKBACK_SECONDS))
        return landings

    def flush(self) -> list[Landing]:
        """At the end of the sound: pad with silence so a last landing is decided."""
        tail = np.zeros(self._nfft + DECAY_FRAMES * self._hop, dtype=np.float32)
        # Where the sound stops, whatever was playing stops with a click: not a landing.
        end = self._pending_start + len(self._pending)
        self._last_onset = (end - self._nfft) // self._hop
        return self.feed(tail)

    # -- framing -------------------------------------------------------------------------

    def _without_offset(self, block: Samples) -> Samples:
        """The block less its moving mean: a DC offset, and the steps of one that comes
        and goes (synthetic speech has them; microphones filter them out), are not thumps."""
        joined = np.concatenate((self._offset_tail, block))
        total = np.cumsum(joined, dtype=np.float64)
        width = len(self._offset_tail)
        mean = (total[width:] - total[:-width]) / width
        self._offset_tail = joined[-width:]
        return (block - mean).astype(np.float32)

    def _band_energies(self, data: Samples, count: int) -> npt.NDArray[np.float64]:
        """Per frame: the energy of the thump, upper, voice and click bands; the thump and
        voice bands less what each of their bins holds steadily (mains hum sits in a few
        bins of both all the time, a landing or a voice fills them for a moment)."""
        frames = np.lib.stride_tricks.sliding_window_view(data, self._nfft)[:: self._hop][:count]
        spectrum = np.fft.rfft(frames * self._window, axis=1)
        power = (spectrum.real**2 + spectrum.imag**2).astype(np.float64) * self._scale
        thump = self._steady_thump.less_steady(power[:, self._thump_bins])
        voice = self._steady_voice.less_steady(power[:, self._voice_bins])
        upper = power[:, self._upper_bins].sum(axis=1)
        click = power[:, self._click_bins].sum(axis=1)
        return np.stack([thump, upper, voice, click], axis=1)

    def _forget_before(self, sample: int) -> None:
        """Keep raw sound only as far back as a coming onset may need, to place a
        landing's contact exactly."""
        while self._raw and self._raw_start + len(self._raw[0]) <= sample:
            self._raw_start += len(self._raw.popleft())

    # -- the decision, frame by frame ------------------------------------------------------

    def _step(self, now: _Frame) -> Landing | None:
        frame = self._frame
        self._frame += 1
        thump, upper = now.thump, now.upper
        self._track_floor(frame, thump, upper)
        floor_thump = self._floors[0]
        over = max(0.0, thump - floor_thump)
        # What each band held just before: a steady tone or hum under a landing is not
        # part of what rose with it.
        full = len(self._recent) > 1
        before = _Frame(*map(min, self._recent[0], self._recent[1])) if full else now
        self._recent.append(now)
        rise_upper = max(0.0, upper - before.upper)
        landing = self._follow(frame, now)
        if (
            self._candidate is None
            and self._quiet_until <= frame <= self._last_onset
            and over > ONSET_OVER_FLOOR * floor_thump
            and thump > ATTACK_RISE * max(before.thump, ABSOLUTE_FLOOR)
            and thump - before.thump > ONSET_SHARE * rise_upper
            and thump - before.thump > BENEATH_SHARE * max(0.0, upper - self._floors[1])
        ):
            self._candidate = _Candidate(
                frame, before, _Frame(0.0, 0.0, 0.0, 0.0), thump, frame, now.voice
            )
            self._candidate.add(now)
            self._quiet_until = frame + round(REFRACTORY_SECONDS / HOP_SECONDS)
        return landing

    def _track_floor(self, frame: int, thump: float, upper: float) -> None:
        # A landing in progress is not noise: its frames stay out of the floor.
        if self._candidate is None and frame >= self._quiet_until:
            self._thump_history.append(thump)
            self._upper_history.append(upper)
        if frame % FLOOR_EVERY == 0 and self._thump_history:
            self._floors = (
                max(ABSOLUTE_FLOOR, float(np.percentile(self._thump_history, FLOOR_PERCENTILE))),
                max(ABSOLUTE_FLOOR, float(np.percentile(self._upper_history, FLOOR_PERCENTILE))),
            )

    def _follow(self, frame: int, now: _Frame) -> Landing | None:
        """Weigh the landing under way: drop it at once if the band above outweighs it
        (so a key click or a syllable blocks nothing), else decide it once it decays."""
        c = self._candidate
        if c is None or frame == c.onset:
            return None
        if frame < c.onset + EVENT_FRAMES:
            c.add(now)
        elif frame == c.onset + EVENT_FRAMES and not c.is_thump(self._floors[0]):
            self._candidate = None
            self._quiet_until = frame
            return None
        if c.onset + LATE_FRAMES[0] <= frame < c.onset + LATE_FRAMES[1]:
            c.late_thump += now.thump
            c.late_voice += now.voice
        if c.decayed is None:
            if now.thump > c.peak:
                c.peak, c.peak_frame, c.voice_at_peak = now.thump, frame, now.voice
            decayed = now.thump * DECAY_DROP < c.peak
            if frame >= c.onset + EVENT_FRAMES and (
                decayed or frame >= c.peak_frame + DECAY_FRAMES
            ):
                c.decayed = decayed
        if c.decayed is None or frame < c.onset + LATE_FRAMES[1]:
            return None
        self._candidate = None
        if self._is_tail(c) or not self._is_landing(c):
            # Only a landing owns the refractory time: a voice, a beep or a beat that
            # started an event must not hide the heels that land just after it.
            self._quiet_until = frame
            return None
        self._last_landing = (c.onset, c.rose.thump)
        return Landing(self._contact(c.peak_frame), _db(c.rose.thump))

    def _is_tail(self, c: _Candidate) -> bool:
        """Whether the event is the tail of the landing just before it."""
        last = self._last_landing
        return (
            last is not None
            and c.onset - last[0] < round(TAIL_SECONDS / HOP_SECONDS)
            and c.rose.thump * TAIL_DROP < last[1]
        )

    def _is_landing(self, c: _Candidate) -> bool:
        """Whether a decided event was a landing: it died away, was heard above the room
        (not far below the floor of the band above: music, a TV), and was not a voice."""
        floor_thump, floor_upper = self._floors
        rise = PEAK_RISE_OVER_VOICE if c.peak > c.voice_at_peak else PEAK_RISE
        audible = (
            c.peak > AUDIBLE_SHARE * floor_upper
            and c.peak > rise * c.base.thump
            and c.peak > VOICE_SHARE * max(0.0, c.voice_at_peak - c.base.voice)
        )
        voiced_later = (
            c.late_thump < LATE_THUMP_SHARE * c.late_voice
            and c.peak < SURE_OVER_FLOOR * floor_thump
        )
        voiced_throughout = (
            c.peak < VOICED_PEAK_SHARE * c.voice_at_peak
            and c.late_thump < VOICED_LATE_SHARE * c.late_voice
        )
        led_by_voice = (
            c.thump_share() < VOICE_LED_SHARE and c.peak < VOICE_LED_PEAK * c.voice_at_peak
        )
        amid_voice = (
            c.base.upper > AMID_UPPER_OVER_FLOOR * floor_upper
            and c.peak < AMID_PEAK_SHARE * c.voice_at_peak
        )
        close_voice = c.peak < VOICE_SURE_OVER_FLOOR * floor_thump and (
            voiced_throughout or led_by_voice or amid_voice
        )
        return bool(c.decayed) and audible and not (voiced_later or close_voice)

    def _contact(self, peak: int) -> float:
        """Seconds to the heel contact: where the low-passed sound just before and in the
        frame of the thump's peak first reaches a share of its peak. A frame alone is only
        as exact as its window; low-passed, a voice or a beat under the landing does not
        move it; and from the peak, not the onset, a beat or a syllable that started the
        event a little before the heels does not either."""
        start = peak * self._hop
        lo = max(self._raw_start, start - round(self.rate * ONSET_LOOKBACK_SECONDS))
        hi = start + self._nfft
        raw = np.concatenate(tuple(self._raw))
        piece = raw[lo - self._raw_start : hi - self._raw_start]
        width = max(1, round(self.rate / THUMP_BAND[1] / 2))
        low = np.abs(np.convolve(piece, np.ones(width) / width, mode="same"))
        envelope = np.convolve(low, np.ones(width) / width, mode="same")
        first = int(np.argmax(envelope >= ONSET_FRACTION * float(envelope.max())))
        return (lo + first) / self.rate


def _db(energy: float) -> float:
    return 10 * math.log10(max(energy, 1e-20))


def landings_in(samples: Samples, rate: int, block_seconds: float = 1.0) -> list[Landing]:
    """Every landing in a whole recording, fed in blocks as a microphone would."""
    detector = LandingDetector(rate)
    step = max(1, round(rate * block_seconds))
    found: list[Landing] = []
    for start in range(0, len(samples), step):
        found += detector.feed(samples[start : start + step])
    return found + detector.flush()
