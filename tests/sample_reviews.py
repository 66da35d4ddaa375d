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
