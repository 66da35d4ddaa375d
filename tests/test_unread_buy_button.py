"""Availability from the buy box's submit control on pages none of whose controls reads as a
buy button (words of a language no label list knows, names that say nothing): invented
pages, written before the rule was measured. A disabled submit control under the product
heading says the product cannot be bought; one that waits for a size or colour, an enabled
one, steppers and gallery arrows (type="button") and the markup's word say otherwise."""

from __future__ import annotations

import pytest

from spiders.extract.auto import extract_auto

_HEAD = (
    '<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>t</title></head><body>'
)
_HEADER = '<header><a href="/">Dukani</a> <a href="/k">Vbxz</a></header>'

CASES = {
    # A made-up language: every word unknown, the basket button disabled, no stock line.
    "made-up-disabled-button": (
        "xx",
        '<main><h1>Qwdm bvtz 40</h1><div class="a1">€ 59,90</div>'
        '<div class="a2">Vbxz: QW-3301</div>'
        '<div class="a3"><button class="a4" disabled>Bvnmq zdwp</button></div></main>',
        "OutOfStock",
    ),
    # Georgian, an input of a form, no stock line and no class at all.
    "ka-disabled-input": (
        "ka",
        "<h1>ჩაიდანი ელექტრო 1.7 ლ</h1><p>₾ 129,00</p><p>კოდი: GE-5512</p>"
        '<form action="/c" method="post"><input type="hidden" name="id" value="5512">'
        '<input type="submit" value="კალათაში" disabled></form>',
        "OutOfStock",
    ),
    # Mongolian: a disabled notify button is the only shown one (the basket's is hidden).
    "mn-hidden-basket": (
        "mn",
        "<main><h1>Ноосон малгай</h1><div>45 000 ₮</div><div>Код: MN-0042</div>"
        '<button class="q1" style="display:none">Сагсанд хийх</button>'
        '<button class="q2" disabled>Мэдэгдэл авах</button></main>',
        "OutOfStock",
    ),
    # The trap: disabled until a size is chosen (a script enables it), in stock.
    "made-up-awaits-size": (
        "xx",
        '<h1>Zmpt ghvb</h1><div class="p">1 290 Kč</div>'
        '<form class="f"><select name="v"><option value="">Bzzt</option><option>38</option>'
        '<option>39</option></select><button class="b" disabled>Vbnt</button></form>'
        "<script>document.querySelector('select').onchange=function(){"
        "document.querySelector('.b').disabled=false}</script>",
        "InStock",
    ),
    # A disabled quantity stepper and gallery arrow (type="button") before an enabled submit.
    "made-up-stepper": (
        "xx",
        '<h1>Cvbn 12</h1><div class="g"><button type="button" disabled aria-label="Pqwv">'
        '</button><button type="button">&gt;</button></div><div class="p">$ 24.00</div>'
        '<form><button type="button" class="m" disabled>-</button><input name="n" value="1">'
        '<button type="button" class="m">+</button><button class="s">Dfgh jklz</button></form>',
        "InStock",
    ),
    # Gallery arrows with letters, disabled at the first image, then an enabled submit.
    "made-up-arrows-words": (
        "xx",
        '<h1>Wxzv 7</h1><div class="g"><button type="button" disabled>Pqwv</button>'
        '<button type="button">Nbvc</button></div><div class="p">€ 9,99</div>'
        '<form><button type="submit">Dfgh jklz</button></form>',
        "InStock",
    ),
    # The markup says in stock: a disabled unread button does not overrule it.
    "made-up-markup-instock": (
        "xx",
        '<div itemscope itemtype="https://schema.org/Product"><h1 itemprop="name">Hjkl</h1>'
        '<div itemprop="offers" itemscope itemtype="https://schema.org/Offer">'
        '<span itemprop="price" content="15.00">15,00</span> <span itemprop="priceCurrency" '
        'content="EUR">€</span><link itemprop="availability" href="https://schema.org/InStock">'
        "</div><button disabled>Zxcv bnm</button></div>",
        "InStock",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_availability_from_the_unread_submit_control(case: str) -> None:
    lang, body, want = CASES[case]
    html = (_HEAD.format(lang=lang) + _HEADER + body + "</body></html>").encode("utf-8")
    offers = extract_auto(html, "https://shop.example/p/1").offers
    assert offers
    assert (offers[0].availability or "InStock") == want
