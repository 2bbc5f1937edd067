"""`heelcoach start`: today's session, live, with every finished set saved at once."""

from __future__ import annotations

import contextlib
import errno
import functools
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated

import typer

from heelcoach.context import Context
from heelcoach.domain import text
from heelcoach.errors import EXIT_INTERRUPTED, EXIT_REFUSED, BadInput, Refused
from heelcoach.frontends.cli.common import (
    CLEARED_OPTION,
    OPEN_EMERGENCY,
    complete_exercise_id,
    context,
    finite_number,
    preferences,
    set_as_of,
)
from heelcoach.frontends.cli.console import ask_number, confirm, say, wrapped

if TYPE_CHECKING:
    from heelcoach.content.model import Library
    from heelcoach.domain.profile import Profile
    from heelcoach.domain.records import SessionRecord
    from heelcoach.domain.session.model import SessionItem
    from heelcoach.frontends.audio import SoundFeed
    from heelcoach.frontends.live.listen import LiveListener
    from heelcoach.frontends.live.runner import CueSink, SessionOutcome
    from heelcoach.frontends.live.sound import SoundSetup
    from heelcoach.services.common import Store
    from heelcoach.services.training import ChosenSession


def start(
    tctx: typer.Context,
    exercise: Annotated[
        str | None,
        typer.Option(
            metavar="ID",
            autocompletion=complete_exercise_id,
            help="Run just this exercise from this week's plan. "
            "Example: heelcoach start --exercise eccentric-heel-drop",
        ),
    ] = None,
    day: Annotated[
        str | None,
        typer.Option(
            metavar="DATE",
            help="Run the session of an earlier day and record it under that day (the same "
            "as heelcoach --as-of DATE start). Example: heelcoach start --day 2026-11-24",
        ),
    ] = None,
    speed: Annotated[
        float,
        typer.Option(
            parser=finite_number(0.1, 1000.0),
            metavar="X",
            help="A demo: run the clock X times faster and save nothing to your history "
            "(an emergency stop is still remembered). Example: heelcoach start --speed 20",
        ),
    ] = 1.0,
    plain: Annotated[
        bool,
        typer.Option(
            "--plain",
            help="One sentence a line instead of the full-screen view, every cue included "
            "(for screen readers and logs; automatic when output is not a terminal or "
            "TERM=dumb). Example: heelcoach start --plain",
        ),
    ] = False,
    sound: Annotated[
        bool,
        typer.Option(
            "--sound",
            help="Tones at each change, 3-2-1 before it, and spoken cues (espeak-ng, "
            "spd-say or say, found at run time); the bell when there is no player. "
            "Example: heelcoach start --sound",
        ),
    ] = False,
    voice: Annotated[
        str | None,
        typer.Option(
            metavar="NAME",
            help="With --sound: the voice to speak with (as the speech program names it). "
            "Example: heelcoach start --sound --voice en-gb",
        ),
    ] = None,
    voice_rate: Annotated[
        int,
        typer.Option(
            metavar="WPM",
            help="With --sound: words a minute, 80-400. "
            "Example: heelcoach start --sound --voice-rate 140",
        ),
    ] = 170,
    voice_cmd: Annotated[
        str | None,
        typer.Option(
            metavar="CMD",
            help="With --sound: speak with this command; the words replace {} or go last. "
            "Example: heelcoach start --sound --voice-cmd 'spd-say -w -o espeak-ng'",
        ),
    ] = None,
    events: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE",
            help="Write one JSON line per session event to FILE (private: mode 0600; a"
            " FIFO works too; see README). Example: heelcoach start --events events.jsonl",
        ),
    ] = None,
    doctor_checked: Annotated[
        bool,
        typer.Option(
            CLEARED_OPTION,
            help="A doctor has checked you since a session stopped for chest pain or "
            "dizziness: record that and start. Example: heelcoach start --doctor-checked",
        ),
    ] = False,
    yes: Annotated[
        bool,
        typer.Option(
            "--yes", "-y", help="Start without the 'Ready?' question. Example: heelcoach start -y"
        ),
    ] = False,
    listen: Annotated[
        bool,
        typer.Option(
            "--listen",
            help="Count the landings of heel drops, heel jumps and heel kicks with the "
            "microphone and say when one is too soft or too hard (needs the listen extra; "
            "the sound stays in memory). Example: heelcoach start --listen",
        ),
    ] = False,
    record: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE",
            help="With --listen: also keep what the microphone heard in a WAV file. "
            "Example: heelcoach start --listen --record /tmp/session.wav",
        ),
    ] = None,
    listen_file: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE",
            help="With --listen: listen to a recording instead of the microphone, played "
            "on the session's clock from the start (to try it out, and for tests). "
            "Example: heelcoach start --listen --listen-file set.wav",
        ),
    ] = None,
) -> None:
    """Run today's session live: paced reps, timers, rests, cues; every set saved at once.

    Keys: space pause, n finish the set now, s skip the exercise, q quit,
    p report pain 0-10, ! chest pain or dizziness (stops everything).

    Example: heelcoach start
    """
    ctx = context(tctx)
    setup = None
    if sound:
        from heelcoach.frontends.live.sound import discover

        setup = discover(voice, voice_rate, voice_cmd)
    hearing = _hearing(ctx, listen, record, listen_file)
    stream = None
    if events is not None:
        from heelcoach.files import open_live_output

        stream = open_live_output(events.expanduser(), ctx.data_dir, "--events")
    from heelcoach.services import training

    try:
        with training.one_live_session(ctx):
            _start(ctx, exercise, day, speed, plain, setup, stream, doctor_checked, yes, hearing)
    finally:
        if stream is not None:
            with contextlib.suppress(OSError):  # what could not be written was said
                stream.close()


