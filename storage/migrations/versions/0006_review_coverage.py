"""review coverage: the review count a product page declares, and per run collected/declared

Revision ID: 0006
Revises: 0010
Create Date: 2026-12-04 14:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.migrations.existing_schema import add_missing_columns

revision: str = '0006'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    add_missing_columns('product', [sa.Column('reviews_declared', sa.Integer(), nullable=True)])
    add_missing_columns('crawl_run', [
        sa.Column('reviews_declared', sa.Integer(), nullable=True),
        sa.Column('reviews_collected', sa.Integer(), nullable=True),
    ])


def downgrade() -> None:
    with op.batch_alter_table('crawl_run') as batch:
        batch.drop_column('reviews_collected')
        batch.drop_column('reviews_declared')
    with op.batch_alter_table('product') as batch:
        batch.drop_column('reviews_declared')
