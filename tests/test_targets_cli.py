"""``rivalscope targets validate|check|suggest`` on the demo shops' pages."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from rivalscope.cli import app
from rivalscope.demo.server import DemoServer
from rivalscope.demo.shops import generate_shops
from rivalscope.demo.site import Response
from rivalscope.demo.targets import targets_toml
from settings.scrapy_settings import RETRY_TIMES
from settings.targets import Selectors
from spiders.crawl_probe import PageNotRead
from spiders.extract.selectors import extract_with_selectors
from spiders.extract.suggest import SuggestError, suggest_selectors
from spiders.target_check import fetch_page
from tests.cli import run_cli
from tests.loopback_site import QuietHandler, answer, answered_robots, serving, write_targets

FIXTURES = Path(__file__).parent / "fixtures"
PLAIN = FIXTURES / "demo-plain"
runner = CliRunner()


@pytest.fixture(scope="module")
def server() -> Iterator[DemoServer]:
    with DemoServer(generate_shops(), slow_seconds=0.1) as running:
        yield running


@pytest.fixture
def demo_targets(tmp_path: Path, server: DemoServer) -> Path:
    path = tmp_path / "targets.toml"
    path.write_text(targets_toml(server.base_url, server.shops), encoding="utf-8")
    return path


def _expected(case: str) -> dict[str, object]:
    data: dict[str, object] = json.loads((PLAIN / case / "expected.json").read_text("utf-8"))
    return data


def _suggested_selectors(html: str) -> Selectors:
    """The suggestion, written into a target as a user would paste it."""
    import tomllib

    table = tomllib.loads(suggest_selectors(html).to_toml())["company"]["source"]["selectors"]
    return Selectors.model_validate(table)


@pytest.mark.parametrize("case", ["product-page", "reviews-page-2", "broken-markup"])
def test_suggested_selectors_extract_the_plain_shops_reviews(case: str) -> None:
    html = (PLAIN / case / "page.html").read_text("utf-8")
    url = (PLAIN / case / "url.txt").read_text("utf-8").strip()
    page = extract_with_selectors(html, url, _suggested_selectors(html))
    # The broken-markup page shows the same reviews as the intact product page.
    truth = _expected("product-page" if case == "broken-markup" else case)
    extracted = {r.external_id: r for r in page.reviews}
    assert len(extracted) == truth["reviews_on_page"]
    for want in truth["reviews"]:  # type: ignore[attr-defined]
        review = extracted[want["external_id"]]
        assert review.text == want["text"]
        assert review.title == want["title"]
        assert float(review.rating_raw or "nan") == want["rating"]
        assert review.best_rating == want["best_rating"]
        assert review.date_raw == want["date_raw"]
        assert review.author == want["author"]
        assert review.region == want["region"]
    assert page.next_page == truth["next_page"]


def test_suggest_without_class_hints_uses_content() -> None:
    block = (
        '<div class="c1"><h4 class="x3">Solid kettle {n}</h4><span class="x4">12 March 2026</span>'
        '<span class="x1" title="{n}/5">{stars}</span><p class="x2">Boils fast, the handle '
        "stays cool and it pours without dripping, number {n}.</p></div>"
    )
    html = "<html><body><main>{}</main></body></html>".format(
        "".join(block.format(n=n, stars="★" * n + "☆" * (5 - n)) for n in (2, 3, 4))
    )
    suggestion = suggest_selectors(html)
    assert suggestion.review == "div.c1"
    assert suggestion.review_fields == {
        "text": ".x2",
        "title": ".x3",
        "rating": ".x1::attr(title)",
        "date": ".x4",
    }
    assert suggestion.rating_scale == 5


def test_suggest_on_a_page_without_reviews_is_a_clear_error() -> None:
    with pytest.raises(SuggestError, match="no repeated blocks"):
        suggest_selectors((PLAIN / "plans-page" / "page.html").read_text("utf-8"))
    result = run_cli(
        "targets", "suggest", "--file", str(PLAIN / "plans-page" / "page.html"), cwd=FIXTURES
    )
    assert result.returncode == 2
    assert (
        result.stderr.startswith("error: found no repeated blocks")
        and "Traceback" not in result.stderr
    )


@pytest.mark.slow
def test_suggest_from_the_live_demo_prints_pasteable_toml(server: DemoServer) -> None:
    url = f"{server.base_url}/brewcraft/p/aurora-espresso-one-espresso-machine"
    result = runner.invoke(app, ["targets", "suggest", "--url", url])
    assert result.exit_code == 0, result.output
    assert 'review = "article.review"' in result.output
    assert 'text = ".review-text"' in result.output


@pytest.mark.slow
@pytest.mark.parametrize(
    ("slug", "advice"),
    [
        (
            "nordlys",
            'reads these reviews from markup (rdfa), which outlasts a change of layout: keep mode = "auto", as `targets detect` proposes',
        ),
        (
            "lumiere",
            'reads these reviews from markup (json-ld), which outlasts a change of layout: keep mode = "auto", as `targets detect` proposes',
        ),
        ("brewcraft", 'Paste under your [[company.source]] and set mode = "selectors".'),
    ],
)
def test_suggest_and_detect_agree_on_the_mode(server: DemoServer, slug: str, advice: str) -> None:
    """On a page whose markup carries every review, detect proposes mode = "auto" and
    suggest said "set mode = \"selectors\"" all the same; only the layout is theirs now."""
    shop = next(s for s in server.shops if s.slug == slug)
    url = f"{server.base_url}/{slug}/p/{shop.products[0].slug}"
    result = runner.invoke(app, ["targets", "suggest", "--url", url])
    assert result.exit_code == 0, result.output
    assert advice in " ".join(result.output.split())
    assert ('set mode = "selectors"' in result.output) == (slug == "brewcraft")


def test_validate_lists_sources_and_rejects_bad_selectors(tmp_path: Path) -> None:
    good = tmp_path / "targets.toml"
    good.write_text(targets_toml("http://127.0.0.1:8765", generate_shops()), encoding="utf-8")
    result = runner.invoke(app, ["targets", "validate", "--targets", str(good)])
    assert result.exit_code == 0, result.output
    assert "brewcraft-shop" in result.output and "OK (4 sources)" in result.output
    # The file says when a cron expression fires, not when the scheduler starts a source
    # it has never run (at once): validate does not claim the latter.
    assert "fires next" in result.output and "next run" not in result.output
    assert "never run at its first round" in result.output
    bad = tmp_path / "bad.toml"
    bad.write_text(good.read_text("utf-8").replace('review = ".review"', 'review = "div[[["'))
    failed = run_cli("targets", "validate", "--targets", str(bad), cwd=tmp_path)
    assert failed.returncode == 2
    assert "selectors.review (line 104): review 'div[[[' is not a valid selector" in failed.stderr


BROKEN = {
    'review = "div.review"': 'review = "div[[["',
    'next_page = "a.next"': 'next_page = "xpath://a[@"',
    'text = "p.body"': 'text = "p::attribute(x)"',
    'rating = ".stars::attr(data-rating)"': 'rating = ""',
}
"""Selectors of ``tests.test_targets.VALID``'s rival source, broken each its own way."""


