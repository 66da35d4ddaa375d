"""robots.txt and sitemaps of the demo server (all shops share one host)."""

from __future__ import annotations

from xml.sax.saxutils import escape

from rivalscope.demo.pages import plans_url, product_url, shop_url
from rivalscope.demo.records import DemoShop


def private_paths(shops: list[DemoShop]) -> list[str]:
    """Path prefixes robots.txt disallows."""
    return ["/private/", *(f"/{shop.slug}/private/" for shop in shops)]


def robots_txt(shops: list[DemoShop], base_url: str) -> str:
    lines = [
        "# rivalscope demo shops: crawl anything except the private pages.",
        "User-agent: *",
        *(f"Disallow: {path}" for path in private_paths(shops)),
        "Allow: /",
        "",
        f"Sitemap: {base_url}/sitemap.xml",
        "",
    ]
    return "\n".join(lines)


def sitemap_index(shops: list[DemoShop], base_url: str) -> str:
    entries = "\n".join(
        f"<sitemap><loc>{escape(f'{base_url}/{shop.slug}/sitemap.xml')}</loc></sitemap>"
        for shop in shops
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{entries}\n</sitemapindex>\n"
    )


def shop_sitemap(shop: DemoShop, base_url: str) -> str:
    """The shop's listing, plans page and every product page (first review page)."""
    urls = [shop_url(base_url, shop), plans_url(base_url, shop)]
    urls += [product_url(base_url, shop, product) for product in shop.products]
    entries = "\n".join(f"<url><loc>{escape(url)}</loc></url>" for url in urls)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{entries}\n</urlset>\n"
    )
