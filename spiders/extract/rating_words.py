"""The words pages write aggregate ratings with, per language, in one place.

"4.3 out of 5 stars · 1,234 ratings", "4,3 sur 5 (123 avis)", "4,3 z 5 gwiazdek", "4,3 av 5
stjerner": the word between a rating and its scale, the star noun after the scale, and
the nouns a count of ratings or reviews is written with. Written from general knowledge of
each language (ASCII and accented forms both, case-insensitive), not from any site's pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class RatingWords:
    """One language's words."""

    of: tuple[str, ...]
    """Between the rating and the top of its scale ("out of", "sur", "von")."""
    stars: tuple[str, ...]
    """Star nouns after the scale ("stars", "étoiles")."""
    ratings: tuple[str, ...]
    """Nouns of a count of ratings ("ratings", "votes", "évaluations")."""
    reviews: tuple[str, ...]
    """Nouns of a count of written reviews ("reviews", "avis", "Bewertungen")."""
    based_on: tuple[str, ...]
    """Between an average and its count ("4.7 from 23 votes", "4,7 basierend auf 23 ...")."""
    by: tuple[str, ...] = ()
    """Between a rating and the count of those who gave it, no noun after ("rated 4.0 out
    of 5 by 8.")."""
    average: tuple[str, ...] = ()
    """Labels of an average written before it ("Average: 4.6", "Media voti: 4.6")."""


WORDS: dict[str, RatingWords] = {
    "en": RatingWords(
        ("out of", "of"), ("stars", "star"),
        ("ratings", "rating", "votes", "vote", "global ratings", "customer ratings"),
        ("reviews", "review", "customer reviews", "opinions", "testimonials", "comments"),
        ("from", "based on"),
        ("by",), ("average", "avg", "mean"),
    ),
    "fr": RatingWords(
        ("sur",), ("étoiles", "étoile", "etoiles", "etoile"),
        ("évaluations", "évaluation", "evaluations", "notes", "votes", "notations"),
        ("avis", "commentaires", "commentaire", "avis clients"),
        ("sur", "basé sur", "basée sur", "de"),
        ("par",), ("moyenne",),
    ),
    "de": RatingWords(
        ("von",), ("sternen", "sterne", "stern"),
        ("sternebewertungen", "bewertungen", "bewertung", "stimmen", "wertungen"),
        ("rezensionen", "rezension", "kundenbewertungen", "kundenrezensionen", "erfahrungsberichte"),
        ("aus", "basierend auf", "bei", "von"),
        ("von",), ("durchschnitt", "durchschnittlich", "durchschnittliche", "durchschnittlichen", "ø"),
    ),
    "es": RatingWords(
        ("de", "sobre"), ("estrellas", "estrella"),
        ("valoraciones", "valoración", "valoracion", "calificaciones", "calificación", "votos"),
        ("opiniones", "opinión", "opinion", "reseñas", "reseña", "resenas", "comentarios"),
        ("de", "basado en", "sobre", "en"),
        ("por",), ("media", "promedio"),
    ),
    "it": RatingWords(
        ("su", "di"), ("stelle", "stella"),
        ("valutazioni", "valutazione", "voti", "voto"),
        ("recensioni", "recensione", "opinioni", "commenti"),
        ("su", "da", "basato su", "di"),
        ("da",), ("media",),
    ),
    "nl": RatingWords(
        ("van", "uit", "op"), ("sterren", "ster"),
        ("beoordelingen", "beoordeling", "waarderingen", "stemmen", "ratings"),
        ("reviews", "review", "recensies", "recensie", "ervaringen"),
        ("uit", "op basis van", "van", "op"),
        ("door",), ("gemiddelde", "gemiddeld"),
    ),
    "sv": RatingWords(
        ("av",), ("stjärnor", "stjärna", "stjarnor"),
        ("betyg", "röster", "roster"),
        ("recensioner", "recension", "omdömen", "omdöme", "omdomen", "kommentarer"),
        ("från", "baserat på", "av"),
        ("av",), ("snitt", "snittbetyg", "genomsnitt", "medelbetyg"),
    ),
    "no": RatingWords(
        ("av", "ut av"), ("stjerner", "stjerne"),
        ("vurderinger", "vurdering", "stemmer", "karakterer"),
        ("anmeldelser", "anmeldelse", "omtaler", "omtale", "kommentarer"),
        ("fra", "basert på", "av"),
        ("av",), ("snitt", "gjennomsnitt", "snittkarakter"),
    ),
    "da": RatingWords(
        ("ud af", "af"), ("stjerner", "stjerne"),
        ("bedømmelser", "bedømmelse", "vurderinger", "stemmer"),
        ("anmeldelser", "anmeldelse", "kommentarer"),
        ("fra", "baseret på", "ud fra", "af"),
        ("af",), ("gennemsnit", "gennemsnitlig"),
    ),
    "pl": RatingWords(
        ("z", "na"), ("gwiazdek", "gwiazdki", "gwiazdka", "gwiazdkach"),
        ("ocen", "oceny", "ocena", "głosów", "głosy", "glosow"),
        ("opinii", "opinie", "opinia", "recenzji", "recenzje", "komentarzy"),
        ("z", "na podstawie", "na"),
        ("przez",), ("średnia", "srednia", "średnio"),
    ),
    "pt": RatingWords(
        ("de", "em"), ("estrelas", "estrela"),
        ("avaliações", "avaliação", "avaliacoes", "classificações", "votos"),
        ("opiniões", "opinião", "opinioes", "comentários", "comentarios", "análises"),
        ("de", "com base em", "em"),
        ("por",), ("média", "media"),
    ),
}  # fmt: skip
# A page in another language (or none declared) is read with every language's words.
_ALL = "*"


