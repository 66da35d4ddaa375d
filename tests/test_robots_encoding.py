"""robots.txt is read in the encoding it is written in (``spiders.robots_rules.robots_text``):
Scrapy's parser read UTF-8 only and dropped the rest, so a robots.txt saved as UTF-16 read
as no rules (everything allowed) and a Latin-1 path lost its letter."""

from __future__ import annotations

import pytest

from spiders.robots_rules import EncodedRobotsParser, robots_text

RULES = "User-agent: *\nDisallow: /privat-ø/\nDisallow: /konto/\n"
AGENT = "rivalscope/1.0"


@pytest.mark.parametrize(
    "body",
    [
        RULES.encode("utf-8"),
        RULES.encode("utf-8-sig"),
        RULES.encode("utf-16"),  # with its byte order mark, as Windows saves "Unicode"
        RULES.encode("utf-16-be"),  # no mark: told by its zero bytes
        RULES.encode("utf-16-le"),
        RULES.encode("utf-32"),
        RULES.encode("latin-1"),
        RULES.encode("cp1252"),
    ],
    ids=["utf-8", "utf-8 bom", "utf-16", "utf-16-be", "utf-16-le", "utf-32", "latin-1", "cp1252"],
)
def test_rules_are_read_in_the_files_encoding(body: bytes) -> None:
    assert robots_text(body) == RULES
    rules = EncodedRobotsParser(body, None)
    assert not rules.allowed("http://shop.test/konto/1", AGENT)
    assert not rules.allowed("http://shop.test/privat-%C3%B8/x", AGENT)
    assert not rules.allowed("http://shop.test/privat-ø/x", AGENT)
    assert rules.allowed("http://shop.test/privat-/x", AGENT)
    assert rules.allowed("http://shop.test/p/1", AGENT)


def test_utf8_text_with_one_stray_byte_keeps_its_utf8_letters() -> None:
    body = "Disallow: /ø/\n".encode() + b"# caf\xe9\n"
    assert robots_text(body) == "Disallow: /ø/\n# café\n"
