"""Ctrl-C noted instead of handled while some steps run, and delivered when they are done.

One guard for every place that must not be cut by a SIGINT: renaming a report's files into
place (``interrupts_deferred``), the start of a crawl before Scrapy's own handler is in place
(``spiders.runner``), and a probe's one-page crawl in the command's process
(``spiders.crawl_probe``)."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType


@dataclass
class InterruptNote:
    """What happened to SIGINT inside an ``interrupts_noted`` block."""

    received: bool = False
    """A SIGINT came while the block ran."""
    replaced: bool = False
    """Someone else installed a SIGINT handler inside the block (Scrapy, once its reactor
    runs): theirs stays in place, and the signal is theirs to handle."""
    handler: Callable[[int, FrameType | None], None] | None = None
    """The handler that notes the signal (None: none installed, outside the main thread or
    where SIGINT is ignored)."""


@contextmanager
def interrupts_noted(on_interrupt: Callable[[], object] | None = None) -> Iterator[InterruptNote]:
    """Inside, a SIGINT is only noted (and ``on_interrupt`` called, in the signal handler);
    on leaving, the handler from before is put back unless another replaced ours.

    Only in the main thread (Python delivers signals there alone) and only where SIGINT is
    not ignored: an ignored one (under nohup, in analysis workers) stays ignored, and the
    note stays empty."""
    note = InterruptNote()
    previous = signal.getsignal(signal.SIGINT)
    if threading.current_thread() is not threading.main_thread() or previous in (
        signal.SIG_IGN,
        None,  # installed outside Python: not ours to touch
    ):
        yield note
        return

    def _noted(_signum: int, _frame: FrameType | None) -> None:
        note.received = True
        if on_interrupt is not None:
            on_interrupt()

    note.handler = _noted
    signal.signal(signal.SIGINT, _noted)
    try:
        yield note
    finally:
        note.replaced = signal.getsignal(signal.SIGINT) is not _noted
        if not note.replaced:
            signal.signal(signal.SIGINT, previous)


def deliver_interrupt() -> None:
    """Send SIGINT again, to whatever handles it now (by default: KeyboardInterrupt here;
    under SIG_DFL the process ends as Ctrl-C would have ended it)."""
    signal.raise_signal(signal.SIGINT)


@contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Run the block whole: a SIGINT during it reaches the SIGINT handler at its end (not if
    the block raised: its error goes on)."""
    with interrupts_noted() as note:
        yield
    if note.received:
        deliver_interrupt()
