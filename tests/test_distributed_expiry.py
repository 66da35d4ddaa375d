"""A distributed run's Redis keys live as long as the run, against the real Redis
(127.0.0.1:6379): they carry a time-to-live (an abandoned run's keys go), and the worker
that ends the run deletes them (``spiders.distributed.expiry``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from spiders.distributed.expiry import RUN_TTL_S, forget, renew
from spiders.distributed.keys import Keys
from tests import test_distributed

# The key-prefix fixture of tests/test_distributed.py.
redis_prefix = test_distributed.redis_prefix


@pytest.fixture
def client() -> Iterator[Any]:
    import redis

    server = redis.Redis.from_url(test_distributed.REDIS_URL)
    yield server
    server.close()


def _fill(client: Any, prefix: str, run_id: int) -> None:
    """The keys a run has mid-crawl: queued and seen requests, one worker's processing hash."""
    keys = Keys(prefix).run(run_id)
    client.zadd(keys.queue, {b"request": 0})
    client.sadd(keys.dupefilter, "fingerprint")
    client.sadd(keys.workers, "host:1")
    client.incr(keys.popped)
    client.hset(keys.declared, "product", 3)
    client.hset(keys.robots, "127.0.0.1:8000", b"rules")
    client.hset(keys.processing("host:1"), "token", b"request")


@pytest.mark.redis
def test_a_runs_keys_expire_and_missing_ones_are_not_made(redis_prefix: str, client: Any) -> None:
    _fill(client, redis_prefix, 1)
    keys = Keys(redis_prefix).run(1)
    client.delete(keys.declared)  # a run whose pages declared nothing yet
    pipe = client.pipeline(transaction=False)
    renew(pipe, keys, "host:1")
    pipe.execute()
    for name in (*keys.lasting, keys.processing("host:1")):
        ttl = client.ttl(name)
        # Missing: none declared yet; no robots.txt reading that did not end; no page
        # rendered (a plain source's run).
        if name in (keys.declared, keys.robots_unfinished, keys.rendered):
            assert ttl == -2, "renewing made a key"  # -2: no such key
        else:
            assert 0 < ttl <= RUN_TTL_S, (name, ttl)


@pytest.mark.redis
def test_a_complete_runs_keys_are_deleted_and_no_other_runs(redis_prefix: str, client: Any) -> None:
    _fill(client, redis_prefix, 1)
    _fill(client, redis_prefix, 2)
    assert forget(client, Keys(redis_prefix).run(1)) == 7
    assert list(client.scan_iter(f"{redis_prefix}:run:1:*")) == []
    assert len(list(client.scan_iter(f"{redis_prefix}:run:2:*"))) == 7
    assert forget(client, Keys(redis_prefix).run(1)) == 0  # a second worker finds nothing


@pytest.mark.redis
def test_the_workers_set_keeps_live_workers_only_and_expires_with_the_last(
    redis_prefix: str, client: Any
) -> None:
    from spiders.distributed.scheduler import ALIVE_TTL_S
    from spiders.distributed.sharing import Heartbeat

    keys = Keys(redis_prefix)
    # A worker killed long ago: in the set, its heartbeat gone.
    client.sadd(keys.workers, "host:dead")
    beat = Heartbeat(client, keys, "host:live", ALIVE_TTL_S)
    pipe = client.pipeline()
    beat.queue(pipe)
    pipe.execute()
    assert client.smembers(keys.workers) == {b"host:live"}
    assert 0 < client.ttl(keys.alive("host:live")) <= ALIVE_TTL_S
    # The set goes with the last heartbeat: no entry outlives every worker.
    assert 0 < client.ttl(keys.workers) <= ALIVE_TTL_S
