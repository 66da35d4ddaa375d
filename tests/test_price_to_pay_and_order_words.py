"""Small invented product pages (written before the fix, in other languages than the
unseen-shop tables' pages they stand beside): the price a consumer pays when the page also
shows the price without VAT or a loyalty-card price, and a pre-order or backorder said only
in words or by an "available from" date."""

from __future__ import annotations

from decimal import Decimal

import pytest

from spiders.extract.auto import extract_auto


def _page(lang: str, body: str) -> bytes:
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>Produkt</title>'
        f'</head><body><header><a href="/">Shop</a> <a href="/cart">Cart</a></header>'
        f'<div class="product"><h1>Produkt Lumo 2</h1>{body}'
        f'<div class="code">SKU: LM-22</div></div></body></html>'
    ).encode()


def _first(lang: str, body: str) -> dict[str, object]:
    page = extract_auto(_page(lang, body), "https://shop.example/p/lumo-2")
    return vars(page.offers[0]) if page.offers else {}


# The development pages' labels take the price without VAT when it is shown first and as
# large as the one with VAT (a trade shop's layout): these rows, written before the fix,
# stay open until that is settled (``visible_price._mark_paid_by_some``).
_AS_LARGE = pytest.mark.xfail(
    reason="the price without VAT shown as large as the one with it: the development labels"
    " take the price without VAT",
    strict=True,
)

PRICES = [
    pytest.param(
        "de",
        '<div class="p1"><span>84,03 €</span> <span>ohne MwSt.</span></div>'
        '<div class="p2"><span>99,99 €</span> <span>inkl. MwSt.</span></div>'
        "<button>In den Warenkorb</button>",
        "99.99",
        id="de-ohne-mwst-first",
        marks=_AS_LARGE,
    ),
    pytest.param(
        "nl",
        '<p class="a">€ 41,32 <small>excl. btw</small></p>'
        '<p class="b">€ 50,00 <small>incl. btw</small></p>',
        "50.00",
        id="nl-excl-btw-first",
        marks=_AS_LARGE,
    ),
    pytest.param(
        "pl",
        '<div class="c1"><b>813,01 zł</b> <span>bez VAT</span></div>'
        '<div class="c2"><span>1 000,00 zł</span> <span>z VAT</span></div>',
        "1000.00",
        id="pl-bez-vat-first",
        marks=_AS_LARGE,
    ),
    pytest.param(
        "fr",
        '<div class="tarif"><span class="m">83,33 €</span> <span>HT</span></div>'
        '<div class="tarif"><span class="m">100,00 €</span> <span>TTC</span></div>',
        "100.00",
        id="fr-ht-first",
        marks=_AS_LARGE,
    ),
    pytest.param(
        "de",
        '<div class="n"><span>84,03 €</span> zzgl. MwSt.</div>'
        '<div class="b"><strong>99,99 €</strong> inkl. MwSt.</div>',
        "99.99",
        id="de-zzgl-first-with-vat-bold",
    ),
    pytest.param(
        "es",
        '<p class="n">82,64 € sin IVA</p><p class="b" style="font-size:1.5em">100,00 € IVA incluido</p>',
        "100.00",
        id="es-sin-iva-first-with-vat-larger",
    ),
    pytest.param(
        "lt",
        '<div class="k">Su lojalumo kortele <b>17,99 €</b></div><div class="p">19,99 €</div>',
        "19.99",
        id="lt-loyalty-card-first",
    ),
    pytest.param(
        "ru",
        '<div class="k">Цена по карте <b>899 ₽</b></div><div class="p">999 ₽</div>',
        "999",
        id="ru-card-price-first",
    ),
    # Guards: one price without VAT alone (a trade shop) is still the price; an old price
    # and a sale price whose ratio is a VAT rate, with no tax label, stay a sale.
    pytest.param(
        "de",
        '<div class="p1"><span>84,03 €</span> <span>zzgl. MwSt.</span></div>',
        "84.03",
        id="de-only-net-price",
    ),
    pytest.param(
        "nl",
        '<p class="a">€ 99,00</p><p class="b">€ 81,82</p><p>Nu in de aanbieding</p>',
        "81.82",
        id="nl-sale-with-vat-ratio-unlabelled",
    ),
]


@pytest.mark.parametrize(("lang", "body", "price"), PRICES)
def test_the_price_a_consumer_pays(lang: str, body: str, price: str) -> None:
    got = _first(lang, body).get("price")
    assert got is not None and Decimal(str(got)) == Decimal(price)


STATES = [
    pytest.param(
        "cs",
        '<div class="cena">2 490 Kč</div><div class="sklad">Na objednávku – dodání do 14 dnů</div>'
        "<button>Do košíku</button>",
        "BackOrder",
        id="cs-na-objednavku",
    ),
    pytest.param(
        "pl",
        '<div class="cena">249,00 zł</div><div class="stan">Na zamówienie, wysyłka w 10 dni</div>'
        "<button>Dodaj do koszyka</button>",
        "BackOrder",
        id="pl-na-zamowienie",
    ),
    pytest.param(
        "de",
        '<div class="preis">49,90 €</div><div class="lieferung">Verfügbar ab 03.03.2027</div>'
        "<button>Vorbestellen</button>",
        "PreOrder",
        id="de-verfuegbar-ab-date",
    ),
    pytest.param(
        "fr",
        '<div class="prix">49,90 €</div><div class="dispo">Disponible à partir du 12/02/2027</div>'
        "<button>Ajouter au panier</button>",
        "PreOrder",
        id="fr-disponible-a-partir-date",
    ),
    pytest.param(
        "sk",
        '<div class="cena">59,90 €</div><div class="stav">Predobjednávka – vychádza 20. 3. 2027</div>'
        "<button>Do košíka</button>",
        "PreOrder",
        id="sk-predobjednavka",
    ),
    # Guards: a delivery date of a product in stock is no pre-order.
    pytest.param(
        "de",
        '<div class="preis">49,90 €</div><div class="lager">Auf Lager, Lieferung bis 12.01.2027</div>'
        "<button>In den Warenkorb</button>",
        "InStock",
        id="de-in-stock-delivery-date",
    ),
    pytest.param(
        "cs",
        '<div class="cena">2 490 Kč</div><div class="sklad">Skladem – doručení do 2 dnů</div>'
        "<button>Do košíku</button>",
        "InStock",
        id="cs-skladem",
    ),
]


@pytest.mark.parametrize(("lang", "body", "state"), STATES)
def test_the_availability_said_in_words(lang: str, body: str, state: str) -> None:
    assert (_first(lang, body).get("availability") or "InStock") == state
