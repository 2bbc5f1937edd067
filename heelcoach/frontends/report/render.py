"""Fill the report templates: HTML (self-contained, inline SVG) and Markdown.

StrictUndefined makes a typo in a template an error in the tests, not a blank in a
report. Every printed value has its control characters made inert; Markdown is not HTML,
so its `md` filter escapes what Markdown acts on (no link, image or table cell from a note).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from heelcoach import __version__
from heelcoach.domain.text import clean, inert_data, markdown
from heelcoach.frontends.report.charts import charts


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("heelcoach.frontends.report", "templates"),
        autoescape=select_autoescape(["html.j2", "svg.j2"], default_for_string=False),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        finalize=_inert,
    )
    env.filters["md"] = markdown
    return env


def _inert(value: object) -> object:
    """A value as a template prints it, its control characters made inert; markup the
    templates made themselves (a `Markup` chart) stays markup."""
    if isinstance(value, str):
        return type(value)(clean(value))
    return value


def render(data: Mapping[str, Any], output_format: str) -> str:
    """The report in `output_format`: html, markdown or json."""
    if output_format == "json":
        return json.dumps(inert_data(data), indent=2, ensure_ascii=False) + "\n"
    name = {"html": "report.html.j2", "markdown": "report.md.j2"}[output_format]
    return environment().get_template(name).render(r=data, charts=charts(data), version=__version__)
