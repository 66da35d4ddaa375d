"""Redis's clock read on the event loop's (issue #18).

The shared per-host moments (``politeness``) are reserved on Redis's clock. A worker
learns its moment from an answer that comes some time after Redis read its clock: the
pipe's queue, the round trip and a busy event loop (tens of ms on a loaded machine).
Counted from the answer, a moment was up to that much late, and a host received two
requests 4 ms apart and 11 in one second (``benchmarks/distributed.py`` at load 5). The
offset between the two clocks is taken, as NTP does, from the answer with the shortest
round trip: it is within half that round trip (under a millisecond on loopback) of the
true offset; an older sample counts as less exact by ``DRIFT`` per second (the clocks
may be slewed apart).
"""

from __future__ import annotations

from dataclasses import dataclass

DRIFT = 0.001
"""How much less exact an offset becomes per second of age (s/s: generous; clocks slewed
by NTP drift apart by at most 0.0005)."""


@dataclass
class RedisClock:
    """The offset of Redis's clock from the event loop's, and how exact it is."""

    offset: float = 0.0
    error: float = float("inf")
    """Half the round trip of the sample the offset comes from."""
    taken: float = 0.0

    def observe(self, asked: float, answered: float, redis_now: float) -> None:
        """Redis read ``redis_now`` on its clock between ``asked`` and ``answered`` (ours)."""
        error = (answered - asked) / 2
        if error <= self.uncertainty(answered):
            self.offset = redis_now - (asked + answered) / 2
            self.error, self.taken = error, answered

    def uncertainty(self, now: float) -> float:
        """How far, at most, ``local`` is from the truth at ``now`` (ours)."""
        return self.error + DRIFT * (now - self.taken)

    def local(self, redis_time: float) -> float:
        """The moment ``redis_time`` of Redis's clock, on ours."""
        return redis_time - self.offset
