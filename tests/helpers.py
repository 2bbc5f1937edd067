"""Shared builders for tests: answers, a profile, the library, the store, and CLI runners.

`run_cli` runs a command in this process with a swapped `Context` (piped streams, the
test's data folder): the same code path as the console script minus `sys.exit`, at a
hundredth of the cost of a subprocess. `run_process` starts a real `python -m heelcoach`
for the few tests that are about the process itself (start-up imports, signals, pipes).
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from heelcoach.content.loader import load_library
from heelcoach.content.model import Library
from heelcoach.context import Context
from heelcoach.domain.planner import WeekPlan
from heelcoach.domain.profile import Profile, parse_answers
from heelcoach.domain.records import SetRecord
from heelcoach.storage.store import Store

BASE_ANSWERS: dict[str, Any] = {
    "age": 58,
    "goals": ["bone"],
    "heart_condition": False,
    "chest_pain": False,
    "dizziness_or_fainting": False,
    "chronic_condition": False,
    "chronic_medication": False,
    "bone_joint_problem": False,
    "supervised_only": False,
    "pregnant": False,
    "cleared_for_exercise": None,
    "bone_density": "osteopenia",
    "t_score": -1.8,
    "fracture_within_months": None,
    "fracture_history": False,
    "vertebral_fracture": False,
    "frail": False,
    "cleared_for_impact": False,
    "joint_pain": [],
    "acute_injury": False,
    "foot_condition": False,
    "injury_history": [],
    "achilles_pain": False,
    "achilles_pain_site": None,
    "tiptoe_hold_ok": None,
    "balance_problems": False,
    "has_step": True,
    "has_support": True,
    "days_per_week": 4,
}


def answers(**overrides: Any) -> dict[str, Any]:
    return {**BASE_ANSWERS, **overrides}


def context(
    env: Mapping[str, str] | None = None,
    *,
    stdin: str = "",
    now: Callable[[], datetime] | None = None,
    tty: bool = False,
    sleep: Callable[[float], None] | None = None,
) -> Context:
    """A Context for this test's data folder (from the environment the fixtures set)."""
    options: dict[str, Any] = {} if now is None else {"now": now}
    if sleep is not None:
        options["sleep"] = sleep
    return Context.from_environment(
        {**os.environ, **(env or {})},
        stdin=io.StringIO(stdin),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
        stdin_isatty=tty,
        stdout_isatty=tty,
        **options,
    )


def content_library() -> Library:
    """The library as the test's context loads it (its own cache folder)."""
    ctx = context()
    return load_library(ctx.user_exercises_dir, ctx.cache_dir)


def a_set(day: date, started: datetime, lasting: float = 0, /, **fields: object) -> SetRecord:
    """A logged set of 10 heel drops on `day`, begun at `started` and `lasting` seconds
    long, with any field changed by `fields`."""
    values: dict[str, object] = {
        "uuid": SetRecord.new_uuid(),
        "exercise": "heel-drop",
        "set_number": 1,
        "side": None,
        "reps": 10,
        "seconds": None,
        "target_reps": None,
        "target_seconds": None,
        "pain": None,
        "day": day,
        "started_at": started,
        "ended_at": started + timedelta(seconds=lasting),
        "session_id": None,
        "source": "log",
        "note": None,
    }
    values.update(fields)
    return SetRecord(**values)  # type: ignore[arg-type]


def open_store(*, create: bool = True) -> Store:
    """The test's history store."""
    return Store.open(context().history_path, create=create)


def saved_profile() -> Profile | None:
    """The profile the test's data folder holds, if any."""
    from heelcoach.storage.profile_file import load_profile

    ctx = context()
    return load_profile(ctx.profile_path, content_library(), ctx.today)


def current_plan(person: Profile, on: date) -> WeekPlan:
    """The week holding `on` as `heelcoach plan` shows it then (the history decides)."""
    from heelcoach.services.progress import current_week_plan

    with open_store(create=False) as store:
        return current_week_plan(store, person, content_library(), on)


