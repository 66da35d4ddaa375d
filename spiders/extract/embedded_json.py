"""Reviews in JSON: a page's script state, or a review widget's JSON API response.

``reviews_from_json(data, url)`` finds arrays (or id-keyed maps) of review-like objects
anywhere in a parsed JSON document and maps them like schema.org markup. An object is
review-like when it has a text and a rating, a date or an author, under keys in any casing
(``reviewText``, ``review_text``, ``ReviewBody``) and in the common languages of shops
(``texte``, ``kommentar``, ``note``, ``ocena``, ``datum``, ``autor``, ...); the words are
general vocabulary, not any site's names. Objects that are products (a price, a sku) or
questions and answers are not reviews. A key's role is decided by its words and checked by
its value: ``"note": 4`` is a rating, ``"note": "Great"`` is not.

Bounded: depth and node caps; never raises.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache

import lxml.html

from settings.records import AggregateRatingItem, ReviewItem
from spiders.extract.aggregate import aggregate_item, plausible_count
from spiders.extract.layers import EMBEDDED_JSON
from spiders.extract.review_limit import DEFAULT_MAX_REVIEWS, left_reviews
from spiders.extract.script_json import script_json_values
from spiders.raw_fields import (
    clean_text,
    find_date,
    infer_scale,
    normalize_rating,
    parse_rating,
)

MAX_DEPTH = 40
MAX_NODES = 300_000

TEXT, RATING, BEST, WORST, DATE, AUTHOR, TITLE, ID = (
    "text", "rating", "best", "worst", "date", "author", "title", "id"
)  # fmt: skip
# Words of keys, by role, in the order a role prefers them when an object has several
# (en, then fr, de, es, it, pt, nl, pl, nb/da, sv; ASCII-folded).
ROLE_WORDS: dict[str, tuple[str, ...]] = {
    TEXT: ("body", "text", "content", "comment", "opinion", "message", "feedback",
           "texte", "contenu", "commentaire", "inhalt", "kommentar", "meinung",
           "texto", "contenido", "comentario", "opinion", "testo", "contenuto", "commento",
           "conteudo", "tekst", "inhoud", "opmerking", "tresc", "komentarz",
           "kommentaar", "omtale"),
    RATING: ("rating", "score", "stars", "star", "rate", "grade", "note", "etoiles",
             "sterne", "wertung", "punkte", "nota", "puntuacion", "estrellas", "voto",
             "punteggio", "stelle", "valutazione", "cijfer", "sterren", "ocena", "gwiazdki",
             "karakter", "stjerner", "terningkast", "betyg"),
    BEST: ("best", "max", "maximum", "scale", "outof", "range"),
    WORST: ("worst", "min", "minimum"),
    DATE: ("date", "created", "published", "submitted", "posted", "timestamp", "time",
           "datetime", "creation", "publication", "datum", "fecha", "data", "dato", "datum"),
    AUTHOR: ("author", "nickname", "nick", "username", "user", "reviewer", "customer",
             "displayname", "firstname", "fullname", "reviewername", "auteur", "pseudo", "utilisateur", "client", "autor", "benutzer",
             "kunde", "usuario", "cliente", "autore", "utente", "gebruiker", "klant",
             "uzytkownik", "klient", "forfatter", "kunde", "bruker", "anvandare", "kund"),
    TITLE: ("title", "headline", "subject", "summary", "titre", "titel", "ueberschrift",
            "titulo", "titolo", "tytul", "tittel", "rubrik"),
    ID: ("id", "uuid", "guid", "identifier"),
}  # fmt: skip
# Words that say a key belongs to a review without naming the field: "review" alone is
# its text, "reviewTitle" its title.
WEAK_TEXT_WORDS = frozenset(
    {"review", "reviews", "avis", "bewertung", "resena", "recensione", "beoordeling",
     "recenzja", "opinia", "anmeldelse", "omdome", "recension"}
)  # fmt: skip
# Words that make a key about something else: "ratingCount", "userId", "reviewUrl".
VOID_WORDS = frozenset(
    {"count", "total", "number", "num", "nb", "average", "avg", "mean", "sum", "url", "link",
     "href", "type", "key", "percent", "percentage", "distribution", "histogram", "breakdown",
     "helpful", "votes", "vote", "likes", "image", "images", "photo", "avatar", "icon",
     "color", "class", "css", "style", "format", "label", "locale", "language", "lang",
     "status", "flag", "is", "has", "enabled", "visible", "source", "translated",
     "translation", "response", "reply", "answer", "product"}
)  # fmt: skip
# Keys of objects that are products or offers, and of questions and answers.
PRODUCT_WORDS = frozenset(
    {"price", "prices", "sku", "gtin", "ean", "offers", "offer", "currency", "availability",
     "stock", "mpn", "prix", "preis", "precio", "prezzo", "preco", "prijs", "cena", "pris"}
)  # fmt: skip
QA_WORDS = frozenset(
    {"question", "questions", "answer", "answers", "frage", "antwort", "pregunta",
     "respuesta", "domanda", "risposta", "pergunta", "resposta", "vraag", "antwoord",
     "pytanie", "odpowiedz", "sporsmal", "svar", "reponse"}
)  # fmt: skip
# Inside a nested value ({"rating": {"value": 4}}, {"author": {"name": "Ann"}}).
NESTED_VALUE_KEYS = ("value", "name", "text", "displayname", "html", "amount", "raw")

_WORD_ROLE = {word: role for role, words in ROLE_WORDS.items() for word in words}
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_NON_WORD = re.compile(r"[^0-9a-z]+")
_TAG = re.compile(r"<[^>]{0,2000}>")
_LETTER = re.compile(r"[^\W\d_]")
# One "word" that is an identifier: a dot, underscore, $ or = inside it, or letters and
# digits mixed ("current.cnt", "224f4e4c-f48f", "my_key", "a=b").
_CODE_LIKE = re.compile(r"\w[._$=:#@/\\]\w|[^\W\d_]\d|\d[^\W\d_]|_")
_EPOCH_RANGE = (946_684_800, 4_102_444_800)  # 2000-01-01 .. 2100-01-01, in seconds


@lru_cache(maxsize=8192)
def key_words(key: str) -> tuple[str, ...]:
    """``"reviewText"`` / ``"review_text"`` / ``"ReviewTEXT"`` -> ``("review", "text")``;
    accents dropped (``"Überschrift"`` -> ``("uberschrift",)``)."""
    import unicodedata

    spaced = _CAMEL.sub(" ", key)
    folded = unicodedata.normalize("NFKD", spaced).encode("ascii", "ignore").decode()
    return tuple(w for w in _NON_WORD.split(folded.casefold()) if w)


@lru_cache(maxsize=8192)
def joined_key(key: str) -> str:
    """``"Review_Text"`` -> ``"reviewtext"``."""
    return "".join(key_words(key))


@lru_cache(maxsize=8192)
def key_role(key: str) -> str | None:
    """The review field a key names, or None (unknown, or about something else)."""
    words = key_words(key)
    if not words or any(w in VOID_WORDS for w in words):
        return None
    joined = joined_key(key)
    if joined in _WORD_ROLE:  # "reviewbody" is not a word, "displayname"/"outof" are
        return _WORD_ROLE[joined]
    strong = [w for w in words if w not in WEAK_TEXT_WORDS]
    if not strong:
        return TEXT  # "review", "Bewertung"
    roles = {_WORD_ROLE.get(w) or _WORD_ROLE.get(w.rstrip("s")) for w in strong} - {None}
    for modifier in (BEST, WORST):  # "ratingMax", "minScore"
        if modifier in roles:
            return modifier
    if roles == {AUTHOR, TITLE} or roles == {AUTHOR, TEXT}:
        return AUTHOR  # "userTitle" / "authorText" describe the author
    return roles.pop() if len(roles) == 1 else None


@dataclass
class _Fields:
    """What one object says, by role (first key in the role's preferred order wins)."""

    values: dict[str, object] = field(default_factory=dict)
    ranks: dict[str, int] = field(default_factory=dict)

    def offer(self, role: str, value: object, key: str) -> None:
        words = key_words(key)
        rank = min((ROLE_WORDS[role].index(w) for w in words if w in ROLE_WORDS[role]), default=99)
        if role not in self.values or rank < self.ranks[role]:
            self.values[role], self.ranks[role] = value, rank


def _text_value(value: object) -> str | None:
    """Prose from a string that may hold HTML; None for numbers, URLs and codes."""
    if isinstance(value, dict):
        value = _nested(value)
    if not isinstance(value, str) or not _LETTER.search(value):
        return None
    if "<" in value:
        value = _TAG.sub(" ", value)
    text = clean_text(html.unescape(value))
    if not text or text.startswith(("http://", "https://", "/")) or len(text) < 2:
        return None
    if " " not in text and _CODE_LIKE.search(text):
        return None  # "current.cnt", "a1b2-c3d4", "REVIEW_TEXT": code and ids, not words
    return text


def _nested(value: dict[str, object]) -> object:
    for key, inner in value.items():
        if joined_key(key) in NESTED_VALUE_KEYS and inner not in (None, ""):
            return inner
    return None


def _rating_value(value: object) -> tuple[float, float | None] | None:
    best: float | None = None
    if isinstance(value, dict):
        nested = _fields_of(value)
        best = _number(nested.values.get(BEST))
        value = nested.values.get(RATING, _nested(value))
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    if isinstance(value, str) and (len(value) > 20 or not re.search(r"\d|★", value)):
        return None
    rating, stated = parse_rating(value, best)
    if rating is None or not 0 <= rating <= 100:
        return None
    return rating, stated


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.replace(",", ".").strip())
        except ValueError:
            return None
    return None


