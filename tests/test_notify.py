"""Notices through Apprise to a real webhook receiver on 127.0.0.1: delivered once, quick
retries, a failed delivery recorded and retried at a later round (spaced in time), Slack/Teams hook URLs
kept for their own format, other http(s) webhooks as generic JSON."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from rivalscope import notify
from rivalscope.notify import Notice, is_plain_webhook, retry_undelivered, send_notice
from settings.schedule import AlertSettings, HealthSettings
from storage.models import utcnow
from storage.schedule_models import NoticeSent


class Receiver:
    """A webhook endpoint that answers ``status`` and records every JSON body."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                receiver.bodies.append(json.loads(self.rfile.read(length) or b"{}"))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    running = Receiver()
    yield running
    running.close()


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(notify, "BACKOFF_S", 0.0)


NOTICE = Notice("alert", "price:1", "Rival: Kettle down 12%", "Kettle 100 -> 88 EUR", {"x": 1})


def _later(hours: float) -> datetime:
    """``hours`` after now (a notice just sent was sent now)."""
    return utcnow() + timedelta(hours=hours)


def _row_of(engine: Engine, key: str) -> NoticeSent:
    with Session(engine) as session:
        row = session.exec(select(NoticeSent).where(NoticeSent.key == key)).one()
        session.expunge(row)
        return row


def _row(engine: Engine) -> NoticeSent:
    with Session(engine) as session:
        row = session.exec(select(NoticeSent)).one()
        session.expunge(row)
        return row


def test_a_notice_is_delivered_once_as_json(engine: Engine, receiver: Receiver) -> None:
    assert send_notice(engine, NOTICE, [receiver.url])
    assert not send_notice(engine, NOTICE, [receiver.url])  # the same key: not again
    assert len(receiver.bodies) == 1
    body = receiver.bodies[0]
    assert body["title"] == NOTICE.title and body["message"] == NOTICE.message
    assert body["text"].startswith(NOTICE.title) and body["data"] == {"x": 1}
    row = _row(engine)
    assert row.delivered and row.attempts == 1 and row.last_error is None


def test_apprise_json_target(engine: Engine, receiver: Receiver) -> None:
    target = receiver.url.replace("http://", "json://")
    assert send_notice(engine, NOTICE, [target])
    body = receiver.bodies[0]  # Apprise's generic JSON notification
    assert body["title"] == NOTICE.title and body["message"] == NOTICE.message
    assert _row(engine).delivered


def test_a_failed_delivery_is_recorded_and_retried_later(
    engine: Engine, receiver: Receiver
) -> None:
    receiver.status = 500
    send_notice(engine, NOTICE, [receiver.url])
    assert len(receiver.bodies) == notify.QUICK_RETRIES  # quick retries within the round
    row = _row(engine)
    assert not row.delivered and row.attempts == 1 and "answered 500" in (row.last_error or "")
    assert "/hook" not in (row.last_error or "")  # the URL's path (tokens) is not stored
    receiver.status = 200
    assert retry_undelivered(engine, "alert", [receiver.url], now=_later(1)) == 1
    assert receiver.bodies[-1]["title"] == NOTICE.title
    row = _row(engine)
    assert row.delivered and row.attempts == 2
    assert retry_undelivered(engine, "alert", [receiver.url], now=_later(2)) == 0  # none pending


def test_retries_stop_after_max_attempts(engine: Engine, receiver: Receiver) -> None:
    receiver.status = 503
    send_notice(engine, NOTICE, [receiver.url])
    for hours in range(notify.MAX_ATTEMPTS + 2):
        retry_undelivered(engine, "alert", [receiver.url], now=_later(hours + 1))
    assert _row(engine).attempts == notify.MAX_ATTEMPTS
    assert len(receiver.bodies) == notify.MAX_ATTEMPTS * notify.QUICK_RETRIES


def test_retries_are_spaced_in_time_not_spent_by_quick_crawls(
    engine: Engine, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every crawl's health check retries the pending notices: the 4 crawls of one scheduler
    round spent all 5 delivery rounds within a minute, and a receiver down for that minute
    lost the notice. A retry now waits 5, 10, 20, then 40 minutes after the first send."""
    clock = [utcnow()]
    monkeypatch.setattr(notify, "utcnow", lambda: clock[0], raising=False)

    def retry_at(minutes: float) -> None:
        clock[0] = start + timedelta(minutes=minutes)
        retry_undelivered(engine, "alert", [receiver.url])

    receiver.status = 503
    start = utcnow()
    send_notice(engine, NOTICE, [receiver.url])
    for _ in range(notify.MAX_ATTEMPTS + 2):  # crawls ending a few seconds apart
        retry_at(0.1)
    assert _row(engine).attempts == 1
    receiver.status = 200  # back after a few minutes: delivered at the first retry due
    retry_at(5.5)
    assert _row(engine).delivered and _row(engine).attempts == 2
    receiver.status = 503
    start = utcnow()
    send_notice(engine, Notice("alert", "price:2", "t", "m"), [receiver.url])
    tries = []
    for minutes in (4, 6, 9, 11, 19, 21, 39, 41, 79, 81, 200):
        retry_at(minutes)
        tries.append(_row_of(engine, "price:2").attempts)
    assert tries == [1, 2, 2, 3, 3, 4, 4, 5, 5, 5, 5]


def test_without_targets_the_notice_is_only_logged(engine: Engine) -> None:
    assert send_notice(engine, NOTICE, [])
    row = _row(engine)
    assert not row.delivered and row.attempts == 0


@pytest.mark.parametrize(
    ("target", "plain"),
    [
        ("https://hooks.slack.com/services/T0/B0/XX", False),
        ("https://acme.webhook.office.com/webhookb2/a/b", False),
        ("https://hooks.example.com/rivalscope", True),
        ("http://127.0.0.1:8080/x", True),
        ("slack://T0/B0/XX", False),
        ("mailto://user:pw@127.0.0.1:2525?to=a@b.example", False),
    ],
)
def test_slack_and_teams_hooks_go_through_apprise(target: str, plain: bool) -> None:
    assert is_plain_webhook(target) == plain


def test_alert_targets_default_to_the_health_ones() -> None:
    health = HealthSettings(webhook="https://a.example/h", notify=["slack://T0/B0/XX"])
    assert AlertSettings().targets(health) == ["https://a.example/h", "slack://T0/B0/XX"]
    assert AlertSettings(notify=["json://127.0.0.1/x"]).targets(health) == ["json://127.0.0.1/x"]
    with pytest.raises(ValueError, match="not a notification URL"):
        AlertSettings(notify=["ftp://x"])
