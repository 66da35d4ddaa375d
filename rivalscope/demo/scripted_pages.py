"""Product pages of the scripted demo shops, whose reviews are not in the HTML a server sends.

- ``widget``: the page holds the product and its aggregate rating; a script fetches the
  reviews from the shop's JSON API (``/<shop>/widget/reviews?product=SKU&page=N``, 10 a page,
  ``next`` link) and renders them with schema.org microdata, the next page on "Load more".
  Read with ``render = "browser"``, or without a browser through ``[review_api]``.
- ``nextdata``: every review sits in a ``__NEXT_DATA__`` JSON script (as Next.js shops ship
  their state); the visible HTML shows only the first three, without markup. The product and
  its aggregate rating are in JSON-LD.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from rivalscope.demo import jsonld
from rivalscope.demo.localformat import format_date, format_price, rating_stars
from rivalscope.demo.markup import SCHEMA, Markup
from rivalscope.demo.records import DemoProduct, DemoReview, DemoShop

WIDGET_PAGE_SIZE = 10
NEXTDATA_VISIBLE = 3
LOAD_MORE_ID = "load-more-reviews"
WIDGET_REVIEW_CLASS = "widget-review"


def widget_api_path(shop: DemoShop) -> str:
    return f"/{shop.slug}/widget/reviews"


def widget_reviews_json(shop: DemoShop, product: DemoProduct, page: int, base_url: str) -> str:
    """One page of the widget API's answer: reviews newest first and a ``next`` link."""
    chunk = product.reviews[(page - 1) * WIDGET_PAGE_SIZE : page * WIDGET_PAGE_SIZE]
    more = page * WIDGET_PAGE_SIZE < len(product.reviews)
    path = widget_api_path(shop)
    return json.dumps(
        {
            "product": product.sku,
            "total": product.review_count,
            "page": page,
            "results": [_review_json(r) for r in chunk],
            "links": {"next": f"{path}?product={product.sku}&page={page + 1}" if more else None},
        },
        ensure_ascii=False,
    )


def _review_json(review: DemoReview) -> dict[str, Any]:
    return {
        "id": review.review_id,
        "title": review.title,
        "body": review.text,
        "rating": review.rating,
        "bestRating": review.scale,
        "author": {"displayName": review.author, "location": review.region},
        "createdAt": review.published.isoformat(),
        "language": review.language,
    }


# The widget's script, as a shop would embed it: fetch, render microdata, "Load more".
_WIDGET_SCRIPT = """<script>
(function () {
  var box = document.getElementById("reviews");
  var more = document.getElementById("%(button)s");
  var next = box.getAttribute("data-api");
  function text(tag, prop, value, cls) {
    var el = document.createElement(tag);
    if (prop) el.setAttribute("itemprop", prop);
    if (cls) el.className = cls;
    el.textContent = value;
    return el;
  }
  function meta(prop, value) {
    var el = document.createElement("meta");
    el.setAttribute("itemprop", prop);
    el.setAttribute("content", value);
    return el;
  }
  function scope(prop, type) {
    var el = document.createElement("div");
    el.setAttribute("itemprop", prop);
    el.setAttribute("itemscope", "");
    el.setAttribute("itemtype", "%(schema)s" + type);
    return el;
  }
  function render(r) {
    var el = scope("review", "Review");
    el.className = "%(review)s";
    el.id = r.id;
    el.appendChild(meta("identifier", r.id));
    el.appendChild(meta("inLanguage", r.language));
    el.appendChild(text("h3", "name", r.title, "wr-title"));
    var who = scope("author", "Person");
    who.appendChild(text("span", "name", r.author.displayName, "wr-author"));
    el.appendChild(who);
    if (r.author.location) {
      el.appendChild(text("span", "locationCreated", r.author.location, "wr-location"));
    }
    el.appendChild(meta("datePublished", r.createdAt));
    var rating = scope("reviewRating", "Rating");
    rating.appendChild(meta("worstRating", 1));
    rating.appendChild(meta("ratingValue", r.rating));
    rating.appendChild(meta("bestRating", r.bestRating));
    el.appendChild(rating);
    el.appendChild(text("time", null, r.createdAt, "wr-date"));
    var stars = text("span", null, r.rating + "/" + r.bestRating, "wr-stars");
    stars.setAttribute("data-score", r.rating);
    el.appendChild(stars);
    el.appendChild(text("p", "reviewBody", r.body, "wr-body"));
    box.appendChild(el);
  }
  function load() {
    if (!next) return;
    more.disabled = true;
    fetch(next).then(function (r) { return r.json(); }).then(function (data) {
      data.results.forEach(render);
      next = data.links.next;
      more.hidden = !next;
      more.disabled = false;
    });
  }
  more.addEventListener("click", load);
  load();
})();
</script>"""


