"""The offers benchmark's scoring: the data set's official metric and site-grouped folds."""

from __future__ import annotations

import lxml.html
import pytest

from tests.benchmark_scripts import load_benchmark

offers = load_benchmark("offers")

RECORD = {
    "url": "http://shop.test/p/1",
    "price": ["23.450"],
    "sku": ["AB-12"],
    "gtin": ["4006381333931"],
    "mpn": ["X100"],
}


@pytest.mark.parametrize(
    ("attribute", "predicted", "right"),
    [
        ("price", "23.45", True),  # decimal equality, trailing zero or not
        ("price", "23450", False),
        ("sku", "AB-12", True),
        ("sku", "4006381333931", True),  # a GTIN is one of the site's unique ids
        ("sku", "X100", False),  # an MPN is not
        ("sku", "ab-12", False),  # no leniency beyond the README
        ("sku", "SKU: AB-12", False),  # text around the id does not count
        ("availability", None, True),  # empty counts as InStock
        ("availability", "OutOfStock", False),
    ],
)
def test_official_match(attribute: str, predicted: str | None, right: bool) -> None:
    prediction = {"price": None, "sku": None, "availability": None, attribute: predicted}
    assert offers.is_right(attribute, RECORD, prediction) is right


def test_score_counts_a_wrong_value_as_false_positive_and_negative() -> None:
    truth = {"a": RECORD, "b": {**RECORD, "price": None}}
    predictions = {
        "a": {"price": "1", "sku": "AB-12", "availability": None},
        "b": {"price": "5", "sku": None, "availability": None},
    }
    scores = offers.score(truth, predictions, ["a", "b"])
    assert scores["price"] == (0.0, 0.0, 0.0)
    assert scores["sku"] == (1.0, 0.5, pytest.approx(2 / 3))


def test_site_folds_keep_a_host_in_one_fold() -> None:
    hosts = ["a.test"] * 4 + ["b.test"] * 3 + ["c.test"] * 2 + ["d.test"]
    truth = {f"p{i}": {"url": f"https://{host}/x/{i}"} for i, host in enumerate(hosts)}
    folds = offers.site_folds(truth, sorted(truth), 3)
    assert sorted(i for fold in folds for i in fold) == sorted(truth)
    for fold in folds:
        assert fold  # every fold has pages
    for host in set(hosts):
        holding = [f for f in folds if any(host in truth[i]["url"] for i in f)]
        assert len(holding) == 1


def test_strip_markup_leaves_only_the_visible_page() -> None:
    stripped = load_benchmark("stripped_markup")
    html = (
        '<html><head><meta charset="latin-1"><meta property="og:price:amount" content="9">'
        '<meta name="description" content="A cup"><link itemprop="availability" '
        'href="https://schema.org/InStock"><script type="application/ld+json">'
        '{"@type": "Product", "sku": "J-1", "offers": {"price": "9"}}</script></head>'
        '<body><div itemscope itemtype="https://schema.org/Product"><h1 itemprop="name">Cup</h1>'
        '<span itemprop="price" content="9.00" class="price">9,00 £</span>'
        '<div typeof="Offer" property="offers">tail</div><script>window.state = {"sku": "J-1"}'
        "</script> after</div></body></html>"
    ).encode("latin-1")
    out = stripped.strip_markup(html).decode()
    for gone in ("ld+json", "og:", "itemprop", "itemscope", "typeof", "property=", '"J-1"',
                 'content="9.00"', "<link", 'name="description"'):  # fmt: skip
        assert gone not in out
    for kept in ('class="price"', "9,00 £", "<h1>Cup</h1>", "tail", " after"):
        assert kept in out
    page = offers.predict_auto(out.encode(), "https://shop.test/p/cup")
    assert page == {"price": "9.00", "sku": None, "availability": None}


