"""What goes into a live session and what comes out: items, commands, events, snapshots.
Plain frozen data with no words for a person: the front ends decide how each one reads."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TypeAlias

from heelcoach.content.model import Phase  # one rep's tempo, exactly as the content defines it


class Activity(StrEnum):
    """What the session clock is doing."""

    POSITION = "position"  # getting into position before an exercise (Enter starts it)
    WORK = "work"
    REST = "rest"  # between sets, or between exercises
    SWITCH = "switch"  # the breather between the left and the right side of one set
    DONE = "done"


class Hold(StrEnum):
    """Why the clock is held: the person paused, or a question waits for an answer."""

    PAUSED = "paused"
    PAIN = "pain"  # the pain prompt is open (the front end collects the digits)
    QUIT = "quit"  # "quit the session?" waits for a yes
    ASK = "ask"  # after a pain stop: "the next exercise loads the same area: do it?"
    READY = "ready"  # a floor exercise waits for the person to say they lie ready


class EndReason(StrEnum):
    COMPLETED = "completed"
    QUIT = "quit"
    EMERGENCY = "emergency"


class SetEnd(StrEnum):
    TARGET = "target"  # all reps or seconds done
    EARLY = "early"  # the person finished it early
    SKIP = "skip"  # the rest of the exercise was skipped
    PAIN = "pain"  # pain above 5 stopped it
    QUIT = "quit"
    EMERGENCY = "emergency"


class PainTime(StrEnum):
    """When pain was reported, which decides the set it belongs to."""

    DURING_SET = "during_set"  # the set in progress
    AFTER_SET = "after_set"  # a rest or a position after a set: the set just done
    BEFORE_ANY = "before_any"  # nothing done yet this session


Side: TypeAlias = str  # "left" | "right" (one-leg work only)


@dataclass(frozen=True)
class SessionItem:
    """One exercise of today's plan; `first_set` > 1 resumes after sets done earlier today."""

    exercise: str
    name: str
    sets: int
    reps: int | None
    seconds: int | None
    per_side: bool
    support: str | None
    phases: tuple[Phase, ...]
    cues: tuple[str, ...]
    mistakes: tuple[str, ...]
    rest_seconds: int
    setup: tuple[str, ...] = ()
    loads: tuple[str, ...] = ()  # body areas (content.model.AREAS) the exercise loads
    first_set: int = 1
    # One-leg work done in turn, one rep left then one right: a set of `reps` counts
    # both legs, so `reps` is twice the reps per leg; the side follows the rep.
    alternate: bool = False
    # Done lying on a mat, where the screen may be out of sight: see `Session`.
    floor: bool = False

    def side_of_rep(self, rep: int) -> str | None:
        """The leg a rep is done on when the legs take turns (odd reps left)."""
        if not self.alternate:
            return None
        return "left" if rep % 2 else "right"

    def __post_init__(self) -> None:
        """Reject plans the engine cannot run, at construction rather than mid-session."""
        where = self.exercise or "exercise"
        if (self.reps is None) == (self.seconds is None):
            raise ValueError(f"{where}: set exactly one of reps or seconds")
        if self.sets < 1:
            raise ValueError(f"{where}: sets must be at least 1")
        if not 1 <= self.first_set <= self.sets:
            raise ValueError(f"{where}: first_set must be between 1 and sets")
        if self.reps is not None and self.reps < 1:
            raise ValueError(f"{where}: reps must be at least 1")
        if self.seconds is not None and self.seconds < 1:
            raise ValueError(f"{where}: seconds must be at least 1")
        if self.rest_seconds < 0:
            raise ValueError(f"{where}: rest_seconds cannot be negative")
        if self.reps is not None and not self.phases:
            raise ValueError(f"{where}: rep work needs a tempo (phases)")
        if any(phase.seconds <= 0 for phase in self.phases):
            raise ValueError(f"{where}: every phase needs a positive duration")

    @property
    def timed(self) -> bool:
        return self.seconds is not None

    @property
    def tempo(self) -> tuple[Phase, ...]:
        """The phases to run; timed work without a tempo is one long phase."""
        if self.phases:
            return self.phases
        return (Phase("Go", float(self.seconds or 1), ""),)

    @property
    def set_seconds(self) -> float:
        """Planned length of one set on one side."""
        if self.seconds is not None:
            return float(self.seconds)
        return (self.reps or 0) * sum(phase.seconds for phase in self.tempo)

    @property
    def sets_to_run(self) -> int:
        return self.sets - self.first_set + 1

    @property
    def set_rows(self) -> int:
        """Recorded sets this session will add: one-leg work records one per side."""
        return self.sets_to_run * (2 if self.per_side else 1)


class Action(StrEnum):
    """What a person asks for; the front end turns keys into these."""

    PAUSE = "pause"  # hold the clock
    RESUME = "resume"  # start the clock again; with a question open, cancel it
    FINISH_SET = "finish_set"  # end the set with what is done; end a rest; start from position
    END_GET_READY = "end_get_ready"  # end the get-into-position countdown, start the set
    SKIP = "skip"  # drop what is left of this exercise (during a rest: of the coming one)
    ASK_PAIN = "ask_pain"  # open the pain question; the clock holds while the person types
    QUIT = "quit"  # ask to end the session; the clock holds until CONFIRM_QUIT or RESUME
    CONFIRM_QUIT = "confirm_quit"  # end now, keeping a set in progress with a rep or second
    EMERGENCY = "emergency"  # chest pain or dizziness: stop everything at once


