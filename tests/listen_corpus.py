"""A simulated corpus for the listening counter: every clip is synthesized, none recorded.

Landings are modelled as a heel on a floor sounds: a damped low resonance (the floor and
the body) with a short broadband click at contact, shaped by the floor (wood, tile,
carpet), the second heel a few milliseconds after the first, at firm, soft or hard
strength. Each clip places them in a room simulated with pyroomacoustics (a shoebox
room at a given reverberation time, the microphone at a given distance) and mixes in one
distractor: speech-like voices, typing, the coach's beeps, a television, mains hum, music
with a beat (played through a small loudspeaker), or nothing. Clips without any landing
hold a distractor alone.

All of it is deterministic from a seed, so a tuning part (seeds below `HELD_OUT_FROM`)
and a held-out part (seeds from it) never share a clip; bench/listen.py says which seeds
each part holds. The truth of each clip (contact times, which landings are soft or hard)
comes with it.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
import numpy.typing as npt

RATE = 16000
# Seeds from here on are the held-out part; every seed below it may be used for tuning
# (bench/listen.py: seeds 100000-, then 200000-, 300000-, 400000-, 500000- to 700000- and
# 800000- to 1000000- were held out before, and are now tuning material).
HELD_OUT_FROM = 1_100_000
FLOORS = ("wood", "tile", "carpet")
ROOMS = (0.25, 0.45, 0.7)  # RT60 seconds: a furnished room to a bare, echoing one
DISTANCES = (0.8, 1.6, 2.8)  # metres from the heels to the microphone
DISTRACTORS = ("none", "speech", "typing", "beeps", "tv", "hum", "music")
# A deep voice (its pitch in the thump band) speaking close to the microphone, not through
# a loudspeaker: drawn for no clip, added to the corpus as clips of their own.
CLOSE_VOICE = "close-voice"
CLOSE_VOICE_METRES = 0.4
EXERCISES = ("heel-drop", "heel-jump")
Audio = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Clip:
    name: str
    audio: npt.NDArray[np.float32]
    rate: int
    contacts: tuple[float, ...]  # seconds to each heel contact
    soft: tuple[bool, ...]
    hard: tuple[bool, ...]
    exercise: str


# --------------------------------------------------------------------------- landings

# (resonance Hz, its decay s, click share, click low-pass Hz) per floor
FLOOR_SOUND = {
    "wood": ((55.0, 75.0), 0.05, 0.25, 6000.0),
    "tile": ((70.0, 95.0), 0.035, 0.45, 8000.0),
    "carpet": ((40.0, 60.0), 0.07, 0.06, 1500.0),
}


def heel(rng: np.random.Generator, floor: str, seconds: float = 0.4) -> Audio:
    """One heel's sound on `floor`, peak about 1."""
    (lo, hi), decay, click_share, click_top = FLOOR_SOUND[floor]
    t = np.arange(int(seconds * RATE)) / RATE
    f0 = rng.uniform(lo, hi)
    tau = decay * rng.uniform(0.8, 1.25)
    attack = np.minimum(1.0, t / 0.002)
    body = np.sin(2 * np.pi * f0 * t) + 0.35 * np.sin(2 * np.pi * 2.1 * f0 * t + 1.0)
    thump = attack * np.exp(-t / tau) * body
    n_click = int(0.006 * RATE)
    click = rng.standard_normal(n_click) * np.exp(-np.arange(n_click) / (0.0015 * RATE))
    click = lowpass(click, click_top)
    thump[:n_click] += click_share * 3 * click
    return thump / np.max(np.abs(thump))


def landing(
    rng: np.random.Generator, floor: str, gain: float, heels_apart: float | None = None
) -> Audio:
    """Two heels, the second 0-15 ms (or `heels_apart` s) after the first, a little weaker."""
    first = heel(rng, floor)
    lag = int((rng.uniform(0.0, 0.015) if heels_apart is None else heels_apart) * RATE)
    second = heel(rng, floor) * rng.uniform(0.6, 1.0)
    out = np.zeros(len(first) + lag)
    out[: len(first)] += first
    out[lag:] += second
    # Strength is the energy of the impact (its RMS over the thump), not its peak.
    return gain * 0.25 * out / np.sqrt(np.mean(out[: int(0.1 * RATE)] ** 2))


