"""finding: what the competitor's side was compared with (own_base)

A segment of a competitor's reviews (a language, region or category) is compared from now
on with our reviews in the same segment when we have enough of them (``segment``), else
with our whole company (``company``); a price gap with our matched products
(``matched_products``). Rows stored before were all compared with our whole company (or,
for prices, our matched products): they are back-filled so.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 02:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.migrations.existing_schema import add_missing_columns

revision: str = '0019'
down_revision: str | None = '0018'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    add_missing_columns('finding', [sa.Column('own_base', sa.String(length=20), nullable=True)])
    finding = sa.table('finding', sa.column('kind', sa.String), sa.column('own_base', sa.String))
    op.execute(
        finding.update()
        .where(finding.c.own_base.is_(None))
        .values(
            own_base=sa.case(
                (finding.c.kind == 'price_gap', 'matched_products'), else_='company'
            )
        )
    )


def downgrade() -> None:
    with op.batch_alter_table('finding', schema=None) as batch_op:
        batch_op.drop_column('own_base')
