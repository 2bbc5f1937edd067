"""Text from a person or a file as Rich renders it: inert, and never parsed as markup.

What is inert is decided in `domain.text`; this adds what Rich needs on top, for text that
may carry Rich markup (`[link=...]`, or `[/bold]` without an opening tag, which makes Rich
raise). No Rich at import: the renderers import it before they know what they will show.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from heelcoach.domain.text import clean, line

if TYPE_CHECKING:
    from rich.text import Text


def rich_text(text: object, style: str = "") -> Text:
    """A Rich `Text` of `line(text)`: shown as typed, never parsed as markup."""
    from rich.text import Text

    return Text(line(text), style=style)


def block(text: object, style: str = "") -> Text:
    """A Rich `Text` of `clean(text)`, keeping its line breaks."""
    from rich.text import Text

    return Text(clean(text), style=style)
