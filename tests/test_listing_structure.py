"""Listing or product page by structure, whatever the class names say: invented pages written
without any class or id (as a shop whose names are hashed reads), and the demo's and the
unseen-shops table's pages with every class and id name hashed (``obfuscated_names``).

A product page whose buy box follows a link of the site's top bar (a cart, a login), with no
``<h1>`` and a few recommended products after it, is a product: the top bar is not a card
of the buy box (the whole page is no card). A listing of one, two or many cards (a link and a
price each) is a listing."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from rivalscope.demo.pages import listing_page, product_page, product_url, shop_url
from rivalscope.demo.shops import generate_shops
from spiders.extract.auto import extract_auto
from tests.benchmark_scripts import load_benchmark

UNSEEN = Path(__file__).resolve().parent / "fixtures" / "unseen-shops"


def page(body: str, lang: str, title: str) -> str:
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{title}</title></head><body>{body}</body></html>"
    )


# (page, url, price of the product): product pages without classes, no <h1>, a top bar link
# of several words before the buy box.
PRODUCT_PAGES = {
    # Chinese: a shortcut bar with the cart, the name in a <div>, recommendations after it
    "zh-shortcut-bar": (
        page(
            "<div><ul><li>您好，请登录</li><li><a href='/cart'>我的购物车 (0)</a></li></ul></div>"
            "<div>星河 27英寸 显示器 Type-C</div>"
            "<div><div><div>价格</div><div><span>￥2499.00</span> <a href='#'>降价通知</a>"
            "</div></div></div><div><button>加入购物车</button></div>"
            "<div><h3>达人选购</h3><ul><li><a>星河 24英寸</a> <strong>￥1199.00</strong></li>"
            "<li><a>显示器支架</a> <strong>￥159.00</strong></li></ul></div>",
            "zh-CN",
            "【京耀】星河 27英寸显示器",
        ),
        "https://item.shop.example.cn/1000352.html",
        "2499.00",
    ),
    # Japanese: everything in one wrapper, a login link on top
    "ja-wrapper-login": (
        page(
            "<div><div><a href='/login'>ログイン はこちら</a></div>"
            "<div>電気ケトル 1.0L ホワイト</div>"
            "<div><div><p><span>¥4,980</span></p></div></div><button>カートに入れる</button>"
            "<div><p>おすすめ</p><div><a>ケトル 0.8L</a><span>¥3,280</span></div></div></div>",
            "ja",
            "電気ケトル | ショップ",
        ),
        "https://shop.example.jp/item/kt-100",
        "4980",
    ),
    # Russian: a top bar of links, the product's name in a <div>, one buy box
    "ru-top-bar": (
        page(
            "<div><a href='/lk'>Личный кабинет</a> <a href='/basket'>Моя корзина</a></div>"
            "<div>Чайник электрический Вега 1,7 л</div>"
            "<div><div><span>3 490 ₽</span></div><button>В корзину</button></div>"
            "<div><div>С этим товаром покупают</div><div><a>Фильтр для воды</a>"
            "<span>590 ₽</span></div><div><a>Накипь стоп</a><span>290 ₽</span></div></div>",
            "ru",
            "Чайник Вега — магазин",
        ),
        "https://shop.example.ru/product/vega-17",
        "3490",
    ),
    # Portuguese: an account link, the name in a <span>, installments after the price
    "pt-account-link": (
        page(
            "<section><a href='/conta'>Minha conta aqui</a></section>"
            "<section><span>Liquidificador Turbo 900W</span>"
            "<div><p><strong>R$ 249,90</strong></p><p>ou 10x sem juros</p></div>"
            "<button>Comprar</button></section>",
            "pt-BR",
            "Loja Exemplo",
        ),
        "https://loja.example.com.br/p/liquidificador-turbo",
        "249.90",
    ),
}


@pytest.mark.parametrize("name", sorted(PRODUCT_PAGES))
def test_a_product_page_after_a_top_bar_link_is_no_listing(name: str) -> None:
    html, url, price = PRODUCT_PAGES[name]
    offers = extract_auto(html, url).offers
    assert offers and not offers[0].listing, [(o.name, o.price) for o in offers]
    assert offers[0].price is not None and Decimal(offers[0].price) == Decimal(price)


def _card(name: str, url: str, price: str) -> str:
    return f"<div><a href='{url}'>{name}</a><div><span>{price}</span></div></div>"


# (page, url, [(card name, card price)]): listings without classes.
LISTING_PAGES = {
    "de-one-card": (
        page(
            "<div><a href='/konto'>Mein Konto hier</a></div><h1>Wasserkocher</h1>"
            + _card("Wasserkocher Lumen 1,7 l", "/p/lumen", "49,90 €"),
            "de",
            "Wasserkocher | Shop",
        ),
        "https://shop.example.de/c/wasserkocher",
        [("Wasserkocher Lumen 1,7 l", "49.90")],
    ),
    "fr-two-cards": (
        page(
            "<h1>Bouilloires</h1>"
            + _card("Bouilloire Inox 1,5 l", "/p/inox", "39,00 €")
            + _card("Bouilloire Verre 1,7 l", "/p/verre", "45,00 €"),
            "fr",
            "Bouilloires - Boutique",
        ),
        "https://boutique.example.fr/c/bouilloires",
        [("Bouilloire Inox 1,5 l", "39.00"), ("Bouilloire Verre 1,7 l", "45.00")],
    ),
    "en-many-cards-no-h1": (
        page(
            "<div><a href='/account'>My account here</a></div><h2>Kettles</h2><div>"
            + "".join(_card(f"Kettle model {n}", f"/p/k{n}", f"${n}9.00") for n in range(1, 6))
            + "</div>",
            "en",
            "Kettles | Shop",
        ),
        "https://shop.example.com/c/kettles",
        [(f"Kettle model {n}", f"{n}9.00") for n in range(1, 6)],
    ),
}


@pytest.mark.parametrize("name", sorted(LISTING_PAGES))
def test_a_listing_without_class_names_gives_its_cards(name: str) -> None:
    html, url, cards = LISTING_PAGES[name]
    offers = extract_auto(html, url).offers
    assert all(o.listing for o in offers)
    assert [(o.name, Decimal(o.price or "0")) for o in offers] == [
        (n, Decimal(p)) for n, p in cards
    ]


BASE = "http://127.0.0.1:8765"


@pytest.mark.parametrize("products", [1, 2, 6])
def test_the_demo_listing_pages_stay_listings_with_hashed_names(products: int) -> None:
    obfuscate = load_benchmark("obfuscated_names").obfuscate_names
    for shop in generate_shops(products=products):
        html = listing_page(shop, 1, BASE)
        assert html is not None
        found = extract_auto(obfuscate(html.encode()), shop_url(BASE, shop)).offers
        assert found and all(o.listing for o in found), shop.slug
        product = shop.products[0]
        html = product_page(shop, product, 1, BASE)
        assert html is not None
        offers = extract_auto(obfuscate(html.encode()), product_url(BASE, shop, product)).offers
        assert offers and not offers[0].listing, (shop.slug, product.slug)


@pytest.mark.parametrize("case", sorted(p.name for p in UNSEEN.iterdir() if p.is_dir()))
def test_no_unseen_shop_product_page_reads_as_a_listing_with_hashed_names(case: str) -> None:
    obfuscate = load_benchmark("obfuscated_names").obfuscate_names
    folder = UNSEEN / case
    html = obfuscate((folder / "page.html").read_bytes())
    offers = extract_auto(html, (folder / "url.txt").read_text().strip()).offers
    assert offers and not offers[0].listing, [(o.name, o.price) for o in offers]
