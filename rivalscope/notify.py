"""Health notices and business alerts: logged, recorded once, and delivered through Apprise
(Slack, Microsoft Teams, e-mail, ``json://``) or, for a plain http(s) webhook, as our own
JSON (``kind``, ``key``, ``title``, ``message``, ``data`` and a ``text`` line that
Slack-compatible receivers show).

A notice has a key; a key already in ``notice_sent`` is not recorded again, so a check that
runs twice on the same crawl (the crawl command and the scheduler) notifies once. Delivery
tries each target a few times with a short back-off; a notice some target did not accept
stays ``delivered = false`` with its error, and ``retry_undelivered`` sends it again at a
later crawl or round, once ``RETRY_SPACING_S`` has passed since it was first sent, then twice
that, four times... (up to ``MAX_ATTEMPTS`` rounds: the last about 75 minutes after the
first). A target that is down is logged and never stops a crawl or the scheduler.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlparse

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from rivalscope import __version__
from storage.models import as_utc, utcnow
from storage.schedule_models import NoticeSent

log = logging.getLogger("rivalscope.notify")

QUICK_RETRIES = 3
"""Tries per target within one delivery round."""
BACKOFF_S = 0.5
"""First pause between quick retries (doubles each time)."""
MAX_ATTEMPTS = 5
"""Delivery rounds before an undelivered notice is given up (it stays in the table)."""
RETRY_SPACING_S = 300.0
"""An undelivered notice's delivery round k (k >= 2) waits until ``RETRY_SPACING_S * 2 **
(k - 2)`` after it was first sent: 5, 10, 20 and 40 minutes. Every crawl's health check
retried pending notices, so the 4 crawls of one scheduler round spent all 5 rounds within a
minute, and a webhook receiver down for that minute lost them."""
TIMEOUT_S = 10
NATIVE_HOOK_HOSTS = ("hooks.slack.com", "webhook.office.com", "outlook.office.com")
"""https hook URLs Apprise sends in the service's own format (Slack text, Teams card)."""


@dataclass
class Notice:
    """One thing a person should hear about."""

    kind: str
    """``health`` or ``alert``."""
    key: str
    """Unique identity: the same key is sent at most once."""
    title: str
    message: str
    data: dict[str, Any] = field(default_factory=dict)

    def payload(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "key": self.key,
            "title": self.title,
            "message": self.message,
            "text": f"{self.title}: {self.message}",
            "data": self.data,
        }


def is_plain_webhook(target: str) -> bool:
    """An http(s) URL that is not a Slack or Teams hook: it gets our own JSON payload;
    everything else goes through Apprise (which reads Slack and Teams hook URLs natively)."""
    parsed = urlparse(target)
    if parsed.scheme not in ("http", "https"):
        return False
    host = parsed.hostname or ""
    return not any(host == h or host.endswith("." + h) for h in NATIVE_HOOK_HOSTS)


def _with_timeouts(url: str) -> str:
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}cto={TIMEOUT_S}&rto={TIMEOUT_S}"


class DeliveryFailed(Exception):
    pass


