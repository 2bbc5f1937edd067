"""`heelcoach test`: the readiness tests, guided in the terminal or entered as results.

- `heelcoach test tiptoe`: a one-second tiptoe hold on one leg, each side, then "how
  painful, 0-10?" (passes at 5/10 or less; unlocks heel drops, one-leg drops, eccentric
  drops, jumps and fast kicks).
- `heelcoach test hops`: 10 hops on both feet, counted, then the pain (passes below 5/10;
  unlocks jumps and fast kicks).
- `heelcoach test heel-raise`: single-leg heel raises to fatigue, counted to a metronome,
  each side (an endurance measure to track).

Each can record a result done elsewhere instead (`--pain`, `--side`, `--left`, `--right`),
for example with a physiotherapist. With no test named, it lists the tests and the latest
results.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from heelcoach.context import Context
from heelcoach.errors import BadInput, Refused
from heelcoach.frontends.cli.common import WHOLE, context

if TYPE_CHECKING:
    from heelcoach.content.model import Library, ReadinessSpec
    from heelcoach.domain.profile import Profile
    from heelcoach.domain.readiness import Readiness
    from heelcoach.domain.records import ReadinessResult, Side, TestKind, TestSource
    from heelcoach.services.readiness import Offer

TESTS = ("tiptoe", "hops", "heel-raise")
UNLOCKS = {
    "tiptoe": "heel drops, one-leg drops, eccentric drops, jumps and fast kicks",
    "hops": "heel jumps and fast kicks",
    "heel-raise": "nothing (it tracks calf endurance)",
}


def test(
    tctx: typer.Context,
    name: Annotated[
        str | None,
        typer.Argument(
            metavar="TEST",
            help="tiptoe, hops or heel-raise; leave out to list the tests and your results. "
            "Example: heelcoach test tiptoe",
        ),
    ] = None,
    pain: Annotated[
        int | None,
        typer.Option(
            "--pain",
            parser=WHOLE,
            metavar="0-10",
            help="Record a tiptoe or hop test done elsewhere: how painful it was. "
            "Example: heelcoach test hops --pain 2",
        ),
    ] = None,
    side: Annotated[
        str | None,
        typer.Option(
            "--side",
            metavar="left|right|both",
            help="With tiptoe --pain: the leg tested (default both). "
            "Example: heelcoach test tiptoe --pain 4 --side left",
        ),
    ] = None,
    left: Annotated[
        int | None,
        typer.Option(
            "--left",
            metavar="N",
            help="Record heel raises done elsewhere: the left leg's count. "
            "Example: heelcoach test heel-raise --left 18 --right 22",
        ),
    ] = None,
    right: Annotated[
        int | None,
        typer.Option(
            "--right",
            metavar="N",
            help="Record heel raises done elsewhere: the right leg's count. "
            "Example: heelcoach test heel-raise --left 18 --right 22",
        ),
    ] = None,
) -> None:
    """Readiness tests: the tiptoe hold, the hop test and heel raises; they unlock doses.

    Example: heelcoach test tiptoe
    """
    from heelcoach.services import common
    from heelcoach.services.readiness import latest_readiness

    ctx = context(tctx)
    library = common.library(ctx)
    profile = common.require_profile(ctx, library)
    if name is None:
        with common.open_store(ctx, create=False) as store:
            _list(ctx, library, profile, latest_readiness(store))
        return
    test_name = _test_name(name)
    entered = _entered(test_name, pain, side, left, right, library.programme.readiness)
    with common.open_store(ctx, create=False) as store:
        found = latest_readiness(store)
    _check_offered(test_name, profile, library, found)
    result = entered or _guided(ctx, test_name, profile, library, found)
    _save_and_say(ctx, test_name, result, library, found, profile)


def _test_name(name: str) -> TestKind:
    from heelcoach.domain.records import test_named
    from heelcoach.errors import unknown_id

    named = test_named(name)
    if named is None:
        raise unknown_id("test", name, list(TESTS))
    return named


class _Entered:
    """A result typed on the command line: pain and side, or the heel-raise counts."""

    def __init__(
        self, pain: int | None, side: Side | None, left: int | None, right: int | None
    ) -> None:
        self.pain, self.side, self.left, self.right = pain, side, left, right


def _entered(
    test_name: str,
    pain: int | None,
    side: str | None,
    left: int | None,
    right: int | None,
    spec: ReadinessSpec,
) -> _Entered | None:
    """The result given by options, checked; None when the test is to be guided."""
    from heelcoach.domain.logbook import check_number, check_score
    from heelcoach.domain.records import side_named

    if test_name == "heel-raise":
        if pain is not None or side is not None:
            raise BadInput("heel-raise records counts: use --left N --right N")
        if left is None and right is None:
            return None
        for count, option in ((left, "--left"), (right, "--right")):
            if count is not None:
                check_number(count, option, (0, spec.raise_most))
        return _Entered(None, None, left, right)
    if left is not None or right is not None:
        raise BadInput(f"{test_name} records a pain score: use --pain N")
    named = side_named(side) if side is not None else None
    if side is not None and (test_name != "tiptoe" or named is None):
        raise BadInput("--side is for the tiptoe test: left, right or both")
    if pain is None:
        if side is not None:
            raise BadInput("--side needs --pain (the tiptoe hold's pain, 0-10)")
        return None
    check_score(pain, "--pain")
    return _Entered(pain, named or ("both" if test_name == "tiptoe" else None), None, None)


def _check_offered(test_name: str, profile: Profile, library: Library, found: Readiness) -> None:
    """Refuse, with the rule's reason, a test whose loading the screening leaves out."""
    from heelcoach.frontends.words.plan import rule_text
    from heelcoach.services.readiness import offer

    offered = offer(test_name, profile, library, found)
    if not offered.allowed:
        reason = " ".join(rule_text(rule, library) for rule in offered.verdict.rules)
        raise Refused(f"the {test_name} test is not for you now: {reason}")


