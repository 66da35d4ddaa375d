"""The product a listing card waits on until the page its link leads to is stored.

A card (a name, a link and a price read from a listing page) belongs to the product
stored from the page its link leads to. When that page is not stored yet, the card is
kept on a product known only by the link's address (key ``url:<address>``); the page's
product takes that product's observations over once the page is stored, in this batch, a
later batch or a later run, by this process or another worker. So whichever comes first,
the card ends on the page's product, and a card never goes by its name to a same-named
product of another page.
"""

from __future__ import annotations

import hashlib

from sqlalchemy import Connection, Table, delete, update

from storage.models import OfferObservation, Product

_PREFIX = "url:"
_KEY_LENGTH = 300
"""``product.key``'s length."""


def address_key(address: str) -> str:
    """The key of the product a card linking to ``address`` waits on (a long address
    shortened, with a digest of the whole to keep keys apart)."""
    key = f"{_PREFIX}{address}"
    if len(key) <= _KEY_LENGTH:
        return key
    digest = hashlib.sha256(address.encode()).hexdigest()[:16]
    return f"{key[: _KEY_LENGTH - 17]}#{digest}"


def is_address_key(key: str) -> bool:
    """Whether a product key is an address's (no page product keys start so: they are
    ``gtin:``, ``sku:`` or ``name:`` keys)."""
    return key.startswith(_PREFIX)


def hand_over(conn: Connection, waiting: int, product: int) -> None:
    """Move the observations of the product ``waiting`` to ``product`` and delete it
    (cards are the only thing stored on it: reviews never go by an address key)."""
    observations: Table = OfferObservation.__table__  # type: ignore[attr-defined]
    products: Table = Product.__table__  # type: ignore[attr-defined]
    conn.execute(
        update(observations).where(observations.c.product_id == waiting).values(product_id=product)
    )
    conn.execute(delete(products).where(products.c.id == waiting))
