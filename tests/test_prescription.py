"""A clinician's prescription: accepted, refused with reasons, overridden, followed, cleared.

Each test screens a person with the real `screen --answers`, writes a prescription file
as a physiotherapist would, and runs `heelcoach prescribe` and the commands that follow
it in-process. The progression scenarios train through the real store (`Person`).
"""

from __future__ import annotations

import json
import stat
import subprocess
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import (
    assert_one_line_error,
    content_library,
    run_cli,
    saved_profile,
    write_answers,
)
from test_progression import START, Person, doses

from heelcoach.domain.prescription import Dose, Item, Prescription, Stage, ladder, step_down

TODAY = START + timedelta(days=2)
CLINICIAN = "A. Example"


def screen(tmp_path: Path, **answers: object) -> None:
    """Save a profile (a referral exits 1 but saves it too)."""
    result = run_cli(
        "screen", "--answers", str(write_answers(tmp_path, **answers)), "--start", START.isoformat()
    )
    assert result.returncode in (0, 1) and saved_profile() is not None, result.stderr


def programme(tmp_path: Path, *stages: list[dict[str, object]], name: str = "rx.yaml") -> Path:
    """A prescription file: stage n starts in week `2n - 1` (1, 3, 5...)."""
    body = {
        "clinician": CLINICIAN,
        "date": START.isoformat(),
        "note": "Keep pain under 4/10.",
        "stages": [{"from_week": 2 * n + 1, "items": items} for n, items in enumerate(stages)],
    }
    target = tmp_path / name
    target.write_text(yaml.safe_dump(body, sort_keys=False), encoding="utf-8")
    return target


def prescribe(path: Path, today: date = TODAY) -> subprocess.CompletedProcess[str]:
    return run_cli("prescribe", str(path), today=today)


def plan_json(today: date = TODAY, *args: str) -> dict[str, Any]:
    result = run_cli("plan", "--json", *args, today=today)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def items(data: dict[str, Any], exercise_id: str) -> list[dict[str, Any]]:
    return [
        item for day in data["days"] for item in day["items"] if item["exercise"] == exercise_id
    ]


BRIDGE = {"exercise": "bridge", "sets": 2, "reps": 10, "days": 2}
JUMP_CLEARED = {
    "exercise": "heel-jump",
    "sets": 2,
    "reps": 10,
    "days": 2,
    "override": "cleared in clinic",
}


# --------------------------------------------------------------------------- round trip


def test_a_prescription_round_trip_accepted_followed_and_cleared(
    tmp_path: Path, heelcoach_home: Path
) -> None:
    screen(tmp_path)
    result = run_cli("prescribe", str(programme(tmp_path, [BRIDGE, JUMP_CLEARED])), today=TODAY)
    assert result.returncode == 0, result.stderr
    assert f"Prescription by {CLINICIAN}" in result.stdout and "saved" in result.stdout
    saved = heelcoach_home / "prescription.json"
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600

    text = run_cli("plan", today=TODAY).stdout
    assert f"prescribed by {CLINICIAN}" in text and "Keep pain under 4/10." in text
    assert f"prescribed by {CLINICIAN} despite: Jumps and fast kicks wait for a hop test" in (
        " ".join(text.split())
    )
    data = plan_json()
    jumps = items(data, "heel-jump")
    assert jumps and {(i["sets"], i["reps"]) for i in jumps} == {(2, 10)}
    assert jumps[0]["prescribed"]["by"] == CLINICIAN
    assert len(jumps[0]["prescribed"]["despite"]) == 2  # hops and base
    assert {(i["sets"], i["reps"]) for i in items(data, "bridge")} == {(2, 10)}
    assert not items(data, "heel-drop")  # the goals' exercises give way to the prescription
    assert items(data, "calf-stretch")  # bookends as in the built-in programme

    handout = run_cli("plan", "--format", "markdown", today=TODAY).stdout
    assert f"Programme: prescribed by {CLINICIAN}" in " ".join(handout.split())
    home = run_cli(today=START + timedelta(days=4)).stdout  # a training day
    assert "Heel jump" in home or "Bridge" in home

    cleared = run_cli("prescribe", "--clear", today=TODAY)
    assert cleared.returncode == 0 and "built-in programme" in cleared.stdout
    assert not saved.exists()
    assert "Programme: heelcoach's built-in programme." in run_cli("plan", today=TODAY).stdout
    assert items(plan_json(), "heel-drop")


