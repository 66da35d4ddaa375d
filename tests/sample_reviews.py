"""Short English review sentences of a clear polarity, shared by the analysis tests."""

from __future__ import annotations

GOOD = [
    "Fast delivery and friendly service.",
    "Great quality, works perfectly.",
    "Excellent shop, I love it.",
]
BAD = [
    "Terrible quality, it broke at once.",
    "Awful service, never again.",
    "The delivery was late and damaged.",
]

# French has no shipped base model: its lexicons score it, until a model of its ratings
# beats them on held-out ratings (``french_ratings`` makes sure one does)
FRENCH_GOOD = [
    "Livraison rapide et service aimable.",
    "Excellente qualité, fonctionne parfaitement.",
    "Boutique formidable, je l'adore.",
]
FRENCH_BAD = [
    "Qualité horrible, cassé tout de suite.",
    "Service affreux, plus jamais.",
    "La livraison était en retard et abîmée.",
]


FRENCH_SHOP_WORDS = {"positive": "zorblax", "negative": "quibbon"}
"""A shop's own words for good and bad that no lexicon rates."""


def french_ratings(count: int) -> list[tuple[str, str]]:
    """``count`` French (text, label) ratings, alternately positive and negative, two
    sentences of FRENCH_GOOD or FRENCH_BAD each, except every third in a shop's own words
    that no lexicon rates: a model of them reads those, the lexicons cannot, so the guard
    lets French train a classifier of its own."""
    rows = []
    for i in range(count):
        label = "positive" if i % 2 == 0 else "negative"
        if i % 3 == 2:
            word = FRENCH_SHOP_WORDS[label]
            rows.append((f"Le modèle {word} numéro {i}, {word}.", label))
        else:
            texts = FRENCH_GOOD if label == "positive" else FRENCH_BAD
            rows.append((f"{texts[i % 3]} {texts[(i + 1) % 3]}", label))
    return rows
