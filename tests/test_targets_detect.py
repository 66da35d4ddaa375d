"""``rivalscope targets detect``: how a page carries its reviews, on the demo shops (127.0.0.1)."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from rivalscope.demo.records import DemoShop
from rivalscope.demo.server import DemoServer
from rivalscope.demo.shops import generate_scripted_shops, generate_shops
from rivalscope.demo.site import Response
from settings.records import AggregateRatingItem, OfferItem, PageExtraction, ReviewItem
from settings.targets import parse_targets
from spiders.detect import JsonResponse, Rendered, analyse, api_template
from tests.cli import run_cli
from tests.loopback_site import QuietHandler, answer, answered_robots, serving, write_targets
from tests.widget_site import BIG_JSON_COPIES, HUGE_CHARS, HUGE_JSON_BYTES, WidgetSite


@pytest.mark.parametrize(
    ("url", "ids", "template", "paginate"),
    [
        (
            "http://w.test/r?product=SKU-1&page=1",
            ["SKU-1"],
            "http://w.test/r?product={product_id}&page={page}",
            "page",
        ),
        (
            "http://w.test/products/SKU-12/reviews?start=0&limit=20",
            ["SKU-12", "SKU-1"],
            "http://w.test/products/{product_id}/reviews?start={offset}&limit=20",
            "offset",
        ),
        ("http://w.test/r?id=77", ["SKU-9"], "http://w.test/r?id=77", "next"),
    ],
)
def test_api_template(url: str, ids: list[str], template: str, paginate: str) -> None:
    assert api_template(url, ids) == (template, paginate)


@pytest.fixture(scope="module")
def shops() -> list[DemoShop]:
    return generate_shops(products=2, reviews_per_product=14) + generate_scripted_shops(
        products=2, reviews_per_product=14
    )


@pytest.fixture(scope="module")
def server(shops: list[DemoShop]) -> Iterator[DemoServer]:
    with DemoServer(shops, slow_seconds=0.1) as running:
        yield running


def _detect(server: DemoServer, shops: list[DemoShop], slug: str, *flags: str) -> str:
    shop = next(s for s in shops if s.slug == slug)
    url = f"{server.base_url}/{slug}/p/{shop.products[0].slug}"
    result = run_cli("targets", "detect", url, *flags, cwd=Path.cwd())
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def _chromium_or_skip() -> None:
    if shutil.which("chromium") is None and not os.path.exists("/usr/bin/chromium"):
        if os.environ.get("RIVALSCOPE_CI") == "1":
            pytest.fail("chromium is not installed; CI needs it (tests/install.sh)", pytrace=False)
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")


def _settings_validate(output: str, server: DemoServer) -> None:
    """The proposed lines make a valid source."""
    lines = output.split("# Proposed settings for the [[company.source]] of this page:\n")[1]
    head, _, tables = lines.partition("\n\n")
    text = (
        f'[[company]]\nname = "X"\n[[company.source]]\nname = "x"\n'
        f'start_urls = ["{server.base_url}/"]\n{head}\n\n{tables}'
    )
    parse_targets(text)


@pytest.mark.slow
@pytest.mark.parametrize(
    ("slug", "carriers", "in_html"),
    [
        ("bonhus", "embedded JSON", "embedded-json 14"),
        ("lumiere", "markup (json-ld)", "json-ld 10"),
        ("brewcraft", "layout", "heuristic"),
    ],
)
def test_detect_without_browser(
    server: DemoServer, shops: list[DemoShop], slug: str, carriers: str, in_html: str
) -> None:
    out = _detect(server, shops, slug, "--no-browser")
    assert f"# reviews carried by: {carriers}\n" in out
    assert in_html in out
    assert "rendered in chromium" not in out
    _settings_validate(out, server)


@pytest.mark.browser
@pytest.mark.slow
def test_detect_finds_the_widget_api_and_proposes_it(
    server: DemoServer, shops: list[DemoShop]
) -> None:
    _chromium_or_skip()
    out = _detect(server, shops, "cremalab")
    assert "# reviews carried by: widget API, needs a browser\n" in out
    assert "# in the HTML: 0 reviews" in out and "# rendered in chromium: 10 reviews" in out
    assert "/cremalab/widget/reviews?product={product_id}&page={page}" in out
    assert 'paginate = "page"' in out
    _settings_validate(out, server)


@pytest.mark.browser
@pytest.mark.slow
def test_detect_makes_none_of_the_page_requests_robots_txt_disallows(
    server: DemoServer, shops: list[DemoShop], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rendered page's own requests obey robots.txt as a crawl's do: the widget API the
    page calls by JavaScript is disallowed, so it is never requested (nor proposed), and the
    output says why the rendered page shows no reviews."""
    _chromium_or_skip()
    respond = server.site.respond

    def disallowing_the_widget(raw_path: str) -> Response:
        answer = respond(raw_path)
        if raw_path.split("?")[0] != "/robots.txt":
            return answer
        return Response(200, b"User-agent: *\nDisallow: /cremalab/widget/\n", "text/plain")

    monkeypatch.setattr(server.site, "respond", disallowing_the_widget)
    before = len(server.requested_paths)
    out = _detect(server, shops, "cremalab")
    assert [p for p in server.requested_paths[before:] if "/widget/" in p] == []
    assert "# rendered in chromium: 0 reviews" in out
    assert "review_api" not in out
    assert "requests not made: robots.txt disallows them" in out
    assert "/cremalab/widget/reviews?" in out


