"""The operator's use cases: the queues and the services at a glance, dead letters shown,
replayed and purged. The broker work is shared with `python -m services.ops`
(`shared.platform.queues`, `shared.platform.dead_letters`)."""

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from services.console.domain.operations import PURGE_MISMATCH, PURGE_MISMATCH_TH, ServiceHealth
from shared.contracts.refusals import Refusal
from shared.platform.dead_letters import DeadLetter
from shared.platform.queues import QueueFigures
from shared.platform.topology import Topology


class Operations(Protocol):
    """RabbitMQ (its management API and AMQP) and the services' health endpoints."""

    namespace: str

    async def queues(self) -> list[QueueFigures]: ...
    async def health(self) -> list[ServiceHealth]: ...
    async def dead_letters(self, queue: str) -> list[DeadLetter]: ...
    async def replay(self, queue: str, wanted: str | None) -> int: ...
    async def purge(self, queue: str) -> tuple[int, Path]: ...


@dataclass(frozen=True)
class Overview:
    """The operator page: every queue (non-empty DLQs first) and every service."""

    queues: Sequence[QueueFigures]
    services: Sequence[ServiceHealth]
    queues_error: str | None = None

    @property
    def dead(self) -> list[QueueFigures]:
        return [q for q in self.queues if q.dead_letters and q.ready + q.unacked]


async def overview(ops: Operations) -> Overview:
    """Queues and services read together; a management API that does not answer is said
    on the page, beside the services' readiness, rather than failing the page."""
    found, services = await asyncio.gather(ops.queues(), ops.health(), return_exceptions=True)
    healths = services if isinstance(services, list) else []
    if isinstance(found, BaseException):
        return Overview((), healths, queues_error=f"{type(found).__name__}: {found}")
    return Overview(found, healths)


def dead_letter_queue(ops: Operations, queue: str) -> str:
    """The full name of one of the namespace's dead-letter queues, or a 404 refusal: the
    page never reads, replays or purges any other queue."""
    topology = Topology(ops.namespace)
    full = queue if queue.startswith(f"{ops.namespace}.") else f"{ops.namespace}.{queue}"
    if full not in {topology.dead_letter_queue(q) for q in topology.consumer_queues()}:
        raise Refusal.of(
            "queue", "not_found", f"no dead-letter queue {queue}", "not_found",
            message_th=f"ไม่มีคิวข้อความที่ล้มเหลว {queue}",
        )  # fmt: skip
    return full


async def show_dead(ops: Operations, queue: str) -> tuple[str, list[DeadLetter]]:
    """The dead messages of a dead-letter queue, decoded (they stay where they are)."""
    full = dead_letter_queue(ops, queue)
    return full, await ops.dead_letters(full)


async def replay_dead(ops: Operations, queue: str, wanted: str | None) -> int:
    """Send one dead message (by any of its ids), or all, back to the queue it died in."""
    return await ops.replay(dead_letter_queue(ops, queue), wanted or None)


async def purge_dead(ops: Operations, queue: str, typed: str) -> tuple[int, Path]:
    """Delete every dead message once the queue's name is typed; they are written to a
    file first (its path is returned)."""
    full = dead_letter_queue(ops, queue)
    if typed.strip() not in (full, full.removeprefix(f"{ops.namespace}.")):
        raise Refusal.of(
            "confirm", "mismatch", PURGE_MISMATCH, "invalid", message_th=PURGE_MISMATCH_TH
        )
    return await ops.purge(full)
