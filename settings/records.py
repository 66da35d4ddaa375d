"""Typed records of what was collected: produced by extraction (or an imported file),
consumed by the collection stages and written by ``storage.writer``.

Extraction fills the ``*_raw`` fields with what the page says; the normalisation
stage (``spiders.pipelines.normalize``) fills the normalised fields. Extractors
that already know a normalised value (e.g. schema.org ``price`` is a number) may
fill it directly; normalisation never overwrites a value that is already set.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date, datetime
from functools import cache


@dataclass
class ProductParent:
    """The product a variant page sells in several sizes or colours, as one whole."""

    code: str | None = None
    """The product's own code (the group id, the variants' common stem, the code in the
    URL or the product-level sku), or None when the page does not tell it."""
    name: str | None = None
    """Product name, shared by its variants."""
    price_low: str | None = None
    """Lowest variant price (decimal string), None if no variant has a price."""
    price_high: str | None = None
    """Highest variant price."""
    currency: str | None = None
    """ISO 4217 code of the variant prices."""
    availability: str | None = None
    """``"InStock"`` when any variant can be bought, ``"OutOfStock"`` when none can,
    None when no variant says."""
    variants: int = 0
    """How many variants the page lists."""


@dataclass
class OfferItem:
    """One product, plan or service offered at a price on a page."""

    url: str = ""
    """Absolute URL of the page the offer was read from (a listing card: of the product
    page its link leads to)."""
    name: str | None = None
    """Product or plan name as shown on the page (whitespace collapsed)."""
    price_raw: str | None = None
    """Price text as found on the page, e.g. ``"1 299,00 €"``; kept for debugging."""
    price: str | None = None
    """Price as a decimal string with ``.`` as separator, e.g. ``"1299.00"``; no currency."""
    currency: str | None = None
    """ISO 4217 code, e.g. ``"EUR"``, ``"NOK"``, ``"PLN"``."""
    currency_raw: str | None = None
    """Currency symbol or text found near the price (``"kr"``, ``"zł"``)."""
    price_problem: str | None = None
    """Why the price found was refused (``spiders.extract.price.PRICE_REFUSALS``); the
    offer is then dropped with this reason."""
    availability: str | None = None
    """``"InStock"``, ``"OutOfStock"``, ``"PreOrder"``, ``"BackOrder"``,
    ``"LimitedAvailability"``, ``"Discontinued"`` (schema.org names), or None if unknown."""
    availability_raw: str | None = None
    """Availability text or schema.org URL as found."""
    sku: str | None = None
    """The shop's own identifier of the product."""
    gtin: str | None = None
    """GTIN-8/12/13/14 digits, if the page gives one."""
    mpn: str | None = None
    """Manufacturer part number."""
    brand: str | None = None
    """Brand name."""
    plan: str | None = None
    """Plan or variant name for subscriptions and services (e.g. ``"Pro, yearly"``)."""
    category: str | None = None
    """Product category as the page states it (breadcrumb or schema.org category)."""
    image: str | None = None
    """Absolute URL of the main product image."""
    observed_at: datetime | None = None
    """When the offer was seen (UTC); None means now. Set by imports of past prices."""
    reviews_declared: int | None = None
    """How many reviews the product's page says it has (its aggregate rating's count)."""
    company: str | None = None
    """Name of the company from the targets file; set by the spider."""
    source: str | None = None
    """Name of the source from the targets file; set by the spider."""
    parent: ProductParent | None = None
    """On a variant page: the product the variant belongs to (shared by its variants)."""
    variant_sku: str | None = None
    """Set only on the shopper's view of a variant page (``offers[0]``, whose ``sku`` is
    the parent's code): the sku of the variant it shows. Writers store the variants
    themselves, not this view."""
    size: str | None = None
    """Variant size as the page names it (``"M"``, ``"42"``, ``"500 ml"``)."""
    colour: str | None = None
    """Variant colour as the page names it."""
    listing: bool = False
    """True for a product card read from a listing page (many products, no main one):
    a name, link and price only, which reports leave out of price comparisons."""
    listing_page: str = ""
    """A listing card: the URL of the listing page it was read from. A card whose ``url``
    is this one has no link of its own (writers then go by its name)."""
    explain: dict[str, str] = field(default_factory=dict)
    """Field name -> extraction layer it came from (``"json-ld"``, ``"microdata"``, ...)."""


@dataclass
class AggregateRatingItem:
    """The summary rating a page shows for a product or company."""

    rating_value: float | None = None
    """Average rating on the page's own scale."""
    best_rating: float = 5.0
    """Top of the scale (schema.org ``bestRating``; 5 if not stated)."""
    worst_rating: float = 1.0
    """Bottom of the scale (schema.org ``worstRating``; 1 if not stated)."""
    rating_count: int | None = None
    """Number of ratings the average is over."""
    review_count: int | None = None
    """Number of written reviews."""
    explain: dict[str, str] = field(default_factory=dict)
    """Field name -> extraction layer it came from."""


