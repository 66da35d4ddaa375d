"""Auto extraction on small hand-written pages: every layer, broken markup, reviews, paging."""

from __future__ import annotations

from datetime import date

import pytest

from settings.records import PageExtraction
from spiders.extract.auto import extract_auto
from spiders.extract.jsonld import parse_jsonld_block

URL = "https://shop.example.com/p/widget-123"


def page(body: str, head: str = "", lang: str = "en") -> str:
    return f'<!doctype html><html lang="{lang}"><head>{head}</head><body>{body}</body></html>'


def ld(json_text: str) -> str:
    return f'<script type="application/ld+json">{json_text}</script>'


def extract(html: str | bytes, url: str = URL) -> PageExtraction:
    result = extract_auto(html, url)
    assert not any(w.startswith("extraction failed") for w in result.warnings), result.warnings
    return result


PRODUCT_LD = """{"@context": "https://schema.org", "@type": "Product", "name": "Widget",
 "sku": "W-123", "gtin13": "4006381333931", "brand": {"@type": "Brand", "name": "Acme"},
 "offers": {"@type": "Offer", "price": "1299.00", "priceCurrency": "NOK",
            "availability": "https://schema.org/OutOfStock"}}"""

OFFER_CASES = [
    pytest.param(
        page("<h1>Widget</h1>", ld(PRODUCT_LD)),
        "1299.00",
        "NOK",
        "OutOfStock",
        "W-123",
        "json-ld",
        id="json-ld",
    ),
    pytest.param(
        page(
            "",
            ld(
                '{"@context":"https://schema.org","@graph":[{"@type":"WebPage","name":"x"},'
                '{"@type":"Product","name":"G","sku":"G1","offers":{"@type":"Offer",'
                '"price":19.5,"priceCurrency":"EUR","availability":"InStock"}}]}'
            ),
        ),
        "19.5",
        "EUR",
        "InStock",
        "G1",
        "json-ld",
        id="json-ld-graph",
    ),
    pytest.param(
        page(
            "",
            ld(
                '{"@type":"Product","name":"V","offers":{"@type":"AggregateOffer",'
                '"lowPrice":"9.99","highPrice":"19.99","priceCurrency":"GBP"}}'
            ),
        ),
        "9.99",
        "GBP",
        None,
        None,
        "json-ld",
        id="aggregate-offer-low-price",
    ),
    pytest.param(
        page(
            "",
            ld(
                '{"@type":"Product","name":"V","sku":"V0","offers":['
                '{"@type":"Offer","sku":"V1","price":"10.00","priceCurrency":"EUR"},'
                '{"@type":"Offer","sku":"V2","price":"12.00","priceCurrency":"EUR"}]}'
            ),
        ),
        "10.00",
        "EUR",
        None,
        "V0",
        "json-ld",
        id="several-offers-variants-product-code",
    ),
    pytest.param(
        page(
            "",
            ld(
                '{"@type":"Product","name":"S","offers":{"@type":"Offer","priceSpecification":'
                '[{"@type":"UnitPriceSpecification","priceType":"https://schema.org/ListPrice",'
                '"price":50,"priceCurrency":"EUR"},{"@type":"UnitPriceSpecification",'
                '"price":40,"priceCurrency":"EUR"}]}}'
            ),
        ),
        "40",
        "EUR",
        None,
        None,
        "json-ld",
        id="price-specification-not-list-price",
    ),
    pytest.param(
        page(
            '<div itemscope itemtype="http://schema.org/Product"><h1 itemprop="name">M</h1>'
            '<span itemprop="sku">M-9</span><div itemprop="offers" itemscope '
            'itemtype="http://schema.org/Offer"><span itemprop="price" content="99.90">99,90 zł</span>'
            '<meta itemprop="priceCurrency" content="PLN">'
            '<link itemprop="availability" href="http://schema.org/InStock"></div></div>'
        ),
        "99.90",
        "PLN",
        "InStock",
        "M-9",
        "microdata",
        id="microdata",
    ),
    pytest.param(
        page(
            '<div vocab="https://schema.org/" typeof="Product"><h1 property="name">R</h1>'
            '<span property="sku">R-1</span><div property="offers" typeof="Offer">'
            '<span property="price" content="5.50">5,50 €</span>'
            '<meta property="priceCurrency" content="EUR">'
            '<link property="availability" href="https://schema.org/InStock"></div></div>'
        ),
        "5.50",
        "EUR",
        "InStock",
        "R-1",
        "rdfa",
        id="rdfa",
    ),
    pytest.param(
        page(
            "<h1>O</h1>",
            '<meta property="og:title" content="O">'
            '<meta property="product:price:amount" content="249.00">'
            '<meta property="product:price:currency" content="SEK">'
            '<meta property="product:availability" content="in stock">'
            '<meta property="product:retailer_item_id" content="O-7">',
        ),
        "249.00",
        "SEK",
        "InStock",
        "O-7",
        "opengraph",
        id="opengraph-product-meta",
    ),
    pytest.param(
        page(
            '<h1>Loose</h1><span itemprop="price" content="15.00">15 €</span>'
            '<span itemprop="sku">L-5</span>'
        ),
        "15.00",
        None,
        None,
        "L-5",
        "microdata",
        id="itemprop-outside-any-item",
    ),
]