def post_json(url: str, payload: dict[str, Any]) -> None:
    """POST ``payload`` as JSON; DeliveryFailed unless the answer is 2xx."""
    body = json.dumps(payload, ensure_ascii=False, default=str).encode("utf-8")
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json; charset=utf-8",
            "User-Agent": f"rivalscope/{__version__} (webhook)",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            status = int(response.status)
    except urllib.error.HTTPError as exc:
        raise DeliveryFailed(f"{_redacted(url)} answered {exc.code}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise DeliveryFailed(f"{_redacted(url)} failed: {exc}") from None
    if not 200 <= status < 300:
        raise DeliveryFailed(f"{_redacted(url)} answered {status}")


def send_to(target: str, notice: Notice) -> None:
    """One delivery attempt to one target; DeliveryFailed when it is not accepted."""
    if is_plain_webhook(target):
        post_json(target, notice.payload())
    else:
        send_with_apprise(target, notice.title, notice.message)


def send_with_apprise(url: str, title: str, body: str) -> None:
    with warnings.catch_warnings():
        # Apprise's e-mail plugin imports the stdlib's deprecated imghdr on load.
        warnings.simplefilter("ignore", DeprecationWarning)
        import apprise

        sender = apprise.Apprise()
        if not sender.add(_with_timeouts(url)):
            raise DeliveryFailed(f"not a usable notification URL: {_redacted(url)}")
        if not sender.notify(title=title, body=body, body_format=apprise.NotifyFormat.TEXT):
            raise DeliveryFailed(f"{_redacted(url)} did not accept the notice")


def _redacted(url: str) -> str:
    """Scheme and host only: tokens and passwords stay out of logs and the database."""
    parsed = urlparse(url)
    return f"{parsed.scheme}://{parsed.hostname or '?'}"


def deliver(
    notice: Notice, targets: list[str], pause: Callable[[float], None] = time.sleep
) -> str | None:
    """Send to every target, with quick retries; None when all accepted, else the errors."""
    errors = []
    for target in targets:
        for attempt in range(QUICK_RETRIES):
            try:
                send_to(target, notice)
                break
            except DeliveryFailed as exc:
                if attempt + 1 == QUICK_RETRIES:
                    errors.append(str(exc))
                    log.warning("notice not delivered: %s", exc)
                else:
                    pause(BACKOFF_S * 2**attempt)
    return "; ".join(errors) or None


def _deliver_row(session: Session, row: NoticeSent, targets: list[str]) -> None:
    row.attempts += 1
    notice = Notice(row.kind, row.key, row.title or row.key, row.message, dict(row.data or {}))
    error = deliver(notice, targets)
    row.delivered = error is None
    row.last_error = error
    session.add(row)
    session.commit()


def send_notice(engine: Engine, notice: Notice, targets: list[str], *, logged: bool = True) -> bool:
    """Log, record and deliver ``notice`` unless its key was recorded before; True if it
    is new. ``logged=False``: the caller says it in its own words (not logged twice)."""
    with Session(engine) as session:
        if session.exec(select(NoticeSent).where(NoticeSent.key == notice.key)).first():
            return False
        row = NoticeSent(
            key=notice.key[:300],
            kind=notice.kind,
            title=notice.title,
            message=notice.message,
            data=notice.data,
        )
        session.add(row)
        try:
            session.commit()
        except IntegrityError:  # another process recorded it a moment ago
            return False
        if logged:
            level = logging.INFO if notice.data.get("healthy") else logging.WARNING
            log.log(level, "%s: %s", notice.title, notice.message)
        if targets:
            _deliver_row(session, row, targets)
    return True


def _retry_due(row: NoticeSent, now: datetime) -> bool:
    wait_s = RETRY_SPACING_S * 2 ** max(0, row.attempts - 1)
    return (now - as_utc(row.sent_at)).total_seconds() >= wait_s


def retry_undelivered(
    engine: Engine, kind: str, targets: list[str], now: datetime | None = None
) -> int:
    """Deliver again the notices of ``kind`` that some target did not accept (fewer than
    ``MAX_ATTEMPTS`` rounds so far, the next one due: ``RETRY_SPACING_S``); returns how
    many are delivered now."""
    if not targets:
        return 0
    now = now or utcnow()
    delivered = 0
    with Session(engine) as session:
        pending = session.exec(
            select(NoticeSent)
            .where(
                NoticeSent.kind == kind,
                col(NoticeSent.delivered).is_(False),
                NoticeSent.attempts > 0,
                NoticeSent.attempts < MAX_ATTEMPTS,
            )
            .order_by(col(NoticeSent.id))
        ).all()
        pending = [row for row in pending if _retry_due(row, now)]
        for row in pending:
            _deliver_row(session, row, targets)
            delivered += row.delivered
    if pending:
        log.info("%d of %d undelivered %s notice(s) delivered now", delivered, len(pending), kind)
    return delivered
