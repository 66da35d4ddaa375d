"""The four demo companies: who they are and how their customers talk (the planted truth).

Aspect rates are ``(probability a review mentions the aspect, probability a mention is
positive)``. The gaps in ``gaps.PLANTED_GAPS`` come from the differences between these
profiles; change them together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from rivalscope.demo.records import MarkupStyle

AspectRates = dict[str, tuple[float, float]]

_NORWAY = ("Oslo", "Bergen", "Trondheim", "Stavanger", "Tromsø", "Kristiansand")
_POLAND = ("Kraków", "Warszawa", "Gdańsk", "Wrocław", "Poznań", "Łódź")
_ABROAD_FROM_POLAND = ("Berlin", "Praha", "Wien", "Vilnius")
_UK = ("London", "Manchester", "Edinburgh", "Bristol", "Leeds", "Dublin")


@dataclass(frozen=True)
class PlanSpec:
    """A subscription plan a shop sells: local name, plan label, price in shop currency."""

    name: str
    plan: str
    price: Decimal
    description: str
    invalid_reason: str | None = None


@dataclass(frozen=True)
class ShopProfile:
    """Everything the generator needs to know about one demo company."""

    slug: str
    name: str
    own: bool
    language: str
    currency: str
    markup: MarkupStyle
    rating_scale: int
    market: str
    brand: str
    """Brand of the shop's own-label products."""
    sku_prefix: str
    price_factor: float
    """Price level relative to the market (1.0 = average)."""
    eur_rate: Decimal
    """Units of the shop currency per euro."""
    price_ending: Decimal
    """Cents the shop's prices end with (.00 or .99)."""
    language_mix: tuple[tuple[str, float], ...]
    """(review language, weight)."""
    regions: dict[str, tuple[str, ...]]
    """Review language -> cities reviewers come from; empty when the site shows none."""
    aspects: AspectRates
    home_regions: tuple[str, ...] = ()
    """Regions of the shop's home market, where ``home_aspects`` apply instead."""
    home_aspects: AspectRates = field(default_factory=dict)
    needs: dict[str, float] = field(default_factory=dict)
    """Need -> probability a review voices it."""
    plans: tuple[PlanSpec, ...] = ()