def test_start_runs_the_prescribed_session(tmp_path: Path) -> None:
    from helpers import context, open_store

    from heelcoach.services.training import choose

    screen(tmp_path)
    assert prescribe(programme(tmp_path, [BRIDGE])).returncode == 0
    profile = saved_profile()
    assert profile is not None and context().prescription_path.exists()
    with open_store(create=False) as store:
        chosen = choose(store, profile, content_library(), START, on_day=START)
    assert [item.exercise.id for item in chosen.items] == ["bridge", "calf-stretch"]
    assert chosen.items[0].written is not None


def test_later_stages_replace_earlier_ones_from_their_week(tmp_path: Path) -> None:
    screen(tmp_path)
    later = {"exercise": "side-lying-hamstring-curl", "sets": 3, "reps": 12, "days": 3}
    assert prescribe(programme(tmp_path, [BRIDGE], [later])).returncode == 0
    assert items(plan_json(TODAY, "--week", "2"), "bridge")
    third = plan_json(TODAY, "--week", "3")
    assert not items(third, "bridge")
    assert {(i["sets"], i["reps"]) for i in items(third, "side-lying-hamstring-curl")} == {(3, 12)}


def test_a_prescription_dated_later_starts_in_its_own_week(tmp_path: Path) -> None:
    screen(tmp_path)
    path = programme(tmp_path, [BRIDGE])
    body = yaml.safe_load(path.read_text(encoding="utf-8"))
    body["date"] = (START + timedelta(days=14)).isoformat()  # program week 3
    path.write_text(yaml.safe_dump(body), encoding="utf-8")
    assert prescribe(path).returncode == 0
    text = run_cli("plan", today=TODAY).stdout
    assert "built-in programme until the prescription by A. Example begins" in (
        " ".join(text.split())
    )
    assert items(plan_json(TODAY, "--week", "3"), "bridge")
    assert items(plan_json(TODAY, "--week", "2"), "heel-drop")


# --------------------------------------------------------------------------- refused


def test_a_conflict_without_override_is_refused_with_its_reason(
    tmp_path: Path, heelcoach_home: Path
) -> None:
    screen(tmp_path, balance_problems=True)
    jump = {"exercise": "heel-jump", "sets": 2, "reps": 10, "days": 2}
    result = prescribe(programme(tmp_path, [BRIDGE, jump]))
    assert result.returncode == 1
    listing = " ".join(result.stdout.split())
    library = content_library()
    for rule in ("balance-problems", "hops-not-passed", "jumps-need-base"):
        assert f"[{rule}:" in listing and " ".join(library.rules[rule].reason.split()) in listing
    assert "Heel jump (heel-jump)" in listing
    assert_one_line_error(result, 1)
    assert not (heelcoach_home / "prescription.json").exists()