def _start(
    ctx: Context,
    exercise: str | None,
    day: str | None,
    speed: float,
    plain: bool,
    setup: SoundSetup | None,
    events: IO[str] | None,
    doctor_checked: bool,
    yes: bool,
    hearing: Hearing | None,
) -> None:
    from heelcoach.frontends.cli.cmd_plan import profile_or_screen, remind_checkin
    from heelcoach.services import common, training

    library = common.library(ctx)
    profile = profile_or_screen(ctx, library)
    if day:
        set_as_of(ctx, day, "--day")  # the session is recorded under the day it is for
    with common.open_store(ctx, create=False) as store:
        emergency = store.open_emergency()
    if emergency is not None:
        _clear_or_refuse(ctx, emergency, doctor_checked)
    with common.open_store(ctx, create=False) as store:
        choice = _choose(ctx, store, profile, library, exercise)
        remind_checkin(ctx, store)
        first = not store.sets(limit=1)
        if choice.is_rest:
            choice = _rest_day(ctx, store, profile, library, choice)
    if not choice.to_run:
        for line in _left_out(choice):
            say(ctx, wrapped(ctx, line))
        say(ctx, "Nothing left to do today: rest well, and check in tomorrow morning.")
        return
    alternate = preferences(ctx).alternate_legs
    items = training.session_items(choice.to_run, choice.done, alternate)
    _outline(ctx, choice, items, library, first=first, speed=speed, setup=setup)
    if ctx.interactive and not _well_today(ctx):
        return
    if not yes and ctx.interactive and not confirm(ctx, "Ready? Start now", True):
        say(ctx, "Not started. Run `heelcoach start` when you are ready.")
        return
    stopped = training.session_items(choice.stopped)  # the same areas are asked about first
    listener = hearing.open(ctx) if hearing is not None else None
    _run_live(
        ctx, items, stopped, speed=speed, plain=plain, setup=setup, events=events, listener=listener
    )


def _clear_or_refuse(ctx: Context, emergency: SessionRecord, confirmed: bool) -> None:
    """Start only once the person says a doctor has checked them since the stop."""
    from heelcoach.services import common

    say(ctx, wrapped(ctx, f"{OPEN_EMERGENCY} (on {emergency.day:%a %d %b})"))
    if not confirmed:
        if not ctx.interactive:
            raise Refused(
                "not started: a doctor should check you first; once they have, run "
                f"`heelcoach start {CLEARED_OPTION}`"
            )
        if not confirm(ctx, "Has a doctor checked you since", False):
            raise Refused("not started: see a doctor before training again")
    with common.open_store(ctx, create=True) as store:
        store.clear_emergency(emergency.session_id, ctx.now())
    say(ctx, "Noted: a doctor has checked you. Stop at once if it happens again.")


