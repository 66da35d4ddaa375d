"""The reviews one page gives at most (``limits.max_reviews``), bounded where they are built.

A page of 8 MB holds 200,000 short JSON-LD reviews: building every record before the crawl
kept the first 50,000 took the crawl process to 584 MB. The layers that build reviews stop
at the limit instead, and the page says what it left (``REVIEWS_OVER_LIMIT`` in its
``skipped``, counted in ``crawl_run.fetch_problems``, and a warning).
"""

from __future__ import annotations

from settings.records import PageExtraction, ReviewItem
from settings.targets import DEFAULT_MAX_REVIEWS

REVIEWS_OVER_LIMIT = "reviews_over_limit"
"""The reason a page's reviews past ``limits.max_reviews`` were not read."""

__all__ = ["DEFAULT_MAX_REVIEWS", "REVIEWS_OVER_LIMIT", "left_reviews", "within_review_limit"]


def left_reviews(skipped: list[str] | None) -> None:
    """Record once in ``skipped`` that reviews past the limit were left."""
    if skipped is not None and REVIEWS_OVER_LIMIT not in skipped:
        skipped.append(REVIEWS_OVER_LIMIT)


def within_review_limit(page: PageExtraction, reviews: list[ReviewItem], limit: int) -> None:
    """``page.reviews``: ``reviews`` up to ``limit``; a page whose layers left some (or
    whose merged layers pass it) says so in its skipped reasons and warnings."""
    if len(reviews) > limit:
        del reviews[limit:]
        left_reviews(page.skipped)
    page.reviews = reviews
    if REVIEWS_OVER_LIMIT in page.skipped:
        page.warnings.append(
            f"more than {limit:,} reviews on the page: only the first {limit:,} read "
            "(limits.max_reviews)"
        )
