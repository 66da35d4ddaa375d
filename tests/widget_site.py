"""A shop on 127.0.0.1 whose product page loads its reviews with JavaScript from a review
widget's JSON API on another loopback host (127.0.0.2), three per page behind a "load more"
button; the page also tries a tracker on a third host (127.0.0.3) that a crawl must block.
``/p/kettle-local`` loads them from the shop's own host; ``/p/kettle-heavy`` is a long
gallery page (HEAVY_IMAGES images before its reviews) that also tells the shop the user
agent its script sees (``WidgetSite.script_agents``); ``/p/kettle-shadow`` draws its reviews
in the open shadow root of their section (a review widget's web component). Every page
also opens a web socket to the tracker. ``/p/kettle-hanging`` has a tag script the shop
never answers while the site runs (its load event never comes); ``/p/kettle-scroll`` has no
button and loads the next reviews when scrolled to its end (an endless list);
``/p/kettle-wall`` is covered by a fixed cookie wall (its button under it), and
``/p/kettle-consent`` loads no review until the wall's button is clicked. The
``/p/kettle-dialog*`` pages open a modal ``<dialog>`` (``showModal``: the rest of the page is
inert, a click on "load more" never lands): ``-escape`` closes on the Escape key;
``-form`` refuses Escape and loads its reviews only once closed by its ``method=dialog``
form; ``-stuck`` refuses Escape, has no button, opens again when closed and stops the page
scrolling; ``-reviews`` is a modal holding the reviews and their button (not a wall).
``/p/kettle-box`` keeps its reviews in an inner scroll box (``overflow-y: auto``) that loads
the next ones when scrolled to its end (the window does not scroll), beside a small menu
that scrolls too; ``/p/kettle-shadow-box`` keeps that box in the open shadow root of their
section, ``/p/kettle-frame-box`` in a same-origin iframe (``/frame/reviews``, a widget's
frame). ``/p/kettle-socket`` opens a web socket to the shop (``/flood``) that sends it
FLOOD_FRAMES messages of FLOOD_BYTES. ``/p/kettle-shadow-next`` and ``/p/kettle-frame-next`` are ``/p/kettle-next`` (a "next"
button that replaces the reviews shown) drawing them in an open shadow root and in a
same-origin frame (srcdoc). ``/p/kettle-dialog-wall-reviews`` opens a letter's modal over the modal holding
the reviews, which closes on the Escape key (its script listens for it);
``-wall-closes-all`` refuses Escape and closes every dialog once its form closes it.
``/p/kettle-huge`` is a small page whose script appends HUGE_CHARS characters of HTML, over
the default response limit (10 MiB, limits.max_response_mb). ``/p/kettle-big-json`` also
fetches 3 x BIG_JSON_COPIES JSON replies of HUGE_JSON_BYTES from the widget's host
(``/api/big``: with their Content-Length, without, gzip-compressed to a small
Content-Length) and BIG_JSON_COPIES small gzip-compressed ones holding its first reviews,
before its reviews; a frame from the widget's host (``/frame/small-gzip``) fetches one
more small one. Each
host answers robots.txt as ``WidgetSite.robots`` says (everything
allowed unless a test says otherwise)."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import threading
import zlib
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import parse_qs, urlparse

REVIEWS = [
    {"id": f"w-{i}", "rating": 1 + i % 5, "text": f"Widget review number {i}, plain words."}
    for i in range(1, 8)
]
PER_PAGE = 3
HEAVY_IMAGES = 3000
ALLOW_ALL = b"User-agent: *\nAllow: /\n"
HUGE_CHARS = 12 * 1024 * 1024
# Over review_api.MAX_JSON_BYTES (8 MiB), under the 10 MB chromium keeps of a reply's body
# for playwright to read (larger ones it drops itself).
HUGE_JSON_BYTES = 9_500_000
BIG_JSON_COPIES = 4
# /p/kettle-socket's web socket (/flood): FLOOD_FRAMES messages of FLOOD_BYTES.
FLOOD_FRAMES = 64
FLOOD_BYTES = 16 * 1024

# A review drawn from the API's JSON (r) as the element el, in microdata.
REVIEW_ELEMENT = """    const el = document.createElement("article");
    el.setAttribute("itemprop", "review");
    el.setAttribute("itemscope", "");
    el.setAttribute("itemtype", "https://schema.org/Review");
    el.innerHTML = '<meta itemprop="identifier" content="' + r.id + '">' +
      '<div itemprop="reviewRating" itemscope itemtype="https://schema.org/Rating">' +
      '<meta itemprop="ratingValue" content="' + r.rating + '">' +
      '<meta itemprop="bestRating" content="5"></div>' +
      '<p itemprop="reviewBody"></p>';
    el.querySelector("p").textContent = r.text;"""
PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Kettle One</title></head>
<body><main itemscope itemtype="https://schema.org/Product">
<h1 itemprop="name">Kettle One</h1><span itemprop="sku">K-1</span>
<div itemprop="offers" itemscope itemtype="https://schema.org/Offer">
<meta itemprop="price" content="49.90"><meta itemprop="priceCurrency" content="EUR"></div>
<div itemprop="aggregateRating" itemscope itemtype="https://schema.org/AggregateRating">
<meta itemprop="ratingValue" content="3.1"><meta itemprop="reviewCount" content="{declared}"></div>
<img src="{tracker}/pixel.gif" alt="">{gallery}{wall}
<section id="reviews"></section>
<button id="more" hidden>Load more reviews</button>
</main>
<script>
let next = "{api}/api/reviews?product=K-1&page=1";
let loading = false;
fetch("{tracker}/beacon").catch(() => null);
try {{ new WebSocket("{tracker}/socket".replace("http", "ws")); }} catch (e) {{}}
{agent_beacon}
async function load() {{
  if (loading || !next) return;
  loading = true;
  const data = await (await fetch(next)).json();
  if ({replace}) {reviews_root}.replaceChildren();
  for (const r of data.reviews) {{
{review_element}
    {reviews_root}.appendChild(el);
  }}
  next = data.next;
  loading = false;
  document.getElementById("more").hidden = {button_hidden} || !next;
}}
document.getElementById("more").addEventListener("click", load);
{start}
</script></body></html>
"""
# /p/kettle-wall and /p/kettle-consent: a cookie wall over the whole window.
WALL = """<div id="wall" style="position:fixed;inset:0;z-index:9;background:#fff">
<div><button id="consent-ok">OK</button></div></div>"""
ON_CONSENT = """document.getElementById("consent-ok").addEventListener("click", () => {
  document.getElementById("wall").remove(); load(); });"""
