"""Habits the layers keep, checked on the source: precise types in the domain and the
services, words out of the domain, and numbers from content."""

from __future__ import annotations

import ast
from pathlib import Path

from helpers import content_library

from heelcoach.domain import monitoring

PACKAGE = Path(__file__).resolve().parents[1] / "heelcoach"


def sources(*layers: str) -> list[Path]:
    return sorted(path for layer in layers for path in (PACKAGE / layer).rglob("*.py"))


def test_no_any_in_the_domain_or_the_services() -> None:
    offenders = []
    for path in sources("domain", "services"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Name) and node.id == "Any":
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert not offenders, f"typing.Any in {offenders}"


def test_the_fast_pain_threshold_is_the_one_in_content() -> None:
    model = content_library().programme.monitoring
    assert model.too_much_above == monitoring.TOO_MUCH_PAIN_ABOVE
    assert model.safe_at_most == monitoring.SAFE_AT_MOST