def _well_today(ctx: Context) -> bool:
    """PAR-Q+: a temporary illness means waiting until well. One key; Enter means no."""
    if not confirm(ctx, "Anything new since last time: illness, injury or pain", False):
        return True
    advice = (
        "If you are ill (a cold, a fever, an infection), wait until you are well before "
        "training. For a new injury or pain, see a doctor or physiotherapist first."
    )
    say(ctx, wrapped(ctx, advice))
    if confirm(ctx, "Train anyway", False):
        return True
    say(ctx, "Not started. Rest, and run `heelcoach start` when you are well.")
    return False


def _choose(
    ctx: Context, store: Store, profile: Profile, library: Library, exercise: str | None
) -> ChosenSession:
    """Today's (or that exercise's) session; a refusal says why in words."""
    from heelcoach.frontends.words.plan import exclusion_text, referral_text
    from heelcoach.services import training

    try:
        return training.choose(store, profile, library, ctx.today, exercise_id=exercise)
    except training.NoHomePlan as refused:
        raise Refused(referral_text(refused.plan, profile, library) or str(refused)) from None
    except training.NotInPlan as refused:
        if refused.exclusion is None:
            raise
        name = library.exercises[refused.exercise_id].name
        why = exclusion_text(refused.exclusion, library)
        raise Refused(f"{name} is not in your plan: {why}") from None


def _rest_day(
    ctx: Context, store: Store, profile: Profile, library: Library, choice: ChosenSession
) -> ChosenSession:
    from heelcoach.services import training

    upcoming = training.next_training_day(store, profile, library, choice.day)
    say(ctx, f"{choice.day:%a %d %b} is a rest day in your plan: rest lets bone and tendon adapt.")
    if upcoming is None:
        raise typer.Exit(0)
    names = ", ".join(item.exercise.name for item in upcoming.items)
    say(ctx, f"Next training day: {upcoming.date:%a %d %b} ({names}).")
    if not ctx.interactive or not confirm(ctx, "Do that session now instead", False):
        raise typer.Exit(0)
    return training.choose(store, profile, library, ctx.today, on_day=upcoming.date)


def _left_out(choice: ChosenSession) -> list[str]:
    lines = []
    if choice.stopped:
        names = ", ".join(item.exercise.name for item in choice.stopped)
        lines.append(f"Left out today: {names} (stopped for pain above 5 earlier today).")
    finished = [i for i in choice.items if choice.done.get(i.exercise.id, 0) >= i.sets]
    if finished:
        names = ", ".join(item.exercise.name for item in finished)
        lines.append(f"Already done today: {names}.")
    return lines


def _outline(
    ctx: Context,
    choice: ChosenSession,
    items: list[SessionItem],
    library: Library,
    *,
    first: bool,
    speed: float,
    setup: SoundSetup | None,
) -> None:
    from heelcoach.frontends.words import plural
    from heelcoach.frontends.words.live import dose_text
    from heelcoach.frontends.words.plan import rule_text
    from heelcoach.services import training

    total_sets = sum(item.set_rows for item in items)
    minutes = training.estimated_minutes(items)
    lines = [
        f"Session for {choice.day:%a %d %b}: {plural(len(items), 'exercise')}, "
        f"{plural(total_sets, 'set')}, about {plural(minutes, 'minute')}."
    ]
    for number, item in enumerate(items, 1):
        support = f"; support: {item.support}" if item.support else ""
        resume = f" (from set {item.first_set})" if item.first_set > 1 else ""
        lines.append(f"  {number}. {item.name}: {dose_text(item)}{resume}{support}")
    lines += _left_out(choice)
    if first:  # the screening's advice, said again until there is a first session
        lines += [
            f"Before your first session: {rule_text(r, library)}" for r in choice.plan.warnings
        ]
    if speed != 1.0:
        lines.append(f"Demo at {speed:g}x speed: nothing will be saved to your history.")
    if setup is not None and setup.speech is None:
        lines.append(
            "Sound: no speech program found (espeak-ng, spd-say or say), so there are tones "
            "or the bell but no words; --voice-cmd names another."
        )
    if not ctx.interactive:
        lines.append(
            "Not asked about new illness, injury or pain (no terminal to answer in): if "
            "anything is new, do not train today."
        )
    for line in lines:
        indent = "     " if line.startswith("  ") else ""
        say(ctx, wrapped(ctx, line, indent))