@dataclass(frozen=True)
class RatingPatterns:
    """Compiled patterns for one language (or all)."""

    value: re.Pattern[str]
    """Groups: rating, scale ("4,3 sur 5", "4.3/5"), an optional star noun."""
    count_after: re.Pattern[str]
    """A count then its noun ("1,234 global ratings", "(123 avis)"), at the start."""
    count_before: re.Pattern[str]
    """A noun (and one word) then its count in brackets or after a colon ("Bewertungen:
    123", "Vote count: 2")."""
    based_on: re.Pattern[str]
    """Groups: an average, its count, the count's noun ("4.7 from 23 votes")."""
    count_from: re.Pattern[str]
    """Group: a count after the word that ties it to an average, without a noun ("from 23"),
    at the start."""
    review_nouns: frozenset[str]
    bare_value: re.Pattern[str]
    """Group: a rating written without its scale, with decimals (a whole number before a
    count is a histogram row's "4 (12 reviews)"), an optional star noun after it, just
    before a number ("4.96 stars (1,806 ratings)", "4,03 (2231 Bewertungen)"). Not after
    a digit, ".", ",", a dash, "/" or ":" (see ``BARE_VALUE_NOT_AFTER``). Group 2: a star
    glyph after it ("4.8 ★ (203 reviews)"), which stands for a star noun in any language."""
    noun_at: re.Pattern[str]
    """A count's noun right at the start ("4.5 of 10 reviews": the 10 counts, it is no
    scale)."""
    noun_in: re.Pattern[str]
    """A count's noun anywhere (search it): a label that names ratings ("Media voti")."""
    count_ending: re.Pattern[str]
    """Groups: a count, its noun, ending the searched span ("43 ratings, " before "4.7 out
    of 5 stars"); search it with ``endpos``."""
    whole_stars: re.Pattern[str]
    """Group: a whole rating with a star noun ("3 stars"), not after a digit, ".", ",", a
    dash, "/" or ":"."""
    count_by: re.Pattern[str]
    """Group: the count of raters after a rating, without a count noun ("by 8.", "by 12
    customers."), at the start; one word at most after the number, then a sign or the end."""
    average: re.Pattern[str]
    """Groups: what stands between an average's label and it, the average, its scale, a
    star noun; then a piece's end or a sign. Searched in ``labelled_text`` (text pieces
    apart by ``PIECE_END``): "Avg: 5", "Average rating (2.8 / 5)", "Media voti: 4.6"."""


def _alternation(words: set[str]) -> str:
    # Longest first so that "out of" wins over "of", "global ratings" over "ratings".
    return "|".join(
        re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True)
    )


