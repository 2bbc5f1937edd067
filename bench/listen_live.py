"""CPU of a live session that listens: `heelcoach start --sound --listen` in real time.

The microphone is stood in for by a recording fed through the same sound interface
(`--listen-file`): a simulated heel-drop session (tests/listen_corpus.py) at 48 kHz, as a
phone or laptop microphone records, played on the session's clock, so the detector hears
a full session's worth of sound as it would live. Everything else is as in
`bench/live_session.py`'s CPU run: a 24x80 pseudo-terminal, the full screen, stand-ins
for the speech program and the player that note each call and take as long as the real
ones; the CPU time is read from /proc/PID/stat once the screen is up and again
--cpu-seconds later, and the whole process's from wait4. Target: under 5% of one core.
Needs the listen extra (and pyroomacoustics for the recording) beside the installed
heelcoach:

    /tmp/heelcoach-bench/bin/pip install '.[listen]' pyroomacoustics
    /tmp/heelcoach-bench/bin/python bench/listen_live.py [--cpu-seconds 40]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import live_session
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

import listen_corpus as lc

PHONE_RATE = 48000


def session_recording(path: Path) -> None:
    """Heel drops as a live session runs them (two sets of ten, 60 s apart)."""
    import soundfile as sf

    one = lc.heel_drop_contacts(lc.POSITION, 10)
    two = lc.heel_drop_contacts(lc.POSITION + 30 + 60, 10)
    gains = [-12.0 if i == 4 else 0.0 for i in range(20)]
    audio = lc.recording(one + two, gains, 140.0)
    at = np.arange(int(len(audio) * PHONE_RATE / lc.RATE)) * lc.RATE / PHONE_RATE
    sf.write(str(path), np.interp(at, np.arange(len(audio)), audio), PHONE_RATE)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cpu-seconds", type=float, default=40.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        env = live_session.prepare(folder)
        recording = folder / "session.wav"
        session_recording(recording)
        options = ("--exercise", "heel-drop", "--listen", "--listen-file", str(recording))
        usage = live_session.cpu(env, args.cpu_seconds, folder, options)
    window = usage.window_percent
    shown = "n/a" if window is None else f"{window:.1f}%"
    print(
        f"heelcoach start --sound --listen (heel drops, 48 kHz sound), {usage.window:.0f} s "
        f"of session: {shown} of one core; whole process {usage.total_percent:.1f}% over "
        f"{usage.total_wall:.0f} s ({usage.spoken} cues spoken, {usage.tones} tones; "
        f"CPU from {usage.source})"
    )
    ok = window is not None and window < live_session.CPU_TARGET
    print(f"target: under {live_session.CPU_TARGET:.0f}% of one core: {live_session.verdict(ok)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
