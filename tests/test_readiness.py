"""`heelcoach test`: recording results, refusing tests the screening rules out, guiding a
test in a real terminal, `heelcoach settings`, and the results in `stats` and the plan."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from helpers import (
    assert_one_line_error,
    content_library,
    context,
    open_store,
    run_cli,
    write_answers,
)

from heelcoach.domain.readiness import Readiness, readiness_facts
from heelcoach.domain.records import ReadinessResult, Side


def screened(tmp_path: Path, **answers: object) -> None:
    result = run_cli("screen", "--answers", str(write_answers(tmp_path, **answers)))
    assert result.returncode == 0, result.stderr


def test_entered_results_are_saved_and_change_the_plan(tmp_path: Path) -> None:
    screened(tmp_path, goals=["bone", "achilles"])
    locked = run_cli("plan", "--week", "3", "--json")
    assert "hop test" in locked.stdout  # jumps locked until the hop test
    hops = run_cli("test", "hops", "--pain", "2")
    assert hops.returncode == 0, hops.stderr
    assert "Passed: this unlocks heel jumps" in hops.stdout
    days = json.loads(run_cli("plan", "--week", "3", "--json").stdout)["days"]
    assert any(item["exercise"] == "heel-jump" for day in days for item in day["items"])
    tiptoe = run_cli("test", "tiptoe", "--pain", "7", "--side", "right")
    assert "Not yet" in tiptoe.stdout
    days = json.loads(run_cli("plan", "--week", "3", "--json").stdout)["days"]
    planned = {item["exercise"] for day in days for item in day["items"]}
    assert not {"heel-drop", "heel-jump", "eccentric-heel-drop"} & planned
    with open_store(create=False) as store:
        kinds = [(r.test, r.side, r.pain, r.source) for r in store.readiness()]
    assert kinds == [("hops", None, 2, "entered"), ("tiptoe", "right", 7, "entered")]


def test_heel_raises_are_counted_per_leg_and_listed(tmp_path: Path) -> None:
    screened(tmp_path)
    result = run_cli("test", "heel-raise", "--left", "18", "--right", "22")
    assert result.returncode == 0, result.stderr
    listing = run_cli("test").stdout
    assert "heel raises: left 18, right 22" in listing
    stats = run_cli("stats").stdout
    assert "left 18, right 22" in stats


def test_a_test_the_screening_rules_out_is_refused_with_the_reason(tmp_path: Path) -> None:
    screened(tmp_path, joint_pain=["knee"])
    refused = run_cli("test", "hops", "--pain", "1")
    assert_one_line_error(refused, 1)
    assert "not for you now" in refused.stderr and "knees" in refused.stderr
    with open_store(create=False) as store:
        assert store.readiness() == []


@pytest.mark.parametrize(
    "args,words",
    [
        (("test", "hop", "--pain", "1"), "unknown test 'hop'; did you mean hops?"),
        (("test", "hops", "--pain", "11"), "--pain must be between 0 and 10"),
        (("test", "hops", "--left", "3"), "hops records a pain score"),
        (("test", "tiptoe", "--pain", "3", "--side", "up"), "--side is for the tiptoe test"),
        (("test", "heel-raise", "--left", "5000"), "--left must be between 0 and 200"),
        (("test", "hops"), "no terminal to guide the test in"),
    ],
)
def test_bad_test_input_is_one_line_and_saves_nothing(
    tmp_path: Path, args: tuple[str, ...], words: str
) -> None:
    screened(tmp_path)
    result = run_cli(*args)
    assert_one_line_error(result, 2)
    assert words in result.stderr
    with open_store(create=False) as store:
        assert store.readiness() == []


def guided(*args: str, typed: str) -> tuple[int, str]:
    """Run a guided test in-process as in a terminal, the countdowns on a clock that does
    not wait; returns the exit code and what the person saw."""
    import contextlib
    import io

    from heelcoach.frontends.cli.app import run

    waited: list[float] = []
    ctx = context(stdin=typed, tty=True, sleep=waited.append)
    with contextlib.redirect_stdout(io.StringIO()):
        code = run(list(args), ctx)
    assert sum(waited) >= 3, "the countdown was run"
    return code, ctx.stdout.getvalue()  # type: ignore[attr-defined]


def test_the_tiptoe_hold_guided_leg_by_leg(tmp_path: Path) -> None:
    screened(tmp_path, balance_problems=True)
    code, shown = guided("test", "tiptoe", typed="2\n4\n")
    assert code == 0, shown
    assert "Hold a wall, rail or sturdy chair throughout" in shown  # balance first
    assert shown.index("Stand on your left foot") < shown.index("Stand on your right foot")
    assert "Passed" in shown
    with open_store(create=False) as store:
        (result,) = store.readiness()
    assert (result.test, result.side, result.pain, result.source) == ("tiptoe", "both", 4, "guided")


def test_the_hop_test_counts_ten_hops_then_asks(tmp_path: Path) -> None:
    screened(tmp_path)
    code, shown = guided("test", "hops", typed="\nx\n6\n")
    assert code == 0 and "hop 10 of 10" in shown and "hop 11" not in shown
    assert "a whole number from 0 (none) to 10" in shown  # "x" asked again
    assert "Not yet" in shown


def test_settings_switch_alternating_legs_on_and_off(tmp_path: Path) -> None:
    screened(tmp_path, goals=["achilles"])
    assert "alternate-legs on" in " ".join(run_cli("plan").stdout.split())  # offered
    assert run_cli("settings", "alternate-legs", "on").returncode == 0
    assert "one left then one right (your setting)" in run_cli("plan").stdout
    assert (
        "alternate-legs: on - eccentric drops with the legs in turn" in run_cli("settings").stdout
    )
    run_cli("settings", "alternate-legs", "off")
    assert "your setting" not in run_cli("plan").stdout
    assert "alternate-legs: off - eccentric drops all on one leg" in run_cli("settings").stdout
    assert_one_line_error(run_cli("settings", "alternate-legs", "maybe"), 2)
    assert_one_line_error(run_cli("settings", "colour", "on"), 2)


def test_a_damaged_settings_file_warns_and_gives_the_defaults(tmp_path: Path) -> None:
    screened(tmp_path, goals=["achilles"])
    run_cli("settings", "alternate-legs", "on")
    settings_file = context().settings_path
    settings_file.write_text('{"alternate_legs": "yes\x1b[31m"')  # cut short, with an escape
    plan = run_cli("plan")
    assert plan.returncode == 0 and "your setting" not in plan.stdout
    assert "warning: settings.json is unreadable; using the default settings" in plan.stderr
    assert "\x1b" not in plan.stderr
    assert "alternate-legs: off" in run_cli("settings").stdout


def _tiptoe(side: Side, pain: int) -> ReadinessResult:
    at = datetime(2026, 3, 2, tzinfo=UTC)
    return ReadinessResult(
        "u-" + side, "tiptoe", date(2026, 3, 2), at, side, pain, None, None, "entered"
    )


@pytest.mark.parametrize(
    "answer,tests,painful",
    [
        (None, [], False),  # no Achilles pain, no test: nothing to lock
        (True, [], False),
        (False, [], True),  # the screening said the hold hurts
        (False, [("left", 3)], True),  # the right leg still stands on that answer
        (False, [("left", 3), ("right", 4)], False),
        (False, [("both", 5)], False),  # 5/10 is the most that passes (clinical-notes.md)
        (True, [("right", 6)], True),  # a painful test locks whatever was answered
        (None, [("left", 2), ("right", 7)], True),
        (False, [("left", 7), ("left", 2), ("right", 1)], False),  # the latest per leg counts
    ],
)
def test_the_tiptoe_lock_decision_table(
    answer: bool | None, tests: list[tuple[Side, int]], painful: bool
) -> None:
    spec = content_library().programme.readiness
    found = Readiness.latest([_tiptoe(side, pain) for side, pain in tests])
    assert readiness_facts(found, answer, spec)["tiptoe_painful"] is painful


# Mid-portion Achilles pain and no tiptoe hold yet: the drops wait for `test tiptoe`.
MID_ACHILLES_NO_HOLD: dict[str, object] = {
    "goals": ["achilles"],
    "achilles_pain": True,
    "achilles_pain_site": "mid",
    "tiptoe_hold_ok": False,
}


def test_a_painful_hold_unlocks_only_once_each_leg_has_passed(tmp_path: Path) -> None:
    screened(tmp_path, **MID_ACHILLES_NO_HOLD)

    def planned() -> set[str]:
        days = json.loads(run_cli("plan", "--json").stdout)["days"]
        return {item["exercise"] for day in days for item in day["items"]}

    assert "eccentric-heel-drop" not in planned()
    left = run_cli("test", "tiptoe", "--pain", "3", "--side", "left")
    assert "the right leg needs its own test first" in left.stdout
    assert "heelcoach test tiptoe --side right" in left.stdout
    assert "eccentric-heel-drop" not in planned()
    right = run_cli("test", "tiptoe", "--pain", "4", "--side", "right")
    assert "Passed: this unlocks" in right.stdout
    assert "eccentric-heel-drop" in planned()


@pytest.mark.pty
def test_the_hop_test_waits_for_enter_before_it_counts(tmp_path: Path) -> None:
    import time

    from test_start_e2e import Terminal

    screened(tmp_path)
    term = Terminal("test", "hops", size=(12, 40))
    try:
        term.wait_for(r"press Enter to start")
        time.sleep(0.5)
        term.mark()
        assert "Start in" not in term.text  # nothing counted while the person gets ready
        term.send("\r")
        term.wait_for(r"Start in 3")
        assert "wobble." in term.text and "tou\nch" not in term.text  # broken between words
        assert all(len(row) <= 40 for row in term.screen.splitlines())
    finally:
        term.child.close(force=True)


def test_each_hop_is_shown_in_block_digits(tmp_path: Path) -> None:
    from heelcoach.frontends.live.view import big_text

    screened(tmp_path)
    code, shown = guided("test", "hops", typed="\n3\n")
    assert code == 0
    after = shown.split("hop 7 of 10\n", 1)[1].splitlines()
    assert after[:5] == big_text("7")


def test_a_test_offers_to_unlock_only_what_is_locked(tmp_path: Path) -> None:
    screened(tmp_path, **MID_ACHILLES_NO_HOLD)
    assert "test tiptoe: unlocks heel drops" in run_cli("test").stdout
    screened(tmp_path)  # bone goal, no Achilles pain: heel drops are in the plan already
    listed = run_cli("test").stdout
    assert "test tiptoe: a check: nothing of yours waits for it now" in listed
    assert "test hops: unlocks heel jumps" in listed  # jumps do wait for the hop test
    passed = run_cli("test", "tiptoe", "--pain", "2")
    assert "unlocks" not in passed.stdout and "nothing of yours was waiting" in passed.stdout