@pytest.mark.parametrize(
    ("answers", "exercise", "rule"),
    [
        ({"fracture_within_months": 3}, "heel-drop", "recent-fracture"),
        ({"age": 88}, "heel-jump", "older-age"),
        (
            {"bone_density": "osteoporosis", "t_score": -3.4, "cleared_for_impact": True},
            "heel-jump",
            "severe-osteoporosis-jumps",
        ),
        ({"vertebral_fracture": True}, "heel-drop", "vertebral-fracture"),
        ({"frail": True}, "heel-drop", "frailty"),
        ({"supervised_only": True}, "bridge", "supervised-only"),
        ({"chest_pain": True, "cleared_for_exercise": False}, "bridge", "red-flags"),
    ],
)
def test_rules_that_never_lift_at_home_refuse_even_with_an_override(
    tmp_path: Path, heelcoach_home: Path, answers: dict[str, object], exercise: str, rule: str
) -> None:
    screen(tmp_path, **answers)
    dose = {
        "exercise": exercise,
        "sets": 2,
        "reps": 10,
        "days": 2,
        "override": "seen in clinic today",
    }
    result = prescribe(programme(tmp_path, [dose]))
    assert result.returncode == 1, result.stdout
    assert f"[{rule}: cannot be overridden at home]" in result.stdout
    assert not (heelcoach_home / "prescription.json").exists()


def test_an_override_lifts_a_rule_for_that_item_only(tmp_path: Path) -> None:
    screen(tmp_path, joint_pain=["knee"])
    cleared = {**JUMP_CLEARED}
    kick = {"exercise": "high-knee-heel-kick", "sets": 2, "seconds": 30, "days": 2}
    result = prescribe(programme(tmp_path, [BRIDGE, cleared]))
    assert result.returncode == 0, result.stdout
    assert "kept by override despite: Heel jumps can make pain" in result.stdout
    refused = prescribe(programme(tmp_path, [cleared, kick], name="two.yaml"))
    assert refused.returncode == 1
    assert "High-knee heel kick" in refused.stdout or "high-knee-heel-kick" in refused.stdout


def test_the_impact_ceiling_is_a_conflict_that_an_explicit_override_keeps(tmp_path: Path) -> None:
    screen(tmp_path)  # osteopenia: the cautious ceiling, 30 a day
    drops = {"exercise": "heel-drop", "sets": 3, "reps": 20, "days": 3}
    refused = prescribe(programme(tmp_path, [drops]))
    assert refused.returncode == 1
    assert "[impact-ceiling:" in refused.stdout and "30 a day" in refused.stdout
    kept = prescribe(programme(tmp_path, [{**drops, "override": "tolerates 60"}], name="b.yaml"))
    assert kept.returncode == 0, kept.stdout
    found = items(plan_json(), "heel-drop")
    assert {(i["sets"], i["reps"]) for i in found} == {(3, 20)}  # not cut
    assert any("daily ceiling" in " ".join(i["prescribed"]["despite"]) for i in found)


def test_a_readiness_gate_opens_once_the_test_is_recorded(tmp_path: Path) -> None:
    screen(
        tmp_path,
        goals=["achilles"],
        achilles_pain=True,
        achilles_pain_site="mid",
        tiptoe_hold_ok=False,
    )
    drops = {"exercise": "eccentric-heel-drop", "sets": 3, "reps": 15, "days": 4}
    refused = prescribe(programme(tmp_path, [drops]))
    assert refused.returncode == 1 and "[tiptoe-painful:" in refused.stdout
    test = run_cli("test", "tiptoe", "--pain", "3", "--side", "both", today=TODAY)
    assert test.returncode == 0, test.stderr
    assert prescribe(programme(tmp_path, [drops])).returncode == 0