def _date_value(value: object, locale: str | None) -> tuple[str, date | None] | None:
    if isinstance(value, dict):
        value = _nested(value)
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        seconds = value / 1000 if value > _EPOCH_RANGE[1] else value
        if not _EPOCH_RANGE[0] <= seconds <= _EPOCH_RANGE[1]:
            return None
        return str(value), datetime.fromtimestamp(seconds, UTC).date()
    if not isinstance(value, str) or not 6 <= len(value) <= 80 or not re.search(r"\d", value):
        return None
    return value.strip(), find_date(value, locale)


def _author_value(value: object) -> str | None:
    if isinstance(value, dict):  # {"name": ...}, {"nickname": ...}, {"displayName": ...}
        value = _fields_of(value).values.get(AUTHOR) or _nested(value)
    if not isinstance(value, str):
        return None
    text = clean_text(value)
    return text if text and len(text) <= 100 and _LETTER.search(text) else None


def _fields_of(obj: dict[str, object]) -> _Fields:
    found = _Fields()
    for key, value in obj.items():
        if not isinstance(key, str) or value is None:
            continue
        role = key_role(key)
        if role is not None:
            found.offer(role, value, key)
    return found


@dataclass
class _Candidate:
    """A review-like object's readable fields."""

    text: str
    rating: tuple[float, float | None] | None
    date: tuple[str, date | None] | None
    author: str | None
    title: str | None
    review_id: str | None


