"""Every word a person reads or hears during a live session, from the engine's events."""

from __future__ import annotations

from collections.abc import Sequence

from heelcoach.domain.monitoring import TOO_MUCH_PAIN_ABOVE
from heelcoach.domain.session.model import (
    AskingNext,
    EndReason,
    ExerciseSkipped,
    NextUp,
    PainReported,
    PainTime,
    SessionItem,
    SetFinished,
)
from heelcoach.domain.text import line
from heelcoach.frontends.words import amount, landings_text, listing, plural

EMERGENCY_TITLE = "Stopped for your safety"
EMERGENCY_ADVICE = (
    "Stop now and sit down. If the chest pain or dizziness does not pass within a few "
    "minutes, or you feel unwell, call your emergency number. See a doctor before you "
    "train again."
)
ANY_KEY = "Press any key to close."
LISTEN_TOO_LOUD = "Too loud here to hear every landing: turn the sound down or move closer."
PAUSED_TEXT = "Paused: press space to resume."
READY_PROMPT = "Press Enter when you lie ready; the set starts 5 s later."
PAIN_PROMPT = "Pain 0-10? Type a number, then Enter. Esc cancels."
QUIT_PROMPT = "Quit the session? Press y to quit, any other key to keep going."
INTERRUPTED_NOTE = "Sets saved so far are kept."

_AREAS = {
    "lower-leg": "the lower leg",
    "knee": "the knee",
    "thigh": "the thigh",
    "hip": "the hip",
    "low-back": "the lower back",
}


def areas_text(areas: Sequence[str]) -> str:
    """'the lower leg', 'the knee and the hip'."""
    return listing([_AREAS.get(area, area.replace("-", " ")) for area in areas])


def dose_text(item: SessionItem) -> str:
    """'2 sets of 10 reps each side' (the sets this session will run)."""
    each = " each side" if item.per_side else ", legs in turn" if item.alternate else ""
    return f"{plural(item.sets_to_run, 'set')} of {amount(item.reps, item.seconds)}{each}"


def set_text(item: SessionItem, set_number: int, side: str | None) -> str:
    """'set 2 of 3, left side'."""
    where = f", {side} side" if side else ""
    return f"set {set_number} of {item.sets}{where}"


def next_text(up: NextUp) -> str:
    """What comes next: 'right side', 'set 2 of 3' or 'Bridge, set 1 of 2'."""
    if up.same_set and up.side:
        return f"{up.side} side"
    text = set_text(up.item, up.set_number, up.side)
    return f"{up.item.name}, {text}" if up.new_exercise else text


def saved_text(finished: SetFinished) -> str:
    """'Set 1 saved: 10 reps' (or 'Set 1 (left) saved: 30 s, pain 3/10')."""
    side = f" ({finished.side})" if finished.side else ""
    done = amount(finished.reps, round(finished.seconds))
    pain = f", pain {finished.pain}/10" if finished.pain is not None else ""
    heard = ""
    if finished.landings is not None:
        heard = ", " + landings_text(
            finished.landings, finished.soft_landings or 0, finished.hard_landings or 0
        )
    return f"Set {finished.set_number}{side} saved: {done}{pain}{heard}"


def demo_saved_text(finished: SetFinished) -> str:
    """In a demo nothing is written: say what would have been."""
    return saved_text(finished).replace(" saved:", " done (demo, not saved):")


def pain_text(report: PainReported) -> str:
    """At once, with what happens next."""
    if report.stopped:
        return (
            f"Pain {report.pain}/10 is too much: {report.item.name.lower()} stops for today "
            "and steps back a level next session."
        )
    where = " after the last set" if report.when is PainTime.AFTER_SET else ""
    text = f"Pain {report.pain}/10 noted{where}."
    if report.pain >= TOO_MUCH_PAIN_ABOVE - 1:
        text += f" Keep it at {TOO_MUCH_PAIN_ABOVE} or below; stop if it climbs."
    return text


def ask_text(asking: AskingNext) -> str:
    """'Heel drop stopped for pain. Next: eccentric heel drop also loads the lower leg.'"""
    when = " earlier today" if asking.earlier else ""
    return (
        f"{asking.stopped.name} stopped for pain{when}. Next: {asking.next.name.lower()} "
        f"also loads {areas_text(asking.areas)}."
    )


ASK_QUESTION = "Do it? Press y for yes, any other key to skip it."


def skipped_text(event: ExerciseSkipped) -> str:
    return f"Skipped {event.item.name.lower()}."


def notice_text(notice: PainReported | ExerciseSkipped | None) -> str | None:
    if isinstance(notice, PainReported):
        return pain_text(notice)
    if isinstance(notice, ExerciseSkipped):
        return skipped_text(notice)
    return None


def end_of_session_pain_text(pain: int, names: Sequence[str]) -> str | None:
    """The end-of-session answer above 5 gets the same plain warning as a pain stop."""
    if pain <= TOO_MUCH_PAIN_ABOVE:
        return None
    what = " and ".join(name.lower() for name in names) if names else "this session"
    step = "steps" if len(names) <= 1 else "step"
    return (
        f"Pain {pain}/10 is too much: {what} {step} back a level next session. "
        "Rest it, and see a professional if it does not settle."
    )


def ending_line(
    reason: str, sets: int, minutes: float, *, demo: bool, pain_stopped: bool = False
) -> str:
    """The one line that says how the session ended (no praise after a pain stop)."""
    took = f" in {minutes:.0f} min" if minutes >= 1 else ""
    if demo and reason == EndReason.EMERGENCY:
        return (
            f"Demo stopped for chest pain or dizziness: {plural(sets, 'set')} done{took}. "
            "The sets are not saved (a demo), but the stop is: see a doctor before you "
            "train again."
        )
    if demo:
        done = {
            "completed": "Demo complete",
            "quit": "Demo ended",
            "interrupted": "Demo interrupted",
        }[reason]
        return f"{done}: {plural(sets, 'set')} done{took}, nothing saved (a demo)."
    saved = f"{plural(sets, 'set')} saved{took}"
    if reason == EndReason.COMPLETED:
        return f"Session complete: {saved}." + (
            " Rest what hurt." if pain_stopped else " Well done."
        )
    if reason == EndReason.QUIT:
        return f"Session ended early: {saved}."
    if reason == EndReason.EMERGENCY:
        return f"Session stopped for chest pain or dizziness: {saved}."
    return f"Session interrupted: {saved}. {INTERRUPTED_NOTE}"


def listen_stopped_text(reason: str) -> str:
    """The sound could not be heard on (`reason`, one line): the session goes on unheard."""
    return f"Stopped listening: {line(reason).rstrip('.')}. The session goes on."