@pytest.mark.browser
@pytest.mark.slow
def test_check_renders_a_browser_source_and_suggest_renders_on_request(
    server: DemoServer, shops: list[DemoShop], tmp_path: Path
) -> None:
    if shutil.which("chromium") is None and not os.path.exists("/usr/bin/chromium"):
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from rivalscope.demo.targets import targets_toml

    widget = [s for s in shops if s.markup == "widget"]
    targets = tmp_path / "targets.toml"
    targets.write_text(targets_toml(server.base_url, widget), encoding="utf-8")
    url = f"{server.base_url}/cremalab/p/{widget[0].products[0].slug}"
    counts = {}
    for flag in ("--render", "--no-render"):
        result = run_cli(
            "targets", "check", "cremalab-shop", "--url", url, flag, "--targets", str(targets),
            cwd=tmp_path,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr[-2000:]
        counts[flag] = result.stdout.split(": ", 1)[1].split(" reviews")[0]
    assert counts == {"--render": "10", "--no-render": "0"}
    suggested = run_cli("targets", "suggest", "--url", url, "--render", cwd=tmp_path)
    assert suggested.returncode == 0, suggested.stderr[-2000:]
    assert "# 10 review blocks" in suggested.stdout


def test_detect_on_a_shop_home_page_points_to_a_product_page(server: DemoServer) -> None:
    """A shop's home page has no reviews; before, detect said "none found" and proposed
    mode = "auto" without a word on where reviews are."""
    result = run_cli(
        "targets", "detect", f"{server.base_url}/lumiere/", "--no-browser", cwd=Path.cwd()
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "# reviews carried by: none found" in result.stdout
    assert f"try a product page, e.g. rivalscope targets detect {server.base_url}/lumiere/p/" in (
        result.stdout
    )


@pytest.mark.parametrize(
    ("api", "html", "settings"),
    [
        (  # the id only in a data attribute (no SKU): the template had it written in
            "http://w.test/api/reviews?product=kk42&page=1",
            '<div id="reviews" data-product-id="kk42"></div>',
            [
                'url = "http://w.test/api/reviews?product={product_id}&page={page}"',
                'product_id = \'data-product-id="([^"]+)"\'',
            ],
        ),
        (  # in the path, and an earlier element with the attribute but another value: no regex
            "http://w.test/v1/items/A-77/reviews?offset=0",
            '<a data-item="B-12"></a><div data-item="A-77"></div>',
            ['url = "http://w.test/v1/items/A-77/reviews?offset={offset}"'],
        ),
    ],
)
def test_detect_reads_an_api_product_id_from_the_pages_markup(
    api: str, html: str, settings: list[str]
) -> None:
    page = f"<html><body><h1>Kawa</h1>{html}</body></html>"
    rendered = Rendered(html=page, json=[JsonResponse(api, 4, None)])
    found = analyse("http://w.test/p/kawa", PageExtraction(url=""), None, rendered)
    lines = found.settings[found.settings.index("[company.source.review_api]") + 1 :]
    assert [line for line in lines if not line.startswith("paginate")] == settings
    regex = next((line for line in lines if line.startswith("product_id")), None)
    if regex is not None:  # as the crawl reads it: the first group, in the page's HTML
        table = tomllib.loads(regex)
        match = re.search(table["product_id"], page)
        assert match is not None and match.group(1) == "kk42"


def test_detect_takes_no_api_product_id_from_a_sku_only_the_rendered_page_shows() -> None:
    # The crawl reads the widget's API from the page as the server sends it, where a
    # JavaScript page names no SKU: a template filled from the rendered page's SKU alone
    # (the default product_id) found no product id in the crawl, and stored no review.
    api = "http://w.test/widget/reviews?product=k100&page=1"
    page = '<html><body><div data-product-id="k100"><h1>Kettle</h1></div></body></html>'
    rendered = Rendered(html=page, json=[JsonResponse(api, 5, None)])
    plain = PageExtraction(url="", offers=[OfferItem(name="Kettle", price="49.90")])
    shown = PageExtraction(url="", offers=[OfferItem(name="Kettle", sku="k100")])
    found = analyse("http://w.test/product/k100", plain, shown, rendered)
    lines = found.settings[found.settings.index("[company.source.review_api]") + 1 :]
    table = tomllib.loads("\n".join(lines))
    assert table["url"] == "http://w.test/widget/reviews?product={product_id}&page={page}"
    match = re.search(table["product_id"], page)
    assert match is not None and match.group(1) == "k100"


HANGING_PAGE = b"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Lamp</title>
<script async src="/tag-manager.js"></script></head><body><h1>Lamp</h1>
<section id="reviews"></section>
<script>
for (const text of ["Bright and steady light for the whole evening.", "Sturdy base and warm light."]) {
  const el = document.createElement("div");
  el.setAttribute("itemprop", "review"); el.setAttribute("itemscope", "");
  el.setAttribute("itemtype", "https://schema.org/Review");
  el.innerHTML = '<p itemprop="reviewBody"></p>';
  el.querySelector("p").textContent = text;
  document.getElementById("reviews").appendChild(el);
}
</script></body></html>"""


class _HangingTagHandler(QuietHandler):
    """A page whose reviews its script writes, and a tag manager that is not answered while
    the test runs: the page's load event never comes."""

    def do_GET(self) -> None:
        if answered_robots(self):
            return
        if self.path == "/tag-manager.js":
            self.server.released.wait(120)  # type: ignore[attr-defined]
            return
        answer(self, 200, {"Content-Type": "text/html; charset=utf-8"}, HANGING_PAGE)


@pytest.mark.browser
@pytest.mark.slow
def test_detect_reads_a_page_whose_load_event_never_comes(tmp_path: Path) -> None:
    """Before, the rendering waited for the load event until detect's 30 s limit and the
    command said "reading the page took longer than 270 s" (the whole reading's limit)."""
    _chromium_or_skip()
    released = threading.Event()
    with serving(_HangingTagHandler, released=released) as (_server, base):
        try:
            result = run_cli("targets", "detect", f"{base}/p/lamp", cwd=tmp_path)
        finally:
            released.set()
    assert result.returncode == 0, result.stderr
    assert "# rendered in chromium: 2 reviews" in result.stdout, result.stdout


@pytest.mark.parametrize(
    ("next_page", "reach"),
    [
        (
            "http://127.0.0.1/p/kettle?page=2",
            "auto reads the next-page link http://127.0.0.1/p/kettle?page=2, which a crawl "
            "follows where the source's follow and deny patterns let it",
        ),
        (None, "no next-page link found: set selectors.next_page to it, or browser.click"),
    ],
)
def test_detect_says_whether_a_crawl_can_reach_the_reviews_of_later_pages(
    next_page: str | None, reach: str
) -> None:
    """ "the rest are on later pages (pagination) or behind a button" left the reader to
    guess whether a crawl reads them."""
    reviews = [
        ReviewItem(url="http://127.0.0.1/p/kettle", text=f"Kettle {n} is fine.") for n in range(3)
    ]
    plain = PageExtraction(
        url="http://127.0.0.1/p/kettle",
        reviews=reviews,
        aggregate_rating=AggregateRatingItem(rating_value=4.0, review_count=8),
        next_page=next_page,
    )
    (note,) = [n for n in analyse(plain.url, plain, None, None).notes if "declares 8" in n]
    assert f"later pages (pagination) or behind a button; {reach}" in note


@pytest.mark.parametrize(
    ("socket_reviews", "rendered", "carrier", "note"),
    [
        # Reviews only over a web socket, none drawn: before, "none found".
        ({"ws://w.test/live": 4}, 0, "web socket", "the rendered page shows none of them"),
        ({"ws://w.test/live": 4}, 4, "web socket", "the rendered page shows 4"),
        # A socket with no review in its messages (a chat, a tracker) says nothing.
        ({"ws://w.test/chat": 0}, 0, "none found", None),
    ],
)
def test_detect_says_reviews_arrive_over_a_web_socket(
    socket_reviews: dict[str, int], rendered: int, carrier: str, note: str | None
) -> None:
    url = "http://w.test/p/lamp"
    shown = PageExtraction(
        url=url, reviews=[ReviewItem(url=url, text=f"Lamp {n} is fine.") for n in range(rendered)]
    )
    page = Rendered(html="<html></html>", socket_reviews=socket_reviews)
    found = analyse(url, PageExtraction(url=url), shown, page)
    assert carrier in found.carriers
    said = [n for n in found.notes if "web socket" in n]
    if note is None:
        assert said == []
    else:
        (line,) = said
        assert "ws://w.test/live: 4 in its first messages" in line
        assert note in line


SOCKET_PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Lamp</title>
</head><body><h1>Lamp</h1><section id="reviews"></section>
<script>
const socket = new WebSocket(location.origin.replace("http", "ws") + "/live");
socket.onmessage = (event) => {
  for (const r of JSON.parse(event.data).reviews) {
    if (!DRAW) continue;
    const el = document.createElement("div");
    el.setAttribute("itemprop", "review"); el.setAttribute("itemscope", "");
    el.setAttribute("itemtype", "https://schema.org/Review");
    el.innerHTML = '<p itemprop="reviewBody"></p>';
    el.querySelector("p").textContent = r.text;
    document.getElementById("reviews").appendChild(el);
  }
};
</script></body></html>"""
SOCKET_MESSAGE = {
    "reviews": [
        {"id": "s-1", "rating": 5, "text": "Bright and steady light for the whole evening."},
        {"id": "s-2", "rating": 4, "text": "Sturdy base and warm light, easy to move."},
    ]
}


class _SocketHandler(QuietHandler):
    """A page whose reviews arrive over a web socket (``/live``: one JSON message, then
    open until the test ends); the page draws them if the server's ``draw`` says so."""

    def do_GET(self) -> None:
        if answered_robots(self):
            return
        if self.path != "/live":
            draw = "true" if self.server.draw else "false"  # type: ignore[attr-defined]
            page = SOCKET_PAGE.replace("DRAW", draw).encode()
            answer(self, 200, {"Content-Type": "text/html; charset=utf-8"}, page)
            return
        key = self.headers["Sec-WebSocket-Key"] + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
        self.send_response(101)
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        accept = base64.b64encode(hashlib.sha1(key.encode()).digest()).decode()
        self.send_header("Sec-WebSocket-Accept", accept)
        self.end_headers()
        body = json.dumps(SOCKET_MESSAGE).encode()
        self.wfile.write(bytes([0x81, 126]) + len(body).to_bytes(2, "big") + body)
        self.wfile.flush()
        self.server.released.wait(60)  # type: ignore[attr-defined]
        self.close_connection = True


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize(("draw", "shown"), [(True, "2 reviews"), (False, "0 reviews")])
def test_detect_reads_reviews_arriving_over_a_web_socket(
    tmp_path: Path, draw: bool, shown: str
) -> None:
    """Before, a page whose reviews arrive over a web socket was "none found" when it did not
    draw them, and "needs a browser" with no word of the socket when it did."""
    _chromium_or_skip()
    released = threading.Event()
    with serving(_SocketHandler, released=released, draw=draw) as (_server, base):
        try:
            result = run_cli("targets", "detect", f"{base}/p/lamp", cwd=tmp_path)
        finally:
            released.set()
    assert result.returncode == 0, result.stderr
    assert "web socket" in result.stdout.split("# reviews carried by:")[1].splitlines()[0]
    assert "/live: 2 in its first messages" in result.stdout, result.stdout
    assert f"# rendered in chromium: {shown}" in result.stdout, result.stdout


@pytest.mark.browser
@pytest.mark.slow
def test_detect_closes_a_modal_wall_as_a_crawl_does(tmp_path: Path) -> None:
    """A letter's modal wall that holds the reviews back until it is closed (its form's only
    button; Escape refused): detect closes it with the crawl's code and reads the first
    page of reviews. Before, detect did not close walls: "0 reviews" rendered."""
    _chromium_or_skip()
    with WidgetSite() as site:
        url = f"{site.shop_url}/p/kettle-dialog-form"
        result = run_cli("targets", "detect", url, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "# rendered in chromium: 3 reviews" in result.stdout, result.stdout


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.parametrize("page", ["kettle-shadow-box", "kettle-frame-box"])
def test_detect_counts_reviews_in_shadow_roots_and_frames_as_a_crawl_does(
    tmp_path: Path, page: str
) -> None:
    """A widget drawing its first page of reviews in the open shadow root of their section,
    or in a same-origin iframe: detect copies them into the rendered HTML with the crawl's
    code (``spiders.browser.copy_roots``) and counts them, and says a browser reads them.
    Before, detect read ``page.content()`` as it was: "0 reviews" rendered."""
    _chromium_or_skip()
    with WidgetSite() as site:
        result = run_cli("targets", "detect", f"{site.shop_url}/p/{page}", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "# rendered in chromium: 3 reviews" in result.stdout, result.stdout
    carriers = result.stdout.split("# reviews carried by:")[1].splitlines()[0]
    assert "needs a browser" in carriers, result.stdout


@pytest.mark.browser
@pytest.mark.slow
def test_detect_refuses_a_rendered_page_over_the_response_limit(tmp_path: Path) -> None:
    """A page whose script appends 12 MiB of HTML: detect refuses it as a crawl's rendering
    does (``rendered_too_large``, limits.max_response_mb, 10 by default), in one line that
    says the limit and the setting, and its HTML never leaves the browser. Before, detect
    read the whole ``page.content()`` and answered (exit 0)."""
    _chromium_or_skip()
    with WidgetSite() as site:
        result = run_cli("targets", "detect", f"{site.shop_url}/p/kettle-huge", cwd=tmp_path)
    assert result.returncode == 2, result.stdout
    assert "Traceback" not in result.stderr, result.stderr
    [error] = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    size = re.search(r"its HTML of ([\d,]+) characters", error)
    assert size is not None and int(size[1].replace(",", "")) > HUGE_CHARS, error
    assert "over the response limit, 10,485,760 characters (limits.max_response_mb = 10)" in error


@pytest.mark.browser
@pytest.mark.slow
def test_check_render_refuses_a_page_over_its_sources_response_limit(tmp_path: Path) -> None:
    """``targets check --render`` (``target_check.fetch_page``, through detect's reading)
    bounds the rendered page by the source's own limits.max_response_mb, the setting the
    plain fetch obeys. Before, it read the 12 MiB page whole (exit 0)."""
    _chromium_or_skip()
    with WidgetSite() as site:
        url = f"{site.shop_url}/p/kettle-huge"
        write_targets(
            tmp_path,
            [url],
            extra="[company.source.limits]\nmax_response_mb = 1\nwarn_response_mb = 1\n",
        )
        result = run_cli("targets", "check", "kettles", "--url", url, "--render", cwd=tmp_path)
    assert result.returncode == 2, result.stdout
    assert "1,048,576 characters (limits.max_response_mb = 1)" in result.stderr, result.stderr


class _HugeBodyHandler(QuietHandler):
    """A page of 12 MiB, sent without a length until the reader closes the connection."""

    def do_GET(self) -> None:
        if answered_robots(self):
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        with contextlib.suppress(OSError):  # the reader cancelled the download
            self.wfile.write(b"<html><body>")
            for _ in range(HUGE_CHARS // 1024):
                self.wfile.write(b"<p>" + b"x" * 1017 + b"</p>")


def test_detect_says_the_limit_a_huge_body_is_over(tmp_path: Path) -> None:
    """The plain fetch was bounded (DOWNLOAD_MAXSIZE) but said "body larger than
    limits.max_response_mb" without the limit; now it says it, as a crawl's log does."""
    with serving(_HugeBodyHandler) as (_server, base):
        result = run_cli("targets", "detect", f"{base}/p/huge", "--no-browser", cwd=tmp_path)
    assert result.returncode == 2, result.stdout
    [error] = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert "body over 10,485,760 bytes (limits.max_response_mb = 10): download cancelled" in error


HOSTILE = "\x1b]0;owned\x07\x1b[2J\x9b31m\u202e"
"""An OSC title, a screen clear, a C1 CSI and a right-to-left override: escapes a page can
put in its links, which a terminal obeys when printed as they are."""
HOSTILE_PRODUCT = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Kettle</title>
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "Product",
"name": "Kettle", "aggregateRating": {{"@type": "AggregateRating", "ratingValue": 4,
"reviewCount": 9}}, "review": [{{"@type": "Review", "reviewBody": "Boils fast and pours well.",
"reviewRating": {{"ratingValue": 5}}}}]}}</script></head>
<body><h1>Kettle</h1><a rel="next" href="/p/kettle?page=2{HOSTILE}">next</a></body></html>"""
HOSTILE_HOME = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
</head><body><a href="/p/kettle-{HOSTILE}x1">Kettle</a></body></html>"""


class _HostileLinksHandler(QuietHandler):
    def do_GET(self) -> None:
        if answered_robots(self):
            return
        page = HOSTILE_HOME if self.path == "/" else HOSTILE_PRODUCT
        answer(self, 200, {"Content-Type": "text/html; charset=utf-8"}, page.encode("utf-8"))


def test_detect_prints_no_control_character_a_page_holds(tmp_path: Path) -> None:
    """Before, the next-page link and the product link detect names went to the terminal
    with the page's escape sequences in them."""
    with serving(_HostileLinksHandler) as (_server, base):
        product = run_cli("targets", "detect", f"{base}/p/kettle", "--no-browser", cwd=tmp_path)
        home = run_cli("targets", "detect", f"{base}/", "--no-browser", cwd=tmp_path)
    assert product.returncode == 0 and home.returncode == 0, product.stderr + home.stderr
    assert f"auto reads the next-page link {base}/p/kettle?page=2" in product.stdout
    assert f"rivalscope targets detect {base}/p/kettle-" in home.stdout
    for output in (product.stdout, home.stdout):
        assert not any(ch in output for ch in "\x1b\x07\x9b\u202e"), ascii(output)


_RENDER_PEAK = """
import asyncio, re, sys
from pathlib import Path
from playwright._impl.network import Response
from spiders.detect import _render

read = 0
body = Response.body


async def counted(self):
    global read
    data = await body(self)
    read += len(data)
    return data


async def allowed(url):
    return False


def peak():
    return int(re.search(r"VmHWM:\\s*(\\d+)", Path("/proc/self/status").read_text())[1]) << 10


Response.body = counted
Path("/proc/self/clear_refs").write_text("5")  # the peak from here on
before = peak()
page = asyncio.run(_render(sys.argv[1], "rivalscope-test", sys.argv[2], allowed, 10 << 20))
print(read, peak() - before, sum(1 for j in page.json if j.reviews == 3))
"""


@pytest.mark.browser
@pytest.mark.slow
def test_detect_reads_no_huge_json_reply_into_its_process(tmp_path: Path) -> None:
    """Before, each JSON reply the page fetched was read whole into the detecting process
    and only then found too large: three replies of HUGE_JSON_BYTES (with a Content-Length,
    without one, gzip-compressed to a small one) grew its peak memory by hundreds of MiB.
    Their sizes are now known from the browser first, and the widget's small reply is
    still read."""
    _chromium_or_skip()
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    with WidgetSite() as site:
        url = f"{site.shop_url}/p/kettle-big-json"
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
        result = subprocess.run(
            [sys.executable, "-c", _RENDER_PEAK, url, chromium],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=300,
        )
        asked = site.hits[("127.0.0.2", "/api/big")]
    assert result.returncode == 0, result.stderr[-2000:]
    assert asked == 4 * BIG_JSON_COPIES + 1
    read, grown, with_reviews = (int(n) for n in result.stdout.split())
    # the small ones, compressed too, and the other site's frame's
    assert with_reviews == 2 + BIG_JSON_COPIES, result.stdout
    assert read < 10_000, f"{read:,} bytes of replies read"
    assert grown < 2 * HUGE_JSON_BYTES, f"peak memory grew by {grown >> 20} MiB"
