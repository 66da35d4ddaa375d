"""The real ``rivalscope crawl`` against a hostile site (``tests/hostile_server.py``).

Each case must be bounded (memory, requests, time), recorded in ``crawl_run`` by reason,
and the crawl must carry on to store the good pages.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from scrapy.exceptions import DownloadCancelledError
from sqlmodel import Session, col, select
from twisted.internet.defer import CancelledError
from twisted.python.failure import Failure

from storage.db import open_database
from storage.models import CrawlRun, Product, Review
from tests.cli import run_cli
from tests.hostile_server import (
    BOMB_EXPANDED,
    CASES,
    CATASTROPHIC_PATTERN,
    DENIED_LINK,
    MAX_REDIRECTS,
    RATING_REVIEWS,
    REGEX_TRAP,
    SCHEME_REDIRECTS,
    HostileServer,
    dense_reviews_page,
    dense_state_reviews_page,
    hostile_targets,
)

PEAK_MEMORY_GOAL_MB = 600
FOLLOW_LIMIT = 4 * 500 + 1000
"""Links the hostile source follows (``FOLLOW_PER_PAGE_LIMIT * max_pages + FOLLOW_SLACK``)."""

# Runs a command and prints the largest resident memory of it and every process it waited for.
_PEAK_WRAPPER = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run(sys.argv[1:])\n"
    "peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024\n"
    "print(f'peak_rss_mb={peak}', file=sys.stderr)\n"
    "sys.exit(done.returncode)\n"
)


def crawl_under(
    wrapper: str, targets: Path, db_url: str, cwd: Path, timeout: float = 240
) -> subprocess.CompletedProcess[str]:
    """``rivalscope crawl`` started by ``python -c wrapper`` (which gets the command line)."""
    return subprocess.run(
        [
            *(sys.executable, "-c", wrapper, sys.executable, "-m", "rivalscope", "crawl"),
            *("--targets", str(targets), "--db", db_url),
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def crawl_with_peak(
    targets: Path, db_url: str, cwd: Path
) -> tuple[subprocess.CompletedProcess[str], int]:
    """``rivalscope crawl`` and the peak resident memory (MB) of any of its processes."""
    done = crawl_under(_PEAK_WRAPPER, targets, db_url, cwd)
    peak = int(done.stderr.rsplit("peak_rss_mb=", 1)[1].split()[0])
    return done, peak


@pytest.fixture(scope="module")
def hostile() -> Iterator[HostileServer]:
    with HostileServer(slow_seconds=5) as server:
        yield server


@pytest.mark.slow
def test_every_hostile_case_is_bounded_recorded_and_the_crawl_carries_on(
    tmp_path: Path, hostile: HostileServer
) -> None:
    targets = tmp_path / "targets.toml"
    targets.write_text(hostile_targets(hostile.base_url), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'hostile.db'}"
    hostile.hits.clear()

    done, peak_mb = crawl_with_peak(targets, url, tmp_path)

    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert done.returncode == 0, done.stderr[-2000:]
    # Bounded: four 1.5 GiB bombs and two 50 MB pages, yet every process stays small.
    assert BOMB_EXPANDED > 1024**3
    assert peak_mb < PEAK_MEMORY_GOAL_MB, peak_mb
    engine = open_database(url)
    with Session(engine) as session:
        run = session.exec(select(CrawlRun)).one()
        skus = set(session.exec(select(Product.sku).where(col(Product.sku).is_not(None))).all())
    engine.dispose()
    assert run.status == "finished" and run.finish_reason == "finished"
    assert run.peak_memory_mb is not None and run.peak_memory_mb < PEAK_MEMORY_GOAL_MB
    # Recorded by reason, one count per case.
    expected: dict[str, int] = {}
    for reason in CASES.values():
        if reason:
            expected[reason] = expected.get(reason, 0) + 1
    expected["retry_after_waited"] = 1  # /brief asked for 1 s, within the cap
    assert run.fetch_problems == expected
    assert run.http_errors >= sum(n for r, n in expected.items() if r != "retry_after_waited")
    # Bounded in requests: no retry of a long Retry-After, redirects stop at the limit.
    assert hostile.hits["/limited"] == 1 and hostile.hits["/busy"] == 1
    assert hostile.hits["/brief"] == 2
    loops = [p for p in hostile.hits if p.startswith("/loop/")]
    assert len(loops) == MAX_REDIRECTS + 1
    # The regex trap is matched in linear time (it does not match the denied pattern, so it
    # is followed); the link that matches is denied.
    assert hostile.hits[REGEX_TRAP] == 1 and hostile.hits[DENIED_LINK] == 0
    # The crawl carried on: the good pages' offers are stored.
    assert {"SKU-INDEX", "SKU-FINE", "SKU-BRIEF", "SKU-TRAP"} <= skus
    assert "SKU-SLOW" not in skus


RATINGS_STORED = {
    # text -> (rating, best, normalised) stored, or None: refused; the run's reason
    "Four of five, as stated": ((4.0, 5.0, 0.75), None),
    "Minus four, a sign and not a rating": (None, "negative_rating"),  # was stored as 4
    "Minus two with a minus sign": (None, "negative_rating"),
    # a stated scale of 0 or below is ignored: inferred as if absent (was 5 silently)
    "Four on a stated scale of zero": ((4.0, 5.0, 0.75), "best_rating_not_positive"),
    "Three on a stated scale of minus five": ((3.0, 5.0, 0.5), "best_rating_not_positive"),
    "Eight on a stated scale of zero": ((8.0, 10.0, 0.8), "best_rating_not_positive"),
    "Seven on a stated scale of five": (None, "rating_outside_scale"),  # absurd: dropped
}


def test_crawled_negative_ratings_are_refused_and_bad_scales_ignored_with_reasons(
    tmp_path: Path, hostile: HostileServer
) -> None:
    assert set(RATINGS_STORED) == set(RATING_REVIEWS)
    targets = tmp_path / "targets.toml"
    text = hostile_targets(hostile.base_url, "/ratings").replace('"offers"', '"both"')
    targets.write_text(text, encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'ratings.db'}"
    done = run_cli("crawl", "--targets", str(targets), cwd=tmp_path, db_url=url)
    assert done.returncode == 0, done.stderr[-2000:]
    engine = open_database(url)
    with Session(engine) as session:
        run = session.exec(select(CrawlRun)).one()
        stored = {
            r.text: (r.rating, r.best_rating, r.rating_normalized)
            for r in session.exec(select(Review)).all()
        }
    engine.dispose()
    assert stored == {t: kept for t, (kept, _) in RATINGS_STORED.items() if kept is not None}
    reasons = [reason for kept, reason in RATINGS_STORED.values() if reason is not None]
    assert run.dropped_reasons == {
        r: reasons.count(r) for r in ("negative_rating", "rating_outside_scale")
    }
    assert run.fetch_problems == {"best_rating_not_positive": 3}


@pytest.mark.slow
def test_a_pattern_the_linear_engine_cannot_run_is_refused_at_validation(tmp_path: Path) -> None:
    targets = tmp_path / "targets.toml"
    text = hostile_targets("http://127.0.0.1:9").replace(
        f"deny = ['{CATASTROPHIC_PATTERN}']", "follow = ['/p/(?=\\d)']"
    )
    targets.write_text(text, encoding="utf-8")
    done = run_cli("targets", "validate", "--targets", str(targets), cwd=tmp_path)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "RE2" in done.stderr and "look-arounds" in done.stderr
    assert "follow" in done.stderr


@pytest.mark.slow
def test_a_crawl_started_by_a_large_process_is_not_stopped_for_its_parent_memory(
    tmp_path: Path, hostile: HostileServer
) -> None:
    # ru_maxrss survives exec on Linux: a limit read from it stops such a crawl at once.
    targets = tmp_path / "targets.toml"
    targets.write_text(hostile_targets(hostile.base_url, "/fine"), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'parent.db'}"
    fat_parent = (
        "import os, sys\n"
        "ballast = bytearray(b'x') * (700 * 2**20)\n"
        "os.execv(sys.argv[1], sys.argv[1:])\n"
    )
    done = crawl_under(fat_parent, targets, url, tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    engine = open_database(url)
    with Session(engine) as session:
        run = session.exec(select(CrawlRun)).one()
    engine.dispose()
    assert run.finish_reason == "finished" and "memory_limit" not in run.fetch_problems
    assert run.peak_memory_mb is not None and run.peak_memory_mb < PEAK_MEMORY_GOAL_MB


def test_a_page_of_many_links_queues_a_bounded_number() -> None:
    """200,000 links on one page queued 200,000 requests (808 MB peak for a 20-page crawl)."""
    from scrapy.http import HtmlResponse
    from scrapy.utils.test import get_crawler

    from settings.records import PageExtraction
    from settings.targets import parse_targets
    from spiders.target_spider import FOLLOW_PER_PAGE_LIMIT, FOLLOW_SLACK, TargetSpider

    targets = parse_targets(hostile_targets("http://127.0.0.1:9"))
    company, source = targets.find_source(targets.company[0].source[0].name)
    crawler = get_crawler(TargetSpider)
    spider = TargetSpider.from_crawler(crawler, source=source, company=company, targets=targets)
    crawler.stats.open_spider()  # type: ignore[union-attr]
    limit = FOLLOW_PER_PAGE_LIMIT * source.limits.max_pages + FOLLOW_SLACK
    links = "".join(f'<a href="/p/{i}">p</a>' for i in range(limit + 500))
    page = HtmlResponse(
        "http://127.0.0.1:9/", body=f"<html><body>{links}</body></html>", encoding="utf-8"
    )
    first = list(spider._follow(page, PageExtraction(url=page.url), []))
    again = list(spider._follow(page, PageExtraction(url=page.url), []))
    assert len(first) == limit and again == []
    assert crawler.stats.get_value("rivalscope/fetch/links_over_limit") == 2  # type: ignore[union-attr]


def _parsed_by_spider(
    body: bytes, targets_text: str | None = None
) -> tuple[list[object], dict[str, int]]:
    """What ``TargetSpider.parse`` yields for one page of the hostile site's source (or of
    ``targets_text``'s first source), and the fetch problems it counted."""
    from scrapy.http import HtmlResponse
    from scrapy.utils.test import get_crawler

    from settings.targets import parse_targets
    from spiders.fetch_problems import PROBLEM_PREFIX
    from spiders.target_spider import TargetSpider

    targets = parse_targets(targets_text or hostile_targets("http://127.0.0.1:9"))
    company, source = targets.find_source(targets.company[0].source[0].name)
    crawler = get_crawler(TargetSpider)
    spider = TargetSpider.from_crawler(crawler, source=source, company=company, targets=targets)
    crawler.stats.open_spider()  # type: ignore[union-attr]
    page = HtmlResponse("http://127.0.0.1:9/page", body=body, encoding="utf-8")
    out = list(spider.parse(page))
    stats = crawler.stats.get_stats()  # type: ignore[union-attr]
    problems = {
        k.removeprefix(PROBLEM_PREFIX): v for k, v in stats.items() if k.startswith(PROBLEM_PREFIX)
    }
    return out, problems


