"""The collection stages in their order, written once for every path a record takes.

A record goes through, per record: normalise (``normalize``), an optional check of the
caller's (the file importer refuses dates and prices it cannot read, where a crawl keeps the
record without them), validate (``validate``: the reason a record is refused), pseudonymise
the reviewer, and the declared language code; then, per batch: detect missing languages
(``language``) and store (``storage.writer``). The crawl runs the record stages in
``record_pipeline.RecordPipeline`` and the batch stages in ``store_worker`` (Scrapy's
``ITEM_PIPELINES`` names just those two); the file importer calls ``prepare_offer`` /
``prepare_review`` and ``store_batch``, and the tests the same functions.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, TypeVar

from settings.languages import normalize_language_code
from settings.records import OfferItem, ReviewItem
from spiders.pipelines.normalize import normalize_offer, normalize_review
from spiders.pipelines.validate import offer_problem, review_problem

if TYPE_CHECKING:
    from storage.writer import CollectWriter

# The pseudonyms (storage: SQLAlchemy) and the language detection (its models, numpy) are
# imported where used: ``refusals`` needs neither, and ``targets check`` and ``extract``
# waited a second for them.

Record = TypeVar("Record", OfferItem, ReviewItem)
Check = Callable[[Record], str | None]
"""A caller's check after normalisation: why the record is refused, or None."""


def prepare_offer(offer: OfferItem, check: Check[OfferItem] | None = None) -> str | None:
    """Run the record stages on an offer, in place: why it is refused, or None."""
    normalize_offer(offer)
    problem = check(offer) if check is not None else None
    return problem if problem is not None else offer_problem(offer)


def prepare_review(
    review: ReviewItem,
    language_hint: str | None,
    key: bytes | None,
    check: Check[ReviewItem] | None = None,
) -> str | None:
    """Run the record stages on a review, in place: why it is refused, or None. Without a
    pseudonym ``key`` the reviewer's name is dropped without a pseudonym (dry runs)."""
    normalize_review(review, language_hint)
    problem = check(review) if check is not None else None
    problem = problem if problem is not None else review_problem(review)
    if problem is not None:
        return problem
    if key is not None:
        from storage.pseudonym import pseudonymize

        review.author_hash = pseudonymize(review.author, key)
    review.author = None
    if review.language:  # declared by markup (or the imported file): one code per language
        review.language = normalize_language_code(review.language)
        review.language_source = review.language_source or "markup" if review.language else None
    return None


def refusals(
    offers: Iterable[OfferItem], reviews: Iterable[ReviewItem], language_hint: str | None = None
) -> tuple[Counter[str], Counter[str]]:
    """Why a crawl would refuse each of these records (reason -> count, offers then reviews),
    from the record stages run on copies: what ``targets check`` and ``extract`` tell a user
    tuning a source, before a crawl drops the records and only counts them."""
    offer_reasons: Counter[str] = Counter()
    review_reasons: Counter[str] = Counter()
    for offer in offers:
        problem = prepare_offer(copy.deepcopy(offer))
        if problem is not None:
            offer_reasons[problem] += 1
    for review in reviews:
        problem = prepare_review(copy.deepcopy(review), language_hint, None)
        if problem is not None:
            review_reasons[problem] += 1
    return offer_reasons, review_reasons


def refusal_warnings(
    offers: Sequence[OfferItem], reviews: Sequence[ReviewItem], language_hint: str | None = None
) -> list[str]:
    """One line per kind of record a crawl would refuse: "a crawl would drop 2 of 5 reviews:
    rating outside scale 2"."""
    lines = []
    counts = refusals(offers, reviews, language_hint)
    for kind, found, reasons in (("offers", offers, counts[0]), ("reviews", reviews, counts[1])):
        if reasons:
            why = ", ".join(f"{r.replace('_', ' ')} {n}" for r, n in reasons.most_common())
            lines.append(
                f"a crawl would drop {sum(reasons.values())} of {len(found)} {kind}: {why}"
            )
    return lines


def detect_missing_languages(
    reviews: Sequence[ReviewItem], language_hint: str | None, *, parallel: bool = True
) -> None:
    """The batch stage before storing: detect the languages reviews lack (in batches:
    lingua is several times faster on a batch)."""
    from spiders.pipelines.language import assign_languages

    assign_languages(reviews, language_hint, parallel=parallel)


def store_batch(
    writer: CollectWriter,
    offers: list[OfferItem],
    reviews: Sequence[ReviewItem],
    language_hint: str | None,
    *,
    parallel: bool = True,
) -> None:
    """Run the batch stages: detect the languages reviews lack, then store the batch."""
    detect_missing_languages(reviews, language_hint, parallel=parallel)
    writer.write(offers, list(reviews))
