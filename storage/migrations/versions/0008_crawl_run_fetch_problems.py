"""crawl_run: fetch problems by reason, peak memory, one running run per source

``fetch_problems`` counts what a hostile or faulty site did (oversize bodies, decompression
bombs, redirect loops, off-host redirects, time-outs, long Retry-After) by reason;
``peak_memory_mb`` is the crawl process's peak. A partial unique index allows one
``running`` run per source, so two crawls of one source never write at the same time (the
second is refused). Older databases may hold several ``running`` rows of killed crawls:
all but the newest per source become ``interrupted`` first.

Revision ID: 0008
Revises: 0010
Create Date: 2026-12-04 14:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from storage.migrations.existing_schema import add_missing_columns

revision: str = '0008'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_RUNNING = sa.text("status = 'running'")


def upgrade() -> None:
    add_missing_columns('crawl_run', [
        sa.Column('fetch_problems', sa.JSON(), nullable=True),
        sa.Column('peak_memory_mb', sa.Integer(), nullable=True),
    ])
    op.execute(
        "UPDATE crawl_run SET status = 'interrupted', "
        "finish_reason = COALESCE(finish_reason, 'process ended without closing') "
        "WHERE status = 'running' AND id NOT IN "
        "(SELECT MAX(id) FROM crawl_run WHERE status = 'running' GROUP BY source_id)"
    )
    op.create_index(
        'uq_crawl_run_one_running',
        'crawl_run',
        ['source_id'],
        unique=True,
        sqlite_where=_RUNNING,
        postgresql_where=_RUNNING,
    )


def downgrade() -> None:
    op.drop_index('uq_crawl_run_one_running', table_name='crawl_run')
    with op.batch_alter_table('crawl_run', schema=None) as batch_op:
        batch_op.drop_column('peak_memory_mb')
        batch_op.drop_column('fetch_problems')