def test_validate_and_check_say_the_same_of_broken_selectors(tmp_path: Path) -> None:
    """Both read the file through the settings' validation: every wrong selector once, at
    its key's line (validate had a second parser of its own, which never said a thing)."""
    from tests.test_targets import VALID

    text = VALID
    for good, bad in BROKEN.items():
        text = text.replace(good, bad)
    (tmp_path / "targets.toml").write_text(text, encoding="utf-8")
    lines = text.splitlines()
    page = tmp_path / "page.html"
    page.write_text("<html><body><div><p>Fine.</p></div></body></html>", encoding="utf-8")
    validated = run_cli("targets", "validate", cwd=tmp_path)
    checked = run_cli("targets", "check", "rival-shop", "--file", str(page), cwd=tmp_path)
    assert validated.returncode == checked.returncode == 2, validated.stderr
    assert validated.stderr == checked.stderr and not validated.stdout + checked.stdout
    at = "source rival-shop, company[1].source[0].selectors"
    for bad, said in zip(
        BROKEN.values(),
        (
            "review (line {}): review 'div[[[' is not a valid selector (",
            "next_page (line {}): next_page 'xpath://a[@' is not a valid selector (",
            "review_fields.text (line {}): review_fields.text 'p::attribute(x)' is not a valid "
            "selector (",
            "review_fields.rating (line {}): empty selector for rating",
        ),
        strict=True,
    ):
        expected = f"{at}.{said.format(lines.index(bad) + 1)}"
        assert validated.stderr.count(expected) == 1, (expected, validated.stderr)


