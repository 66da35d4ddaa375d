"""Targets-file tables for scheduled crawls, target health and business alerts.

Example::

    [schedule]                  # after each round of crawls (all on by default):
    analyze = true              # run the analysis
    report = true               # then build the report
    report_dir = "reports"      # into this folder (relative: to the targets file)
    alerts = true               # then check the [alerts] rules
    max_parallel = 2            # crawls of different sources at the same time

    [health]
    history_runs = 5            # recent finished runs the last one is compared with
    min_yield_ratio = 0.5       # reviews (offers) per page below half the usual: unhealthy
    max_http_error_rate = 0.25
    max_drop_rate = 0.2
    coverage_drop = 0.25        # a field's coverage falls by 25 points: unhealthy
    webhook = "https://hooks.example.com/rivalscope"

    [alerts]
    net_sentiment_points = 15
    price_change_pct = 10
    min_reviews = 30
    webhook = "https://hooks.example.com/rivalscope"   # default: [health] webhook
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from settings.written_urls import parsed_url


class _Table(BaseModel):
    # strict: "30" is not 30 and "yes" is not true; a quoted number or flag is a mistake
    # the user should hear about (an int still fills a float key).
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


NOTIFY_SCHEMES = ("json", "jsons", "slack", "msteams", "mailto", "mailtos", "http", "https")
"""Apprise URL schemes accepted in ``notify`` lists: generic JSON POST, Slack, Microsoft
Teams, e-mail (and http(s) webhook URLs, sent as JSON or, for Slack and Teams hook URLs,
in their own format)."""


def _notify_urls(values: list[str]) -> list[str]:
    for value in values:
        parsed = parsed_url(value)
        if parsed.scheme not in NOTIFY_SCHEMES or not (parsed.hostname or parsed.netloc):
            raise ValueError(
                f"{value!r} is not a notification URL (one of {', '.join(NOTIFY_SCHEMES)}://)"
            )
    return values


def _webhook(value: str | None) -> str | None:
    if value is None:
        return None
    parsed = parsed_url(value)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise ValueError(f"{value!r} is not an http(s) URL for the webhook")
    return value


class ScheduleSettings(_Table):
    """``[schedule]``: what ``rivalscope schedule`` does besides crawling."""

    analyze: bool = True
    """Run the analysis after a round of crawls (when the analysis module is installed)."""
    report: bool = True
    """Build the report after the analysis."""
    report_dir: str = Field(default="reports", min_length=1)
    """Folder the report is built into (relative paths: next to the targets file)."""
    alerts: bool = True
    """Check the ``[alerts]`` rules after the report."""
    max_parallel: int = Field(default=2, ge=1, le=32)
    """Crawls of different sources run at the same time."""
    poll_seconds: float = Field(default=60.0, gt=0, le=3600)
    """Longest sleep between two looks at the clock (the system clock may jump)."""
    retry_failed_seconds: float = Field(default=3600.0, ge=0, le=86400)
    """First wait before a crawl that failed, timed out or was interrupted is tried again,
    then twice as long each time (at most a day), never past the source's next scheduled
    run; 0: wait for that run."""


class HealthSettings(_Table):
    """``[health]``: thresholds of the checks after every crawl."""

    history_runs: int = Field(default=5, ge=1, le=100)
    """Recent healthy finished runs the last run is compared with (their median)."""
    min_yield_ratio: float = Field(default=0.5, ge=0, le=1)
    """Reviews (offers) per page below this share of the recent median: unhealthy."""
    max_http_error_rate: float = Field(default=0.25, ge=0, le=1)
    """Share of pages answered with HTTP >= 400 or failed downloads above which it is unhealthy."""
    max_drop_rate: float = Field(default=0.2, ge=0, le=1)
    """Share of items dropped by validation above which it is unhealthy."""
    coverage_drop: float = Field(default=0.25, gt=0, le=1)
    """A field's coverage (e.g. reviews with a rating) falling by this much: unhealthy."""
    min_coverage: float = Field(default=0.5, ge=0, le=1)
    """Without history: review text and offer price coverage below this is unhealthy."""
    min_review_share: float = Field(default=0.5, ge=0, le=1)
    """Reviews stored for the crawled products below this share of the counts their pages
    declare: unhealthy (reviews the crawl cannot see: JavaScript, a widget, a limit)."""
    min_declared_reviews: int = Field(default=10, ge=1, le=1_000_000)
    """Declared review counts below this total are not judged (too few to tell)."""
    webhook: str | None = None
    """URL that gets a JSON POST for every health notice (Slack and Teams hook URLs get
    their own format)."""
    notify: list[str] = Field(default_factory=list)
    """More notification targets as Apprise URLs (``slack://``, ``msteams://``,
    ``mailto://``, ``json://``)."""

    _check_webhook = field_validator("webhook")(_webhook)
    _check_notify = field_validator("notify")(_notify_urls)

    def targets(self) -> list[str]:
        return [*([self.webhook] if self.webhook else []), *self.notify]


class AlertSettings(_Table):
    """``[alerts]``: business changes worth a notice. A threshold left out is off."""

    net_sentiment_points: float | None = Field(default=None, gt=0, le=200)
    """Net sentiment of a company on an aspect moves by at least this many points between
    the last two analysis windows."""
    price_change_pct: float | None = Field(default=None, gt=0, le=10_000)
    """A product's price changes by at least this many percent between its last two
    observations."""
    products_gone: bool = False
    """A competitor's product its shop no longer lists (its source's newest healthy,
    complete crawl did not find it), and again when it is listed once more."""
    min_reviews: int = Field(default=30, ge=1, le=1_000_000)
    """Sentiment alerts need at least this many reviews in both windows."""
    webhook: str | None = None
    """URL for alert POSTs; default: the [health] webhook."""
    notify: list[str] = Field(default_factory=list)
    """More targets as Apprise URLs; default: the [health] ones."""

    _check_webhook = field_validator("webhook")(_webhook)
    _check_notify = field_validator("notify")(_notify_urls)

    def targets(self, health: HealthSettings) -> list[str]:
        """Where alerts go: this table's webhook and notify list, else [health]'s."""
        own = [*([self.webhook] if self.webhook else []), *self.notify]
        return own or health.targets()