@dataclass(frozen=True)
class ReportPain:
    """Pain 0-10 now. Above 5 stops the exercise."""

    pain: int


@dataclass(frozen=True)
class AnswerNext:
    """The answer to "the next exercise loads the same area: do it?"."""

    take: bool


Command: TypeAlias = Action | ReportPain | AnswerNext


@dataclass(frozen=True)
class NextUp:
    """The set that comes next: the same exercise's next set or side, or a new exercise."""

    item: SessionItem
    set_number: int
    side: Side | None
    new_exercise: bool
    same_set: bool  # only the side changes


@dataclass(frozen=True)
class PositionStarted:
    """Time to get into position for an exercise: its setup and support apply now."""

    item: SessionItem
    number: int  # 1-based place of the exercise in the session
    count: int
    seconds: float
    waits: bool = False  # held until the person is ready (a floor exercise, no voice)


@dataclass(frozen=True)
class SetStarted:
    item: SessionItem
    set_number: int
    side: Side | None


@dataclass(frozen=True)
class PhaseStarted:
    phase: Phase
    index: int  # position in the tempo; 0 starts a rep
    rep: int | None  # the rep this phase belongs to (rep work), 1-based


@dataclass(frozen=True)
class RepCompleted:
    exercise: str
    rep: int
    target: int


@dataclass(frozen=True)
class SetFinished:
    """One recorded set. `started`/`ended` are monotonic times; `seconds` excludes pauses."""

    exercise: str
    set_number: int
    side: Side | None
    reps: int | None
    seconds: float
    target_reps: int | None
    target_seconds: int | None
    pain: int | None
    started: float
    ended: float
    ended_by: SetEnd = SetEnd.TARGET
    # Landings the listening counter heard in the set, and the soft and hard ones.
    landings: int | None = None
    soft_landings: int | None = None
    hard_landings: int | None = None


@dataclass(frozen=True)
class RestStarted:
    seconds: float
    next: NextUp


@dataclass(frozen=True)
class ExerciseSkipped:
    item: SessionItem
    next: NextUp | None


@dataclass(frozen=True)
class PainReported:
    """Pain reported; `set_index`: the recorded set it belongs to (reported in a rest)."""

    item: SessionItem  # the exercise the pain belongs to
    pain: int
    when: PainTime
    set_number: int | None
    side: Side | None
    set_index: int | None
    stopped: bool  # above 5: the exercise stops for today
    next_loads: tuple[str, ...] = ()  # areas the coming exercise shares with the stopped one


@dataclass(frozen=True)
class AskingNext:
    """After a pain stop: the coming exercise loads an area that hurt; the clock holds."""

    stopped: SessionItem
    next: SessionItem
    areas: tuple[str, ...]
    earlier: bool = False  # the stop was in an earlier session today


@dataclass(frozen=True)
class EmergencyStopped:
    pass


@dataclass(frozen=True)
class Paused:
    why: Hold


@dataclass(frozen=True)
class Resumed:
    pass


@dataclass(frozen=True)
class SessionEnded:
    reason: EndReason


Event: TypeAlias = (
    PositionStarted
    | SetStarted
    | PhaseStarted
    | RepCompleted
    | SetFinished
    | RestStarted
    | ExerciseSkipped
    | PainReported
    | AskingNext
    | EmergencyStopped
    | Paused
    | Resumed
    | SessionEnded
)


@dataclass(frozen=True, kw_only=True)
class Snapshot:
    """One moment of the session (the defaults: nothing under way). Times ending in `_at`
    are on the caller's clock, None while the clock is held: it has no future deadlines."""

    activity: Activity
    hold: Hold | None = None
    item: SessionItem | None = None  # None once done
    exercise_number: int
    exercise_count: int
    set_number: int
    side: Side | None = None
    rep: int | None = None  # the rep under way (rep work)
    phase: Phase | None = None  # the tempo phase under way (work only)
    phase_index: int = 0
    phase_progress: float = 1.0
    phase_seconds: float | None = None
    countdown: int | None = None  # whole seconds left: timed work, rests, switches, position
    cue: str | None = None
    mistake: str | None = None
    next: NextUp | None = None  # during a rest, a switch or a position: the set next
    asking: AskingNext | None = None
    notice: PainReported | ExerciseSkipped | None = None  # the latest news, until the next set
    session_progress: float = 1.0
    seconds_left: float = 0.0
    segment_started_at: float | None = None
    segment_ends_at: float | None = None
    phase_started_at: float | None = None
    phase_ends_at: float | None = None
    end_reason: EndReason | None = None

    @property
    def running(self) -> bool:
        return self.hold is None and self.activity is not Activity.DONE


@dataclass(frozen=True)
class ExerciseResult:
    name: str
    sets_done: int  # recorded sets; per-side work records two per set
    reps: int
    seconds: float
    skipped: bool
    pain_stopped: bool


@dataclass(frozen=True)
class SessionSummary:
    exercises: tuple[ExerciseResult, ...]
    pain_reports: tuple[PainReported, ...]
    elapsed_seconds: float
