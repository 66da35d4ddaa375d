"""The Jinja2 environment of the report's package templates (``templates/``): autoescape on
for every template, so scraped text is escaped wherever it lands (HTML and SVG alike)."""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from compare.report.code_spans import split_code_spans


def html_code_spans(text: str) -> Markup:
    """Text with its `command` spans as ``<code>`` (a command to copy reads as one, and does
    not break at its hyphens); every part is escaped, so scraped text stays text."""
    return Markup("").join(
        Markup("<code>%s</code>") % part if is_code else escape(part)
        for part, is_code in split_code_spans(text)
    )


@lru_cache(maxsize=1)
def report_templates() -> Environment:
    environment = Environment(
        loader=PackageLoader("compare.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=False,
        lstrip_blocks=False,
    )
    environment.filters["code_spans"] = html_code_spans
    return environment