# --------------------------------------------------------------------------- malformed


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("clinician: A\ndate: 2026-01-05\nstages: []\n", "rx.yaml:3: stages: expected a list"),
        (
            "clinician: A\nclinician: B\ndate: 2026-01-05\nstages: []\n",
            "rx.yaml:2: invalid YAML: clinician: given twice",
        ),
        (
            "clinician: A\ndate: 2026-01-05\nstages:\n  - from_week: 1\n    items:\n"
            "      - {exercise: bridge, sets: 2, seconds: 10, days: 2}\n",
            "rx.yaml:6: stages[0].items[0].seconds: Bridge is measured in reps",
        ),
        (
            "clinician: A\ndate: 2026-01-05\nstages:\n  - from_week: 1\n    items:\n"
            "      - exercise: bridge\n        sets: 2\n        reps: 10\n        days: 2\n"
            "        colour: red\n",
            "rx.yaml:10: stages[0].items[0].colour: unknown field",
        ),
        (
            "clinician: A\ndate: 2026-01-05\nstages:\n  - from_week: 1\n    items:\n"
            "      - {exercise: heel-jmp, sets: 2, reps: 10, days: 2}\n",
            "rx.yaml:6: stages[0].items[0].exercise: unknown exercise 'heel-jmp'",
        ),
        (
            "clinician: A\ndate: 2026-01-05\nstages:\n  - from_week: 2\n    items:\n"
            "      - {exercise: bridge, sets: 2, reps: 10, days: 2}\n",
            "rx.yaml:4: stages[0].from_week: the first stage starts in week 1",
        ),
        (
            "clinician: A\ndate: someday\nstages:\n  - from_week: 1\n    items:\n"
            "      - {exercise: bridge, sets: 1, reps: 5, days: 1}\n",
            "rx.yaml:2: date: expected a date",
        ),
        (
            "clinician: A\ndate: 9999-12-31\nstages:\n  - from_week: 1\n    items:\n"
            "      - {exercise: bridge, sets: 1, reps: 5, days: 1}\n",
            "rx.yaml:2: date: 9999-12-31 is not a plausible day (expected a day from 2000",
        ),
        (
            "clinician: A\ndate: 2026-01-05\nstages:\n  - from_week: 1\n    items:\n"
            "      - {exercise: bridge, sets: 2, reps: 10, days: 2, per_side: true}\n",
            "rx.yaml:6: stages[0].items[0].per_side: Bridge is done with both legs at once",
        ),
    ],
)
def test_a_malformed_file_is_one_line_naming_file_line_and_field(
    tmp_path: Path, heelcoach_home: Path, text: str, where: str
) -> None:
    screen(tmp_path)
    path = tmp_path / "rx.yaml"
    path.write_text(text, encoding="utf-8")
    result = prescribe(path)
    assert_one_line_error(result, 2)
    assert f"{tmp_path}/{where}" in result.stderr
    assert not (heelcoach_home / "prescription.json").exists()


def test_a_folder_or_a_missing_file_is_bad_input(tmp_path: Path) -> None:
    screen(tmp_path)
    assert_one_line_error(prescribe(tmp_path), 2)
    assert_one_line_error(prescribe(tmp_path / "none.yaml"), 2)
    assert_one_line_error(run_cli("prescribe"), 2)


def test_a_damaged_saved_prescription_says_how_to_recover(
    tmp_path: Path, heelcoach_home: Path
) -> None:
    screen(tmp_path)
    (heelcoach_home / "prescription.json").write_text("{", encoding="utf-8")
    result = run_cli("plan", today=TODAY)
    assert_one_line_error(result, 2)
    assert "prescribe --clear" in result.stderr


# --------------------------------------------------------------------------- progression


def test_pain_steps_a_prescribed_dose_back_and_a_good_week_brings_it_back(
    tmp_path: Path,
) -> None:
    person = Person(tmp_path, goals=["strength"], days_per_week=4)
    curl = {"exercise": "side-lying-hamstring-curl", "sets": 3, "reps": 12, "days": 2}
    assert prescribe(programme(tmp_path, [curl]), START).returncode == 0
    first = person.week_plan(1)
    assert doses(first, "side-lying-hamstring-curl") == {(3, 12)}
    day = next(d.date for d in first.days if not d.is_rest)
    person.train(day, list(first.day(day).items), 7, 1.0, None, None)  # type: ignore[union-attr]
    after = person.plan_on(day + timedelta(days=1))
    assert doses(after, "side-lying-hamstring-curl") == {(2, 12)}  # one set fewer
    words = " ".join(run_cli("plan", today=day + timedelta(days=1)).stdout.split())
    assert "prescribed 3 x 12 reps per side; now 2 x 12 reps per side: stepped back" in words
    person.live_week(2)
    assert doses(person.week_plan(3), "side-lying-hamstring-curl") == {(3, 12)}