_PRODUCT_HEAD = (
    b'<html><head><script type="application/ld+json">{"@type": "Product", "name": "Kettle", '
    b'"offers": {"@type": "Offer", "price": "49.00", "priceCurrency": "EUR"}}</script></head>'
)


def _attribute_names(count: int) -> bytes:
    return b" ".join(b"a%d=x" % i for i in range(count))


@pytest.mark.parametrize(
    ("body", "problems", "requests"),
    [
        # 1,000,000 links of 10 bytes (10 MB): 613 MB and 30 CPU s for the links alone
        (_PRODUCT_HEAD + b"<body>" + b"<a href=x>" * 1_000_000, {"elements_over_limit": 1}, 1),
        (
            _PRODUCT_HEAD + b"<body>" + b"".join(b"<a href=/p/%d>" % i for i in range(60_000)),
            {"elements_over_limit": 1, "links_over_limit": 1},
            FOLLOW_LIMIT,
        ),
        (_PRODUCT_HEAD + b"<body>" + b"<a href=x>" * 49_000, {}, 1),
        (
            _PRODUCT_HEAD.replace(
                b"</head>",
                b'<script type="application/ld+json">'
                + b"[" * 200_000
                + b"]" * 200_000
                + b"</script></head>",
            )
            + b"<body><a href=x>x</a></body></html>",
            {"json_too_deep": 1},
            1,
        ),
        # the parser's cost grows with the square of one element's attributes
        (
            _PRODUCT_HEAD + b"<body><div " + _attribute_names(1_001) + b">x</div><a href=x>x</a>",
            {"tag_attributes_over_limit": 1},
            1,
        ),
        (
            _PRODUCT_HEAD + b"<body><div " + b"a=x " * 5_000 + b">x</div><a href=x>x</a>",
            {"tag_attributes_over_limit": 1},
            1,
        ),
        (
            _PRODUCT_HEAD
            + b"<body><a href=x>x</a>"
            + (b"<i " + _attribute_names(100) + b"></i>") * 1_001
            + b"<a href=y>y</a>",
            {"page_attributes_over_limit": 1},
            1,
        ),
        (
            _PRODUCT_HEAD
            + b"<body><div "
            + _attribute_names(1_000)
            + b">x</div>"
            + (b"<i " + _attribute_names(100) + b"></i>") * 989
            + b"<a href=x>x</a>",
            {},
            1,
        ),
    ],
    ids=[
        "dense-links",
        "many-distinct-links",
        "under-the-tag-limit",
        "deep-json",
        "element-of-many-attributes",
        "element-of-duplicate-attributes",
        "page-of-many-attributes",
        "under-the-attribute-limits",
    ],
)
def test_pages_costly_to_parse_are_read_in_part_with_their_reason(
    body: bytes, problems: dict[str, int], requests: int
) -> None:
    """The page's product is still read; what was left is counted in the run by reason."""
    import scrapy

    from settings.records import OfferItem

    out, counted = _parsed_by_spider(body)
    assert [o.name for o in out if isinstance(o, OfferItem)] == ["Kettle"]
    assert len([r for r in out if isinstance(r, scrapy.Request)]) == requests
    counted.pop("response_over_warn_size", None)  # the 10 MB pages are large too: kept
    assert counted == problems


