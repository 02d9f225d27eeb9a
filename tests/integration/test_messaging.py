"""The shared messaging rules on a real broker: retry, dead-letter, refuse unroutable."""

import asyncio
from typing import Any

import aiormq
import pytest
from faststream.rabbit.annotations import RabbitMessage
from pymongo.errors import DuplicateKeyError, ServerSelectionTimeoutError

from shared.contracts import RoundProgressUpdated
from shared.platform.messaging import (
    ATTEMPT_HEADER,
    PublishRefused,
    TransientError,
    is_transient,
    make_broker,
    publish_checked,
)
from shared.platform.settings import Settings
from shared.platform.topology import RETIRED, Topology, declare_topology
from tests.support import amqp_channel, eventually, publish, take_all

pytestmark = pytest.mark.integration

KEY = RoundProgressUpdated.ROUTING_KEY
BODY = {
    "event_id": "5b0f4c1e-0000-4000-8000-000000000001",
    "type": KEY,
    "schema_version": 1,
    "occurred_at": "2026-11-26T10:00:00Z",
    "correlation_id": "c-9",
    "producer": "monitoring",
    "data": {
        "round_id": "2570-Q1",
        "unit_code": "1084200101",
        "received": 1,
        "rejected": 0,
        "late": 0,
        "updated_at": "2026-11-26T10:00:00Z",
    },
}

DATABASE_AWAY = ConnectionError("database away")


async def _consume_with(
    settings: Settings, fail_times: int, error: Exception = DATABASE_AWAY
) -> tuple[list[int], str]:
    """Run a subscriber that fails `fail_times` times with `error`; return the attempts it
    saw."""
    topology = Topology(settings.namespace)
    consumer = topology.consumer("reporting", KEY)
    broker = make_broker(settings, topology, "test")
    seen: list[int] = []

    @broker.subscriber(topology.rabbit_queue(consumer), topology.rabbit_exchange())
    async def flaky(body: dict[str, Any]) -> None:
        # The broker injects nothing (the kit validates envelopes): the delivery is in the
        # context FastStream keeps per message.
        message: RabbitMessage = broker.context.get_local("message")
        seen.append(int((message.headers or {}).get(ATTEMPT_HEADER, 1)))
        if len(seen) <= fail_times:
            raise error

    await broker.start()
    try:
        async with amqp_channel(settings.amqp_url) as channel:
            await publish(channel, topology.events_exchange, KEY, BODY)
            expected = min(fail_times + 1, 3) if is_transient(error) else 1
            await eventually(lambda: asyncio.sleep(0, len(seen)), lambda n: n >= expected)
            await asyncio.sleep(0.3)
    finally:
        await broker.stop()
    return seen, topology.queue(consumer)


async def test_a_transient_failure_is_retried_until_it_succeeds(settings: Settings) -> None:
    seen, _ = await _consume_with(settings, fail_times=2)
    assert seen == [1, 2, 3]


async def test_what_keeps_failing_ends_in_the_dead_letter_queue(settings: Settings) -> None:
    seen, queue = await _consume_with(settings, fail_times=99)
    assert seen == [1, 2, 3]  # TIDTAM_MAX_ATTEMPTS=3 in tests
    async with amqp_channel(settings.amqp_url) as channel:
        dead = await take_all(channel, Topology.dead_letter_queue(queue))
    assert len(dead) == 1
    reason = str(dead[0].headers["x-tidtam-reason"])
    assert reason.startswith("failed after 3 attempts: ConnectionError: database away")


@pytest.mark.parametrize(
    "error",
    [ServerSelectionTimeoutError("no primary"), TransientError("the provider is down")],
)
async def test_the_database_away_or_a_declared_transient_failure_is_retried(
    settings: Settings, error: Exception
) -> None:
    seen, _ = await _consume_with(settings, fail_times=1, error=error)
    assert seen == [1, 2]


@pytest.mark.parametrize(
    ("error", "reason"),
    [
        (KeyError("unit_code"), "failed: KeyError: 'unit_code'"),
        (DuplicateKeyError("E11000 duplicate key"), "failed: DuplicateKeyError: E11000"),
        (OverflowError("MongoDB can only handle up to 8-byte ints"), "malformed: OverflowError"),
    ],
)
async def test_what_no_retry_can_fix_is_dead_lettered_at_once(
    settings: Settings, error: Exception, reason: str
) -> None:
    """A bug or a value no store can hold fails the same way every time: dead-lettered on
    its first delivery with its reason (to replay once fixed), never retried."""
    seen, queue = await _consume_with(settings, fail_times=99, error=error)
    async with amqp_channel(settings.amqp_url) as channel:
        dead = await eventually(
            lambda: take_all(channel, Topology.dead_letter_queue(queue)), lambda m: len(m) == 1
        )
    assert seen == [1]
    assert str(dead[0].headers["x-tidtam-reason"]).startswith(reason)
    assert dead[0].headers[ATTEMPT_HEADER] == 1


async def test_an_unroutable_publish_is_an_error(settings: Settings) -> None:
    topology = Topology(settings.namespace)
    broker = make_broker(settings, topology, "test")
    await broker.connect()
    try:
        with pytest.raises(PublishRefused):
            await publish_checked(
                broker, b"{}", exchange=topology.rabbit_exchange(), routing_key="nobody.listens.v1"
            )
    finally:
        await broker.stop()


async def test_queues_of_retired_consumers_are_deleted_at_start(settings: Settings) -> None:
    topology = Topology(settings.namespace)
    retired = topology.queue(RETIRED[0])
    async with amqp_channel(settings.amqp_url) as channel:
        await channel.declare_queue(retired, durable=True)
    await declare_topology(settings.amqp_url, topology)
    async with amqp_channel(settings.amqp_url) as channel:
        with pytest.raises(aiormq.exceptions.ChannelNotFoundEntity):
            await channel.declare_queue(retired, passive=True)