def test_obfuscate_classes_hashes_every_name_and_keeps_the_structure() -> None:
    obfuscated = load_benchmark("obfuscated_names")
    html = (
        '<html><head><meta charset="latin-1"></head><body><h1 id="title">Cup</h1>'
        '<div class="card old-price"><s class="price">12,00 £</s></div>'
        '<div class="card"><span class="price sale">9,00 £</span></div>'
        '<label for="qty">Qty</label><input id="qty" name="quantity">'
        '<a href="#reviews" data-test="buy">Buy</a><div id="reviews"></div></body></html>'
    ).encode("latin-1")
    out = obfuscated.obfuscate_names(html).decode()
    for gone in ("old-price", '"price', "sale", "title", '"qty"', '"#reviews"', "latin-1"):
        assert gone not in out
    card, qty = (obfuscated.hashed_name(n) for n in ("card", "qty"))
    assert out.count(f'class="{card}') == 2  # the same name, the same token: cards stay alike
    assert f'for="{qty}"' in out and f'id="{qty}"' in out  # references follow their ids
    for kept in ("<s ", "12,00 £", "9,00 £", 'name="quantity"', 'data-test="buy"'):
        assert kept in out
    assert f'href="#{obfuscated.hashed_name("reviews")}"' in out
    assert offers.predict_auto(out.encode(), "https://shop.test/p/cup")["price"] == "9.00"


@pytest.mark.parametrize(
    ("css", "names", "kept"),
    [
        # selectors of every kind, the declarations' colours, numbers and strings left alone
        (
            ".price,#stock>.a:not(.b){color:#fff;margin:.5em}",
            ["price", "stock", "a", "b"],
            ["color:#fff", "margin:.5em"],
        ),
        # an escaped class is the class its element names ("md\:flex" is class "md:flex")
        (
            r"@media (min-width:10.5em){.md\:flex{display:flex}}",
            ["md:flex"],
            ["@media (min-width:10.5em){", "{display:flex}"],
        ),
        (r".\31 23{x:1}", ["123"], ["{x:1}"]),
        # url(#id) points at an element by its id; strings, comments, attribute values stay
        ('.g{fill:url("#grad")}', ["g", "grad"], ['url("#']),
        (
            '/* .note */ a[href="#top"] .c{font-family:"x.y"}',
            ["c"],
            ["/* .note */", 'a[href="#top"]', '"x.y"'],
        ),
        # a nested rule's selector is one; a keyframe's percentages and a font face are not
        (".p{color:red; .q &{color:#0a0}}", ["p", "q"], ["color:#0a0"]),
        (
            "@keyframes spin{from{opacity:.5}}@font-face{src:url(a.woff)}",
            [],
            ["opacity:.5", "url(a.woff)"],
        ),
    ],
)
def test_obfuscate_classes_rewrites_the_pages_style_sheets(
    css: str, names: list[str], kept: list[str]
) -> None:
    obfuscated = load_benchmark("obfuscated_names")
    html = f"<html><head><style>{css}</style></head><body><p>x</p></body></html>".encode()
    out = obfuscated.obfuscate_names(html).decode()
    sheet = out.split("<style>")[1].split("</style>")[0]
    for name in names:
        assert obfuscated.hashed_name(name) in sheet
    for part in kept:
        assert part in sheet


def test_obfuscated_style_sheet_still_styles_its_elements() -> None:
    """Each rule matches the same elements after hashing: the elements' names and the
    selectors get the same tokens, references to ids follow them."""
    obfuscated = load_benchmark("obfuscated_names")
    html = (
        b"<html><head><style>.buy-box > .stock--low, #note{color:#c00}</style></head><body>"
        b'<div class="buy-box"><p class="stock--low">3 left</p></div><p id="note">x</p>'
        b'<svg><use xlink:href="#icon"/><rect fill="url(#grad)"/></svg>'
        b'<svg><linearGradient id="grad"/><symbol id="icon"/></svg>'
        b'<input list="sizes" form="cart"><datalist id="sizes"></datalist><form id="cart">'
        b"</form></body></html>"
    )
    out = obfuscated.obfuscate_names(html)
    root = lxml.html.fromstring(out)
    selector = root.find(".//style").text.split("{")[0]
    assert {e.text for e in root.cssselect(selector)} == {"3 left", "x"}
    ids = {e.get("id") for e in root.iter() if isinstance(e.tag, str) and e.get("id")}
    use, rect, field = root.find(".//use"), root.find(".//rect"), root.find(".//input")
    referenced = {use.get("xlink:href")[1:], rect.get("fill")[5:-1], field.get("list"), field.get("form")}  # fmt: skip
    assert referenced <= ids and '"#icon"' not in out.decode() and "(#grad)" not in out.decode()


