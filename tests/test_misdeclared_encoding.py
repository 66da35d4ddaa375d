"""A page whose bytes contradict the encoding it is declared in is read in the bytes' own:
a server's default ``charset=iso-8859-1`` in front of a UTF-8 page stored "Ã¦rlig" for
"ærlig", and a default ``charset=utf-8`` in front of a Windows-1250 page stored "�" for
every Polish letter."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, select

from spiders.extract.auto import extract_auto
from spiders.extract.encoding_check import better_encoding
from storage.db import open_database
from storage.models import CrawlRun, Review
from tests.loopback_site import (
    QuietHandler,
    answer,
    answered_robots,
    crawled,
    serving,
    write_targets,
)

NORWEGIAN = "Kaffen er bitter og vassen – ærlig talt, bortkastede penger."
POLISH = "Bardzo głośny i ciężko go wyczyścić. Jestem rozczarowany."
FRENCH = "Café très amer, déçu."
GERMAN = "Der Kaffee schmeckt bitter, schade ums Geld – nie wieder."


@pytest.mark.parametrize(
    ("body", "declared", "read_as"),
    [
        (NORWEGIAN.encode(), "iso-8859-1", "utf-8"),  # UTF-8 declared Latin-1
        (POLISH.encode(), "windows-1250", "utf-8"),
        (POLISH.encode(), "cp1252", "utf-8"),
        (FRENCH.encode("cp1252"), "iso-8859-1", None),  # truly Latin-1: as declared
        (POLISH.encode("cp1250"), "windows-1250", None),
        (NORWEGIAN.encode(), "utf-8", None),  # right as declared
        (b"plain ASCII text", "iso-8859-1", None),  # nothing to tell
        (NORWEGIAN.encode()[:-1] + "ø".encode()[:1], "latin-1", "utf-8"),  # cut at the end
        (("<p>" + POLISH + "</p>").encode("cp1250"), "utf-8", None),  # no word of its own
        (
            ('<meta charset="windows-1250"><p>' + POLISH + "</p>").encode("cp1250"),
            "utf-8",
            "cp1250",
        ),
        (('<meta charset="utf-8"><p>' + FRENCH + "</p>").encode("cp1252"), "utf-8", None),
        (NORWEGIAN.encode(), None, None),
        (NORWEGIAN.encode(), "no-such-encoding", None),
        (NORWEGIAN.encode("utf-16"), "utf-16", None),
        # UTF-16 without a byte-order mark, whatever it is declared in (or ASCII only)
        (("<p>" + FRENCH + "</p>").encode("utf-16-le"), "utf-8", "utf-16-le"),
        (("<p>" + FRENCH + "</p>").encode("utf-16-be"), "iso-8859-1", "utf-16-be"),
        ("<p>plain ASCII text</p>".encode("utf-16-le"), "utf-8", "utf-16-le"),
        (("<p>" + FRENCH + "</p>").encode("utf-16-le"), "utf-16-le", None),
        (b"<p>a stray \x00 in a UTF-8 page</p>", "utf-8", None),
        # declared UTF-16, but not a zero byte in it
        (("<p>" + FRENCH + "</p>").encode(), "utf-16", "utf-8"),
    ],
)
def test_the_bytes_win_only_where_they_are_sure(
    body: bytes, declared: str | None, read_as: str | None
) -> None:
    assert better_encoding(body, declared) == read_as


def _product(text: str) -> str:
    product = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Kaffe",
        "review": [
            {
                "@type": "Review",
                "reviewBody": text,
                "reviewRating": {"@type": "Rating", "ratingValue": "1"},
            }
        ],
    }
    return f'<script type="application/ld+json">{json.dumps(product, ensure_ascii=False)}</script>'


def test_a_saved_utf8_page_declaring_windows_1252_is_read_as_utf8() -> None:
    page = (
        '<html><head><meta charset="windows-1252">'
        f"{_product(NORWEGIAN)}</head><body><h1>Kaffe</h1></body></html>"
    ).encode()
    assert [review.text for review in extract_auto(page, "http://127.0.0.1/kaffe").reviews] == [
        NORWEGIAN
    ]


PAGES = {
    # path: (Content-Type header, body)
    "/utf8-declared-latin1": (
        "text/html; charset=iso-8859-1",
        f"<html><head>{_product(NORWEGIAN)}</head><body><h1>Kaffe</h1></body></html>".encode(),
    ),
    "/cp1250-declared-utf8": (
        "text/html; charset=utf-8",
        (
            '<html><head><meta charset="windows-1250">'
            f"{_product(POLISH)}</head><body><h1>Kaffe</h1></body></html>"
        ).encode("cp1250"),
    ),
    "/latin1-declared-latin1": (
        "text/html; charset=iso-8859-1",
        f"<html><head>{_product(FRENCH)}</head><body><h1>Kaffe</h1></body></html>".encode(
            "latin-1"
        ),
    ),
    "/utf16-without-mark-declared-utf8": (
        "text/html; charset=utf-8",
        f"<html><head>{_product(GERMAN)}</head><body><h1>Kaffe</h1></body></html>".encode(
            "utf-16-le"
        ),
    ),
}


class _Handler(QuietHandler):
    def do_GET(self) -> None:
        if answered_robots(self):
            return
        if self.path in PAGES:
            content_type, body = PAGES[self.path]
            answer(self, 200, {"Content-Type": content_type}, body)
        else:
            answer(self, 404, {"Content-Type": "text/plain"}, b"no such page")


@pytest.fixture
def site() -> Iterator[str]:
    with serving(_Handler) as (_, url):
        yield url


def test_a_crawl_stores_the_letters_the_reviewers_typed(tmp_path: Path, site: str) -> None:
    write_targets(tmp_path, [f"{site}{path}" for path in PAGES])
    engine = open_database(crawled(tmp_path))
    with Session(engine) as session:
        stored = set(session.exec(select(Review.text)).all())
        problems = session.exec(select(CrawlRun.fetch_problems)).one()
    engine.dispose()
    assert stored == {NORWEGIAN, POLISH, FRENCH, GERMAN}
    assert problems.get("encoding_corrected") == 3  # the Latin-1 page was right as declared
