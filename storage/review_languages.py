"""Stored reviews read again in the language their user says they are in.

Language detection reads short texts of a language as its neighbour's (lingua takes 6.7 %
of Norwegian reviews cut to 15 words for Danish). A source's language in the targets file,
or an import's ``--language``, keeps that from happening to new reviews; the reviews stored
before keep the language detected until ``relabel_detected`` (``rivalscope db read-as``)
gives them the one the user names. Only detected languages change: a language the page's
markup, an import's column or the user stated stays as stated.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field

from sqlalchemy import Engine, select, update
from sqlmodel import col

from storage.models import Source
from storage.review_identity import REVIEW, forget_analysis

SET_BY_USER = "user"
"""``review.language_source`` of a language the user gave to stored reviews."""


@dataclass
class Relabelled:
    """What ``relabel_detected`` changed (or would change, on a dry run)."""

    from_languages: Counter[str] = field(default_factory=Counter)
    """Reviews per language they were detected in."""

    @property
    def reviews(self) -> int:
        return sum(self.from_languages.values())


def relabel_detected(
    engine: Engine,
    source: str,
    language: str,
    from_languages: Collection[str],
    *,
    dry_run: bool = False,
) -> Relabelled:
    """Give the reviews of ``source`` (a source's name) whose language was detected as one
    of ``from_languages`` the language ``language``, and drop their analysis so that
    ``rivalscope analyze`` reads them again in it. One transaction: all or nothing.
    KeyError when no source has that name."""
    with engine.begin() as conn:
        source_id = conn.execute(select(col(Source.id)).where(col(Source.name) == source)).scalar()
        if source_id is None:
            raise KeyError(source)
        matching = (
            (REVIEW.c.source_id == source_id)
            & (REVIEW.c.language_source == "detected")
            & REVIEW.c.language.in_(sorted(set(from_languages) - {language}))
        )
        rows = conn.execute(select(REVIEW.c.id, REVIEW.c.language).where(matching)).all()
        found = Relabelled(Counter(str(old) for _, old in rows))
        if dry_run or not rows:
            return found
        conn.execute(
            update(REVIEW).where(matching).values(language=language, language_source=SET_BY_USER)
        )
        forget_analysis(conn, [review_id for review_id, _ in rows])
    return found