def profile(created: date = date(2026, 1, 5), **overrides: Any) -> Profile:
    return parse_answers(answers(**overrides), content_library(), "test", created)


def write_answers(folder: Path, **overrides: Any) -> Path:
    target = folder / "answers.yaml"
    target.write_text(yaml.safe_dump(answers(**overrides)), encoding="utf-8")
    return target


def run_cli(
    *args: str,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
    today: date | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run `heelcoach ARGS` in this process as a user would with piped output."""
    from heelcoach.frontends.cli.app import run

    now = None
    if today is not None:

        def now() -> datetime:
            return datetime.combine(today, datetime.now().time()).astimezone()

    ctx = context(env, stdin=stdin or "", now=now)
    out, err = ctx.stdout, ctx.stderr
    assert isinstance(out, io.StringIO) and isinstance(err, io.StringIO)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(list(args), ctx)
    return subprocess.CompletedProcess(["heelcoach", *args], code, out.getvalue(), err.getvalue())


def run_process(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `python -m heelcoach ARGS` as a separate process, with piped output."""
    return subprocess.run(
        [sys.executable, "-m", "heelcoach", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, **(env or {})},
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str], code: int) -> None:
    assert result.returncode == code, (result.returncode, result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("heelcoach: "), result.stderr
    assert "Traceback" not in result.stderr


# --------------------------------------------------------------------------- a real terminal

# What a person types for each question, in the order content/questions.yaml asks them;
# a question missing here must be skipped because of an earlier answer.
TYPED_ANSWERS: dict[str, str] = {
    "age": "67",
    "goals": "bone",
    "heart_condition": "n",
    "chest_pain": "n",
    "dizziness_or_fainting": "n",
    "chronic_condition": "n",
    "chronic_medication": "n",
    "bone_joint_problem": "n",
    "supervised_only": "n",
    "bone_density": "osteoporosis",
    "t_score": "-2.8",
    "fracture_within_months": "",
    "fracture_history": "n",
    "vertebral_fracture": "n",
    "frail": "n",
    "cleared_for_impact": "n",
    "joint_pain": "knee",
    "acute_injury": "n",
    "foot_condition": "n",
    "injury_history": "",
    "achilles_pain": "n",
    "balance_problems": "n",
    "has_step": "y",
    "has_support": "y",
    "days_per_week": "3",
}


def answer_in_terminal(child: Any, typed: Mapping[str, str] = TYPED_ANSWERS) -> None:
    """Answer every question `typed` names as it comes up, then save at the summary."""
    for question in content_library().questions:
        if question.key not in typed:
            continue  # skipped because of an earlier answer
        child.expect_exact(question.text[:40])
        child.sendline(typed[question.key])
    child.expect_exact("Enter to save")
    child.sendline("")


NOBODY = 65534


def as_nobody(scenario: Callable[[Path], dict[str, object]], base: Path) -> dict[str, object]:
    """Run `scenario(base)` in a forked child that is not root (root ignores file modes);
    its result comes back as JSON data, `{"skip": ...}` if privileges cannot be dropped,
    or `{"crash": ...}` if it raised. Not root already: run it here."""
    import json

    if os.geteuid() != 0:
        return scenario(base)
    os.chown(base, NOBODY, NOBODY)
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: never return into pytest
        status = 0
        try:
            os.close(read_fd)
            try:
                os.setgroups([])
                os.setgid(NOBODY)
                os.setuid(NOBODY)
            except OSError as exc:
                outcome: dict[str, object] = {"skip": f"cannot drop root privileges: {exc}"}
            else:
                outcome = scenario(base)
            os.write(write_fd, json.dumps(outcome).encode())
        except BaseException as exc:  # report, never raise into the forked pytest
            os.write(write_fd, json.dumps({"crash": repr(exc)}).encode())
            status = 1
        finally:
            os._exit(status)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    return json.loads(data)  # type: ignore[no-any-return]
