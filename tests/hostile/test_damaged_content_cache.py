"""A content cache that does not validate is thrown away and rebuilt; no command fails
because of it."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import reparse_content
from helpers import run_cli


def test_a_cache_that_does_not_validate_is_discarded_and_rebuilt(tmp_path: Path) -> None:
    env = {"HEELCOACH_CACHE_DIR": str(tmp_path / "cache")}
    reparse_content()
    assert run_cli("exercises", env=env).returncode == 0
    (cache,) = (tmp_path / "cache").glob("content-*.json")  # this install's entry
    good = json.loads(cache.read_text())

    def broken_shapes() -> list[str]:
        wrong_type = json.loads(json.dumps(good))
        wrong_type["documents"]["core"]["exercises.yaml"]["exercises"][0]["measure"] = 7
        no_id = json.loads(json.dumps(good))
        del no_id["documents"]["core"]["exercises.yaml"]["exercises"][0]["id"]
        no_documents = {"key": good["key"]}
        return [json.dumps(doc) for doc in (wrong_type, no_id, no_documents)] + [
            cache.read_text()[:100],
            "\x00\xff garbage",
        ]

    for damaged in broken_shapes():
        cache.write_text(damaged, encoding="utf-8", errors="surrogateescape")
        reparse_content()
        result = run_cli("exercises", env=env)
        assert result.returncode == 0, (damaged[:40], result.stderr)
        assert "internal error" not in result.stderr and "cache" not in result.stderr
        assert json.loads(cache.read_text())["key"] == good["key"]  # rebuilt
