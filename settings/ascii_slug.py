"""ASCII slugs of names for file names, URL path segments and HTML anchors."""

from __future__ import annotations

import re
import unicodedata

_LETTERS_WITHOUT_DECOMPOSITION = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "đ": "d", "Đ": "D", "ß": "ss"}
)
"""Letters NFKD does not split into an ASCII letter and a mark (why "ø" would otherwise vanish)."""


def ascii_slug(text: str, *, empty: str = "") -> str:
    """Lower-case ASCII words of ``text`` joined by ``-``: "Bønhus" -> "bonhus", "Maison Lumière"
    -> "maison-lumiere"; ``empty`` when nothing is left (a name of symbols or another script)."""
    folded = unicodedata.normalize("NFKD", text.translate(_LETTERS_WITHOUT_DECOMPOSITION))
    ascii_text = folded.encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-") or empty
