"""Sound in: a file (soundfile) or the microphone (sounddevice), as blocks of samples.

Both feed the same `SoundFeed` interface - mono float32 blocks at a known rate, handed
over as time passes - so the detector runs the same way live and in tests. Sound stays
in memory: nothing here writes it anywhere except `Recorder`, which only
`heelcoach start --listen --record FILE` asks for.

numpy, soundfile and sounddevice come from the optional `listen` extra and are imported
only here, only by the commands that listen.
"""

from __future__ import annotations

import os
import queue
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from heelcoach.errors import BadInput

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Samples = npt.NDArray[np.float32]

INSTALL_HINT = "install it with: pip install 'heelcoach[listen]'"
MAX_FILE_SECONDS = 3600.0  # longer than any session; a longer file is surely not a set
MIN_FILE_SECONDS = 1.0  # shorter than a rep: nothing in it could be a set
# Full scale is 1.0 in a float recording; a file with samples a hundred times beyond it (or
# not numbers at all) is damaged, and its numbers would overflow the signal work.
MAX_SAMPLE = 100.0
MIN_RATE = 8000  # half of it is 4 kHz, the top of the key-click band the detector weighs
BLOCK_SECONDS = 0.1  # the microphone hands over a block this often


class ListeningUnavailable(Exception):
    """Listening cannot start here: the libraries or a microphone are missing."""


def require_libraries() -> None:
    """Raise `ListeningUnavailable` (one line, with the fix) if the extra is missing."""
    try:
        import numpy  # noqa: F401
        import soundfile  # noqa: F401
    except ImportError as error:
        raise ListeningUnavailable(
            f"listening needs the optional libraries ({error.name} is missing); {INSTALL_HINT}"
        ) from None
    except OSError as error:  # soundfile without its libsndfile
        raise ListeningUnavailable(
            f"listening cannot load its libraries ({error}); {INSTALL_HINT}"
        ) from None


class SoundFeed(Protocol):
    """Sound as it arrives: `take(elapsed)` returns the blocks heard up to `elapsed`
    seconds after the feed started (a microphone: whatever has arrived)."""

    rate: int

    def take(self, elapsed: float) -> list[Samples]: ...
    def close(self) -> None: ...


# --------------------------------------------------------------------------- files


def open_sound(path: Path) -> Any:
    """The file as an open `soundfile.SoundFile`, or BadInput naming what is wrong."""
    import soundfile

    from heelcoach.reader import open_regular

    # Checked as every file a person gives is: a folder, a pipe or a device is refused
    # before libsndfile could wait on it for ever.
    os.close(open_regular(path, "a sound file"))
    try:
        sound = soundfile.SoundFile(str(path))
    except (RuntimeError, TypeError, ValueError) as error:
        raise BadInput(
            f"{path}: not a sound file heelcoach can read (WAV or FLAC): {_reason(error)}"
        ) from None
    except OSError as error:
        raise BadInput(f"{path}: cannot be read: {error.strerror or error}") from None
    problem = _unfit(int(sound.frames), int(sound.samplerate))
    if problem is not None:
        sound.close()
        raise BadInput(f"{path}: {problem}")
    return sound


def _unfit(frames: int, rate: int) -> str | None:
    """Why a recording of `frames` samples at `rate` cannot hold a set, if it cannot."""
    if frames <= 0 or rate <= 0:
        return "the file holds no sound"
    if frames / rate < MIN_FILE_SECONDS:
        return "shorter than a second, too short to hold a set"
    if frames / rate > MAX_FILE_SECONDS:
        return "longer than an hour; record one set at a time"
    if rate < MIN_RATE:
        return f"a sample rate of {rate} Hz is too low to hear landings ({MIN_RATE} Hz or more)"
    return None


def blocks_of(sound: Any, seconds: float = 1.0) -> Iterator[Samples]:
    """The file's sound as mono float32 blocks (stereo is averaged); BadInput when it
    cannot be read to its end or holds samples that are not sound."""
    import numpy as np

    size = max(1, round(sound.samplerate * seconds))
    try:
        for block in sound.blocks(blocksize=size, dtype="float32", always_2d=True):
            if not np.all(np.abs(block) <= MAX_SAMPLE):  # NaN fails this too
                raise BadInput(
                    f"{sound.name}: holds samples that are not sound (not numbers, or far "
                    "beyond full scale): the recording is damaged"
                )
            yield block.mean(axis=1, dtype="float32")
    except RuntimeError as error:
        raise BadInput(
            f"{sound.name}: the sound could not be read to its end: {_reason(error)}"
        ) from None