def test_a_held_week_delays_the_next_prescribed_increase(tmp_path: Path) -> None:
    person = Person(tmp_path, goals=["strength"], days_per_week=4)
    light = {"exercise": "bridge", "sets": 2, "reps": 10, "days": 2}
    heavy = {"exercise": "bridge", "sets": 3, "reps": 12, "days": 2}
    assert prescribe(programme(tmp_path, [light], [heavy]), START).returncode == 0
    person.live_week(1)
    person.live_week(2, share=0.5)  # half the sets: held
    assert doses(person.week_plan(3), "bridge") == {(2, 10)}
    person.live_week(3)
    assert doses(person.week_plan(4), "bridge") == {(3, 12)}


# --------------------------------------------------------------------------- the dose ladder


def test_a_step_down_takes_a_set_then_a_third_of_the_reps() -> None:
    assert step_down(Dose(3, 15, None), 5) == Dose(2, 15, None)
    assert step_down(Dose(1, 15, None), 5) == Dose(1, 10, None)
    assert step_down(Dose(1, 5, None), 5) == Dose(1, 5, None)
    assert step_down(Dose(1, None, 30), 5) == Dose(1, None, 20)
    written = Prescription(
        "A",
        START,
        None,
        (
            Stage(1, (Item("bridge", 2, 10, None, 2),)),
            Stage(3, (Item("bridge", 2, 10, None, 3),)),
            Stage(5, (Item("bridge", 3, 12, None, 3),)),
        ),
    )
    assert ladder(written, "bridge", 5) == [
        Dose(1, 5, None),
        Dose(1, 7, None),
        Dose(1, 10, None),
        Dose(2, 10, None),
        Dose(3, 12, None),
    ]


def test_the_documented_example_is_accepted_for_the_sample_person(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[1]
    answers = root / "bench" / "sample_answers.yaml"
    screened = run_cli("screen", "--answers", str(answers), "--start", "2026-11-23")
    assert screened.returncode == 0, screened.stderr
    result = run_cli("prescribe", str(root / "docs" / "prescription-example.yaml"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "kept by override despite" in result.stdout


def test_an_override_lifts_only_what_it_was_accepted_for(
    tmp_path: Path, heelcoach_home: Path
) -> None:
    screen(tmp_path)
    assert prescribe(programme(tmp_path, [BRIDGE, JUMP_CLEARED])).returncode == 0
    saved = json.loads((heelcoach_home / "prescription.json").read_text(encoding="utf-8"))
    jump = saved["prescription"]["stages"][0]["items"][1]
    assert sorted(jump["accepted"]) == ["hops-not-passed", "jumps-need-base"]
    assert items(plan_json(), "heel-jump")
    screen(tmp_path, joint_pain=["knee"])  # a new concern after the clinic visit
    data = plan_json()
    assert not items(data, "heel-jump") and items(data, "bridge")
    left_out = {e["exercise"]: e["reason"] for e in data["excluded"]}
    assert "Heel jumps can make pain" in left_out["heel-jump"]


def test_log_of_a_prescribed_override_needs_no_confirmation(tmp_path: Path) -> None:
    screen(tmp_path, joint_pain=["knee"])  # the screening leaves heel jumps out
    before = run_cli("log", "heel-jump", "--reps", "10")
    assert before.returncode == 1 and "add --yes to record it anyway" in before.stderr
    assert prescribe(programme(tmp_path, [BRIDGE, JUMP_CLEARED])).returncode == 0
    logged = run_cli("log", "heel-jump", "--reps", "10")
    assert logged.returncode == 0, logged.stderr
    assert "warning" not in logged.stderr
    kick = run_cli("log", "high-knee-heel-kick", "--seconds", "30")  # not prescribed
    assert kick.returncode == 1 and "High-knee heel kick combo not recorded" in kick.stderr
    assert run_cli("prescribe", "--clear").returncode == 0
    assert run_cli("log", "heel-jump", "--reps", "10").returncode == 1  # the warning is back


# --------------------------------------------------------------------------- limits at home

CLEARED_OLD = {"age": 80, "bone_density": "osteoporosis", "t_score": -3.4}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"clinician": "Self"}, "clinician"),
        ({"clinician": "me"}, "clinician"),
        ({"clinician": "Dr."}, "clinician"),
        ({"clinician": "J"}, "clinician"),
        ({"item": {"override": "ok"}}, "override"),
        ({"item": {"override": "fine"}}, "override"),
        ({"item": {"reps": 100}}, "reps"),
        ({"item": {"sets": 10}}, "sets"),
        ({"item": {"days": 7}}, "days"),
    ],
)
def test_a_dose_or_a_name_no_clinician_would_write_is_refused(
    tmp_path: Path, heelcoach_home: Path, change: dict[str, Any], field: str
) -> None:
    """The forged file of the review: `clinician: Self`, `override: "ok"`, 10 x 100 heel
    drops on seven days. Each part alone is refused as bad input, whatever the override."""
    screen(tmp_path)
    item = {"exercise": "heel-drop", "sets": 2, "reps": 10, "days": 3}
    item.update(change.get("item", {}))
    if "override" not in item:
        item["override"] = "cleared in clinic today"
    target = programme(tmp_path, [item])
    body = yaml.safe_load(target.read_text(encoding="utf-8"))
    body.update({k: v for k, v in change.items() if k != "item"})
    target.write_text(yaml.safe_dump(body), encoding="utf-8")
    result = prescribe(target)
    assert_one_line_error(result, 2)
    assert f"{field}:" in result.stderr
    assert not (heelcoach_home / "prescription.json").exists()


