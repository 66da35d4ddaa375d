"""review copy key: a review read two ways (a widget's API and the page's layout) is one row

``review.copy_key`` (``settings.content_keys.copy_key``: the text's first words) finds a
review's stored copies, indexed with the company. Stored reviews get theirs, a chunk of ids
at a time; a run stopped half-way runs again to the end. Copies stored before stay two rows
(``storage.review_copies`` merges those a crawl brings from now on) until ``rivalscope db
merge-copies`` (``storage.merge_copies``) merges them. A database holding no review yet
(a new one) has no such copies: it is marked merged (``meta``), so that ``rivalscope runs``
does not warn of copies an older version never stored there.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 17:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from settings.content_keys import copy_key

revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHUNK = 5000
"""Reviews read and updated at a time (memory stays flat on a large table)."""

review = sa.table(
    'review',
    sa.column('id', sa.Integer()),
    sa.column('text', sa.Text()),
    sa.column('copy_key', sa.String()),
)
meta = sa.table('meta', sa.column('key', sa.String()), sa.column('value', sa.Text()))
MERGED_KEY = 'review_copies_merged'
"""``storage.merge_copies.MERGED_KEY`` (a migration keeps its own copy of what it writes)."""


def upgrade() -> None:
    bind = op.get_bind()
    if bind.execute(sa.select(review.c.id).limit(1)).first() is None and (
        bind.execute(sa.select(meta.c.key).where(meta.c.key == MERGED_KEY)).first() is None
    ):
        # Nothing stored before copy keys: no copies for `rivalscope db merge-copies` to
        # merge, and none for `rivalscope runs` to warn of.
        bind.execute(sa.insert(meta).values(key=MERGED_KEY, value='1'))
    columns = {c['name'] for c in sa.inspect(bind).get_columns('review')}
    if 'copy_key' not in columns:
        with op.batch_alter_table('review', schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('copy_key', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
            )
    last = 0
    while True:
        rows = bind.execute(
            sa.select(review.c.id, review.c.text)
            .where(review.c.id > last, review.c.copy_key.is_(None))
            .order_by(review.c.id)
            .limit(CHUNK)
        ).all()
        if not rows:
            break
        last = rows[-1][0]
        keys = [
            {'row_id': row_id, 'key': key}
            for row_id, text in rows
            if (key := copy_key(text)) is not None
        ]
        if keys:
            bind.execute(
                sa.update(review)
                .where(review.c.id == sa.bindparam('row_id'))
                .values(copy_key=sa.bindparam('key')),
                keys,
            )
    op.create_index(
        'ix_review_company_copy', 'review', ['company_id', 'copy_key'], if_not_exists=True
    )


def downgrade() -> None:
    op.drop_index('ix_review_company_copy', table_name='review')
    with op.batch_alter_table('review', schema=None) as batch_op:
        batch_op.drop_column('copy_key')