@pytest.mark.parametrize(("html", "price", "currency", "availability", "sku", "layer"), OFFER_CASES)
def test_offer_layers(
    html: str,
    price: str,
    currency: str | None,
    availability: str | None,
    sku: str | None,
    layer: str,
) -> None:
    offer = extract(html).offers[0]
    assert (offer.price, offer.currency, offer.availability, offer.sku) == (
        price,
        currency,
        availability,
        sku,
    )
    assert offer.explain["price"] == layer


def test_json_ld_beats_microdata_and_fields_merge() -> None:
    html = page(
        '<div itemscope itemtype="http://schema.org/Product"><span itemprop="name">Widget</span>'
        '<span itemprop="mpn">MP-1</span><span itemprop="price" content="1.00"></span></div>',
        ld(PRODUCT_LD),
    )
    offer = extract(html).offers[0]
    assert offer.price == "1299.00" and offer.explain["price"] == "json-ld"
    assert offer.mpn == "MP-1" and offer.explain["mpn"] == "microdata"
    assert (offer.gtin, offer.brand) == ("4006381333931", "Acme")


BROKEN_JSONLD = [
    pytest.param(
        '{"@type":"Product","name":"T","offers":{"@type":"Offer","price":"7.00",},}',
        id="trailing-commas",
    ),
    pytest.param(
        '<!-- {"@type":"Product","name":"T","offers":{"@type":"Offer","price":"7.00"}} -->',
        id="html-comment",
    ),
    pytest.param(
        "{&quot;@type&quot;:&quot;Product&quot;,&quot;name&quot;:&quot;T&quot;,&quot;offers&quot;:{&quot;@type&quot;:&quot;Offer&quot;,&quot;price&quot;:&quot;7.00&quot;}}",
        id="html-entities",
    ),
    pytest.param(
        '/* generated */\n{"@type":"Product",\n// comment line\n"name":"T","offers":{"@type":"Offer","price":"7.00"}}',
        id="js-comments",
    ),
    pytest.param(
        '{"@type":"WebSite","name":"s"}\n{"@type":"Product","name":"T","offers":{"@type":"Offer","price":"7.00"}}',
        id="two-objects-one-block",
    ),
    pytest.param(
        '{"@type":"Product","name":"T\nline","offers":{"@type":"Offer","price":"7.00"}}',
        id="raw-newline-in-string",
    ),
]