_NUMBER = r"\d{1,3}(?:[.,\s\u00a0\u202f']\d{3})+|\d+"
_VALUE = r"\d{1,3}(?:[.,]\d{1,2})?"
BARE_VALUE_NOT_AFTER = frozenset("0123456789.,-–/:")
STAR_GLYPHS = "[★⭐]"
"""A filled star written after a rating: its scale is stars, in every language."""
PIECE_END = "\x1f"
"""Between the text pieces of ``labelled_text``: where one element's text ends."""
# Between an average's label and the average: words, spaces, ".", ":" and dashes (no digit,
# no brackets or braces of code) in its piece and the next at most, then a "(" at most.
_LABEL_GAP = 40
_GAP_CHAR = r"(?:[^\W\d_]|[ \t.:'’·\-–])"


@lru_cache(maxsize=32)
def rating_patterns(language: str | None) -> RatingPatterns:
    """Patterns for a page's ISO 639-1 language (with English, which pages mix in); every
    language's when it is unknown."""
    chosen = [WORDS[language], WORDS["en"]] if language in WORDS else list(WORDS.values())
    of = _alternation({w for words in chosen for w in words.of})
    stars = _alternation({w for words in chosen for w in words.stars})
    nouns = _alternation({w for words in chosen for w in (*words.ratings, *words.reviews)})
    review_nouns = frozenset(w.casefold() for words in chosen for w in words.reviews)
    by = _alternation({w for words in chosen for w in words.by})
    average = _alternation({w for words in chosen for w in words.average})
    based_on = _alternation({w for words in chosen for w in words.based_on})
    flags = re.IGNORECASE
    return RatingPatterns(
        value=re.compile(
            rf"(?<![\d.,\-–])({_VALUE})\s*(?:/|(?:{of})\s)\s*(5|10|100)(?!\d|[.,]\d)"
            rf"(\s*(?:{stars})\b)?",
            flags,
        ),
        count_after=re.compile(
            rf"\W{{0,3}}(?:(?:{based_on})\s+)?({_NUMBER})\s*(?:[^\W\d]+\s+){{0,2}}?({nouns})\b",
            flags,
        ),
        # Not a rating written after the noun ("Rating: 4/5", "Rating: 4.5").
        count_before=re.compile(
            rf"\W{{0,3}}({nouns})(?:\s+[^\W\d]+)?\s*[(:]\s*({_NUMBER})\b(?!\s*/|[.,]\d)",
            flags,
        ),
        based_on=re.compile(
            rf"(?<![\d.,\-–])({_VALUE})(?:\s+(?:{stars}))?\s+(?:{based_on})\s+({_NUMBER})\s*"
            rf"(?:[^\W\d]+\s+){{0,2}}?({nouns})\b",
            flags,
        ),
        count_from=re.compile(rf"\W{{0,3}}(?:{based_on})\s+({_NUMBER})\b(?![.,]\d)", flags),
        review_nouns=review_nouns,
        bare_value=re.compile(
            # No lookbehind in front: a pattern that starts with a digit class is searched
            # for fast; what may not stand before the number is checked by the caller.
            rf"(\d{{1,2}}[.,]\d{{1,2}})(?!\d)(?:\s*(?:{stars})\b|\s*({STAR_GLYPHS}))?"
            rf"(?=\W{{0,3}}\d)",
            flags,
        ),
        noun_at=re.compile(rf"\s*(?:{nouns})\b", flags),
        noun_in=re.compile(rf"(?<!\w)(?:{nouns})(?!\w)", flags),
        count_ending=re.compile(rf"(?<![\d.,])({_NUMBER})\s*({nouns})[\s,;:·|\-–]{{0,3}}\Z", flags),
        whole_stars=re.compile(rf"(?<![\d.,\-–/:])([1-5])\s*(?:{stars})\b", flags),
        count_by=re.compile(
            rf"\s+(?:{by})\s+({_NUMBER})(?![.,]?\d)(?:\s+[^\W\d]+)?(?=\s*(?:[^\w\s]|$))", flags
        ),
        average=re.compile(
            rf"(?<!\w)(?:{average})(?!\w)"
            rf"({_GAP_CHAR}{{0,{_LABEL_GAP}}}?(?:{PIECE_END}{_GAP_CHAR}{{0,{_LABEL_GAP}}}?)?)"
            rf"\(? *(?<![\d.,])({_VALUE})(?![.,]?\d)"
            rf"(?:\s*(?:/|(?:{of})\s)\s*(5|10)(?!\d|[.,]\d))?\s*\)?(\s*(?:{stars})\b)?"
            rf"(?=\s*(?:{PIECE_END}|[.,;:!)|·]|$))",
            flags,
        ),
    )
