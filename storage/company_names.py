"""Finding a company by the name a user types: case and accents do not matter
("Maison Lumiere" is "Maison Lumière"), and a near miss gets a suggestion."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from settings.content_keys import without_accents


def fold_name(name: str) -> str:
    """``name`` without accents, case or extra spaces, for comparison only."""
    return " ".join(without_accents(name).casefold().split())


def find_company(query: str, names: Iterable[str]) -> str | None:
    """The stored name ``query`` means (same after folding), else None."""
    folded = fold_name(query)
    return next((name for name in names if fold_name(name) == folded), None)


def suggest_company(query: str, names: Iterable[str]) -> str:
    """A one-line hint for an unknown company: the closest names, else all of them."""
    known = sorted(names)
    by_fold = {fold_name(n): n for n in known}
    close = difflib.get_close_matches(fold_name(query), list(by_fold), n=3, cutoff=0.6)
    if close:
        return "did you mean " + " or ".join(repr(by_fold[c]) for c in close) + "?"
    return "known companies: " + (", ".join(known) or "none")
