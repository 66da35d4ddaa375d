"""Imports a company's own reviews or offers from CSV or JSON lines.

Rows go through the same normalisation, validation, pseudonymisation, language and
de-duplication as crawled items, so imported and crawled data compare like for like.
Good rows are stored, bad rows are reported with their line number and reason, and
importing the same file again adds nothing.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any, Literal

from sqlalchemy import Engine

from spiders.items import OfferItem, ReviewItem
from spiders.keys import review_content_key
from spiders.normalize import is_numeric_date, parse_review_date
from spiders.pipelines.language import assign_languages, normalize_language_code
from spiders.pipelines.normalize import normalize_offer, normalize_review
from spiders.pipelines.validate import offer_problem, review_problem
from storage.pseudonym import pseudonym_key, pseudonymize
from storage.writer import CollectWriter, RunFigures

Kind = Literal["reviews", "offers"]
REVIEW_COLUMNS = (
    "text",
    "rating",
    "best_rating",
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
BATCH = 1000


class ImportFileError(Exception):
    """The file cannot be imported at all (unreadable, unknown format, no usable columns)."""


@dataclass
class ImportReport:
    """What an import did."""

    kind: Kind
    rows: int = 0
    stored: int = 0
    """New reviews, or offer observations written (first sight or a change)."""
    duplicates: int = 0
    """Rows already in the database (or repeated in the file)."""
    bad: list[tuple[int, str]] = field(default_factory=list)
    """(line number, reason) of rejected rows."""


def _read_rows(path: Path, encoding: str) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise ImportFileError(f"{path} not found") from None
    except IsADirectoryError:
        raise ImportFileError(f"{path} is a folder, not a CSV or JSON-lines file") from None
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise ImportFileError(
            f"{path} is not {encoding} text (byte {raw[exc.start]:#x} at offset {exc.start}); "
            "re-save it as UTF-8 or pass --encoding (e.g. cp1250, latin-1)"
        ) from None
    text = text.removeprefix("\ufeff")
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, {"__error__": f"not valid JSON ({exc.msg} at column {exc.colno})"}
                continue
            if not isinstance(value, dict):
                yield number, {"__error__": "a JSON line must be an object"}
                continue
            yield number, value
    elif path.suffix.lower() in (".csv", ".tsv", ".txt"):
        dialect: Any = "excel-tab" if path.suffix.lower() == ".tsv" else "excel"
        if path.suffix.lower() != ".tsv":
            try:
                dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
            except csv.Error:
                dialect = "excel"
        reader = csv.DictReader(io.StringIO(text), dialect=dialect)
        if not reader.fieldnames:
            raise ImportFileError(f"{path} has no header line")
        reader.fieldnames = [(name or "").strip().lower() for name in reader.fieldnames]
        for row in reader:
            yield reader.line_num, {k: v for k, v in row.items() if k}
    else:
        raise ImportFileError(
            f"{path}: use a .csv, .tsv or .jsonl file (JSON lines: one object per line)"
        )


def _text(row: dict[str, Any], name: str) -> str | None:
    value = row.get(name)
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def _number(row: dict[str, Any], name: str) -> float | None:
    value = _text(row, name)
    if value is None:
        return None
    try:
        return float(value.replace(",", "."))
    except ValueError:
        raise ValueError(f"{name} {value!r} is not a number") from None


def _date_problem(raw: str) -> str:
    if is_numeric_date(raw):
        # "03/12/2024" is March or December depending on the country: never guess
        return f"date {raw!r} is ambiguous (day/month order); write it as YYYY-MM-DD"
    return f"date {raw!r} is not a date"


def review_from_row(row: dict[str, Any]) -> ReviewItem:
    """A normalised review from an import row; ValueError says what is wrong."""
    if not _text(row, "text"):
        raise ValueError("text is empty (the text column is required)")
    rating = _number(row, "rating")
    best = _number(row, "best_rating") or 5.0
    language = normalize_language_code(_text(row, "language"))
    review = ReviewItem(
        text=_text(row, "text"),
        title=_text(row, "title"),
        rating=rating,
        best_rating=best if rating is not None else None,
        date_raw=_text(row, "date"),
        author=_text(row, "author"),
        region=_text(row, "region"),
        external_id=_text(row, "id"),
        product_name=_text(row, "product"),
        language=language,
        language_source="import" if language else None,
    )
    normalize_review(review)
    if review.date_raw and review.published is None:
        raise ValueError(_date_problem(review.date_raw))
    review.content_key = review_content_key(
        external_id=review.external_id,
        text=review.text,
        title=review.title,
        rating_raw=review.rating,
        date_raw=review.date_raw,
        author=review.author,
        product=review.product_name,
    )
    return review


def offer_from_row(row: dict[str, Any]) -> OfferItem:
    """A normalised offer from an import row; ValueError says what is wrong."""
    name = _text(row, "product")
    if not name and not _text(row, "sku") and not _text(row, "gtin"):
        raise ValueError("product is empty (give product, sku or gtin)")
    price_text = _text(row, "price")
    offer = OfferItem(
        url=_text(row, "url") or "",
        name=name,
        price_raw=price_text,
        currency_raw=_text(row, "currency"),
        currency=(_text(row, "currency") or "").upper() or None,
        availability_raw=_text(row, "availability"),
        sku=_text(row, "sku"),
        gtin=_text(row, "gtin"),
        plan=_text(row, "plan"),
    )
    normalize_offer(offer)
    if price_text and offer.price is None and offer.price_problem is None:
        raise ValueError(f"price {price_text!r} is not a price")
    date_text = _text(row, "date")
    if date_text:
        day = parse_review_date(date_text)
        if day is None:
            raise ValueError(_date_problem(date_text))
        offer.observed_at = datetime.combine(day, time(12), tzinfo=UTC)
    return offer


def infer_kind(path: Path, encoding: str) -> Kind:
    """``reviews`` if the first row has a text column, ``offers`` if it has price/product."""
    for _, row in _read_rows(path, encoding):
        if "__error__" in row:
            continue
        if "text" in row:
            return "reviews"
        if "price" in row or "product" in row:
            return "offers"
        break
    raise ImportFileError(
        f"cannot tell whether {path} holds reviews (needs a 'text' column) or offers "
        "('product' and 'price'); pass --kind"
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
) -> ImportReport:
    """Import one file for ``company``; see the module docstring."""
    kind = kind or infer_kind(path, encoding)
    report = ImportReport(kind=kind)
    writer = CollectWriter(
        engine,
        company=company,
        own=True if own else None,
        source=f"import:{company}",
        kind="import",
        holds="both",
    )
    key = pseudonym_key(engine)
    writer.start_run()
    reviews: list[ReviewItem] = []
    offers: list[OfferItem] = []
    status = "failed"
    try:
        for number, row in _read_rows(path, encoding):
            report.rows += 1
            if "__error__" in row:
                report.bad.append((number, row["__error__"]))
                continue
            try:
                if kind == "reviews":
                    review = review_from_row(row)
                    problem = review_problem(review)
                    if problem is None:
                        review.author_hash = pseudonymize(review.author, key)
                        review.author = None
                        reviews.append(review)
                else:
                    offer = offer_from_row(row)
                    problem = offer_problem(offer)
                    if problem is None:
                        offers.append(offer)
            except ValueError as exc:
                problem = str(exc)
            if problem is not None:
                report.bad.append((number, problem.replace("_", " ")))
            if len(reviews) >= BATCH:
                _flush(writer, [], reviews, language_hint)
                reviews = []
        # Offers are written in date order so that history keeps only changes.
        offers.sort(key=lambda o: o.observed_at or datetime.max.replace(tzinfo=UTC))
        _flush(writer, offers, reviews, language_hint)
        status = "finished"
    finally:
        reasons: dict[str, int] = {}
        for _, reason in report.bad:
            # Group by the kind of problem, not by the offending value.
            label = re.sub(r"'[^']*'|\(.*\)", "…", reason).strip()
            reasons[label] = reasons.get(label, 0) + 1
        writer.finish_run(
            status,
            "finished" if status == "finished" else "error",
            RunFigures(items_dropped=len(report.bad), dropped_reasons=reasons),
        )
    if kind == "reviews":
        report.stored = writer.reviews_new
        report.duplicates = writer.reviews_seen - writer.reviews_new
    else:
        report.stored = writer.offers_changed
        report.duplicates = writer.offers_seen - writer.offers_changed
    return report


def _flush(
    writer: CollectWriter, offers: list[OfferItem], reviews: list[ReviewItem], hint: str | None
) -> None:
    assign_languages(reviews, hint)
    writer.write(offers, reviews)
