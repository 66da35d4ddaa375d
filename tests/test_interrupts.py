"""settings.interrupts: the one SIGINT guard (report files, crawl start, probe crawl)."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator

import pytest

from settings.interrupts import interrupts_deferred, interrupts_noted


@pytest.fixture(autouse=True)
def _sigint_restored() -> Iterator[None]:
    before = signal.getsignal(signal.SIGINT)
    yield
    signal.signal(signal.SIGINT, before)


def test_a_noted_interrupt_calls_back_and_the_handler_comes_back() -> None:
    calls: list[str] = []
    with interrupts_noted(lambda signum: calls.append(f"called with {signum}")) as note:
        os.kill(os.getpid(), signal.SIGINT)
        calls.append("after the signal")
    assert note.received and not note.replaced
    assert calls == [f"called with {signal.SIGINT}", "after the signal"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_handler_installed_inside_stays() -> None:
    def theirs(_signum: int, _frame: object) -> None:
        pass

    with interrupts_noted() as note:
        signal.signal(signal.SIGINT, theirs)  # as Scrapy does once its reactor runs
    assert note.replaced and not note.received
    assert signal.getsignal(signal.SIGINT) is theirs


def test_an_ignored_sigint_stays_ignored() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    with interrupts_noted() as note:
        assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN
        os.kill(os.getpid(), signal.SIGINT)
    assert not note.received
    assert signal.getsignal(signal.SIGINT) is signal.SIG_IGN


def test_outside_the_main_thread_nothing_is_installed() -> None:
    seen: list[object] = []

    def in_thread() -> None:
        with interrupts_noted() as note:
            seen.append(signal.getsignal(signal.SIGINT))
        seen.append(note.received)

    thread = threading.Thread(target=in_thread)
    thread.start()
    thread.join()
    assert seen == [signal.default_int_handler, False]


def test_a_deferred_interrupt_reaches_the_handler_after_the_block() -> None:
    got: list[str] = []

    def handler(_signum: int, _frame: object) -> None:
        got.append("delivered")

    signal.signal(signal.SIGINT, handler)
    with interrupts_deferred():
        os.kill(os.getpid(), signal.SIGINT)
        got.append("block ended")
    assert got == ["block ended", "delivered"]


def test_a_block_that_raises_keeps_its_error() -> None:
    with pytest.raises(ValueError, match="its own"), interrupts_deferred():
        os.kill(os.getpid(), signal.SIGINT)
        raise ValueError("its own")
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_sigterm_is_deferred_as_ctrl_c_where_python_handles_it(signum: int) -> None:
    """The command handles SIGTERM as Ctrl-C (KeyboardInterrupt): a block that must not be
    cut defers it too (it cut the block, or the start of a crawl)."""
    received: list[int] = []

    def _terminate(got: int, _frame: object) -> None:
        received.append(got)
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        steps: list[str] = []
        with pytest.raises(KeyboardInterrupt), interrupts_deferred():
            os.kill(os.getpid(), signum)
            steps.append("the block ran whole")
        assert steps == ["the block ran whole"]
        assert received == ([signal.SIGTERM] if signum == signal.SIGTERM else [])
        assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
        assert signal.getsignal(signal.SIGTERM) is _terminate
    finally:
        signal.signal(signal.SIGTERM, previous)
