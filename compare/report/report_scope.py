"""Which companies and dates a report covers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, Connection, Table, and_, select, true

from compare.report.report_error import ReportError
from compare.report.stored_tables import COMPANY, REVIEW
from storage.company_names import fold_name, suggest_company
from storage.since_dates import future_since

MIN_MIN_SAMPLE = 1
"""The smallest --min-sample a report takes (the hint to lower it stops higher:
``findings.SUGGEST_FLOOR``)."""
MAX_MIN_SAMPLE = 1_000_000
"""A larger --min-sample calls no gap (and overflows the database's integers)."""


@dataclass(frozen=True)
class CompanyRef:
    id: int
    name: str
    own: bool


@dataclass(frozen=True)
class ReportScope:
    own: CompanyRef
    competitors: tuple[CompanyRef, ...]
    since: date | None
    until: date | None
    min_sample: int

    @property
    def companies(self) -> tuple[CompanyRef, ...]:
        return (self.own, *self.competitors)

    @property
    def company_ids(self) -> list[int]:
        return [c.id for c in self.companies]

    def name_of(self, company_id: int) -> str:
        return next(c.name for c in self.companies if c.id == company_id)

    def dates_text(self) -> str:
        """The report's dates in words ("reviews 2026-01-01 to 2026-03-31")."""
        if self.since is None and self.until is None:
            return "all review dates"
        return f"reviews {self.since or 'from the first'} to {self.until or 'the latest'}"

    @property
    def observed_before(self) -> datetime | None:
        """The first moment after ``until`` (UTC, naive as stored timestamps are compared):
        prices observed from then on came after the report's dates; None without ``until``."""
        if self.until is None:
            return None
        return datetime.combine(self.until + timedelta(days=1), time.min)

    def review_filter(self) -> ColumnElement[bool]:
        """Reviews of the companies in scope, published within the dates (if given)."""
        return self.rows_filter(REVIEW)

    def rows_filter(self, table: Table) -> ColumnElement[bool]:
        """The same for any table with ``company_id`` and ``published`` columns (the
        analysis copies both from the review onto its rows, so no join is needed)."""
        conditions: list[ColumnElement[bool]] = [table.c.company_id.in_(self.company_ids)]
        if self.since is not None:
            conditions.append(table.c.published >= self.since)
        if self.until is not None:
            conditions.append(table.c.published <= self.until)
        return and_(true(), *conditions)


def _named_competitors(
    names: list[str], others: list[CompanyRef], own: CompanyRef
) -> list[CompanyRef]:
    """The competitors ``--competitor`` names, in their order (case and accents do not
    matter, as for ``findings`` and ``export``); ReportError naming the unknown ones."""
    by_fold = {fold_name(c.name): c for c in others}
    unknown = [n for n in names if fold_name(n) not in by_fold]
    if unknown:
        if fold_name(own.name) in map(fold_name, unknown):
            raise ReportError(
                f"{own.name!r} is your own company: --competitor names the companies to "
                "compare it with"
            )
        hints = "; ".join(f"{n!r}: {suggest_company(n, [c.name for c in others])}" for n in unknown)
        raise ReportError(f"unknown competitor(s): {hints}")
    chosen = {fold_name(n): by_fold[fold_name(n)] for n in names}
    return list(chosen.values())


def resolve_scope(
    connection: Connection,
    competitors: list[str] | None,
    since: date | None,
    until: date | None,
    min_sample: int,
    *,
    now: datetime | None = None,
) -> ReportScope:
    """The own company and the competitors (all others unless named); errors for humans
    (``now``, default the clock, decides which ``since`` is in the future)."""
    if min_sample < MIN_MIN_SAMPLE:
        raise ReportError(f"--min-sample must be at least {MIN_MIN_SAMPLE}, got {min_sample}")
    if min_sample > MAX_MIN_SAMPLE:
        raise ReportError(f"--min-sample must be at most {MAX_MIN_SAMPLE:,}, got {min_sample}")
    if since is not None and until is not None and since > until:
        raise ReportError(f"--since {since} is after --until {until}")
    if (future := future_since(since, now)) is not None:
        raise ReportError(future)
    rows = connection.execute(select(COMPANY.c.id, COMPANY.c.name, COMPANY.c.is_own)).all()
    companies = [CompanyRef(int(r.id), str(r.name), bool(r.is_own)) for r in rows]
    owns = [c for c in companies if c.own]
    if not owns:
        raise ReportError(
            "no own company in the database: crawl a source of the company marked `own = true` "
            "in the targets file (the scheduler crawls only sources with a `schedule`), or "
            "import its reviews with `rivalscope import FILE --company NAME --own --new-company`"
        )
    others = [c for c in companies if not c.own]
    if competitors:
        others = _named_competitors(competitors, others, owns[0])
    if not others:
        raise ReportError("no competitor in the database: crawl or import one first")
    scope = ReportScope(
        owns[0], tuple(sorted(others, key=lambda c: c.name)), since, until, min_sample
    )
    if since is not None or until is not None:
        dated = connection.execute(
            select(REVIEW.c.id).where(scope.review_filter()).limit(1)
        ).first()
        if dated is None:  # a report of nothing, written as if it were one
            window = " and ".join(
                f"{word} {day}" for word, day in (("from", since), ("until", until)) if day
            )
            raise ReportError(f"no review published {window}: nothing to report")
    return scope
