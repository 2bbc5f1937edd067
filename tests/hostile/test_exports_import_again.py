"""Every export imports back exactly: a `\\r` in a note, U+2028, U+2029 and U+0085, and
`\\r\\n` survive both formats, and no CSV cell starting with `=`, `+`, `-` or `@` is written as
a formula."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from conftest import set_row
from helpers import run_cli

NOTES = [
    "one\rtwo",
    "crlf\r\nline",
    "line\u2028para\u2029next\u0085end",
    '=HYPERLINK("https://evil.example","click")',
    "+1+2",
    "-3",
    "@SUM(A1:A9)",
    "\tleading tab",
    "\rleading return",
    "'quoted",
    "'=already",
    'plain, with comma and "quotes"',
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _stored_sets(tmp_path: Path) -> list[dict[str, object]]:
    """The sets as stored, every character kept (an export to a file; `--json` outputs
    make control characters inert)."""
    exact = tmp_path / "exact.jsonl"
    assert run_cli("export", "-o", str(exact)).returncode == 0
    rows = [json.loads(line) for line in exact.read_text(encoding="utf-8").splitlines()]
    exact.unlink()
    return sorted((r for r in rows if r.get("type") == "set"), key=lambda r: str(r["uuid"]))


def test_every_export_imports_back_exactly_and_csv_holds_no_formulas(tmp_path: Path) -> None:
    seed = tmp_path / "seed.jsonl"
    rows = [set_row(set_number=n + 1, note=note) for n, note in enumerate(NOTES)]
    seed.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    result = run_cli("import", str(seed))
    assert result.returncode == 0, result.stderr
    expected = _stored_sets(tmp_path)
    assert sorted(str(item["note"]) for item in expected) == sorted(NOTES)

    for fmt in ("csv", "jsonl"):
        backup = tmp_path / f"backup.{fmt}"
        assert run_cli("export", "--format", fmt, "-o", str(backup)).returncode == 0
        if fmt == "csv":
            with backup.open(newline="", encoding="utf-8") as handle:
                cells = [cell for row in csv.reader(handle) for cell in row]
            assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
        else:
            assert not [c for c in backup.read_text() if c in "\u2028\u2029\u0085\r"]
        assert run_cli("forget", "--yes").returncode == 0
        result = run_cli("import", str(backup))
        assert result.returncode == 0, (fmt, result.stderr)
        assert _stored_sets(tmp_path) == expected, fmt
    # The CSV still reads as CSV elsewhere: one record per set.
    with (tmp_path / "backup.csv").open(newline="", encoding="utf-8") as handle:
        assert len(list(csv.DictReader(io.StringIO(handle.read())))) == len(NOTES)
