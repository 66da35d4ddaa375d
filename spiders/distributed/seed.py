"""``rivalscope crawl --distributed``: one crawl run per source, its start requests queued."""

from __future__ import annotations

from dataclasses import dataclass

from scrapy import Request
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.queue import PriorityQueue

from settings.targets import Targets
from spiders.distributed.connection import connect, describe_queue
from spiders.distributed.expiry import renew
from spiders.distributed.keys import Keys, key_prefix
from spiders.distributed.scheduler import run_record
from spiders.fetch_problems import UNREACHED_REASONS
from spiders.runner import select_sources
from spiders.target_spider import TargetSpider
from storage.db import open_database
from storage.writer import CollectError, CollectWriter


@dataclass
class SeedResult:
    source: str
    run_id: int | None
    queued: int = 0
    refused: str | None = None


def _active_runs(server: object, keys: Keys) -> dict[str, int]:
    import json

    out: dict[str, int] = {}
    for run_id, raw in server.hgetall(keys.registry).items():  # type: ignore[attr-defined]
        out[json.loads(raw)["source"]] = int(run_id)
    return out


def seed_runs(
    targets: Targets,
    targets_text: str,
    names: list[str] | None,
    queue_url: str,
    db_url: str,
) -> list[SeedResult]:
    """Create one crawl run per chosen source and queue its start requests; the workers
    do the rest. A source whose previous distributed run is still queued is refused."""
    server = connect(queue_url)
    keys = Keys(key_prefix())
    engine = open_database(db_url)
    results = []
    try:
        for company, source in select_sources(targets, names):
            active = _active_runs(server, keys).get(source.name)
            if active is not None:
                results.append(
                    SeedResult(
                        source.name,
                        None,
                        refused=f"source {source.name} is still queued (run {active}); "
                        "start workers (`rivalscope worker`) or wait for them to finish",
                    )
                )
                continue
            writer = CollectWriter(
                engine,
                company=company.name,
                own=company.own,
                source=source.name,
                holds=source.holds,
            )
            incremental = writer.last_run_complete(UNREACHED_REASONS)
            try:
                run_id = writer.start_run(queue=describe_queue(queue_url))
            except CollectError as exc:
                results.append(SeedResult(source.name, None, refused=str(exc)))
                continue
            run_keys = keys.run(run_id)
            spider = TargetSpider(source=source, company=company)
            queue = PriorityQueue(server, spider, run_keys.queue)
            seen = RFPDupeFilter(server, run_keys.dupefilter)
            queued = 0
            for request in _start_requests(spider):
                if seen.request_seen(request):
                    continue
                queue.push(request)
                queued += 1
            expiring = server.pipeline(transaction=False)
            renew(expiring, run_keys)  # an abandoned run's keys go (spiders.distributed.expiry)
            expiring.execute()
            # Registered last: a worker never sees a run whose queue is not filled yet.
            server.hset(
                keys.registry,
                str(run_id),
                run_record(source.name, company.name, targets_text, incremental),
            )
            results.append(SeedResult(source.name, run_id, queued))
    finally:
        engine.dispose()
    return results


def _start_requests(spider: TargetSpider) -> list[Request]:
    return list(spider.start_requests_of_source())
