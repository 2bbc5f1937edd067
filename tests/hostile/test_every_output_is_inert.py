"""Text a clinician wrote (clinician, note, support), an imported note or a person's own
exercise never reaches any output raw: ESC, OSC 52 (clipboard write), BEL, C1 CSI,
direction overrides and isolates are made inert for the terminal (`prescribe`, `plan`,
`--plain`, the voice command's arguments, `export` on a screen), Markdown, iCalendar,
HTML and JSON; a Markdown output carries no remote image (a tracking pixel once mailed)
and no markup of theirs; `report` on a terminal never prints a page of HTML."""

from __future__ import annotations

import contextlib
import io
import json
import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from conftest import set_row
from helpers import context, run_cli, write_answers

from heelcoach.frontends.cli.app import run
from heelcoach.frontends.live import runner
from heelcoach.frontends.live.sound import SoundSetup

HOSTILE = (
    "\x1b[2J\x1b]52;c;ZXZpbA==\x07\x07\x9b31m\u202eevil\u2066x"
    " ![pixel](https://track.example/p.png) <img src=x onerror=alert(1)> [link](https://x.example)"
)
EXAMPLE = Path(__file__).parents[2] / "docs" / "prescription-example.yaml"
IMAGE = re.compile(r"(?<!\\)!\[[^\]]*(?<!\\)\]\(")  # Markdown that loads an image


def _raw(text: str) -> list[str]:
    """Characters a terminal, an editor or a mail reader would act on or reorder."""
    return [c for c in text if (ord(c) < 32 and c not in "\r\n\t") or 0x7F <= ord(c) <= 0x9F
            or 0x202A <= ord(c) <= 0x202E or 0x2066 <= ord(c) <= 0x2069]  # fmt: skip


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [*value, *(s for item in value.values() for s in _strings(item))]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def _prescribed(tmp_path: Path) -> None:
    assert run_cli("screen", "--answers", str(write_answers(tmp_path))).returncode == 0
    written = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    written.update(clinician=f"Dr {HOSTILE}", note=f"Note {HOSTILE}", date=date.today())
    item = written["stages"][0]["items"][2]
    item.update(support=f"rail {HOSTILE}", note=f"slow {HOSTILE}")
    source = tmp_path / "programme.yaml"
    source.write_text(yaml.safe_dump(written, allow_unicode=True), encoding="utf-8")
    result = run_cli("prescribe", str(source))
    assert result.returncode == 0, result.stderr
    assert not _raw(result.stdout + result.stderr) and "Dr " in result.stdout


def _on_a_terminal(*args: str) -> tuple[int, str, str]:
    ctx = context(tty=True)
    out, err = ctx.stdout, ctx.stderr
    assert isinstance(out, io.StringIO) and isinstance(err, io.StringIO)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = run(list(args), ctx)
    return code, out.getvalue(), err.getvalue()


class _Clock:
    """The live session's clock and keys: no key is pressed, and time passes on each read."""

    def __init__(self) -> None:
        self.now, self.interactive = 0.0, False

    def clock(self) -> float:
        return self.now

    def read(self, timeout: float) -> None:
        self.now += timeout


def test_every_text_output_is_inert(
    tmp_path: Path, heelcoach_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _prescribed(tmp_path)
    fake = _Clock()
    monkeypatch.setattr(runner, "default_clock", fake.clock)
    monkeypatch.setattr(runner, "default_keys", lambda: contextlib.nullcontext(fake))
    for command in (["plan"], ["plan", "--format", "ics"], ["report", "--format", "html"],
                    ["start", "--plain", "--exercise", "eccentric-heel-drop"]):  # fmt: skip
        result = run_cli(*command)
        assert result.returncode == 0, (command, result.stderr)
        assert not _raw(result.stdout), (command, _raw(result.stdout))
        assert "track.example" in result.stdout or "rail" in result.stdout
    html = run_cli("report").stdout
    assert "<img src=x" not in html and "&lt;img src=x" in html

    for command in (["plan", "--format", "markdown"], ["report", "--format", "markdown"]):
        shown = run_cli(*command).stdout
        assert not _raw(shown) and "Dr " in shown, command
        assert not IMAGE.search(shown) and not re.search(r"(?<!\\)<img", shown), command
        assert "[link](https://x.example)" not in shown, command  # no link of theirs

    for command in (["plan", "--json"], ["report", "--format", "json"]):
        strings = _strings(json.loads(run_cli(*command).stdout))
        assert any(s.startswith("Dr ") for s in strings), command
        assert not [s for s in strings if _raw(s)], command

    code, shown, said = _on_a_terminal("report")
    assert code == 0 and "<html" not in shown.lower() and "--output" in said
    assert not _raw(shown) and "Dr " in shown


def test_an_imported_note_is_inert_on_a_screen_and_in_json(
    tmp_path: Path, heelcoach_home: Path
) -> None:
    source = tmp_path / "notes.jsonl"
    source.write_text(json.dumps(set_row(note=f"sore {HOSTILE}")) + "\n", encoding="utf-8")
    assert run_cli("import", str(source)).returncode == 0
    code, shown, _ = _on_a_terminal("export")
    assert code == 0 and "sore" in shown and not _raw(shown)
    rows = json.loads(run_cli("history", "--json").stdout)
    assert "sore" in rows[0]["note"] and not _raw(rows[0]["note"])


def test_the_voice_command_never_gets_a_control_character() -> None:
    for command in (("say-it", "--text={}"), ("say-it",)):
        setup = SoundSetup(speech=command, player=None, rate=170)
        argv = setup.speech_argv(f"Hold the {HOSTILE} rail")
        assert argv[0] == "say-it" and "rail" in argv[-1]
        assert not [part for part in argv if _raw(part)], argv
