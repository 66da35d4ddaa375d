"""what each report run was built on (the data fingerprint), so that an unchanged
database is not reported again after a scheduler restart or by ``schedule --once``

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05 12:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('report_run', schema=None) as batch_op:
        batch_op.add_column(sa.Column('built_on', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('report_run', schema=None) as batch_op:
        batch_op.drop_column('built_on')
