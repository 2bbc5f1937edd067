"""Hand-written YAML files a person or a clinician gives heelcoach: read them safely.

Screening answers and a clinician's prescription come from someone's editor, so they are
read the same careful way as every content file, by `heelcoach.reader`: regular files only,
a byte cap, UTF-8, the safe loader only with alias, depth and size limits, and a key given
twice refused rather than "last one wins". `read_yaml` also keeps the line each value was
written on, so a problem found later is reported as `FILE:LINE: field.path: problem`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from heelcoach.errors import BadInput

FieldPath = tuple[str | int, ...]


class YamlDocument:
    """A parsed file: its data, and the line (1-based) of every value by field path."""

    def __init__(self, path: Path, data: object, lines: dict[FieldPath, int]) -> None:
        self.path, self.data, self.lines = path, data, lines

    def line(self, field: Sequence[str | int]) -> int:
        """The line of `field`, or of the nearest enclosing value written in the file."""
        key = tuple(field)
        while key and key not in self.lines:
            key = key[:-1]
        return self.lines.get(key, 1)

    def problem(self, field: Sequence[str | int], message: str) -> BadInput:
        """`FILE:LINE: field.path: message` as bad input."""
        name = ".".join(f"[{part}]" if isinstance(part, int) else part for part in field)
        name = name.replace(".[", "[")
        return BadInput(f"{self.path}:{self.line(field)}: {name or 'file'}: {message}")


def read_yaml(path: Path, limit: int, what: str) -> YamlDocument:
    """Parse one YAML document through the content layer's safe reader (regular files
    only, at most `limit` bytes, UTF-8, the safe loader with alias, depth and size limits,
    a key given twice refused), keeping the line of every value."""
    from heelcoach.reader import compose_yaml, read_text

    node, data = compose_yaml(read_text(path, limit, what), path)
    lines: dict[FieldPath, int] = {}
    if node is not None:
        _note_lines(node, (), lines)
    return YamlDocument(path, data, lines)


def _note_lines(node: Any, at: FieldPath, lines: dict[FieldPath, int]) -> None:
    import yaml

    lines[at] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            _note_lines(value_node, (*at, str(key_node.value)), lines)
            lines[(*at, str(key_node.value))] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _note_lines(item, (*at, index), lines)