def test_check_a_saved_page_shows_each_selector(demo_targets: Path) -> None:
    page = PLAIN / "product-page" / "page.html"
    result = runner.invoke(
        app,
        ["targets", "check", "brewcraft-shop", "--file", str(page), "--targets", str(demo_targets)],
    )
    assert result.exit_code == 0, result.output
    assert "10 reviews, 1 offer;" in result.output
    assert "review_fields.text" in result.output and "10/10" in result.output
    assert "?page=2" in result.output  # the next-page link
    assert "warning: selector review" not in result.output
    # Plans only exist on the plans page: that selector rightly finds nothing here.
    assert "selector offer_fields.plan = '.plan-name' matched nothing" in result.output


_SAMPLE_PAGE = (
    '<html><body><div itemscope itemtype="https://schema.org/Product">'
    '<h1 itemprop="name">Swan kettle \x1b]0;owned\x07 \x1b[2J</h1>'
    '<span itemprop="sku">SW-1701</span>'
    '<div itemprop="offers" itemscope itemtype="https://schema.org/Offer">'
    '<span itemprop="price">49.90</span><meta itemprop="priceCurrency" content="EUR">'
    '<link itemprop="availability" href="https://schema.org/OutOfStock"></div>'
    '<div itemprop="aggregateRating" itemscope itemtype="https://schema.org/AggregateRating">'
    '<meta itemprop="ratingValue" content="4.4"><meta itemprop="ratingCount" content="120">'
    "</div>"
    '<div itemprop="review" itemscope itemtype="https://schema.org/Review">'
    '<span itemprop="author">Ingrid Q. Reviewer</span>'
    '<div itemprop="reviewRating" itemscope itemtype="https://schema.org/Rating">'
    '<meta itemprop="ratingValue" content="2"><meta itemprop="bestRating" content="5"></div>'
    '<meta itemprop="datePublished" content="2026-11-02">'
    '<p itemprop="reviewBody">The lid \x1b[41mbroke after a week.</p></div>'
    "</div></body></html>"
)


@pytest.mark.parametrize(
    "shown",
    [
        "49.90 EUR",  # the offer's price and currency
        "OutOfStock",
        "sku SW-1701",
        "read by",  # the layers that read each offer and review
        "aggregate rating: 4.4/5 from 120 ratings",
        "2/5",  # the review's rating on its scale
        "2026-11-02",
        "broke after a week.",
        "Swan kettle ]0;owned [2J",  # escape characters dropped
    ],
)
def test_check_shows_what_the_page_gave_not_only_field_shares(
    demo_targets: Path, tmp_path: Path, shown: str
) -> None:
    """Before, `targets check` printed "1 offers" and a coverage table: a wrong price or
    a list price read as the price could not be seen without `extract`'s JSON."""
    page = tmp_path / "page.html"
    page.write_text(_SAMPLE_PAGE, encoding="utf-8")
    result = runner.invoke(
        app,
        [
            "targets",
            "check",
            "kawamistrz-shop",
            "--file",
            str(page),
            "--targets",
            str(demo_targets),
        ],
        env={"COLUMNS": "250"},
    )
    assert result.exit_code == 0, result.output
    assert shown in result.output
    assert "\x1b" not in result.output and "\x07" not in result.output
    assert "Ingrid" not in result.output  # reviewers are never shown


def test_check_warns_about_selectors_that_match_nothing(demo_targets: Path) -> None:
    page = PLAIN / "broken-markup" / "page.html"
    result = runner.invoke(
        app,
        ["targets", "check", "brewcraft-shop", "--file", str(page), "--targets", str(demo_targets)],
    )
    assert result.exit_code == 0, result.output
    assert "0 reviews" in result.output
    assert "warning: selector review = '.review' matched nothing" in result.output


@pytest.mark.slow
def test_check_fetches_a_live_page_in_auto_mode(demo_targets: Path, server: DemoServer) -> None:
    shop = next(s for s in server.shops if s.slug == "kawamistrz")
    url = f"{server.base_url}/kawamistrz/p/{shop.products[0].slug}"
    result = runner.invoke(
        app, ["targets", "check", "kawamistrz-shop", "--url", url, "--targets", str(demo_targets)]
    )
    assert result.exit_code == 0, result.output
    assert "microdata" in result.output
    assert "review.rating" in result.output
    private = f"{server.base_url}/kawamistrz/private/"
    refused = run_cli(
        "targets", "check", "kawamistrz-shop", "--url", private, "--targets", str(demo_targets),
        cwd=demo_targets.parent,
    )  # fmt: skip
    assert refused.returncode == 2 and "robots.txt forbids" in refused.stderr


