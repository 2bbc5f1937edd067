"""Text made safe for every output format: the one place that decides what is inert.

Text a person typed or a file held (a note, an imported record, a clinician's name,
note or support, an answers file, a person's own exercise) may carry escape sequences
(clear the screen, OSC 52 to write the clipboard, BEL, C1 CSI), invisible direction
overrides and isolates that reorder what is shown, or markup a format would act on. The
content loader refuses control characters in exercise files and `log` drops them from
notes; everything else is made inert here on the way out, one function per format:

* `clean(text)` (keeps line breaks) and `line(text)` (one line): the terminal, the live
  screen, `--plain` lines, `--voice-cmd` arguments, and the base of every other format.
  A control character becomes `?`, a lone surrogate (undecodable bytes) U+FFFD;
* `markdown(text)`: `line` with Markdown's own characters escaped, so a note can make
  no link, image (a remote image is a tracking pixel once the file is mailed), heading
  or table cell;
* `ics(text)`: `clean` as RFC 5545 TEXT;
* `inert_data(value)`: every string in a JSON value through `clean`;
* HTML: Jinja's autoescape, after `clean` (the report's `finalize`).

CSV cells are made safe where they are written (`storage.transfer`), where a cell that
starts like a formula also gets a leading `'`.

Almost all text is printable (`str.isprintable`), which is answered in C without a
pattern; the patterns are compiled only the first time some text is not, so commands
that show nothing unusual never pay for them.
"""

from __future__ import annotations

import re
from functools import cache

# C0 controls except tab and newline, DEL, C1 controls (0x80-0x9f: CSI and OSC among them),
# and the Unicode direction overrides and isolates that reorder what is shown.
_CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"


@cache
def control_characters() -> re.Pattern[str]:
    return re.compile(f"[{_CONTROL}]")


@cache
def surrogates() -> re.Pattern[str]:
    return re.compile("[\ud800-\udfff]")


def has_control_characters(text: str) -> bool:
    return not text.isprintable() and control_characters().search(text) is not None


def has_surrogates(text: str) -> bool:
    """Lone surrogates: not text at all (undecodable bytes from a file name or argument)."""
    return not text.isprintable() and surrogates().search(text) is not None


def without_controls(text: str, replacement: str = "") -> str:
    """`text` with every control character replaced (tab and newline are kept)."""
    return text if text.isprintable() else control_characters().sub(replacement, text)


def is_whole_number(text: str) -> bool:
    """Written with the digits 0-9 only: `str.isdecimal` also takes other scripts' digits
    ('٣'), which a person cannot check on screen and the help promises are refused."""
    return text.isascii() and text.isdecimal()


@cache
def _field_shaped() -> re.Pattern[str]:
    return re.compile("[a-z][a-z0-9_-]{0,29}")


def key_named(key: object) -> str:
    """How an error names a key a file gave: ` 'colour'` when it is shaped like a field
    name (lowercase letters, digits, `_` and `-`, up to 30 characters), else nothing, so
    an error never quotes other text from the file. Meant to follow a noun: "unknown
    field" + key_named(key)."""
    if isinstance(key, str) and _field_shaped().fullmatch(key):
        return f" '{key}'"
    return ""


# --------------------------------------------------------------------------- per format

SHOWN_FOR_CONTROL = "?"
_ONE_LINE = str.maketrans(dict.fromkeys("\t\n\r\u0085\u2028\u2029", " "))


def clean(text: object) -> str:
    """`text` with every control character made visible as `?` (tab and newline kept)."""
    value = str(text)
    if value.isprintable():  # nearly always: answered without a pattern
        return value
    value = surrogates().sub("\ufffd", value)
    return control_characters().sub(SHOWN_FOR_CONTROL, value)


def line(text: object) -> str:
    """`text` as one inert line: line breaks and tabs become spaces, controls `?`."""
    value = str(text)
    return value if value.isprintable() else clean(value.translate(_ONE_LINE))


@cache
def _markdown_special() -> re.Pattern[str]:
    # What makes inline Markdown act (links and images need `[`); `(`, `!` or `#` alone
    # do nothing inside a line, so plain prose stays readable. `<` and `>` (autolinks,
    # HTML) become entities instead.
    return re.compile(r"([\\`*_\[\]|~])")


def markdown(text: object) -> str:
    """`text` as inert Markdown inline text: one line, every character Markdown acts on
    escaped, so `![x](https://...)` shows as typed instead of loading an image."""
    value = _markdown_special().sub(r"\\\1", " ".join(line(text).split()))
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
