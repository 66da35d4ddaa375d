"""The Jinja2 environment of the report's package templates (``templates/``): autoescape on
for every template, so scraped text is escaped wherever it lands (HTML and SVG alike)."""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, select_autoescape


@lru_cache(maxsize=1)
def report_templates() -> Environment:
    return Environment(
        loader=PackageLoader("compare.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=False,
        lstrip_blocks=False,
    )