@pytest.mark.parametrize(
    ("body", "truncated"),
    [
        ("<html><body><h1>Cafetière</h1></body></html>".encode("utf-16"), False),
        ("<html><body><h1>Cafetière</h1></body></html>".encode(), False),
        ("<html><body><h1>Cafetière</h1><p>cut".encode("utf-16"), True),
        (b"<html><body><h1>Cafe</h1><p>cut", True),
    ],
    ids=["utf-16 whole", "utf-8 whole", "utf-16 cut", "utf-8 cut"],
)
def test_a_page_in_utf_16_is_not_taken_for_truncated(body: bytes, truncated: bool) -> None:
    """A whole UTF-16 page (a byte-order mark, no charset in its Content-Type) was recorded
    as a broken page, "truncated HTML": its closing tag was looked for in its bytes."""
    from scrapy.http import HtmlResponse

    from spiders.target_spider import _truncated

    page = HtmlResponse("http://127.0.0.1:9/p", body=body, headers={"Content-Type": "text/html"})
    assert _truncated(page) is truncated


@pytest.mark.parametrize("mode", ["auto", "selectors", "script-state"])
def test_a_page_of_more_reviews_than_the_limit_gives_the_first_and_records_the_rest(
    mode: str,
) -> None:
    """The crawl kept a page's first ``max_reviews`` reviews and said nothing of the rest
    (reviews in the page's script state: the first 1,000, whatever the limit)."""
    from settings.records import ReviewItem

    targets = hostile_targets("http://127.0.0.1:9", holds="both").replace(
        "download_timeout_s", "max_reviews = 5\ndownload_timeout_s"
    )
    if mode == "selectors":
        targets = targets.replace(
            'holds = "both"',
            'holds = "both"\nmode = "selectors"\n[company.source.selectors]\n'
            'review = "li"\nreview_fields = { text = "::text" }',
        )
    for count, left in ((8, 1), (5, 0)):
        body = dense_reviews_page(count).replace(
            b"</h1>", b"</h1><ul>" + b"".join(b"<li>fine %d</li>" % i for i in range(count))
        )
        if mode == "script-state":
            body = dense_state_reviews_page(count)
        out, counted = _parsed_by_spider(body, targets)
        reviews = [r.text for r in out if isinstance(r, ReviewItem)]
        assert reviews == [f"fine {i}" for i in range(5)]
        assert counted.get("reviews_over_limit", 0) == left