def _save_and_say(
    ctx: Context,
    test_name: TestKind,
    result: _Entered,
    library: Library,
    found: Readiness,
    profile: Profile,
) -> None:
    from heelcoach.domain.readiness import Readiness, passes
    from heelcoach.frontends.cli.console import say
    from heelcoach.services import common
    from heelcoach.services.readiness import gate_open, record

    source: TestSource = "guided" if isinstance(result, _Guided) else "entered"
    with common.open_store(ctx, create=True) as store:
        saved = record(
            store,
            test_name,
            ctx.today,
            ctx.now(),
            side=result.side,
            pain=result.pain,
            left=result.left,
            right=result.right,
            source=source,
        )
    outcome = passes(saved, library.programme.readiness)
    say(ctx, f"Saved: {_result_text(saved)}.")
    untested = Readiness.latest([*found.tiptoe, saved]).untested_tiptoe_legs()
    if outcome is True and test_name == "tiptoe" and untested and profile.tiptoe_hold_ok is False:
        leg = untested[0]
        say(
            ctx,
            f"Passed on this leg. Your screening said the hold hurts, so the {leg} leg "
            f"needs its own test first: heelcoach test tiptoe --side {leg}",
        )
    elif outcome is True and gate_open(test_name, profile, library, found):
        say(ctx, "Passed: nothing of yours was waiting for it; your plan stays as it is.")
    elif outcome is True:
        say(ctx, f"Passed: this unlocks {UNLOCKS[test_name]} (see `heelcoach plan`).")
    elif outcome is False:
        say(
            ctx,
            f"Not yet: {UNLOCKS[test_name]} stay locked. Rest, and try again in a few "
            "days; see a physical therapist if it keeps hurting.",
        )


def _result_text(result: ReadinessResult) -> str:
    if result.test == "heel-raise":
        return (
            f"heel raises: left {_count(result.left)}, right {_count(result.right)} "
            f"on {result.day:%a %d %b}"
        )
    side = f" ({result.side})" if result.side and result.side != "both" else ""
    return f"{result.test}{side}: pain {result.pain}/10 on {result.day:%a %d %b}"


def _count(value: int | None) -> str:
    return "-" if value is None else str(value)


def _role(test_name: str, profile: Profile, library: Library, found: Readiness) -> str:
    """What the test does for this person: unlock, or check what they already have."""
    from heelcoach.services.readiness import gate_open

    if test_name != "heel-raise" and gate_open(test_name, profile, library, found):
        return "a check: nothing of yours waits for it now"
    return f"unlocks {UNLOCKS[test_name]}"


def _list(ctx: Context, library: Library, profile: Profile, found: Readiness) -> None:
    from heelcoach.frontends.cli.console import say
    from heelcoach.services.readiness import offer

    latest = {"hops": found.hops, "heel-raise": found.heel_raise}
    say(ctx, "Readiness tests:")
    for test_name in TESTS:
        offered = offer(test_name, profile, library, found)
        if test_name == "tiptoe":
            last = ", ".join(_result_text(r) for r in found.tiptoe) or "not done yet"
        else:
            result = latest[test_name]
            last = _result_text(result) if result else "not done yet"
        status = "" if offered.allowed else " (not for you now: see `heelcoach plan`)"
        say(
            ctx,
            f"  heelcoach test {test_name}: {_role(test_name, profile, library, found)}{status}",
        )
        say(ctx, f"    latest: {last}")


# --------------------------------------------------------------------------- guided


class _Guided(_Entered):
    """A result from a test run live in the terminal."""


def _guided(
    ctx: Context, test_name: str, profile: Profile, library: Library, found: Readiness
) -> _Guided:
    from heelcoach.frontends.cli.console import say, wrapped
    from heelcoach.services.readiness import offer

    if not ctx.interactive:
        raise BadInput(
            f"no terminal to guide the test in: record a result with "
            f"`heelcoach test {test_name} {_example(test_name)}`"
        )
    offered = offer(test_name, profile, library, found)
    spec = library.programme.readiness
    say(ctx, wrapped(ctx, _support_line(offered)))
    if test_name == "tiptoe":
        return _guide_tiptoe(ctx, spec)
    if test_name == "hops":
        return _guide_hops(ctx, spec)
    return _guide_raises(ctx, spec)


