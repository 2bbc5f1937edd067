"""Sound for `--sound`: speech and tone players found at run time, not Python packages.
Each sound is its own process, so nothing blocks the session clock."""

from __future__ import annotations

import contextlib
import io
import math
import shlex
import shutil
import struct
import subprocess
import tempfile
import wave
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from heelcoach.domain.text import line
from heelcoach.errors import BadInput
from heelcoach.frontends.live.cues import DEFAULT_RATE, LATE_AFTER, Cue, Tone, spoken_seconds

RATE_RANGE = (80, 400)
SAMPLE_RATE = 22050
# Notes (Hz, seconds) of each tone: rising for work, falling for rest, a double beep to
# switch sides, a short tick for 3-2-1, three rising notes at the end, a low long stop.
TONES: dict[Tone, tuple[tuple[float, float], ...]] = {
    Tone.TICK: ((1000.0, 0.06),),
    Tone.WORK: ((660.0, 0.09), (990.0, 0.14)),
    Tone.REST: ((660.0, 0.09), (440.0, 0.16)),
    Tone.SWITCH: ((880.0, 0.07), (0.0, 0.05), (880.0, 0.07)),
    Tone.DONE: ((523.0, 0.1), (659.0, 0.1), (784.0, 0.2)),
    Tone.STOP: ((330.0, 0.45),),
}
_BELL_TONES = (Tone.WORK, Tone.REST, Tone.SWITCH, Tone.DONE, Tone.STOP)  # no bell per tick
_PLAYERS = (("paplay",), ("pw-play",), ("aplay", "-q"), ("afplay",))


@dataclass(frozen=True)
class SoundSetup:
    """What this machine will do: the speech program (or none), and the tone player."""

    speech: tuple[str, ...] | None
    player: tuple[str, ...] | None
    rate: int

    def speech_argv(self, text: str) -> list[str]:
        """The voice command; `text` is one inert line for whatever program it names."""
        assert self.speech is not None
        if any("{}" in part for part in self.speech):
            return [part.replace("{}", line(text)) for part in self.speech]
        return [*self.speech, line(text)]


def discover(
    voice: str | None = None,
    rate: int = DEFAULT_RATE,
    command: str | None = None,
    which: Callable[[str], str | None] = shutil.which,
) -> SoundSetup:
    """A voice and a player for the person's choice; BadInput for a --voice-cmd that fails."""
    low, high = RATE_RANGE
    if not low <= rate <= high:
        raise BadInput(f"--voice-rate must be {low}-{high} words a minute, got {rate}")
    player = next((argv for argv in _PLAYERS if which(argv[0])), None)
    if command is not None:
        argv = tuple(shlex.split(command))
        if not argv or which(argv[0]) is None:
            raise BadInput(f"--voice-cmd: {argv[0] if argv else 'an empty command'} not found")
        return SoundSetup(argv, player, rate)
    for name in ("espeak-ng", "spd-say", "say", "espeak"):
        if which(name):
            return SoundSetup(_engine(name, voice, rate), player, rate)
    return SoundSetup(None, player, rate)


def _engine(name: str, voice: str | None, rate: int) -> tuple[str, ...]:
    if name == "spd-say":
        # -w: return only when said, so a busy voice is seen; rate is -100..100 around 0.
        spd_rate = max(-100, min(100, round((rate - DEFAULT_RATE) / 2)))
        return ("spd-say", "-w", "-r", str(spd_rate), *(("-y", voice) if voice else ()))
    flag = "-r" if name == "say" else "-s"
    return (name, flag, str(rate), *(("-v", voice) if voice else ()))


def tone_wav(notes: tuple[tuple[float, float], ...]) -> bytes:
    """A mono 16-bit WAV of the notes (0 Hz is silence), soft-edged so it does not click."""
    frames = bytearray()
    for frequency, seconds in notes:
        count = int(SAMPLE_RATE * seconds)
        edge = max(1, int(SAMPLE_RATE * 0.005))
        for i in range(count):
            envelope = min(1.0, i / edge, (count - i) / edge)
            value = math.sin(2 * math.pi * frequency * i / SAMPLE_RATE) if frequency else 0.0
            frames += struct.pack("<h", int(12000 * envelope * value))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(bytes(frames))
    return buffer.getvalue()


class _Process(Protocol):
    def poll(self) -> int | None: ...
    def wait(self, timeout: float | None = None) -> int: ...
    def terminate(self) -> None: ...


def _spawn(argv: list[str]) -> _Process:
    return subprocess.Popen(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # Ctrl-C is for the coach, not the voice
    )


class Speaker:
    """Plays cues; drops one noticed LATE_AFTER late, and words due while the voice speaks."""

    def __init__(
        self,
        setup: SoundSetup,
        bell: Callable[[], None],
        *,
        spawn: Callable[[list[str]], _Process] = _spawn,
    ) -> None:
        self._setup = setup
        self._bell = bell
        self._spawn = spawn
        self._voice: _Process | None = None
        self._voice_until = -math.inf
        self._tone: _Process | None = None
        self._folder: tempfile.TemporaryDirectory[str] | None = None
        self._files: dict[Tone, Path] = {}
        self.rate = setup.rate  # the schedule fits its openings to this pace
        if setup.player is not None:
            self._folder = tempfile.TemporaryDirectory(prefix="heelcoach-tones-")
            for tone, notes in TONES.items():
                path = Path(self._folder.name) / f"{tone.value}.wav"
                path.write_bytes(tone_wav(notes))
                self._files[tone] = path

    def play(self, cue: Cue, late: float, real_now: float) -> None:
        if late > LATE_AFTER:
            return
        if cue.tone is not None:
            self._play_tone(cue.tone)
        if cue.text:
            self._say(cue.text, real_now)

    def _play_tone(self, tone: Tone) -> None:
        path = self._files.get(tone)
        if path is None or self._setup.player is None:
            if tone in _BELL_TONES:
                self._bell()
            return
        if self._tone is not None and self._tone.poll() is None:
            return  # the last tone is still sounding; tones are short
        self._tone = self._start([*self._setup.player, str(path)])

    def _say(self, text: str, real_now: float) -> None:
        if self._setup.speech is None:
            return
        busy = self._voice is not None and self._voice.poll() is None
        if busy or real_now < self._voice_until:
            return
        self._voice = self._start(self._setup.speech_argv(text))
        if self._voice is not None:
            self._voice_until = real_now + spoken_seconds(text, self._setup.rate)

    def _start(self, argv: list[str]) -> _Process | None:
        try:
            return self._spawn(argv)
        except OSError:  # a broken install: carry on without that sound
            return None

    def close(self) -> None:
        """Let the last word finish (it is short), then make sure no sound outlives us."""
        for process in (self._voice, self._tone):
            if process is None:
                continue
            try:
                process.wait(timeout=1.0)
            except subprocess.TimeoutExpired:
                process.terminate()
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=1.0)
        self._voice = self._tone = None
        if self._folder is not None:
            self._folder.cleanup()
            self._folder = None
