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


def stopped_status(signum: int) -> int:
    """The exit status of a command a signal stopped (Ctrl-C and SIGTERM stop a command
    alike), as a shell reports a command the signal ended: 130 for Ctrl-C, 143 for
    SIGTERM."""
    return 128 + signum


@dataclass
class InterruptNote:
    """What happened to SIGINT (and SIGTERM) inside an ``interrupts_noted`` block."""

    received: bool = False
    """A SIGINT (or SIGTERM) came while the block ran."""
    signum: int = signal.SIGINT
    """The first signal received (SIGINT when none came)."""
    replaced: bool = False
    """Someone else installed a SIGINT handler inside the block (Scrapy, once its reactor
    runs): theirs stays in place, and the signal is theirs to handle."""
    handler: Callable[[int, FrameType | None], None] | None = None
    """The handler that notes the signal (None: none installed, outside the main thread or
    where SIGINT is ignored)."""


@contextmanager
def interrupts_noted(
    on_interrupt: Callable[[int], object] | None = None,
) -> Iterator[InterruptNote]:
    """Inside, a SIGINT is only noted (and ``on_interrupt`` called with it, in the signal
    handler); on leaving, the handler from before is put back unless another replaced ours.
    SIGTERM is noted alike where Python handles it (the ``rivalscope`` command does, as it
    does Ctrl-C); where it ends the process by default it still does.

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
    previous_term = signal.getsignal(signal.SIGTERM)

    def _noted(signum: int, _frame: FrameType | None) -> None:
        if not note.received:
            note.signum = signum
        note.received = True
        if on_interrupt is not None:
            on_interrupt(signum)

    note.handler = _noted
    signal.signal(signal.SIGINT, _noted)
    if callable(previous_term):
        signal.signal(signal.SIGTERM, _noted)
    try:
        yield note
    finally:
        note.replaced = signal.getsignal(signal.SIGINT) is not _noted
        if not note.replaced:
            signal.signal(signal.SIGINT, previous)
        if callable(previous_term) and signal.getsignal(signal.SIGTERM) is _noted:
            signal.signal(signal.SIGTERM, previous_term)


def deliver_interrupt(signum: int = signal.SIGINT) -> None:
    """Send the signal (SIGINT unless told) again, to whatever handles it now (by default:
    KeyboardInterrupt here; under SIG_DFL the process ends as the signal would have ended
    it)."""
    signal.raise_signal(signum)


@contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Run the block whole: a SIGINT during it reaches the SIGINT handler at its end (not if
    the block raised: its error goes on)."""
    with interrupts_noted() as note:
        yield
    if note.received:
        deliver_interrupt(note.signum)
