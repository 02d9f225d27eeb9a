"""How soon a round's submissions show in monitoring's dashboard, and how cost grows with it.

Run from the repository root (RabbitMQ up: `deploy/local/servers up rabbitmq`):

    .venv/bin/python -m bench.round                     # 1, 4 and 8 offices (~130 units each)
    .venv/bin/python -m bench.round --offices 2 --steady 100

For each size it starts a mongo-java-server of its own, intake and monitoring as processes,
loads the offices through monitoring's API (units, plan, projects, indicators, the form, a
round open today, derived assignments), then:

- **round**: publishes every unit's report and a fifth of them corrected 2–5 times at full
  speed; the time until monitoring's dashboard counts every unit, and submissions/s;
- **latency**: `--steady` more at 200/s (a correction of each unit): from the publish to the
  unit's `rates.updated.v1` (monitoring's read model is written before it announces),
  p50 / p99;
- **catch-up**: monitoring stopped while another correction of every unit is answered by
  intake, then started: the time until its queues are empty;
- CPU ms per submission and RSS of intake, monitoring, the database server and the broker.

Goals (issue 20, at 300,000 submissions on the nation's 245 offices): dashboard ≤ 5 min, p99
≤ 1 s at 200/s, 30,000 queued events caught up in ≤ 30 s, each service ≤ 150 MB. The sizes
here are smaller; the cost per submission across sizes shows how it grows. Only prints.
"""

import argparse
import asyncio
import json
import random
import statistics
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import aio_pika
import httpx

from bench.harness import (
    Usage,
    broker_pid,
    commands_of,
    difference,
    mongo_server,
    publish_many,
    queues_empty,
    ready_in,
)
from bench.intake import submissions
from samples.demo import ROUND
from samples.load import load
from samples.office import generate_nation
from samples.progress import progress_values
from shared.platform.settings import Settings
from shared.platform.topology import Topology, declare_topology, delete_topology
from tests.processes import ServiceProcess

Report = tuple[str, str, dict[str, Any]]


async def loaded(monitoring: ServiceProcess, offices: int) -> list[Report]:
    """Put the offices' set-up through monitoring's API; each unit's report for the round."""
    reports: list[Report] = []
    for index, office in enumerate(generate_nation(offices)):
        await load(office, monitoring.url, demo_round=index == 0, headers=monitoring.officer)
    async with httpx.AsyncClient(
        base_url=monitoring.url, headers=monitoring.officer, timeout=120
    ) as api:
        assigned: list[dict[str, Any]] = []
        while True:
            params: dict[str, Any] = {"round_id": ROUND, "limit": 5000, "skip": len(assigned)}
            page = (await api.get("/assignments", params=params)).raise_for_status().json()
            assigned += page
            if len(page) < 5000:
                break
    for index, office in enumerate(generate_nation(offices)):
        mine = {u.code for u in office.units}
        theirs = [a for a in assigned if a["unit_code"] in mine]
        values = progress_values(office, theirs, random.Random(index))
        forms = {a["unit_code"]: a["form_id"] for a in theirs}
        reports += [(unit, forms[unit], values[unit]) for unit in sorted(values)]
    return reports


async def counted(monitoring: ServiceProcess) -> int:
    """Units monitoring's dashboard counts as having reported the round, every office."""
    async with httpx.AsyncClient(headers=monitoring.officer, timeout=60) as api:
        board = (await api.get(f"{monitoring.url}/dashboard/rounds/{ROUND}")).json()
    return sum(office["rates"]["received"] for office in board.get("offices", []))


