"""`heelcoach listen FILE`: the landings in a recording; `--calibrate`: the room's firm one.

The signal libraries (the `listen` extra) are imported inside the command, never at
start-up. The calibration is a small private file in the data folder holding the level of
a firm landing where the person trains; with it "soft" is measured against that level
rather than against the set.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from heelcoach.errors import BadInput, Refused
from heelcoach.frontends.cli.common import complete_exercise_id, context
from heelcoach.frontends.words import landings_verdict, plural

if TYPE_CHECKING:
    from heelcoach.context import Context
    from heelcoach.listening import judge as rules
    from heelcoach.listening.landing import Landing

CALIBRATION_FILE = "listening.json"
CALIBRATION_LANDINGS = 3  # three firm heel drops where the person trains
CALIBRATION_SECONDS = 20.0  # time allowed for them at the microphone
CALIBRATION_MAX_BYTES = 4096  # the file holds two numbers
# Where a firm landing's level (dB against full scale) can lie: from below the smallest
# step of 24-bit sound up to the loudest sample a recording may hold (audio.MAX_SAMPLE).
# A stored level outside it was not written by a calibration.
FIRM_DBFS_RANGE = (-150.0, 40.0)


def listen(
    tctx: typer.Context,
    file: Annotated[
        Path | None,
        typer.Argument(
            metavar="FILE",
            help="A recording of a set (WAV or FLAC). Example: heelcoach listen set.wav",
            show_default=False,
        ),
    ] = None,
    exercise: Annotated[
        str | None,
        typer.Option(
            "--exercise",
            metavar="ID",
            autocompletion=complete_exercise_id,
            help="What the recording is of, which decides what is flagged: soft "
            "heel drops, hard jumps and kicks. Example: heelcoach listen set.wav "
            "--exercise heel-drop",
        ),
    ] = None,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="The landings as JSON (see README). Example: heelcoach listen set.wav --json",
        ),
    ] = False,
    calibrate: Annotated[
        bool,
        typer.Option(
            "--calibrate",
            help="Learn a firm landing from three firm heel drops "
            "(at the microphone, or in FILE), so 'soft' is measured against it. "
            "Example: heelcoach listen --calibrate",
        ),
    ] = False,
) -> None:
    """Count the landings in a recording, and say which were soft or hard.

    Example: heelcoach listen set.wav --exercise heel-drop
    """
    from heelcoach.listening import judge as rules

    ctx = context(tctx)
    if calibrate and (exercise is not None or as_json):
        raise BadInput(
            "--calibrate learns from heel drops and prints one line: leave out "
            "--exercise and --json"
        )
    _libraries()
    if calibrate:
        _calibrate(ctx, file)
        return
    if file is None:
        raise BadInput("name a recording to listen to (or use --calibrate)")
    if exercise is not None and exercise not in rules.LISTENED:
        raise BadInput(
            f"heelcoach does not listen to '{exercise}'; it listens to {', '.join(rules.LISTENED)}"
        )
    landings, seconds = _heard_in(file)
    reference = load_calibration(ctx)
    judged = rules.judge(landings, rules.flags_for(exercise), reference)
    result = _result(judged, seconds, exercise, reference is not None)
    if as_json:
        ctx.stdout.write(json.dumps(result, indent=2) + "\n")
    else:
        _say(ctx, file, judged, result)


def _libraries() -> None:
    """Refuse (exit 1, as without a microphone) when the extra is missing: the machine
    cannot listen yet, whatever the recording holds."""
    from heelcoach.frontends.audio import ListeningUnavailable, require_libraries

    try:
        require_libraries()
    except ListeningUnavailable as error:
        raise Refused(str(error)) from None


def _heard_in(path: Path) -> tuple[list[Landing], float]:
    from heelcoach.frontends.audio import blocks_of, open_sound
    from heelcoach.listening.detect import LandingDetector

    with open_sound(path) as sound:
        detector = LandingDetector(int(sound.samplerate))
        found: list[Landing] = []
        for block in blocks_of(sound):
            found += detector.feed(block)
        seconds = sound.frames / sound.samplerate
    return found + detector.flush(), seconds


def _result(
    judged: list[rules.JudgedLanding], seconds: float, exercise: str | None, calibrated: bool
) -> dict[str, Any]:
    from heelcoach.listening.judge import pace as pace_of

    pace = pace_of(judged)
    return {
        "count": len(judged),
        "seconds": round(seconds, 3),
        "exercise": exercise,
        "reference": "calibration" if calibrated else "set",
        "pace": None if pace is None else round(pace, 3),
        "soft": sum(j.soft for j in judged),
        "hard": sum(j.hard for j in judged),
        "landings": [
            {"t": round(j.t, 3), "level_db": _tenths(j.level_db), "soft": j.soft, "hard": j.hard}
            for j in judged
        ],
    }


def _say(
    ctx: Context, path: Path, judged: list[rules.JudgedLanding], result: dict[str, Any]
) -> None:
    from heelcoach.domain.text import line

    write = ctx.stdout.write
    count = result["count"]
    pace = f", one every {result['pace']:.1f} s" if result["pace"] else ""
    write(f"{line(path.name)}: {plural(count, 'landing')} in {result['seconds']:.0f} s{pace}.\n")
    against = (
        "your calibrated firm landing"
        if result["reference"] == "calibration"
        else ("the set's typical landing")
    )
    if judged:
        write(f"Level against {against} (0 dB):\n")
    for number, j in enumerate(judged, 1):
        minutes, secs = divmod(j.t, 60)
        note = "  soft: land firmer" if j.soft else "  hard: land softer" if j.hard else ""
        write(f"  {number:3d}  {int(minutes)}:{secs:04.1f}  {_tenths(j.level_db):+5.1f} dB{note}\n")
    if count:
        write(landings_verdict(count, result["soft"], result["hard"]) + "\n")


# --------------------------------------------------------------------------- calibration


def calibration_path(ctx: Context) -> Path:
    return ctx.data_dir / CALIBRATION_FILE


def load_calibration(ctx: Context) -> float | None:
    """The calibrated firm landing's level (dB against full scale), if there is one."""
    from heelcoach.reader import ReadError, read_json

    path = calibration_path(ctx)
    try:
        data = read_json(path, max_bytes=CALIBRATION_MAX_BYTES, what="a calibration file")
        firm = float(data["firm_dbfs"])
    except ReadError as error:
        if not error.missing:
            raise _damaged(path) from None
        return None
    except (BadInput, ValueError, KeyError, TypeError):
        raise _damaged(path) from None
    low, high = FIRM_DBFS_RANGE
    if not low <= firm <= high:  # also NaN
        raise _damaged(path)
    return firm