# /p/kettle-scroll: the next reviews when the window is scrolled to the page's end.
ON_SCROLL_END = """addEventListener("scroll", () => {
  if (innerHeight + scrollY >= document.documentElement.scrollHeight - 10) load(); });
load();"""
# /p/kettle-dialog-*: a modal dialog over the page (no words of a site: a letter's offer).
DIALOG = """<dialog id="letter"><p>Our letter, once a month.</p>{form}</dialog>"""
DIALOG_FORM = '<form method="dialog"><button aria-label="close">x</button></form>'
_LETTER = 'const letter = document.getElementById("letter");\n'
_NO_ESCAPE = 'letter.addEventListener("cancel", (e) => e.preventDefault());\n'
_REVIEWS_MODAL = """const modal = document.createElement("dialog");
modal.append(document.getElementById("reviews"), document.getElementById("more"));
document.querySelector("main").append(modal);
modal.showModal();
"""
DIALOG_START = {
    "dialog-escape": _LETTER + "letter.showModal();\nload();",
    "dialog-form": _LETTER + _NO_ESCAPE + 'letter.addEventListener("close", load);\n'
    "letter.showModal();",
    "dialog-stuck": _LETTER
    + _NO_ESCAPE
    + 'letter.addEventListener("close", () => letter.showModal());\n'
    'document.documentElement.style.overflow = "hidden";\nletter.showModal();\nload();',
    "dialog-reviews": _REVIEWS_MODAL + "load();",
    # a letter's modal over the one holding the reviews, which closes on Escape
    "dialog-wall-reviews": _REVIEWS_MODAL
    + 'addEventListener("keydown", (e) => { if (e.key === "Escape") modal.close(); });\n'
    + _LETTER
    + "letter.showModal();\nload();",
    # the letter refuses Escape, and its form's closing closes every dialog
    "dialog-wall-closes-all": _REVIEWS_MODAL
    + _LETTER
    + _NO_ESCAPE
    + 'letter.addEventListener("close", () => modal.close());\n'
    + "letter.showModal();\nload();",
}
# /p/kettle-huge: HUGE_CHARS characters of paragraphs appended by the page's script.
ON_HUGE = f"""load();
document.querySelector("main").insertAdjacentHTML("beforeend",
  ("<p>" + "x".repeat(1017) + "</p>").repeat({HUGE_CHARS // 1024}));"""
