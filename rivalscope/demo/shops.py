"""Generate the four demo shops (seeded, deterministic) with their ground truth.

Products and plans are built eagerly (cheap); each product's reviews are generated on
first access from the product's own seed, so large shops cost little until served.
"""

from __future__ import annotations

import random

from rivalscope.demo.catalog import build_product
from rivalscope.demo.gaps import PLANTED_GAPS, PlantedGap
from rivalscope.demo.profiles import PROFILES, SCRIPTED_PROFILES, ShopProfile
from rivalscope.demo.records import (
    BrokenKind,
    BrokenPage,
    DemoPlan,
    DemoProduct,
    DemoReview,
    DemoShop,
    MarkupStyle,
)
from rivalscope.demo.reviews import AbsurdKind, generate_reviews
from settings.user_errors import UserError

__all__ = [
    "PLANTED_GAPS",
    "BrokenPage",
    "DemoPlan",
    "DemoProduct",
    "DemoReview",
    "DemoShop",
    "MarkupStyle",
    "PlantedGap",
    "generate_scripted_shops",
    "generate_shops",
]

DEFAULT_PRODUCTS = 6
SCRIPTED_PRODUCTS = 3
"""Products of each scripted shop by default: enough to show collection, few enough that
their reviews barely move the models the analysis trains on the whole database."""
DEFAULT_REVIEWS_RANGE = (12, 30)
"""Reviews per product with the default settings (gives 40-300 per company)."""
ABSURD_PRODUCT_INDEX = 2
"""Product whose reviews include the shop's absurd review (first reviews stay clean)."""
ENCODED_PRODUCT = ("kawamistrz", 1, "windows-1250")
"""(shop, product index, charset): the product served in a legacy 8-bit charset."""

_ABSURD: dict[str, AbsurdKind] = {
    "nordlys": "future-date",
    "lumiere": "rating-above-scale",
    "kawamistrz": "rating-above-scale",
    "brewcraft": "rating-below-scale",
}
_BROKEN: dict[str, tuple[BrokenKind, str]] = {
    "nordlys": ("truncated", "product page cut off mid-tag"),
    "lumiere": ("invalid-jsonld", "product page whose JSON-LD has a trailing comma"),
    "kawamistrz": ("server-error", "product link that answers HTTP 500"),
    "brewcraft": ("slow", "store-locator page that answers after a delay (no offers, no reviews)"),
}
FILLER_REVIEWS = 4
FILLER_FAMILY_INDEX = 7


def _product(
    profile: ShopProfile,
    index: int,
    seed: int,
    count: int,
    absurd: AbsurdKind | None,
    variant: str = "",
) -> DemoProduct:
    def make() -> list[DemoReview]:
        return generate_reviews(
            profile,
            seed_key=f"reviews:{seed}:{profile.slug}:{index}{variant}",
            count=count,
            id_prefix=f"{profile.slug}-{index}{variant}",
            absurd=absurd,
        )

    return build_product(profile, index, seed, count, make)


def _broken_page(profile: ShopProfile, seed: int) -> BrokenPage:
    kind, description = _BROKEN[profile.slug]
    if kind in ("server-error", "slow"):
        name = "stores" if kind == "slow" else "p/demo-outlet-item"
        return BrokenPage(kind, f"/{profile.slug}/{name}", description)
    # An outlet copy of the kettle family: own seed, sku and URL, so nothing collides.
    filler = _product(profile, FILLER_FAMILY_INDEX, seed, FILLER_REVIEWS, None, variant="-outlet")
    filler.slug = f"{filler.slug}-outlet"
    filler.sku = f"{filler.sku}-OUT"
    return BrokenPage(kind, f"/{profile.slug}/p/{filler.slug}", description, filler)


def _shop(
    profile: ShopProfile, seed: int, products: int, reviews_per_product: int | None
) -> DemoShop:
    counts = random.Random(f"counts:{seed}:{profile.slug}")
    absurd_index = min(ABSURD_PRODUCT_INDEX, products - 1)
    catalogue: list[DemoProduct] = []
    for index in range(products):
        count = (
            reviews_per_product
            if reviews_per_product is not None
            else counts.randint(*DEFAULT_REVIEWS_RANGE)
        )
        absurd = _ABSURD.get(profile.slug) if index == absurd_index else None
        product = _product(profile, index, seed, count, absurd)
        if (profile.slug, index) == ENCODED_PRODUCT[:2]:
            product.encoding = ENCODED_PRODUCT[2]
        catalogue.append(product)
    plans = [
        DemoPlan(
            name=spec.name,
            plan=spec.plan,
            sku=f"{profile.sku_prefix}SUB-{number + 1}",
            price=spec.price,
            currency=profile.currency,
            description=spec.description,
            invalid_reason=spec.invalid_reason,
        )
        for number, spec in enumerate(profile.plans)
    ]
    return DemoShop(
        slug=profile.slug,
        name=profile.name,
        own=profile.own,
        language=profile.language,
        currency=profile.currency,
        markup=profile.markup,
        rating_scale=profile.rating_scale,
        market=profile.market,
        products=catalogue,
        plans=plans,
        broken_pages=[_broken_page(profile, seed)] if profile.slug in _BROKEN else [],
    )


def generate_shops(
    seed: int = 7, products: int | None = None, reviews_per_product: int | None = None
) -> list[DemoShop]:
    """The own company and three competitors, fully determined by the arguments.

    ``products`` is per shop (default 6); ``reviews_per_product`` fixes every product's
    review count (default: 12-30 each, i.e. 40-300 per company).
    """
    count = _product_count(products, reviews_per_product)
    return [_shop(profile, seed, count, reviews_per_product) for profile in PROFILES]


def generate_scripted_shops(
    seed: int = 7, products: int | None = None, reviews_per_product: int | None = None
) -> list[DemoShop]:
    """Two more competitors whose reviews need more than HTML: one loads them with
    JavaScript from its JSON API (a review widget), one keeps them in ``__NEXT_DATA__``."""
    count = _product_count(products or SCRIPTED_PRODUCTS, reviews_per_product)
    return [_shop(profile, seed, count, reviews_per_product) for profile in SCRIPTED_PROFILES]


def _product_count(products: int | None, reviews_per_product: int | None) -> int:
    count = DEFAULT_PRODUCTS if products is None else products
    if count < 1:
        raise UserError(f"--products must be at least 1, not {count}")
    if reviews_per_product is not None and reviews_per_product < 0:
        raise UserError(f"--reviews-per-product must be 0 or more, not {reviews_per_product}")
    return count
