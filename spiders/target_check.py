"""``rivalscope targets check``: what a source's settings extract from one page.

``fetch_page`` gets one page the way the crawl would (``spiders.crawl_probe``: the crawl's
user agent, downloader and robots.txt rules, obeyed unless told otherwise); ``check_page`` runs the source's extraction on it and
reports each configured selector (blocks matched, fields filled, a sample), the layers
the auto mode used, field coverage, the next-page link and warnings. Both are library
functions; the command only prints.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlparse

from parsel import Selector

from settings.records import OfferItem, PageExtraction
from settings.targets import Crawler as CrawlerTable
from settings.targets import Limits, ReviewApi, Source
from spiders.detect import read_page
from spiders.extract.selectors import select_text, selected_blocks


@dataclass
class SelectorResult:
    """What one configured selector matched on the page."""

    name: str
    """``review``, ``review_fields.text``, ``next_page``..."""
    query: str
    matched: int
    """Blocks matched (block selectors), or blocks in which the field was found."""
    of: int | None
    """Blocks searched (field selectors), None for block selectors."""
    sample: str | None


@dataclass
class PageCheck:
    """Everything ``targets check`` shows for one page."""

    url: str
    extraction: PageExtraction
    selectors: list[SelectorResult] = field(default_factory=list)
    layers: dict[str, int] = field(default_factory=dict)
    """Extraction layer -> fields it filled (auto mode)."""
    coverage: dict[str, float] = field(default_factory=dict)
    """``review.text`` -> share of reviews with it, ``offer.price``..."""
    warnings: list[str] = field(default_factory=list)
    review_api: str | None = None
    """What a crawl asks the source's ``[review_api]`` from this page (its first URL, or the
    shop's reviews); None without one, or when the crawl would ask nothing (a warning says
    why)."""


def fetch_page(
    url: str,
    crawler: CrawlerTable | None = None,
    limits: Limits | None = None,
    *,
    obey_robots: bool = True,
    chromium: str | None = None,
    here: bool = False,
    hosts: tuple[str, ...] = (),
) -> str:
    """The page's HTML as text, read as a crawl with the targets file's ``[crawler]`` table
    and a source's ``limits`` reads it (``spiders.crawl_probe``: its robots.txt decides
    first); with ``chromium``, as the browser shows it then. PageNotRead says why not.
    ``here``: this process ends after its command, the crawl may run in it. ``hosts``:
    those the crawl stays on (default: the page's own); a redirect off them is refused."""
    html, rendered = read_page(
        url,
        crawler or CrawlerTable(),
        chromium,
        limits,
        obey_robots=obey_robots,
        here=here,
        hosts=hosts,
    )
    return rendered.html if rendered is not None else html


def _block_results(
    root: Selector,
    kind: str,
    block_query: str | None,
    fields: dict[str, str],
    whole_page: bool = False,
) -> list[SelectorResult]:
    """What a block selector and its field selectors find; with ``whole_page`` and no block
    selector, the fields are tried on the whole page (auto + [selectors] overrides)."""
    if not block_query:
        if not (whole_page and fields):
            return []
        blocks, results = [root], []
    else:
        blocks = selected_blocks(root, block_query)
        sample_block = blocks[0].get()[:80] if blocks else None
        results = [SelectorResult(kind, block_query, len(blocks), None, sample_block)]
    for name, query in fields.items():
        values = [select_text(block, query) for block in blocks]
        found = [v for v in values if v]
        results.append(
            SelectorResult(
                f"{kind}_fields.{name}", query, len(found), len(blocks), found[0] if found else None
            )
        )
    return results


def _selector_results(html: str, url: str, source: Source) -> list[SelectorResult]:
    selectors = source.selectors
    if selectors is None:
        return []
    # With mode = "auto" the selectors override auto's fields (spiders.extract.selector_overlay).
    root = Selector(text=html or "<html></html>")
    results = _block_results(root, "review", selectors.review, selectors.review_fields)
    # offer_fields without an offer block read the whole page, in either mode.
    results += _block_results(root, "offer", selectors.offer, selectors.offer_fields, True)
    if selectors.next_page:
        links = selected_blocks(root, selectors.next_page)
        href = None
        if links:
            first = links[0]
            href = first.get() if isinstance(first.root, str) else first.attrib.get("href")
        results.append(
            SelectorResult(
                "next_page",
                selectors.next_page,
                len(links),
                None,
                urljoin(url, href.strip()) if href else None,
            )
        )
    return results


def _coverage(page: PageExtraction) -> dict[str, float]:
    coverage: dict[str, float] = {}
    reviews, offers = page.reviews, page.offers
    review_values: dict[str, list[object]] = {
        "text": [r.text for r in reviews],
        "rating": [r.rating if r.rating is not None else r.rating_raw for r in reviews],
        "date": [r.published or r.date_raw for r in reviews],
        "title": [r.title for r in reviews],
        "author": [r.author for r in reviews],
        "region": [r.region for r in reviews],
    }
    offer_values: dict[str, list[object]] = {
        "name": [o.name for o in offers],
        "price": [o.price or o.price_raw for o in offers],
        "currency": [o.currency or o.currency_raw for o in offers],
        "availability": [o.availability or o.availability_raw for o in offers],
        "sku": [o.sku for o in offers],
        "gtin": [o.gtin for o in offers],
    }
    for kind, table in (("review", review_values), ("offer", offer_values)):
        for name, values in table.items():
            if values:
                coverage[f"{kind}.{name}"] = sum(v is not None for v in values) / len(values)
    return coverage


def _listing_hint(offers: list[OfferItem]) -> str:
    """Where to look instead when the page is a listing: reviews sit on product pages, so a
    user tuning a source whose start URL is a category page is sent to a card's own page."""
    cards = [o for o in offers if o.listing]
    if len(cards) < 2:
        return ""
    first = next((o.url for o in cards if o.url), None)
    where = f"; check a product page, e.g. --url {first}" if first else ""
    return f" (a listing page with {len(cards)} product cards{where})"


def _check_review_api(check: PageCheck, html: str, url: str, api: ReviewApi) -> None:
    """What a crawl asks the review API from this page, as ``TargetSpider`` does: the first
    URL for the page's product, or the warning that it asks nothing (and what to set)."""
    from spiders.review_api import api_url, product_id, shop_wide

    offers = check.extraction.offers
    main = offers[0] if offers and not offers[0].listing else None  # as the crawl's page
    if shop_wide(api):
        check.review_api = f"{api_url(api, '', url, 0)} (the shop's reviews, once a crawl)"
        return
    if main is None:
        check.warnings.append(
            "no product on this page: the crawl asks the review API only from product pages"
        )
        return
    pid = product_id(api, html, url, main.sku) if "{product_id}" in api.url else ""
    if pid is None:
        where = (
            f"review_api.product_id {api.product_id!r} finds nothing in the page or its URL"
            if api.product_id
            else "the page shows no SKU, the default product_id"
        )
        check.warnings.append(
            f"no product id for the review API on this page ({where}): set "
            "review_api.product_id to a regex whose first group finds it in the page's HTML "
            f"(`rivalscope targets detect {url}` proposes one); the crawl reads no review of "
            "the API"
        )
        return
    check.review_api = api_url(api, pid, url, 0) + (f" (product id {pid!r})" if pid else "")


def _script_hint(html: str, url: str, source: Source) -> str:
    """Where to look when a product page as read holds no review but has scripts, which may
    load them (a widget): the command that says how the page carries them."""
    if source.render == "browser" or "<script" not in html.lower():
        return ""
    return (
        " (if a browser shows reviews here, a script loads them: "
        f"`rivalscope targets detect {url}` says how to read them)"
    )


def page_links(html: str, url: str, wanted: Callable[[str], bool] | None = None) -> list[str]:
    """The links of the page a crawl could follow from it, in page order: on the page's
    host, another path (same-path links are pagination), and ``wanted`` if given."""
    here = urlparse(url)
    links: dict[str, None] = {}
    for href in Selector(text=html).css("a::attr(href)").getall():
        link = urljoin(url, href.strip()).split("#")[0]
        parsed = urlparse(link)
        if parsed.scheme not in ("http", "https") or parsed.hostname != here.hostname:
            continue
        if parsed.path != here.path and (wanted is None or wanted(link)):
            links[link] = None
    return list(links)


def followed_links(html: str, url: str, source: Source) -> list[str]:
    """``page_links`` that the source's ``follow``/``deny`` patterns let the crawl follow."""
    from settings.url_patterns import UrlFilter

    return page_links(html, url, UrlFilter(source.follow, source.deny).wanted)


def _unfollowed_reason(link: str, source: Source) -> str | None:
    """Why the source's ``follow``/``deny`` patterns keep the crawl from ``link``, or None:
    the spider follows a next page only where they let it, so a page's later reviews were
    left unread while this check showed the link."""
    from settings.url_patterns import UrlFilter

    if UrlFilter(source.follow, source.deny).wanted(link):
        return None
    denied = next((p for p in source.deny if not UrlFilter([], [p]).wanted(link)), None)
    if denied is not None:
        return f"deny pattern {denied!r} matches it"
    return f"no follow pattern matches it (follow = {source.follow!r}); add one that does"


def likely_product_link(links: list[str]) -> str | None:
    """The first link of the largest group under one folder: product cards repeat their
    link shape (/p/...), menus do not."""
    if not links:
        return None

    def folder(link: str) -> str:
        return urlparse(link).path.rstrip("/").rsplit("/", 1)[0]

    largest = Counter(map(folder, links)).most_common(1)[0][0]
    return next(link for link in links if folder(link) == largest)


def _followed_hint(html: str, url: str, source: Source) -> str:
    links = followed_links(html, url, source)
    if not links:
        return ""
    example = likely_product_link(links)
    return f"; the crawl follows {len(links)} links from it: check one, e.g. --url {example}"


def check_page(html: str, url: str, source: Source) -> PageCheck:
    """Run ``source``'s extraction on one page and describe what each part found."""
    from spiders.extract.layers import layer_priority
    from spiders.pipelines.stages import refusal_warnings  # the record stages: only here
    from spiders.target_spider import extract_page  # imports Scrapy: only when checking

    page = extract_page(html, url, source)
    check = PageCheck(url=url, extraction=page, warnings=list(page.warnings))
    check.selectors = _selector_results(html, url, source)
    layers: Counter[str] = Counter()
    explains = [r.explain for r in page.reviews] + [o.explain for o in page.offers]
    for explain in explains:
        layers.update(layer for name, layer in explain.items() if name != "*")
        if "*" in explain:
            layers[explain["*"]] += 1
    if page.aggregate_rating is not None:
        layers.update(page.aggregate_rating.explain.values())
    # Most trusted layer first (the registry's order), so a reader sees what the page rests on.
    check.layers = {name: layers[name] for name in sorted(layers, key=layer_priority)}
    check.coverage = _coverage(page)
    unmatched = [r for r in check.selectors if r.matched == 0]
    if unmatched and len(unmatched) == len(check.selectors):
        # Every selector empty: the page is not the kind they were written for (a start
        # page that lists products, say); one line, and where the crawl would go next.
        check.warnings.append(
            f"none of the {len(unmatched)} selectors matched anything on this page: it may not"
            " be the kind of page they were written for" + _followed_hint(html, url, source)
        )
    else:
        for result in unmatched:
            check.warnings.append(f"selector {result.name} = {result.query!r} matched nothing")
    holds = source.holds
    if source.review_api is not None and holds in ("reviews", "both"):
        _check_review_api(check, html, url, source.review_api)
    if holds in ("reviews", "both") and not page.reviews and source.review_api is None:
        # (A source with a review API reads them from it: its line says what it asks.)
        hint = _listing_hint(page.offers) or _script_hint(html, url, source)
        check.warnings.append("no reviews found on this page" + hint)
    if holds in ("offers", "both") and not page.offers:
        check.warnings.append("no offers found on this page")
    if not page.next_page:
        check.warnings.append("no next-page link found (fine on a last or single page)")
    elif (unfollowed := _unfollowed_reason(page.next_page, source)) is not None:
        check.warnings.append(
            f"the crawl would not follow the next page {page.next_page}: {unfollowed}"
        )
    # What the crawl's validation would drop: a selector reading a rating off its scale or a
    # price with its sign is found here, not by a later crawl that only counts the drops.
    check.warnings += refusal_warnings(page.offers, page.reviews, source.language)
    return check
