"""A helper process that detects languages and writes batches, beside the crawl.

Scrapy parses pages on one core; language detection (lingua) holds the GIL and costs
about 0.7 ms a review, which would slow the crawl by a third. The store pipeline
therefore hands each batch to one worker process, which detects languages and writes
the batch in one transaction while the crawl goes on (see ``benchmarks/crawl.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from settings.pause_points import pause_point
from settings.records import OfferItem, ReviewItem
from settings.short_detection import ngram_table
from settings.trigram_detection import trigram_table
from spiders.pipelines.stages import store_batch
from storage.child_process import die_with_parent, ignore_interrupts
from storage.db import open_database
from storage.writer import CollectWriter

# One writer per crawl run: one worker process serves every spider of a crawl process.
_writers: dict[int, CollectWriter] = {}
_engines: dict[str, Engine] = {}
_batches_written = 0
PAUSE_POINT = "store-batches"
"""Kill tests' pause point (``settings.pause_points``), counted in batches this worker process
has committed (its result not yet sent back)."""


@dataclass(frozen=True)
class WriterSpec:
    """How the worker opens its writer (everything picklable)."""

    db_url: str
    company: str
    source: str
    own: bool | None
    holds: str
    run_id: int
    shared: bool = False
    """Other processes write the source at the same time (a distributed run)."""
    remember_review_keys: bool = True
    """``CollectWriter``'s: False for an import (memory that does not grow with the file)."""


@dataclass(frozen=True)
class BatchResult:
    """Counters of one written batch."""

    reviews_seen: int
    reviews_new: int
    offers_seen: int
    offers_changed: int


def init_worker(parent: int) -> None:
    """Process initializer: die with the crawl, leave Ctrl-C to it, and load the numpy
    stages of language detection while the crawl starts (lingua's own models load only for
    the rare long text those leave it: see ``settings.language_detection``)."""
    die_with_parent(parent)
    ignore_interrupts()
    trigram_table()
    ngram_table()


def _engine_for(url: str) -> Engine:
    # One pool per database for all the runs this process writes (connection limits).
    engine = _engines.get(url)
    if engine is None:
        engine = _engines[url] = open_database(url, upgrade=False)
    return engine


def _writer_for(spec: WriterSpec) -> CollectWriter:
    writer = _writers.get(spec.run_id)
    if writer is None:
        writer = CollectWriter(
            _engine_for(spec.db_url),
            company=spec.company,
            source=spec.source,
            own=spec.own,
            holds=spec.holds,
            remember_review_keys=spec.remember_review_keys,
        )
        writer.run_id = spec.run_id
        writer.shared = spec.shared
        _writers[spec.run_id] = writer
    return writer


def write_batch(
    spec: WriterSpec, offers: list[OfferItem], reviews: list[ReviewItem], hint: str | None
) -> BatchResult:
    """Detect missing languages and store one batch (runs in the worker, on one core:
    the crawl needs the other)."""
    global _batches_written
    done = write_with(_writer_for(spec), offers, reviews, hint, parallel=False)
    _batches_written += 1
    pause_point(PAUSE_POINT, _batches_written)
    return done


def touch_and_forget(run_id: int) -> None:
    """Mark the products the run's writer saw as seen, then ``forget_run`` (runs in the
    worker: the import's last call, before its run is finished)."""
    writer = _writers.get(run_id)
    if writer is not None:
        writer.touch_products()
    forget_run(run_id)


def forget_run(run_id: int) -> None:
    """Release a finished run's writer (runs in the worker)."""
    _writers.pop(run_id, None)
    if not _writers:  # the last run of the process: close its connections
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()


def write_with(
    writer: CollectWriter,
    offers: list[OfferItem],
    reviews: list[ReviewItem],
    hint: str | None,
    *,
    parallel: bool = True,
) -> BatchResult:
    """The batch work itself, shared by the worker and the in-process fallback."""
    before = (writer.reviews_seen, writer.reviews_new, writer.offers_seen, writer.offers_changed)
    store_batch(writer, offers, reviews, hint, parallel=parallel)
    return BatchResult(
        reviews_seen=writer.reviews_seen - before[0],
        reviews_new=writer.reviews_new - before[1],
        offers_seen=writer.offers_seen - before[2],
        offers_changed=writer.offers_changed - before[3],
    )
