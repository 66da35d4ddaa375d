"""The import's second process: it detects a batch's languages and writes the batch while
the importer reads and checks the next ones.

An import's CPU goes to three parts of about the same size: reading and checking rows,
detecting languages, and SQLite's insert (the review table's seven indexes). ``StoreProcess``
hands the last two to a child process (the crawl's store worker,
``spiders.pipelines.store_worker``, with the importer's run), so the two cores each take
about half. Batches are written in the order they are submitted, by one writer, exactly as
in process; the child dies with the importer (``kill -9`` included) and leaves Ctrl-C to it.
If the child cannot be started or dies, the batches not confirmed written are stored in
process: the stored rows never depend on the child. A batch the child committed just before
dying is not written again: the run's counters, which each batch's transaction moves with its
rows, tell how many reviews the child stored that the importer has not counted, and the
oldest unconfirmed batches that add up to them are taken as stored (the child writes in
submission order), so the import's figures count each review once.

When the child falls two batches behind, the importer detects the next batch's languages
itself (``spiders.file_import``), so both cores stay busy. Same run, 200k short reviews
(``benchmarks/importer.py``'s file, ``--words 8``), 2 cores at load 1.7-2.9, CPU seconds of
importer + child: 12.1-14.8 + 9.5-11.3 when the child only detected languages; 7.5-7.9 +
11.3-12.1 with the child also writing; 9.5-9.8 + 8.3-8.7 with the importer detecting when the
child is behind (wall 10.5-11.1 s against 14.7-16.6 s one step before).
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import operator
import os
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from settings.records import ReviewItem
from spiders.gc_spacing import space_collections
from spiders.pipelines.store_worker import (
    BatchResult,
    WriterSpec,
    init_worker,
    touch_and_forget,
    write_batch,
    write_with,
)
from storage.child_process import HelperPool
from storage.writer import CollectWriter

_FIELDS = tuple(f.name for f in dataclasses.fields(ReviewItem))
_values = operator.attrgetter(*_FIELDS)
"""A review as the tuple of all its fields (in ``ReviewItem``'s order, so ``ReviewItem(*values)``
is the review again): sent to the child at a third of the pickling cost of the objects."""


def _init_child(parent: int) -> None:
    """The store worker's start, then the import's spacing of garbage collections
    (``spiders.gc_spacing``: the child holds the batches it is handed)."""
    init_worker(parent)
    space_collections()


def _store_values(spec: WriterSpec, values: list[tuple[Any, ...]], hint: str | None) -> BatchResult:
    """``write_batch`` of reviews sent as ``_values`` (runs in the child)."""
    return write_batch(spec, [], [ReviewItem(*review) for review in values], hint)


class StoreProcess:
    """One child process detecting languages and writing batches, in submission order;
    without a child (``spec`` None, or it died) each batch is stored in process by
    ``result``."""

    def __init__(self, writer: CollectWriter, hint: str | None, spec: WriterSpec | None) -> None:
        self._writer = writer
        self._hint = hint
        self._spec = spec
        self._executor: ProcessPoolExecutor | None = None
        self._started: Future[int] | None = None
        self._handed = False
        """A batch was submitted to the child (from then on every batch goes to it)."""
        self._broken = False
        self._uncounted = 0
        """Reviews the dead child committed that no confirmed batch counted yet."""

    def __enter__(self) -> StoreProcess:
        if self._spec is None:
            return self
        try:
            # spawn, not fork: a forked child would share the parent's database connections.
            self._executor = HelperPool(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_child,
                initargs=(os.getpid(),),
            )
            self._started = self._executor.submit(int)  # start the child (and its tables) now
        except OSError:  # no process could be started: store in process
            self._executor = None
        return self

    def __exit__(self, *exc: object) -> None:
        if self._executor is None:
            return
        if exc[0] is None and not self._broken and self._spec is not None:
            try:  # the products its writer saw, as an in-process import marks them
                self._executor.submit(touch_and_forget, self._spec.run_id).result()
            except BrokenProcessPool:
                self._broken = True
        # Waits for the batch the child is on, so that no child outlives the import, even on
        # Ctrl-C or an error.
        self._executor.shutdown(wait=True, cancel_futures=True)
        self._executor = None

    def starting(self) -> bool:
        """The child is still starting (importing, loading its tables: about a second) and
        has no batch yet: the importer stores batches in process meanwhile rather than wait
        for it, so the start costs a small file nothing (in submission order: a batch stored
        in process is committed before the next one is submitted)."""
        if self._handed or self._broken or self._started is None:
            return False
        return not self._started.done()

    def submit(self, reviews: list[ReviewItem]) -> Future[BatchResult] | None:
        """Start storing ``reviews``; None when they will be stored in process."""
        if self._executor is None or self._broken or self._spec is None or not reviews:
            return None
        try:
            values = [_values(review) for review in reviews]
            if not self._handed:
                # The batches stored here while the child started left this process's
                # connection with a bulk insert's page cache (``prepare_bulk_insert``), which
                # the conflict checks would fill from here on: closed, as nothing is written
                # here while the child writes.
                self._writer.engine.dispose()
            self._handed = True
            return self._executor.submit(_store_values, self._spec, values, self._hint)
        except (BrokenProcessPool, RuntimeError):
            self._lost()
            return None

    def result(self, future: Future[BatchResult] | None, reviews: list[ReviewItem]) -> None:
        """Wait until ``reviews`` (submitted as ``future``) are stored; the importer's writer
        counts them."""
        if future is not None:
            try:
                done = future.result()
            except BrokenProcessPool:  # the child died (killed, out of memory)
                self._lost()
                if reviews and self._uncounted >= len(reviews):
                    # Committed before the child died (counted by ``_lost``).
                    self._uncounted -= len(reviews)
                    return
            else:
                self._writer.reviews_seen += done.reviews_seen
                self._writer.reviews_new += done.reviews_new
                return
        write_with(self._writer, [], reviews, self._hint, parallel=False)

    def _lost(self) -> None:
        if not self._broken:
            self._broken = True
            # The child may have stored products this writer has not seen, and batches it
            # could not confirm.
            self._writer.reload_products()
            self._uncounted = self._writer.adopt_stored_counts()
