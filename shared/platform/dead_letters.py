"""Dead letters read, replayed and purged over AMQP, each confirmed before its copy is acked.

Replay sends a dead message back to the queue it died in (its `x-tidtam-queue` header, else
the dead-letter queue's name without `.dlq`), through the default exchange, so only the
consumer that failed sees it again, without our attempt, reason and error headers: a fresh
attempt count. Safe because every consumer is idempotent by a business key."""

import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aio_pika
from aio_pika.abc import AbstractChannel, AbstractIncomingMessage

from shared.platform.messaging import ATTEMPT_HEADER, ERROR_HEADER, QUEUE_HEADER, REASON_HEADER

REPLAYED_HEADER = "x-tidtam-replayed-at"
_DROPPED = {ATTEMPT_HEADER, ERROR_HEADER, REASON_HEADER, QUEUE_HEADER, "x-death"}


@dataclass(frozen=True)
class DeadLetter:
    """A dead message, decoded for an operator."""

    message_id: str
    event_type: str
    ids: dict[str, str]
    correlation_id: str
    reason: str
    attempts: int | None
    died_in: str
    dead_at: str
    body: bytes
    headers: dict[str, Any]

    def matches(self, wanted: str) -> bool:
        return wanted in (self.message_id, *self.ids.values())


def decode(message: AbstractIncomingMessage, dlq: str) -> DeadLetter:
    headers: dict[str, Any] = dict(message.headers or {})
    try:
        envelope = json.loads(message.body)
    except (json.JSONDecodeError, UnicodeDecodeError):
        envelope = None
    data = envelope.get("data") if isinstance(envelope, dict) else None
    ids = {
        k: str(v)
        for k, v in (data or {}).items()
        if isinstance(v, str | int) and (k.endswith("_id") or k in ("unit_code", "code"))
    }
    if isinstance(envelope, dict) and envelope.get("event_id"):
        ids["event_id"] = str(envelope["event_id"])
    deaths: Any = headers.get("x-death") or []
    died = deaths[0].get("time") if deaths and isinstance(deaths[0], dict) else None
    attempts = headers.get(ATTEMPT_HEADER)
    return DeadLetter(
        message_id=str(message.message_id or ids.get("event_id", "")),
        event_type=str(envelope.get("type", "?")) if isinstance(envelope, dict) else "not JSON",
        ids=ids,
        correlation_id=str(
            message.correlation_id
            or (envelope.get("correlation_id", "") if isinstance(envelope, dict) else "")
        ),
        reason=str(headers.get(REASON_HEADER) or "dead-lettered by the broker (x-death)"),
        attempts=attempts if isinstance(attempts, int) else None,
        died_in=str(headers.get(QUEUE_HEADER) or dlq.removesuffix(".dlq")),
        dead_at=str(died or message.timestamp or ""),
        body=message.body,
        headers=headers,
    )


@asynccontextmanager
async def channel_to(amqp_url: str) -> AsyncIterator[AbstractChannel]:
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        yield await connection.channel(publisher_confirms=True, on_return_raises=True)


async def show(amqp_url: str, dlq: str, limit: int = 1000) -> list[DeadLetter]:
    """The dead messages, read and put back (unchanged, still dead)."""
    async with channel_to(amqp_url) as channel:
        queue = await channel.declare_queue(dlq, passive=True)
        taken: list[AbstractIncomingMessage] = []
        while len(taken) < limit and (message := await queue.get(fail=False)) is not None:
            taken.append(message)
        letters = [decode(m, dlq) for m in taken]
        for message in taken:
            await message.nack(requeue=True)
    return letters


async def replay(
    amqp_url: str,
    dlq: str,
    wanted: str | None,
    on_each: Callable[[DeadLetter], None] = lambda _: None,
) -> int:
    """Send dead messages back to their queue (all, or those whose id is `wanted`)."""
    replayed = 0
    async with channel_to(amqp_url) as channel:
        queue = await channel.declare_queue(dlq, passive=True)
        total = queue.declaration_result.message_count or 0
        kept: list[AbstractIncomingMessage] = []
        for _ in range(total):
            message = await queue.get(fail=False)
            if message is None:
                break
            letter = decode(message, dlq)
            if wanted is not None and not letter.matches(wanted):
                kept.append(message)
                continue
            headers = {k: v for k, v in letter.headers.items() if k not in _DROPPED}
            headers[REPLAYED_HEADER] = datetime.now(UTC).isoformat()
            await channel.default_exchange.publish(
                aio_pika.Message(
                    message.body,
                    headers=headers,
                    content_type=message.content_type,
                    correlation_id=message.correlation_id,
                    message_id=message.message_id,
                    delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                ),
                routing_key=letter.died_in,
                mandatory=True,
            )
            await message.ack()
            replayed += 1
            on_each(letter)
        for message in kept:
            await message.nack(requeue=True)
    return replayed


async def purge(amqp_url: str, dlq: str, into: Path) -> int:
    """Take every dead message, writing each to `into` (JSON lines) before it is acked."""
    purged = 0
    async with channel_to(amqp_url) as channel:
        queue = await channel.declare_queue(dlq, passive=True)
        with into.open("a", encoding="utf-8") as out:
            while (message := await queue.get(fail=False)) is not None:
                letter = decode(message, dlq)
                record = {
                    "queue": dlq,
                    "message_id": letter.message_id,
                    "type": letter.event_type,
                    "reason": letter.reason,
                    "headers": {k: str(v) for k, v in letter.headers.items()},
                    "body": message.body.decode("utf-8", errors="replace"),
                }
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
                out.flush()
                await message.ack()
                purged += 1
    return purged
