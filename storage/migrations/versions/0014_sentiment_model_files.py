"""sentiment model files in the database

A database without a file of its own (PostgreSQL) keeps its trained sentiment model
versions in ``sentiment_model_file``, so that every machine and folder scores with them.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 06:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'sentiment_model_file',
        sa.Column('version', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column('content', sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint('version', 'name'),
    )


def downgrade() -> None:
    op.drop_table('sentiment_model_file')
