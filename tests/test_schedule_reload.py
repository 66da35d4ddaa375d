"""The scheduler reads a changed targets file before each round, and refuses an invalid one.

No crawl runs here: the checks stop at what the scheduler plans (sources, wake-up times).
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from rivalscope.scheduler.service import Scheduler
from settings.targets import load_targets

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


def _source(name: str, schedule: str) -> str:
    return (
        f'[[company.source]]\nname = "{name}"\n'
        f'start_urls = ["http://127.0.0.1:9/{name}/"]\nschedule = "{schedule}"\n'
    )


def _write(path: Path, *sources: str) -> None:
    path.write_text('[[company]]\nname = "Rival AS"\n\n' + "\n".join(sources), encoding="utf-8")


@pytest.fixture
def scheduler(tmp_path: Path, db_url: str, engine: Engine) -> Scheduler:
    path = tmp_path / "targets.toml"
    _write(path, _source("shop", "0 4 * * *"))
    return Scheduler(load_targets(path), path, db_url, engine, clock=lambda: NOW)


def _plan(scheduler: Scheduler) -> list[tuple[str, str | None]]:
    return [(s.name, s.schedule) for s in scheduler.scheduled_sources()]


def test_an_unchanged_file_is_not_read_again(scheduler: Scheduler) -> None:
    assert scheduler.reload_targets() is False
    assert _plan(scheduler) == [("shop", "0 4 * * *")]


def test_a_changed_schedule_and_a_new_source_apply_without_restart(scheduler: Scheduler) -> None:
    _write(scheduler.targets_path, _source("shop", "30 6 * * *"), _source("outlet", "0 5 * * 1"))
    assert scheduler.reload_targets() is True
    assert _plan(scheduler) == [("shop", "30 6 * * *"), ("outlet", "0 5 * * 1")]
    # Never crawled under the scheduler: both are due at once.
    assert scheduler.next_wakeup(NOW) == NOW


def test_a_removed_schedule_is_no_longer_planned(scheduler: Scheduler) -> None:
    scheduler.targets_path.write_text(
        '[[company]]\nname = "Rival AS"\n\n[[company.source]]\nname = "shop"\n'
        'start_urls = ["http://127.0.0.1:9/shop/"]\n',
        encoding="utf-8",
    )
    assert scheduler.reload_targets() is True
    assert _plan(scheduler) == []
    assert scheduler.next_wakeup(NOW) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[[company]\nname = ", "not valid TOML"),
        ('[[company]]\nname = "Rival AS"\nsurprise = 1\n', "surprise"),
    ],
    ids=["broken-toml", "unknown-field"],
)
def test_an_invalid_file_stops_new_crawls_until_fixed(
    scheduler: Scheduler, text: str, expected: str, caplog: pytest.LogCaptureFixture
) -> None:
    assert scheduler.due_sources(NOW)  # "shop" never ran: due now
    scheduler.targets_path.write_text(text, encoding="utf-8")
    with caplog.at_level(logging.ERROR, logger="rivalscope.schedule"):
        assert scheduler.run_due() == []  # nothing started, no exception
        assert scheduler.run_due() == []
    assert scheduler.targets_error is not None and expected in scheduler.targets_error
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1 and expected in errors[0].getMessage()  # once per change
    _write(scheduler.targets_path, _source("shop", "15 3 * * *"))
    assert scheduler.reload_targets() is True
    assert scheduler.targets_error is None
    assert _plan(scheduler) == [("shop", "15 3 * * *")]


def test_a_deleted_file_is_reported_and_nothing_starts(scheduler: Scheduler) -> None:
    scheduler.targets_path.unlink()
    assert scheduler.run_due() == []
    assert scheduler.targets_error is not None and "not found" in scheduler.targets_error


def test_an_unreadable_path_is_reported_not_fatal(scheduler: Scheduler) -> None:
    scheduler.targets_path.unlink()
    scheduler.targets_path.mkdir()  # e.g. a botched edit left a folder behind
    assert scheduler.run_due() == []
    assert scheduler.targets_error is not None and "is a folder" in scheduler.targets_error


def test_an_edit_made_before_the_scheduler_started_is_seen(tmp_path: Path, engine: Engine) -> None:
    path = tmp_path / "targets.toml"
    _write(path, _source("shop", "0 4 * * *"))
    loaded = load_targets(path)
    _write(path, _source("shop", "0 5 * * *"))  # edited between the load and the start
    scheduler = Scheduler(loaded, path, "sqlite://", engine, clock=lambda: NOW)
    assert scheduler.reload_targets() is True
    assert _plan(scheduler) == [("shop", "0 5 * * *")]


def test_rewriting_the_same_settings_is_not_a_change(scheduler: Scheduler) -> None:
    assert scheduler.reload_targets() is False  # the first look: same as loaded
    text = scheduler.targets_path.read_text(encoding="utf-8")
    scheduler.targets_path.write_text("# tuned later\n" + text, encoding="utf-8")
    assert scheduler.reload_targets() is False
    assert scheduler.targets_error is None
