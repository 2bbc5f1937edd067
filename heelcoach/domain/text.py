"""Text made safe for every output format: the one place that decides what is inert.

Text a person typed or a file held may carry escape sequences (clear the screen, OSC 52
to write the clipboard, BEL, C1 CSI), direction overrides that reorder what is shown, or
markup a format would act on. It is made inert on the way out, one function per format
(a Markdown link or remote image would be a tracking pixel once the file is mailed). HTML
goes through Jinja's autoescape after `clean`; CSV cells are made safe where they are
written (`storage.transfer`).
"""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, C1 controls (0x80-0x9f: CSI and OSC among them),
# and the Unicode direction overrides and isolates that reorder what is shown.
# (Patterns are strings: `re` compiles each once, on first use, and keeps it.)
_CONTROLS = "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
_SURROGATES = "[\ud800-\udfff]"
_FIELD_SHAPED = "[a-z][a-z0-9_-]{0,29}"
# What makes inline Markdown act (links and images need `[`); `(`, `!` or `#` alone do
# nothing inside a line, so plain prose stays readable. `<` and `>` become entities.
_MARKDOWN_SPECIAL = r"([\\`*_\[\]|~])"


def has_control_characters(text: str) -> bool:
    return not text.isprintable() and re.search(_CONTROLS, text) is not None


def has_surrogates(text: str) -> bool:
    """Lone surrogates: not text at all (undecodable bytes from a file name or argument)."""
    return not text.isprintable() and re.search(_SURROGATES, text) is not None


def without_controls(text: str, replacement: str = "") -> str:
    """`text` with every control character replaced (tab and newline are kept)."""
    return text if text.isprintable() else re.sub(_CONTROLS, replacement, text)


def is_whole_number(text: str) -> bool:
    """Written with the digits 0-9 only: `str.isdecimal` also takes other scripts' digits
    ('٣'), which a person cannot check on screen and the help promises are refused."""
    return text.isascii() and text.isdecimal()


def key_named(key: object) -> str:
    """How an error names a key a file gave: ` 'colour'` when it is shaped like a field
    name (lowercase letters, digits, `_` and `-`, up to 30 characters), else nothing, so
    an error never quotes other text from the file. Meant to follow a noun: "unknown
    field" + key_named(key)."""
    if isinstance(key, str) and re.fullmatch(_FIELD_SHAPED, key):
        return f" '{key}'"
    return ""


_ONE_LINE = str.maketrans(dict.fromkeys("\t\n\r\u0085\u2028\u2029", " "))


def clean(text: object) -> str:
    """`text` with every control character made visible as `?` (tab and newline kept)."""
    value = str(text)
    if value.isprintable():  # nearly always: answered without a pattern
        return value
    value = re.sub(_SURROGATES, "\ufffd", value)
    return re.sub(_CONTROLS, "?", value)


def line(text: object) -> str:
    """`text` as one inert line: line breaks and tabs become spaces, controls `?`."""
    value = str(text)
    return value if value.isprintable() else clean(value.translate(_ONE_LINE))


def markdown(text: object) -> str:
    """`text` as inert Markdown inline text: one line, every character Markdown acts on
    escaped, so `![x](https://...)` shows as typed instead of loading an image."""
    value = re.sub(_MARKDOWN_SPECIAL, r"\\\1", " ".join(line(text).split()))
    return value.replace("<", "&lt;").replace(">", "&gt;")


def ics(text: object) -> str:
    """`text` as RFC 5545 TEXT: controls inert; backslash, semicolon and comma escaped,
    line breaks as `\\n`."""
    value = clean(text).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\\n")


def inert_data(value: object) -> object:
    """A JSON value with every string in it (keys too) through `clean`: JSON escapes C0
    controls itself, but not C1 (U+009B, a CSI) or the direction overrides."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {clean(key): inert_data(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [inert_data(item) for item in value]
    return value
