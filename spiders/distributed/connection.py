"""Opening the Redis queue, with a one-line error when it cannot be reached."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlparse

from settings.user_errors import UserError

if TYPE_CHECKING:
    import redis


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