def test_a_day_of_more_heel_strikes_than_a_home_programme_gives_is_refused(
    tmp_path: Path, heelcoach_home: Path
) -> None:
    screen(tmp_path)
    drops = {"exercise": "heel-drop", "sets": 3, "reps": 30, "days": 3}
    jumps = {**JUMP_CLEARED, "sets": 3, "reps": 15}
    result = prescribe(programme(tmp_path, [drops, jumps]))
    assert_one_line_error(result, 2)
    assert "135 heel strikes" in result.stderr
    assert not (heelcoach_home / "prescription.json").exists()


def test_a_clearance_is_not_supervision_for_an_88_year_old_with_t_minus_3_4(
    tmp_path: Path, heelcoach_home: Path
) -> None:
    """Sane doses and a real name, but jumps for someone over 80 with a T-score below
    -3.0: the override cannot lift either rule at home (exit 1)."""
    screen(tmp_path, **CLEARED_OLD, cleared_for_impact=True)
    result = prescribe(programme(tmp_path, [JUMP_CLEARED]))
    assert result.returncode == 1, result.stdout
    assert "[older-age: cannot be overridden at home]" in result.stdout
    assert "[severe-osteoporosis-jumps: cannot be overridden at home]" in result.stdout
    hops = run_cli("test", "hops", "--pain", "1", today=TODAY)
    assert hops.returncode == 1  # the hop test is kept for a supervised setting too


def test_a_physiotherapist_can_prescribe_floor_drops_after_a_mild_sprain(
    tmp_path: Path, heelcoach_home: Path
) -> None:
    screen(tmp_path, acute_injury=True, goals=["achilles"], achilles_pain=False)
    assert not items(plan_json(), "eccentric-heel-drop-floor")  # waits for the go-ahead
    floor = {
        "exercise": "eccentric-heel-drop-floor", "sets": 1, "reps": 10, "days": 4,
        "override": "grade 1 sprain, seen today: floor drops only",
    }  # fmt: skip
    result = prescribe(programme(tmp_path, [floor]))
    assert result.returncode == 0, result.stdout + result.stderr
    assert items(plan_json(), "eccentric-heel-drop-floor")
