"""The crawl waits for the store worker's batches without holding the reactor's threads.

``deferToThread(future.result)`` held one of the reactor's 10 pool threads per pending
batch; with a slow store worker the pending batches took them all, and the run's
checkpoints (run in that pool) waited behind them: a crawl of 80 pages killed before its
first batch was stored kept 0 to 43 of them in its run (benchmarks/kill_sweep.py).
"""

from __future__ import annotations

from concurrent.futures import Future
from typing import Any

import pytest


class _HeldWorker:
    """A store worker that takes batches and finishes none until told."""

    def __init__(self) -> None:
        self.futures: list[Future[Any]] = []

    def submit(self, *args: object) -> Future[Any]:
        future: Future[Any] = Future()
        self.futures.append(future)
        return future


@pytest.mark.parametrize("pending", [1, 12])
def test_pending_batches_hold_no_reactor_thread(
    pending: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from scrapy.utils.test import get_crawler
    from twisted.internet import reactor
    from twisted.python.threadpool import ThreadPool

    from settings.records import ReviewItem
    from spiders.pipelines.store_pipeline import StorePipeline
    from spiders.pipelines.store_worker import WriterSpec

    pipeline = StorePipeline(get_crawler())
    worker = _HeldWorker()
    pipeline.writer = object()  # type: ignore[assignment]
    pipeline.executor = worker  # type: ignore[assignment]
    pipeline.spec = WriterSpec("sqlite://", "Acme", "acme", False, "reviews", 1, False)
    threads = ThreadPool(0, 10, name="reactor-like")  # the reactor's own, 10 threads
    monkeypatch.setattr(reactor, "getThreadPool", lambda: threads)
    threads.start()
    try:
        for i in range(pending):
            pipeline.reviews = [ReviewItem(text=f"review {i}", url="https://acme.example/p")]
            assert pipeline.flush() is not None
        work = threads._team.statistics()
        assert len(worker.futures) == pending
        assert work.busyWorkerCount + work.backloggedWorkCount == 0
    finally:
        for future in worker.futures:
            future.set_result(None)
        threads.stop()


def test_a_distributed_run_closes_without_a_deprecated_deferred(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A worker logged "ScrapyDeprecationWarning: ...StorePipeline.spider_closed returned a
    Deferred, this is deprecated" as a WARNING at every run it closed: the handler is a
    coroutine now, which still closes the shared run (in a thread)."""
    from scrapy.utils.test import get_crawler
    from twisted.internet import defer

    from spiders.pipelines import store_pipeline
    from spiders.pipelines.store_pipeline import StorePipeline

    crawler = get_crawler(settings_dict={"RIVALSCOPE_RUN_ID": 7})
    pipeline = StorePipeline(crawler)
    pipeline.writer = object()  # type: ignore[assignment]
    closed: list[str] = []
    monkeypatch.setattr(pipeline, "_close_shared", lambda figures, reason: closed.append(reason))
    monkeypatch.setattr(
        store_pipeline, "deferToThread", lambda fn, *args: defer.maybeDeferred(fn, *args)
    )
    handler = pipeline.spider_closed(object(), "finished")
    # What Scrapy's signal dispatch warns about: a handler's result that is a Deferred.
    assert not isinstance(handler, defer.Deferred)
    failures: list[Any] = []
    defer.ensureDeferred(handler).addErrback(failures.append)
    assert closed == ["finished"] and failures == []