def _samples_of(failure_of: Callable[[Any], Failure]) -> tuple[list[str], dict[str, int]]:
    """The problem lines and counts ``TargetSpider.on_error`` records for one failure
    (``failure_of`` gets the crawler)."""
    from scrapy.utils.test import get_crawler

    from settings.targets import parse_targets
    from spiders.fetch_problems import PROBLEM_PREFIX
    from spiders.target_spider import TargetSpider

    targets = parse_targets(hostile_targets("http://127.0.0.1:9"))
    company, source = targets.find_source(targets.company[0].source[0].name)
    crawler = get_crawler(TargetSpider)
    spider = TargetSpider.from_crawler(crawler, source=source, company=company, targets=targets)
    crawler.stats.open_spider()  # type: ignore[union-attr]
    spider.on_error(failure_of(crawler))
    stats = crawler.stats.get_stats()  # type: ignore[union-attr]
    problems = {
        k.removeprefix(PROBLEM_PREFIX): v for k, v in stats.items() if k.startswith(PROBLEM_PREFIX)
    }
    return getattr(spider, "error_samples", []), problems


def _redirect_failure(location: str) -> Callable[[Any], Failure]:
    """What a redirect to ``location`` reaches the errback as: Scrapy's redirect middleware
    hands on the 3xx (its HttpError) or raises building the request."""
    from scrapy import Request
    from scrapy.downloadermiddlewares.redirect import RedirectMiddleware
    from scrapy.http import Response
    from scrapy.spidermiddlewares.httperror import HttpError

    def failure_of(crawler: Any) -> Failure:
        request = Request("http://127.0.0.1:9/moved")
        response = Response(request.url, status=302, headers={"Location": location})
        response.request = request
        try:
            handed = RedirectMiddleware.from_crawler(crawler).process_response(request, response)
        except ValueError as exc:
            failure = Failure(exc)
        else:
            assert handed is response  # not followed
            failure = Failure(HttpError(response, "Ignoring non-200 response"))
        failure.request = request  # type: ignore[attr-defined]
        return failure

    return failure_of


