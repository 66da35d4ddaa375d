"""One review once: reviews of several layers and their copies merged.

Pages repeat reviews: a carousel clones its slides, a shop prints the same JSON-LD twice,
the same review sits in the markup and in the script state, a desktop and a mobile copy.
A copy from another layer is the same text (or one text the start of the other, as a cut
"read more" teaser is) with no conflicting rating, author or date; within one layer only an
exact copy (a clone) is one. The most trusted layer's copy is kept and
fills its missing fields from the others. Reviews without text are copies only when rating,
author and date are all equal and author or date is known.
"""

from __future__ import annotations

from dataclasses import fields

from settings.content_keys import cut_prefix, text_key
from settings.records import ReviewItem
from spiders.extract.layers import layer_priority

# A cut copy must keep this much of the text to be taken for the same review.
MIN_PREFIX = 20
_MERGED = tuple(
    f.name for f in fields(ReviewItem) if f.name not in ("explain", "url", "text", "content_key")
)


def same_review(a: ReviewItem, b: ReviewItem) -> bool:
    """True when ``a`` and ``b`` are copies of one review (see the module docstring).
    Within one layer only exact copies count: a site's own store may hold one customer's
    two reviews of a day with the same words, and both are reviews."""
    if _layer(a) == _layer(b) and _layer(a) is not None:
        return _exact(a) == _exact(b)
    for name in ("rating_normalized", "author", "published"):
        x, y = getattr(a, name), getattr(b, name)
        if x is None or y is None:
            continue
        if x != y if name != "rating_normalized" else abs(float(x) - float(y)) > 1e-6:
            return False
    meet = cut_prefix(a.text, b.text)
    if meet is None:
        return False
    if not meet.shorter:  # one without text (or both)
        known = (a.author or b.author) is not None or (a.published or b.published) is not None
        return (
            not meet.longer
            and known
            and a.rating == b.rating
            and (
                a.author,
                a.published,
            )
            == (b.author, b.published)
        )
    return meet.same or len(meet.shorter) >= MIN_PREFIX


def _layer(review: ReviewItem) -> str | None:
    return review.explain.get("text") or review.explain.get("rating") or review.explain.get("*")


def _exact(review: ReviewItem) -> tuple[object, ...]:
    return (
        " ".join((review.text or "").split()),
        review.title,
        review.rating,
        review.author,
        review.date_raw,
        review.published,
        review.external_id,
    )


def _trust(review: ReviewItem) -> int:
    return layer_priority(review.explain.get("text") or review.explain.get("rating"))


def merge_reviews(*layers: list[ReviewItem]) -> list[ReviewItem]:
    """The reviews of ``layers`` (each a layer's list, in page order), each review once.
    Order: the first list's reviews, then the others' new ones. A copy from a more trusted
    layer replaces the kept one's fields it has; a less trusted copy only fills gaps; a
    longer text (the full one of a cut teaser) is kept."""
    kept: list[ReviewItem] = []
    # Copies share their first MIN_PREFIX characters (or the whole of a shorter text).
    buckets: dict[str, _Bucket] = {}
    for layer in layers:
        for review in layer:
            bucket = buckets.setdefault(text_key(review.text)[:MIN_PREFIX], _Bucket())
            twin = bucket.first_copy_of(review)
            if twin is None:
                kept.append(review)
                bucket.add(review)
            else:
                _combine(twin, review)
    return kept


class _Bucket:
    """Kept reviews sharing a text prefix, found again without comparing each with each:
    within a layer a copy is an exact one (looked up), across layers the fuzzy match runs
    over the other layers' reviews only. ``first_copy_of`` gives what the first match of
    ``same_review`` over all of them in order would (a page of 4,000 reviews starting
    alike took 25 s, each compared with every kept one)."""

    def __init__(self) -> None:
        self.count = 0
        self.by_layer: dict[str | None, list[tuple[int, ReviewItem]]] = {}
        self.exact: dict[tuple[str, tuple[object, ...]], tuple[int, ReviewItem]] = {}

    def add(self, review: ReviewItem) -> None:
        layer = _layer(review)
        self.by_layer.setdefault(layer, []).append((self.count, review))
        if layer is not None:
            self.exact.setdefault((layer, _exact(review)), (self.count, review))
        self.count += 1

    def first_copy_of(self, review: ReviewItem) -> ReviewItem | None:
        layer = _layer(review)
        best = self.exact.get((layer, _exact(review))) if layer is not None else None
        for other, members in self.by_layer.items():
            if other == layer and layer is not None:
                continue  # only exact copies, looked up above
            for position, kept in members:
                if best is not None and position > best[0]:
                    break
                if same_review(kept, review):
                    best = (position, kept)
                    break
        return best[1] if best is not None else None


def _combine(kept: ReviewItem, copy: ReviewItem) -> None:
    copy_first = _trust(copy) < _trust(kept)
    for name in _MERGED:
        value = getattr(copy, name)
        if value is None or (getattr(kept, name) is not None and not copy_first):
            continue
        setattr(kept, name, value)
        if name in copy.explain:
            kept.explain[name] = copy.explain[name]
    if len(text_key(copy.text)) > len(text_key(kept.text)):
        kept.text = copy.text
        if "text" in copy.explain:
            kept.explain["text"] = copy.explain["text"]
