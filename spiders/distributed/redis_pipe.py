"""The worker's Redis commands, sent without blocking the reactor and in order.

A crawl makes several Redis commands per page (pop a request, take a place at its host,
push the links it found, mark it done). Sent one by one with a blocking client, each
stops the reactor for a round trip (milliseconds on a loaded machine). Here every command
joins a queue that one asyncio task (Scrapy's asyncio reactor runs the event loop) sends
as one pipeline per round trip, while the reactor goes on; the commands queued meanwhile
go in the next pipeline. Redis so applies them in the order they were made: the links a
page found are in the queue before the page is marked done, whoever looks in between.

``send`` queues a command whose answer nobody waits for; ``ask`` returns a future of its
answer. Scripts are sent by their SHA1 (``Script``), loaded again if Redis lost them.
One pipe per Redis URL and event loop (``pipe_for``): the crawlers of a worker share it.
When Redis cannot be reached, the commands fail, ``lost`` is set and the ``on_lost``
callbacks run (the worker stops with a clear error; what it had not marked done stays in
its processing hash, returned to the queue by the other workers).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from spiders.distributed.connection import async_client

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Script:
    """A Lua script, sent as EVALSHA."""

    source: str

    @property
    def sha(self) -> str:
        return hashlib.sha1(self.source.encode()).hexdigest()

    def command(self, keys: list[str], args: list[Any]) -> tuple[Any, ...]:
        return ("EVALSHA", self.sha, len(keys), *keys, *args)


@dataclass
class _Command:
    args: tuple[Any, ...]
    answer: asyncio.Future[Any] | None
    script: Script | None = None


class RedisPipe:
    """See the module docstring."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.queued: list[_Command] = []
        self.sending: asyncio.Task[None] | None = None
        self.lost: Exception | None = None
        self.on_lost: list[Callable[[Exception], None]] = []
        self.round_trips = 0
        self.commands = 0
        self.loaded: set[str] = set()
        """The scripts loaded through this pipe (each is loaded, in the pipeline, before
        its first use: a script loaded after a failed first use would run out of order)."""

    def send(self, *args: Any, script: Script | None = None) -> None:
        """Queue a command; its answer is not needed (errors are logged)."""
        self._queue(_Command(args, None, script))

    def ask(self, *args: Any, script: Script | None = None) -> asyncio.Future[Any]:
        """Queue a command; the future of its answer."""
        answer: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._queue(_Command(args, answer, script))
        return answer

    def run(self, script: Script, keys: list[str], args: list[Any]) -> asyncio.Future[Any]:
        """``ask`` for a script's answer."""
        return self.ask(*script.command(keys, args), script=script)

    def call(self, script: Script, keys: list[str], args: list[Any]) -> None:
        """``send`` a script."""
        self.send(*script.command(keys, args), script=script)

    async def drain(self) -> None:
        """Returns once every command queued so far has been answered."""
        while self.sending is not None:
            await asyncio.shield(self.sending)

    def _queue(self, command: _Command) -> None:
        if self.lost is not None:
            self._fail([command], self.lost)
            return
        self.queued.append(command)
        if self.sending is None:
            self.sending = asyncio.get_running_loop().create_task(self._send_all())

    async def _send_all(self) -> None:
        client = async_client(self.url)
        try:
            while self.queued:
                batch, self.queued = self.queued, []
                pipe = client.pipeline(transaction=False)
                loads: list[bool] = []  # per answer: a SCRIPT LOAD's (dropped below)
                for command in batch:
                    script = command.script
                    if script is not None and script.sha not in self.loaded:
                        pipe.execute_command("SCRIPT", "LOAD", script.source)
                        self.loaded.add(script.sha)
                        loads.append(True)
                    pipe.execute_command(*command.args)
                    loads.append(False)
                try:
                    answers = await pipe.execute(raise_on_error=False)
                except Exception as exc:
                    self._lose(exc, batch + self.queued)
                    self.queued = []
                    return
                self.round_trips += 1
                self.commands += len(batch)
                if any(loads):
                    answers = [a for a, load in zip(answers, loads, strict=True) if not load]
                for command, answer in zip(batch, answers, strict=True):
                    if command.script is not None and _missing_script(answer):
                        answer = await self._load_and_run(client, command)
                    self._answer(command, answer)
        finally:
            self.sending = None

    async def _load_and_run(self, client: Any, command: _Command) -> Any:
        """Redis lost its scripts (restarted): load the script, run the command again."""
        assert command.script is not None
        try:
            await client.execute_command("SCRIPT", "LOAD", command.script.source)
            return await client.execute_command(*command.args)
        except Exception as exc:
            return exc

    def _answer(self, command: _Command, answer: Any) -> None:
        if isinstance(answer, Exception):
            if command.answer is not None:
                if not command.answer.done():
                    command.answer.set_exception(answer)
            else:
                logger.error("a Redis command failed: %s (%s)", answer, command.args[0])
        elif command.answer is not None and not command.answer.done():
            command.answer.set_result(answer)

    def _lose(self, exc: Exception, commands: list[_Command]) -> None:
        self.lost = exc
        self._fail(commands, exc)
        for callback in list(self.on_lost):
            callback(exc)

    @staticmethod
    def _fail(commands: list[_Command], exc: Exception) -> None:
        for command in commands:
            if command.answer is not None and not command.answer.done():
                command.answer.set_exception(exc)


def _missing_script(answer: Any) -> bool:
    from redis.exceptions import NoScriptError

    return isinstance(answer, NoScriptError)


_PIPES: weakref.WeakKeyDictionary[Any, dict[str, RedisPipe]] = weakref.WeakKeyDictionary()


def pipe_for(url: str) -> RedisPipe:
    """The pipe to the server at ``url`` of the running event loop (one per worker)."""
    pipes = _PIPES.setdefault(asyncio.get_running_loop(), {})
    pipe = pipes.get(url)
    if pipe is None:
        pipe = pipes[url] = RedisPipe(url)
    return pipe