@pytest.mark.parametrize("block", BROKEN_JSONLD)
def test_broken_json_ld_is_repaired(block: str) -> None:
    offer = extract(page("", ld(block))).offers[0]
    assert offer.price == "7.00"


def test_hopeless_json_ld_is_a_warning_and_other_blocks_still_count() -> None:
    html = page("", ld('{"@type": "Product", "name": ') + ld(PRODUCT_LD))
    result = extract(html)
    assert result.offers[0].price == "1299.00"
    assert any("JSON-LD" in w for w in result.warnings)


@pytest.mark.parametrize(
    "html",
    [
        "",
        b"",
        "   ",
        "<html><body><div><span>unclosed",
        b"\x00\x01\x02\xff\xfe binary",
        "<<<>>>&&&",
        "<html><body>" + "<div>" * 3000 + "deep" + "</div>" * 3000 + "</body></html>",
    ],
)
def test_malformed_input_never_raises(html: str | bytes) -> None:
    result = extract_auto(html, URL)
    assert isinstance(result, PageExtraction)
    assert not any(w.startswith("extraction failed") for w in result.warnings)


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        ('<html><head><meta charset="iso-8859-1"></head><body><h1>Crème brûlée</h1>', None),
        ("\ufeff<html><body><h1>Crème brûlée</h1>", None),
        ("<html><body><h1>Crème brûlée</h1>", "cp1252"),
    ],
)
def test_encodings(raw: str, encoding: str | None) -> None:
    codec = "utf-8-sig" if raw.startswith("\ufeff") else "latin-1"
    html = (
        raw + '<meta property="og:title" content="Crème brûlée"><span itemprop="price">3,50</span>'
    )
    data = html.lstrip("\ufeff").encode(codec)
    result = extract_auto(data, URL, encoding=encoding)
    assert result.offers[0].name == "Crème brûlée"


HEURISTIC_CASES = [
    pytest.param(
        '<h1>Lamp</h1><div class="price"><del>59,00 €</del> <span class="price-now">49,00 €</span></div>',
        "49.00",
        "EUR",
        id="struck-through-old-price-skipped",
    ),
    pytest.param(
        '<h1>Rice</h1><div class="product-price">£12</div><div class="unit-price">£2.40 / kg</div>',
        "12",
        "GBP",
        id="unit-price-skipped",
    ),
    pytest.param(
        '<h1>TV</h1><p class="price">$1,299.99</p><p class="instalments">or $108.33 / month</p>',
        "1299.99",
        "USD",
        id="instalment-skipped",
    ),
    pytest.param(
        '<header><span class="price">9 €</span></header><h1>Chair</h1><span class="price">'
        '<span class="old"></span>149,00 €</span><footer><span class="price">1 €</span></footer>',
        "149.00",
        "EUR",
        id="header-footer-skipped-and-child-tail-read",
    ),
    pytest.param(
        '<h1>Ski</h1><span class="price">1 099,-</span>',
        "1099",
        "NOK",
        id="norwegian-dash",
    ),
]


def test_no_price_from_a_data_attribute_alone() -> None:
    """A price-named data attribute the page does not show is no price (the first one
    anywhere is as often a related product's or a variant's); it only supports a shown one."""
    body = '<h1>Box</h1><div class="related" data-price-cents="12999">Other box</div>'
    offers = extract(page(body), "https://shop.example.no/p/1").offers
    assert all(o.price is None for o in offers)


@pytest.mark.parametrize(("body", "price", "currency"), HEURISTIC_CASES)
def test_heuristic_price(body: str, price: str, currency: str) -> None:
    offer = extract(page(body), "https://shop.example.no/p/1").offers[0]
    assert (offer.price, offer.currency) == (price, currency)
    assert offer.explain["price"] == "heuristic"