@dataclass
class ReviewItem:
    """One customer review."""

    url: str = ""
    """Absolute URL of the page the review was read from."""
    text: str | None = None
    """Review body, plain text with whitespace collapsed; HTML removed."""
    title: str | None = None
    """Review headline, if any."""
    rating_raw: str | None = None
    """Rating as found, e.g. ``"4"``, ``"4/5"``, ``"★★★★☆"``, ``"80%"``."""
    rating: float | None = None
    """Rating on the page's own scale (e.g. 4.0 of 5)."""
    best_rating: float | None = None
    """Top of the rating scale (5 if the page does not say)."""
    worst_rating: float | None = None
    """Bottom of the rating scale (1 for star scales, 0 for percentages)."""
    rating_normalized: float | None = None
    """Rating mapped to 0..1: ``(rating - worst) / (best - worst)``."""
    scale_ignored: str | None = None
    """Why the page's stated best rating was ignored and the scale inferred instead
    (``spiders.raw_fields.SCALE_REFUSALS``); the crawl counts it in the run."""
    date_raw: str | None = None
    """Publication date text as found, in any language or format."""
    published: date | None = None
    """Publication date (day precision)."""
    author: str | None = None
    """Reviewer name as found. Never stored: the pseudonymise stage replaces it
    with ``author_hash`` and clears this field."""
    author_hash: str | None = None
    """Keyed hash (HMAC-SHA256, hex, 16 chars) of the reviewer name; a pseudonym."""
    external_id: str | None = None
    """The site's own id of the review, if it exposes one."""
    product_name: str | None = None
    """Name of the product reviewed (from the page's offer or ``itemReviewed``)."""
    product_sku: str | None = None
    """SKU of the product reviewed, if known."""
    region: str | None = None
    """Region, country or market of the reviewer as the site states it (never finer than a city)."""
    language: str | None = None
    """ISO 639-1 code of the review text (``"en"``, ``"fr"``, ``"pl"``, ``"no"``)."""
    language_source: str | None = None
    """How ``language`` was decided: ``"markup"``, ``"hint"``, ``"detected"`` or ``"import"``."""
    page_language: str | None = None
    """The language the review's page declares (``<html lang>``, ``og:locale``), set by the
    spider; for an import, the Scandinavian language its file's long reviews agree on. It
    settles which Scandinavian language a review detected as Scandinavian is in, where the
    target or import sets none (``spiders.pipelines.language``)."""
    content_key: str | None = None
    """Stable de-duplication key (hex); equal for the same review crawled twice."""
    company: str | None = None
    """Name of the company from the targets file; set by the spider."""
    source: str | None = None
    """Name of the source from the targets file; set by the spider."""
    explain: dict[str, str] = field(default_factory=dict)
    """Field name -> extraction layer it came from."""


@dataclass
class PageExtraction:
    """Everything pure extraction found on one page."""

    url: str
    """The page URL extraction was given (used to make links absolute)."""
    offers: list[OfferItem] = field(default_factory=list)
    """Offers on the page, main product first."""
    aggregate_rating: AggregateRatingItem | None = None
    """The page's summary rating, if any."""
    reviews: list[ReviewItem] = field(default_factory=list)
    """Reviews on the page, in page order."""
    next_page: str | None = None
    """Absolute URL of the next page of reviews or listings, if any."""
    language: str | None = None
    """Language the page declares (``<html lang>``), ISO 639-1."""
    warnings: list[str] = field(default_factory=list)
    """Problems met while extracting (broken JSON-LD, selectors that matched nothing)."""
    skipped: list[str] = field(default_factory=list)
    """Why parts of the page were not read, one reason per part (e.g. ``json_too_deep``):
    the crawl counts them in ``crawl_run.fetch_problems``."""


_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
"""What no database text holds: NUL (PostgreSQL refuses it in text) and a lone surrogate (a
JSON ``\\ud800`` escape without its pair, which no encoding writes: a hash, a UTF-8 file or
the terminal fail on it)."""


def storable_text(text: str) -> str:
    """``text`` without NUL and lone surrogates (see ``_UNSTORABLE``)."""
    return _UNSTORABLE.sub("", text)


def drop_unstorable(record: object) -> None:
    """Remove NUL and lone surrogates, in place, from every text of a record (an offer, a
    review, a page's extraction with all its records): a page or a file that sends them
    must not fail its page, its batch or the output that shows them."""
    if not is_dataclass(record) or isinstance(record, type):
        return
    for name in _field_names(type(record)):
        value = getattr(record, name)
        if isinstance(value, str):
            if _UNSTORABLE.search(value):
                setattr(record, name, storable_text(value))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                if isinstance(item, str):
                    value[index] = storable_text(item)
                else:
                    drop_unstorable(item)
        elif value is not None:
            drop_unstorable(value)


@cache
def _field_names(kind: type) -> tuple[str, ...]:
    return tuple(spec.name for spec in fields(kind))
