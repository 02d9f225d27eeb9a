"""`<ns>.outbound.*` is bounded (nothing of ours consumes it): the oldest go past the
bound; a queue declared unbounded by an older release is replaced when empty, and kept
with its messages (not lost, not failing the start) when it still holds some."""

import aio_pika
import pytest

from shared.platform.settings import Settings
from shared.platform.topology import OUTBOUND_MAX_LENGTH, Topology, declare_topology
from tests.support import amqp_channel, queue_depth

pytestmark = pytest.mark.integration


async def test_an_outbound_queue_is_bounded_and_an_old_one_replaced_when_empty(
    settings: Settings,
) -> None:
    topology = Topology(settings.namespace)
    name = topology.outbound_queue("reports")
    async with amqp_channel(settings.amqp_url) as channel:
        # Declared with the bound already: redeclaring with other arguments is refused.
        with pytest.raises(aio_pika.exceptions.ChannelPreconditionFailed):
            await channel.declare_queue(name, durable=True, arguments={"x-queue-type": "quorum"})
    async with amqp_channel(settings.amqp_url) as channel:
        await channel.queue_delete(name)
        await channel.declare_queue(name, durable=True, arguments={"x-queue-type": "quorum"})
    await declare_topology(settings.amqp_url, topology)  # replaces the empty unbounded one
    async with amqp_channel(settings.amqp_url) as channel:
        same = await channel.declare_queue(
            name, durable=True, arguments=topology.outbound_arguments()
        )
        assert same.name == name and OUTBOUND_MAX_LENGTH > 0


async def test_an_old_unbounded_outbound_queue_with_messages_is_kept(settings: Settings) -> None:
    topology = Topology(settings.namespace)
    name = topology.outbound_queue("reports")
    async with amqp_channel(settings.amqp_url) as channel:
        await channel.queue_delete(name)
        await channel.declare_queue(name, durable=True, arguments={"x-queue-type": "quorum"})
        await channel.default_exchange.publish(aio_pika.Message(b"{}"), routing_key=name)
    await declare_topology(settings.amqp_url, topology)  # does not fail, loses nothing
    async with amqp_channel(settings.amqp_url) as channel:
        assert await queue_depth(channel, name) == 1
        await channel.queue_delete(name)
