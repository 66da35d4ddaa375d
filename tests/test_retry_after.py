"""Reading ``Retry-After`` (the crawl honours it up to a cap; see tests/test_hostile_crawl.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from spiders.retry_after import retry_after_seconds

NOW = datetime(2026, 12, 4, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        (b"3600", 3600.0),
        ("0", 0.0),
        (b" 5 ", 5.0),
        (b"Fri, 04 Dec 2026 12:01:00 GMT", 60.0),
        (b"Fri, 04 Dec 2026 11:00:00 GMT", 0.0),  # a date in the past: no wait
        (b"9" * 40, float("inf")),  # absurd: over any cap
        (b"-5", None),
        (b"soon", None),
        (b"", None),
        (None, None),
    ],
)
def test_retry_after_seconds(header: bytes | str | None, seconds: float | None) -> None:
    assert retry_after_seconds(header, now=NOW) == seconds
