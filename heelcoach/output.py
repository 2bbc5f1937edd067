"""The one way heelcoach makes a Rich console for its reports.

Plain text whenever stdout is not a terminal or `NO_COLOR` is set: Rich drops colour by
itself in both cases but keeps bold and dim under NO_COLOR; no colour system at all drops
every escape sequence, which is what a screen reader, a log or a file wants.
"""

from __future__ import annotations

import os

from rich.console import Console


def console() -> Console:
    plain = bool(os.environ.get("NO_COLOR"))
    return Console(highlight=False, emoji=False, **({"color_system": None} if plain else {}))
