"""The one way text from a person or a file reaches the terminal: inert.

A note, an imported record, a person's own exercise (its name, cues, setup) or an error
message that names what a file held may carry terminal escape sequences (clear the
screen, retitle the window, fake a hyperlink) or, for Rich, markup (`[link=...]`, and
`[/bold]` without an opening tag, which makes Rich raise). Every renderer passes such text
through here:

* `clean(text)`: control characters (C0 but tab and newline, DEL, C1, direction
  overrides) become `?`, and lone surrogates (undecodable bytes) become U+FFFD, so what
  is shown is what was stored, minus anything a terminal would act on;
* `line(text)`: the same, on one line (line breaks and tabs become spaces): table cells,
  error messages;
* `markup(text)`: `line(text)` with Rich markup escaped, for f-strings Rich will parse;
* `rich_text(text, style)`: a Rich `Text`, which Rich never parses as markup.

No Rich at import: `line` is used by `app.run` for every error, on the fast path.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from heelcoach.domain.text import control_characters, controls_or_breaks, surrogates

if TYPE_CHECKING:
    from rich.text import Text

SHOWN_FOR_CONTROL = "?"


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
    if value.isprintable():
        return value
    value = surrogates().sub("\ufffd", value)
    return controls_or_breaks().sub(_one_line_replacement, value)


def _one_line_replacement(match: re.Match[str]) -> str:
    return " " if match.group() in "\t\n\r\u0085\u2028\u2029" else SHOWN_FOR_CONTROL


def markup(text: object) -> str:
    """`line(text)` with Rich markup escaped: safe inside a string Rich will parse."""
    from rich.markup import escape

    return escape(line(text))


def rich_text(text: object, style: str = "") -> Text:
    """A Rich `Text` of `line(text)`: shown as typed, never parsed as markup."""
    from rich.text import Text

    return Text(line(text), style=style)


def block(text: object, style: str = "") -> Text:
    """A Rich `Text` of `clean(text)`, keeping its line breaks."""
    from rich.text import Text

    return Text(clean(text), style=style)