def review_candidate(obj: dict[str, object], locale: str | None = None) -> _Candidate | None:
    """The object's review fields if it is review-like (a text and a rating, date or author;
    not a product, not a question or answer), else None."""
    fields = _fields_of(obj).values
    text = _text_value(fields.get(TEXT)) if TEXT in fields else None
    if text is None:
        return None
    keys = {joined_key(key) for key in obj if isinstance(key, str)}
    if keys & PRODUCT_WORDS or keys & QA_WORDS:
        return None
    rating = _rating_value(fields.get(RATING)) if RATING in fields else None
    when = _date_value(fields.get(DATE), locale) if DATE in fields else None
    author = _author_value(fields.get(AUTHOR)) if AUTHOR in fields else None
    if rating is None and when is None and author is None:
        return None
    title = _text_value(fields.get(TITLE)) if TITLE in fields else None
    raw_id = fields.get(ID)
    review_id = (
        str(raw_id) if isinstance(raw_id, str | int) and not isinstance(raw_id, bool) else None
    )
    return _Candidate(text, rating, when, author, title, review_id)


_CONTAINERS = (dict, list)


def json_containers(data: object) -> Iterator[dict[str, object] | list[object]]:
    """Every dict and list in ``data``, depth-first in document order, within the depth
    and node caps."""
    stack: list[tuple[object, int]] = [(data, 0)]
    visited = 0
    while stack and visited < MAX_NODES:
        value, depth = stack.pop()
        visited += 1
        if depth > MAX_DEPTH:
            continue
        if isinstance(value, list):
            children: list[object] = value
        elif isinstance(value, dict):
            children = list(value.values())
        else:
            continue
        yield value
        depth += 1
        stack.extend([(c, depth) for c in reversed(children) if isinstance(c, _CONTAINERS)])


