"""Tables of the scheduler and the health checks: per-source schedule state (last run,
lease), one health verdict per crawl run, and the notices already sent.

Times are UTC.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.models import utcnow


class ScheduleState(SQLModel, table=True):
    """What ``rivalscope schedule`` remembers about one source across restarts.

    The lease makes a crawl of a source exclusive across scheduler processes: a scheduler
    takes it with a conditional UPDATE and holds it until the crawl ends or it expires.
    """

    __tablename__ = "schedule_state"

    source_name: str = Field(primary_key=True, max_length=120)
    last_started_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    """When the last scheduled crawl started; "due" is computed from this."""
    last_finished_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    last_outcome: str | None = Field(default=None, max_length=20)
    """``finished``, ``failed``, ``timeout``, ``interrupted`` or ``skipped``."""
    lease_owner: str | None = Field(default=None, max_length=100)
    """``host:pid`` of the scheduler running the source's crawl, or None."""
    lease_until: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    """The lease is void after this moment (a scheduler killed with -9 never releases it)."""
    failures: int = 0
    """Rounds in a row whose step failed (a scheduler step's row, e.g. ``(keyless rows)``:
    ``last_outcome`` ``failed``); 0 once it succeeds."""
    last_error: str | None = Field(default=None, sa_type=Text)
    """Why it failed the last time (the exception's type and message)."""


class HealthCheck(SQLModel, table=True):
    """The health verdict on one crawl run."""

    __tablename__ = "health_check"
    __table_args__ = (UniqueConstraint("crawl_run_id", name="uq_health_check_run"),)

    id: int | None = Field(default=None, primary_key=True)
    source_id: int = Field(foreign_key="source.id", index=True)
    crawl_run_id: int = Field(foreign_key="crawl_run.id")
    checked_at: datetime = Field(
        default_factory=utcnow, sa_type=DateTime(timezone=True), nullable=False
    )
    healthy: bool = True
    reasons: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    figures: dict[str, float] = Field(default_factory=dict, sa_column=Column(JSON))
    """What was measured: reviews per page, coverage, error and drop rates, baselines."""


class NoticeSent(SQLModel, table=True):
    """A health notice or business alert that was sent; its key is never sent twice."""

    __tablename__ = "notice_sent"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=300, unique=True)
    """E.g. ``price:<observation id>`` or ``sentiment:<company>:<aspect>:<window>``."""
    kind: str = Field(max_length=20)
    """``health`` or ``alert``."""
    message: str = Field(sa_type=Text)
    sent_at: datetime = Field(
        default_factory=utcnow, sa_type=DateTime(timezone=True), nullable=False
    )
    delivered: bool = False
    """True once every notification target accepted it (False also when none is set)."""
    title: str | None = Field(default=None, sa_type=Text)
    data: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    """The notice's figures, kept so an undelivered notice can be sent again later."""
    attempts: int = 0
    """Delivery rounds tried so far (each with a few quick retries)."""
    last_error: str | None = Field(default=None, sa_type=Text)
