"""A key given twice is refused naming the key, never "last one wins" (`chest_pain: true`,
then `false`), in answers files, the profile, a person's exercises and the content cache."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from conftest import reparse_content, user_exercise, write_user_exercise
from helpers import BASE_ANSWERS, assert_one_line_error, run_cli, write_answers


def _json_object(pairs: list[tuple[str, str]]) -> str:
    return "{" + ", ".join(f"{json.dumps(key)}: {value}" for key, value in pairs) + "}"


def test_a_key_given_twice_is_refused_naming_the_key(tmp_path: Path, heelcoach_home: Path) -> None:

    # The content cache: one that does not validate is thrown away and rebuilt.
    env = {"HEELCOACH_CACHE_DIR": str(tmp_path / "own-cache")}
    reparse_content()
    assert run_cli("exercises", env=env).returncode == 0
    (cache,) = (tmp_path / "own-cache").glob("content-*.json")
    cached = json.loads(cache.read_text())
    hostile = json.loads(json.dumps(cached["documents"]))
    hostile["core"]["exercises.yaml"]["exercises"][0]["name"] = "Planted name"
    cache.write_text(
        _json_object(
            [
                ("key", json.dumps(cached["key"])),
                ("documents", json.dumps(cached["documents"])),
                ("documents", json.dumps(hostile)),
            ]
        )
    )
    for command in (["exercises"], ["show", "heel-drop"], ["log", "heel-drop", "--reps", "3"]):
        reparse_content()
        result = run_cli(*command, env=env)
        assert result.returncode == 0, result.stderr
        assert "Planted name" not in result.stdout
    assert "Planted name" not in cache.read_text()
    # An answers file: refused with the key and its line, nothing saved.
    answers = tmp_path / "twice.yaml"
    body = yaml.safe_dump({**BASE_ANSWERS, "chest_pain": True}, sort_keys=False)
    answers.write_text(body + "chest_pain: false\n", encoding="utf-8")
    result = run_cli("screen", "--answers", str(answers))
    assert_one_line_error(result, 2)
    assert "chest_pain" in result.stderr and "twice" in result.stderr
    assert f":{len(body.splitlines()) + 1}:" in result.stderr
    assert not (heelcoach_home / "profile.json").exists()

    # profile.json: the saved profile is refused, not read with the last value.
    assert run_cli("screen", "--answers", str(write_answers(tmp_path))).returncode == 0
    saved = json.loads((heelcoach_home / "profile.json").read_text())
    answer_pairs = [(key, json.dumps(value)) for key, value in saved["answers"].items()]
    answer_pairs = [("chest_pain", "true"), *answer_pairs]  # then the saved `false`
    top = [(key, json.dumps(value)) for key, value in saved.items() if key != "answers"]
    (heelcoach_home / "profile.json").write_text(
        _json_object([*top, ("answers", _json_object(answer_pairs))]), encoding="utf-8"
    )
    result = run_cli("plan", "--json")
    assert_one_line_error(result, 2)
    assert "chest_pain" in result.stderr and "twice" in result.stderr

    # A person's own exercise file.
    text = yaml.safe_dump({"exercises": [user_exercise()]}, sort_keys=False)
    text = text.replace("  name: My drop\n", "  name: My drop\n  name: Other name\n")
    write_user_exercise(heelcoach_home, text)
    result = run_cli("exercises")
    assert_one_line_error(result, 2)
    assert "name" in result.stderr and "twice" in result.stderr and "mine.yaml:" in result.stderr