@pytest.mark.parametrize(
    ("status", "fetched"),
    [(503, False), (500, False), (429, False), (404, True), (200, True)],
)
def test_check_fetches_no_page_of_a_host_whose_robots_txt_cannot_be_read(
    server: DemoServer, monkeypatch: pytest.MonkeyPatch, status: int, fetched: bool
) -> None:
    """As the crawl (RFC 9309): 5xx and 429 on robots.txt forbid the page (once the
    crawl's retries have had the same answer); 4xx: no rules."""
    respond = server.site.respond

    def robots(raw_path: str) -> Response:
        if raw_path == "/robots.txt" and status != 200:
            return Response(status, b"<h1>robots.txt</h1>", "text/html; charset=utf-8")
        return respond(raw_path)

    monkeypatch.setattr(server.site, "respond", robots)
    url = f"{server.base_url}/brewcraft/"
    before = len(server.requested_paths)
    if fetched:
        assert "<html" in fetch_page(url)
    else:
        with pytest.raises(PageNotRead, match=rf"could not be read \(HTTP {status}\)"):
            fetch_page(url)
    tries = 1 if status < 429 else RETRY_TIMES + 1
    assert server.requested_paths[before:] == [
        *["/robots.txt"] * tries,
        *(["/brewcraft/"] if fetched else []),
    ]


@pytest.mark.parametrize(
    "kind",
    [
        "🙂review",  # beyond U+FFFF: JSON's surrogate pair escapes are not TOML
        're"v\\iew',
        "a\x7fb",  # DEL: JSON leaves it raw, TOML refuses it raw
        "überblick ›",
    ],
)
def test_suggested_selectors_paste_as_toml_whatever_the_attribute_holds(kind: str) -> None:
    import html as html_module
    import tomllib

    value = html_module.escape(kind)
    cards = "".join(
        f'<div data-kind="{value}"><span data-rating="4">4/5</span>'
        f'<p class="txt">Review number {n} of this kettle, long enough to count.</p></div>'
        for n in range(3)
    )
    reviews = [
        {"@type": "Review", "reviewBody": f"Review number {n} of this kettle, long enough to count.",
         "reviewRating": {"ratingValue": 4}}
        for n in range(3)
    ]  # fmt: skip
    data = {"@context": "https://schema.org", "@type": "Product", "name": "K", "review": reviews}
    page = (
        f'<html><head><script type="application/ld+json">{json.dumps(data)}</script></head>'
        f"<body><h1>K</h1><p>Other text</p><div>{cards}</div></body></html>"
    )
    suggestion = suggest_selectors(page)
    assert suggestion.review.startswith("div[data-kind=")
    table = tomllib.loads(suggestion.to_toml())["company"]["source"]["selectors"]
    assert table["review"] == suggestion.review
    assert (
        len(extract_with_selectors(page, "http://x/", Selectors.model_validate(table)).reviews) == 3
    )


def _checked_saved_page(tmp_path: Path, html: str, selectors: str) -> Result:
    """``targets check`` of ``html`` saved in ``tmp_path``, for a selectors source "a" (of
    language pl) with the ``selectors`` tables; asserts it succeeded."""
    page = tmp_path / "page.html"
    page.write_text(html, encoding="utf-8")
    targets = tmp_path / "targets.toml"
    targets.write_text(
        '[[company]]\nname = "A"\n[[company.source]]\nname = "a"\n'
        'start_urls = ["http://127.0.0.1/"]\nmode = "selectors"\nlanguage = "pl"\n' + selectors,
        encoding="utf-8",
    )
    result = runner.invoke(
        app,
        ["targets", "check", "a", "--file", str(page), "--targets", str(targets)],
        env={"COLUMNS": "250"},
    )
    assert result.exit_code == 0, result.output
    return result