PROFILES: tuple[ShopProfile, ...] = (
    ShopProfile(
        slug="nordlys",
        name="Nordlys Kaffe",
        own=True,
        language="no",
        currency="NOK",
        markup="rdfa",
        rating_scale=5,
        market="NO",
        brand="Nordlys",
        sku_prefix="NK-",
        price_factor=1.0,
        eur_rate=Decimal("11.5"),
        price_ending=Decimal("0.00"),
        language_mix=(("no", 0.8), ("en", 0.2)),
        regions={"no": _NORWAY, "en": _NORWAY},
        # Own company: delivery and support praised, quality its weak spot.
        aspects={
            "price": (0.30, 0.65),
            "delivery": (0.45, 0.92),
            "support": (0.25, 0.80),
            "quality": (0.40, 0.40),
            "usability": (0.30, 0.75),
            "returns": (0.12, 0.70),
        },
        needs={"quieter": 0.18, "timer": 0.03, "bigger_tank": 0.05},
        plans=(
            PlanSpec(
                "Kaffeabonnement Basic",
                "Basic, monthly",
                Decimal("199.00"),
                "500 g bønner i måneden",
            ),
            PlanSpec(
                "Kaffeabonnement Pro", "Pro, monthly", Decimal("349.00"), "1 kg bønner og fri frakt"
            ),
        ),
    ),
    ShopProfile(
        slug="lumiere",
        name="Maison Lumière",
        own=False,
        language="fr",
        currency="EUR",
        markup="jsonld",
        rating_scale=10,
        market="FR",
        brand="Lumière",
        sku_prefix="LUM-",
        price_factor=0.95,
        eur_rate=Decimal("1"),
        price_ending=Decimal("0.99"),
        language_mix=(("fr", 0.85), ("en", 0.15)),
        regions={},
        # Competitor A: late and damaged deliveries; customers keep asking for an app.
        aspects={
            "price": (0.30, 0.70),
            "delivery": (0.55, 0.12),
            "support": (0.25, 0.75),
            "quality": (0.30, 0.75),
            "usability": (0.30, 0.60),
            "returns": (0.20, 0.40),
        },
        needs={"app": 0.30, "milk_frother": 0.06},
        plans=(
            PlanSpec(
                "Abonnement café Basic",
                "Basic, monthly",
                Decimal("17.90"),
                "500 g de grains par mois",
            ),
            PlanSpec(
                "Abonnement café Pro",
                "Pro, monthly",
                Decimal("29.90"),
                "1 kg de grains, livraison offerte",
            ),
        ),
    ),
    ShopProfile(
        slug="kawamistrz",
        name="Kawa Mistrz",
        own=False,
        language="pl",
        currency="PLN",
        markup="microdata",
        rating_scale=5,
        market="PL",
        brand="Mistrz",
        sku_prefix="KM-",
        price_factor=0.9,
        eur_rate=Decimal("4.3"),
        price_ending=Decimal("0.99"),
        language_mix=(("pl", 0.75), ("en", 0.25)),
        regions={"pl": _POLAND, "en": _ABROAD_FROM_POLAND},
        home_regions=_POLAND,
        # Competitor B: cheap, but support is bad, worst in its Polish home market.
        aspects={
            "price": (0.35, 0.85),
            "delivery": (0.30, 0.70),
            "support": (0.35, 0.80),
            "quality": (0.30, 0.60),
            "usability": (0.25, 0.60),
            "returns": (0.20, 0.45),
        },
        home_aspects={"support": (0.50, 0.08)},
        needs={"local_manual": 0.15, "timer": 0.03},
        plans=(
            PlanSpec(
                "Subskrypcja kawy Basic",
                "Basic, monthly",
                Decimal("69.99"),
                "500 g ziaren co miesiąc",
            ),
            PlanSpec(
                "Subskrypcja kawy Pro",
                "Pro, monthly",
                Decimal("119.99"),
                "1 kg ziaren i darmowa dostawa",
            ),
        ),
    ),
    ShopProfile(
        slug="brewcraft",
        name="Brewcraft Supply",
        own=False,
        language="en",
        currency="GBP",
        markup="plain",
        rating_scale=5,
        market="GB",
        brand="Brewcraft",
        sku_prefix="BC-",
        price_factor=1.3,
        eur_rate=Decimal("0.85"),
        price_ending=Decimal("0.99"),
        language_mix=(("en", 0.88), ("fr", 0.06), ("no", 0.06)),
        regions={"en": _UK, "fr": _UK, "no": _UK},
        # Competitor C: expensive but excellent quality; a timer is the common wish.
        aspects={
            "price": (0.50, 0.10),
            "delivery": (0.30, 0.70),
            "support": (0.25, 0.75),
            "quality": (0.55, 0.93),
            "usability": (0.30, 0.70),
            "returns": (0.10, 0.60),
        },
        needs={"timer": 0.20, "quieter": 0.02},
        plans=(
            PlanSpec(
                "Coffee Club Basic", "Basic, monthly", Decimal("16.99"), "500 g of beans a month"
            ),
            PlanSpec(
                "Coffee Club Pro", "Pro, monthly", Decimal("27.99"), "1 kg of beans, free delivery"
            ),
            PlanSpec(
                "Coffee Club Trial",
                "Trial, one-off",
                Decimal("-5.00"),
                "Introductory credit (a pricing bug the validator must catch)",
                invalid_reason="negative price",
            ),
        ),
    ),
)

# Two more competitors whose reviews need JavaScript or embedded JSON to be read. Neutral
# profiles (no planted gaps): they show collection, not analysis.
_NEUTRAL_ASPECTS: AspectRates = {
    "price": (0.35, 0.60),
    "delivery": (0.30, 0.70),
    "support": (0.25, 0.70),
    "quality": (0.35, 0.70),
    "usability": (0.30, 0.65),
    "returns": (0.10, 0.55),
}
SCRIPTED_PROFILES: tuple[ShopProfile, ...] = (
    ShopProfile(
        slug="cremalab",
        name="Crema Lab",
        own=False,
        language="en",
        currency="EUR",
        markup="widget",
        rating_scale=5,
        market="IE",
        brand="Crema",
        sku_prefix="CL-",
        price_factor=1.1,
        eur_rate=Decimal("1"),
        price_ending=Decimal("0.00"),
        language_mix=(("en", 1.0),),
        regions={"en": _UK},
        aspects=_NEUTRAL_ASPECTS,
        needs={"quieter": 0.05},
    ),
    ShopProfile(
        slug="bonhus",
        name="Bønhus",
        own=False,
        language="en",
        currency="NOK",
        markup="nextdata",
        rating_scale=5,
        market="NO",
        brand="Bønhus",
        sku_prefix="BH-",
        price_factor=0.95,
        eur_rate=Decimal("11.7"),
        price_ending=Decimal("0.00"),
        # English only: the scripted shops must not shift the models trained for the
        # four classic shops' languages (their planted truth is what the tests check).
        language_mix=(("en", 1.0),),
        regions={"en": _NORWAY},
        aspects=_NEUTRAL_ASPECTS,
        needs={"app": 0.05},
    ),
)