def scuff(rng: np.random.Generator) -> Audio:
    """The scrape of a jump's take-off: a short burst of high-frequency friction noise."""
    n = int(rng.uniform(0.04, 0.09) * RATE)
    noise = highpass(rng.standard_normal(n), 1500.0)
    return 0.15 * noise * np.hanning(n)


# --------------------------------------------------------------------------- distractors


def speech(
    rng: np.random.Generator, seconds: float, f0: float | None = None, close: bool = False
) -> Audio:
    """Speech-like sound: voiced syllables (a pitch with formants) and fricatives. `close`
    to the microphone: its lowest harmonics are lifted (the proximity effect) and some
    syllables start abruptly, as after a "p", "b" or "d"."""
    out = np.zeros(int(seconds * RATE))
    pos = int(rng.uniform(0, 0.3) * RATE)
    base = f0 or rng.uniform(95, 220)
    while pos < len(out):
        n = int(rng.uniform(0.12, 0.3) * RATE)
        t = np.arange(n) / RATE
        pitch = base * (1 + 0.08 * np.sin(2 * np.pi * rng.uniform(2, 5) * t))
        phase = 2 * np.pi * np.cumsum(pitch) / RATE
        formants = list(rng.uniform([400, 1000, 2300], [800, 1800, 3000]))
        if close:
            formants.append(base * 2.0)
        voice = sum(
            np.sin(k * phase) * sum(np.exp(-(((k * base - f) / 120) ** 2)) for f in formants)
            + 0.05 * np.sin(k * phase) / k
            for k in range(1, 30)
        )
        envelope = np.hanning(n)
        if close and rng.random() < 0.5:
            envelope = np.minimum(1.0, t / 0.004) * np.hanning(2 * n)[n:]
        syllable = voice * envelope
        if rng.random() < 0.3:
            syllable += 0.2 * highpass(rng.standard_normal(n), 3000.0) * np.hanning(n)
        end = min(len(out), pos + n)
        out[pos:end] += syllable[: end - pos]
        pos = end + int(rng.choice([0.02, 0.05, 0.25, 0.5]) * RATE)
    return normalise(out)


def deep_voice(rng: np.random.Generator, seconds: float) -> Audio:
    """A deep voice, its pitch low enough that its fundamental lies in the thump band."""
    return speech(rng, seconds, f0=rng.uniform(70.0, 100.0), close=True)


def typing(rng: np.random.Generator, seconds: float) -> Audio:
    out = np.zeros(int(seconds * RATE))
    pos = 0
    while True:
        pos += int(rng.uniform(0.08, 0.35) * RATE)
        if pos + 400 >= len(out):
            break
        n = int(0.012 * RATE)
        key = bandpass(rng.standard_normal(n), 1000.0, 6000.0) * np.exp(-np.arange(n) / 40)
        t = np.arange(n) / RATE
        key += 0.3 * np.sin(2 * np.pi * rng.uniform(250, 400) * t) * np.exp(-t / 0.004)
        out[pos : pos + n] += key * rng.uniform(0.5, 1.0)
    return normalise(out)


def beeps(rng: np.random.Generator, seconds: float) -> Audio:
    """The coach's tones (frontends.live.sound.TONES) at random moments."""
    notes = [
        ((1000.0, 0.06),),
        ((660.0, 0.09), (990.0, 0.14)),
        ((880.0, 0.07), (0, 0.05), (880.0, 0.07)),
        ((330.0, 0.45),),
    ]
    out = np.zeros(int(seconds * RATE))
    pos = 0
    while True:
        pos += int(rng.uniform(0.6, 2.0) * RATE)
        tone = np.concatenate([note(f, s) for f, s in notes[rng.integers(len(notes))]])
        if pos + len(tone) >= len(out):
            break
        out[pos : pos + len(tone)] += tone
    return normalise(out)


