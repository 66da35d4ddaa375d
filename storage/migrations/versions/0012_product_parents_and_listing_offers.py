"""product parents of variants, variant size and colour, listing observations

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-04 16:56:26
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from storage.migrations.existing_schema import drop_batch_copies, has_index, has_table

revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A failed 0012 (before upgrades were one transaction) committed product_parent, its
    # index and offer_observation's batch copy: kept (the table is empty) or dropped
    drop_batch_copies(['offer_observation', 'product'])
    if not has_table('product_parent'):
        _create_product_parent()
    if not has_index('product_parent', 'ix_product_parent_company_id'):
        with op.batch_alter_table('product_parent', schema=None) as batch_op:
            batch_op.create_index(batch_op.f('ix_product_parent_company_id'), ['company_id'], unique=False)

    with op.batch_alter_table('offer_observation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('listing', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.add_column(sa.Column('parent_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('size', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True))
        batch_op.add_column(sa.Column('colour', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True))
        batch_op.create_index(batch_op.f('ix_product_parent_id'), ['parent_id'], unique=False)
        batch_op.create_foreign_key('fk_product_parent_id', 'product_parent', ['parent_id'], ['id'])


def _create_product_parent() -> None:
    op.create_table('product_parent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('code', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
    sa.Column('price_low', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('price_high', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.Column('currency', sqlmodel.sql.sqltypes.AutoString(length=3), nullable=True),
    sa.Column('availability', sqlmodel.sql.sqltypes.AutoString(length=30), nullable=True),
    sa.Column('variants', sa.Integer(), nullable=False),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('first_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['company_id'], ['company.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('company_id', 'key', name='uq_product_parent_company_key')
    )



def downgrade() -> None:
    with op.batch_alter_table('product', schema=None) as batch_op:
        batch_op.drop_constraint('fk_product_parent_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_product_parent_id'))
        batch_op.drop_column('colour')
        batch_op.drop_column('size')
        batch_op.drop_column('parent_id')

    with op.batch_alter_table('offer_observation', schema=None) as batch_op:
        batch_op.drop_column('listing')

    with op.batch_alter_table('product_parent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_product_parent_company_id'))

    op.drop_table('product_parent')
