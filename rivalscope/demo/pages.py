"""HTML of the demo shops' pages, rendered on request from the generated data.

One template per page kind; ``Markup`` adds microdata or RDFa attributes, the JSON-LD
shop gets a script, the plain shop gets only CSS classes (read with ``mode = "selectors"``).
"""

from __future__ import annotations

from html import escape

from rivalscope.demo import jsonld, scripted_pages
from rivalscope.demo.localformat import availability_label, format_date, format_price, rating_stars
from rivalscope.demo.markup import (
    BROKEN_REVIEW_CLASSES,
    PLAIN,
    REVIEW_CLASSES,
    SCHEMA,
    Markup,
    attr,
)
from rivalscope.demo.records import DemoProduct, DemoReview, DemoShop

REVIEWS_PER_PAGE = 10
PRODUCTS_PER_LISTING_PAGE = 48

_LABELS = {
    "no": {
        "reviews": "anmeldelser", "of": "av", "sku": "Varenr.", "gtin": "EAN", "brand": "Merke",
        "next": "Neste side", "prev": "Forrige side", "plans": "Kaffeabonnement",
        "products": "Produkter", "per_month": "per måned", "stores": "Butikker",
        "private": "Intern prisliste", "outlet": "Utsalg",
    },
    "fr": {
        "reviews": "avis", "of": "sur", "sku": "Réf.", "gtin": "EAN", "brand": "Marque",
        "next": "Page suivante", "prev": "Page précédente", "plans": "Abonnements",
        "products": "Produits", "per_month": "par mois", "stores": "Nos boutiques",
        "private": "Tarifs internes", "outlet": "Déstockage",
    },
    "pl": {
        "reviews": "opinii", "of": "na", "sku": "Kod produktu", "gtin": "EAN", "brand": "Marka",
        "next": "Następna strona", "prev": "Poprzednia strona", "plans": "Subskrypcje",
        "products": "Produkty", "per_month": "miesięcznie", "stores": "Sklepy",
        "private": "Cennik wewnętrzny", "outlet": "Wyprzedaż",
    },
    "en": {
        "reviews": "reviews", "of": "out of", "sku": "SKU", "gtin": "GTIN", "brand": "Brand",
        "next": "Next page", "prev": "Previous page", "plans": "Subscriptions",
        "products": "Products", "per_month": "per month", "stores": "Our stores",
        "private": "Internal price list", "outlet": "Outlet",
    },
}  # fmt: skip


def label(shop: DemoShop, key: str) -> str:
    return _LABELS[shop.language][key]


def shop_url(base_url: str, shop: DemoShop) -> str:
    return f"{base_url}/{shop.slug}/"


def product_url(base_url: str, shop: DemoShop, product: DemoProduct, page: int = 1) -> str:
    url = f"{base_url}/{shop.slug}/p/{product.slug}"
    return url if page == 1 else f"{url}?page={page}"


def plans_url(base_url: str, shop: DemoShop) -> str:
    return f"{base_url}/{shop.slug}/plans"


