"""When a worker's request really goes to its host: the write on the connection (issue #18).

Scrapy's HTTP/1.1 download handler writes a request on its connection in the client
protocol's ``request()`` (``HTTP11ClientProtocol``: the request's bytes into the
transport, which hands them to the socket at the reactor's next write turn). Between the
shared per-host limit letting a request go (``politeness``) and that write lie the
downloader's slot queue, the connection pool and, for a new connection, the connect: up
to 140 ms on a loaded machine. The handler here (the worker's ``http``/``https`` handler)
is Scrapy's with a client protocol that knows which request it writes, so that

* the write is the moment the shared limit holds: a request is not written before the
  earliest its host's moment can be (``HOLD_KEY`` in its meta, the event loop's clock),
  and one that would be written later than its moment by more than it may be late takes
  a new moment first (``RESERVE_KEY``: the limit's coroutine); on a plain TCP connection
  its bytes are made first and handed to the socket right after the last check, not at
  the reactor's next write turn;
* with ``RIVALSCOPE_SEND_LOG`` set (a folder; off by default: benchmarks), each request
  is logged when its download ends: its host, when the limit let it go, when it was
  written and when the socket took it (``SendRecord``), one file per worker process.

The protocol learns its request through a header the handler adds to the request for the
length of the download (``HEADER``, a token) and that the protocol takes off before the
write: the host never sees it.
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import os
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlparse

from scrapy import Request
from scrapy.core.downloader.handlers.http11 import (
    HTTP11DownloadHandler,
    _LenientHTTP11ClientFactory,
    _LenientHTTP11ClientProtocol,
)
from scrapy.crawler import Crawler
from scrapy.http import Response
from scrapy.utils.defer import deferred_from_coro
from twisted.internet.abstract import FileDescriptor
from twisted.internet.defer import Deferred
from twisted.python.failure import Failure
from twisted.web._newclient import Request as TxRequest
from twisted.web.iweb import IResponse

HEADER = b"X-Rivalscope-Sending"
"""The token of a download's ``_Sending`` (taken off before the request is written)."""
HOLD_KEY = "rivalscope_send_hold"
"""Request meta: (earliest, latest) event-loop moments the request may be written at
(set by ``politeness.SharedHostLimits``)."""
RESERVE_KEY = "rivalscope_send_reserve"
"""Request meta: a coroutine function that takes a new moment for the request and sets
its ``HOLD_KEY`` again (the write was later than the moment allows)."""
ADMITTED_KEY = "rivalscope_admitted"
"""Request meta: the event-loop moment the shared limit let the request go."""
LOG_SETTING = "RIVALSCOPE_SEND_LOG"
FIELDS = ("host", "url", "admitted", "earliest", "written", "sent", "retimed")


@dataclass
class SendRecord:
    """One request's way to its host, on the event loop's clock (``time.monotonic``,
    shared by every process of the machine)."""

    host: str
    url: str
    admitted: float | None = None
    """When the shared limit let it go (the end of its wait in the middleware)."""
    earliest: float | None = None
    """The earliest its host's moment could be (it was not written before)."""
    written: float | None = None
    """Its moment's last check passed: handed to the socket at once (a plain TCP
    connection: its bytes made before) or written on its connection (TLS)."""
    sent: float | None = None
    """Its first bytes taken by the socket (``send()``; plain TCP connections only)."""
    retimed: int = 0
    """New moments taken at the write (it would have been late for its moment)."""

    def line(self) -> str:
        return "\t".join(
            "" if value is None else f"{value:.6f}" if isinstance(value, float) else str(value)
            for value in (getattr(self, name) for name in FIELDS)
        )

    @classmethod
    def parse(cls, line: str) -> SendRecord:
        host, url, admitted, earliest, written, sent, retimed = line.rstrip("\n").split("\t")
        admitted_s, earliest_s, written_s, sent_s = (
            float(n) if n else None for n in (admitted, earliest, written, sent)
        )
        return cls(host, url, admitted_s, earliest_s, written_s, sent_s, int(retimed))