def _review_lists(data: object) -> list[list[dict[str, object]]]:
    """Lists (and id-keyed maps' values) of dicts, anywhere in ``data``, in document order."""
    found: list[list[dict[str, object]]] = []
    for value in json_containers(data):
        children = value if isinstance(value, list) else list(value.values())
        dicts = [v for v in children if isinstance(v, dict)]
        if isinstance(value, list) and dicts:
            found.append(dicts)
        elif isinstance(value, dict) and len(dicts) >= 2 and len(dicts) == len(children):
            found.append(dicts)  # {"r1": {...}, "r2": {...}}: a normalised store
    return found


def reviews_from_json(
    data: object,
    url: str,
    locale: str | None = None,
    *,
    limit: int = DEFAULT_MAX_REVIEWS,
    skipped: list[str] | None = None,
) -> list[ReviewItem]:
    """Reviews in a parsed JSON document (page state or a widget API's response), as
    ``ReviewItem``s with text, rating on its scale and 0..1, date, author, title and id
    where the JSON has them, ``explain`` naming the embedded-json layer. A list counts when
    at least half of its objects are review-like; the same review met twice (one store
    referenced from two places) is kept once. ``locale`` orders numeric dates. At most
    ``limit`` are built (``limits.max_reviews``): one more found adds ``REVIEWS_OVER_LIMIT``
    to ``skipped``."""
    found = _JsonReviews(url, locale, limit, skipped)
    found.read(data)
    return found.items


class _JsonReviews:
    """The reviews of one or more JSON documents, each once, at most ``limit`` of them."""

    def __init__(self, url: str, locale: str | None, limit: int, skipped: list[str] | None) -> None:
        self.url, self.locale, self.limit, self.skipped = url, locale, limit, skipped
        self.items: list[ReviewItem] = []
        self.seen: set[tuple[object, ...]] = set()
        self.full = False

    def read(self, data: object) -> None:
        try:
            lists = _review_lists(data)
        except RecursionError:  # pragma: no cover - the walk is iterative; belt and braces
            return
        for dicts in lists:
            if self.full:
                return
            self._read_list(dicts)

    def _read_list(self, dicts: list[dict[str, object]]) -> None:
        # Half the objects must be reviews: a list whose first three are not is skipped
        # without reading the rest (state trees hold many long lists of other things).
        head = [review_candidate(d, self.locale) for d in dicts[:3]]
        if not any(head):
            return
        # Candidates past the limit are counted (the half rule, the list's scale), not kept:
        # a state of 200,000 reviews holds at most ``limit`` candidates.
        room = self.limit - len(self.items)
        kept: dict[tuple[object, ...], _Candidate] = {}
        scale = _Scale()
        count = 0
        over = False
        rest = (review_candidate(d, self.locale) for d in dicts[3:])
        for candidate in itertools.chain(head, rest):
            if candidate is None:
                continue
            count += 1
            scale.add(candidate)
            key = _key(candidate)
            if key in self.seen or key in kept:
                continue
            if len(kept) < room:
                kept[key] = candidate
            else:
                over = True
        if 2 * count < len(dicts):
            return
        self.seen.update(kept)
        best = scale.best()
        self.items.extend(_item(candidate, self.url, best) for candidate in kept.values())
        if over:
            left_reviews(self.skipped)
            self.full = True


def _key(candidate: _Candidate) -> tuple[object, ...]:
    return (
        candidate.text,
        candidate.rating,
        candidate.author,
        candidate.date,
        candidate.review_id,
    )


class _Scale:
    """The scale a list of reviews states, else the one its largest rating implies (each
    rating's scale is inferred from the largest in the list: a list of 8s and 10s is on 10
    even where one says 4)."""

    def __init__(self) -> None:
        self.stated: float | None = None
        self.largest: float | None = None

    def add(self, candidate: _Candidate) -> None:
        if candidate.rating is None:
            return
        rating, stated = candidate.rating
        if stated and (self.stated is None or stated > self.stated):
            self.stated = stated
        if self.largest is None or rating > self.largest:
            self.largest = rating

    def best(self) -> float | None:
        if self.stated is not None:
            return self.stated
        return infer_scale(self.largest, None, None)[0] if self.largest is not None else None


def _item(candidate: _Candidate, url: str, best: float | None) -> ReviewItem:
    item = ReviewItem(url=url, text=candidate.text, title=candidate.title)
    item.author = candidate.author
    item.external_id = candidate.review_id
    if candidate.rating is not None:
        rating, stated = candidate.rating
        scale, worst = infer_scale(rating, stated or best, None)
        item.rating, item.best_rating, item.worst_rating = rating, scale, worst
        item.rating_raw = f"{rating:g}"
        item.rating_normalized = normalize_rating(rating, scale, worst)[0]
    if candidate.date is not None:
        item.date_raw, item.published = candidate.date
    item.explain = {
        name: EMBEDDED_JSON.name
        for name in ("text", "title", "rating", "best_rating", "worst_rating", "rating_normalized",
                     "date_raw", "published", "author", "external_id")
        if getattr(item, name) is not None
    }  # fmt: skip
    return item