@pytest.mark.parametrize(
    "query",
    [
        "xpath:.//p[starts-with(normalize-space(.), 'Next')]",
        'p[data-kind="body"]',
        "xpath:.//p[1]",
    ],
)
def test_check_shows_each_query_as_written(tmp_path: Path, query: str) -> None:
    result = _checked_saved_page(
        tmp_path,
        '<html><body><div class="r"><p data-kind="body">Next to nothing, a fine kettle [sic].</p>'
        "</div></body></html>",
        '[company.source.selectors]\nreview = "div.r"\n'
        f"[company.source.selectors.review_fields]\ntext = {json.dumps(query)}\n",
    )
    assert query in result.output
    assert "a fine kettle [sic]." in result.output


def test_check_of_a_page_no_selector_matches_says_so_once_and_where_to_look(
    demo_targets: Path, server: DemoServer
) -> None:
    """The source's start page lists products; before, every one of its 18 selectors got a
    "matched nothing" warning and nothing said which page to check instead."""
    result = runner.invoke(
        app,
        [
            "targets", "check", "brewcraft-shop",
            "--url", f"{server.base_url}/brewcraft/", "--targets", str(demo_targets),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    assert "matched nothing" not in output
    assert "none of the 18 selectors matched anything on this page" in output
    assert f"e.g. --url {server.base_url}/brewcraft/p/" in output  # a product card's link


def test_check_shows_the_ratings_dates_and_prices_selectors_read(tmp_path: Path) -> None:
    """A selector reads a page's text ("★★★★☆", "5 grudnia 2025", "49,99 zł"), which a crawl
    parses before storing: check showed it unparsed, every rating, date and price as "-"."""
    result = _checked_saved_page(
        tmp_path,
        '<html lang="pl"><body><div class="produkt"><h1>Kawa</h1><b class="cena">49,99 zł</b>'
        "</div>"
        + "".join(
            f'<div class="opinia"><span class="gw">{"★" * n}{"☆" * (5 - n)}</span>'
            f"<time>{n} grudnia 2025</time><p>Kawa numer {n}, bardzo dobra.</p></div>"
            for n in (4, 2)
        )
        + "</body></html>",
        '[company.source.selectors]\nreview = "div.opinia"\noffer = "div.produkt"\n'
        '[company.source.selectors.review_fields]\ntext = "p"\nrating = ".gw"\ndate = "time"\n'
        '[company.source.selectors.offer_fields]\nname = "h1"\nprice = ".cena"\n',
    )
    rows = [line for line in result.output.splitlines() if "Kawa numer" in line]
    assert "4/5" in rows[0] and "2025-12-04" in rows[0]
    assert "2/5" in rows[1] and "2025-12-02" in rows[1]
    assert "49.99 PLN" in result.output


@pytest.mark.parametrize(
    ("patterns", "reason"),
    [
        (
            "follow = ['/p/[a-z]+$']",
            "no follow pattern matches it (follow = ['/p/[a-z]+$']); add one that does",
        ),
        ("follow = ['/p/']\ndeny = ['page=[2-9]']", "deny pattern 'page=[2-9]' matches it"),
    ],
)
def test_check_says_when_the_crawl_would_not_follow_the_next_page(
    tmp_path: Path, patterns: str, reason: str
) -> None:
    """check printed "next page: .../p/kettle?page=2" while the source's follow/deny kept
    the crawl from it: a crawl of such a shop read 10 of its 15 declared reviews."""
    result = _checked_saved_page(
        tmp_path,
        '<html><body><div class="r"><p>Boils fast, a handy kettle.</p></div>'
        '<a class="next" href="/p/kettle?page=2">Next</a></body></html>',
        f'{patterns}\n[company.source.selectors]\nreview = "div.r"\nnext_page = "a.next"\n'
        '[company.source.selectors.review_fields]\ntext = "p"\n',
    )
    assert (
        "warning: the crawl would not follow the next page http://127.0.0.1/p/kettle?page=2: "
        + reason
    ) in result.output


def test_status_of_a_mistyped_database_says_so_and_creates_none(
    tmp_path: Path, demo_targets: Path
) -> None:
    """A read-only look: a --db path that holds no database was created empty, and every
    source then read "never crawled"."""
    missing = tmp_path / "rivalscpoe.db"
    result = run_cli(
        "targets", "status", "-t", str(demo_targets), cwd=tmp_path, db_url=f"sqlite:///{missing}"
    )
    assert result.returncode == 2, result.stdout
    assert "no database at SQLite file" in result.stderr and "never crawled" not in result.stdout
    assert not missing.exists()


class _ScriptedReviews(QuietHandler):
    """A product page whose reviews a script fetches (none in the HTML as sent)."""

    def do_GET(self) -> None:
        if not answered_robots(self):
            body = (
                '<html><body><h1>Kawa</h1><div id="opinie"></div><script>'
                "fetch('/api/opinie').then(r => r.json()).then(show)</script></body></html>"
            )
            answer(self, 200, {"Content-Type": "text/html; charset=utf-8"}, body.encode())


def test_suggest_on_a_page_whose_reviews_a_script_loads_points_to_render(
    tmp_path: Path,
) -> None:
    with serving(_ScriptedReviews) as (_, base):
        result = run_cli("targets", "suggest", "--url", f"{base}/p/kawa", cwd=tmp_path)
    assert result.returncode == 2, result.stdout
    assert "found no repeated blocks" in result.stderr
    assert "loaded by JavaScript, add --render" in result.stderr
    assert f"rivalscope targets detect {base}/p/kawa" in result.stderr


def test_a_page_whose_reviews_a_script_loads_is_pointed_to_the_browser(tmp_path: Path) -> None:
    """check said only "no reviews found on this page", detect --no-browser "none found":
    neither said that a script may load them, nor which command tells."""
    with serving(_ScriptedReviews) as (_, base):
        url = f"{base}/p/kawa"
        write_targets(tmp_path, [url], source="kawa")
        checked = run_cli("targets", "check", "kawa", cwd=tmp_path)
        detected = run_cli("targets", "detect", url, "--no-browser", cwd=tmp_path)
    assert checked.returncode == 0, checked.stderr
    assert (
        "warning: no reviews found on this page (if a browser shows reviews here, a script "
        f"loads them: `rivalscope targets detect {url}` says how to read them)"
    ) in checked.stdout
    assert detected.returncode == 0, detected.stderr
    assert "# reviews carried by: none found" in detected.stdout
    assert "# note: the page was not rendered (--no-browser)" in detected.stdout


def test_selectors_mode_reads_offer_fields_without_an_offer_block(tmp_path: Path) -> None:
    """The README's selectors source gives offer_fields (name, price) and no ``offer`` block:
    mode = "selectors" read no offer from it (under mode = "auto" the same fields read the
    whole page), and check did not even list the offer selectors."""
    html = (
        '<html><body><h1>Kettle</h1><span class="price">49,90 zł</span>'
        '<div class="r"><p>Boils fast, a fine kettle.</p></div></body></html>'
    )
    selectors = Selectors.model_validate(
        {
            "review": "div.r",
            "review_fields": {"text": "p"},
            "offer_fields": {"name": "h1", "price": ".price"},
        }
    )
    page = extract_with_selectors(html, "http://127.0.0.1/p/1", selectors)
    assert [(o.name, o.price_raw) for o in page.offers] == [("Kettle", "49,90 zł")]
    home = '<html><body><h1>Our shop</h1><a href="/p/1">Kettle</a></body></html>'
    assert extract_with_selectors(home, "http://127.0.0.1/", selectors).offers == []
    result = _checked_saved_page(
        tmp_path,
        html,
        '[company.source.selectors]\nreview = "div.r"\n'
        '[company.source.selectors.review_fields]\ntext = "p"\n'
        '[company.source.selectors.offer_fields]\nname = "h1"\nprice = ".price"\n',
    )
    assert "1 offer" in result.output and "49.90 PLN" in result.output
    assert "offer_fields.price" in result.output


def test_suggest_says_what_mode_selectors_would_lose_that_auto_reads(tmp_path: Path) -> None:
    """A page whose markup gives each review's rating and date and whose blocks show only the
    text: suggest proposed a text selector and said "set mode = \\"selectors\\"", which
    stores the reviews without their ratings and dates."""
    reviews = [
        (f"Kettle review number {n}, it boils water fast and stays quiet.", n) for n in (1, 2, 3, 4)
    ]
    markup = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": "Kettle",
        "review": [
            {
                "@type": "Review",
                "reviewBody": text,
                "datePublished": f"2026-11-0{n}",
                "reviewRating": {"@type": "Rating", "ratingValue": n, "bestRating": 5},
            }
            for text, n in reviews
        ],
    }
    page = tmp_path / "page.html"
    page.write_text(
        '<html><head><script type="application/ld+json">'
        + json.dumps(markup)
        + "</script></head><body><h1>Kettle</h1>"
        + "".join(f'<div class="rev"><p>{text}</p></div>' for text, _ in reviews)
        + "</body></html>",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["targets", "suggest", "--file", str(page)])
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    assert "reads the rating and date of these reviews" in output
    assert 'keep mode = "auto"' in output
    assert 'and set mode = "selectors"' not in output


@pytest.mark.parametrize(
    ("product_id", "expected"),
    [
        (
            'product_id = \'data-product-id="([^"]+)"\'\n',
            "review API: http://127.0.0.1/widget?product=k100&page=1 (product id 'k100')",
        ),
        (
            "",
            "no product id for the review API on this page (the page shows no SKU, the "
            "default product_id): set review_api.product_id",
        ),
        (
            "product_id = 'data-sku=\"(\\w+)\"'\n",
            "review_api.product_id 'data-sku=\"(\\\\w+)\"' finds nothing in the page or its URL",
        ),
    ],
)
def test_check_says_what_a_crawl_asks_the_review_api(
    tmp_path: Path, product_id: str, expected: str
) -> None:
    """check ignored a source's [review_api]: on the product page of a widget shop it said
    "no reviews found ... `targets detect` says how to read them", the settings detect had
    proposed already, and never that the crawl would find no product id for the API (0
    reviews stored, every product page 'no product id for the review API')."""
    page = tmp_path / "page.html"
    page.write_text(
        '<html><body><div data-product-id="k100"><h1>Kettle</h1>'
        '<span class="price">49,90 EUR</span></div><script>load()</script></body></html>',
        encoding="utf-8",
    )
    targets = tmp_path / "targets.toml"
    targets.write_text(
        '[[company]]\nname = "A"\n[[company.source]]\nname = "a"\n'
        'start_urls = ["http://127.0.0.1/"]\n[company.source.review_api]\n'
        'url = "http://127.0.0.1/widget?product={product_id}&page={page}"\n'
        'paginate = "page"\n' + product_id,
        encoding="utf-8",
    )
    result = runner.invoke(
        app,
        [
            "targets", "check", "a", "--file", str(page), "--targets", str(targets),
            "--page-url", "http://127.0.0.1/product/kettle",
        ],
        env={"COLUMNS": "250"},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    output = " ".join(result.output.split())
    assert expected in output
    assert "targets detect http://127.0.0.1/product/kettle` says how" not in output


def test_validate_shows_how_each_source_reads_its_pages(tmp_path: Path) -> None:
    """A source rendered in a browser or read through a review widget's API said only its
    mode (found by qa-walk5)."""
    path = tmp_path / "targets.toml"
    path.write_text(
        """
[[company]]
name = "Rival"

[[company.source]]
name = "rival-js"
start_urls = ["http://127.0.0.1:8765/shop/"]
render = "browser"

[[company.source]]
name = "rival-widget"
start_urls = ["http://127.0.0.1:8765/shop/"]

[company.source.review_api]
url = "http://127.0.0.1:8765/api/reviews?product={product_id}&page={page}"
""",
        encoding="utf-8",
    )
    result = runner.invoke(
        app, ["targets", "validate", "--targets", str(path)], env={"COLUMNS": "200"}
    )
    assert result.exit_code == 0, result.output
    rows = {
        line.split("│")[2].strip(): line
        for line in result.output.splitlines()
        if "│ rival-" in line
    }
    assert "auto + browser" in rows["rival-js"]
    assert "auto + review API" in rows["rival-widget"]


def test_check_prints_no_control_character_a_page_holds(tmp_path: Path) -> None:
    """Before, the next-page link and the review block's markup sample went to the terminal
    with the page's escape sequences (a title, a screen clear, a right-to-left override)."""
    hostile = "\x1b]0;owned\x07\x1b[2J\x9b31m\u202e"
    result = _checked_saved_page(
        tmp_path,
        f'<html><body><div class="r" title="{hostile}"><p>Kettle{hostile} boils fast.</p></div>'
        f'<a class="next" href="/p/kettle?page=2{hostile}">next</a></body></html>',
        '[company.source.selectors]\nreview = "div.r"\nnext_page = "a.next"\n'
        '[company.source.selectors.review_fields]\ntext = "p"\n',
    )
    assert "next page: http://127.0.0.1/p/kettle?page=2" in result.output
    assert "Kettle" in result.output
    assert not any(ch in result.output for ch in "\x1b\x07\x9b\u202e"), ascii(result.output)