def read_send_log(folder: Path) -> list[SendRecord]:
    """Every record of the workers' logs in ``folder``."""
    return [
        SendRecord.parse(line)
        for path in sorted(folder.glob("sent-*.tsv"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line
    ]


WRITE_LATENESS: deque[float] = deque(maxlen=64)
"""How late after their moments this process's last requests got to their write (s): the
shared limit reserves room for it (``politeness.SharedHostLimits.admit``)."""


def write_allowance(limit: float) -> float:
    """How late this process's requests get to their write, 9 times in 10 lately (at most
    ``limit``; 0 before 16 writes)."""
    if len(WRITE_LATENESS) < 16:
        return 0.0
    recent = sorted(WRITE_LATENESS)
    return min(limit, max(0.0, recent[int(0.9 * (len(recent) - 1))]))


_TOKENS = itertools.count(1)
_SENDING: dict[bytes, _Sending] = {}
"""Downloads in progress by token (the protocols find theirs here)."""
_LOGS: dict[str, IO[str]] = {}


def _log_file(folder: str) -> IO[str]:
    """This process's log in ``folder`` (one per process: its lines are whole)."""
    log = _LOGS.get(folder)
    if log is None:
        Path(folder).mkdir(parents=True, exist_ok=True)
        path = Path(folder) / f"sent-{os.getpid()}.tsv"
        log = _LOGS[folder] = path.open("a", encoding="utf-8", buffering=1)
    return log


@dataclass
class _Sending:
    request: Request
    record: SendRecord


class _SendingProtocol(_LenientHTTP11ClientProtocol):
    """Scrapy's client protocol, holding each request until its moment (see the module)."""

    _awaiting_send: SendRecord | None = None
    _socket_timed = False

    def request(self, request: TxRequest) -> Deferred[IResponse]:
        tokens = request.headers.getRawHeaders(HEADER)
        if not tokens:
            return super().request(request)
        request.headers.removeHeader(HEADER)
        sending = _SENDING.get(tokens[0])
        if sending is None:  # its download ended meanwhile (cancelled)
            return super().request(request)
        # On a plain TCP connection the request's bytes are made first and held in the
        # transport (not written by the reactor) until the check of its moment passes,
        # then handed to the socket at once: between the check and the send there is only
        # the send (with the check before making the bytes, sends came up to 38 ms after
        # it on a loaded machine). Each wait (the moment to come, a new moment) is a task
        # of the event loop; the check and the send are in the reactor's own callback
        # (the task's end reaches it a turn of the event loop later), as is the response
        # (it must reach Scrapy as soon as it comes: its body may be read to the end
        # meanwhile).
        transport: Any = self.transport
        holding = isinstance(transport, FileDescriptor)
        waiting: list[Deferred[None]] = []
        response: list[Deferred[IResponse]] = []

        def cancel(_: Deferred[IResponse]) -> None:
            if waiting:
                waiting[-1].cancel()
            if response:
                response[-1].cancel()

        answer: Deferred[IResponse] = Deferred(cancel)

        def deliver(result: Any) -> None:
            if answer.called:
                return  # cancelled or failed meanwhile: the outcome is known
            if isinstance(result, Failure):
                answer.errback(result)
            else:
                answer.callback(result)

        def make() -> None:
            self._time_socket(sending.record)
            response.append(super(_SendingProtocol, self).request(request))
            response[-1].addBoth(deliver)

        def attempt(_: Any = None) -> None:
            if answer.called:
                return
            # No garbage collection between the check and the send (a full one in a busy
            # worker takes tens of ms).
            collecting = gc.isenabled()
            gc.disable()
            try:
                if holding and not response and (_wait_s(sending, note=False) or 0) <= 0:
                    make()  # its moment has come: the bytes now, held
                    transport.stopWriting()
                wait = _wait_s(sending)
                if wait is None and not answer.called:
                    sending.record.written = time.monotonic()
                    if not response:
                        make()
                    elif transport.connected and not transport.disconnecting:
                        transport.startWriting()  # the reactor writes what is left
                        transport.doWrite()
            finally:
                if collecting:
                    gc.enable()
            if wait is not None and not answer.called:
                waiting.append(deferred_from_coro(_hold(sending, wait)))
                waiting[-1].addCallbacks(attempt, deliver)

        attempt()
        return answer

    def _time_socket(self, record: SendRecord) -> None:
        """Note when the socket takes the request's first bytes (a plain TCP transport's
        ``writeSomeData``; a TLS connection's writes are not timed)."""
        transport: Any = self.transport
        self._awaiting_send = record
        if self._socket_timed or not hasattr(transport, "writeSomeData"):
            return
        self._socket_timed = True
        write = transport.writeSomeData

        def timed(data: bytes) -> Any:
            written = write(data)
            if self._awaiting_send is not None:
                self._awaiting_send.sent = time.monotonic()
                self._awaiting_send = None
            return written

        transport.writeSomeData = timed


async def _hold(sending: _Sending, wait: float) -> None:
    """Wait ``wait`` seconds, or, when negative (late for its moment), take a new one."""
    if wait < 0:
        reserve: Callable[[], Awaitable[None]] = sending.request.meta[RESERVE_KEY]
        await reserve()
        sending.record.retimed += 1
    else:
        await asyncio.sleep(wait)


def _wait_s(sending: _Sending, note: bool = True) -> float | None:
    """Seconds to hold the request before writing it; negative: late for its moment
    (a new one is needed); None: write now. ``note``: count how late it is in
    ``WRITE_LATENESS``."""
    hold = sending.request.meta.get(HOLD_KEY)
    if hold is None:
        return None
    earliest, latest = hold
    sending.record.earliest = earliest
    now = time.monotonic()
    if now < earliest:
        return earliest - now
    if note:
        WRITE_LATENESS.append(now - earliest)
    if now > latest and RESERVE_KEY in sending.request.meta:
        return -1.0
    return None


class _SendingFactory(_LenientHTTP11ClientFactory):
    def buildProtocol(self, addr: Any) -> _SendingProtocol:
        return _SendingProtocol(self._quiescentCallback)


class SendingDownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 handler whose connections write each request at its moment (see
    the module docstring)."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self._pool._factory = _SendingFactory
        self._log_folder: str | None = crawler.settings.get(LOG_SETTING) or None

    async def download_request(self, request: Request) -> Response:
        token = str(next(_TOKENS)).encode()
        record = SendRecord(
            urlparse(request.url).netloc, request.url, request.meta.get(ADMITTED_KEY)
        )
        _SENDING[token] = _Sending(request, record)
        request.headers[HEADER] = token
        try:
            return await super().download_request(request)
        finally:
            request.headers.pop(HEADER, None)
            del _SENDING[token]
            if self._log_folder is not None and record.written is not None:
                _log_file(self._log_folder).write(record.line() + "\n")
