"""What the database holds per company, and what recent runs did: for the CLI's summaries."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from storage.models import Company, CrawlRun, OfferObservation, Product, Review, Source


@dataclass
class CompanySummary:
    """Totals for one company."""

    company: str
    own: bool
    reviews: int = 0
    products: int = 0
    offer_observations: int = 0
    languages: dict[str, int] = field(default_factory=dict)
    last_runs: list[CrawlRun] = field(default_factory=list)
    run_sources: dict[int, str] = field(default_factory=dict)
    """Run id -> its source's name."""


def company_summaries(engine: Engine, sources: list[str] | None = None) -> list[CompanySummary]:
    """Per company (own first): stored reviews by language, products, offer observations,
    and the newest run of each of its sources (only ``sources`` if given)."""
    out: list[CompanySummary] = []
    with Session(engine) as session:
        companies = session.exec(
            select(Company).order_by(col(Company.is_own).desc(), col(Company.name))
        ).all()
        for company in companies:
            summary = CompanySummary(company=company.name, own=company.is_own)
            for language, n in session.exec(
                select(Review.language, func.count())
                .where(Review.company_id == company.id)
                .group_by(col(Review.language))
            ).all():
                summary.languages[language or "?"] = n
            summary.reviews = sum(summary.languages.values())
            summary.products = session.exec(
                select(func.count()).select_from(Product).where(Product.company_id == company.id)
            ).one()
            summary.offer_observations = session.exec(
                select(func.count())
                .select_from(OfferObservation)
                .join(Product, col(Product.id) == col(OfferObservation.product_id))
                .where(Product.company_id == company.id)
            ).one()
            company_sources = session.exec(
                select(Source).where(Source.company_id == company.id)
            ).all()
            for source in company_sources:
                if sources is not None and source.name not in sources:
                    continue
                run = session.exec(
                    select(CrawlRun)
                    .where(CrawlRun.source_id == source.id)
                    .order_by(col(CrawlRun.id).desc())
                ).first()
                if run is not None:
                    summary.last_runs.append(run)
                    summary.run_sources[run.id or 0] = source.name
            if sources is None or summary.last_runs:
                out.append(summary)
    return out


def crawl_runs(engine: Engine, ids: list[int]) -> dict[int, CrawlRun]:
    """The ``crawl_run`` rows with these ids, by id."""
    if not ids:
        return {}
    with Session(engine) as session:
        rows = session.exec(select(CrawlRun).where(col(CrawlRun.id).in_(ids))).all()
        return {row.id: row for row in rows if row.id is not None}


END_WORDS = {
    "finished": "done",
    "shutdown": "interrupted",
    "closespider_timeout": "stopped at its time limit",
    "closespider_pagecount": "stopped at its page limit",
}
"""How a crawl's close reason reads, at the end of its progress line and in `rivalscope
runs` (others are shown as they are)."""


def run_outcome(run: CrawlRun, *, fetches_pages: bool = True) -> str:
    """A run's status as the tables say it: ``failed`` for a crawl that ended without a
    page (a dead site, robots.txt forbidding all, a time limit before the first answer),
    else its stored status. The row keeps ``finished`` (the crawl ran to its end, and what
    reads a run's end reads it so); ``run_reason`` says why beside it. `runs` said
    ``finished`` where the scheduler's table said ``failed`` for the same run (the crawl
    exits 1 when it fetched nothing).

    ``fetches_pages``: False for a file import's run, which fetches none by design."""
    if fetches_pages and run.status == "finished" and run.pages == 0:
        return "failed"
    return run.status


def run_reason(run: CrawlRun, *, fetches_pages: bool = True) -> str:
    """What a run's table row says beside its status: Scrapy's reason when it is not the plain
    end ("finished", like the status), else, for a run that fetched no page, its first error
    (a refused connection, an unreadable robots.txt), so that a dead site says why.

    ``fetches_pages``: False for a file import's run, which fetches none by design."""
    if run.finish_reason and run.finish_reason != run.status:
        return END_WORDS.get(run.finish_reason, run.finish_reason)
    if fetches_pages and run.pages == 0 and run.status != "running":
        return no_page_reason(run)
    return ""


def no_page_reason(run: CrawlRun) -> str:
    """Why a run fetched no page: its first error, else robots.txt refusing every page it
    found (a site that starts disallowing crawlers answers its robots.txt and nothing else,
    which is no error), else that no page answered."""
    if run.error_samples:
        return run.error_samples[0]
    if run.robots_blocked:
        pages = "page" if run.robots_blocked == 1 else "pages"
        return (
            f"robots.txt forbids the crawler every page it found ({run.robots_blocked} "
            f"{pages}): the site no longer allows crawling; ask its owner, or remove the source"
        )
    return "no page answered"
