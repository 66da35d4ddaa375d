"""Listing cards attach to the product whose page their link leads to (a page not stored
yet: a product of that address, which the page's product takes over), by name when the
card has no link of its own.

Cards are stored as observations flagged ``listing``; a card's name is often shortened or
decorated ("Trail runner 2 – sale"), its link is the product page's address."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session

from settings.records import OfferItem
from storage.models import OfferObservation, Product
from storage.writer import CollectWriter, RunFigures, page_address

PAGE = "https://shop.test/p/trail-2"


def _store(engine: Engine, offers: list[OfferItem]) -> None:
    writer = CollectWriter(engine, company="Rival", source="rival-web", own=False)
    writer.start_run()
    writer.write(offers, [])
    writer.finish_run("finished", "finished", RunFigures())


def _page_offer(url: str = PAGE, sku: str = "TR-2", name: str = "Trail runner 2") -> OfferItem:
    return OfferItem(url=url, name=name, sku=sku, price="120.00", currency="EUR")


LISTING = "https://shop.test/c/shoes"


def _card(url: str, name: str, listing_page: str = LISTING) -> OfferItem:
    return OfferItem(
        url=url, name=name, price="99.00", currency="EUR", listing=True, listing_page=listing_page
    )


@pytest.mark.parametrize(
    ("card", "attached"),
    [
        pytest.param(_card(PAGE, "Trail runner 2 – sale"), "sku:TR-2", id="link-to-the-page"),
        pytest.param(
            _card("http://SHOP.test/p/trail-2/#reviews", "Runner"), "sku:TR-2", id="same-address"
        ),
        pytest.param(_card(LISTING, "Trail runner 2"), "sku:TR-2", id="no-link-by-name"),
        pytest.param(
            _card("https://shop.test/p/trail-3", "Trail runner 2"),
            "url:shop.test/p/trail-3",
            id="another-page-same-name",
        ),
    ],
)
def test_card_attaches_by_link(engine: Engine, card: OfferItem, attached: str) -> None:
    _store(engine, [_page_offer()])
    _store(engine, [card])
    with Session(engine) as session:
        key_of = {p.id: p.key for p in session.exec(select(Product)).scalars().all()}
        cards = [o for o in session.exec(select(OfferObservation)).scalars().all() if o.listing]
    assert [key_of[o.product_id] for o in cards] == [attached]


def test_card_link_shared_by_variants_names_none(engine: Engine) -> None:
    """A variant page stores one product per size at one URL: its link picks none of them,
    the card goes by its name as before."""
    _store(engine, [_page_offer(sku="TR-2-40"), _page_offer(sku="TR-2-41", name="Other")])
    _store(engine, [_card(PAGE, "Other")])
    with Session(engine) as session:
        key_of = {p.id: p.key for p in session.exec(select(Product)).scalars().all()}
        cards = [o for o in session.exec(select(OfferObservation)).scalars().all() if o.listing]
    assert [key_of[o.product_id] for o in cards] == ["sku:TR-2-41"]


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("https://Shop.test/p/1/", "shop.test/p/1"),
        ("http://shop.test/p/1#x", "shop.test/p/1"),
        ("https://shop.test/p?id=7", "shop.test/p?id=7"),
        ("/p/1", None),
        (None, None),
    ],
)
def test_page_address(url: str | None, address: str | None) -> None:
    assert page_address(url) == address


def test_cards_sharing_the_listing_address_stay_apart(engine: Engine) -> None:
    """Markup cards without a link of their own carry the listing's URL: each is its own
    product, found by its name, on this crawl and the next."""
    cards = [_card(LISTING, f"Shoe {n}", listing_page="") for n in range(3)]
    _store(engine, cards)
    _store(engine, [_card(LISTING, f"Shoe {n}", listing_page="") for n in range(3)])
    with Session(engine) as session:
        key_of = {p.id: p.key for p in session.exec(select(Product)).scalars().all()}
        observed = sorted(
            key_of[o.product_id] for o in session.exec(select(OfferObservation)).scalars().all()
        )
    assert observed == ["name:shoe 0", "name:shoe 1", "name:shoe 2"]
