"""Target health: the pure rules, and the demo shop whose markup breaks and is fixed."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, select

from rivalscope.demo.server import DemoServer
from rivalscope.demo.shops import generate_shops
from rivalscope.demo.targets import targets_toml
from rivalscope.health import judge_run
from settings.schedule import HealthSettings
from storage.db import open_database
from storage.models import CrawlRun, Source
from tests.cli import run_cli


def _run(pages: int, reviews: int, **fields: Any) -> CrawlRun:
    coverage = {"review.count": float(reviews), "review.text": 1.0, "review.rating": 1.0}
    coverage.update(fields.pop("coverage", {}))
    fields.setdefault("status", "finished")
    return CrawlRun(source_id=1, pages=pages, field_coverage=coverage, **fields)


BROKEN_REASON = re.compile(
    r"0 reviews on \d+ pages; the last good run had 127 on \d+"
    r"|only \d+% of \d+ reviews have (a text|a rating|a date|schema.org markup) \(usually 100%\)"
)
GOOD = [_run(30, 240), _run(28, 230)]


@pytest.mark.parametrize(
    ("run", "history", "expected"),
    [
        (_run(30, 235), GOOD, []),
        (_run(12, 0), GOOD, ["0 reviews on 12 pages; the last good run had 240 on 30"]),
        (_run(10, 80), GOOD, []),  # incremental re-crawl: fewer pages, same yield
        (_run(30, 60), GOOD, ["60 reviews on 30 pages; the last good run had 240 on 30"]),
        (_run(12, 0), [], ["0 reviews on 12 pages"]),
        (
            _run(0, 0, http_errors=3),
            GOOD,
            ["no pages fetched (3 HTTP errors or failed downloads): no page answered"],
        ),
        # A site whose robots.txt starts disallowing everything answers that and no page: no
        # error, so the reason said only "0 HTTP errors", nothing of robots.txt.
        (
            _run(0, 0, robots_blocked=1),
            GOOD,
            [
                "no pages fetched (0 HTTP errors or failed downloads): robots.txt forbids the "
                "crawler every page it found (1 page): the site no longer allows crawling; ask "
                "its owner, or remove the source"
            ],
        ),
        # A dead site says why (status and targets status used to give only the count).
        (
            _run(0, 0, http_errors=1, error_samples=["http://127.0.0.1:9/: Connection refused"]),
            GOOD,
            [
                "no pages fetched (1 HTTP error or failed download): "
                "http://127.0.0.1:9/: Connection refused"
            ],
        ),
        (_run(30, 240, http_errors=12), GOOD, ["12 HTTP errors on 30 pages (40%)"]),
        # A site that went down mid-run: 4 pages never answered beside 2 answered. The rate
        # was 4 / 2, capped at 100%, "4 HTTP errors on 2 pages (100%)".
        (
            _run(2, 16, http_errors=4, fetch_problems={"no_answer": 3, "timeout": 1}),
            GOOD,
            ["4 HTTP errors or failed downloads on 6 pages asked (4 never answered; 67%)"],
        ),
        # 1 of 10 never answered and 1 answered 404: 2 of 11 asked is below the threshold.
        (_run(10, 80, http_errors=2, fetch_problems={"no_answer": 1}), GOOD, []),
        (
            _run(
                30,
                240,
                coverage={
                    "review.markup": 0.1,
                    "review.layer.json-ld": 0.1,
                    "review.layer.heuristic": 0.9,
                },
            ),
            [_run(30, 240, coverage={"review.markup": 1.0, "review.layer.json-ld": 1.0})],
            [
                "only 10% of 240 reviews have schema.org markup (usually 100%), read by json-ld 10%, heuristic 90%"
            ],
        ),
        (
            _run(30, 240, coverage={"review.rating": 0.1}),
            GOOD,
            ["only 10% of 240 reviews have a rating (usually 100%)"],
        ),
        (
            _run(30, 200, items_dropped=100, dropped_reasons={"rating_above_scale": 100}),
            GOOD,
            ["100 of 300 items dropped by validation (100 rating above scale)"],
        ),
        (
            _run(3, 0, status="timeout", finish_reason="killed at its time limit of 8 s"),
            [],
            ["the crawl timed out (killed at its time limit of 8 s)", "0 reviews on 3 pages"],
        ),
        # Pages declare 500 reviews, 240 stored: a shortfall (JavaScript-loaded reviews?).
        (
            _run(30, 240, reviews_declared=500, reviews_collected=240),
            GOOD,
            [
                "collected 240 of 500 declared reviews (48%): the crawl misses reviews "
                "(JavaScript, a widget, a limit? `rivalscope targets detect URL`)"
            ],
        ),
        # ... cut short by the source's page limit: the run says why, no guess.
        (
            _run(
                3,
                10,
                reviews_declared=23,
                reviews_collected=10,
                finish_reason="closespider_pagecount",
            ),
            [],
            [
                "collected 10 of 23 declared reviews (43%): the crawl stopped at its page limit "
                "after 3 pages: raise limits.max_pages (or narrow follow to the pages that hold "
                "reviews)"
            ],
        ),
        (_run(30, 240, reviews_declared=400, reviews_collected=240), GOOD, []),
        (_run(30, 240, reviews_declared=9, reviews_collected=1), GOOD, []),  # too few to tell
    ],
)
def test_judge_run(run: CrawlRun, history: list[CrawlRun], expected: list[str]) -> None:
    reasons, _ = judge_run(run, history, "reviews", HealthSettings())
    assert reasons == expected


@pytest.mark.parametrize(
    ("reviews", "offers", "expected"),
    [
        # A first crawl of a site without offers, under the default holds = "both": the
        # reason says which setting ends the warning (it said only "0 offers on 4 pages").
        (4, 0, ['0 offers on 4 pages (if the source has no offers, set holds = "reviews")']),
        (0, 3, ['0 reviews on 4 pages (if the source has no reviews, set holds = "offers")']),
        (0, 0, ["0 reviews on 4 pages", "0 offers on 4 pages"]),
    ],
)
def test_a_first_run_of_one_kind_under_holds_both_names_the_setting(
    reviews: int, offers: int, expected: list[str]
) -> None:
    run = _run(4, reviews, coverage={"offer.count": float(offers), "offer.price": 1.0})
    reasons, _ = judge_run(run, [], "both", HealthSettings())
    assert reasons == expected


class _Recorder(BaseHTTPRequestHandler):
    posts: list[dict[str, Any]]

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.posts.append(json.loads(body))  # type: ignore[attr-defined]
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def webhook() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A local endpoint that records the JSON it is POSTed."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    httpd.posts = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/hook", httpd.posts  # type: ignore[attr-defined]
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.slow
def test_broken_markup_marks_the_source_unhealthy_and_fixing_clears_it(
    tmp_path: Path, db_url: str, webhook: tuple[str, list[dict[str, Any]]]
) -> None:
    hook_url, posts = webhook
    shops = [s for s in generate_shops() if s.slug == "kawamistrz"]
    with DemoServer(shops, slow_seconds=0.2) as server:
        targets = tmp_path / "targets.toml"
        text = targets_toml(server.base_url, shops)
        targets.write_text(f'[health]\nwebhook = "{hook_url}"\n\n{text}', encoding="utf-8")

        def crawl() -> str:
            result = run_cli("crawl", "--targets", str(targets), "--db", db_url, cwd=tmp_path)
            assert result.returncode == 0, result.stderr[-2000:]
            return result.stderr

        assert "unhealthy" not in crawl()
        assert posts == []  # healthy from the start: nothing to tell

        server.set_break_markup({"kawamistrz"})
        stderr = crawl()
        assert "unhealthy: kawamistrz-shop: " in stderr
        source = _source(db_url)
        assert not source.healthy
        # Depending on what the auto layers still find: no reviews, or reviews without fields.
        assert source.health_reason is not None
        assert BROKEN_REASON.search(source.health_reason), source.health_reason
        assert len(posts) == 1 and posts[0]["kind"] == "health"
        assert posts[0]["data"]["healthy"] is False
        assert posts[0]["data"]["source"] == "kawamistrz-shop"
        assert posts[0]["message"] == f"kawamistrz-shop: {source.health_reason}"
        status = run_cli(
            "targets", "status", "--targets", str(targets), "--db", db_url, cwd=tmp_path
        )
        assert "UNHEALTHY" in status.stdout
        assert f"kawamistrz-shop: {source.health_reason}" in status.stdout

        server.set_break_markup(set())
        assert "unhealthy" not in crawl()
        source = _source(db_url)
        assert source.healthy and source.health_reason is None
        assert len(posts) == 2 and posts[1]["data"]["healthy"] is True
        assert posts[1]["title"] == "kawamistrz-shop is healthy again"


def _source(db_url: str) -> Source:
    engine = open_database(db_url)
    with Session(engine) as session:
        source = session.exec(select(Source).where(Source.name == "kawamistrz-shop")).one()
    engine.dispose()
    return source


def test_a_review_api_asked_for_nothing_is_named_not_holds() -> None:
    """A widget source whose product id the crawl found on no product page stored no review;
    health advised 'if the source has no reviews, set holds = "offers"', which would hide a
    source whose reviews are there, behind its API."""
    run = _run(
        4,
        0,
        coverage={"offer.count": 3.0, "offer.price": 1.0},
        fetch_problems={"review_api_no_product_id": 3},
    )
    reasons, _ = judge_run(run, [], "both", HealthSettings())
    assert reasons == [
        "0 reviews on 4 pages (the review API was asked for none of them: no product id on "
        "3 product pages; set review_api.product_id: `rivalscope targets check SOURCE --url "
        "PRODUCT_URL` shows what the crawl finds)"
    ]
