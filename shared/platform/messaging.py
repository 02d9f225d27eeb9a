"""Publishing and consuming on RabbitMQ: nothing silently lost, nothing dropped.

Consumers ack by hand through `ConsumePolicy`, a broker middleware:
- success: ack;
- input refused at the boundary (`shared.platform.limits`: size, media type, depth,
  integers, dates) by a consumer that can answer it (intake answers a submission with
  `submission.rejected.v1`): answered at once, then acked;
- a transient failure (`is_transient`: the database or the broker away or timing out, a
  `TransientError` a handler raises — a provider down, another process holding the work):
  copied into `<queue>.retry` with an attempt count and a growing expiry, which
  dead-letters it back into the queue; after `max_attempts` it goes to the dead-letter
  queue with the last error as its reason;
- anything else can never succeed by being tried again — refused input nobody can answer,
  the wrong shape, a value MongoDB cannot hold, `PermanentError`, a bug — and is copied at
  once, with no retry, into the queue's dead-letter queue with `x-tidtam-reason`
  (`malformed: …` for input, `failed: …` for the rest, to replay once fixed), then acked.
We count attempts ourselves so retries behave the same on RabbitMQ 3.10 and 4.x. A copy
is published with confirms before the original is acked, so a crash in between can only
duplicate, never lose; consumers are idempotent. The queue's own `x-delivery-limit`
dead-letters (with `x-death`) a message that kills its consumer again and again.
"""

import asyncio
import json
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

import aiormq
from aio_pika.abc import AbstractIncomingMessage
from bson.errors import InvalidDocument
from faststream._internal.context.repository import ContextRepo
from faststream.middlewares import BaseMiddleware
from faststream.rabbit import Channel, RabbitBroker, RabbitExchange
from pamqp import commands
from pydantic import ValidationError
from pymongo.errors import ConnectionFailure, PyMongoError

from shared.contracts.base import Contract, Envelope
from shared.platform.limits import InputRefused
from shared.platform.logs import correlation_id
from shared.platform.metrics import HANDLER_SECONDS, MESSAGES
from shared.platform.settings import Settings
from shared.platform.topology import Topology

log = logging.getLogger("tidtam.messaging")

ATTEMPT_HEADER = "x-tidtam-attempt"
REASON_HEADER = "x-tidtam-reason"
ERROR_HEADER = "x-tidtam-error"
QUEUE_HEADER = "x-tidtam-queue"
MAX_RETRY_DELAY_MS = 5 * 60 * 1000


class PermanentError(Exception):
    """Raised by a handler for input that no retry can fix; the message is dead-lettered."""


class TransientError(Exception):
    """Raised by a handler for a failure that may pass by itself (a provider down for now,
    another process holding the work): the message is retried with backoff."""


class PublishRefused(Exception):
    """The broker did not take a message: unroutable, or nacked by the broker."""


def is_malformed(error: BaseException) -> bool:
    """Input errors (decoding, validation, values no store can hold): the message is wrong."""
    return isinstance(
        error,
        PermanentError
        | InputRefused
        | ValidationError
        | json.JSONDecodeError
        | UnicodeDecodeError
        | OverflowError
        | RecursionError
        | InvalidDocument,
    )


def is_transient(error: BaseException) -> bool:
    """Only what time can heal is retried: the database or the broker unreachable, timing
    out or stepping down, an unconfirmed publish, and a handler's `TransientError`."""
    if isinstance(error, PyMongoError):
        return (
            isinstance(error, ConnectionFailure)  # AutoReconnect, NetworkTimeout, NotPrimary…
            or error.timeout
            or error.has_error_label("RetryableWriteError")
        )
    return isinstance(
        error,
        TransientError
        | PublishRefused
        | aiormq.exceptions.ChannelClosed
        | aiormq.exceptions.ChannelInvalidStateError
        | ConnectionError  # aiormq's AMQPConnectionError among them
        | TimeoutError,
    )