def review_pages(product: DemoProduct) -> int:
    """Number of review pages of a product (at least one, even without reviews)."""
    return max(1, -(-len(product.reviews) // REVIEWS_PER_PAGE))


def _decimal_text(value: float, language: str) -> str:
    text = f"{value:.1f}"
    return text if language == "en" else text.replace(".", ",")


def layout(
    shop: DemoShop,
    title: str,
    body: str,
    canonical: str,
    head_extra: str = "",
    charset: str = "utf-8",
) -> str:
    """A whole HTML document in the shop's language, its market's region declared."""
    return (
        f'<!DOCTYPE html>\n<html lang="{shop.locale}">\n<head>\n'
        f'<meta charset="{charset}">\n<title>{escape(title)} | {escape(shop.name)}</title>\n'
        f'<link rel="canonical" href="{attr(canonical)}">\n{head_extra}</head>\n<body>\n'
        f'<header class="site-header"><a href="/{shop.slug}/">{escape(shop.name)}</a></header>\n'
        f"{body}\n"
        f"<footer><p>&copy; 2026 {escape(shop.name)}</p></footer>\n</body>\n</html>\n"
    )


def _review_html(shop: DemoShop, review: DemoReview, markup: Markup, broken: bool) -> str:
    css = BROKEN_REVIEW_CLASSES if broken else REVIEW_CLASSES
    region = (
        f' &middot; <span class="{css.region}" {markup.prop("locationCreated")}>'
        f"{escape(review.region)}</span>"
        if review.region
        else ""
    )
    stars = rating_stars(review.rating, review.scale)
    return (
        f'<article class="{css.block}" id="{attr(review.review_id)}" lang="{review.language}" '
        f"{markup.scope('review', 'Review')}>\n"
        f"{markup.meta('identifier', review.review_id)}{markup.meta('inLanguage', review.language)}"
        f'<h3 class="{css.title}" {markup.prop("name")}>{escape(review.title)}</h3>\n'
        f'<p class="meta"><span {markup.scope("author", "Person")}>'
        f'<span class="{css.author}" {markup.prop("name")}>{escape(review.author)}</span></span>'
        f"{region} &middot; {markup.meta('datePublished', review.published.isoformat())}"
        f'<span class="{css.date}">{format_date(review.published, shop.language)}</span></p>\n'
        f"<div {markup.scope('reviewRating', 'Rating')}>"
        f"{markup.meta('worstRating', 1)}{markup.meta('ratingValue', review.rating)}"
        f"{markup.meta('bestRating', review.scale)}"
        f'<span class="{css.rating}" data-rating="{review.rating}" data-best="{review.scale}" '
        f'title="{review.rating}/{review.scale}">{stars}</span></div>\n'
        f'<p class="{css.text}" {markup.prop("reviewBody")}>{escape(review.text)}</p>\n'
        f"</article>"
    )


def _pagination(prev_url: str | None, next_url: str | None, shop: DemoShop) -> str:
    links = []
    if prev_url:
        links.append(
            f'<a class="prev-page" rel="prev" href="{attr(prev_url)}">{label(shop, "prev")}</a>'
        )
    if next_url:
        links.append(
            f'<a class="next-page" rel="next" href="{attr(next_url)}">{label(shop, "next")}</a>'
        )
    return f'<nav class="pagination">{" ".join(links)}</nav>' if links else ""


def _head_links(prev_url: str | None, next_url: str | None) -> str:
    head = f'<link rel="prev" href="{attr(prev_url)}">\n' if prev_url else ""
    return head + (f'<link rel="next" href="{attr(next_url)}">\n' if next_url else "")


def _average(product: DemoProduct) -> float | None:
    valid = [r.rating for r in product.reviews if r.invalid_reason is None]
    return round(sum(valid) / len(valid), 1) if valid else None


def product_page(
    shop: DemoShop,
    product: DemoProduct,
    page: int,
    base_url: str,
    broken_markup: bool = False,
    invalid_jsonld: bool = False,
) -> str | None:
    """Product page ``page`` (reviews newest first, 10 a page); None past the last page."""
    if shop.markup in ("widget", "nextdata"):
        return _scripted_product_page(shop, product, page, base_url)
    pages = review_pages(product)
    if not 1 <= page <= pages:
        return None
    url = product_url(base_url, shop, product, page)
    prev_url = product_url(base_url, shop, product, page - 1) if page > 1 else None
    next_url = product_url(base_url, shop, product, page + 1) if page < pages else None
    on_page = product.reviews[(page - 1) * REVIEWS_PER_PAGE : page * REVIEWS_PER_PAGE]
    markup = Markup(shop.markup)
    review_markup = PLAIN if broken_markup else markup
    average = _average(product)
    head = _head_links(prev_url, next_url)
    if shop.markup == "jsonld":
        doc = jsonld.product_jsonld(shop, product, url, average, None if broken_markup else on_page)
        head += jsonld.script(doc, trailing_comma=invalid_jsonld) + "\n"
    gtin = (
        f'<p>{label(shop, "gtin")}: <span class="gtin" {markup.prop("gtin13")}>{product.gtin}</span></p>\n'
        if product.gtin
        else ""
    )
    summary = ""
    if average is not None:
        summary = (
            f'<div class="rating-summary" {markup.scope("aggregateRating", "AggregateRating")}>'
            f"{markup.meta('ratingValue', average)}{markup.meta('bestRating', shop.rating_scale)}"
            f"{markup.meta('worstRating', 1)}{markup.meta('reviewCount', product.review_count)}"
            f'<span class="average">{_decimal_text(average, shop.language)}</span> '
            f"{label(shop, 'of')} {shop.rating_scale} "
            f'(<span class="review-count">{product.review_count}</span> {label(shop, "reviews")})</div>\n'
        )
    reviews = "\n".join(_review_html(shop, r, review_markup, broken_markup) for r in on_page)
    body = (
        f'<main class="product" {markup.root("Product")}>\n'
        f'<h1 class="product-name" {markup.prop("name")}>{escape(product.name)}</h1>\n'
        f'<p>{label(shop, "brand")}: <span class="brand" {markup.scope("brand", "Brand")}>'
        f"<span {markup.prop('name')}>{escape(product.brand)}</span></span></p>\n"
        f'<p>{label(shop, "sku")}: <span class="sku" {markup.prop("sku")}>{product.sku}</span></p>\n'
        f"{gtin}"
        f'<div class="offer" {markup.scope("offers", "Offer")}>'
        f"{markup.meta('price', f'{product.price:.2f}')}{markup.meta('priceCurrency', product.currency)}"
        f"{markup.link('availability', SCHEMA + product.availability)}"
        f'<span class="price">{format_price(product.price, product.currency)}</span> '
        f'<span class="availability">{availability_label(product.availability, shop.language)}</span>'
        f"</div>\n{summary}"
        f'<section class="reviews">\n{reviews}\n</section>\n'
        f"{_pagination(prev_url, next_url, shop)}\n</main>"
    )
    return layout(shop, product.name, body, url, head, charset=product.encoding)


def _scripted_product_page(
    shop: DemoShop, product: DemoProduct, page: int, base_url: str
) -> str | None:
    """The one page of a product whose reviews come by script or sit in embedded JSON."""
    if page != 1:
        return None
    url = product_url(base_url, shop, product)
    if shop.markup == "widget":
        body = scripted_pages.widget_product_page(shop, product, url, _average(product))
        return layout(shop, product.name, body, url)
    head, body = scripted_pages.nextdata_product_page(shop, product, url, _average(product))
    return layout(shop, product.name, body, url, head)


def listing_page(shop: DemoShop, page: int, base_url: str) -> str | None:
    """The shop's product listing (48 a page) with links to plans and the odd pages."""
    pages = max(1, -(-len(shop.products) // PRODUCTS_PER_LISTING_PAGE))
    if not 1 <= page <= pages:
        return None
    first = (page - 1) * PRODUCTS_PER_LISTING_PAGE
    base = shop_url(base_url, shop)
    prev_url = (base if page == 2 else f"{base}?page={page - 1}") if page > 1 else None
    next_url = f"{base}?page={page + 1}" if page < pages else None
    cards = "\n".join(
        f'<li class="product-card"><a href="{attr(product_url(base_url, shop, p))}">{escape(p.name)}</a> '
        f'<span class="card-price">{format_price(p.price, p.currency)}</span></li>'
        for p in shop.products[first : first + PRODUCTS_PER_LISTING_PAGE]
    )
    extras = ""
    if page == 1:
        odd_links = "\n".join(
            f'<li><a href="{attr(base_url + b.path)}">{label(shop, "stores" if b.kind == "slow" else "outlet")}</a></li>'
            for b in shop.broken_pages
        )
        extras = (
            f'<ul class="site-links">\n<li><a href="{attr(plans_url(base_url, shop))}">{label(shop, "plans")}</a></li>\n'
            f"{odd_links}\n"
            f'<li><a href="{attr(f"{base_url}/{shop.slug}/private/")}">{label(shop, "private")}</a></li>\n</ul>\n'
        )
    body = (
        f'<main class="listing">\n<h1>{label(shop, "products")}</h1>\n{extras}'
        f'<ul class="products">\n{cards}\n</ul>\n{_pagination(prev_url, next_url, shop)}\n</main>'
    )
    canonical = base if page == 1 else f"{base}?page={page}"
    return layout(shop, label(shop, "products"), body, canonical, _head_links(prev_url, next_url))


def plans_page(shop: DemoShop, base_url: str) -> str:
    """Subscription plans, one offer block per plan."""
    url = plans_url(base_url, shop)
    markup = Markup(shop.markup)
    cards = "\n".join(
        f'<div class="product plan" {markup.root("Product")}>\n'
        f'<h2 class="product-name" {markup.prop("name")}>{escape(plan.name)}</h2>\n'
        f'<p class="plan-name">{escape(plan.plan)}</p>\n'
        f'<p class="description" {markup.prop("description")}>{escape(plan.description)}</p>\n'
        f'<p>{label(shop, "sku")}: <span class="sku" {markup.prop("sku")}>{plan.sku}</span></p>\n'
        f"{markup.meta('category', 'subscription')}"
        f'<div class="offer" {markup.scope("offers", "Offer")}>'
        f"{markup.meta('name', plan.plan)}{markup.meta('price', f'{plan.price:.2f}')}"
        f"{markup.meta('priceCurrency', plan.currency)}{markup.link('availability', SCHEMA + 'InStock')}"
        f'<span class="price">{format_price(plan.price, plan.currency)}</span> {label(shop, "per_month")}'
        f"</div>\n</div>"
        for plan in shop.plans
    )
    head = (
        jsonld.script(jsonld.plans_jsonld(shop.plans, url)) + "\n"
        if shop.markup == "jsonld"
        else ""
    )
    body = f'<main class="plans">\n<h1>{label(shop, "plans")}</h1>\n{cards}\n</main>'
    return layout(shop, label(shop, "plans"), body, url, head)


def stores_page(shop: DemoShop, base_url: str) -> str:
    """A page with neither offers nor reviews (served slowly)."""
    body = f"<main><h1>{label(shop, 'stores')}</h1>\n<p>Opening hours: 10-18.</p></main>"
    return layout(shop, label(shop, "stores"), body, f"{base_url}/{shop.slug}/stores")


def private_page(shop: DemoShop, base_url: str) -> str:
    """The page robots.txt forbids; a polite crawler never asks for it."""
    body = (
        f"<main><h1>{label(shop, 'private')}</h1>\n"
        "<p>Internal: purchase prices and margins. Crawlers must not fetch this page.</p></main>"
    )
    return layout(shop, label(shop, "private"), body, f"{base_url}/{shop.slug}/private/")


def home_page(shops: list[DemoShop], base_url: str) -> str:
    """The server root: links to the four shops (for humans)."""
    items = "\n".join(
        f'<li><a href="{attr(shop_url(base_url, s))}">{escape(s.name)}</a> ({s.language}, {s.currency}, '
        f"{s.markup}{', own company' if s.own else ''})</li>"
        for s in shops
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">'
        "<title>rivalscope demo shops</title></head>\n"
        f"<body><h1>rivalscope demo shops</h1>\n<ul>\n{items}\n</ul></body></html>\n"
    )
