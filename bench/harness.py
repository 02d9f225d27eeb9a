"""What the throughput benches share: a dedicated database server, the raw ceilings measured
in the same run (the broker's consume+ack, the server's inserts and upserts), processes'
CPU and memory, and publishing many events with confirms kept in flight."""

import asyncio
import contextlib
import json
import os
import subprocess
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aio_pika
from pymongo import UpdateOne

from shared.platform.mongo import make_client
from shared.platform.settings import Settings
from shared.platform.topology import Topology
from tests import servers

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Usage:
    """A process's CPU seconds (user + system) and resident memory at one moment."""

    cpu_s: float
    rss_mb: float

    @staticmethod
    def of(pid: int) -> "Usage":
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
        rss = 0.0
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) / 1024
        return Usage(cpu, rss)


def broker_pid() -> int | None:
    """RabbitMQ's Erlang VM on this machine, if it runs here."""
    found = subprocess.run(["pgrep", "-f", "beam.smp.*rabbit"], capture_output=True, text=True)
    pids = [int(p) for p in found.stdout.split()]
    return pids[0] if pids else None


@contextlib.contextmanager
def mongo_server(folder: Path, heap_mb: int, store: str = "memory") -> Iterator[tuple[str, int]]:
    """A mongo-java-server of the bench's own (its Java heap bounded): (url, pid)."""
    h2 = folder / "bench.mv.db" if store == "h2" else None
    with servers.mongo_server(folder, f"{heap_mb}m", h2) as found:
        yield found


async def publish_many(
    amqp_url: str, exchange: str, messages: Sequence[tuple[str, bytes]], in_flight: int = 100
) -> float:
    """Publish (routing key, body) persistently with confirms, `in_flight` at a time; seconds."""
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        target = await channel.get_exchange(exchange) if exchange else channel.default_exchange
        gate = asyncio.Semaphore(in_flight)

        async def one(routing_key: str, body: bytes) -> None:
            async with gate:
                message = aio_pika.Message(
                    body,
                    content_type="application/json",
                    delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                )
                await target.publish(message, routing_key=routing_key)

        started = time.perf_counter()
        await asyncio.gather(*(one(key, body) for key, body in messages))
        return time.perf_counter() - started


async def raw_broker(amqp_url: str, count: int) -> tuple[float, float]:
    """The broker's own ceiling in this run: publish+confirm and consume+ack of `count`
    persistent 1 KB messages on a quorum queue (prefetch 100), per second."""
    name = f"bench-raw-{uuid.uuid4().hex[:8]}"
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        await channel.set_qos(prefetch_count=100)
        queue = await channel.declare_queue(
            name, durable=True, arguments={"x-queue-type": "quorum"}
        )
        body = b"x" * 1024
        published = await publish_many(amqp_url, "", [(name, body)] * count)
        done = asyncio.Event()
        seen = 0

        async def take(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            nonlocal seen
            await message.ack()
            seen += 1
            if seen == count:
                done.set()

        started = time.perf_counter()
        tag = await queue.consume(take)
        await done.wait()
        consumed = time.perf_counter() - started
        await queue.cancel(tag)
        await queue.delete(if_unused=False, if_empty=False)
    return count / published, count / consumed


async def mongo_ceiling(url: str, count: int, in_flight: int = 32) -> dict[str, float]:
    """The database server's own ceiling in this run, per second: `insert_one`, `update_one`
    upserts by `_id`, `find_one` by `_id` (each `in_flight` at a time), and 1,000-upsert
    `bulk_write`s."""
    client = make_client(url)
    db = client[f"bench_raw_{uuid.uuid4().hex[:8]}"]
    gate = asyncio.Semaphore(in_flight)
    document = {"unit_code": "1084000000", "values": {"text": "ก" * 600}}

    async def rate(call: Any) -> float:
        async def one(i: int) -> None:
            async with gate:
                await call(i)

        started = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(count)))
        return count / (time.perf_counter() - started)

    figures = {
        "insert": await rate(lambda i: db.a.insert_one({"_id": i, **document})),
        "upsert": await rate(
            lambda i: db.b.update_one({"_id": i % 1000}, {"$inc": {"n": 1}}, upsert=True)
        ),
        "find": await rate(lambda i: db.a.find_one({"_id": i})),
    }
    started = time.perf_counter()
    for start in range(0, count, 1000):
        await db.c.bulk_write(
            [
                UpdateOne({"_id": i}, {"$set": document}, upsert=True)
                for i in range(start, start + 1000)
            ]
        )
    figures["bulk upsert"] = count / (time.perf_counter() - started)
    await client.drop_database(db.name)
    await client.close()
    return figures


def commands_of(path: Path) -> dict[str, int]:
    """What a service's `TIDTAM_MONGO_COMMANDS_FILE` says it has sent so far."""
    with contextlib.suppress(FileNotFoundError, json.JSONDecodeError):
        return {k: int(v) for k, v in json.loads(path.read_text()).items()}
    return {}


def difference(after: dict[str, int], before: dict[str, int]) -> dict[str, int]:
    return {k: after[k] - before.get(k, 0) for k in after if after[k] - before.get(k, 0)}


async def ready_in(settings: Settings, service: str) -> int:
    """Messages ready in a service's queues, exactly (passive declares; the management API's
    figures are sampled every few seconds)."""
    topology = Topology(settings.namespace)
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel()
        total = 0
        for name in topology.consumer_queues():
            if name.startswith(f"{settings.namespace}.{service}."):
                declared = await channel.declare_queue(name, passive=True)
                total += declared.declaration_result.message_count or 0
        return total


async def queues_empty(settings: Settings, service: str, timeout: float) -> None:  # noqa: ASYNC109
    """Until nothing is ready in the service's queues twice in a row, a second apart."""
    deadline, empty = time.monotonic() + timeout, 0
    while time.monotonic() < deadline and empty < 2:
        empty = empty + 1 if await ready_in(settings, service) == 0 else 0
        await asyncio.sleep(1 if empty else 0.2)
    if empty < 2:
        raise TimeoutError(f"{service}'s queues not empty in {timeout} s")