async def latency(
    settings: Settings, topology: Topology, bodies: list[bytes], rate: float
) -> list[float]:
    """Publish at `rate`/s; ms from each publish to its unit's rates.updated.v1."""
    sent: dict[str, float] = {}
    seen: list[float] = []
    done = asyncio.Event()
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel(publisher_confirms=False)
        queue = await channel.declare_queue(exclusive=True, auto_delete=True)
        await queue.bind(topology.events_exchange, routing_key="rates.updated.v1")

        async def take(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            await message.ack()
            unit = json.loads(message.body)["data"]["scope_code"]
            if unit in sent:
                seen.append((time.perf_counter() - sent.pop(unit)) * 1000)
                if len(seen) == len(bodies):
                    done.set()

        await queue.consume(take)
        exchange = await channel.get_exchange(topology.events_exchange)
        started = time.perf_counter()
        for index, body in enumerate(bodies):
            await asyncio.sleep(max(0.0, started + index / rate - time.perf_counter()))
            sent[json.loads(body)["data"]["unit_code"]] = time.perf_counter()
            await exchange.publish(
                aio_pika.Message(
                    body,
                    content_type="application/json",
                    delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                ),
                routing_key="submission.submitted.v1",
            )
        await asyncio.wait_for(done.wait(), 120)
    return seen


def once_more(reports: list[Report], tag: str, count: int) -> list[bytes]:
    """A correction of each of the first `count` units, with keys of their own."""
    bodies = submissions(reports[:count], count)
    return [body.replace(b'"bench-', f'"{tag}-'.encode()) for body in bodies]


@dataclass
class System:
    """Intake and monitoring as processes on a database server of their own, offices loaded."""

    settings: Settings
    topology: Topology
    services: dict[str, ServiceProcess]
    mongo_pid: int
    reports: list[Report]
    folder: Path

    def commands(self) -> dict[str, dict[str, int]]:
        """The Mongo commands each service has sent so far, by command."""
        return {name: commands_of(self.folder / f"{name}-commands.json") for name in self.services}

    def pids(self) -> dict[str, int]:
        """Every process a submission costs: the services, the database server, the broker."""
        found = {name: p.process.pid for name, p in self.services.items() if p.process}
        found["database server"] = self.mongo_pid
        if (rabbit := broker_pid()) is not None:
            found["broker"] = rabbit
        return found


@asynccontextmanager
async def system(offices: int, heap_mb: int) -> AsyncIterator[System]:
    """A fresh namespace, database server, intake and monitoring, `offices` loaded."""
    settings = Settings()
    with (
        TemporaryDirectory() as folder,
        mongo_server(Path(folder), heap_mb) as (mongo_url, mongo_pid),
    ):
        namespace = f"b{uuid.uuid4().hex[:8]}"
        ours = Settings(
            AMQP_URL=settings.amqp_url, MONGODB_URL=mongo_url, TIDTAM_NAMESPACE=namespace
        )
        topology = Topology(namespace)
        await declare_topology(ours.amqp_url, topology)
        services = {
            name: ServiceProcess(
                name,
                ours,
                Path(folder),
                env={"TIDTAM_MONGO_COMMANDS_FILE": str(Path(folder) / f"{name}-commands.json")},
            )
            for name in ("intake", "monitoring")
        }
        try:
            for process in services.values():
                process.start().wait_ready(120)
            started = time.perf_counter()
            reports = await loaded(services["monitoring"], offices)
            took = time.perf_counter() - started
            print(f"\n{offices} offices, {len(reports):,} units: set-up loaded in {took:.0f} s")
            yield System(ours, topology, services, mongo_pid, reports, Path(folder))
        finally:
            for process in services.values():
                process.stop()
            await delete_topology(ours.amqp_url, topology)


async def publish_round(found: System, count: int, limit_s: float) -> float:
    """Publish `count` submissions (every unit, then corrections); seconds until monitoring's
    dashboard counts every unit and its queues are empty."""
    bodies = submissions(found.reports, count)
    started = time.perf_counter()
    await publish_many(
        found.settings.amqp_url,
        found.topology.events_exchange,
        [("submission.submitted.v1", b) for b in bodies],
    )
    monitoring = found.services["monitoring"]
    while (units := await counted(monitoring)) < len(found.reports):
        if time.perf_counter() - started > limit_s:
            print(f"!! the dashboard counts {units:,} of {len(found.reports):,} after {limit_s} s")
            break
        await asyncio.sleep(0.5)
    await queues_empty(found.settings, "monitoring", limit_s)
    return time.perf_counter() - started


async def one_size(args: argparse.Namespace, offices: int) -> None:
    async with system(offices, args.heap) as found:
        await measure(args, found)


async def measure(args: argparse.Namespace, found: System) -> None:
    settings, topology, reports = found.settings, found.topology, found.reports
    pids = found.pids()
    before = {name: Usage.of(pid) for name, pid in pids.items()}
    sent_before = found.commands()
    count = round(len(reports) * 1.5)
    spent = await publish_round(found, count, args.timeout)
    after = {name: Usage.of(pid) for name, pid in pids.items()}
    sent = {
        name: difference(now, sent_before.get(name, {})) for name, now in found.commands().items()
    }
    print(
        f"round: {count:,} submissions ({count - len(reports):,} corrections) -> the "
        f"dashboard counts every unit; all applied in {spent:.1f} s: {count / spent:,.0f}/s"
    )
    for name in pids:
        cpu = (after[name].cpu_s - before[name].cpu_s) * 1000 / count
        rss = f"{before[name].rss_mb:5.0f} -> {after[name].rss_mb:5.0f} MB"
        print(f"  {name:<16} CPU {cpu:6.2f} ms/submission   RSS {rss}")
    for name, by in sent.items():
        print(
            f"  {name} Mongo commands per submission {sum(by.values()) / count:.2f} ("
            + ", ".join(f"{c} {n / count:.2f}" for c, n in sorted(by.items()))
            + ")"
        )
    steady = once_more(reports, "steady", min(args.steady, len(reports)))
    spent_ms = sorted(await latency(settings, topology, steady, args.rate))
    p99 = spent_ms[max(0, round(0.99 * len(spent_ms)) - 1)]
    print(
        f"latency at {args.rate:.0f}/s over {len(spent_ms)}: publish -> rates.updated.v1 p50 "
        f"{statistics.median(spent_ms):.0f} ms, p99 {p99:.0f} ms (goal p99 <= 1000 ms)"
    )
    queued = once_more(reports, "queued", len(reports))
    await catch_up(found, queued, args.timeout)


async def catch_up(found: System, bodies: list[bytes], limit_s: float) -> float:
    """Monitoring stopped while intake answers `bodies`, then started: prints how long its
    queues took to drain; the messages per second."""
    settings, monitoring = found.settings, found.services["monitoring"]
    monitoring.stop()
    await publish_many(
        settings.amqp_url,
        found.topology.events_exchange,
        [("submission.submitted.v1", b) for b in bodies],
    )
    await queues_empty(settings, "intake", limit_s)
    waiting = await ready_in(settings, "monitoring")
    started = time.perf_counter()
    monitoring.start().wait_ready(120)
    ready = time.perf_counter()
    at_ready = Usage.of(monitoring.process.pid).rss_mb if monitoring.process else 0.0
    await queues_empty(settings, "monitoring", limit_s)
    spent = time.perf_counter() - ready
    print(
        f"catch-up: {waiting:,} messages queued for monitoring while it was stopped, drained "
        f"{spent:.1f} s after it was ready ({ready - started:.1f} s to start): "
        f"{waiting / spent:,.0f}/s (goal: 30,000 in <= 30 s)"
    )
    if monitoring.process:
        print(
            f"  monitoring RSS when ready {at_ready:.0f} MB, after catching up "
            f"{Usage.of(monitoring.process.pid).rss_mb:.0f} MB"
        )
    return waiting / spent


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.round")
    parser.add_argument("--offices", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--steady", type=int, default=200, help="submissions at --rate")
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--heap", type=int, default=2048)
    parser.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args()
    for offices in args.offices:
        asyncio.run(one_size(args, offices))


if __name__ == "__main__":
    main()
