"""`heelcoach test`: the readiness tests (tiptoe hold, hops, heel raises), guided in the
terminal, or entered as results done elsewhere (`--pain`, `--side`, `--left`, `--right`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, NamedTuple

import typer

from heelcoach.context import Context
from heelcoach.errors import BadInput, Refused
from heelcoach.frontends.cli.common import WHOLE, context
from heelcoach.frontends.cli.console import ask, ask_number, say, wrapped

if TYPE_CHECKING:
    from heelcoach.content.model import Library, ReadinessSpec
    from heelcoach.domain.profile import Profile
    from heelcoach.domain.readiness import Readiness
    from heelcoach.domain.records import Side, TestKind, TestSource
    from heelcoach.domain.safety import Verdict

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
            parser=WHOLE,
            metavar="0-10",
            help="Record a tiptoe or hop test done elsewhere: how painful it was. "
            "Example: heelcoach test hops --pain 2",
        ),
    ] = None,
    side: Annotated[
        str | None,
        typer.Option(
            metavar="left|right|both",
            help="With tiptoe --pain: the leg tested (default both). "
            "Example: heelcoach test tiptoe --pain 4 --side left",
        ),
    ] = None,
    left: Annotated[
        int | None,
        typer.Option(
            metavar="N",
            help="Record heel raises done elsewhere: the left leg's count. "
            "Example: heelcoach test heel-raise --left 18 --right 22",
        ),
    ] = None,
    right: Annotated[
        int | None,
        typer.Option(
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
    offered = _offered(test_name, profile, library, found)
    result = entered or _guided(ctx, test_name, offered, library.programme.readiness)
    _save_and_say(ctx, test_name, result, library, found, profile)


def _test_name(name: str) -> TestKind:
    from heelcoach.domain.records import test_named
    from heelcoach.errors import unknown_id

    named = test_named(name)
    if named is None:
        raise unknown_id("test", name, list(TESTS))
    return named


class _Result(NamedTuple):
    """A result to save: pain and side, or the heel-raise counts."""

    pain: int | None = None
    side: Side | None = None
    left: int | None = None
    right: int | None = None
    source: TestSource = "entered"


def _entered(
    test_name: str,
    pain: int | None,
    side: str | None,
    left: int | None,
    right: int | None,
    spec: ReadinessSpec,
) -> _Result | None:
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
        return _Result(left=left, right=right)
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
    return _Result(pain, named or ("both" if test_name == "tiptoe" else None))


def _offered(test_name: str, profile: Profile, library: Library, found: Readiness) -> Verdict:
    """How the test is offered; refused, with the rule's reason, when the screening leaves
    its loading out."""
    from heelcoach.frontends.words.plan import rule_text
    from heelcoach.services.readiness import offer

    offered = offer(test_name, profile, library, found)
    if not offered.allowed:
        reason = " ".join(rule_text(rule, library) for rule in offered.rules)
        raise Refused(f"the {test_name} test is not for you now: {reason}")
    return offered


def _save_and_say(
    ctx: Context,
    test_name: TestKind,
    result: _Result,
    library: Library,
    found: Readiness,
    profile: Profile,
) -> None:
    from heelcoach.domain.readiness import Readiness, passes
    from heelcoach.frontends.words import readiness_text
    from heelcoach.services import common
    from heelcoach.services.readiness import gate_open, record

    with common.open_store(ctx, create=True) as store:
        saved = record(store, test_name, ctx.today, ctx.now(), **result._asdict())
    outcome = passes(saved, library.programme.readiness)
    say(ctx, f"Saved: {readiness_text(saved)} on {saved.day:%a %d %b}.")
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


def _role(test_name: str, profile: Profile, library: Library, found: Readiness) -> str:
    """What the test does for this person: unlock, or check what they already have."""
    from heelcoach.services.readiness import gate_open

    if test_name != "heel-raise" and gate_open(test_name, profile, library, found):
        return "a check: nothing of yours waits for it now"
    return f"unlocks {UNLOCKS[test_name]}"


def _list(ctx: Context, library: Library, profile: Profile, found: Readiness) -> None:
    from heelcoach.frontends.words import readiness_text
    from heelcoach.services.readiness import offer

    latest = {"hops": found.hops, "heel-raise": found.heel_raise}
    say(ctx, "Readiness tests:")
    for test_name in TESTS:
        offered = offer(test_name, profile, library, found)
        results = found.tiptoe if test_name == "tiptoe" else (latest[test_name],)
        last = ", ".join(f"{readiness_text(r)} on {r.day:%a %d %b}" for r in results if r)
        status = "" if offered.allowed else " (not for you now: see `heelcoach plan`)"
        say(
            ctx,
            f"  heelcoach test {test_name}: {_role(test_name, profile, library, found)}{status}",
        )
        say(ctx, f"    latest: {last or 'not done yet'}")


# --------------------------------------------------------------------------- guided


def _guided(ctx: Context, test_name: str, offered: Verdict, spec: ReadinessSpec) -> _Result:
    if not ctx.interactive:
        example = "--left N --right N" if test_name == "heel-raise" else "--pain N"
        raise BadInput(
            f"no terminal to guide the test in: record a result with "
            f"`heelcoach test {test_name} {example}`"
        )
    if offered.support_required:
        support = "Hold a wall, rail or sturdy chair throughout: balance comes first."
    else:
        support = "Stand near a wall or counter you can touch if you wobble."
    say(ctx, wrapped(ctx, support))
    if test_name == "tiptoe":
        return _guide_tiptoe(ctx, spec)
    if test_name == "hops":
        return _guide_hops(ctx, spec)
    return _guide_raises(ctx, spec)


def _countdown(ctx: Context, words: str) -> None:
    for count in (3, 2, 1):
        say(ctx, f"{words} in {count}...")
        ctx.sleep(1.0)


def _wait_until_ready(ctx: Context, prompt: str) -> None:
    """Enter starts the count; input that ends first starts nothing."""
    try:
        ask(ctx, wrapped(ctx, prompt) + " ")
    except EOFError:
        raise BadInput("input ended before the test started: nothing was recorded") from None


def _show_count(ctx: Context, label: str, number: str) -> None:
    """The label, and in a terminal the number in block digits below it."""
    from heelcoach.frontends.live.view import big_text

    say(ctx, label)
    if ctx.stdout_isatty:
        say(ctx, "\n".join(big_text(number)))
    ctx.stdout.flush()


def _guide_tiptoe(ctx: Context, spec: ReadinessSpec) -> _Result:
    worst = 0
    for leg in ("left", "right"):
        say(ctx, f"\nStand on your {leg} foot, other foot lifted.")
        _countdown(ctx, "Up on tiptoe")
        say(ctx, f"Up - hold for {spec.tiptoe_hold_seconds} s")
        ctx.sleep(float(spec.tiptoe_hold_seconds))
        say(ctx, "Down.")
        worst = max(worst, _ask_pain(ctx, f"How painful was that on the {leg}, 0-10? "))
    return _Result(worst, "both", source="guided")


def _guide_hops(ctx: Context, spec: ReadinessSpec) -> _Result:
    """Nothing is counted until the person says they stand ready; each hop's number is
    shown in block digits, readable from where one hops."""
    hops = f"{spec.hops_count} small hops on both feet, landing softly, one a second."
    say(ctx, "\n" + wrapped(ctx, hops))
    _wait_until_ready(ctx, "Stand where you can see this screen, then press Enter to start.")
    _countdown(ctx, "Start")
    for hop in range(1, spec.hops_count + 1):
        _show_count(ctx, f"hop {hop} of {spec.hops_count}", str(hop))
        ctx.sleep(1.0)
    say(ctx, "Stop.")
    return _Result(_ask_pain(ctx, "How painful were the hops, 0-10? "), source="guided")


def _guide_raises(ctx: Context, spec: ReadinessSpec) -> _Result:
    """Each leg to a metronome: up on one beat, down on the next; any key stops the count."""
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
    return _Result(left=counts["left"], right=counts["right"], source="guided")


def _metronome(ctx: Context, spec: ReadinessSpec) -> int:
    """Beat out reps until a key is pressed; without a key-by-key terminal, ask the count."""
    from heelcoach.frontends.live.terminal import KeyReader

    half = spec.raise_seconds_per_rep / 2
    with KeyReader(ctx.stdin, handle_signals=False) as keys:
        if not keys.interactive:
            most = spec.raise_most
            again = f"  a whole number from 0 to {most}: "
            return ask_number(ctx, "How many heel raises did you do? ", most, again)
        for rep in range(1, spec.raise_most + 1):
            for word in (f"up {rep}", "down"):
                say(ctx, word)
                ctx.stdout.flush()
                if keys.read(half) is not None:
                    return rep - 1 if word.startswith("up") else rep
    return spec.raise_most


def _ask_pain(ctx: Context, prompt: str) -> int:
    return ask_number(ctx, prompt, 10, "  a whole number from 0 (none) to 10: ")