def embedded_json_reviews(
    root: lxml.html.HtmlElement,
    url: str,
    locale: str | None = None,
    values: list[object] | None = None,
    *,
    limit: int = DEFAULT_MAX_REVIEWS,
    skipped: list[str] | None = None,
) -> list[ReviewItem]:
    """Reviews in the page's script state (every script's JSON, in page order; ``values``
    when the caller has read them already), each once (two scripts may hold the same
    store), at most ``limit`` (``reviews_from_json``)."""
    found = _JsonReviews(url, locale, limit, skipped)
    for value in script_json_values(root) if values is None else values:
        found.read(value)
        if found.full:
            break
    return found.items


def embedded_json_aggregate(values: list[object]) -> AggregateRatingItem | None:
    """The first average rating with a count in the page's script JSON values."""
    for value in values:
        found = aggregate_from_json(value)
        if found is not None:
            return aggregate_item(
                found.value, found.best, found.rating_count, found.review_count, EMBEDDED_JSON
            )
    return None


# Keys of an average rating and of its count ("averageRating", "reviewCount", ...).
_AVERAGE_WORDS = frozenset({"average", "avg", "mean", "overall"})
_RATING_WORDS = frozenset(ROLE_WORDS[RATING]) | {"value"}
_COUNT_WORDS = frozenset({"count", "total", "number", "num", "nb", "amount"})
_COUNTED_WORDS = frozenset({"review", "reviews", "rating", "ratings", "vote", "votes"})


@dataclass(frozen=True)
class JsonAggregate:
    """An average rating and its counts found in a JSON document."""

    value: float
    best: float
    rating_count: int | None
    review_count: int | None


_REVIEW_COUNT, _RATING_COUNT, _AVERAGE, _BEST = "review count", "rating count", "average", "best"


@lru_cache(maxsize=8192)
def _aggregate_key(key: str) -> str | None:
    """What a key of an aggregate holds (a count of reviews or of ratings, the average, the
    best), or None; read once per key, not once per object holding it."""
    words = set(key_words(key))
    if (words & _COUNT_WORDS and words & _COUNTED_WORDS) or joined_key(key) == "count":
        return _REVIEW_COUNT if words & {"review", "reviews"} else _RATING_COUNT
    if (words & _AVERAGE_WORDS and words & (_RATING_WORDS | {"score"})) or joined_key(key) in (
        "ratingvalue",
        "average",
        "avg",
    ):
        return _AVERAGE
    return _BEST if key_role(key) == BEST else None


def _aggregate_in(obj: dict[str, object]) -> JsonAggregate | None:
    value: float | None = None
    best: float | None = None
    rating_count = review_count = None
    for key, raw in obj.items():
        if (
            not isinstance(key, str)
            or isinstance(raw, bool)
            or not isinstance(raw, int | float | str)
        ):
            continue
        kind = _aggregate_key(key)
        if kind is None:
            continue  # (its value is not read: most keys of a state hold no aggregate)
        number = _number(raw)
        if number is None:
            continue
        if kind in (_REVIEW_COUNT, _RATING_COUNT):
            count = plausible_count(number)
            if count:
                if kind == _REVIEW_COUNT:
                    review_count = count
                else:
                    rating_count = count
        elif kind == _AVERAGE:
            value = number
        else:
            best = number
    if value is None or (rating_count is None and review_count is None):
        return None
    scale = best or infer_scale(value, None, None)[0]
    # Below 1 on a scale the object does not state: a share (0.94), not an average.
    if not 0 < value <= scale or (best is None and value < 1):
        return None
    return JsonAggregate(value, scale, rating_count, review_count)


def aggregate_from_json(data: object) -> JsonAggregate | None:
    """The first object in ``data`` (document order) stating an average rating with a
    count of ratings or reviews ("averageRating"/"ratingValue" + "reviewCount"/"total")."""
    for value in json_containers(data):
        if isinstance(value, dict):
            found = _aggregate_in(value)
            if found is not None:
                return found
    return None