# /p/kettle-big-json: huge JSON replies fetched first, then the reviews.
ON_BIG_JSON = f"""document.body.insertAdjacentHTML("beforeend",
  '<iframe src="{{api}}/frame/small-gzip" style="width:10px;height:10px"></iframe>');
Promise.all(["length", "stream", "gzip", "small-gzip"].flatMap(how =>
  [...Array({BIG_JSON_COPIES}).keys()].map(n =>
    fetch("{{api}}/api/big?n=" + n + "&how=" + how).then(r => r.arrayBuffer()).catch(() => 0)))
).then(() => load());"""
# /p/kettle-box: the reviews in an inner scroll box, the next ones when it is scrolled to its
# end; a small menu scrolls too.
BOX_STYLE = """<style>#reviews{display:block;height:240px;overflow-y:auto}
#reviews article{display:block;min-height:120px}</style>
<nav style="height:40px;overflow-y:auto"><a href="#a">a</a><br><a href="#b">b</a><br>
<a href="#c">c</a><br><a href="#d">d</a></nav>"""
ON_BOX_END = """const box = document.getElementById("reviews");
box.addEventListener("scroll", () => {
  if (box.scrollTop + box.clientHeight >= box.scrollHeight - 10) load(); });
load();"""
# /p/kettle-shadow-box: that box in the open shadow root of the reviews' section.
ON_SHADOW_BOX_END = """const shadow = document.getElementById("reviews").attachShadow({mode: "open"});
shadow.innerHTML = "<style>#box{display:block;height:240px;overflow-y:auto}" +
  "#box article{display:block;min-height:120px}</style><div id=box></div>";
const box = shadow.getElementById("box");
box.addEventListener("scroll", () => {
  if (box.scrollTop + box.clientHeight >= box.scrollHeight - 10) load(); });
load();"""
# /p/kettle-socket: a web socket to the shop that floods the page with messages.
ON_SOCKET = """new WebSocket(location.origin.replace("http", "ws") + "/flood");
load();"""
# /p/kettle-frame-next: the reviews in a same-origin frame (srcdoc) the page's own "next"
# button fills, once the frame has loaded.
FRAME_NEXT = '<iframe id="w" srcdoc="<section id=reviews></section>"></iframe>'
FRAME_NEXT_ROOT = 'document.getElementById("w").contentDocument.getElementById("reviews")'
ON_FRAME_NEXT = """const frame = document.getElementById("w");
if (frame.contentDocument && frame.contentDocument.getElementById("reviews")) load();
else frame.addEventListener("load", load);"""
# /p/kettle-frame-box: that box in a same-origin iframe, a widget's frame of its own.
FRAME = '<iframe src="/frame/reviews" style="width:480px;height:320px"></iframe>'
FRAME_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">{style}</head>
<body><section id="reviews"></section>
<script>
let next = "{api}/api/reviews?product=K-1&page=1";
let loading = false;
const box = document.getElementById("reviews");
async function load() {{
  if (loading || !next) return;
  loading = true;
  const data = await (await fetch(next)).json();
  data.reviews.forEach((r) => {{
{review_element}
    box.appendChild(el); }});
  next = data.next;
  loading = false;
}}
box.addEventListener("scroll", () => {{
  if (box.scrollTop + box.clientHeight >= box.scrollHeight - 10) load(); }});
