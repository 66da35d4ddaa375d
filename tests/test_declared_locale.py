"""The language tag a page declares takes its region from ``og:locale`` (or the
content-language) when ``<html lang>`` names the same language without one: ``lang="fr"``
with ``og:locale`` ``fr_CA`` is fr-CA, so a price without its currency reads as CAD."""

from __future__ import annotations

import lxml.html
import pytest

from spiders.extract.auto import extract_auto
from spiders.extract.meta import declared_locale, meta_tags

URL = "https://shop.example.com/p/tuque-7"
PRODUCT = (
    '<script type="application/ld+json">{"@context": "https://schema.org", "@type": "Product",'
    ' "name": "Tuque", "offers": {"@type": "Offer", "price": "24.99"}}</script>'
)


def _page(html_attributes: str, head: str) -> str:
    return (
        f"<!doctype html><html {html_attributes}><head>{head}</head>"
        f"<body><h1>Tuque</h1>{PRODUCT}</body></html>"
    )


@pytest.mark.parametrize(
    ("html_attributes", "head", "expected"),
    [
        ('lang="fr"', '<meta property="og:locale" content="fr_CA">', "fr_CA"),
        ('lang="FR"', '<meta property="og:locale" content="fr-ca">', "fr-ca"),
        ('lang="fr"', '<meta name="content-language" content="fr-CH">', "fr-CH"),
        ('lang=" "', '<meta property="og:locale" content="fr_CA">', "fr_CA"),
        # The html lang's own region wins; another language's region is not borrowed.
        ('lang="fr-BE"', '<meta property="og:locale" content="fr_CA">', "fr-BE"),
        ('lang="fr"', '<meta property="og:locale" content="en_US">', "fr"),
        ('lang="fr"', "", "fr"),
        ("", '<meta property="og:locale" content="fr_CA">', "fr_CA"),
    ],
)
def test_declared_locale(html_attributes: str, head: str, expected: str) -> None:
    root = lxml.html.fromstring(_page(html_attributes, head))
    assert declared_locale(root, meta_tags(root)) == expected


def test_a_price_without_currency_reads_in_the_og_locale_region() -> None:
    html = _page('lang="fr"', '<meta property="og:locale" content="fr_CA">')
    result = extract_auto(html, URL)
    assert [(o.price, o.currency) for o in result.offers] == [("24.99", "CAD")]
    assert result.language == "fr"
