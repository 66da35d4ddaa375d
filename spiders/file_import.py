"""Imports a company's own reviews or offers from CSV or JSON lines.

Rows go through the same normalisation, validation, pseudonymisation, language and
de-duplication as crawled items, so imported and crawled data compare like for like.
Good rows are stored, bad rows are reported with their line number and reason, and
importing the same file again adds nothing.
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import unicodedata
from collections import Counter, deque
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future
from contextlib import closing
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time
from functools import lru_cache, partial
from itertools import islice
from pathlib import Path
from typing import Any, Literal, TypeVar

from sqlalchemy import Engine
from sqlmodel import select

from settings.content_keys import review_content_key, without_accents
from settings.language_detection import SCANDINAVIAN
from settings.languages import normalize_language_code
from settings.records import OfferItem, ReviewItem
from spiders.extract.price import AMBIGUOUS_CANDIDATES, CURRENCY_SYMBOLS, price_refusal
from spiders.gc_spacing import spaced_collections
from spiders.idle_cores import PROC_STAT, CpuSample, busy_elsewhere_since, cpu_sample
from spiders.import_detection import StoreProcess
from spiders.import_rows import (
    IGNORED,
    JSON_SUFFIXES,
    BadRow,
    FieldsSeen,
    ImportFileError,
    column_name,
    read_rows,
)
from spiders.pipelines.language import assign_languages, dominant_scandinavian
from spiders.pipelines.normalize import normalize_offer, normalize_review
from spiders.pipelines.store_worker import BatchResult, WriterSpec
from spiders.pipelines.validate import EARLIEST_REVIEW, MAX_TEXT, offer_problem, review_problem
from spiders.raw_fields import (
    is_numeric_date,
    key_date,
    parse_review_date,
    plain_number,
    written_rating,
)
from storage.dialects import dialect_of
from storage.models import Company
from storage.pseudonym import existing_pseudonym_key, pseudonym_key, pseudonymize
from storage.review_identity import StoredReview, identity_of, was_edited
from storage.stored_reviews import stored_identities, stored_reviews
from storage.writer import CollectWriter, RunFigures, refuse_second_own

__all__ = ["ImportFileError", "ImportReport", "import_file", "infer_kind"]

Kind = Literal["reviews", "offers"]
REVIEW_COLUMNS = (
    "text",
    "rating",
    "best_rating",
    "worst_rating",
    "date",
    "title",
    "product",
    "author",
    "region",
    "language",
    "id",
)
OFFER_COLUMNS = (
    "product",
    "price",
    "currency",
    "availability",
    "sku",
    "gtin",
    "plan",
    "url",
    "date",
)
REQUIRED_COLUMNS = ("text",)
"""What a review row must hold (an offer's product may be its sku or gtin instead); the
others may be absent or null, and the row is stored without them."""
BATCH = 5000
"""Rows per batch: one language-detection call, one conflict query and one transaction each
(5,000 reviews of a few hundred characters hold about 10 MB)."""
PIPELINE_MIN_BYTES = 4_000_000
"""From this file size (about 25,000 short reviews) languages are detected and batches
written in a child process beside the reading and checking (``spiders.import_detection``);
below it, starting that process (about a second of CPU on the other core; batches are stored
in process meanwhile, see ``StoreProcess.starting``) costs more than it saves. On one core it
never pays: the child would only take the parent's CPU."""
STORE_AHEAD = 3
"""Batches checked and handed to the store process before the oldest must be stored."""
Item = TypeVar("Item", ReviewItem, OfferItem)


PROGRESS_ROWS = 1000
"""Rows between two calls of an import's ``on_rows``."""
MAX_LISTED_BAD = 200
"""Rejected rows kept with their line number (all are counted, by reason)."""
MAX_RATING_SCALE = 1000.0


@dataclass(frozen=True)
class ImportSource:
    """The file an import reads, and how."""

    path: Path
    encoding: str
    renamed: dict[str, str]
    """The file's column -> the name it is read as (``--column``)."""
    language: str | None = None
    """The import's language hint (``--language``) as written, region included: it orders a
    numeric date's day and month (``en-US`` month first, ``en-GB``, ``fr``, ``pl`` day first)."""
    scale: tuple[float, float] | None = None
    """(worst, best) of the ratings of rows that state no best of their own
    (``--rating-scale 0-10``); None: 5 stars from 1."""
    scandinavian: str | None = None
    """The Scandinavian language the file's long reviews agree on (``file_scandinavian``):
    its reviews' ``page_language``."""
    date_order: str | None = None
    """Without ``--language``: a tag ordering the numeric dates that could be either ("en-GB"
    day first, "en-US" month first) as the file's own unambiguous dates are written
    (``file_date_order``)."""
    on_rows: Callable[[str, int], None] | None = None
    """Told (what the import is doing, rows read so far) every ``PROGRESS_ROWS`` rows of a
    full pass over the file (``rivalscope import`` shows it on a terminal)."""


@dataclass
class ImportReport:
    """What an import did (or, with ``dry_run``, would do)."""

    kind: Kind
    dry_run: bool = False
    rows: int = 0
    stored: int = 0
    """New reviews, or offer observations written (first sight or a change)."""
    duplicates: int = 0
    """Rows already in the database (or repeated in the file)."""
    rejected: int = 0
    bad: list[tuple[int, str]] = field(default_factory=list)
    """(line number, reason) of the first ``MAX_LISTED_BAD`` rejected rows."""
    reasons: Counter[str] = field(default_factory=Counter)
    """Rejected rows by kind of problem."""
    created_company: bool = False
    scandinavian: str | None = None
    """The Scandinavian language the file's long reviews agree on, given to its short
    Scandinavian reviews (without ``--language``), or None."""
    date_order: tuple[str, str] | None = None
    """Without ``--language``: ("day" or "month", an example) when the file's unambiguous
    numeric dates all put that first, and its other numeric dates were read so."""
    checked: int = 0
    """Rows that passed the checks (stored, or would be)."""
    given: set[str] = field(default_factory=set)
    """Fields (our names) some checked row holds, null too, or ``--column`` names."""
    valued: Counter[str] = field(default_factory=Counter)
    """Checked rows with a value, by field."""
    edited_reviews: set[int] = field(default_factory=set)
    """Stored reviews whose text or rating the file changes (same id, and the same reviewer
    or date): their new text is stored, the old one kept as ``text_before_edit``."""

    @property
    def without(self) -> Counter[str]:
        """Checked rows without a value of a field the file gives: null, or left out of a
        JSON row while other rows hold it, or absent where ``--column`` named it (by our
        name): ``rating`` 2, ``title`` 5."""
        lacking = {name: self.checked - self.valued[name] for name in self.given}
        return Counter({name: n for name, n in lacking.items() if n > 0})

    @property
    def edited(self) -> int:
        return len(self.edited_reviews)

    def reject(self, line: int, reason: str) -> None:
        self.rejected += 1
        if len(self.bad) < MAX_LISTED_BAD:
            self.bad.append((line, reason))
        # Group by the kind of problem, not by the offending value.
        self.reasons[re.sub(r"'[^']*'|\(.*\)", "…", reason).strip()] += 1


def _text(row: dict[str, Any], name: str) -> str | None:
    value = row.get(name)
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def _texts(row: dict[str, Any]) -> dict[str, str]:
    """``_text`` of every column of ``row`` that has one (columns without text left out)."""
    return {
        name: text
        for name, value in row.items()
        if value is not None and (text := str(value).strip())
    }


def _number(row: dict[str, Any], name: str) -> float | None:
    """The column's number (``row``: its texts, ``_texts``), sign kept; ValueError naming
    the value and why it is refused
    (the crawl's parser: exponent forms and absurd magnitudes are never read as numbers)."""
    value = row.get(name)
    if value is None:
        return None
    number = _plain_number(value) if len(value) <= 20 else plain_number(value)
    if number is None:
        shown = f"{value[:20]!r}…" if len(value) > 20 else repr(value)
        raise ValueError(f"{name} {shown}: {_refusal(value) or 'not a number'}")
    return number


_RATING_FORMS = "(write 4, 4.5, 4/5, 4 stars, 80% or ★★★★☆)"


def _rating(row: dict[str, str]) -> tuple[float | None, float | None]:
    """(rating, the best it states) of the rating column: a number, "4/5", "80%", "★★★★☆"."""
    value = row.get("rating")
    if value is None:
        return None, None
    number = _plain_number(value) if len(value) <= 20 else None
    if number is not None:
        return number, None
    written = written_rating(value) if len(value) <= 100 else None
    if written is None:
        shown = f"{value[:20]!r}…" if len(value) > 20 else repr(value)
        why = (_refusal(value) or "").replace("rating form", "")
        raise ValueError(f"rating {shown}: {why or 'not a rating ' + _RATING_FORMS}")
    return written


@lru_cache(maxsize=1024)
def _plain_number(text: str) -> float | None:
    """``plain_number`` of a short text (ratings and scales repeat a few values)."""
    return plain_number(text)


def _refusal(value: str) -> str | None:
    """Why the shared number parser refuses ``value`` in words, None if it holds no number."""
    problem = price_refusal(value)
    return problem.removeprefix("price_").replace("_", " ") if problem else None


def _date_problem(raw: str) -> str:
    if is_numeric_date(raw) and (
        parse_review_date(raw, "fr") is not None or parse_review_date(raw, "en-US") is not None
    ):
        # "03/12/2024" is March or December depending on the country: never guess
        return (
            f"date {raw!r} is ambiguous (day/month order): pass --language (fr, pl, no, "
            "en-GB... write the day first; en-US the month) or write it as YYYY-MM-DD"
        )
    return f"date {raw!r} is not a date"


def review_from_row(
    row: dict[str, Any],
    hint: str | None = None,
    scale: tuple[float, float] | None = None,
    order: str | None = None,
) -> ReviewItem:
    """A normalised review from an import row; ValueError says what is wrong. ``hint`` (the
    import's language hint) orders a numeric date's day and month where the row has no
    language; ``scale`` is (worst, best) of a rating whose row states no best; ``order``
    (``ImportSource.date_order``) orders a numeric date neither of them orders."""
    raw = row
    row = _texts(raw)
    text = row.get("text")
    if not text:
        raise ValueError("text is empty (the text column is required)")
    rating, stated_best = _rating(row)
    best = _number(row, "best_rating")
    worst = _number(row, "worst_rating")
    if stated_best is not None:
        if best is not None and best != stated_best:
            raise ValueError(
                f"rating {row['rating']!r} says out of {stated_best:g}, best_rating {best:g}"
            )
        best = stated_best
    if best is None and scale is not None:
        worst, best = (scale[0] if worst is None else worst), scale[1]
    if best is None:
        best = 5.0
    elif not 0 < best <= MAX_RATING_SCALE:
        raise ValueError(
            f"best rating {raw.get('best_rating')!r} must be above 0 (and at most 1000)"
        )
    if worst is not None and not 0 <= worst < best:
        raise ValueError(f"worst rating {worst:g} must be at least 0 and below the best, {best:g}")
    language = normalize_language_code(row.get("language"))
    if language is None and row.get("language"):
        raise ValueError(
            f"language {row['language'][:20]!r} is not a language code (e.g. en, nb-NO, fr_FR)"
        )
    review = ReviewItem(
        text=text,
        title=row.get("title"),
        rating=rating,
        best_rating=best if rating is not None else None,
        worst_rating=worst if rating is not None else None,
        date_raw=row.get("date"),
        author=row.get("author"),
        region=row.get("region"),
        external_id=row.get("id"),
        product_name=row.get("product"),
        language=language,
        language_source="import" if language else None,
    )
    normalize_review(review, hint)
    if review.date_raw and review.published is None and language and row.get("language"):
        # the row's own tag as written orders its date ("en-US": month first), where its
        # language code alone ("en") cannot
        review.published = parse_review_date(review.date_raw, row["language"])
    if review.date_raw and review.published is None:
        review.published = _in_file_order(review.date_raw, order)
    if review.date_raw and review.published is None:
        raise ValueError(_date_problem(review.date_raw))
    review.content_key = review_content_key(
        external_id=review.external_id,
        text=review.text,
        title=review.title,
        rating_raw=review.rating,
        date_raw=key_date(review.date_raw),
        author=review.author,
        product=review.product_name,
    )
    return review


def offer_from_row(
    row: dict[str, Any], hint: str | None = None, order: str | None = None
) -> OfferItem:
    """A normalised offer from an import row; ValueError says what is wrong (``hint`` and
    ``order``: as for ``review_from_row``)."""
    name = _text(row, "product")
    if not name and not _text(row, "sku") and not _text(row, "gtin"):
        raise ValueError("product is empty (give product, sku or gtin)")
    price_text = _text(row, "price")
    currency_text = _text(row, "currency")
    offer = OfferItem(
        url=_text(row, "url") or "",
        name=name,
        price_raw=price_text,
        currency_raw=currency_text,
        currency=_currency_code(currency_text) if currency_text else None,
        availability_raw=_text(row, "availability"),
        sku=_text(row, "sku"),
        gtin=_text(row, "gtin"),
        plan=_text(row, "plan"),
    )
    normalize_offer(offer)  # the crawl's price parser: sign kept, refusals with their reason
    if price_text and offer.price is None:
        shown = f"{price_text[:30]!r}…" if len(price_text) > 30 else repr(price_text)
        raise ValueError(f"price {shown}: {_refusal(price_text) or 'not a price'}")
    date_text = _text(row, "date")
    if date_text:
        day = parse_review_date(date_text, hint) or _in_file_order(date_text, order)
        if day is None:
            raise ValueError(_date_problem(date_text))
        offer.observed_at = datetime.combine(day, time(12), tzinfo=UTC)
    return offer


def _in_file_order(raw: str, order: str | None) -> date | None:
    """A numeric date read in the order the file's own dates tell (``file_date_order``)."""
    return parse_review_date(raw, order) if order and is_numeric_date(raw) else None


def _currency_code(text: str) -> str:
    """The ISO code a currency column gives: a code ("pln" too), or a sign a shop's export
    writes ("zł", "€", "Kč") read as the crawl reads it beside a price; ValueError for a sign
    several currencies share ("kr") or anything else."""
    if len(text) == 3 and text.isascii() and text.isalpha():
        return text.upper()
    code = CURRENCY_SYMBOLS.get(text) or CURRENCY_SYMBOLS.get(text.casefold())
    if code is not None:
        return code
    shown = f"{text[:20]!r}…" if len(text) > 20 else repr(text)
    candidates = AMBIGUOUS_CANDIDATES.get(text) or AMBIGUOUS_CANDIDATES.get(text.casefold())
    if candidates:
        named = ", ".join(sorted(candidates)[:6]) + (", ..." if len(candidates) > 6 else "")
        raise ValueError(
            f"currency {shown} is written by several currencies ({named}): write its code"
        )
    raise ValueError(f"currency {shown} is not a currency code (write e.g. PLN, NOK, EUR)")


def infer_kind(path: Path, encoding: str, renamed: Mapping[str, str] | None = None) -> Kind:
    """``reviews`` if the first row has a text column, ``offers`` if it has price/product
    (a CSV of a header and no row: its header's columns; a nightly export with nothing new
    imports no row, as with ``--kind``)."""
    first_bad: tuple[int, BadRow] | None = None
    columns = ""
    header: list[str] = []
    for line, row in read_rows(path, encoding, renamed=renamed, header=header):
        if isinstance(row, BadRow):
            first_bad = first_bad or (line, row)
            continue
        if "text" in row:
            return "reviews"
        if "price" in row or "product" in row:
            return "offers"
        columns = f"; its columns are {', '.join(map(repr, list(row)[:10]))}"
        break
    else:
        if first_bad is not None:
            # Every row was unreadable: say why, not that the columns are wrong.
            line, bad = first_bad
            raise ImportFileError(
                f"{path}: no row could be read (line {line}: {bad.reason}); fix the file "
                "(or pass --kind to list every bad line)"
            )
        if "text" in header:
            return "reviews"
        if "price" in header or "product" in header:
            return "offers"
        if not header:  # an empty JSON file or array: there are no columns to name
            raise ImportFileError(
                f"{path} holds no row: nothing to import (with --kind, it imports no row)"
            )
        columns = f"; its columns are {', '.join(map(repr, header[:10]))}"
    raise ImportFileError(
        f"cannot tell whether {path} holds reviews (needs a 'text' column) or offers "
        f"('product' and 'price'){columns}: name them with --column (--column text=COLUMN) "
        "or pass --kind"
    )


FIELD_SAMPLE = 1000
"""Rows of a JSON file read for the fields ``--column`` names (``check_header``)."""


def check_fields(path: Path, encoding: str, renamed: Mapping[str, str] | None = None) -> None:
    """ImportFileError for a JSON field ``--column`` names (a dotted path or not) that none
    of the file's first ``FIELD_SAMPLE`` rows holds, saying what they hold there (a CSV's
    header is checked as it is read). Said before the kind is guessed from the fields."""
    if not renamed or path.suffix.lower() not in JSON_SUFFIXES:
        return
    seen = FieldsSeen()
    wanted = {column_name(k): v for k, v in renamed.items()}
    read = 0
    with closing(read_rows(path, encoding, renamed=renamed, seen=seen)) as rows:
        while len(seen.found) < len(wanted) and read < FIELD_SAMPLE:
            if next(rows, None) is None:
                break
            read += 1
    # A field null in every row read (a rating object null, a title null: unrated or
    # untitled reviews first) refused the file; only the text is required of each row.
    missing = [
        (k, v)
        for k, v in wanted.items()
        if k not in seen.found and (k in seen.missed or v in REQUIRED_COLUMNS)
    ]
    if missing:
        rows_read = f"none of the first {read:,} rows" if read == FIELD_SAMPLE else "no row"
        said = "; ".join(
            f"{'--ignore ' if name == IGNORED else f'--column {name}='}{source}: "
            f"{rows_read} holds {source!r} "
            f"({seen.missed.get(source, f'null in every row read; the {name} is required')})"
            for source, name in missing
        )
        raise ImportFileError(f"{path}: {said}")


def check_header(
    path: Path, encoding: str, kind: Kind, renamed: Mapping[str, str] | None = None
) -> None:
    """ImportFileError if the file cannot be read as ``kind`` as a whole (e.g. a CSV header
    naming columns ``kind`` does not have); reads no further than the first row."""
    columns = REVIEW_COLUMNS if kind == "reviews" else OFFER_COLUMNS
    rows = read_rows(path, encoding, columns, renamed)
    first = next(rows, None)
    rows.close()  # its file is closed now, not when the generator is collected
    if first is not None and isinstance(first[1], BadRow):
        reason = first[1].reason
        if reason.startswith("unknown field"):
            dotted = re.search(r"'([^']+\.[^']+)'", reason)
            inside = f", --column NAME={dotted.group(1)} one inside an object" if dotted else ""
            # as a CSV header naming a column we do not read: the file's rows share it
            raise ImportFileError(
                f"{path}: line {first[0]}: {reason}; the fields read are "
                f"{', '.join(columns)} (--column NAME=FIELD reads a field of yours as one of "
                f"them{inside}; --ignore FIELD leaves one unread)"
            )


def _plain(name: str) -> str:
    """Lowercase, accents and punctuation dropped: "Café Noir" and "cafe-noir" compare equal."""
    return " ".join(re.sub(r"[\W_]+", " ", without_accents(name.casefold())).split())


def check_company(engine: Engine, name: str, *, new_company: bool) -> bool:
    """True if ``name`` exists; ImportFileError if it is empty, or unknown without
    ``new_company`` (listing the stored names that look alike, accents ignored)."""
    if not name.strip():
        raise ImportFileError("--company is empty; give the company's name")
    if any(unicodedata.category(ch) == "Cc" for ch in name):  # a line break pasted in
        raise ImportFileError(
            "--company: the name holds a control character (a line break, a tab...); "
            "write it on one line"
        )
    if name != name.strip() or len(name) > 120:
        raise ImportFileError(
            "--company: the name must not start or end with spaces and has at most 120 characters"
        )
    from sqlmodel import Session

    with Session(engine) as session:
        names = list(session.exec(select(Company.name)).all())
    if name in names:
        return True
    wanted = _plain(name)
    plain = {_plain(n): n for n in names}
    if wanted in plain:  # "ACME" or "Acme," for "Acme": the same company, not a new one
        raise ImportFileError(
            f"no company {name!r} in this database, but {plain[wanted]!r} is (names that differ "
            "only in case, accents or punctuation are one company); use that name"
        )
    if new_company:
        return False
    similar = [plain[p] for p in difflib.get_close_matches(wanted, list(plain), n=5, cutoff=0.6)]
    hint = (
        f"; similar: {', '.join(map(repr, similar))}"
        if similar
        else (f"; companies stored: {', '.join(map(repr, names[:10]))}" if names else "")
    )
    raise ImportFileError(
        f"no company {name!r} in this database{hint}; pass --new-company to create it"
    )


def import_file(
    engine: Engine,
    path: Path,
    *,
    company: str,
    own: bool = False,
    kind: Kind | None = None,
    encoding: str = "utf-8",
    language_hint: str | None = None,
    new_company: bool = False,
    dry_run: bool = False,
    renamed: Mapping[str, str] | None = None,
    rating_scale: tuple[float, float] | None = None,
    on_rows: Callable[[str, int], None] | None = None,
) -> ImportReport:
    """Import one file for ``company``; see the module docstring.

    Rows are read, checked and written in batches of ``BATCH`` (memory does not grow with
    the file).
    ``dry_run`` checks every row against the database and writes nothing.
    ``renamed``: the file's columns read under our names (``--column text=Kommentar``).
    ``rating_scale``: (worst, best) of ratings whose row states no best (``--rating-scale``).
    ``on_rows``: called with what the import is doing and the rows it has read, every
    ``PROGRESS_ROWS`` rows of a pass over the whole file (a large file takes minutes).
    """
    # The cores' use is measured from here to the choice of a detection process (the checks
    # below take a few tenths of a second on a file large enough for one).
    cpu_since = cpu_sample()
    exists = check_company(engine, company, new_company=new_company)
    date_hint = language_hint  # the tag as written: "en-US" orders dates, "en" cannot
    language_hint = normalize_language_code(language_hint)
    check_fields(path, encoding, renamed)  # the fields named before the kind they imply
    kind = kind or infer_kind(path, encoding, renamed)
    # before the run is recorded: a refused file leaves none
    check_header(path, encoding, kind, renamed)
    report = ImportReport(kind=kind, dry_run=dry_run, created_company=not exists)
    source = ImportSource(
        path, encoding, dict(renamed or {}), date_hint, rating_scale, on_rows=on_rows
    )
    if kind == "reviews" and rating_scale is None:
        check_rating_scale(source)
    if date_hint is None:
        report.date_order = file_date_order(source, kind)
        if report.date_order is not None:
            source = replace(source, date_order=DATE_ORDERS[report.date_order[0]])
    if dry_run:
        if own:
            from sqlmodel import Session

            with Session(engine) as session:
                refuse_second_own(session, company)
        _dry_run(engine, source, company, kind, report)
        return report
    if kind == "reviews" and language_hint not in SCANDINAVIAN:
        report.scandinavian = file_scandinavian(source)
        source = replace(source, scandinavian=report.scandinavian)
    writer = CollectWriter(
        engine,
        company=company,
        own=True if own else None,
        source=_source_name(company),
        kind="import",
        holds="both",
        remember_review_keys=False,
    )
    key = pseudonym_key(engine)
    writer.start_run()
    status = "failed"
    try:
        with spaced_collections():
            if kind == "reviews":
                _import_reviews(writer, source, language_hint, key, report, company, own, cpu_since)
            else:
                _import_offers(writer, source, report)
        status = "finished"
    finally:
        writer.finish_run(
            status,
            "finished" if status == "finished" else "error",
            RunFigures(items_dropped=report.rejected, dropped_reasons=dict(report.reasons)),
        )
    if kind == "reviews":
        report.stored = writer.reviews_new
        report.duplicates = writer.reviews_seen - writer.reviews_new - report.edited
    else:
        report.stored = writer.offers_changed
        report.duplicates = writer.offers_seen - writer.offers_changed
    return report


def _checked_rows(
    source: ImportSource,
    columns: tuple[str, ...],
    build: Callable[[dict[str, Any], str | None], Item],
    problem_of: Callable[[Item], str | None],
    report: ImportReport,
) -> Iterator[tuple[int, Item]]:
    """(line, item) for each valid row of the file; bad rows go to ``report``."""
    doing = "checking rows (dry run)" if report.dry_run else "importing rows"
    for number, row in read_rows(source.path, source.encoding, columns, source.renamed):
        report.rows += 1
        if source.on_rows is not None and report.rows % PROGRESS_ROWS == 0:
            source.on_rows(doing, report.rows)
        if isinstance(row, BadRow):
            report.reject(number, row.reason)
            continue
        try:
            item = build(row, source.language)
        except ValueError as exc:
            report.reject(number, str(exc))
            continue
        problem = problem_of(item)
        if problem is not None:
            report.reject(number, _said(problem, item))
            continue
        read: dict[str, Any] = row
        report.checked += 1
        report.given.update(name for name in {*read, *source.renamed.values()} if name in columns)
        report.valued.update(name for name, value in read.items() if value is not None)
        yield number, item


def _said(problem: str, item: ReviewItem | OfferItem) -> str:
    """A validation refusal (``rating_outside_scale``) as a line of the import's report, with
    the row's value and what to write instead where the code alone leaves the user guessing."""
    if isinstance(item, ReviewItem):
        rating, best, worst = item.rating, item.best_rating, item.worst_rating
        if problem == "rating_outside_scale" and rating is not None and best is not None:
            if rating > best:
                return (
                    f"rating '{rating:g}' is above its scale's best, {best:g}: give the scale "
                    "with --rating-scale (1-10, 0-10), in a best_rating column or in the rating "
                    "itself (8/10)"
                )
            return (
                f"rating '{rating:g}' is below its scale ({worst or 0:g} to {best:g}): a scale "
                f"from 0 is given by --rating-scale 0-{best:g} or a worst_rating column"
            )
        if problem == "negative_rating" and rating is not None:
            return f"rating '{rating:g}' is negative"
    date = item.published if isinstance(item, ReviewItem) else item.observed_at
    raw = item.date_raw if isinstance(item, ReviewItem) else None
    day = f"{date:%Y-%m-%d}" if date else ""
    shown = repr(raw) + (f" ({day})" if day not in raw else "") if raw else repr(day) if day else ""
    if problem == "date_in_future" and shown:
        return f"date {shown} is in the future"
    if problem == "date_too_old" and shown:
        return f"date {shown} is before {EARLIEST_REVIEW:%Y}: not a review's date"
    if problem == "review_text_too_long":
        return f"text is longer than {MAX_TEXT:,} characters"
    return problem.replace("_", " ")


DEFAULT_BEST = 5.0
"""The best rating of a row that states none, without ``--rating-scale``: 5 stars."""


def check_rating_scale(source: ImportSource) -> None:
    """ImportFileError when a rating that states no scale of its own is above 5 stars while
    the import was given no ``--rating-scale``: the file's ratings are on another scale
    (1-10, 0-10, 0-20...), and read as stars its 4/10 would be stored as 4 of 5 while its 8/10
    were refused row by row; importing it again with the scale then found the misread rows
    stored already and left them so. Every row is read (ratings sorted low to high put
    the first 10 on the last line); nothing is stored before."""
    highest: tuple[float, int] | None = None
    with closing(read_rows(source.path, source.encoding, REVIEW_COLUMNS, source.renamed)) as rows:
        for read, (number, row) in enumerate(rows, 1):
            if source.on_rows is not None and read % PROGRESS_ROWS == 0:
                source.on_rows("checking the ratings' scale", read)
            written = {} if isinstance(row, BadRow) else _texts(row)
            if "rating" not in written or "best_rating" in written:
                continue
            try:
                rating, stated_best = _rating(written)
            except ValueError:
                continue  # refused with its line by the import itself
            if rating is None or stated_best is not None or rating <= DEFAULT_BEST:
                continue
            if highest is None or rating > highest[0]:
                highest = (rating, number)
    if highest is not None:
        rating, line = highest
        raise ImportFileError(
            f"{source.path}: ratings go up to {rating:g} (line {line}), above 5 stars, and the "
            "file states no scale: give it with --rating-scale (e.g. 1-10, 0-10, 0-20), or "
            "--rating-scale 1-5 if the file is on 5 stars and the rows above it are mistakes "
            "(nothing was stored)"
        )


FILE_SAMPLE = 2000
"""Rows read for a file's Scandinavian language (``file_scandinavian``)."""


DATE_ORDERS = {"day": "en-GB", "month": "en-US"}
_LEADING_NUMBER = re.compile(r"\s*(\d+)")
"""Which part a file's numeric dates put first -> a tag that orders them so."""


def file_date_order(source: ImportSource, kind: Kind) -> tuple[str, str] | None:
    """("day" or "month", an example) when the numeric dates among the file's first
    ``FILE_SAMPLE`` rows that only one order reads ("13/09/2026": day first) all put that
    part first and some others could be either, else None. A French export wrote "13/09/2026" and
    "01/09/2026" alike: its 13th to 31st were stored and the rest refused as ambiguous
    until --language was given (met by a QA walk). Rows with their own language tag, which
    orders their dates, are left out."""
    columns = REVIEW_COLUMNS if kind == "reviews" else OFFER_COLUMNS
    found: dict[str, str] = {}
    unclear = False
    with closing(read_rows(source.path, source.encoding, columns, source.renamed)) as rows:
        for _, row in islice(rows, FILE_SAMPLE):
            written = {} if isinstance(row, BadRow) else _texts(row)
            raw = written.get("date")
            if not raw or written.get("language") or not is_numeric_date(raw):
                continue
            read = parse_review_date(raw, None)  # None: its order is unclear (or no date)
            leading = _LEADING_NUMBER.match(raw)
            if read is None:
                unclear = unclear or any(parse_review_date(raw, t) for t in DATE_ORDERS.values())
            elif leading is not None and read.day != read.month and "." not in raw:
                # (a dotted date is day first wherever it is written: it tells nothing)
                found.setdefault("day" if int(leading.group(1)) == read.day else "month", raw)
    if len(found) != 1 or not unclear:
        return None
    return next(iter(found.items()))


def file_scandinavian(source: ImportSource) -> str | None:
    """The Scandinavian language the long reviews among the file's first ``FILE_SAMPLE``
    rows agree on (``dominant_scandinavian``): lingua reads 6.7 % of Norwegian reviews cut to
    15 words as Danish, so a Norwegian shop's export imported without ``--language`` stored
    every such review as Danish (without Norwegian aspects, needs or base model). Rows with
    their own language are left out."""
    texts: list[str | None] = []
    with closing(read_rows(source.path, source.encoding, REVIEW_COLUMNS, source.renamed)) as rows:
        for _, row in islice(rows, FILE_SAMPLE):
            written = {} if isinstance(row, BadRow) else _texts(row)
            if written and not written.get("language"):
                texts.append(" ".join(filter(None, [written.get("title"), written.get("text")])))
    return dominant_scandinavian(texts)


def _checked_reviews(
    source: ImportSource, key: bytes | None, report: ImportReport
) -> Iterator[list[tuple[int, ReviewItem]]]:
    """Batches of (line, valid review), names pseudonymised; bad rows go to ``report``."""
    batch: list[tuple[int, ReviewItem]] = []
    build = partial(review_from_row, scale=source.scale, order=source.date_order)
    for number, review in _checked_rows(source, REVIEW_COLUMNS, build, review_problem, report):
        if key is not None:
            review.author_hash = pseudonymize(review.author, key)
        review.author = None
        review.page_language = source.scandinavian
        batch.append((number, review))
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _import_reviews(
    writer: CollectWriter,
    source: ImportSource,
    hint: str | None,
    key: bytes,
    report: ImportReport,
    company: str,
    own: bool,
    cpu_since: CpuSample | None,
) -> None:
    batches = _checked_reviews(source, key, report)
    # Large file, idle core: a child process detects batch k's languages and writes it while
    # this one reads and checks batch k+1 (at most STORE_AHEAD + 1 batches in memory). Until
    # the child has started (about a second), batches are stored here, so its start costs
    # the file no waiting.
    # Otherwise the same loop detects and writes each batch in process, on one core:
    # lingua's threads (the short texts the numpy stages leave it) cost 100-160 MB more
    # peak memory and 10% more CPU for no faster wall time on 50k short reviews.
    large = source.path.stat().st_size >= PIPELINE_MIN_BYTES
    spec = _store_spec(writer, company, own, cpu_since) if large else None
    ahead = STORE_AHEAD if spec is not None else 0
    pending: deque[_Pending] = deque()
    with StoreProcess(writer, hint, spec) as store:
        for batch in batches:
            earlier = [p.keys for p in pending]
            keys: dict[str, tuple[str | None, str | None]] = {}
            keep = [review for _, review in _conflicts(writer, batch, report, earlier, keys)]
            if sum(1 for p in pending if p.stored is not None and not p.stored.done()) >= 2:
                # The child is behind (two batches wait for it): this process detects this
                # batch's languages itself rather than wait idle; the child only writes it.
                assign_languages(keep, hint, parallel=False)
            if not pending and store.starting():
                # The child is not ready yet: this batch is stored here, now.
                store.result(None, keep)
                continue
            pending.append(_Pending(keep, store.submit(keep), keys))
            if len(pending) > ahead:
                _stored(store, pending.popleft())
        while pending:
            _stored(store, pending.popleft())


def _store_spec(
    writer: CollectWriter, company: str, own: bool, cpu_since: CpuSample | None
) -> WriterSpec | None:
    """How a child process opens the importer's writer; None when no child should store:
    a database it cannot share (in-memory SQLite) or no idle core."""
    url = writer.engine.url
    if writer.run_id is None or not dialect_of(url).shares_data_across_connections(url):
        return None
    if not _second_core_free(cpu_since):
        return None
    return WriterSpec(
        db_url=url.render_as_string(hide_password=False),
        company=company,
        source=_source_name(company),
        own=True if own else None,
        holds="both",
        run_id=writer.run_id,
        remember_review_keys=False,
    )


def _source_name(company: str) -> str:
    return f"import:{company}"


IDLE_SHARE_NEEDED = 0.5
"""Share of a core that must be left idle, beside the importer's own, for the detection
process (see ``_second_core_free``)."""


def _second_core_free(since: CpuSample | None, stat_path: Path = PROC_STAT) -> bool:
    """Whether a detection process would have a core of its own: two usable cores (the
    affinity where the system has one, e.g. taskset) of which other processes leave at least
    ``IDLE_SHARE_NEEDED`` idle beside the importer's own core, measured from ``since`` (taken
    when the import began) to now (``spiders.idle_cores``: what the cores do now, not the
    load average's last minute, which kept the child from starting in 2 imports of 3 run
    right after other work). On a busy machine the child only adds its CPU (measured at
    load 3-8 on 2 cores: 200k short reviews in 30.8 s against 22.9 s in one process).
    Without the kernel's counters the load average decides (it counts the importer too)."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    usable = usable or 1
    if usable < 2:
        return False
    others = busy_elsewhere_since(since, stat_path)
    if others is None:
        try:
            return usable - os.getloadavg()[0] >= IDLE_SHARE_NEEDED
        except OSError:  # no load figure either: trust the core count
            return True
    return usable - 1 - others >= IDLE_SHARE_NEEDED


@dataclass
class _Pending:
    """A checked batch being stored."""

    keep: list[ReviewItem]
    stored: Future[BatchResult] | None
    keys: dict[str, tuple[str | None, str | None]]
    """(text, title) of the batch's reviews with an id, by content key (not stored yet)."""


def _stored(store: StoreProcess, batch: _Pending) -> None:
    store.result(batch.stored, batch.keep)


def _conflicts(
    writer: CollectWriter,
    batch: list[tuple[int, ReviewItem]],
    report: ImportReport,
    earlier: list[dict[str, tuple[str | None, str | None]]],
    kept: dict[str, tuple[str | None, str | None]],
) -> Iterator[tuple[int, ReviewItem]]:
    """The batch without rows whose review id the file gave another text before, or the
    database holds with another text that this row is no edit of; those are rejected.
    An edit passes (the writer stores its text) and is counted in ``report.edited``.

    ``earlier``: the ids of checked batches not written yet, oldest first (as if stored);
    ``kept`` receives this batch's (for the batches after it)."""
    with_id = {r.content_key for _, r in batch if r.external_id and r.content_key}
    if not with_id:
        yield from batch
        return
    stored = stored_reviews(writer.engine, writer.company_id, with_id)
    in_file: dict[str, tuple[str | None, str | None]] = {}
    for keys in earlier:
        for content_key in with_id & keys.keys():
            in_file.setdefault(content_key, keys[content_key])
    for number, review in batch:
        key = review.content_key
        if not review.external_id or key is None:
            yield number, review
            continue
        own = (review.text, review.title)
        before = stored.get(key)
        first = in_file.get(key)
        if first is None and before is not None and _stored_by_this_import(before, writer, report):
            first = (before.text, before.title)
        verdict = review_verdict(review, None if first is None else first == own, before)
        if verdict in REFUSED:
            report.reject(number, REFUSED[verdict].format(review.external_id))
            continue
        if verdict == "edit" and before is not None:
            report.edited_reviews.add(before.review_id)
        in_file[key] = kept[key] = own
        yield number, review


Verdict = Literal["new", "repeat", "edit", "other_text_in_file", "other_text_stored"]
"""How an import classes a review row (``review_verdict``)."""
REFUSED: dict[Verdict, str] = {
    "other_text_in_file": "id {!r} is on an earlier line of the file with another text (give "
    "each review its own id)",
    "other_text_stored": "id {!r} is stored already with another text, and neither the "
    "reviewer nor the date says it is an edit of it (give this review its own id)",
}
"""The verdicts that refuse a row, with the reason said (``format`` with the row's id)."""


def review_verdict(
    review: ReviewItem, same_as_earlier: bool | None, before: StoredReview | None
) -> Verdict:
    """How an import classes ``review``, the one rule of the import and of its dry run.

    ``same_as_earlier``: None when no earlier line of the file (nor a review this import
    stored) has its key, else whether that one has the same text and title; ``before``:
    the stored review of its key, if any. An earlier line's review again is a ``repeat``,
    unless the row has an id and another text (``other_text_in_file``); a stored review the
    row does not change is a ``repeat``, one it changes by its reviewer (same id, and the
    same reviewer or date) an ``edit``, any other text under its id ``other_text_stored``;
    else the review is ``new``."""
    if same_as_earlier is not None:
        if review.external_id and not same_as_earlier:
            return "other_text_in_file"
        return "repeat"
    if before is None:
        return "new"
    edit = _edit_of(review, before) if review.external_id else False
    if edit is None:
        return "other_text_stored"
    return "edit" if edit else "repeat"


def _stored_by_this_import(
    before: StoredReview, writer: CollectWriter, report: ImportReport
) -> bool:
    """Whether this import stored (or edited) ``before`` from an earlier line of the file."""
    return (
        before.crawl_run_id is not None and before.crawl_run_id == writer.run_id
    ) or before.review_id in report.edited_reviews


def _edit_of(review: ReviewItem, before: StoredReview) -> bool | None:
    """Whether ``review`` (the same id as the stored ``before``) changes it: True for an edit
    (the writer stores it), False for the same review; None for another text that cannot be
    told an edit: another reviewer, or neither the reviewer nor the date to tell it by (an
    export whose ids are its row numbers would otherwise overwrite other people's reviews)."""
    if (review.text, review.title) == (before.text, before.title):
        return was_edited(review, before)  # a new rating only
    if not was_edited(review, before):
        return None
    same_person = review.author_hash is not None or (
        review.published is not None and review.published == before.published
    )
    return True if same_person else None


def _checked_offers(source: ImportSource, report: ImportReport) -> Iterator[OfferItem]:
    """The valid offers of the file; bad rows go to ``report``."""
    build = partial(offer_from_row, order=source.date_order)
    for _, offer in _checked_rows(source, OFFER_COLUMNS, build, offer_problem, report):
        yield offer


def _import_offers(writer: CollectWriter, source: ImportSource, report: ImportReport) -> None:
    # Offers are written in date order so that history keeps only changes (offer files are
    # price lists and histories, far smaller than review exports: held in memory to sort).
    offers = sorted(
        _checked_offers(source, report),
        key=lambda o: o.observed_at or datetime.max.replace(tzinfo=UTC),
    )
    for start in range(0, len(offers), BATCH):
        writer.write(offers[start : start + BATCH], [])


def _dry_run(
    engine: Engine, source: ImportSource, company: str, kind: Kind, report: ImportReport
) -> None:
    """Every check of a real import, against the database as it is; nothing is written."""
    from sqlmodel import Session

    with Session(engine) as session:
        company_id = session.exec(select(Company.id).where(Company.name == company)).first()
    if kind == "offers":
        # At most: an unchanged price adds no observation.
        report.stored = sum(1 for _ in _checked_offers(source, report))
        return
    # Keys met earlier in the file (8 bytes of each, with 8 of its text's hash), and the
    # identities (8 bytes) of the reviews it would store: the same review under a second
    # product is stored once.
    seen: dict[bytes, bytes] = {}
    identities: set[bytes] = set()
    # The pseudonyms the import would store (to tell an edit by its reviewer); a database
    # without a key yet has no reviewer to match.
    key = existing_pseudonym_key(engine)
    for batch in _checked_reviews(source, key, report):
        stored: dict[str, StoredReview] = {}
        stored_ids: set[str] = set()
        batch_identities = {r.content_key: identity_of(r, r.published) for _, r in batch}
        if company_id is not None:
            stored = stored_reviews(engine, company_id, [r.content_key or "" for _, r in batch])
            stored_ids = stored_identities(
                engine, company_id, [i for i in batch_identities.values() if i]
            )
        for number, review in batch:
            assert review.content_key is not None
            short = bytes.fromhex(review.content_key[:16])
            digest = hashlib.blake2b(
                f"{review.text}\x1f{review.title}".encode(), digest_size=8
            ).digest()
            before = stored.get(review.content_key)
            identity = batch_identities[review.content_key]
            same = None if short not in seen else seen[short] == digest
            verdict = review_verdict(review, same, before)
            if verdict in REFUSED:
                report.reject(number, REFUSED[verdict].format(review.external_id))
                continue
            if same is not None:  # a repeat of an earlier line
                report.duplicates += 1
                continue
            if verdict == "edit" and before is not None:
                report.edited_reviews.add(before.review_id)
            elif verdict == "repeat":
                report.duplicates += 1
            elif identity is not None and (
                identity in stored_ids or bytes.fromhex(identity[:16]) in identities
            ):
                report.duplicates += 1  # the same review under another product
            else:
                report.stored += 1
                if identity is not None:
                    identities.add(bytes.fromhex(identity[:16]))
            seen[short] = digest
