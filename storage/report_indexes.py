"""Indexes the gap report needs on the review and analysis tables (``storage/models.py``,
``storage/analysis_models.py``).

Kept apart from the analysis models so the report's access paths are documented where the
report is: created by migration 0003 (the report's revision), declared here so the
metadata and the migrations agree.
"""

from __future__ import annotations

from sqlalchemy import Index, Table, func, literal_column

from storage.analysis_models import AspectMention
from storage.dialects import SQLite
from storage.models import Review

_MENTION: Table = AspectMention.__table__  # type: ignore[attr-defined]
_REVIEW: Table = Review.__table__  # type: ignore[attr-defined]

MENTION_BY_REVIEW_ASPECT = Index(
    "ix_aspect_mention_review_aspect_label",
    _MENTION.c.review_id,
    _MENTION.c.aspect,
    _MENTION.c.label,
)
"""Covers the per-review opinion GROUP BY (review_id, aspect): read in order, no sort."""

MENTION_EVIDENCE = Index(
    "ix_aspect_mention_evidence",
    _MENTION.c.company_id,
    _MENTION.c.aspect,
    _MENTION.c.label,
    _MENTION.c.review_id,
)
"""Newest mentions of a company's aspect with a label: read backwards, stop at the LIMIT."""

REVIEW_SEGMENTS = Index(
    "ix_review_segments",
    _REVIEW.c.company_id,
    _REVIEW.c.language,
    _REVIEW.c.region,
    _REVIEW.c.product_id,
    func.substr(_REVIEW.c.published, literal_column("1"), literal_column("7")),
    _REVIEW.c.rating_normalized,
).ddl_if(dialect=SQLite.name)
"""The review cube's GROUP BY in index order (month = ISO date prefix), so SQLite streams it
instead of sorting every review. PostgreSQL hash-aggregates and needs none."""