def test_unknown_words_keeps_amounts_codes_and_currencies_only() -> None:
    unknown = load_benchmark("unknown_words")
    html = (
        '<html><head><meta charset="utf-8"><script type="application/ld+json">{"sku": "J-1"}'
        '</script></head><body><h1 class="title">Blue cup</h1><p>SKU: AB-12</p>'
        '<p>Was <s>12,00 zł</s> now 9,00 zł</p><p>Sold out</p><input type="submit" '
        'value="Add to cart"><img alt="Blue cup"></body></html>'
    ).encode()
    out = unknown.unknown_words(html).decode()
    for gone in ("Blue", "SKU", "Was", "now", "Sold", "Add to cart"):
        assert gone not in out
    for kept in ('class="title"', "AB-12", "<s>12,00 zł</s>", "9,00 zł", '{"sku": "J-1"}'):
        assert kept in out
    assert out.count(unknown.made_up_word("blue")) == 2  # the same word, the same made-up one
    assert unknown.unknown_text("EUR 5 €") == "EUR 5 €"


@pytest.mark.parametrize(
    ("tag", "made_up"),
    [
        ("<title>Blue Teapot | Shop</title>", True),
        ('<meta property="og:title" content="Blue teapot">', True),
        ('<meta name="description" content="Blue teapot, shop">', True),
        ('<meta name="twitter:title" content="Blue teapot">', True),
        ('<meta itemprop="name" content="Blue teapot">', True),
        ('<meta property="product:brand" content="Blue">', True),
        ('<meta property="og:url" content="https://shop.example/blue-teapot">', False),
        ('<meta property="product:availability" content="in stock">', False),
        ('<meta property="og:price:currency" content="EUR">', False),
    ],
)
def test_unknown_words_makes_up_the_title_and_text_meta_as_the_visible_text(
    tag: str, made_up: bool
) -> None:
    unknown = load_benchmark("unknown_words")
    html = f"<html><head>{tag}</head><body><h1>Blue teapot</h1></body></html>".encode()
    root = lxml.html.fromstring(unknown.unknown_words(html))
    head = lxml.html.tostring(root.find("head"), encoding="unicode")
    heading = root.find(".//h1").text
    assert heading == f"{unknown.made_up_word('blue')} {unknown.made_up_word('teapot')}"
    if made_up:  # no real word left, the same made-up word as the heading's
        assert "blue" not in head.casefold() and heading.split()[0] in head
    else:  # a URL, a code: as it was
        assert tag in head


@pytest.mark.parametrize(
    "argv",
    [
        ["/nonexistent-a", "/nonexistent-b", ".", "truth.json"],  # not source trees
        [".", ".", "/nonexistent-pages", "/nonexistent-truth.json"],
        [".", ".", ".", "pyproject.toml", "--rounds", "0"],
    ],
)
def test_timing_ab_refuses_careless_input_in_one_line(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    timing = load_benchmark("offers_timing_ab")
    assert timing.main(argv) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("text", "kept", "gone"),
    [
        ("السعر: 1,299.00 د.إ", "1,299.00 د.إ", "السعر"),
        ("ر.س ٣٩٩٫٠٠", "ر.س ٣٩٩٫٠٠", None),
        ("12.500 د.ك", "12.500 د.ك", None),
        ("מחיר: 89 ש״ח", "89 ש״ח", "מחיר"),
        ("Precio: S/. 20", "S/. 20", "Precio"),
    ],
    ids=["aed-after", "sar-before", "kwd-after", "ils-after", "pen-before"],
)
def test_unknown_words_keeps_currency_signs_written_with_a_mark(
    text: str, kept: str, gone: str | None
) -> None:
    """A sign whose letters a mark splits ("د.إ", "ש״ח") is one sign, kept as "€" is; the
    words beside it are made up."""
    unknown = load_benchmark("unknown_words")
    out = unknown.unknown_text(text)
    assert kept in out
    assert gone is None or gone not in out
