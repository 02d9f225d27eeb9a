"""What the retired `<ns>.outbound.notifications` queue still holds goes to the notifier.

Before the notifier existed, reminders, escalations and overdue recommendations waited in
that queue. At start the notifier republishes each to the events exchange under its own
routing key (so into the notifier's queues) with a confirm, acks it, and deletes the queue
once empty. Nothing is lost: a crash in between only duplicates, and notices are keyed."""

import logging

import aio_pika
import aiormq

from shared.platform.topology import RETIRED_OUTBOUND, Topology

log = logging.getLogger("tidtam.notifier.legacy")


async def drain_retired_outbound(amqp_url: str, topology: Topology) -> int:
    """Move every message of the retired outbound queues; how many were moved."""
    moved = 0
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        for name, routing_keys in RETIRED_OUTBOUND.items():
            channel = await connection.channel(publisher_confirms=True)
            queue_name = topology.outbound_queue(name)
            try:
                queue = await channel.declare_queue(queue_name, passive=True)
            except aiormq.exceptions.ChannelNotFoundEntity:
                continue  # never existed here, or drained already
            events = await channel.get_exchange(topology.events_exchange, ensure=False)
            for routing_key in routing_keys:  # or what is moved comes straight back
                await queue.unbind(events, routing_key)
            while (message := await queue.get(fail=False, no_ack=False)) is not None:
                await events.publish(
                    aio_pika.Message(
                        message.body,
                        headers=message.headers,
                        content_type=message.content_type,
                        correlation_id=message.correlation_id,
                        message_id=message.message_id,
                        delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                    ),
                    routing_key=message.routing_key or "",
                    mandatory=True,
                )
                await message.ack()
                moved += 1
            # Unbound above, so nothing arrives any more (quorum queues refuse if_empty).
            left = await channel.declare_queue(queue_name, passive=True)
            if not left.declaration_result.message_count:
                await channel.queue_delete(queue_name)
            log.info("moved %d messages out of %s and deleted it", moved, queue_name)
    return moved