@pytest.mark.parametrize("location", [*SCHEME_REDIRECTS.values(), "MAILTO:a@b.example"])
def test_a_redirect_to_another_scheme_is_said_not_followed_and_why(location: str) -> None:
    """A redirect to a data: or file: URL was recorded as "HTTP 302"."""
    samples, problems = _samples_of(_redirect_failure(location))
    scheme = location.split(":", 1)[0].lower()
    assert samples == [
        f"redirect_scheme_refused: http://127.0.0.1:9/moved: redirects to a {scheme}: URL, "
        "not followed (only http and https are crawled)"
    ]
    assert problems == {"redirect_scheme_refused": 1}


@pytest.mark.parametrize(("status", "headers"), [(404, {}), (302, {}), (300, {"Location": "/a"})])
def test_other_http_errors_are_said_as_before(status: int, headers: dict[str, str]) -> None:
    from scrapy.http import Response
    from scrapy.spidermiddlewares.httperror import HttpError

    answer = Response("http://127.0.0.1:9/p", status=status, headers=headers)
    samples, problems = _samples_of(lambda _: Failure(HttpError(answer, "Ignoring")))
    assert samples == [f"HTTP {status} http://127.0.0.1:9/p"] and problems == {}


@pytest.mark.parametrize("error", [DownloadCancelledError, CancelledError])
def test_a_body_cut_off_at_the_size_limit_says_the_limit(error: type[Exception]) -> None:
    """An endless chunked body was recorded as "response_too_large: URL: " and nothing more."""
    from scrapy import Request

    def failure_of(_: Any) -> Failure:
        failure = Failure(error())
        failure.request = Request("http://127.0.0.1:9/endless")  # type: ignore[attr-defined]
        return failure

    samples, problems = _samples_of(failure_of)
    assert samples == [
        "response_too_large: http://127.0.0.1:9/endless: body over 10,485,760 bytes "
        "(limits.max_response_mb = 10): download cancelled"
    ]
    assert problems == {"response_too_large": 1}
