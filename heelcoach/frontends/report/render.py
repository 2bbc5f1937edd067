"""Fill the report templates: HTML (self-contained, inline SVG) and Markdown.

The environment autoescapes every `.html.j2` and `.svg.j2` template and fails on any
undefined name (StrictUndefined), so a typo in a template is an error in the tests, not
a blank in a report. Markdown is not HTML: its `md` filter neutralises table pipes and
inline markup instead.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from heelcoach import __version__
from heelcoach.frontends.report.charts import charts

FORMATS = ("html", "markdown", "json")


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("heelcoach.frontends.report", "templates"),
        autoescape=_escaped,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )
    env.filters["md"] = markdown_text
    return env


def _escaped(name: str | None) -> bool:
    return name is not None and name.endswith((".html.j2", ".svg.j2"))


def markdown_text(value: object) -> str:
    """Text safe in a Markdown table cell or list item: no pipes, tags or line breaks."""
    text = str(value)
    for bad, good in (("\\", "\\\\"), ("|", "\\|"), ("<", "&lt;"), (">", "&gt;")):
        text = text.replace(bad, good)
    return " ".join(text.split())


def render(data: Mapping[str, Any], output_format: str) -> str:
    """The report in `output_format`: html, markdown or json."""
    if output_format == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    name = {"html": "report.html.j2", "markdown": "report.md.j2"}[output_format]
    return environment().get_template(name).render(r=data, charts=charts(data), version=__version__)