@pytest.mark.parametrize(
    ("body", "availability"),
    [
        (
            '<h1>A</h1><span class="price">5 €</span><div id="availability">Currently unavailable.</div>',
            "OutOfStock",
        ),
        (
            '<h1>A</h1><span class="price">5 €</span><p class="stock-status">Ikke på lager</p>',
            "OutOfStock",
        ),
        (
            '<h1>A</h1><span class="price">5 €</span><button>Dodaj do koszyka</button>',
            "InStock",
        ),
        (
            '<h1>A</h1><span class="price">5 €</span><div class="unavailable hidden">Sold out</div>',
            None,
        ),
    ],
)
def test_heuristic_availability(body: str, availability: str | None) -> None:
    assert extract(page(body)).offers[0].availability == availability


@pytest.mark.parametrize(
    ("url", "body", "sku"),
    [
        (
            "https://s.example.com/dp/B07FW264WL",
            '<h1>A</h1><span class="price">$5</span><p>B07FW264WL</p><a href="/dp/B07FW264WL#r">r</a>',
            "B07FW264WL",
        ),
        (  # form inputs hold variant and cart ids as often as the product's: not read
            "https://s.example.com/item/1",
            '<h1>A</h1><span class="price">$5</span><input type="hidden" name="sku" value="AB-991">',
            None,
        ),
        (  # the script state's object named like the product
            "https://s.example.com/item/1",
            '<h1>Kettle</h1><span class="price">$5</span><script>var state = {"items": ['
            '{"name": "Mug", "sku": "MG-1"}, {"name": "Kettle", "sku": "KT-77"}]};</script>',
            "KT-77",
        ),
        (
            "https://s.example.com/item/1",
            '<h1>A</h1><span class="price">$5</span><span>SKU: XY-42</span>',
            "XY-42",
        ),
    ],
)
def test_heuristic_sku(url: str, body: str, sku: str | None) -> None:
    assert extract(page(body), url).offers[0].sku == sku


REVIEWS_LD = """{"@context":"https://schema.org","@type":"Product","name":"Widget","sku":"W-123",
 "aggregateRating":{"@type":"AggregateRating","ratingValue":"4,5","reviewCount":"1 234"},
 "review":[{"@type":"Review","reviewBody":"Très bien","name":"Top","inLanguage":"fr",
            "datePublished":"2021-03-04T10:00:00+01:00","author":{"@type":"Person","name":"Ann"},
            "reviewRating":{"@type":"Rating","ratingValue":"8","bestRating":"10","worstRating":"0"}},
           {"@type":"Review","reviewBody":"Meh","datePublished":"4 mars 2021",
            "reviewRating":{"@type":"Rating","ratingValue":"2"}}]}"""


def test_reviews_nested_in_product() -> None:
    result = extract(page("", ld(REVIEWS_LD)))
    first, second = result.reviews
    assert (first.text, first.title, first.language) == ("Très bien", "Top", "fr")
    assert (first.rating, first.best_rating, first.worst_rating) == (8.0, 10.0, 0.0)
    assert first.rating_normalized == 0.8
    assert first.published == date(2021, 3, 4) and first.author == "Ann"
    assert (first.product_name, first.product_sku) == ("Widget", "W-123")
    assert (second.best_rating, second.worst_rating, second.rating_normalized) == (5.0, 1.0, 0.25)
    assert second.date_raw == "4 mars 2021" and second.published == date(2021, 3, 4)
    rating = result.aggregate_rating
    assert rating is not None
    assert (rating.rating_value, rating.best_rating, rating.review_count) == (4.5, 5.0, 1234)


def test_standalone_microdata_review_with_item_reviewed_and_lang() -> None:
    html = page(
        '<div itemscope itemtype="https://schema.org/Review" lang="pl" itemid="r-77">'
        '<div itemprop="itemReviewed" itemscope itemtype="https://schema.org/Product">'
        '<span itemprop="name">Czajnik</span></div>'
        '<div itemprop="reviewRating" itemscope itemtype="https://schema.org/Rating">'
        '<span itemprop="ratingValue">4</span></div>'
        '<time itemprop="datePublished" datetime="2022-01-31">31 stycznia</time>'
        '<p itemprop="reviewBody">Dobry   produkt</p></div>'
    )
    (review,) = extract(html).reviews
    assert (review.text, review.rating, review.language) == ("Dobry produkt", 4.0, "pl")
    assert (review.product_name, review.external_id) == ("Czajnik", "r-77")
    assert review.published == date(2022, 1, 31) and review.explain["text"] == "microdata"


