"""Hand-written YAML files a person or a clinician gives heelcoach: read them safely.

Screening answers and a clinician's prescription come from someone's editor, so they are
read the same careful way: regular files only, a byte cap, UTF-8, the safe loader only,
and a key given twice refused rather than "last one wins". `read_yaml` also keeps the
line each value was written on, so a problem found later is reported as
`FILE:LINE: field.path: problem`.
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


def read_text(path: Path, limit: int, what: str) -> str:
    """The file's text: a regular file, at most `limit` bytes, UTF-8; else BadInput."""
    try:
        if not path.is_file():
            raise BadInput(f"{path}: not a regular file (give {what})")
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as error:
        raise BadInput(f"{path}: cannot read: {error.strerror}") from None
    if len(data) > limit:
        raise BadInput(f"{path}: larger than {limit // 1024} KB: not {what}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise BadInput(f"{path}: not a UTF-8 text file") from None


def read_yaml(path: Path, limit: int, what: str) -> YamlDocument:
    """Parse one YAML document with the safe loader, refusing repeated keys."""
    import yaml

    loader = _unique_key_loader()(read_text(path, limit, what))
    try:
        node = loader.get_single_node()
        data = None if node is None else loader.construct_document(node)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark else str(path)
        problem = " ".join(str(getattr(error, "problem", None) or error).split())
        raise BadInput(f"{where}: invalid YAML: {problem}") from None
    finally:
        loader.dispose()
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


def _unique_key_loader() -> Any:
    """The safe loader, refusing repeated keys (defined on first use: YAML loads lazily)."""
    import yaml

    class Loader(yaml.SafeLoader):
        """The safe loader, refusing a mapping that gives the same key twice."""

        def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
            seen: set[object] = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                if key in seen:
                    raise yaml.constructor.ConstructorError(
                        None, None, f"{key}: given twice (each key once)", key_node.start_mark
                    )
                seen.add(key)
            return super().construct_mapping(node, deep=deep)

    return Loader
