"""Content validation: a bad file stops with one line naming file, line and field path."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from helpers import as_nobody, assert_one_line_error, content_library, run_cli

from heelcoach.content import cache as catalogue
from heelcoach.content.loader import ContentError

REQUIRED_IDS = {
    "heel-drop",
    "single-leg-heel-drop",
    "heel-jump",
    "heel-kick-marching",
    "heel-kick-standing",
    "heel-kick-running",
    "high-knee-heel-kick",
    "bridge",
    "single-leg-bridge",
    "side-lying-hamstring-curl",
    "split-squat",
    "eccentric-heel-drop",
    "calf-stretch",
}
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


@pytest.fixture
def content_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the bundled content that a test may break."""
    copy = tmp_path / "content"
    shutil.copytree(catalogue.content_dir(), copy)
    monkeypatch.setattr(catalogue, "content_dir", lambda: copy)
    return copy


def edit_exercises(folder: Path, change) -> Path:  # type: ignore[no-untyped-def]
    target = folder / "exercises.yaml"
    data = yaml.safe_load(target.read_text())
    change(data["exercises"])
    target.write_text(yaml.safe_dump(data, sort_keys=False))
    return target


def error_for(folder: Path) -> str:
    with pytest.raises(ContentError) as caught:
        content_library()
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_library_has_every_required_exercise_with_every_field() -> None:
    library = content_library()
    assert set(library.exercises) >= REQUIRED_IDS
    for exercise in library.exercises.values():
        assert exercise.phases and exercise.cues and exercise.setup and exercise.purpose
        assert sum(phase.seconds for phase in exercise.phases) > 0


def test_every_exercise_and_rule_names_a_listed_source_with_its_citation() -> None:
    library = content_library()
    for item in [*library.exercises.values(), *library.rules.values()]:
        assert item.source in library.sources, (item.id, item.source)
    assert all(cite.strip() for cite in library.sources.values())
    if SEEDS.is_dir():  # and, where the source material is at hand, each names a real file
        assert set(library.sources) <= {path.name for path in SEEDS.iterdir()}


def test_a_built_in_source_that_is_not_listed_is_refused(content_copy: Path) -> None:
    edit_exercises(content_copy, lambda items: items[0].update(source="a blog I read"))
    message = error_for(content_copy)
    assert "exercises[0].source: unknown source 'a blog I read' (add it to sources.yaml)" in message


def test_questions_cover_exactly_the_answer_keys() -> None:
    from heelcoach.domain.profile import ANSWER_KEYS

    keys = [q.key for q in content_library().questions]
    assert sorted(keys) == sorted(ANSWER_KEYS) and len(keys) == len(set(keys))


def test_missing_field_names_file_line_and_path(content_copy: Path) -> None:
    edit_exercises(content_copy, lambda items: items[2].pop("cues"))
    message = error_for(content_copy)
    assert "exercises.yaml:" in message and "exercises[2].cues: missing field" in message


def test_unknown_field(content_copy: Path) -> None:
    edit_exercises(content_copy, lambda items: items[0].update(colour="red"))
    assert "exercises[0].colour: unknown field" in error_for(content_copy)


def test_wrong_type_in_a_nested_field_reports_its_line(content_copy: Path) -> None:
    target = edit_exercises(
        content_copy, lambda items: items[1]["phases"][0].update(seconds="fast")
    )
    message = error_for(content_copy)
    assert "exercises[1].phases[0].seconds: expected a number" in message
    line = int(message.split(":")[1])
    assert "fast" in target.read_text().splitlines()[line - 1]


def test_unknown_rule_id(content_copy: Path) -> None:
    edit_exercises(content_copy, lambda items: items[0].update(not_for=["made-up"]))
    assert "unknown rule id 'made-up'" in error_for(content_copy)


def test_unknown_exercise_id_in_programme(content_copy: Path) -> None:
    target = content_copy / "programme.yaml"
    target.write_text(target.read_text().replace("{exercise: bridge,", "{exercise: brige,", 1))
    message = error_for(content_copy)
    assert "programme.yaml:" in message and "unknown exercise id 'brige'" in message


def test_a_ladder_that_more_than_doubles_a_session_is_refused(content_copy: Path) -> None:
    """clinical-notes.md (load spikes): 2 x 10 heel drops may become 2 x 15, never 3 x 15."""
    target = content_copy / "programme.yaml"
    target.write_text(
        target.read_text().replace(
            "{from_week: 3, sets: 2, reps: 15,", "{from_week: 3, sets: 3, reps: 15,", 1
        )
    )
    message = error_for(content_copy)
    assert "programme.yaml:" in message and "doses.heel-drop[1]" in message
    assert "more than 2 times the load of the stage before it" in message


