"""robots.txt read once per run and host, for every worker of the run (through Redis).

The first worker that needs a host's rules takes the run's reader key of the host (with a
time-to-live: a reader that dies lets another take over), downloads robots.txt and stores
what it gave in the run's ``robots`` hash; the others wait for that entry. Every worker of
the run so obeys the same rules, an unreadable robots.txt included (then the host is not
crawled in the run); the next run reads robots.txt again. A reading that does not end (its
robots.txt request cancelled) stores nothing and gives the reader key back at once, until
the run's workers have had ``MAX_UNFINISHED_READINGS`` such readings of the host: then the
host is stored as unreadable for the run, and no worker reads it again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from scrapy.settings import Settings

from spiders.distributed.connection import async_client
from spiders.distributed.expiry import RUN_TTL_S
from spiders.distributed.keys import Keys, RunKeys
from spiders.robots_rules import (
    MAX_UNFINISHED_READINGS,
    RobotsRead,
    gave_up,
    unfinished_reason,
)

WAIT_S = 0.1
"""How often a worker waiting for another's reading looks for it."""


class SharedRobots:
    """See the module docstring."""

    def __init__(self, url: str, keys: RunKeys, worker: str, reading_s: float) -> None:
        self.url, self.keys, self.worker = url, keys, worker
        self.reading_ms = int(reading_s * 1000)

    @classmethod
    def from_settings(cls, settings: Settings) -> SharedRobots:
        # A reading lasts at most its tries' time-outs (the retries included) and waits.
        tries = settings.getint("RETRY_TIMES") + 1
        reading_s = tries * settings.getfloat("DOWNLOAD_TIMEOUT") + 30
        keys = Keys(settings.get("RIVALSCOPE_REDIS_PREFIX")).run(
            settings.getint("RIVALSCOPE_RUN_ID")
        )
        return cls(settings.get("REDIS_URL"), keys, settings.get("RIVALSCOPE_WORKER"), reading_s)

    async def _store_first(self, client: Any, host: str, encoded: bytes) -> bool:
        """Store a reading of ``host`` unless one is stored; True if this one was. The
        hash gets its time-to-live in the same transaction: a run's keys never exist
        without one, even for the moment between two commands."""
        async with client.pipeline(transaction=True) as pipe:
            pipe.hsetnx(self.keys.robots, host, encoded)
            pipe.expire(self.keys.robots, RUN_TTL_S)
            stored, _ = await pipe.execute()
        return bool(stored)

    async def read(self, host: str, fetch: Callable[[], Awaitable[RobotsRead]]) -> RobotsRead:
        """The run's reading of ``host``'s robots.txt: another worker's, or ``fetch()``'s."""
        client = async_client(self.url)
        reader = self.keys.robots_reader(host)
        while True:
            stored = await client.hget(self.keys.robots, host)
            if stored is not None:
                return RobotsRead.decode(stored if isinstance(stored, bytes) else stored.encode())
            if await client.set(reader, self.worker, nx=True, px=self.reading_ms):
                try:
                    read = await fetch()
                except (Exception, asyncio.CancelledError) as exc:
                    # Not read (cancelled): nothing stored for the run, and another worker
                    # (or this one's next request) reads it now, not once the key expires;
                    # after the run's last allowed try, the host is given up for the run.
                    async with client.pipeline(transaction=True) as pipe:
                        pipe.hincrby(self.keys.robots_unfinished, host, 1)
                        pipe.expire(self.keys.robots_unfinished, RUN_TTL_S)
                        unfinished, _ = await pipe.execute()
                    if unfinished >= MAX_UNFINISHED_READINGS:
                        reason = gave_up(unfinished_reason(exc))
                        gone = RobotsRead(None, reason).encode()
                        await self._store_first(client, host, gone)
                    await client.delete(reader)
                    raise
                # Set only if no reading is stored: a reader that outlived its key and a
                # second reader never replace the first reading the workers obey.
                if await self._store_first(client, host, read.encode()):
                    await client.delete(reader)
                    return read
                continue
            await asyncio.sleep(WAIT_S)
