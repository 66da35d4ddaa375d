"""crawl_run: the Redis queue and the workers of a distributed run

Revision ID: 0011
Revises: 0008
Create Date: 2026-12-04 15:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.migrations.existing_schema import add_missing_columns

revision: str = '0011'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    add_missing_columns('crawl_run', [
        sa.Column('queue', sa.String(length=300), nullable=True),
        sa.Column('workers', sa.JSON(), nullable=True),
    ])


def downgrade() -> None:
    with op.batch_alter_table('crawl_run', schema=None) as batch_op:
        batch_op.drop_column('workers')
        batch_op.drop_column('queue')