def _example(test_name: str) -> str:
    return "--left N --right N" if test_name == "heel-raise" else "--pain N"


def _support_line(offered: Offer) -> str:
    if offered.support:
        return "Hold a wall, rail or sturdy chair throughout: balance comes first."
    return "Stand near a wall or counter you can touch if you wobble."


def _countdown(ctx: Context, words: str) -> None:
    from heelcoach.frontends.cli.console import say

    for count in (3, 2, 1):
        say(ctx, f"{words} in {count}...")
        ctx.sleep(1.0)


def _wait_until_ready(ctx: Context, prompt: str) -> None:
    """Enter starts the count; input that ends first starts nothing."""
    from heelcoach.frontends.cli.console import ask, wrapped

    try:
        ask(ctx, wrapped(ctx, prompt) + " ")
    except EOFError:
        raise BadInput("input ended before the test started: nothing was recorded") from None


def _show_count(ctx: Context, label: str, number: str) -> None:
    """The label, and in a terminal the number in block digits below it."""
    from heelcoach.frontends.cli.console import say
    from heelcoach.frontends.live.view import big_text

    say(ctx, label)
    if ctx.stdout_isatty:
        say(ctx, "\n".join(big_text(number)))
    ctx.stdout.flush()


def _guide_tiptoe(ctx: Context, spec: ReadinessSpec) -> _Guided:
    from heelcoach.frontends.cli.console import say

    worst = 0
    for leg in ("left", "right"):
        say(ctx, f"\nStand on your {leg} foot, other foot lifted.")
        _countdown(ctx, "Up on tiptoe")
        say(ctx, f"Up - hold for {spec.tiptoe_hold_seconds} s")
        ctx.sleep(float(spec.tiptoe_hold_seconds))
        say(ctx, "Down.")
        worst = max(worst, _ask_pain(ctx, f"How painful was that on the {leg}, 0-10? "))
    return _Guided(worst, "both", None, None)


def _guide_hops(ctx: Context, spec: ReadinessSpec) -> _Guided:
    """Nothing is counted until the person says they stand ready; each hop's number is
    shown in block digits, readable from where one hops."""
    from heelcoach.frontends.cli.console import say, wrapped

    hops = f"{spec.hops_count} small hops on both feet, landing softly, one a second."
    say(ctx, "\n" + wrapped(ctx, hops))
    _wait_until_ready(ctx, "Stand where you can see this screen, then press Enter to start.")
    _countdown(ctx, "Start")
    for hop in range(1, spec.hops_count + 1):
        _show_count(ctx, f"hop {hop} of {spec.hops_count}", str(hop))
        ctx.sleep(1.0)
    say(ctx, "Stop.")
    return _Guided(_ask_pain(ctx, "How painful were the hops, 0-10? "), None, None, None)


def _guide_raises(ctx: Context, spec: ReadinessSpec) -> _Guided:
    """Each leg to a metronome: up on one beat, down on the next; any key stops the count."""
    from heelcoach.frontends.cli.console import say

    counts: dict[str, int] = {}
    for leg in ("left", "right"):
        say(
            ctx,
            f"\nOn your {leg} foot: rise and lower to the beat, as many times as you can "
            "with good form. Press any key when you stop.",
        )
        _countdown(ctx, "Start")
        counts[leg] = _metronome(ctx, spec)
        say(ctx, f"{leg}: {counts[leg]} heel raises.")
    return _Guided(None, None, counts["left"], counts["right"])


def _metronome(ctx: Context, spec: ReadinessSpec) -> int:
    """Beat out reps until a key is pressed; without a key-by-key terminal, ask the count."""
    from heelcoach.frontends.cli.console import say
    from heelcoach.frontends.live.terminal import KeyReader

    half = spec.raise_seconds_per_rep / 2
    with KeyReader(ctx.stdin, handle_signals=False) as keys:
        if not keys.interactive:
            most = spec.raise_most
            return _ask_count(
                ctx,
                "How many heel raises did you do? ",
                most,
                f"  a whole number from 0 to {most}: ",
            )
        for rep in range(1, spec.raise_most + 1):
            for word in (f"up {rep}", "down"):
                say(ctx, word)
                ctx.stdout.flush()
                if keys.read(half) is not None:
                    return rep - 1 if word.startswith("up") else rep
    return spec.raise_most


def _ask_pain(ctx: Context, prompt: str) -> int:
    return _ask_count(ctx, prompt, 10, "  a whole number from 0 (none) to 10: ")


def _ask_count(ctx: Context, prompt: str, most: int, again: str) -> int:
    from heelcoach.frontends.cli.console import ask_number

    return ask_number(ctx, prompt, most, again)