def widget_product_page(
    shop: DemoShop, product: DemoProduct, url: str, average: float | None
) -> str:
    """The product in microdata; its reviews come later, from the widget's script."""
    markup = Markup("microdata")
    summary = ""
    if average is not None:
        summary = (
            f'<div class="rating-summary" {markup.scope("aggregateRating", "AggregateRating")}>'
            f"{markup.meta('ratingValue', average)}{markup.meta('bestRating', shop.rating_scale)}"
            f"{markup.meta('reviewCount', product.review_count)}"
            f"{average:.1f} / {shop.rating_scale} ({product.review_count} reviews)</div>\n"
        )
    api = f"{widget_api_path(shop)}?product={product.sku}&page=1"
    script = _WIDGET_SCRIPT % {
        "button": LOAD_MORE_ID,
        "schema": SCHEMA,
        "review": WIDGET_REVIEW_CLASS,
    }
    return (
        f'<main class="product" {markup.root("Product")}>\n'
        f'<h1 class="product-name" {markup.prop("name")}>{escape(product.name)}</h1>\n'
        f'<p>SKU: <span class="sku" {markup.prop("sku")}>{product.sku}</span></p>\n'
        + (f'<meta itemprop="gtin13" content="{product.gtin}">\n' if product.gtin else "")
        + f'<div class="offer" {markup.scope("offers", "Offer")}>'
        f"{markup.meta('price', f'{product.price:.2f}')}{markup.meta('priceCurrency', product.currency)}"
        f"{markup.link('availability', SCHEMA + product.availability)}"
        f'<span class="price">{format_price(product.price, product.currency)}</span></div>\n'
        f"{summary}"
        f'<section id="reviews" data-api="{escape(api)}"></section>\n'
        f'<button id="{LOAD_MORE_ID}" type="button" hidden>Load more reviews</button>\n'
        f"</main>\n{script}"
    )


def nextdata_product_page(
    shop: DemoShop, product: DemoProduct, url: str, average: float | None
) -> tuple[str, str]:
    """(head, body): JSON-LD product in the head; the reviews in ``__NEXT_DATA__``."""
    head = jsonld.script(jsonld.product_jsonld(shop, product, url, average, None)) + "\n"
    state = {
        "props": {
            "pageProps": {
                "product": {
                    "name": product.name,
                    "sku": product.sku,
                    "reviewCount": product.review_count,
                    "reviews": [_review_json(r) for r in product.reviews],
                }
            }
        },
        "page": "/p/[slug]",
        "query": {"slug": product.slug},
        "buildId": "demo",
    }
    data = json.dumps(state, ensure_ascii=False).replace("</", "<\\/")
    visible = "\n".join(
        f'<div class="card"><b>{escape(r.title)}</b> '
        f"<span>{rating_stars(r.rating, r.scale)}</span> "
        f"<span>{format_date(r.published, shop.language)}</span>"
        f"<p>{escape(r.text)}</p></div>"
        for r in product.reviews[:NEXTDATA_VISIBLE]
    )
    body = (
        f'<div id="__next"><main class="product">\n<h1>{escape(product.name)}</h1>\n'
        f'<p class="price">{format_price(product.price, product.currency)}</p>\n'
        f'<section class="top-reviews">\n{visible}\n</section>\n</main></div>\n'
        f'<script id="__NEXT_DATA__" type="application/json">{data}</script>'
    )
    return head, body