@pytest.mark.parametrize(
    ("rating", "best", "worst", "expected_scale", "normalized"),
    [
        ("4", None, None, (5.0, 1.0), 0.75),
        ("9", None, None, (10.0, 0.0), 0.9),
        ("85", None, None, (100.0, 0.0), 0.85),
        ("3", "3", "1", (3.0, 1.0), 1.0),
        ("80%", None, None, (100.0, 0.0), 0.8),
        ("4/5", None, None, (5.0, 1.0), 0.75),
    ],
)
def test_rating_scale(
    rating: str,
    best: str | None,
    worst: str | None,
    expected_scale: tuple[float, float],
    normalized: float,
) -> None:
    rating_json = f'"ratingValue":"{rating}"'
    if best:
        rating_json += f',"bestRating":"{best}"'
    if worst:
        rating_json += f',"worstRating":"{worst}"'
    html = page("", ld(f'{{"@type":"Review","reviewBody":"x","reviewRating":{{{rating_json}}}}}'))
    (review,) = extract(html).reviews
    assert (review.best_rating, review.worst_rating) == expected_scale
    assert review.rating_normalized == normalized


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ('<link rel="next" href="/reviews?page=2">', "https://shop.example.com/reviews?page=2"),
        ('<a rel="next" href="?p=3">more</a>', "https://shop.example.com/p/widget-123?p=3"),
        (
            '<nav><a href="/r/1">1</a><a href="/r/2">Suivant</a></nav>',
            "https://shop.example.com/r/2",
        ),
        ('<a href="/r/2">Następna</a>', "https://shop.example.com/r/2"),
        ('<a href="/r/2">Neste</a>', "https://shop.example.com/r/2"),
        ('<a href="/r/2">Weiter</a>', "https://shop.example.com/r/2"),
        ('<a href="/r/2">»</a>', "https://shop.example.com/r/2"),
        ('<a href="/r/2" aria-label="Next page"><svg></svg></a>', "https://shop.example.com/r/2"),
        ('<a href="/r/2" class="pagination__next"><i></i></a>', "https://shop.example.com/r/2"),
        ('<a href="/r/2" class="next disabled">›</a>', None),
        ('<a href="/about">About us</a>', None),
    ],
)
def test_next_page(markup: str, expected: str | None) -> None:
    assert extract(page(markup)).next_page == expected


def test_page_language() -> None:
    assert extract(page("<p>x</p>", lang="nb-NO")).language == "no"


def test_json_ld_block_parser_fast_path_has_no_warning() -> None:
    objects, warning = parse_jsonld_block('{"@type": "Thing"}')
    assert objects == [{"@type": "Thing"}] and warning is None


def listing(cards: int) -> str:
    card = '<div class="product-card"><a href="/p/{n}">Item {n}</a><span class="price">{n}9,00 €</span></div>'  # fmt: skip
    return "<h1>Kettles</h1>" + "".join(card.format(n=n) for n in range(1, cards + 1))


@pytest.mark.parametrize("cards", [1, 2, 3, 12])
def test_no_heuristic_offer_on_listing_pages(cards: int) -> None:
    """Cards whose title links to the product: a listing however few, never a product
    named after the page heading; each card an offer flagged as listing data."""
    found = extract(page(listing(cards)), "https://shop.example.de/c/kettles").offers
    assert [(o.name, o.price, o.currency, o.url, o.listing) for o in found] == [
        (f"Item {n}", f"{n}9.00", "EUR", f"https://shop.example.de/p/{n}", True)
        for n in range(1, cards + 1)
    ]


