"""JSON-LD documents for the JSON-LD shop (schema.org Product, Offer, AggregateRating, Review)."""

from __future__ import annotations

import json
from typing import Any

from rivalscope.demo.records import DemoPlan, DemoProduct, DemoReview, DemoShop

SCHEMA = "https://schema.org/"


def review_jsonld(review: DemoReview) -> dict[str, Any]:
    document: dict[str, Any] = {
        "@type": "Review",
        "identifier": review.review_id,
        "name": review.title,
        "author": {"@type": "Person", "name": review.author},
        "datePublished": review.published.isoformat(),
        "inLanguage": review.language,
        "reviewBody": review.text,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": review.rating,
            "bestRating": review.scale,
            "worstRating": 1,
        },
    }
    if review.region:
        # schema.org CreativeWork.locationCreated: where the reviewer wrote from (a city).
        document["locationCreated"] = {"@type": "Place", "name": review.region}
    return document


def product_jsonld(
    shop: DemoShop,
    product: DemoProduct,
    url: str,
    average: float | None,
    page_reviews: list[DemoReview] | None,
) -> dict[str, Any]:
    """The Product document; ``page_reviews`` None leaves the review list out (broken markup)."""
    doc: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product.name,
        "sku": product.sku,
        "brand": {"@type": "Brand", "name": product.brand},
        "offers": {
            "@type": "Offer",
            "url": url,
            "price": f"{product.price:.2f}",
            "priceCurrency": product.currency,
            "availability": f"{SCHEMA}{product.availability}",
        },
    }
    if product.gtin:
        doc["gtin13"] = product.gtin
    if average is not None:
        doc["aggregateRating"] = {
            "@type": "AggregateRating",
            "ratingValue": average,
            "bestRating": shop.rating_scale,
            "worstRating": 1,
            "reviewCount": product.review_count,
        }
    if page_reviews is not None:
        doc["review"] = [review_jsonld(r) for r in page_reviews]
    return doc


def plans_jsonld(plans: list[DemoPlan], url: str) -> list[dict[str, Any]]:
    return [
        {
            "@context": "https://schema.org",
            "@type": "Product",
            "name": plan.name,
            "sku": plan.sku,
            "description": plan.description,
            "category": "subscription",
            "offers": {
                "@type": "Offer",
                "url": url,
                "name": plan.plan,
                "price": f"{plan.price:.2f}",
                "priceCurrency": plan.currency,
                "availability": f"{SCHEMA}InStock",
            },
        }
        for plan in plans
    ]


def script(doc: object, trailing_comma: bool = False) -> str:
    """A ``<script type="application/ld+json">`` element; ``trailing_comma`` makes it invalid
    JSON the way hand-edited templates often are."""
    text = json.dumps(doc, ensure_ascii=False, indent=1)
    if trailing_comma:
        text = text[: text.rindex("}")].rstrip() + ",\n}"
    # "</" inside a script would end it early.
    text = text.replace("</", "<\\/")
    return f'<script type="application/ld+json">\n{text}\n</script>'