def note(freq: float, seconds: float) -> Audio:
    t = np.arange(int(seconds * RATE)) / RATE
    edge = np.minimum(1.0, np.minimum(t, seconds - t) / 0.005)
    return np.sin(2 * np.pi * freq * t) * edge if freq else np.zeros_like(t)


def hum(rng: np.random.Generator, seconds: float) -> Audio:
    mains = rng.choice([50.0, 60.0])
    t = np.arange(int(seconds * RATE)) / RATE
    out = sum(
        a * np.sin(2 * np.pi * k * mains * t + rng.uniform(0, 6))
        for k, a in ((1, 1.0), (2, 0.5), (3, 0.3), (5, 0.1))
    )
    return normalise(out + 0.02 * rng.standard_normal(len(t)))


def music(rng: np.random.Generator, seconds: float) -> Audio:
    """A beat (kick, snare, hi-hat), a bass line and chords, through a small loudspeaker."""
    n = int(seconds * RATE)
    out = np.zeros(n)
    beat = 60 / rng.uniform(90, 135)
    t = np.arange(int(0.3 * RATE)) / RATE
    kick = np.sin(2 * np.pi * (50 + 80 * np.exp(-t / 0.03)) * t) * np.exp(-t / 0.08)
    snare = highpass(rng.standard_normal(len(t)), 800.0) * np.exp(-t / 0.05)
    hat = highpass(rng.standard_normal(len(t)), 6000.0) * np.exp(-t / 0.01) * 0.3
    roots = rng.choice([110.0, 130.8, 146.8, 164.8], size=4)
    i = 0
    while (pos := int(i * beat / 2 * RATE)) + len(t) < n:
        if i % 2 == 0:
            out[pos : pos + len(t)] += kick if i % 4 == 0 else snare * 0.6
        out[pos : pos + len(t)] += hat
        root = roots[(i // 8) % 4]
        tb = np.arange(int(beat / 2 * RATE)) / RATE
        chord = sum(np.sin(2 * np.pi * root * r * 2 * tb) for r in (1, 1.26, 1.5)) * 0.15
        bass = np.sin(2 * np.pi * root / 2 * tb) * 0.4
        end = min(n, pos + len(tb))
        out[pos:end] += (chord + bass)[: end - pos]
        i += 1
    return normalise(loudspeaker(out))


def tv(rng: np.random.Generator, seconds: float) -> Audio:
    return normalise(loudspeaker(speech(rng, seconds) + 0.5 * music(rng, seconds)))


def loudspeaker(x: Audio) -> Audio:
    """A television's or laptop's speaker: little below about 180 Hz."""
    return highpass(highpass(x, 180.0), 180.0)


DISTRACTOR_SOUND = {
    "speech": speech,
    "typing": typing,
    "beeps": beeps,
    "tv": tv,
    "hum": hum,
    "music": music,
    CLOSE_VOICE: deep_voice,
}
# Level of each distractor's peak against a firm landing's peak at the microphone.
DISTRACTOR_LEVEL = {
    "speech": 0.5,
    "typing": 0.3,
    "beeps": 0.3,
    "tv": 0.4,
    "hum": 0.05,
    "music": 0.4,
    CLOSE_VOICE: 0.125,  # as loud at the microphone as the speech above
}


# --------------------------------------------------------------------------- filters


def _spectral(x: Audio, keep: npt.NDArray[np.float64]) -> Audio:
    return np.fft.irfft(np.fft.rfft(x) * keep, len(x))


def _freqs(x: Audio) -> npt.NDArray[np.float64]:
    return np.fft.rfftfreq(len(x), 1 / RATE)


def lowpass(x: Audio, hz: float) -> Audio:
    f = _freqs(x)
    return _spectral(x, 1 / np.sqrt(1 + (f / hz) ** 4))


def highpass(x: Audio, hz: float) -> Audio:
    f = _freqs(x)
    return _spectral(x, 1 / np.sqrt(1 + (hz / np.maximum(f, 1e-9)) ** 4))


def bandpass(x: Audio, lo: float, hi: float) -> Audio:
    return lowpass(highpass(x, lo), hi)


def normalise(x: Audio) -> Audio:
    peak = np.max(np.abs(x))
    return x / peak if peak > 0 else x


# --------------------------------------------------------------------------- rooms


@cache
def room_response(rt60: float, distance: float) -> Audio:
    """The impulse response from the floor to a microphone `distance` away, in a 5 x 4 x
    2.7 m room with that reverberation time (pyroomacoustics, image sources)."""
    import pyroomacoustics as pra

    size = [5.0, 4.0, 2.7]
    absorption, order = pra.inverse_sabine(rt60, size)
    room = pra.ShoeBox(size, fs=RATE, materials=pra.Material(absorption), max_order=min(order, 12))
    room.add_source([1.2, 2.0, 0.02])
    room.add_microphone([1.2 + distance, 2.0, 0.9])
    room.compute_rir()
    rir = np.asarray(room.rir[0][0], dtype=np.float64)
    return rir / np.max(np.abs(rir))


def in_room(dry: Audio, rt60: float, distance: float) -> Audio:
    rir = room_response(rt60, distance)
    size = len(dry) + len(rir) - 1
    wet = np.fft.irfft(np.fft.rfft(dry, size) * np.fft.rfft(rir, size), size)
    return wet[: len(dry)]


# --------------------------------------------------------------------------- clips


def clip(
    seed: int,
    *,
    with_landings: bool = True,
    seconds: float = 20.0,
    distractor: str | None = None,
    exercise: str | None = None,
    rt60: float | None = None,
    distance: float | None = None,
) -> Clip:
    """One clip from `seed`: a set of landings (or none) with one distractor; the named
    choices are fixed, the others drawn from the seed."""
    rng = np.random.default_rng(seed)
    floor = FLOORS[rng.integers(len(FLOORS))]
    drawn_rt60 = ROOMS[rng.integers(len(ROOMS))]
    rt60 = drawn_rt60 if rt60 is None else rt60
    drawn_distance = DISTANCES[rng.integers(len(DISTANCES))]
    distance = drawn_distance if distance is None else distance
    drawn = DISTRACTORS[
        rng.integers(len(DISTRACTORS)) if with_landings else 1 + rng.integers(len(DISTRACTORS) - 1)
    ]
    distractor = drawn if distractor is None else distractor
    drawn_exercise = EXERCISES[rng.integers(len(EXERCISES))]
    exercise = drawn_exercise if exercise is None else exercise
    n = int(seconds * RATE)
    dry = np.zeros(n)
    contacts: list[float] = []
    soft: list[bool] = []
    hard: list[bool] = []
    if with_landings:
        contacts, soft, hard = _set_of_landings(rng, dry, floor, exercise)
    wet = in_room(dry, rt60, distance)
    # The level at the microphone falls with distance; the distractor is where it is.
    wet *= 0.5 / distance
    if distractor != "none":
        noise = DISTRACTOR_SOUND[distractor](rng, seconds)
        away = CLOSE_VOICE_METRES if distractor == CLOSE_VOICE else 1.6
        wet += DISTRACTOR_LEVEL[distractor] * 0.5 / away * in_room(noise, rt60, away)
    wet += 10 ** (-70 / 20) * rng.standard_normal(n)  # the microphone's own hiss
    wet = wet / max(1.0, float(np.max(np.abs(wet))) / 0.9)
    name = (
        f"{seed}-{exercise}-{floor}-rt{rt60}-{distance}m-{distractor}"
        f"{'' if with_landings else '-no-landings'}"
    )
    return Clip(
        name, wet.astype(np.float32), RATE, tuple(contacts), tuple(soft), tuple(hard), exercise
    )


def _set_of_landings(
    rng: np.random.Generator, dry: Audio, floor: str, exercise: str
) -> tuple[list[float], list[bool], list[bool]]:
    """Fill `dry` with one set: heel drops every ~3 s (a few soft) or heel jumps every
    ~1.5 s (a few hard, each after a take-off scuff)."""
    jump = exercise == "heel-jump"
    period = 1.5 if jump else 3.0
    contacts: list[float] = []
    soft: list[bool] = []
    hard: list[bool] = []
    t = rng.uniform(0.8, 1.5)
    while t + 1.0 < len(dry) / RATE:
        kind = rng.random()
        is_soft = not jump and kind < 0.2
        is_hard = jump and kind < 0.15
        db = rng.uniform(-1.5, 1.5)
        if is_soft:
            db = rng.uniform(-16.0, -10.0)
        if is_hard:
            db = rng.uniform(8.0, 12.0)
        sound = landing(rng, floor, 10 ** (db / 20))
        start = int(t * RATE)
        end = min(len(dry), start + len(sound))
        dry[start:end] += sound[: end - start]
        if jump:
            s = scuff(rng)
            at = start - int(rng.uniform(0.3, 0.45) * RATE)
            dry[at : at + len(s)] += s
        contacts.append(t)
        soft.append(is_soft)
        hard.append(is_hard)
        t += period * rng.uniform(0.9, 1.1)
    return contacts, soft, hard


def corpus(first_seed: int, count: int, *, seconds: float = 20.0) -> list[Clip]:
    """`count` clips with landings and, from the following seeds, `count` without; then
    an eighth as many again of each with a deep voice close to the microphone."""
    voices = max(1, count // 8)
    return (
        [clip(first_seed + i, seconds=seconds) for i in range(count)]
        + [
            clip(first_seed + 2 * count + i, seconds=seconds, distractor=CLOSE_VOICE)
            for i in range(voices)
        ]
        + [clip(first_seed + count + i, with_landings=False, seconds=seconds) for i in range(count)]
        + [
            clip(
                first_seed + 2 * count + voices + i,
                with_landings=False,
                seconds=seconds,
                distractor=CLOSE_VOICE,
            )
            for i in range(voices)
        ]
    )


def hard_cases(first_seed: int, count: int, *, seconds: float = 20.0) -> list[Clip]:
    """More of what is hardest to hear right, for tuning: `count` sets of heel drops (a
    few soft) at the far distance, each under one of the distractors in turn, and `count`
    clips of a deep voice close to the microphone with no landing."""
    distractors = DISTRACTORS[1:]
    return [
        clip(
            first_seed + i,
            seconds=seconds,
            distractor=distractors[i % len(distractors)],
            exercise="heel-drop",
            distance=DISTANCES[-1],
        )
        for i in range(count)
    ] + [
        clip(first_seed + count + i, with_landings=False, seconds=seconds, distractor=CLOSE_VOICE)
        for i in range(count)
    ]


# --------------------------------------------------------------------------- scoring

TOLERANCE = 0.15  # a landing found this close to its contact counts as found


@dataclass
class Score:
    landings: int = 0  # true landings
    heard: int = 0  # landings the detector reported, in clips with landings
    found: int = 0  # true landings matched within TOLERANCE
    false_in_empty: int = 0  # landings reported in clips without any
    soft_true_pos: int = 0
    soft_false_pos: int = 0
    soft_false_neg: int = 0
    clips: int = 0
    seconds: float = 0.0
    missed: list[str] | None = None

    @property
    def count_error(self) -> float:
        return abs(self.heard - self.landings) / max(1, self.landings)

    @property
    def found_share(self) -> float:
        return self.found / max(1, self.landings)

    @property
    def soft_f1(self) -> float:
        tp, fp, fn = self.soft_true_pos, self.soft_false_pos, self.soft_false_neg
        return 2 * tp / max(1, 2 * tp + fp + fn)


def match(truth: tuple[float, ...], heard: list[float]) -> list[int | None]:
    """For each true contact, the index of the heard landing matched to it (each used
    once, nearest first), or None."""
    pairs = sorted(
        (abs(h - c), i, j)
        for i, c in enumerate(truth)
        for j, h in enumerate(heard)
        if abs(h - c) <= TOLERANCE
    )
    out: list[int | None] = [None] * len(truth)
    used: set[int] = set()
    for _, i, j in pairs:
        if out[i] is None and j not in used:
            out[i] = j
            used.add(j)
    return out


def score_clip(score: Score, c: Clip, heard_t: list[float], heard_soft: list[bool]) -> None:
    score.clips += 1
    score.seconds += len(c.audio) / c.rate
    if not c.contacts:
        score.false_in_empty += len(heard_t)
        if heard_t and score.missed is not None:
            score.missed.append(f"{c.name}: {len(heard_t)} false")
        return
    score.landings += len(c.contacts)
    score.heard += len(heard_t)
    matched = match(c.contacts, heard_t)
    score.found += sum(m is not None for m in matched)
    if score.missed is not None and (None in matched or len(heard_t) != len(c.contacts)):
        score.missed.append(
            f"{c.name}: {len(c.contacts)} true, {len(heard_t)} heard, {matched.count(None)} missed"
        )
    for truth_soft, m in zip(c.soft, matched, strict=True):
        said_soft = m is not None and heard_soft[m]
        score.soft_true_pos += truth_soft and said_soft
        score.soft_false_neg += truth_soft and not said_soft
        score.soft_false_pos += said_soft and not truth_soft
    unmatched = set(range(len(heard_t))) - {m for m in matched if m is not None}
    score.soft_false_pos += sum(heard_soft[j] for j in unmatched)


# --------------------------------------------------------------------------- live sets

POSITION = 15.0  # a live session's get-into-position, before the first set
REP = 3.0  # a heel drop's rep: rise 1 s, drop 0.5 s, reset 1.5 s (content/exercises.yaml)
CONTACT_IN_REP = 1.1  # the heels land early in the drop


def heel_drop_contacts(set_start: float, reps: int, skip: tuple[int, ...] = ()) -> list[float]:
    """Contact times of a live heel-drop set of `reps` starting at `set_start`; the reps
    in `skip` (1-based) pass without a landing."""
    return [
        set_start + (rep - 1) * REP + CONTACT_IN_REP
        for rep in range(1, reps + 1)
        if rep not in skip
    ]


def recording(
    contacts: list[float],
    gains_db: list[float],
    seconds: float,
    *,
    seed: int = 7,
    floor: str = "wood",
    rt60: float = 0.45,
    heels_apart: float | None = None,
) -> npt.NDArray[np.float32]:
    """A simulated recording with a landing at each contact (at its gain in dB) in a
    quiet room 1.6 m from the microphone."""
    rng = np.random.default_rng(seed)
    dry = np.zeros(int(seconds * RATE))
    for at, db in zip(contacts, gains_db, strict=True):
        sound = landing(rng, floor, 10 ** (db / 20), heels_apart)
        start = int(at * RATE)
        end = min(len(dry), start + len(sound))
        dry[start:end] += sound[: end - start]
    wet = in_room(dry, rt60, 1.6) * 0.3
    wet += 10 ** (-70 / 20) * rng.standard_normal(len(wet))
    return wet.astype(np.float32)


COACH_LINES = (
    "Get into position for heel drop. Stand beside a wall or kitchen counter.",
    "Land firmer: let the heels drop so you hear it.",
    "Rest, sixty seconds. Next: set two of two.",
    "Up onto the balls of your feet. Let your heels fall. Thump!",
)


def coach_voice(seconds: float) -> np.ndarray | None:
    """The coach's own voice (espeak-ng), as loud as a firm landing's peak, or None."""
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        return None
    import soundfile as sf  # only the coach's voice needs it

    pieces = []
    with tempfile.TemporaryDirectory() as folder:
        for number, text in enumerate(COACH_LINES):
            path = Path(folder) / f"{number}.wav"
            subprocess.run([espeak, "-w", str(path), text], check=True)
            audio, rate = sf.read(str(path), dtype="float64")
            at = np.arange(int(len(audio) * RATE / rate)) * rate / RATE
            pieces += [np.interp(at, np.arange(len(audio)), audio), np.zeros(RATE // 2)]
    voice = np.concatenate(pieces)
    voice = np.resize(voice, int(seconds * RATE))
    return normalise(voice)


def spoken_close(voice: Audio) -> Audio:
    """A full-range voice a few tens of centimetres from the microphone, as loud there as
    the coach's from a loudspeaker across the room."""
    away = CLOSE_VOICE_METRES
    return in_room(voice, 0.45, away) * DISTRACTOR_LEVEL[CLOSE_VOICE] * 0.5 / away
