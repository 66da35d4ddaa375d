"""Dataclasses for the generated demo data: shops, products, plans, reviews (the ground truth).

Re-exported by ``rivalscope.demo.shops``; they live here so the generator modules can
import them without importing the generator.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Literal

MarkupStyle = Literal["jsonld", "microdata", "rdfa", "plain", "widget", "nextdata"]
"""``widget``: reviews loaded by JavaScript from the shop's JSON API (needs a browser);
``nextdata``: all reviews only in a ``__NEXT_DATA__`` script, three shown as plain HTML."""
Polarity = Literal["positive", "negative"]
BrokenKind = Literal["truncated", "invalid-jsonld", "server-error", "slow"]


@dataclass(frozen=True)
class DemoReview:
    """One generated review with its ground truth."""

    review_id: str
    """Stable id shown on the page (``id`` attribute / markup identifier)."""
    text: str
    """Review body as shown."""
    title: str
    """Short headline as shown."""
    rating: int
    """Rating on the shop's scale, as shown (absurd reviews may lie outside the scale)."""
    scale: int
    """Top of the shop's scale (5 or 10); the bottom is always 1."""
    published: date
    """Publication date."""
    language: str
    """ISO 639-1 code of ``text``."""
    aspects: dict[str, Polarity]
    """Aspect (price, delivery, support, quality, usability, returns) -> polarity in the text."""
    needs: tuple[str, ...]
    """Unmet needs / wishes the text voices (keys of ``phrases.NEEDS``)."""
    author: str
    """Fake reviewer name, first name + initial."""
    region: str | None
    """City shown next to the review, or None on shops that show none."""
    invalid_reason: str | None = None
    """Why validation must drop this review (rating outside scale, future date), else None."""


@dataclass
class DemoProduct:
    """One product of a shop; its reviews are generated on first access (lazily)."""

    slug: str
    """Path segment of the product page: ``/<shop>/p/<slug>``."""
    index: int
    """Position in the shop's catalogue; products with the same index are comparable."""
    name: str
    brand: str
    kind: str
    """Product family kind: espresso, grinder, drip, frother, scale, kettle."""
    sku: str
    gtin: str | None
    """GTIN-13, shared by the same product in every shop; None for products only
    matchable by name."""
    price: Decimal
    currency: str
    availability: Literal["InStock", "OutOfStock"]
    review_count: int
    encoding: str = "utf-8"
    """Charset the product's pages are served in."""
    make_reviews: Callable[[], list[DemoReview]] = field(
        default=lambda: [], repr=False, compare=False
    )
    """Seeded generator of this product's reviews (called once, by ``reviews``)."""

    @cached_property
    def reviews(self) -> list[DemoReview]:
        """Reviews newest first, generated from the product's own seed."""
        return self.make_reviews()


@dataclass(frozen=True)
class DemoPlan:
    """A subscription plan offer (coffee-bean subscription)."""

    name: str
    """Offer name as shown, e.g. ``"Kaffeabonnement Basic"``."""
    plan: str
    """Plan and billing period, e.g. ``"Basic, monthly"``."""
    sku: str
    price: Decimal
    currency: str
    description: str
    invalid_reason: str | None = None
    """Why validation must drop this offer (negative price), else None."""


@dataclass
class BrokenPage:
    """A deliberately broken page linked from a shop's listing."""

    kind: BrokenKind
    path: str
    """Absolute path on the demo server, e.g. ``/nordlys/p/kaffekvern-demo-utgatt``."""
    description: str
    product: DemoProduct | None = None
    """The filler product the page shows (not part of ``DemoShop.products``)."""


@dataclass
class DemoShop:
    """One demo company and its generated site content."""

    slug: str
    """Path prefix on the server: ``/<slug>/``."""
    name: str
    """Company name, as used in the targets file."""
    own: bool
    language: str
    """Main language of the site and its reviews (ISO 639-1)."""
    currency: str
    markup: MarkupStyle
    rating_scale: int
    """Top of the review rating scale (5 or 10)."""
    market: str
    """ISO country code of the shop's main market."""
    products: list[DemoProduct]
    plans: list[DemoPlan]
    broken_pages: list[BrokenPage] = field(default_factory=list)

    @property
    def reviews(self) -> list[DemoReview]:
        """Every ground-truth review of the shop's products (broken pages excluded)."""
        return [review for product in self.products for review in product.reviews]

    @property
    def locale(self) -> str:
        """The language tag its pages declare, with the market's region as shops localised
        for a market write it (``"en-NO"``, ``"fr-FR"``): a sign several currencies share
        ("kr") reads as the market's currency, as a real shop's country domain would tell
        off the demo's 127.0.0.1."""
        return f"{self.language}-{self.market}"