def _reason(error: Exception) -> str:
    """What went wrong, without the file name libsndfile's own message repeats."""
    import soundfile

    return error.error_string if isinstance(error, soundfile.LibsndfileError) else str(error)


class FileFeed:
    """A recording played as if heard live: `take(elapsed)` hands over the sound up to
    `elapsed` seconds into it, so a session can listen to a file on its own clock."""

    def __init__(self, path: Path) -> None:
        self._sound = open_sound(path)
        self.rate = int(self._sound.samplerate)
        self._blocks = blocks_of(self._sound, BLOCK_SECONDS)
        self._given = 0  # samples handed over
        self._held: Samples | None = None

    def take(self, elapsed: float) -> list[Samples]:
        due = int(elapsed * self.rate)
        out: list[Samples] = []
        while self._given < due:
            block = self._held if self._held is not None else next(self._blocks, None)
            self._held = None
            if block is None:
                break
            room = due - self._given
            if len(block) > room:
                block, self._held = block[:room], block[room:]
            out.append(block)
            self._given += len(block)
        return out

    def close(self) -> None:
        self._sound.close()


# --------------------------------------------------------------------------- microphone


def microphone_rate() -> int:
    """The default microphone's sample rate, or `ListeningUnavailable` (one line, with the
    fix) when the library, PortAudio or a microphone is missing. It opens nothing, so
    `start --listen` can ask before the session and say so in time."""
    sounddevice = _sounddevice()
    try:
        device = sounddevice.query_devices(kind="input")
        return int(device["default_samplerate"])
    except (sounddevice.PortAudioError, ValueError) as error:
        raise _no_microphone(error) from None


def _sounddevice() -> Any:
    try:
        import sounddevice
    except (ImportError, OSError) as error:  # OSError: sounddevice without PortAudio
        raise ListeningUnavailable(
            f"no microphone library ({error}); {INSTALL_HINT}, and PortAudio "
            "(e.g. `apt install libportaudio2`)"
        ) from None
    return sounddevice


def _no_microphone(error: Exception) -> ListeningUnavailable:
    return ListeningUnavailable(
        f"no microphone to listen with ({error}); connect one and allow heelcoach to use it"
    )


class MicFeed:
    """The default microphone: PortAudio's thread puts blocks in a queue; `take` empties it."""

    def __init__(self) -> None:
        self.rate = microphone_rate()
        sounddevice = _sounddevice()
        self._queue: queue.SimpleQueue[Samples] = queue.SimpleQueue()
        try:
            self._stream = sounddevice.InputStream(
                samplerate=self.rate,
                channels=1,
                dtype="float32",
                blocksize=round(self.rate * BLOCK_SECONDS),
                callback=self._heard,
            )
            self._stream.start()
        except (sounddevice.PortAudioError, ValueError) as error:
            raise _no_microphone(error) from None

    def _heard(self, data: Any, frames: int, time: Any, status: Any) -> None:
        self._queue.put(data[:, 0].copy())

    def take(self, elapsed: float) -> list[Samples]:
        out: list[Samples] = []
        while True:
            try:
                out.append(self._queue.get_nowait())
            except queue.Empty:
                return out

    def close(self) -> None:
        self._stream.stop()
        self._stream.close()


class Recorder:
    """Keeps what a feed heard in a WAV file: only when the person asks (`--record`)."""

    def __init__(self, path: Path, rate: int, data_dir: Path) -> None:
        import soundfile

        from heelcoach.files import live_output

        # Private (0600), never through a link, never in the data folder: every output
        # file heelcoach writes about you is opened the one way `files.live_output` does.
        self._raw = os.fdopen(live_output(path, data_dir, "--record"), "wb")
        try:
            self._file = soundfile.SoundFile(
                self._raw, "w", samplerate=rate, channels=1, format="WAV", subtype="PCM_16"
            )
        except (soundfile.LibsndfileError, RuntimeError, OSError) as error:
            self._raw.close()
            raise BadInput(f"{path}: cannot record there: {error}") from None

    def write(self, block: Samples) -> None:
        self._file.write(block)

    def close(self) -> None:
        self._file.close()
        self._raw.close()
