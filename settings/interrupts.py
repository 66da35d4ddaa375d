"""Ctrl-C held off for a few steps that must not be split (e.g. renaming a report's files
into place): the interrupt is delivered once they are done."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


@contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Run the block whole: a SIGINT during it reaches the SIGINT handler (by default:
    KeyboardInterrupt) at its end.

    Only in the main thread, and only where Python handles SIGINT: an ignored SIGINT stays
    ignored."""
    handler = signal.getsignal(signal.SIGINT)
    if threading.current_thread() is not threading.main_thread() or not callable(handler):
        yield
        return
    received: list[int] = []

    def _remember(signum: int, _frame: FrameType | None) -> None:
        received.append(signum)

    signal.signal(signal.SIGINT, _remember)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, handler)
    if received:
        handler(signal.SIGINT, None)
