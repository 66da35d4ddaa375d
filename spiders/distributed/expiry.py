"""How long a run's Redis keys live: as long as the run, and no longer.

A run's queue, dupe filter (a fingerprint per page: the bulk of it), robots readings and
counters are deleted by the worker that ends the run. A run nobody serves any more (every
worker gone for good) would keep them forever: they carry a time-to-live, ``RUN_TTL_S``,
renewed by the workers serving the run (every ``RENEW_S``), so an abandoned run's keys go
a week after its last worker. The run itself stays registered: a worker started later
serves what is left of it, an empty queue included (the run then ends; the source's next
run crawls it again).
"""

from __future__ import annotations

from typing import Any

from spiders.distributed.keys import RunKeys

RUN_TTL_S = 7 * 24 * 3600
RENEW_S = 60.0
"""How often a worker renews the time-to-live of the runs it serves."""


def renew(pipe: Any, keys: RunKeys, worker: str | None = None) -> None:
    """Queue EXPIRE commands on ``pipe`` (a redis-py pipeline) for the run's keys (and
    ``worker``'s processing hash); a key that does not exist yet is left alone."""
    for key in (*keys.lasting, *([keys.processing(worker)] if worker else [])):
        pipe.expire(key, RUN_TTL_S)


def forget(server: Any, keys: RunKeys) -> int:
    """Delete a complete run's keys, every worker's processing hash included (a robots
    reader's key expires by itself); how many there were. Called by every worker that
    finds the run complete: the first deletes, the others find nothing."""
    workers = [w.decode() if isinstance(w, bytes) else w for w in server.smembers(keys.workers)]
    return int(server.delete(*keys.lasting, *(keys.processing(w) for w in workers)))