def make_broker(settings: Settings, topology: Topology, service: str) -> RabbitBroker:
    """A broker with a bounded prefetch, confirms, unroutable publishes raising, manual acks."""
    policy = ConsumePolicy(topology, settings.max_attempts, settings.retry_delay_ms)
    return RabbitBroker(
        settings.amqp_url,
        default_channel=Channel(prefetch_count=settings.prefetch, on_return_raises=True),
        app_id=f"tidtam-{service}",
        graceful_timeout=30.0,
        middlewares=[policy],
        logger=logging.getLogger(f"tidtam.{service}.broker"),
        # No FastDepends: a subscriber is called with what its decoder made (the kit's
        # validates the envelope itself): 0.47 -> 0.40 ms of CPU a message in bench.echo.
        apply_types=False,
        # FastStream logs "Received" and "Processed" for every message: two JSON lines a
        # message at INFO cost more than some handlers. At DEBUG they are there when wanted;
        # the metrics count every outcome, and failures are logged at WARNING and above.
        log_level=logging.DEBUG,
    )


async def publish_checked(via: Any, body: bytes | str, **options: Any) -> None:
    """Publish persistently with `mandatory` (through the broker or a declared publisher);
    raise unless the broker confirmed it."""
    try:
        confirmation = await via.publish(body, persist=True, mandatory=True, **options)
    except aiormq.exceptions.PublishError as error:
        raise PublishRefused(f"unroutable: {options.get('routing_key')!r}") from error
    if isinstance(confirmation, commands.Basic.Nack | commands.Basic.Return):
        raise PublishRefused(f"not confirmed: {confirmation!r}")


@dataclass
class EventPublisher:
    """Publishes envelopes to the events exchange, keyed by their type.

    A service publishes only the contracts it declared (its `PUBLISHES` table); each gets a
    FastStream publisher, so the service's AsyncAPI document lists what it publishes."""

    broker: RabbitBroker
    topology: Topology
    service: str = ""
    declared: dict[str, Any] = field(default_factory=dict)

    def declare(self, contracts: Sequence[type[Contract]]) -> None:
        for contract in contracts:
            if contract.ROUTING_KEY in self.declared:
                continue
            what = "sends the request" if contract.KIND == "request" else "publishes"
            self.declared[contract.ROUTING_KEY] = self.broker.publisher(
                exchange=self.topology.rabbit_exchange(),
                routing_key=contract.ROUTING_KEY,
                title=f"{self.service}: {contract.ROUTING_KEY}",
                description=f"{self.service} {what} {contract.ROUTING_KEY}: {contract.__doc__}",
                schema=Envelope[contract],  # type: ignore[valid-type]
                persist=True,
            )

    async def publish(self, envelope: Envelope[Any]) -> None:
        publisher = self.declared.get(envelope.type)
        if publisher is None:
            raise PublishRefused(
                f"{self.service or 'this service'} does not declare {envelope.type!r} "
                "in its PUBLISHES table"
            )
        await publish_checked(
            publisher,
            envelope.model_dump_json(),
            routing_key=envelope.type,
            message_id=str(envelope.event_id),
            correlation_id=envelope.correlation_id,
            content_type="application/json",
            headers={"x-tidtam-producer": envelope.producer},
        )


class ConsumePolicy:
    """Broker middleware factory: one `_Outcome` per delivered message."""

    def __init__(self, topology: Topology, max_attempts: int, retry_delay_ms: int) -> None:
        self.topology = topology
        self.max_attempts = max_attempts
        self.retry_delay_ms = retry_delay_ms

    def __call__(self, msg: Any, /, *, context: ContextRepo) -> "_Outcome":
        return _Outcome(msg, context=context, policy=self)


