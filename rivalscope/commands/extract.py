"""``rivalscope extract``: run auto extraction on one saved page and print JSON."""

from __future__ import annotations

import gzip
import json
import re
import zlib
from dataclasses import asdict, replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from settings.user_errors import UserError
from spiders.extract.layers import layer_names

if TYPE_CHECKING:
    from settings.records import AggregateRatingItem, OfferItem, PageExtraction, ReviewItem

OFFER_FIELDS = ("name", "price", "currency", "availability", "sku", "gtin", "mpn", "brand", "category", "image", "price_raw", "availability_raw", "variant_sku", "size", "colour", "listing")  # fmt: skip
REVIEW_FIELDS = ("rating", "best_rating", "worst_rating", "rating_normalized", "title", "text", "language", "external_id", "product_name", "product_sku")  # fmt: skip


def read_page(path: Path) -> bytes:
    """Bytes of a ``.html`` or ``.html.gz`` file; UserError if it cannot be read."""
    try:
        if path.exists() and not path.is_dir() and not path.is_file():  # /dev/zero never ends
            raise UserError(f"{path} is not a regular file; give one .html or .html.gz file")
        data = path.read_bytes()
    except FileNotFoundError:
        raise UserError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise UserError(f"{path} is a folder; give one .html or .html.gz file") from None
    except OSError as exc:
        raise UserError(f"{path}: cannot read ({exc.strerror})") from None
    if data[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as exc:
            raise UserError(f"{path}: broken gzip file ({exc})") from None
    return data


def page_file(argument: str) -> Path:
    """The saved page ``argument`` names; UserError for a web address, which extract does
    not fetch (as a path it folded to "https:/..." and read "no such file")."""
    if re.match(r"https?://", argument, re.IGNORECASE):
        raise UserError(
            f"{argument[:200]} is a web address: extract reads a saved page (curl -o page.html "
            "URL, then rivalscope extract page.html --url URL); to read the live page as a "
            "crawl does: rivalscope targets check SOURCE --url URL, or targets detect URL"
        )
    return Path(argument)


def check_page_url(url: str, option: str = "--url") -> str:
    """``url`` if it is an absolute http(s) URL with a host; UserError (one line) otherwise,
    in the words the targets file's URLs get (``settings.written_urls.http_url``): relative
    links, currency hints and review ids are all read against it."""
    from settings.written_urls import http_url

    try:
        http_url(url)
    except ValueError as exc:
        raise UserError(f"{option} {exc}") from None
    return url


def _offer(offer: OfferItem, explain: bool) -> dict[str, Any]:
    out: dict[str, Any] = {name: getattr(offer, name) for name in OFFER_FIELDS}
    out["parent"] = asdict(offer.parent) if offer.parent is not None else None
    if explain:
        out["explain"] = offer.explain
    return out


def _review(review: ReviewItem, explain: bool) -> dict[str, Any]:
    out: dict[str, Any] = {name: getattr(review, name) for name in REVIEW_FIELDS}
    # The date as read; its text as found only with --explain: an unread date line is often
    # a byline ("Lena, Umeå, last winter") that names the reviewer.
    out["date"] = review.published.isoformat() if review.published else None
    if explain:
        # Only with --explain, which a user asks for to debug one page.
        out["author"] = review.author
        out["date_raw"] = review.date_raw
        out["explain"] = review.explain
    return out


def _rating(rating: AggregateRatingItem | None, explain: bool) -> dict[str, Any] | None:
    if rating is None:
        return None
    out = asdict(rating)
    if not explain:
        out.pop("explain")
    return out


def page_document(page: PageExtraction, *, explain: bool = False) -> dict[str, Any]:
    """The JSON document ``rivalscope extract`` prints for one page."""
    return {
        "url": page.url,
        "language": page.language,
        "offers": [_offer(offer, explain) for offer in page.offers],
        "aggregate_rating": _rating(page.aggregate_rating, explain),
        "reviews": [_review(review, explain) for review in page.reviews],
        "next_page": page.next_page,
        "warnings": page.warnings,
    }


def _without_file_url(offer: OfferItem) -> OfferItem:
    if offer.url and offer.url.startswith("file:"):
        return replace(offer, url="")
    return offer


def register(app: typer.Typer) -> None:
    @app.command("extract")
    def extract(
        file: Annotated[
            str,
            typer.Argument(
                help="Saved page: .html or .html.gz, any encoding (a file, not a URL).",
                show_default=False,
            ),
        ],
        url: Annotated[
            str | None,
            typer.Option(help="The page's original URL (makes links absolute, hints currency)."),
        ] = None,
        explain: Annotated[
            bool,
            typer.Option(help=f"Add the source layer of every field ({layer_names()})."),
        ] = False,
    ) -> None:
        """Print the offers, ratings, reviews and next page auto extraction finds in a saved page.

        Example: rivalscope extract page.html.gz --url https://shop.example/p/123 --explain
        """
        from spiders.extract.auto import extract_auto  # here: keeps CLI start-up light

        if url is not None:  # --url "" (an unset variable) is a mistake too
            check_page_url(url)
        from settings.visible_text import visible_json
        from spiders.pipelines.stages import refusal_warnings

        path = page_file(file)
        page = extract_auto(read_page(path), url or path.resolve().as_uri())
        # Without --url the offers carry the file's own file:// address, which a crawl
        # never sees: checked as a crawl would check them, they are addressless.
        checked = page.offers if url else [_without_file_url(o) for o in page.offers]
        page.warnings += refusal_warnings(checked, page.reviews)
        # Bidi overrides in scraped text as JSON escapes: the same text to a JSON reader.
        document = json.dumps(page_document(page, explain=explain), ensure_ascii=False, indent=2)
        typer.echo(visible_json(document))
