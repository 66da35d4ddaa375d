"""review identity: one row for a review shown under several products; edited reviews

``review.identity_key`` identifies a review whatever product it was shown under
(``settings.content_keys.review_identity_key``); ``review_alias`` keeps the other products'
content keys. Stored reviews get their identity key, and the copies a shared review widget
or a file made under other products become aliases of the first row (their analysis rows,
made from the same text, go with them). ``edited_at`` and ``text_before_edit`` record an
edit found by a crawl.

Each step checks what is there already: a run stopped half-way (SQLite's DDL commits as
it goes) runs again to the end.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from settings.content_keys import review_identity_key

revision: str = '0016'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHUNK = 5000
"""Reviews read and updated at a time (memory stays flat on a large table)."""
ANALYSIS_TABLES = ('review_analysis', 'review_sentence', 'aspect_mention', 'review_need', 'key_phrase')

review = sa.table(
    'review',
    sa.column('id', sa.Integer()),
    sa.column('company_id', sa.Integer()),
    sa.column('product_id', sa.Integer()),
    sa.column('content_key', sa.String()),
    sa.column('identity_key', sa.String()),
    sa.column('external_id', sa.String()),
    sa.column('text', sa.Text()),
    sa.column('title', sa.Text()),
    sa.column('rating', sa.Float()),
    sa.column('published', sa.Date()),
    sa.column('author_hash', sa.String()),
    sa.column('first_seen_at', sa.DateTime(timezone=True)),
)
alias = sa.table(
    'review_alias',
    sa.column('company_id', sa.Integer()),
    sa.column('content_key', sa.String()),
    sa.column('review_id', sa.Integer()),
    sa.column('product_id', sa.Integer()),
    sa.column('first_seen_at', sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    columns = {c['name'] for c in inspector.get_columns('review')}
    with op.batch_alter_table('review', schema=None) as batch_op:
        if 'identity_key' not in columns:
            batch_op.add_column(
                sa.Column('identity_key', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
            )
        if 'edited_at' not in columns:
            batch_op.add_column(sa.Column('edited_at', sa.DateTime(timezone=True), nullable=True))
        if 'text_before_edit' not in columns:
            batch_op.add_column(sa.Column('text_before_edit', sa.Text(), nullable=True))
    if not inspector.has_table('review_alias'):
        op.create_table(
            'review_alias',
            sa.Column('id', sa.Integer(), nullable=False),
            sa.Column('company_id', sa.Integer(), nullable=False),
            sa.Column('content_key', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
            sa.Column('review_id', sa.Integer(), nullable=False),
            sa.Column('product_id', sa.Integer(), nullable=True),
            sa.Column('first_seen_at', sa.DateTime(timezone=True), nullable=False),
            sa.ForeignKeyConstraint(['company_id'], ['company.id'], ),
            sa.ForeignKeyConstraint(['product_id'], ['product.id'], ),
            sa.ForeignKeyConstraint(['review_id'], ['review.id'], ),
            sa.PrimaryKeyConstraint('id'),
            sa.UniqueConstraint('company_id', 'content_key', name='uq_review_alias_company_key'),
        )
    for column in ('product_id', 'review_id'):
        op.create_index(f'ix_review_alias_{column}', 'review_alias', [column], if_not_exists=True)
    _fill_identity_keys(bind)
    _merge_copies(bind)
    op.create_index(
        'uq_review_company_identity', 'review', ['company_id', 'identity_key'], unique=True,
        if_not_exists=True,
    )


def _fill_identity_keys(bind: sa.Connection) -> None:
    """Each review's identity key, from its stored columns, a chunk of ids at a time."""
    last = 0
    while True:
        rows = bind.execute(
            sa.select(
                review.c.id, review.c.external_id, review.c.text, review.c.title,
                review.c.rating, review.c.published, review.c.author_hash,
            )
            .where(review.c.id > last, review.c.identity_key.is_(None))
            .order_by(review.c.id)
            .limit(CHUNK)
        ).all()
        if not rows:
            return
        last = rows[-1][0]
        keys = [
            {'row_id': row_id, 'key': key}
            for row_id, external_id, text, title, rating, published, author_hash in rows
            if (key := review_identity_key(
                external_id=external_id, text=text, title=title, rating=rating,
                published=published, author_hash=author_hash,
            )) is not None
        ]
        if keys:
            bind.execute(
                sa.update(review).where(review.c.id == sa.bindparam('row_id')).values(identity_key=sa.bindparam('key')),
                keys,
            )


def _merge_copies(bind: sa.Connection) -> None:
    """A review stored under several products: the first row stays, the others become its
    aliases (key, product and when first seen), their analysis rows and rows go."""
    groups = bind.execute(
        sa.select(review.c.company_id, review.c.identity_key, sa.func.min(review.c.id))
        .where(review.c.identity_key.is_not(None))
        .group_by(review.c.company_id, review.c.identity_key)
        .having(sa.func.count() > 1)
    ).all()
    for start in range(0, len(groups), 500):
        part = groups[start : start + 500]
        kept = {(company, identity): first for company, identity, first in part}
        copies = bind.execute(
            sa.select(
                review.c.id, review.c.company_id, review.c.identity_key, review.c.content_key,
                review.c.product_id, review.c.first_seen_at,
            ).where(
                review.c.identity_key.in_(sorted({identity for _, identity, _ in part})),
                review.c.id.not_in(sorted(kept.values())),
            )
        ).all()
        copies = [c for c in copies if (c.company_id, c.identity_key) in kept]
        if not copies:
            continue
        bind.execute(
            alias.insert(),
            [
                {
                    'company_id': c.company_id,
                    'content_key': c.content_key,
                    'review_id': kept[(c.company_id, c.identity_key)],
                    'product_id': c.product_id,
                    'first_seen_at': c.first_seen_at,
                }
                for c in copies
            ],
        )
        ids = [c.id for c in copies]
        for name in ANALYSIS_TABLES:
            table = sa.table(name, sa.column('review_id', sa.Integer()))
            bind.execute(sa.delete(table).where(table.c.review_id.in_(ids)))
        bind.execute(sa.delete(review).where(review.c.id.in_(ids)))


def downgrade() -> None:
    op.drop_index('uq_review_company_identity', table_name='review')
    op.drop_table('review_alias')
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_column('text_before_edit')
        batch_op.drop_column('edited_at')
        batch_op.drop_column('identity_key')
