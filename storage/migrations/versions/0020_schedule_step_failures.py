"""schedule_state: a scheduler step's failures in a row and its last error

The scheduler's step that keys and merges the rows an older rivalscope stored without keys
(its row ``(keyless rows)``) logged a failure and went on: a failure every round was seen
only in the scheduler's log. Its row keeps how many rounds in a row it failed and why, so
``rivalscope runs`` says so.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 09:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.migrations.existing_schema import add_missing_columns

revision: str = '0020'
down_revision: str | None = '0019'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    add_missing_columns(
        'schedule_state',
        [
            sa.Column('failures', sa.Integer(), nullable=False, server_default='0'),
            sa.Column('last_error', sa.Text(), nullable=True),
        ],
    )


def downgrade() -> None:
    with op.batch_alter_table('schedule_state') as batch:
        for column in ('last_error', 'failures'):
            batch.drop_column(column)