def _damaged(path: Path) -> Refused:
    return Refused(f"{path} is damaged; run `heelcoach listen --calibrate` again")


def _calibrate(ctx: Context, file: Path | None) -> None:
    from heelcoach.files import write_private_text

    landings = _heard_in(file)[0] if file is not None else _heard_at_microphone()
    if len(landings) < CALIBRATION_LANDINGS:
        heard = plural(len(landings), "landing")
        raise Refused(
            f"heard {heard}, not {CALIBRATION_LANDINGS}: do three firm heel drops, "
            "close enough to be heard, and try again"
        )
    from heelcoach.listening.judge import SOFT_BELOW_DB, reference_of

    firm = reference_of([landing.level_dbfs for landing in landings])
    text = json.dumps({"firm_dbfs": round(firm or 0.0, 2), "landings": len(landings)})
    write_private_text(calibration_path(ctx), text + "\n")
    ctx.stdout.write(
        f"Calibrated from {plural(len(landings), 'landing')}: a landing more than "
        f"{SOFT_BELOW_DB:.0f} dB below them is soft.\n"
    )


def _heard_at_microphone() -> list[Landing]:
    import time

    from heelcoach.frontends.audio import ListeningUnavailable, MicFeed
    from heelcoach.listening.detect import LandingDetector

    try:
        feed = MicFeed()
    except ListeningUnavailable as error:
        raise Refused(
            f"{error}; or calibrate from a recording of three firm heel drops: "
            "heelcoach listen --calibrate FILE"
        ) from None
    typer.echo("Listening: do three firm heel drops where you train.")
    detector = LandingDetector(feed.rate)
    found: list[Landing] = []
    started = time.monotonic()
    try:
        while (
            len(found) < CALIBRATION_LANDINGS and time.monotonic() - started < CALIBRATION_SECONDS
        ):
            time.sleep(0.1)
            for block in feed.take(0.0):
                found += detector.feed(block)
    finally:
        feed.close()
    return found


def _tenths(decibels: float) -> float:
    """`decibels` to a tenth, a level that rounds to nothing shown as 0.0, never -0.0."""
    return round(decibels, 1) + 0.0