load();
</script></body></html>
"""
PAGES = (
    "/p/kettle-one",
    "/p/kettle-next",
    "/p/kettle-shadow-next",
    "/p/kettle-frame-next",
    "/p/kettle-socket",
    "/p/kettle-local",
    "/p/kettle-heavy",
    "/p/kettle-shadow",
    "/p/kettle-hanging",
    "/p/kettle-scroll",
    "/p/kettle-wall",
    "/p/kettle-consent",
    "/p/kettle-box",
    "/p/kettle-shadow-box",
    "/p/kettle-frame-box",
    "/p/kettle-huge",
    "/p/kettle-big-json",
    *(f"/p/kettle-{name}" for name in DIALOG_START),
)


class _Handler(BaseHTTPRequestHandler):
    site: WidgetSite

    def do_GET(self) -> None:
        site = self.server.site  # type: ignore[attr-defined]
        parsed = urlparse(self.path)
        site.hits[(self.server.server_address[0], parsed.path)] += 1  # type: ignore[index]
        if parsed.path == "/robots.txt":
            status, rules = site.robots.get(self.server.server_address[0], (200, ALLOW_ALL))
            self._send(status, "text/plain", rules)
        elif parsed.path == "/agent":
            site.script_agents += parse_qs(parsed.query).get("ua", [])
            self._send(204, "text/plain", b"")
        elif parsed.path.startswith("/img/"):
            self._send(200, "image/gif", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;")
        elif parsed.path == "/hang.js":
            site.released.wait(120)  # never answered while the site runs
        elif parsed.path == "/frame/reviews":
            style = BOX_STYLE.split("</style>")[0] + "</style>"
            html = FRAME_PAGE.format(style=style, api=site.api_url, review_element=REVIEW_ELEMENT)
            self._send(200, "text/html; charset=utf-8", html.encode())
        elif parsed.path in PAGES:
            heavy = parsed.path.endswith("heavy")
            name = parsed.path.removeprefix("/p/kettle-")
            # kettle-scroll: a tall page, whose end is out of the window.
            tall = '<div style="height:900px"></div>'
            html = PAGE.format(
                review_element=REVIEW_ELEMENT,
                gallery="".join(f'<img src="/img/{i}.jpg" alt="">' for i in range(HEAVY_IMAGES))
                if heavy
                else '<script async src="/hang.js"></script>'
                if name == "hanging"
                else tall * 2
                if name == "scroll"
                else BOX_STYLE
                if name == "box"
                else FRAME
                if name == "frame-box"
                else FRAME_NEXT
                if name == "frame-next"
                else "",
                wall=WALL
                if name in ("wall", "consent")
                else DIALOG.format(form=DIALOG_FORM if name == "dialog-form" else "")
                if name.startswith("dialog-") and name != "dialog-reviews"
                else "",
                button_hidden="true"
                if name in ("scroll", "box", "shadow-box", "frame-box")
                else "false",
                start={
                    "scroll": ON_SCROLL_END,
                    "consent": ON_CONSENT,
                    "box": ON_BOX_END,
                    "shadow-box": ON_SHADOW_BOX_END,
                    "frame-box": "",  # the frame loads them
                    "frame-next": ON_FRAME_NEXT,
                    "socket": ON_SOCKET,
                    "huge": ON_HUGE,
                    "big-json": ON_BIG_JSON.replace("{api}", site.api_url),
                }.get(name, DIALOG_START.get(name, "load();")),
                # kettle-shadow: a review widget drawn in its open shadow root
                reviews_root='(host => host.shadowRoot || host.attachShadow({mode: "open"}))'
                '(document.getElementById("reviews"))'
                if name in ("shadow", "shadow-next")
                else FRAME_NEXT_ROOT
                if name == "frame-next"
                else "box"
                if name == "shadow-box"
                else 'document.getElementById("reviews")',
                agent_beacon='fetch("/agent?ua=" + encodeURIComponent(navigator.userAgent));'
                if heavy
                else "",
                api=site.shop_url if parsed.path.endswith("local") else site.api_url,
                tracker=site.tracker_url,
                declared=len(REVIEWS),
                # kettle-next: a "next" button that replaces the reviews shown
                # (-shadow-next: in its open shadow root; -frame-next: in a same-origin frame)
                replace="true" if parsed.path.endswith("next") else "false",
            )
            self._send(200, "text/html; charset=utf-8", html.encode())
        elif parsed.path == "/flood":
            self._flood()
        elif parsed.path == "/frame/small-gzip":  # another site's frame: its own process
            script = '<script>fetch("/api/big?n=frame&how=small-gzip")</script>'
            self._send(200, "text/html; charset=utf-8", script.encode())
        elif parsed.path == "/api/big":
            self._send_big(parse_qs(parsed.query)["how"][0])
        elif parsed.path == "/api/reviews" and site.hold is not None:
            site.api_asked.set()  # a test holds the answer until it has done its part
            site.hold.wait(60)
            with contextlib.suppress(OSError):  # the page asking is gone by now
                self._send(503, "text/plain", b"held")
        elif parsed.path == "/api/reviews":
            page = int(parse_qs(parsed.query).get("page", ["1"])[0])
            chunk = REVIEWS[(page - 1) * PER_PAGE : page * PER_PAGE]
            more = page * PER_PAGE < len(REVIEWS)
            body = {
                "reviews": chunk,
                "total": len(REVIEWS),
                "next": f"{site.api_url}/api/reviews?product=K-1&page={page + 1}" if more else None,
            }
            self._send(200, "application/json", json.dumps(body).encode())
        else:
            self._send(404, "text/plain", b"not found")

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()
        self.wfile.write(body)

    def _flood(self) -> None:
        """A web socket's handshake, then FLOOD_FRAMES text messages of FLOOD_BYTES; open
        until the page closes it (or a minute)."""
        key = self.headers["Sec-WebSocket-Key"] + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
        self.send_response(101)
        self.send_header("Upgrade", "websocket")
        self.send_header("Connection", "Upgrade")
        accept = base64.b64encode(hashlib.sha1(key.encode()).digest()).decode()
        self.send_header("Sec-WebSocket-Accept", accept)
        self.end_headers()
        frame = bytes([0x81, 126]) + FLOOD_BYTES.to_bytes(2, "big") + b"x" * FLOOD_BYTES
        with contextlib.suppress(OSError):  # closed by the page
            for _ in range(FLOOD_FRAMES):
                self.wfile.write(frame)
            self.wfile.flush()
            self.connection.settimeout(60)
            self.connection.recv(1)
        self.close_connection = True

    def _send_big(self, how: str) -> None:
        """HUGE_JSON_BYTES of JSON: with its length, without (the connection closed at its
        end), or gzip-compressed (its small compressed length said); or ``small-gzip``, the
        first reviews gzip-compressed."""
        row = b'{"id": "x", "text": "' + b"x" * 1000 + b'"},'
        rows = HUGE_JSON_BYTES // len(row)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Access-Control-Allow-Origin", "*")
        if how.endswith("gzip"):
            packer = zlib.compressobj(9, zlib.DEFLATED, 31)
            data = (
                json.dumps({"reviews": REVIEWS[:PER_PAGE]}).encode()
                if how == "small-gzip"
                else b'{"items": [' + row * rows + b'{"id": "y"}]}'
            )
            body = packer.compress(data) + packer.flush()
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        if how == "length":
            self.send_header("Content-Length", str(len(row) * rows + 24))
        else:
            self.close_connection = True
        self.end_headers()
        with contextlib.suppress(OSError):  # the browser may stop reading
            self.wfile.write(b'{"items": [')
            for _ in range(rows // 1024):
                self.wfile.write(row * 1024)
            self.wfile.write(row * (rows % 1024) + b'{"id": "y"}]}')

    def log_message(self, format: str, *args: object) -> None:
        pass


class WidgetSite:
    """Three servers (shop, widget API, tracker) on three loopback addresses."""

    def __init__(self) -> None:
        self.hits: Counter[tuple[str, str]] = Counter()
        # host -> (status, body) of its robots.txt
        self.robots: dict[str, tuple[int, bytes]] = {}
        # navigator.userAgent as /p/kettle-heavy's script saw it
        self.script_agents: list[str] = []
        self._servers: list[ThreadingHTTPServer] = []
        # Set by a test: the review API is not answered until it is set (api_asked is set
        # once a page asked for it).
        self.hold: threading.Event | None = None
        self.api_asked = threading.Event()
        self.released = threading.Event()  # /hang.js is answered once the site stops

    def __enter__(self) -> WidgetSite:
        for host in ("127.0.0.1", "127.0.0.2", "127.0.0.3"):
            server = ThreadingHTTPServer((host, 0), _Handler)
            server.site = self  # type: ignore[attr-defined]
            threading.Thread(target=server.serve_forever, daemon=True).start()
            self._servers.append(server)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.released.set()
        for server in self._servers:
            server.shutdown()
            server.server_close()

    def _url(self, index: int) -> str:
        host, port = self._servers[index].server_address[:2]
        return f"http://{host}:{port}"

    @property
    def shop_url(self) -> str:
        return self._url(0)

    @property
    def api_url(self) -> str:
        return self._url(1)

    @property
    def tracker_url(self) -> str:
        return self._url(2)

    def hits_on(self, host: str) -> int:
        return sum(n for (h, _), n in self.hits.items() if h == host)
