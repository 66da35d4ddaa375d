"""Parent products: the product a variant page sells in several sizes or colours.

Each variant is a ``product`` row of its own (its sku, size, colour and offer history)
whose ``parent_id`` names the row here; the parent keeps what the page says of the
product as a whole at its latest sighting: its code, name, price range and whether any
variant can be bought. Comparisons that match products across companies compare parents,
not sizes (``compare.report.prices``).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models import utcnow


class ProductParent(SQLModel, table=True):
    __tablename__ = "product_parent"
    __table_args__ = (UniqueConstraint("company_id", "key", name="uq_product_parent_company_key"),)

    id: int | None = Field(default=None, primary_key=True)
    company_id: int = Field(foreign_key="company.id", index=True)
    key: str = Field(max_length=300)
    """Stable identity within the company: ``code:<code>``, else ``name:<normalised name>``."""
    code: str | None = Field(default=None, max_length=200)
    """The product's own code (not a size's sku), if the page tells it."""
    name: str | None = Field(default=None, max_length=500)
    price_low: str | None = Field(default=None, max_length=40)
    """Lowest variant price at the latest sighting (decimal string)."""
    price_high: str | None = Field(default=None, max_length=40)
    currency: str | None = Field(default=None, max_length=3)
    availability: str | None = Field(default=None, max_length=30)
    """``InStock`` when any variant could be bought at the latest sighting, else ``OutOfStock``."""
    variants: int = 0
    url: str | None = Field(default=None, sa_type=Text)
    first_seen_at: datetime = Field(
        default_factory=utcnow, sa_type=DateTime(timezone=True), nullable=False
    )
    last_seen_at: datetime = Field(
        default_factory=utcnow, sa_type=DateTime(timezone=True), nullable=False
    )