@dataclass(frozen=True)
class Hearing:
    """What `--listen` asked for: the microphone or a recording, and where to keep it."""

    record: Path | None
    listen_file: Path | None
    reference_dbfs: float | None  # the calibrated firm landing, if there is one

    def open(self, ctx: Context) -> LiveListener | None:
        """The listener, or None (said in one line) when this machine cannot listen."""
        from heelcoach.domain.session.listening import Listening
        from heelcoach.frontends.audio import FileFeed, ListeningUnavailable, MicFeed, Recorder
        from heelcoach.frontends.live.listen import LiveListener

        try:
            feed: SoundFeed = (
                FileFeed(self.listen_file) if self.listen_file is not None else MicFeed()
            )
        except ListeningUnavailable as error:
            _not_listening(ctx, error)
            return None
        recorder = (
            Recorder(self.record, feed.rate, ctx.data_dir) if self.record is not None else None
        )
        return LiveListener(feed, Listening(reference_dbfs=self.reference_dbfs), recorder)


def _hearing(
    ctx: Context, listen: bool, record: Path | None, listen_file: Path | None
) -> Hearing | None:
    """Check the listening options before anything starts; None when not listening.
    Whatever could refuse is read now, not after the questions: the recording to play,
    the place to record to, the calibration."""
    if not listen:
        if record is not None or listen_file is not None:
            raise BadInput("--record and --listen-file go with --listen")
        return None
    if record is not None:  # refused even where nothing can be heard: it was asked for
        record = _recording_place(ctx, record, listen_file)
    from heelcoach.frontends.audio import ListeningUnavailable, microphone_rate, require_libraries

    try:
        require_libraries()
        if listen_file is None:
            microphone_rate()  # said now, not hidden behind the live screen once it starts
    except ListeningUnavailable as error:
        _not_listening(ctx, error)
        return None
    if listen_file is not None:
        from heelcoach.frontends.audio import open_sound

        open_sound(listen_file).close()
    from heelcoach.frontends.cli.cmd_listen import load_calibration

    return Hearing(record, listen_file, load_calibration(ctx))


def _not_listening(ctx: Context, error: Exception) -> None:
    ctx.stderr.write(f"heelcoach: not listening: {text.line(str(error))}\n")


def _recording_place(ctx: Context, record: Path, listen_file: Path | None) -> Path:
    """Where `--record` will write, checked now: the recording is opened only once the
    session starts, after the questions, and a refusal then would come too late. It
    never replaces the recording being listened to (the session may end before it)."""
    from heelcoach.files import check_output, same_file

    target = record.expanduser()
    check_output(target, ctx.data_dir, "--record")
    if not os.access(target.parent, os.W_OK):
        raise BadInput(f"--record: cannot write {target}: {os.strerror(errno.EACCES)}")
    if listen_file is not None and same_file(target, listen_file):
        raise BadInput(
            f"--record: {target} is the --listen-file; recording over it would replace it"
        )
    return target


def _run_live(
    ctx: Context,
    items: list[SessionItem],
    stopped_earlier: list[SessionItem],
    *,
    speed: float,
    plain: bool,
    setup: SoundSetup | None,
    events: IO[str] | None,
    listener: LiveListener | None = None,
) -> None:
    from heelcoach.frontends.live.runner import run_session
    from heelcoach.services import common, training

    demo = speed != 1.0
    done_on = ctx.today  # the day it is done on (`--as-of`/`--day`: the day replayed)
    speaker: Callable[[Callable[[], None]], CueSink] | None = None
    if setup is not None:
        from heelcoach.frontends.live.sound import Speaker

        speaker = functools.partial(Speaker, setup)

    with common.open_store(ctx, create=not demo) as store:
        session_id = None if demo else training.begin(store, done_on)
        in_turns = frozenset(item.exercise for item in items if item.alternate)
        saver = training.SetSaver(store, session_id, done_on, speed, in_turns)
        try:
            outcome = run_session(
                items,
                on_set_finished=saver,
                on_pain=saver.pain,
                speed=speed,
                plain=plain,
                speaker=speaker,
                out=ctx.stdout,
                events=events,
                key_hints=ctx.stdin_isatty,
                stopped_earlier=stopped_earlier,
                # A voice counts the person in on the mat; without one, nothing starts unseen.
                wait_on_floor=setup is None or setup.speech is None,
                listener=listener,
            )
        except BaseException:  # a closed terminal (SIGHUP) or SIGTERM: sets are saved
            if session_id is not None:
                training.finish(store, session_id, "interrupted")
            raise
        # Close the session record first: a Ctrl-C at the question below must not leave it
        # marked as running.
        if session_id is not None:
            training.finish(store, session_id, outcome.reason)
    if demo and outcome.emergency:
        with common.open_store(ctx, create=True) as store:
            training.remember_emergency(store, done_on)
    _summary(ctx, outcome)
    if session_id is not None and outcome.saved and outcome.reason in ("completed", "quit"):
        _ask_session_pain(ctx, session_id, outcome)
    _closing(ctx, outcome)


