"""Language detection for a large import, in a second process beside the reading and writing.

An import spends about half its CPU on language detection, on one core; the machine has
more. ``DetectionProcess`` detects a batch's languages in a child process while the importer
reads, checks and writes the next ones. The child dies with the importer (``kill -9``
included), leaves Ctrl-C to it, and returns exactly what ``detect_languages`` returns in
process (detection is per text, never by the batch). If the child cannot be started or
dies, detection goes on in process: the import's result never depends on the child.

``benchmarks/importer.py 200000 --words 8`` (2 cores, load 2.3-3.2, same session): 16.4-16.9 s
in one process, 10.2-10.4 s with the child, for 1 CPU-s more (14.7 against 13.6-14.0) and a
second process of about 130 MB (detection tables) while the importer's own peak falls from
185 to 122 MB. Long reviews (40 words) gain little (12.2-13.1 s against 12.7-13.7 s): their
detection is the cheap trigram stage. With no idle core the child only adds its CPU.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from settings.language_detection import detect_languages
from settings.short_detection import ngram_table
from settings.trigram_detection import trigram_table
from storage.child_process import die_with_parent, ignore_interrupts

Detected = list[tuple[str | None, float]]


def _init_child(parent: int) -> None:
    """Die with the importer, leave Ctrl-C to it, load the numpy detection tables while the
    importer reads its first batches."""
    die_with_parent(parent)
    ignore_interrupts()
    trigram_table()
    ngram_table()


def _detect(texts: list[str | None]) -> Detected:
    return detect_languages(texts, parallel=False)


class DetectionProcess:
    """One child process detecting languages, batch by batch, in submission order."""

    def __init__(self, start: bool = True) -> None:
        """``start=False``: no child; every batch is detected in process by ``result``."""
        self._start = start
        self._executor: ProcessPoolExecutor | None = None
        self._broken = False

    def __enter__(self) -> DetectionProcess:
        if not self._start:
            return self
        try:
            # spawn, not fork: a forked child would share the parent's database connections.
            self._executor = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_init_child,
                initargs=(os.getpid(),),
            )
            self._executor.submit(int)  # start the child (and its table loads) now
        except OSError:  # no process could be started: detect in process
            self._executor = None
        return self

    def __exit__(self, *exc: object) -> None:
        if self._executor is not None:
            # Waits for the batch the child is on (a fraction of a second), so that no
            # child outlives the import, even on Ctrl-C or an error.
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None

    def submit(self, texts: list[str | None]) -> Future[Detected] | None:
        """Start detecting ``texts``; None when detection will run in process."""
        if self._executor is None or self._broken or not texts:
            return None
        try:
            return self._executor.submit(_detect, texts)
        except (BrokenProcessPool, RuntimeError):
            self._broken = True
            return None

    def result(self, future: Future[Detected] | None, texts: list[str | None]) -> Detected:
        """The detection of ``texts`` (submitted as ``future``)."""
        if future is not None:
            try:
                return future.result()
            except BrokenProcessPool:  # the child died (killed, out of memory)
                self._broken = True
        return _detect(texts) if texts else []
