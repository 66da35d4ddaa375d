"""Attribute helpers that write the same page in microdata, RDFa or no markup at all.

Page templates call ``Markup`` for every schema.org property; JSON-LD and plain shops get
empty strings (JSON-LD goes into a script instead), so one template serves all styles.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from rivalscope.demo.records import MarkupStyle

SCHEMA = "https://schema.org/"


def attr(value: object) -> str:
    """HTML-escape a value for a double-quoted attribute."""
    return escape(str(value), quote=True)


@dataclass(frozen=True)
class Markup:
    """schema.org attributes in one markup style."""

    style: MarkupStyle

    @property
    def inline(self) -> bool:
        """True when schema.org lives in element attributes (microdata, RDFa)."""
        return self.style in ("microdata", "rdfa")

    def root(self, type_name: str) -> str:
        """Attributes of a top-level item."""
        if self.style == "microdata":
            return f'itemscope itemtype="{SCHEMA}{type_name}"'
        if self.style == "rdfa":
            return f'vocab="{SCHEMA}" typeof="{type_name}"'
        return ""

    def scope(self, prop: str, type_name: str) -> str:
        """Attributes of a nested item held in property ``prop``."""
        if self.style == "microdata":
            return f'itemprop="{prop}" itemscope itemtype="{SCHEMA}{type_name}"'
        if self.style == "rdfa":
            return f'property="{prop}" typeof="{type_name}"'
        return ""

    def prop(self, name: str) -> str:
        """Attribute naming the property an element's text holds."""
        if self.style == "microdata":
            return f'itemprop="{name}"'
        if self.style == "rdfa":
            return f'property="{name}"'
        return ""

    def meta(self, name: str, content: object) -> str:
        """An invisible property value."""
        if not self.inline:
            return ""
        return f'<meta {self.prop(name)} content="{attr(content)}">'

    def link(self, name: str, href: str) -> str:
        """A property whose value is a URL (e.g. availability)."""
        if not self.inline:
            return ""
        return f'<link {self.prop(name)} href="{attr(href)}">'


PLAIN = Markup("plain")


@dataclass(frozen=True)
class ReviewClasses:
    """CSS classes of a review block; the "broken markup" switch swaps in other names."""

    block: str = "review"
    title: str = "review-title"
    author: str = "review-author"
    region: str = "review-region"
    date: str = "review-date"
    rating: str = "review-rating"
    text: str = "review-text"


REVIEW_CLASSES = ReviewClasses()
BROKEN_REVIEW_CLASSES = ReviewClasses(
    block="opinion",
    title="opinion-headline",
    author="opinion-by",
    region="opinion-place",
    date="opinion-when",
    rating="opinion-score",
    text="opinion-body",
)