class _Outcome(BaseMiddleware):
    """Acks, retries or dead-letters one message once its handler has finished."""

    def __init__(self, msg: Any, /, *, context: ContextRepo, policy: ConsumePolicy) -> None:
        super().__init__(msg, context=context)
        self.policy = policy
        self.started: float | None = None

    async def on_receive(self) -> None:
        message: AbstractIncomingMessage = self.msg  # type: ignore[assignment]
        correlation_id.set(message.correlation_id)
        self.started = time.perf_counter()

    async def after_processed(
        self,
        exc_type: type[BaseException] | None = None,
        exc_val: BaseException | None = None,
        exc_tb: TracebackType | None = None,
    ) -> bool:
        message: AbstractIncomingMessage = self.msg  # type: ignore[assignment]
        if exc_val is None:
            await message.ack()
            self._measure("acked")
            return False
        if isinstance(exc_val, asyncio.CancelledError):
            return False  # shutting down: unacked, the broker gives it to the next consumer
        queue = self._queue_name()
        attempt = _attempt(message)
        reason = f"{type(exc_val).__name__}: {exc_val}"[:2000]
        try:
            if isinstance(exc_val, InputRefused) and exc_val.answer is not None:
                await exc_val.answer()
                outcome = "answered"
            elif is_malformed(exc_val):
                await self._dead_letter(message, queue, f"malformed: {reason}", attempt)
                outcome = "dead_lettered"
            elif not is_transient(exc_val):
                log.error("not retried: %s", reason, exc_info=exc_val)
                await self._dead_letter(message, queue, f"failed: {reason}", attempt)
                outcome = "dead_lettered"
            elif attempt >= self.policy.max_attempts:
                await self._dead_letter(
                    message, queue, f"failed after {attempt} attempts: {reason}", attempt
                )
                outcome = "dead_lettered"
            else:
                await self._retry(message, queue, attempt, reason)
                outcome = "retried"
        except Exception:
            log.exception("could not retry or dead-letter; returning the message to its queue")
            await message.nack(requeue=True)
            self._measure("requeued")
            return True
        await message.ack()
        self._measure(outcome)
        return True

    def _measure(self, outcome: str) -> None:
        try:
            queue = self._queue_name()
        except Exception:  # FastStream's in-memory broker of the unit tests has no queue
            return
        MESSAGES.labels(queue, outcome).inc()
        if self.started is not None:
            HANDLER_SECONDS.labels(queue).observe(time.perf_counter() - self.started)

    def _queue_name(self) -> str:
        """The queue this delivery came from: FastStream puts its subscriber in the context."""
        subscriber = self.context.get("handler_")
        return str(subscriber.queue.name)

    def _copy(self, message: AbstractIncomingMessage, extra: dict[str, Any]) -> dict[str, Any]:
        headers = {k: v for k, v in (message.headers or {}).items() if k != "x-death"}
        headers.update(extra)
        return {
            "headers": headers,
            "message_id": message.message_id,
            "correlation_id": message.correlation_id,
            "content_type": message.content_type,
        }

    async def _dead_letter(
        self, message: AbstractIncomingMessage, queue: str, reason: str, attempt: int
    ) -> None:
        log.error("dead-lettered", extra={"queue": queue, "reason": reason})
        options = self._copy(
            message,
            {REASON_HEADER: reason, QUEUE_HEADER: queue, ATTEMPT_HEADER: attempt},
        )
        exchange = RabbitExchange(self.policy.topology.dead_letter_exchange, declare=False)
        await publish_checked(
            self.context.get("broker"),
            message.body,
            exchange=exchange,
            routing_key=queue,
            **options,
        )

    async def _retry(
        self, message: AbstractIncomingMessage, queue: str, attempt: int, reason: str
    ) -> None:
        delay = min(self.policy.retry_delay_ms * 2 ** (attempt - 1), MAX_RETRY_DELAY_MS)
        log.warning(
            "will retry",
            extra={"queue": queue, "attempt": attempt, "delay_ms": delay, "error": reason},
        )
        options = self._copy(
            message, {ATTEMPT_HEADER: attempt + 1, ERROR_HEADER: reason, QUEUE_HEADER: queue}
        )
        await publish_checked(
            self.context.get("broker"),
            message.body,
            routing_key=self.policy.topology.retry_queue(queue),
            expiration=delay / 1000,
            **options,
        )


def _attempt(message: AbstractIncomingMessage) -> int:
    """Which delivery attempt this is, by our header (absent on the first)."""
    value = (message.headers or {}).get(ATTEMPT_HEADER, 1)
    return value if isinstance(value, int) and value >= 1 else 1