@pytest.mark.parametrize(
    "link",
    [
        '<a href="/brand/acme">Acme</a>',  # one word: a brand, not a product name
        '<a href="/p/kettle/reviews">Read all reviews</a>',  # a part of this page
        '<a href="#reviews">See customer reviews</a>',
        '<a href="/p/kettle/reviews">12 reviews</a>',
    ],
)
def test_price_after_a_link_in_the_buy_box_is_the_product_price(link: str) -> None:
    body = f'<main><h1>Kettle</h1><div class="buy">{link}<span class="price">29,00 €</span></div></main>'  # fmt: skip
    assert extract(page(body), "https://shop.example.de/p/kettle").offers[0].price == "29.00"


def offer_ld(price: str) -> str:
    return ld(
        '{"@type": "Product", "name": "Lamp", "sku": "L-77", "offers": {"@type": "Offer",'
        f' "price": "{price}", "priceCurrency": "EUR"}}}}'
    )


@pytest.mark.parametrize(
    ("body", "price", "layer"),
    [
        pytest.param(
            '<h1>Lamp</h1><del class="price">219,99 €</del><span class="price">110,00 €</span>',
            "110.00",
            "heuristic",
            id="markup-price-shown-struck",
        ),
        pytest.param(
            '<h1>Lamp</h1><span class="original-price">219,99 €</span>'
            '<span class="price">110,00 €</span>',
            "110.00",
            "heuristic",
            id="markup-price-shown-as-original",
        ),
        pytest.param(
            '<h1>Lamp</h1><span class="price">400 €</span><span>Starting price 219,99 €</span>',
            "400",
            "heuristic",
            id="auction-starting-price",
        ),
        pytest.param(
            '<h1>Lamp</h1><span class="price">219,99 €</span><del>250,00 €</del>',
            "219.99",
            "json-ld",
            id="markup-price-shown-as-current",
        ),
        pytest.param(
            '<h1>Lamp</h1><span class="price">110,00 €</span>',
            "219.99",
            "json-ld",
            id="markup-price-not-shown-kept",
        ),
    ],
)
def test_markup_price_checked_against_buy_box(body: str, price: str, layer: str) -> None:
    offer = extract(page(body, offer_ld("219.99"))).offers[0]
    assert (offer.price, offer.explain["price"]) == (price, layer)


@pytest.mark.parametrize(
    ("body", "sku", "layer"),
    [
        pytest.param(
            '<p class="code">Product code: 46286401</p>',
            "46286401",
            "heuristic",
            id="shown-code-wins",
        ),
        pytest.param("<p>Art.-Nr. 4711-A</p>", "4711-A", "heuristic", id="art-nr"),
        pytest.param(
            "<p>Product code: 46286401</p><p>SKU L-77</p>", "L-77", "json-ld", id="markup-sku-shown"
        ),
        pytest.param("<p>Model: X100</p>", "L-77", "json-ld", id="model-is-not-the-shop-code"),
        # Labels in a language no table has (made-up words): one "label: code" is the code.
        pytest.param("<p>Qwzt vbnm: 46286401</p>", "46286401", "heuristic", id="unknown-label"),
        pytest.param(
            "<p>Qwzt vbnm: 46286401</p><p>Dfgh: X100</p>",
            "L-77",
            "json-ld",
            id="two-unknown-labels",
        ),
        pytest.param(
            "<p>Model: X100</p><p>Qwzt vbnm: 46286401</p>",
            "L-77",
            "json-ld",
            id="known-other-label",
        ),
    ],
)
def test_shown_shop_code_against_markup_sku(body: str, sku: str, layer: str) -> None:
    offer = extract(page("<h1>Lamp</h1>" + body, offer_ld("10.00"))).offers[0]
    assert (offer.sku, offer.explain["sku"]) == (sku, layer)
