"""Reading files a person or another program wrote: bytes, YAML and JSON, within limits.

Every content and exercise file, answers file, profile and cache is read here, so the same
limits hold everywhere: regular files only, a byte cap, YAML's aliases, nesting and
expanded size capped (a "billion laughs" file is refused before it is built), and a key
given twice refused, never "last one wins": `chest_pain: true` then `chest_pain: false`
must not pass as `false`.

Every problem is one `ReadError` line (a `BadInput`: exit 2) naming the file and, where
there is one, the line. PyYAML is imported only when a YAML file is read.
"""

from __future__ import annotations

import errno
import json
import os
import stat
from collections import Counter
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from heelcoach.errors import BadInput

MAX_DEPTH = 40  # nesting of lists and mappings; the content needs 5
MAX_ALIASES = 100  # YAML `*alias` references; the content uses none
MAX_NODES = 100_000  # values once aliases are expanded; the content has about 3,000
YAML_MAX_BYTES = 1024 * 1024  # a content or exercise file; the largest is 20 KB
ANSWERS_MAX_BYTES = 64 * 1024  # an answers file or a profile: well under 2 KB
JSON_MAX_DEPTH = 40


class ReadError(BadInput):
    """A file could not be read or parsed safely; `errno` is set for OS failures."""

    def __init__(self, message: str, error_number: int | None = None) -> None:
        super().__init__(" ".join(message.split()))
        self.errno = error_number

    @property
    def missing(self) -> bool:
        return self.errno == errno.ENOENT


# --------------------------------------------------------------------------- bytes


def open_regular(path: Path, what: str = "a file") -> int:
    """An open descriptor for reading `path`, refused unless it is a regular file.

    Opened with O_NONBLOCK so that a FIFO cannot hang the command before it is checked.
    """
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise ReadError(f"{path}: no such file", errno.ENOENT) from None
    except IsADirectoryError:
        raise ReadError(f"{path}: is a folder, not {what}", errno.EISDIR) from None
    except OSError as error:
        raise ReadError(f"{path}: cannot read: {error.strerror}", error.errno) from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise ReadError(f"{path}: is a folder, not {what}", errno.EISDIR)
        if not stat.S_ISREG(mode):
            raise ReadError(
                f"{path}: is not a regular file (a device, pipe or socket); give {what}"
            )
        os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_bytes(path: Path, max_bytes: int, what: str = "a file") -> bytes:
    """The whole of a regular file of at most `max_bytes` bytes."""
    fd = open_regular(path, what)
    try:
        with os.fdopen(fd, "rb") as handle:
            size = os.fstat(fd).st_size
            if size > max_bytes:
                raise ReadError(_too_big(path, size, max_bytes, what))
            data = handle.read(max_bytes + 1)  # one byte more: it grew while being read
    except OSError as error:
        raise ReadError(f"{path}: cannot read: {error.strerror}", error.errno) from None
    if len(data) > max_bytes:
        raise ReadError(_too_big(path, len(data), max_bytes, what))
    return data


def _too_big(path: Path, size: int, limit: int, what: str) -> str:
    return f"{path}: is {size:,} bytes, more than {what} can be ({limit:,} bytes)"


def read_text(path: Path, max_bytes: int, what: str = "a file") -> str:
    """A UTF-8 text file (a leading byte-order mark is dropped) of at most `max_bytes`."""
    data = read_bytes(path, max_bytes, what)
    data = data.removeprefix(b"\xef\xbb\xbf")  # a byte-order mark, without loading its codec
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ReadError(f"{path}:{line}: not a UTF-8 text file (expected {what})") from None


# --------------------------------------------------------------------------- YAML


class YamlDocument(NamedTuple):
    """A parsed YAML file: its data, and the line of every field path for messages."""

    path: Path
    data: Any
    lines: Mapping[str, int]  # field path ("exercises[3].phases") -> 1-based line

    def where(self, field_path: str) -> str:
        line = self.lines.get(field_path)
        return f"{self.path}:{line}" if line else str(self.path)


def read_yaml_document(
    path: Path, *, max_bytes: int = YAML_MAX_BYTES, what: str = "a YAML file"
) -> YamlDocument:
    """A YAML file's data with the line of every field, within every limit above."""
    import yaml

    text = read_text(path, max_bytes, what)
    try:
        loader = _limited_loader()(text)  # the reader refuses control characters here
    except yaml.YAMLError as error:
        raise ReadError(_yaml_error_line(path, text, error)) from None
    try:
        node = loader.get_single_node()
        if node is not None:
            _check_size(node)
        data = loader.construct_document(node) if node is not None else None
    except _Refusal as refusal:
        raise ReadError(f"{path}:{refusal.line}: invalid YAML: {refusal.problem}") from None
    except yaml.YAMLError as error:
        raise ReadError(_yaml_error_line(path, text, error)) from None
    except RecursionError:
        raise ReadError(f"{path}: invalid YAML: nested too deeply") from None
    finally:
        loader.dispose()
    lines: dict[str, int] = {}
    if node is not None:
        _record_lines(node, "", lines)
    return YamlDocument(path, data, lines)


class _Refusal(Exception):
    def __init__(self, line: int, problem: str) -> None:
        super().__init__(problem)
        self.line, self.problem = line, problem


@cache
def _limited_loader() -> Any:
    """The safe loader (libyaml's when PyYAML has it) refusing a key given twice; aliases
    and depth are counted on the composed tree (`_check_size`)."""
    import yaml

    class LimitedLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            if isinstance(node, yaml.MappingNode):
                _refuse_repeated_keys(self, node, deep)
            return super().construct_mapping(node, deep=deep)

    return LimitedLoader


