"""End-to-end: the real ``rivalscope crawl`` against the demo shops on 127.0.0.1.

Checks what is stored against the demo's ground truth, that a re-crawl adds nothing,
that a crawl killed half-way and re-run ends with the same rows as an uninterrupted
one, that broken pages are counted and not fatal, and that robots.txt is obeyed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from rivalscope.demo.records import DemoShop
from rivalscope.demo.server import DemoServer
from rivalscope.demo.site import Response
from rivalscope.demo.targets import targets_toml
from storage.db import open_database
from storage.models import Company, CrawlRun, OfferObservation, Product, Review, Source
from tests.cli import run_cli

pytestmark = pytest.mark.slow


def _targets(tmp_path: Path, server: DemoServer, shops: list[DemoShop], slow: bool = False) -> Path:
    text = targets_toml(server.base_url, shops)
    if slow:
        # One request at a time, with a pause (tests/test_crawl_kill.py).
        text = text.replace("download_delay = 0\n", "download_delay = 0.3\n")
        text = text.replace("concurrency = 8\n", "concurrency = 1\n")
    path = tmp_path / "targets.toml"
    path.write_text(text, encoding="utf-8")
    return path


class _HeldReviewPages:
    """Answers a page of reviews after the first only once released.

    A crawl served through it stores the first review page of each product and then waits
    on the later ones, however fast it or its store worker is: the test kills it there, at
    a point it controls, with reviews stored and reviews certainly left to store.
    """

    def __init__(self, respond: Callable[[str], Response]) -> None:
        self.respond = respond
        self.released = threading.Event()

    def __call__(self, raw_path: str) -> Response:
        if parse_qs(urlsplit(raw_path).query).get("page", ["1"]) != ["1"]:
            self.released.wait(timeout=300)
        return self.respond(raw_path)


def _snapshot(engine: Engine) -> dict[str, object]:
    """Everything a crawl stores, independent of ids and timestamps."""
    with Session(engine) as session:
        names = {c.id: c.name for c in session.exec(select(Company)).all()}
        reviews = sorted(
            (names[r.company_id], r.content_key, r.external_id, r.rating, r.best_rating, r.language)
            for r in session.exec(select(Review)).all()
        )
        products = sorted(
            (names[p.company_id], p.key, p.name) for p in session.exec(select(Product)).all()
        )
        observations = sorted(
            (p.key, o.listing, o.price, o.currency or "", o.availability or "")
            for o, p in session.exec(
                select(OfferObservation, Product).where(
                    col(OfferObservation.product_id) == col(Product.id)
                )
            ).all()
        )
    return {"reviews": reviews, "products": products, "observations": observations}


def _check_against_truth(engine: Engine, shops: list[DemoShop]) -> None:
    with Session(engine) as session:
        for shop in shops:
            company = session.exec(select(Company).where(Company.name == shop.name)).one()
            assert company.is_own == shop.own
            stored = {
                r.external_id: r
                for r in session.exec(select(Review).where(Review.company_id == company.id)).all()
            }
            valid = {r.review_id: r for r in shop.reviews if r.invalid_reason is None}
            invalid = {r.review_id for r in shop.reviews if r.invalid_reason is not None}
            broken = {
                r.review_id
                for page in shop.broken_pages
                if page.product
                for r in page.product.reviews
            }
            missing = set(valid) - set(stored)
            assert not missing, (
                f"{shop.name}: {len(missing)} reviews not stored, e.g. {sorted(missing)[:3]}"
            )
            assert not invalid & set(stored), f"{shop.name}: invalid reviews stored"
            assert set(stored) - set(valid) <= broken, f"{shop.name}: unexpected reviews stored"
            for review_id, truth in valid.items():
                row = stored[review_id]
                assert (row.rating, row.best_rating) == (truth.rating, truth.scale), review_id
                assert row.rating_normalized == pytest.approx(
                    (truth.rating - 1) / (truth.scale - 1)
                )
                assert row.published == truth.published, review_id
                assert row.author_hash and truth.author not in (row.text or "")
                assert row.region == truth.region
            # Language: detected or declared; allow a few misdetections of very short texts.
            wrong = [rid for rid, t in valid.items() if stored[rid].language != t.language]
            assert len(wrong) <= max(2, len(valid) // 50), (
                f"{shop.name}: languages wrong for {wrong[:5]}"
            )

            products = {
                p.sku: p
                for p in session.exec(select(Product).where(Product.company_id == company.id)).all()
            }
            for truth_product in shop.products:
                product = products.get(truth_product.sku) or next(
                    (p for p in products.values() if p.gtin and p.gtin == truth_product.gtin), None
                )
                assert product is not None, f"{shop.name}: {truth_product.sku} not stored"
                latest = session.exec(
                    select(OfferObservation)
                    .where(OfferObservation.product_id == product.id)
                    .order_by(col(OfferObservation.id).desc())
                ).first()
                assert latest is not None
                assert latest.price == f"{truth_product.price:.2f}"
                assert latest.currency == truth_product.currency
                assert latest.availability == truth_product.availability

            source = session.exec(select(Source).where(Source.company_id == company.id)).one()
            run = session.exec(
                select(CrawlRun)
                .where(CrawlRun.source_id == source.id)
                .order_by(col(CrawlRun.id).desc())
            ).first()
            assert run is not None and run.status == "finished"
            kinds = {page.kind for page in shop.broken_pages}
            if "server-error" in kinds:
                assert run.http_errors >= 1 and run.status_counts.get("500", 0) >= 1
            if kinds & {"truncated", "invalid-jsonld"}:
                assert run.page_warnings >= 1
            assert run.robots_blocked >= 1


def test_crawl_stores_the_demo_shops_and_recrawl_adds_nothing(
    tmp_path: Path, server: DemoServer, shops: list[DemoShop]
) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    targets = _targets(tmp_path, server, shops)
    first = run_cli(
        "crawl", "--targets", str(targets), "--log-level", "WARNING", cwd=tmp_path, db_url=url
    )
    assert first.returncode == 0, first.stderr[-3000:]
    assert "Nordlys Kaffe (own)" in first.stdout
    engine = open_database(url)
    _check_against_truth(engine, shops)
    before = _snapshot(engine)
    # Planted absurd values were dropped and counted with their reasons.
    with Session(engine) as session:
        reasons: dict[str, int] = {}
        for run in session.exec(select(CrawlRun)).all():
            for reason, n in run.dropped_reasons.items():
                reasons[reason] = reasons.get(reason, 0) + n
    planted = {r.invalid_reason for s in shops for r in s.reviews if r.invalid_reason}
    assert reasons, "nothing was dropped although the demo plants absurd values"
    assert len(reasons) >= len(planted)
    assert not any("/private/" in path for path in server.requested_paths), "robots.txt ignored"

    second = run_cli(
        "crawl", "--targets", str(targets), "--log-level", "WARNING", cwd=tmp_path, db_url=url
    )
    assert second.returncode == 0, second.stderr[-3000:]
    assert _snapshot(engine) == before
    with Session(engine) as session:
        runs = session.exec(select(CrawlRun).order_by(col(CrawlRun.id))).all()
    assert [r.reviews_new for r in runs[len(shops) :]] == [0] * len(shops)
    assert all(r.incremental for r in runs[len(shops) :])
    engine.dispose()


def test_killed_crawl_is_completed_by_the_next_run(
    tmp_path: Path, server: DemoServer, shops: list[DemoShop], monkeypatch: pytest.MonkeyPatch
) -> None:
    reference_url = f"sqlite:///{tmp_path / 'reference.db'}"
    targets = _targets(tmp_path, server, shops)
    done = run_cli(
        "crawl",
        "--targets",
        str(targets),
        "--log-level",
        "ERROR",
        cwd=tmp_path,
        db_url=reference_url,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    reference = open_database(reference_url)
    expected_reviews = _snapshot(reference)["reviews"]
    assert isinstance(expected_reviews, list)

    # Later review pages wait: the crawl cannot finish, nor store every review, before the
    # kill. (A time-based kill point raced the store worker, which writes its backlog in one
    # burst once its language models are loaded, by then near the end of the crawl.)
    held = _HeldReviewPages(server.site.respond)
    monkeypatch.setattr(server.site, "respond", held)
    url = f"sqlite:///{tmp_path / 'killed.db'}"
    # Small batches, so that the first review pages' reviews are stored while the crawl waits.
    env = {
        **os.environ,
        "RIVALSCOPE_DATABASE_URL": url,
        "PYTHONWARNINGS": "ignore",
        "RIVALSCOPE_BATCH_SIZE": "20",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "rivalscope",
            "crawl",
            "--targets",
            str(targets),
            "--log-level",
            "ERROR",
        ],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    engine = open_database(url)
    try:
        deadline = time.monotonic() + 120
        stored = 0
        while time.monotonic() < deadline and process.poll() is None:
            with Session(engine) as session:
                stored = len(session.exec(select(Review.id)).all())
            if stored >= 100:
                break
            time.sleep(0.2)
        assert process.poll() is None, "the crawl ended although later review pages were held"
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        held.released.set()
    assert stored >= 100, f"only {stored} reviews stored while the crawl waited"
    killed_reviews = _snapshot(engine)["reviews"]
    assert isinstance(killed_reviews, list)
    assert set(killed_reviews) < set(expected_reviews), "nothing left to complete"
    monkeypatch.undo()

    rerun = run_cli(
        "crawl", "--targets", str(targets), "--log-level", "ERROR", cwd=tmp_path, db_url=url
    )
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    after, expected = _snapshot(engine), _snapshot(reference)
    assert after["reviews"] == expected["reviews"]
    assert after["products"] == expected["products"]
    # Offer history: the same latest state per product (the killed run may have seen some first).
    assert {o[0] for o in after["observations"]} == {o[0] for o in expected["observations"]}  # type: ignore[attr-defined]
    with Session(engine) as session:
        statuses = [
            r.status for r in session.exec(select(CrawlRun).order_by(col(CrawlRun.id))).all()
        ]
    assert "interrupted" in statuses and statuses[-len(shops) :] == ["finished"] * len(shops)
    engine.dispose()
    reference.dispose()


@pytest.mark.postgres
def test_crawl_into_postgres(
    tmp_path: Path, server: DemoServer, shops: list[DemoShop], pg_url: str
) -> None:
    targets = _targets(tmp_path, server, shops)
    result = run_cli(
        "crawl", "--targets", str(targets), "--log-level", "WARNING", cwd=tmp_path, db_url=pg_url
    )
    assert result.returncode == 0, result.stderr[-3000:]
    engine = open_database(pg_url)
    _check_against_truth(engine, shops)
    before = _snapshot(engine)
    again = run_cli(
        "crawl", "--targets", str(targets), "--log-level", "WARNING", cwd=tmp_path, db_url=pg_url
    )
    assert again.returncode == 0, again.stderr[-3000:]
    assert _snapshot(engine) == before
    engine.dispose()


def test_dead_site_is_a_failed_page_not_a_crash(tmp_path: Path) -> None:
    # Nothing listens on port 9 of 127.0.0.1 (discard): every request is refused.
    (tmp_path / "targets.toml").write_text(
        '[[company]]\nname = "Gone"\n[[company.source]]\nname = "gone"\n'
        'start_urls = ["http://127.0.0.1:9/"]\n[company.source.politeness]\ndownload_delay = 0\n',
        encoding="utf-8",
    )
    url = f"sqlite:///{tmp_path / 'x.db'}"
    result = run_cli("crawl", "--log-level", "CRITICAL", cwd=tmp_path, db_url=url)
    # Recorded, not a crash; but a crawl that fetched nothing does not exit 0.
    assert result.returncode == 1, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    problems = [  # the progress line ("gone: 0 pages, ...") aside
        line
        for line in result.stderr.splitlines()
        if line.strip() and not line.startswith("gone: ")
    ]
    assert len(problems) == 1 and "gone: no pages fetched" in problems[0], problems
    engine = open_database(url)
    with Session(engine) as session:
        run = session.exec(select(CrawlRun)).one()
    engine.dispose()
    assert run.status == "finished" and run.http_errors >= 1 and run.pages == 0
    assert any("127.0.0.1:9" in sample for sample in run.error_samples)


def test_bad_targets_file_is_one_clear_line(tmp_path: Path) -> None:
    (tmp_path / "targets.toml").write_text(
        '[[company]]\nname = "A"\nown = "yes please"\n', encoding="utf-8"
    )
    result = run_cli("crawl", cwd=tmp_path, db_url=f"sqlite:///{tmp_path / 'x.db'}")
    assert result.returncode == 2
    assert "company[0].own (line 3)" in result.stderr
    assert "Traceback" not in result.stderr


def test_sitemap_source(tmp_path: Path, server: DemoServer, shops: list[DemoShop]) -> None:
    # No start URL: product pages come only from the sitemap index and its sitemaps.
    (tmp_path / "targets.toml").write_text(
        '[[company]]\nname = "Maison Lumière"\n[[company.source]]\nname = "lumiere-sitemap"\n'
        f'sitemap = "{server.base_url}/sitemap.xml"\nfollow = ["/lumiere/p/"]\n'
        "[company.source.politeness]\ndownload_delay = 0\nconcurrency = 8\n",
        encoding="utf-8",
    )
    url = f"sqlite:///{tmp_path / 'x.db'}"
    seen_before = len(server.requested_paths)
    result = run_cli("crawl", "--log-level", "ERROR", cwd=tmp_path, db_url=url)
    assert result.returncode == 0, result.stderr[-2000:]
    lumiere = next(s for s in shops if s.slug == "lumiere")
    engine = open_database(url)
    with Session(engine) as session:
        stored = set(session.exec(select(Review.external_id)).all())
        products = set(session.exec(select(Product.sku)).all())
    engine.dispose()
    assert {r.review_id for r in lumiere.reviews if r.invalid_reason is None} <= stored
    assert {p.sku for p in lumiere.products} <= products
    fetched = server.requested_paths[seen_before:]
    assert not any(p.startswith("/nordlys/") and "sitemap" not in p for p in fetched)


@pytest.mark.parametrize(("args", "verbose"), [((), False), (("-v",), True)])
def test_a_dead_site_logs_one_line_per_error_unless_verbose(
    tmp_path: Path, args: tuple[str, ...], verbose: bool
) -> None:
    (tmp_path / "targets.toml").write_text(
        '[[company]]\nname = "Gone"\n[[company.source]]\nname = "gone"\n'
        'start_urls = ["http://127.0.0.1:9/"]\n[company.source.politeness]\ndownload_delay = 0\n',
        encoding="utf-8",
    )
    result = run_cli("crawl", *args, cwd=tmp_path, db_url=f"sqlite:///{tmp_path / 'x.db'}")
    assert result.returncode == 1, result.stderr[-2000:]
    # The refusal is named either way, as one line: a dead site fails at its robots.txt,
    # whose errors are handled (no traceback, also with -v). Scrapy's own retry lines only
    # when asked for with -v. (This case once looked for "Traceback" with -v, and found it
    # only in the name of the QuietTracebacks extension's "Disabled" warning.)
    assert "Connection was refused" in result.stderr
    assert "the site does not answer" in result.stderr
    assert "Traceback (most recent call last)" not in result.stderr, result.stderr[-3000:]
    assert ("Gave up retrying" in result.stderr) is verbose, result.stderr[-3000:]


@pytest.mark.parametrize("max_pages", [3, 5])
def test_the_page_limit_bounds_what_is_fetched(
    tmp_path: Path, server: DemoServer, shops: list[DemoShop], max_pages: int
) -> None:
    """With 8 requests at a time, Scrapy's page count closed the crawl after the limit but
    fetched what was in flight: a limit of 3 pages fetched 18. robots.txt is no page: it
    spent one of them (a limit of 3 fetched robots.txt and 2 pages)."""
    shop = next(s for s in shops if len(s.products) > 3)
    text = targets_toml(server.base_url, [shop])
    text = "\n".join(
        f"max_pages = {max_pages}" if line.startswith("max_pages = ") else line
        for line in text.splitlines()
    )
    (tmp_path / "targets.toml").write_text(text + "\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'limit.db'}"
    before = len(server.requested_paths)
    done = run_cli("crawl", "--targets", str(tmp_path / "targets.toml"), cwd=tmp_path, db_url=url)
    asked = server.requested_paths[before:]
    assert done.returncode == 0, done.stderr[-2000:]
    engine = open_database(url)
    with Session(engine) as session:
        run = session.exec(select(CrawlRun)).one()
    engine.dispose()
    assert asked.count("/robots.txt") == 1
    assert len(asked) - 1 == run.pages == max_pages, asked
    assert (run.fetch_problems or {}).get("over_page_limit", 0) >= 1
    assert run.finish_reason == "closespider_pagecount", run
