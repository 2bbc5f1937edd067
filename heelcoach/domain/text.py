"""Which characters are safe to show: the one definition of a terminal control character.

Text a person typed or a file held may carry escape sequences (clear the screen, set the
window title, a hyperlink) or invisible direction overrides. The content loader refuses
them in exercise files, `log` drops them from notes, and the front ends replace them on
the way to the terminal (`frontends.safe_text`); all use these definitions.

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
_BREAKS = "\t\n\u0085\u2028\u2029"


@cache
def control_characters() -> re.Pattern[str]:
    return re.compile(f"[{_CONTROL}]")


@cache
def controls_or_breaks() -> re.Pattern[str]:
    """The control characters, plus the line breaks a one-line field must not carry."""
    return re.compile(f"[{_CONTROL}{_BREAKS}]")


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
