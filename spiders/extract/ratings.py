"""Rating values and scales: ``"4,5"``, ``"4/5"``, ``"80%"``, ``"★★★★☆"`` -> numbers."""

from __future__ import annotations

import re

_NUMBER = re.compile(r"-?\d+(?:[.,]\d+)?")


def parse_rating(value: object) -> tuple[float | None, float | None]:
    """(rating, best stated in the text) from a rating value as found."""
    if value is None or isinstance(value, bool):
        return None, None
    if isinstance(value, int | float):
        return float(value), None
    text = str(value).strip()
    if not text:
        return None, None
    if "★" in text or "☆" in text:
        return float(text.count("★")), float(text.count("★") + text.count("☆"))
    numbers = [float(n.replace(",", ".")) for n in _NUMBER.findall(text)]
    if not numbers:
        return None, None
    if "%" in text:
        return numbers[0], 100.0
    if len(numbers) >= 2 and re.search(r"/|\bof\b|\bsur\b|\bz\b|\bav\b|\bvon\b|\bsu\b", text):
        return numbers[0], numbers[1]
    return numbers[0], None


def parse_number(value: object) -> float | None:
    """A plain number from markup (``"4,5"`` -> 4.5); None if there is none."""
    rating, _ = parse_rating(value)
    return rating


def infer_scale(
    rating: float | None, best: float | None, worst: float | None
) -> tuple[float, float]:
    """(best, worst): the stated bounds, else the smallest usual scale holding the rating."""
    if best is None or best <= 0:
        if rating is None or rating <= 5:
            best = 5.0
        elif rating <= 10:
            best = 10.0
        else:
            best = 100.0
    if worst is None or worst >= best:
        worst = 0.0 if best >= 10 or (rating is not None and rating < 1) else 1.0
    return best, worst


def normalize_rating(rating: float | None, best: float, worst: float) -> float | None:
    """Rating mapped to 0..1 on its scale (clamped)."""
    if rating is None or best <= worst:
        return None
    return round(min(1.0, max(0.0, (rating - worst) / (best - worst))), 4)
