"""URL patterns of the targets file (``follow``/``deny``) on RE2, a linear-time engine.

Python's ``re`` backtracks: ``/(a+)+$`` takes 2**n steps on a link of n ``a``s followed by
another character, so one hostile link could stall a crawl for hours. RE2 matches in time
linear in the URL's length whatever the pattern. It lacks the features that need
backtracking (look-arounds, back-references); a pattern using them is refused when the
targets file is validated, with the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

MAX_PATTERN_LENGTH = 2000
MAX_URL_LENGTH = 8192
"""Longer URLs are matched on their first MAX_URL_LENGTH characters (no real link is longer)."""


@lru_cache(maxsize=512)
def compile_url_pattern(pattern: str) -> Any:
    """The RE2 program of ``pattern``; ValueError saying why if RE2 cannot run it."""
    import re2  # google-re2

    if len(pattern) > MAX_PATTERN_LENGTH:
        raise ValueError(f"pattern longer than {MAX_PATTERN_LENGTH} characters")
    options = re2.Options()
    options.log_errors = False  # the reason goes into our message, not onto stderr
    try:
        return re2.compile(pattern, options)
    except re2.error as exc:
        detail = exc.args[0] if exc.args else exc
        if isinstance(detail, bytes):
            detail = detail.decode("utf-8", "replace")
        raise ValueError(
            f"{pattern!r} cannot run on the linear-time engine (RE2): {detail}; "
            "look-arounds and back-references are not supported, rewrite without them"
        ) from None


class UrlFilter:
    """``follow``/``deny`` of a source: a URL is wanted if no ``deny`` pattern matches it
    and, when there are ``follow`` patterns, one of them matches."""

    def __init__(self, follow: Sequence[str], deny: Sequence[str]) -> None:
        self.follow = [compile_url_pattern(p) for p in follow]
        self.deny = [compile_url_pattern(p) for p in deny]

    def wanted(self, url: str) -> bool:
        url = url[:MAX_URL_LENGTH]
        if any(p.search(url) for p in self.deny):
            return False
        return not self.follow or any(p.search(url) for p in self.follow)
