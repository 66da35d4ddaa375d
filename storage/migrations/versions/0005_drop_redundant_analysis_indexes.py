"""drop analysis indexes that wider indexes already cover

``analyze`` writes ~10 aspect mentions per review; every index is one more B-tree insert
per row. Each dropped index is the leading part of another, which serves its look-ups:
- ix_review_analysis_review_id: uq_review_analysis_version (review_id, analyzer_version);
- ix_aspect_mention_review_id: ix_aspect_mention_review_aspect_label (review_id, ...);
- ix_aspect_mention_company_aspect: ix_aspect_mention_evidence (company_id, aspect, ...).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 04:10:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DROPPED = (
    ('review_analysis', 'ix_review_analysis_review_id', ['review_id']),
    ('aspect_mention', 'ix_aspect_mention_review_id', ['review_id']),
    ('aspect_mention', 'ix_aspect_mention_company_aspect', ['company_id', 'aspect']),
)


def upgrade() -> None:
    for table, name, _columns in _DROPPED:
        op.drop_index(name, table_name=table)


def downgrade() -> None:
    for table, name, columns in _DROPPED:
        op.create_index(name, table, columns, unique=False)
