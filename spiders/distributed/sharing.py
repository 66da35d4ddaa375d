"""Which of the queued runs a worker serves: its share, claimed atomically in Redis.

Every run a worker serves costs it a crawler (settings, middlewares, the writer's view of
the source's rows, a close with figures and health checks) and keeps asking the run's
queue for work. If every worker served every run, that cost would not shrink with more
workers. So a worker claims at most its share of the active runs, ceil(runs / live
workers): first the runs no live worker serves, then (with room left) runs whose queue
has a backlog of requests waiting, so that one big run is still served by every worker;
a worker with no run at all (started after the others took every run) joins any run with
requests waiting. The claim is one Lua script: two workers starting together take
different runs.
"""

from __future__ import annotations

from typing import Any

from spiders.distributed.expiry import RUN_TTL_S
from spiders.distributed.keys import Keys

# ARGV: prefix, this worker, how many runs it serves, how many runs are active, the backlog
# that makes a served run take one more worker, the run keys' time-to-live, then the ids of
# the active runs it does not serve. Returns the ids it claims.
_CLAIM = """
local prefix, me = ARGV[1], ARGV[2]
local serving, active = tonumber(ARGV[3]), tonumber(ARGV[4])
local function alive(worker)
    return redis.call('EXISTS', prefix .. ':worker:' .. worker .. ':alive') == 1
end
local live_workers = 0
for _, worker in ipairs(redis.call('SMEMBERS', prefix .. ':workers')) do
    if alive(worker) then live_workers = live_workers + 1 end
end
local room = math.ceil(active / math.max(live_workers, 1)) - serving
if room <= 0 then return {} end
local candidates = {}
for i = 7, #ARGV do
    local base = prefix .. ':run:' .. ARGV[i]
    local live = 0
    for _, worker in ipairs(redis.call('SMEMBERS', base .. ':workers')) do
        if alive(worker) then live = live + 1 end
    end
    local queued = redis.call('ZCARD', base .. ':queue')
    if live == 0 or queued >= tonumber(ARGV[5]) or (serving == 0 and queued > 0) then
        table.insert(candidates, {ARGV[i], live, queued})
    end
end
table.sort(candidates, function(a, b)
    if a[2] ~= b[2] then return a[2] < b[2] end
    if a[3] ~= b[3] then return a[3] > b[3] end
    return tonumber(a[1]) < tonumber(b[1])
end)
local claimed = {}
for i = 1, math.min(room, #candidates) do
    local workers = prefix .. ':run:' .. candidates[i][1] .. ':workers'
    redis.call('SADD', workers, me)
    redis.call('EXPIRE', workers, tonumber(ARGV[6]))
    table.insert(claimed, candidates[i][1])
end
return claimed
"""


# KEYS: the workers' set, this worker's heartbeat. ARGV: this worker, the heartbeat's
# time-to-live (s), the prefix. The worker says it is alive; the set of workers keeps only
# live ones (a worker gone, its heartbeat expired, is dropped by the next live one's beat)
# and itself expires with the last heartbeat: no worker's entry outlives it for good.
_BEAT = """
redis.call('SET', KEYS[2], '1', 'EX', tonumber(ARGV[2]))
redis.call('SADD', KEYS[1], ARGV[1])
for _, worker in ipairs(redis.call('SMEMBERS', KEYS[1])) do
    if redis.call('EXISTS', ARGV[3] .. ':worker:' .. worker .. ':alive') == 0 then
        redis.call('SREM', KEYS[1], worker)
    end
end
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2]))
"""


class Heartbeat:
    """A worker's heartbeat (see ``_BEAT``), queued on a redis-py pipeline."""

    def __init__(self, server: Any, keys: Keys, worker: str, ttl_s: int) -> None:
        self.keys, self.worker, self.ttl_s = keys, worker, ttl_s
        self._beat = server.register_script(_BEAT)

    def queue(self, pipe: Any) -> None:
        self._beat(
            keys=[self.keys.workers, self.keys.alive(self.worker)],
            args=[self.worker, self.ttl_s, self.keys.prefix],
            client=pipe,
        )


HELP_BACKLOG = 16
"""Requests waiting in a run's queue for a worker with room to join the workers serving it
(a crawler's worth: fewer are served soon enough by those already there, and joining costs
a crawler of its own)."""


class RunClaims:
    """See the module docstring."""

    def __init__(self, server: Any, keys: Keys, worker: str) -> None:
        self.server, self.keys, self.worker = server, keys, worker
        self._claim = server.register_script(_CLAIM)

    def claim(self, active: list[int], serving: set[int], skip: set[int]) -> list[int]:
        """The runs of ``active`` this worker should open now (registered as served by it)."""
        candidates = [run for run in active if run not in serving and run not in skip]
        if not candidates:
            return []
        claimed = self._claim(
            args=[
                self.keys.prefix,
                self.worker,
                len(serving),
                len(active),
                HELP_BACKLOG,
                RUN_TTL_S,
                *candidates,
            ]
        )
        return [int(run) for run in claimed]