def test_yaml_syntax_error_names_the_line(content_copy: Path) -> None:
    target = content_copy / "rules.yaml"
    lines = target.read_text().splitlines()
    lines.insert(5, "  - id: [unclosed")
    target.write_text("\n".join(lines))
    message = error_for(content_copy)
    assert "rules.yaml:" in message and "invalid YAML" in message


def test_python_object_tag_is_rejected_without_running(content_copy: Path, tmp_path: Path) -> None:
    marker = tmp_path / "owned"
    target = content_copy / "rules.yaml"
    target.write_text(f"rules: !!python/object/apply:os.system ['touch {marker}']\n")
    message = error_for(content_copy)
    assert "rules.yaml:1" in message
    assert not marker.exists()


def test_user_exercise_appears_everywhere(heelcoach_home: Path) -> None:
    library = content_library()
    mine = dict(
        yaml.safe_load((catalogue.content_dir() / "exercises.yaml").read_text())["exercises"][9]
    )
    mine.update(id="wall-sit-heel-press", name="Wall sit heel press")
    folder = heelcoach_home / "exercises"
    folder.mkdir()
    (folder / "mine.yaml").write_text(yaml.safe_dump({"exercises": [mine]}))
    assert "wall-sit-heel-press" in content_library().exercises
    assert len(content_library().exercises) == len(library.exercises) + 1
    listing = run_cli("exercises")
    assert listing.returncode == 0 and "wall-sit-heel-press" in listing.stdout
    assert run_cli("show", "wall-sit-heel-press").returncode == 0


def test_bad_user_exercise_is_refused_by_the_cli(heelcoach_home: Path) -> None:
    folder = heelcoach_home / "exercises"
    folder.mkdir()
    (folder / "broken.yaml").write_text("exercises:\n  - id: x\n    name: X\n")
    result = run_cli("exercises")
    assert_one_line_error(result, 2)
    assert "broken.yaml" in result.stderr and "exercises[0]" in result.stderr


def test_an_unreadable_folder_of_own_exercises_is_refused_not_ignored(heelcoach_home: Path) -> None:
    """Leaving the person's exercises out would make `show` call them unknown (exit 2)."""
    assert run_cli("show", "heel-drop").returncode == 0  # loads what `show` needs first
    base = Path(tempfile.mkdtemp(prefix="heelcoach-own-"))  # a place `nobody` can reach
    try:
        outcome = as_nobody(_own_exercises_unreadable, base)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    if "skip" in outcome:
        pytest.skip(str(outcome["skip"]))
    assert outcome.get("code") == 1, outcome
    assert "cannot read your own exercises" in str(outcome["stderr"]), outcome


def _own_exercises_unreadable(base: Path) -> dict[str, object]:
    os.environ["HEELCOACH_HOME"] = str(base / "home")
    os.environ["HEELCOACH_CACHE_DIR"] = str(base / "cache")
    folder = base / "home" / "exercises"
    folder.mkdir(parents=True)
    folder.chmod(0)
    try:
        result = run_cli("show", "wall-sit-heel-press")
    finally:
        folder.chmod(0o700)
    return {"code": result.returncode, "stderr": result.stderr}


def test_user_exercise_cannot_reuse_a_built_in_id(heelcoach_home: Path) -> None:
    raw = yaml.safe_load((catalogue.content_dir() / "exercises.yaml").read_text())
    folder = heelcoach_home / "exercises"
    folder.mkdir()
    (folder / "dup.yaml").write_text(yaml.safe_dump({"exercises": [raw["exercises"][0]]}))
    assert "already in the library" in error_for(folder)


def test_cache_is_used_and_follows_file_changes(
    heelcoach_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HEELCOACH_CACHE_DIR", str(tmp_path / "cache"))
    folder = heelcoach_home / "exercises"
    folder.mkdir()
    # A file only this test has, so no library an earlier test loaded in this process
    # can stand in for the one the cache must be written for.
    (folder / "early.yaml").write_text(f"# {tmp_path}\nexercises: []\n")
    content_library()
    assert len(list((tmp_path / "cache").glob("content-*.json"))) == 1
    (folder / "late.yaml").write_text("exercises: []\n")
    assert content_library().exercises  # a new file is picked up
    (folder / "late.yaml").write_text("exercises: [oops\n")
    with pytest.raises(ContentError):
        content_library()