def _refuse_repeated_keys(loader: Any, node: Any, deep: bool) -> None:
    """A key given twice in one mapping would silently win last: refuse it."""
    seen: dict[Any, int] = {}
    for key_node, _value in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue  # `<<: *defaults`: explicit keys may override merged ones
        key = loader.construct_object(key_node, deep=deep)
        try:
            first = seen.get(key)
        except TypeError:  # an unhashable key: the constructor reports it
            continue
        line = key_node.start_mark.line + 1
        if first is not None:
            raise _Refusal(line, f"{_shown(key)}: given twice (first on line {first})")
        seen[key] = line


def _shown(key: Any) -> str:
    text = str(key)
    return text if len(text) <= 40 else text[:37] + "..."


def _check_size(root: Any) -> None:
    """Refuse a document nested more than MAX_DEPTH deep, with more than MAX_ALIASES
    aliases, whose aliases expand it past MAX_NODES values, or that refers to itself.

    An alias is the same node met again; each distinct node is sized once, so this is
    linear in the file.
    """
    import yaml

    sizes: dict[int, int] = {}
    busy: set[int] = set()
    aliases = 0

    def size(node: Any, depth: int) -> int:
        nonlocal aliases
        key = id(node)
        line = node.start_mark.line + 1
        if key in sizes:
            aliases += 1
            if aliases > MAX_ALIASES:
                raise _Refusal(line, f"more than {MAX_ALIASES} aliases (*name)")
            return sizes[key]
        if key in busy:
            raise _Refusal(line, "an alias refers to its own value")
        if depth > MAX_DEPTH:
            raise _Refusal(line, f"nested more than {MAX_DEPTH} levels deep")
        busy.add(key)
        total = 1
        if isinstance(node, yaml.MappingNode):
            children = [child for pair in node.value for child in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = node.value
        else:
            children = []
        for child in children:
            total += size(child, depth + 1)
            if total > MAX_NODES:
                break
        busy.discard(key)
        sizes[key] = total
        if total > MAX_NODES:
            raise _Refusal(
                line, f"expands to more than {MAX_NODES:,} values (aliases repeat too much)"
            )
        return total

    size(root, 1)


def _yaml_error_line(path: Path, text: str, error: Any) -> str:
    """One line for a YAML error, whatever shape PyYAML gave it."""
    import yaml

    if isinstance(error, yaml.reader.ReaderError):  # a control character or bad encoding
        line = text[: error.position].count("\n") + 1
        character = error.character
        code = ord(character) if isinstance(character, str) else int(character)
        return f"{path}:{line}: invalid YAML: control character U+{code:04X} is not allowed"
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    problem = getattr(error, "problem", None) or str(error).splitlines()[0]
    where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
    return f"{where}: invalid YAML: {' '.join(str(problem).split())}"


def _record_lines(node: Any, prefix: str, lines: dict[str, int]) -> None:
    import yaml

    lines.setdefault(prefix, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = f"{prefix}.{key_node.value}" if prefix else str(key_node.value)
            lines.setdefault(child, key_node.start_mark.line + 1)
            _record_lines(value_node, child, lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, f"{prefix}[{index}]", lines)


# --------------------------------------------------------------------------- JSON


class _RepeatedKey(ValueError):
    """A key given twice in one JSON object (the key is the only argument)."""


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        counts = Counter(key for key, _ in pairs)
        raise _RepeatedKey(next(key for key, _ in pairs if counts[key] > 1))
    return result


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


# One decoder for every read: building one per call costs more than a short line.
_DECODER = json.JSONDecoder(object_pairs_hook=_unique_pairs, parse_constant=_no_constant)


def parse_json(text: str, where: str, *, add_line: bool = False) -> Any:
    """JSON `text` (from `where`, e.g. `FILE:LINE`, for messages), or one-line ReadError.

    `add_line`: `where` is a whole file, so name the line a syntax error is on.
    """
    try:
        if text.startswith("\ufeff"):  # as json.loads says it
            raise json.JSONDecodeError("Unexpected UTF-8 BOM (decode using utf-8-sig)", text, 0)
        value = _DECODER.decode(text)
    except _RepeatedKey as repeated:
        raise ReadError(f"{where}: {_shown(repeated.args[0])}: given twice") from None
    except RecursionError:
        raise ReadError(f"{where}: not valid JSON (nested too deeply)") from None
    except json.JSONDecodeError as error:
        line = f":{error.lineno}" if add_line else ""
        raise ReadError(f"{where}{line}: not valid JSON ({error.msg})") from None
    except ValueError as error:  # a number too long to read, NaN, Infinity
        raise ReadError(f"{where}: not valid JSON ({str(error).split(':')[0]})") from None
    return value


def _depth(value: Any) -> int:
    """How deeply lists and objects nest in `value` (0 for a plain value), level by level,
    stopping once past JSON_MAX_DEPTH."""
    level, frontier = 0, [value]
    while level <= JSON_MAX_DEPTH:
        containers = [item for item in frontier if isinstance(item, (dict, list))]
        if not containers:
            break
        level += 1
        frontier = []
        for container in containers:
            frontier.extend(container.values() if isinstance(container, dict) else container)
    return level


def read_json(path: Path, *, max_bytes: int, what: str = "a JSON file") -> Any:
    """The value of a JSON file of at most `max_bytes`, within the limits above. The cache
    and export lines skip the depth walk: they take flat records and check each field."""
    value = parse_json(read_text(path, max_bytes, what), str(path), add_line=True)
    if _depth(value) > JSON_MAX_DEPTH:
        raise ReadError(f"{path}: nested more than {JSON_MAX_DEPTH} levels deep")
    return value
