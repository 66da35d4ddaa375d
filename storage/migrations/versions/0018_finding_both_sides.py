"""finding: both sides of each comparison and its p-values

An unmet need's ``effect`` is from now on the difference of shares (theirs - ours), as an
aspect gap's is a difference; ``competitor_value``/``own_value`` keep both shares (or both
net sentiments), ``competitor_count``/``own_count`` the reviews voicing the need (or the
negative opinions), ``p_value``/``p_adjusted`` the test. Rows stored before keep their
meaning: an ``unmet_need`` without ``competitor_value`` stores the competitor's share
(``storage.findings_models.LEGACY_NEED_UNIT``), and is shown as such.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 23:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0018'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    ('competitor_value', sa.Float()),
    ('own_value', sa.Float()),
    ('competitor_count', sa.Integer()),
    ('own_count', sa.Integer()),
    ('p_value', sa.Float()),
    ('p_adjusted', sa.Float()),
)


def upgrade() -> None:
    present = {c['name'] for c in sa.inspect(op.get_bind()).get_columns('finding')}
    with op.batch_alter_table('finding', schema=None) as batch_op:
        for name, kind in COLUMNS:
            if name not in present:
                batch_op.add_column(sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('finding', schema=None) as batch_op:
        for name, _ in reversed(COLUMNS):
            batch_op.drop_column(name)
