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

# French has no shipped base model: ratings train a classifier of its own (tests of that path)
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
