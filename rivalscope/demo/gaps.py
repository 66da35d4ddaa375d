"""The gaps planted in the demo data, as data, with the ground-truth counts that show them.

Later analysis and the gap report should find each of these from crawled reviews alone.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from rivalscope.demo.records import DemoReview

GapKind = Literal["weak_aspect", "strong_aspect", "unmet_need"]

POLISH_CITIES = ("Kraków", "Warszawa", "Gdańsk", "Wrocław", "Poznań", "Łódź")


@dataclass(frozen=True)
class PlantedGap:
    """One true finding hidden in the demo reviews."""

    key: str
    kind: GapKind
    company: str
    """Slug of the shop the finding is about."""
    topic: str
    """Aspect (price, delivery, ...) or need (app, timer, ...)."""
    description: str
    compare_with: str | None = None
    """Slug of the shop it stands out against (None: against all others)."""
    regions: tuple[str, ...] = ()
    """Reviewer regions the gap is concentrated in (empty: everywhere)."""


PLANTED_GAPS: tuple[PlantedGap, ...] = (
    PlantedGap(
        key="lumiere-delivery",
        kind="weak_aspect",
        company="lumiere",
        topic="delivery",
        description="Maison Lumière's customers complain about late and damaged deliveries, "
        "while Nordlys Kaffe's customers praise its delivery.",
        compare_with="nordlys",
    ),
    PlantedGap(
        key="kawamistrz-support-poland",
        kind="weak_aspect",
        company="kawamistrz",
        topic="support",
        description="Kawa Mistrz's customer support is bad, above all for reviewers in Poland "
        "(its customers abroad are far happier with it).",
        regions=POLISH_CITIES,
    ),
    PlantedGap(
        key="brewcraft-price",
        kind="weak_aspect",
        company="brewcraft",
        topic="price",
        description="Brewcraft Supply is expensive: price mentions are mostly complaints, "
        "and its prices are the highest for the matched products and plans.",
    ),
    PlantedGap(
        key="brewcraft-quality",
        kind="strong_aspect",
        company="brewcraft",
        topic="quality",
        description="Brewcraft Supply's quality is praised; Nordlys Kaffe (own) is weaker on "
        "quality, the own company's gap to close.",
        compare_with="nordlys",
    ),
    PlantedGap(
        key="lumiere-app",
        kind="unmet_need",
        company="lumiere",
        topic="app",
        description="About a third of Maison Lumière's reviewers wish for a mobile app.",
    ),
    PlantedGap(
        key="brewcraft-timer",
        kind="unmet_need",
        company="brewcraft",
        topic="timer",
        description="Brewcraft Supply's reviewers often wish for a programmable timer.",
    ),
    PlantedGap(
        key="nordlys-quieter",
        kind="unmet_need",
        company="nordlys",
        topic="quieter",
        description="Nordlys Kaffe's (own) reviewers wish its machines were quieter.",
    ),
)


def aspect_polarity_counts(reviews: Iterable[DemoReview]) -> dict[str, Counter[str]]:
    """Aspect -> Counter of ``"positive"`` / ``"negative"`` mentions in the ground truth."""
    counts: dict[str, Counter[str]] = {}
    for review in reviews:
        for aspect, polarity in review.aspects.items():
            counts.setdefault(aspect, Counter())[polarity] += 1
    return counts


def negative_share(reviews: Iterable[DemoReview], aspect: str) -> float:
    """Share of the aspect's mentions that are negative (0 when never mentioned)."""
    counts = aspect_polarity_counts(reviews).get(aspect, Counter())
    total = counts["positive"] + counts["negative"]
    return counts["negative"] / total if total else 0.0


def need_share(reviews: Iterable[DemoReview], need: str) -> float:
    """Share of reviews voicing the need."""
    listed = list(reviews)
    return sum(1 for r in listed if need in r.needs) / len(listed) if listed else 0.0
