"""Product catalogue of the demo shops: comparable product families across the four shops.

Product ``i`` of every shop comes from the same family, so prices compare: families
0-1 carry the same GTIN-13 in every shop (match by GTIN), families 2-3 have no GTIN and
slightly different names per shop (match by name), the rest are each shop's own label.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from rivalscope.demo.profiles import ShopProfile
from rivalscope.demo.records import DemoProduct, DemoReview
from settings.ascii_slug import ascii_slug


@dataclass(frozen=True)
class Family:
    kind: str
    brand: str | None
    """None: the shop's own brand."""
    model: str
    base_eur: int
    shared_gtin: bool = False
    model_by_shop: tuple[tuple[str, str], ...] = ()
    """(shop slug, model spelling) where a shop writes the model differently."""


FAMILIES: tuple[Family, ...] = (
    Family("espresso", "Aurora", "Espresso One", 549, shared_gtin=True),
    Family("grinder", "Kiln", "K2", 189, shared_gtin=True),
    Family(
        "drip",
        "Fjord",
        "Drip 8",
        129,
        model_by_shop=(("kawamistrz", "Drip8"), ("brewcraft", "Drip-8")),
    ),
    Family(
        "frother", "Vela", "Mousse", 79, model_by_shop=(("lumiere", "Mousse Édition Française"),)
    ),
    Family("espresso", None, "Duo", 429),
    Family("grinder", None, "Classic", 59),
    Family("scale", None, "Precision", 45),
    Family("kettle", None, "Swan", 69),
)

KIND_WORDS = {
    "espresso": {
        "no": "espressomaskin",
        "fr": "Machine expresso",
        "pl": "Ekspres ciśnieniowy",
        "en": "Espresso Machine",
    },
    "grinder": {
        "no": "kaffekvern",
        "fr": "Moulin à café",
        "pl": "Młynek do kawy",
        "en": "Coffee Grinder",
    },
    "drip": {
        "no": "kaffetrakter",
        "fr": "Cafetière filtre",
        "pl": "Ekspres przelewowy",
        "en": "Filter Coffee Maker",
    },
    "frother": {
        "no": "melkeskummer",
        "fr": "Mousseur à lait",
        "pl": "Spieniacz do mleka",
        "en": "Milk Frother",
    },
    "scale": {
        "no": "kaffevekt",
        "fr": "Balance à café",
        "pl": "Waga do kawy",
        "en": "Coffee Scale",
    },
    "kettle": {
        "no": "vannkoker",
        "fr": "Bouilloire col de cygne",
        "pl": "Czajnik z wąską wylewką",
        "en": "Gooseneck Kettle",
    },
}


def gtin13(first_twelve: str) -> str:
    """Append the GS1 check digit to 12 digits."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first_twelve))
    return first_twelve + str((10 - total % 10) % 10)


def product_name(profile: ShopProfile, family: Family, generation: int) -> str:
    """Local product name, e.g. ``"Aurora Espresso One espressomaskin"``,
    ``"Machine expresso Aurora Espresso One"``."""
    brand = family.brand or profile.brand
    model = dict(family.model_by_shop).get(profile.slug, family.model)
    if generation:
        model = f"{model} Mk{generation + 1}"
    kind = KIND_WORDS[family.kind][profile.language]
    if profile.language in ("no", "en"):
        return f"{brand} {model} {kind}"
    return f"{kind} {brand} {model}"


def _price(profile: ShopProfile, family: Family, generation: int, rng: random.Random) -> Decimal:
    euros = (
        family.base_eur * (1 + 0.1 * generation) * profile.price_factor * rng.uniform(0.95, 1.05)
    )
    local = Decimal(str(round(euros, 2))) * profile.eur_rate
    whole = int(round(local, -1)) - 1 if local >= 100 else int(local)
    return Decimal(whole) + profile.price_ending


def build_product(
    profile: ShopProfile,
    index: int,
    seed: int,
    review_count: int,
    make_reviews: Callable[[], list[DemoReview]],
) -> DemoProduct:
    """Product ``index`` of a shop; the same index is the same family in every shop."""
    family_no = index % len(FAMILIES)
    generation = index // len(FAMILIES)
    family = FAMILIES[family_no]
    rng = random.Random(f"price:{seed}:{profile.slug}:{index}")
    name = product_name(profile, family, generation)
    gtin = gtin13(f"7091234{family_no}{generation:04d}") if family.shared_gtin else None
    return DemoProduct(
        slug=ascii_slug(name),
        index=index,
        name=name,
        brand=family.brand or profile.brand,
        kind=family.kind,
        sku=f"{profile.sku_prefix}{1000 + index}",
        gtin=gtin,
        price=_price(profile, family, generation, rng),
        currency=profile.currency,
        availability="OutOfStock" if index % 7 == 3 else "InStock",
        review_count=review_count,
        make_reviews=make_reviews,
    )
