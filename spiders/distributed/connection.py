"""Opening the Redis queue, with a one-line error when it cannot be reached."""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from settings.user_errors import UserError

if TYPE_CHECKING:
    import redis
    import redis.asyncio as redis_asyncio


class QueueError(UserError):
    """The Redis queue cannot be used (unreachable, refused, lost mid-crawl)."""


def describe_queue(url: str) -> str:
    """The URL without its password, for messages and the ``crawl_run`` row."""
    parsed = urlparse(url)
    if parsed.password:
        netloc = parsed.netloc.replace(f":{parsed.password}@", ":***@")
        return parsed._replace(netloc=netloc).geturl()
    return url


def connect(url: str) -> redis.Redis:
    """A client of the server at ``url``, checked with a PING."""
    import redis as redis_lib

    try:
        client = redis_lib.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=30)
        client.ping()
    except (redis_lib.RedisError, ValueError) as exc:
        raise QueueError(f"cannot reach the queue at {describe_queue(url)}: {exc}") from None
    return client


_ASYNC_CLIENTS: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()


def async_client(url: str) -> redis_asyncio.Redis:
    """The asyncio client of the server at ``url`` for the running event loop (Scrapy's
    asyncio reactor): one per worker process, shared by its crawlers, never blocking it."""
    import asyncio

    import redis.asyncio as redis_async

    clients = _ASYNC_CLIENTS.setdefault(asyncio.get_running_loop(), {})
    client: redis_asyncio.Redis | None = clients.get(url)
    if client is None:
        client = redis_async.Redis.from_url(url, socket_connect_timeout=5, socket_timeout=30)
        clients[url] = client
    return client


async def close_async_clients() -> None:
    """Close the running event loop's clients (tests; a worker's go with its process)."""
    import asyncio

    for client in _ASYNC_CLIENTS.pop(asyncio.get_running_loop(), {}).values():
        await client.aclose()
