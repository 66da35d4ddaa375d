"""What a company has stored already, for collection paths that check before they write
(the file importer tells an edited review from a review id stored with another text)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Engine
from sqlmodel import Session, select

from storage.models import Company
from storage.review_identity import StoredReview, stored_by_key, stored_identity_keys


def company_names(engine: Engine) -> list[str]:
    """Every stored company's name."""
    with Session(engine) as session:
        return list(session.exec(select(Company.name)).all())


def company_id(engine: Engine, name: str) -> int | None:
    """The id of the company named exactly ``name``, or None."""
    with Session(engine) as session:
        return session.exec(select(Company.id).where(Company.name == name)).first()


def stored_reviews(
    engine: Engine, company: int, content_keys: Iterable[str]
) -> dict[str, StoredReview]:
    """The company's stored reviews with these content keys (their own, or one they were seen
    under too: ``storage.review_identity``)."""
    with engine.connect() as conn:
        return stored_by_key(conn, company, sorted(set(content_keys)))


def stored_identities(engine: Engine, company: int, identities: Iterable[str]) -> set[str]:
    """The identity keys among ``identities`` the company's stored reviews have (a review
    stored under another product)."""
    with engine.connect() as conn:
        return stored_identity_keys(conn, company, sorted(set(identities)))
