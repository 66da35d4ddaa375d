"""Seeded review generator: aspects and polarities from the shop profile, text from phrases,
and a star rating consistent with what the text says."""

from __future__ import annotations

import dataclasses
import random
from datetime import date, timedelta
from typing import Literal

from rivalscope.demo import phrases
from rivalscope.demo.profiles import ShopProfile
from rivalscope.demo.records import DemoReview, Polarity

REFERENCE_DATE = date(2026, 3, 31)
"""The demo's "today": reviews are dated in the two years before it."""
FUTURE_DATE = date(2036, 3, 12)
"""Date of the planted review from the future."""
MAX_ASPECTS_PER_REVIEW = 3

Tone = Literal["positive", "negative", "mixed"]
AbsurdKind = Literal["future-date", "rating-above-scale", "rating-below-scale"]


def _weighted(rng: random.Random, choices: tuple[tuple[str, float], ...]) -> str:
    names = [name for name, _ in choices]
    weights = [weight for _, weight in choices]
    return rng.choices(names, weights=weights)[0]


def _sentence(clause: str) -> str:
    return clause[0].upper() + clause[1:] + "."


def _pick_aspects(
    profile: ShopProfile, region: str | None, rng: random.Random
) -> dict[str, Polarity]:
    rates = dict(profile.aspects)
    if region is not None and region in profile.home_regions:
        rates.update(profile.home_aspects)
    picked: dict[str, Polarity] = {}
    for aspect in phrases.ASPECTS:
        mention, positive = rates[aspect]
        if rng.random() < mention:
            picked[aspect] = "positive" if rng.random() < positive else "negative"
    if not picked:
        aspect = rng.choices(phrases.ASPECTS, weights=[rates[a][0] for a in phrases.ASPECTS])[0]
        picked[aspect] = "positive" if rng.random() < rates[aspect][1] else "negative"
    if len(picked) > MAX_ASPECTS_PER_REVIEW:
        kept = rng.sample(sorted(picked), MAX_ASPECTS_PER_REVIEW)
        picked = {a: picked[a] for a in phrases.ASPECTS if a in kept}
    return picked


def _tone(aspects: dict[str, Polarity]) -> Tone:
    polarities = set(aspects.values())
    if polarities == {"positive"}:
        return "positive"
    if polarities == {"negative"}:
        return "negative"
    return "mixed"


def _rating_of_five(aspects: dict[str, Polarity], has_need: bool, rng: random.Random) -> int:
    positives = sum(1 for p in aspects.values() if p == "positive")
    negatives = len(aspects) - positives
    if negatives == 0:
        rating = 5 if rng.random() < 0.6 else 4
        # A wish usually costs the fifth star.
        return 4 if has_need and rating == 5 and rng.random() < 0.5 else rating
    if positives == 0:
        return 1 if rng.random() < 0.55 else 2
    if positives > negatives:
        return 4 if rng.random() < 0.6 else 3
    if negatives > positives:
        return 2 if rng.random() < 0.6 else 3
    return 3


def _scaled(rating_of_five: int, scale: int, rng: random.Random) -> int:
    if scale == 5:
        return rating_of_five
    doubled = rating_of_five * 2 - (1 if rng.random() < 0.4 else 0)
    return max(1, min(scale, doubled))


def _compose_text(
    language: str, aspects: dict[str, Polarity], needs: list[str], tone: Tone, rng: random.Random
) -> str:
    clauses = {a: rng.choice(phrases.CLAUSES[language][a][p]) for a, p in aspects.items()}
    order = list(aspects)
    rng.shuffle(order)
    core: list[str] = []
    positives = [a for a in order if aspects[a] == "positive"]
    negatives = [a for a in order if aspects[a] == "negative"]
    if positives and negatives and rng.random() < 0.6:
        # "Fast delivery but support never answered": one mixed sentence.
        first, second = positives[0], negatives[0]
        if rng.random() < 0.5:
            first, second = second, first
        core.append(_sentence(clauses[first] + phrases.CONNECTORS[language] + clauses[second]))
        order = [a for a in order if a not in (first, second)]
    core.extend(_sentence(clauses[a]) for a in order)
    core.extend(_sentence(rng.choice(phrases.NEEDS[need][language])) for need in needs)
    if len(core) < 4 and rng.random() < 0.3:
        core.insert(0, _sentence(rng.choice(phrases.OPENERS[language])))
    if len(core) < 4 and rng.random() < 0.35:
        closer = _sentence(rng.choice(phrases.CLOSERS[tone][language]))
        core.append(closer[:-1] + "!" if tone == "positive" and rng.random() < 0.5 else closer)
    return " ".join(core)


def _make_absurd(review: DemoReview, kind: AbsurdKind) -> DemoReview:
    if kind == "future-date":
        return dataclasses.replace(
            review, published=FUTURE_DATE, invalid_reason="date in the future"
        )
    if kind == "rating-above-scale":
        above = review.scale + (2 if review.scale == 5 else 4)
        return dataclasses.replace(review, rating=above, invalid_reason="rating above its scale")
    return dataclasses.replace(review, rating=0, invalid_reason="rating below its scale")


def generate_reviews(
    profile: ShopProfile,
    seed_key: str,
    count: int,
    id_prefix: str,
    absurd: AbsurdKind | None = None,
) -> list[DemoReview]:
    """``count`` reviews for one product, newest first, fully determined by ``seed_key``."""
    rng = random.Random(seed_key)
    reviews: list[DemoReview] = []
    for number in range(count):
        language = _weighted(rng, profile.language_mix)
        pool = profile.regions.get(language, ())
        region = rng.choice(pool) if pool else None
        aspects = _pick_aspects(profile, region, rng)
        needs = [need for need, p in profile.needs.items() if rng.random() < p][:1]
        tone = _tone(aspects)
        initials = phrases.INITIALS[language]
        author = f"{rng.choice(phrases.FIRST_NAMES[language])} {rng.choice(initials)}."
        reviews.append(
            DemoReview(
                review_id=f"{id_prefix}-{number + 1:04d}",
                text=_compose_text(language, aspects, needs, tone, rng),
                title=rng.choice(phrases.TITLES[tone][language]),
                rating=_scaled(
                    _rating_of_five(aspects, bool(needs), rng), profile.rating_scale, rng
                ),
                scale=profile.rating_scale,
                published=REFERENCE_DATE - timedelta(days=rng.randint(0, 730)),
                language=language,
                aspects=aspects,
                needs=tuple(needs),
                author=author,
                region=region,
            )
        )
    if absurd is not None and reviews:
        middle = len(reviews) // 2
        reviews[middle] = _make_absurd(reviews[middle], absurd)
    reviews.sort(key=lambda r: (r.published, r.review_id), reverse=True)
    return reviews
