"""finding: net-sentiment gaps stored in the old wording say what the comparison checks

Reports before the comparative wording stored a gap as "X is weak on delivery: net +0.18
against our +0.96" (a positive net called weak). Today's reports write "X is weaker than
us on delivery: their net +0.18 vs our +0.96". Those rows were reworded whenever the report
or ``rivalscope findings`` read them, but ``rivalscope export findings`` (and anyone
reading the table) saw the old words: they are reworded here, once, figures untouched.

Downgrade keeps the new wording: it is what revision 0020's rivalscope writes too.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 19:40:00
"""

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0021'
down_revision: str | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_WORDING = re.compile(
    r"^(?P<name>.+) is (?P<side>weak|strong) on (?P<topic>.+?): "
    r"net (?P<theirs>[+-]\d+\.\d+) against our (?P<rest>[+-]\d+\.\d+.*)$",
    re.DOTALL,
)
"""A net-sentiment gap's summary as reports before the comparative wording stored it (a
frozen copy: this revision must reword what those reports wrote, whatever code comes next)."""


def reworded(summary: str) -> str | None:
    """``summary`` in today's wording (None: it is not in the old one)."""
    match = OLD_WORDING.match(summary)
    if match is None:
        return None
    side = "weaker" if match['side'] == 'weak' else "stronger"
    return (
        f"{match['name']} is {side} than us on {match['topic']}: "
        f"their net {match['theirs']} vs our {match['rest']}"
    )


def upgrade() -> None:
    finding = sa.table(
        'finding', sa.column('id', sa.Integer), sa.column('kind', sa.String), sa.column('summary', sa.Text)
    )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(finding.c.id, finding.c.summary).where(
            finding.c.kind.in_(('competitor_weakness', 'competitor_strength')),
            sa.or_(finding.c.summary.like('% is weak on %'), finding.c.summary.like('% is strong on %')),
        )
    ).all()
    for row in rows:
        summary = reworded(str(row.summary))
        if summary is not None:
            connection.execute(finding.update().where(finding.c.id == row.id).values(summary=summary))


def downgrade() -> None:
    pass
