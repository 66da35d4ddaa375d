"""Known names offered for a mistyped one ("did you mean ...?")."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

SUGGEST_CUTOFF = 0.75
"""How like a known name an unknown one must be to be offered it (difflib's ratio): at
0.6, an offer file's 'rating' was offered 'gtin' (0.6); 'pric' -> 'price' is 0.89,
'acme-shp' -> 'acme-shop' 0.94."""


def close_names(name: str, known: Sequence[str], n: int = 1) -> list[str]:
    """Up to ``n`` of ``known`` close enough to ``name`` to be offered, closest first."""
    return difflib.get_close_matches(name, known, n=n, cutoff=SUGGEST_CUTOFF)
