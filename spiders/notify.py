"""Health notices and business alerts: logged, recorded once, and POSTed to a webhook.

A notice has a key; a key already in ``notice_sent`` is not sent again, so a check that
runs twice on the same crawl (the crawl command and the scheduler) notifies once. The
webhook gets ``{"kind", "key", "title", "message", "data"}`` as JSON; a webhook that is
down is logged and never stops a crawl or the scheduler.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from rivalscope import __version__
from storage.schedule_models import NoticeSent

log = logging.getLogger("rivalscope.notify")

WEBHOOK_TIMEOUT_S = 10.0


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
            "data": self.data,
        }


def post_json(url: str, payload: dict[str, Any], timeout: float = WEBHOOK_TIMEOUT_S) -> bool:
    """POST ``payload`` as JSON; True on a 2xx answer, False (logged) otherwise."""
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
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return 200 <= int(response.status) < 300
    except (urllib.error.URLError, OSError, ValueError) as exc:
        log.warning("webhook %s failed: %s", url, exc)
        return False


def send_notice(engine: Engine, notice: Notice, webhook: str | None) -> bool:
    """Log, record and POST ``notice`` unless its key was sent before; True if sent now."""
    with Session(engine) as session:
        if session.exec(select(NoticeSent).where(NoticeSent.key == notice.key)).first():
            return False
        row = NoticeSent(key=notice.key[:300], kind=notice.kind, message=notice.message)
        session.add(row)
        try:
            session.commit()
        except IntegrityError:  # another process recorded it a moment ago
            return False
        level = logging.INFO if notice.data.get("healthy") else logging.WARNING
        log.log(level, "%s: %s", notice.title, notice.message)
        if webhook:
            row.delivered = post_json(webhook, notice.payload())
            session.add(row)
            session.commit()
    return True
