"""notices keep what is needed to deliver them again later

``notice_sent`` gains the notice's title and data, the number of delivery rounds tried
and the last error, so a notice no target accepted is retried at the next round.

Revision ID: 0010
Revises: 0005
Create Date: 2026-12-04 14:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0010'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('notice_sent') as batch:
        batch.add_column(sa.Column('title', sa.Text(), nullable=True))
        batch.add_column(sa.Column('data', sa.JSON(), nullable=True))
        batch.add_column(
            sa.Column('attempts', sa.Integer(), nullable=False, server_default='0')
        )
        batch.add_column(sa.Column('last_error', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('notice_sent') as batch:
        for column in ('last_error', 'attempts', 'data', 'title'):
            batch.drop_column(column)