def _summary(ctx: Context, outcome: SessionOutcome) -> None:
    from heelcoach.frontends.words import live as live_words
    from heelcoach.frontends.words import plural

    summary = outcome.summary
    minutes = 0.0 if outcome.demo else summary.elapsed_seconds / 60
    say(ctx, "")
    stopped = any(result.pain_stopped for result in summary.exercises)
    ending = live_words.ending_line(
        outcome.reason, len(outcome.saved), minutes, demo=outcome.demo, pain_stopped=stopped
    )
    say(ctx, ending)
    for result in summary.exercises:
        flags = ["skipped"] if result.skipped else []
        flags += ["stopped: pain"] if result.pain_stopped else []
        if not result.sets_done:
            if flags:
                say(ctx, f"  {result.name}: {', '.join(flags)}")
            continue
        done = plural(result.reps, "rep") if result.reps else f"{result.seconds:.0f} s"
        extra = f" ({', '.join(flags)})" if flags else ""
        say(ctx, f"  {result.name}: {plural(result.sets_done, 'set')}, {done}{extra}")
    for report in summary.pain_reports:
        where = ""
        if report.set_number is not None:
            side = f", {report.side} side" if report.side else ""
            when = "after" if report.when == "after_set" else "during"
            where = f" {when} {report.item.name} set {report.set_number}{side}"
        say(ctx, f"  Pain {report.pain}/10{where}")
    if outcome.events_stopped:
        ctx.stderr.write(
            f"heelcoach: --events stopped part-way ({outcome.events_stopped}); the session"
            " went on without them, as the summary above shows\n"
        )
    if outcome.emergency and not outcome.plain:  # the full screen and its panel are gone
        _emergency_panel(ctx)


def _emergency_panel(ctx: Context) -> None:
    from heelcoach.frontends.cli.console import console
    from heelcoach.frontends.words import live as live_words

    if not ctx.stdout_isatty:
        from heelcoach.frontends.live.runner import emergency_lines

        ctx.stdout.write("".join(line + "\n" for line in emergency_lines()))
        return
    from rich.panel import Panel
    from rich.text import Text

    console(ctx).print(
        Panel(
            Text(live_words.EMERGENCY_ADVICE, style="bold"),
            title=live_words.EMERGENCY_TITLE,
            border_style="bold red",
            padding=(1, 2),
        )
    )


def _ask_session_pain(ctx: Context, session_id: str, outcome: SessionOutcome) -> None:
    from heelcoach.frontends.words.live import end_of_session_pain_text
    from heelcoach.services import common

    if not ctx.interactive:
        return
    try:
        pain = ask_number(
            ctx,
            "How much pain did this session cause, 0-10? (blank to skip) ",
            10,
            "Type a whole number from 0 to 10 (blank to skip): ",
            blank_skips=True,
        )
    except EOFError:
        return
    if pain is None:
        return
    with common.open_store(ctx, create=True) as store:
        store.set_session_pain(session_id, pain)
    names = [r.name for r in outcome.summary.exercises if r.sets_done]
    warning = end_of_session_pain_text(pain, names)
    if warning:
        say(ctx, wrapped(ctx, warning))


def _closing(ctx: Context, outcome: SessionOutcome) -> None:
    if outcome.emergency:
        raise typer.Exit(EXIT_REFUSED)
    if outcome.saved and not outcome.demo:
        say(
            ctx,
            "Tomorrow morning, run `heelcoach checkin`: how you feel then decides the next dose.",
        )
    if outcome.interrupted:
        raise typer.Exit(EXIT_INTERRUPTED)
