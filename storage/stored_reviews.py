"""What a company has stored already, for collection paths that check before they write
(the file importer refuses a review id stored with another text)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Engine
from sqlmodel import Session, select

from storage.models import Company
from storage.review_identity import stored_by_key


def company_names(engine: Engine) -> list[str]:
    """Every stored company's name."""
    with Session(engine) as session:
        return list(session.exec(select(Company.name)).all())


def company_id(engine: Engine, name: str) -> int | None:
    """The id of the company named exactly ``name``, or None."""
    with Session(engine) as session:
        return session.exec(select(Company.id).where(Company.name == name)).first()


def stored_review_texts(
    engine: Engine, company: int, content_keys: Iterable[str]
) -> dict[str, tuple[str | None, str | None]]:
    """(text, title) of the company's stored reviews with these content keys (their own, or
    one they were seen under too: ``storage.review_identity``)."""
    with engine.connect() as conn:
        found = stored_by_key(conn, company, sorted(set(content_keys)))
    return {key: (review.text, review.title) for key, review in found.items()}
