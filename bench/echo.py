"""The ceilings an intake has on this machine: a consumer of intake's queue that answers each
submission at once, without validating or storing it.

    python -m bench.echo kit   # a service of the kit (FastStream, the input boundary, the
                               # consume policy, an envelope published with confirms)
    python -m bench.echo raw   # aio-pika alone: the body published back as the answer

Both take the usual settings from the environment (`AMQP_URL`, `TIDTAM_NAMESPACE`, …) and
consume intake's `submission.submitted.v1` queue; intake itself must not run. `bench.intake`
runs each after intake, on the same submissions, so its figures stand beside what the
broker and the framework allow in the same run.
"""

import asyncio
import sys
import uuid
from datetime import UTC, datetime
from typing import Any

import aio_pika
from fastapi import FastAPI

from shared.contracts import Envelope
from shared.contracts.intake import SubmissionAccepted, SubmissionSubmitted
from shared.platform.kit import Service, assemble_service
from shared.platform.service import Runtime, build_runtime, run_service
from shared.platform.settings import Settings
from shared.platform.topology import Topology


async def on_submission_submitted(envelope: Envelope[dict[str, Any]], ports: Runtime) -> None:
    """Answers every submission as accepted, with its own payload."""
    answer = Envelope[dict[str, Any]](
        event_id=uuid.uuid4(),
        type=SubmissionAccepted.ROUTING_KEY,
        schema_version=SubmissionAccepted.schema_version(),
        occurred_at=datetime.now(UTC),
        correlation_id=envelope.correlation_id,
        producer="bench-echo",
        data=envelope.data,
    )
    await ports.publisher.publish(answer)


def bootstrap(settings: Settings) -> FastAPI:
    runtime = build_runtime("intake", settings)
    service = Service(
        name="intake",
        title="Echo",
        description="Answers every submission at once (bench.echo).",
        consumes={SubmissionSubmitted: on_submission_submitted},
        publishes=(SubmissionAccepted,),
        ports=runtime,
    )
    return assemble_service(runtime, service)


async def raw(settings: Settings) -> None:
    """Consume intake's queue; publish each body back as `submission.accepted.v1`, with a
    confirm, then ack it. Prints `ready` once consuming."""
    topology = Topology(settings.namespace)
    queue_name = topology.queue(topology.consumer("intake", SubmissionSubmitted.ROUTING_KEY))
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True)
        await channel.set_qos(prefetch_count=settings.prefetch)
        exchange = await channel.get_exchange(topology.events_exchange)
        queue = await channel.declare_queue(queue_name, passive=True)

        async def answer(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            reply = aio_pika.Message(
                message.body,
                content_type="application/json",
                delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            )
            await exchange.publish(reply, routing_key=SubmissionAccepted.ROUTING_KEY)
            await message.ack()

        await queue.consume(answer)
        print("ready", flush=True)
        await asyncio.Future()


def main() -> None:
    kind = sys.argv[1] if len(sys.argv) > 1 else "kit"
    if kind == "raw":
        asyncio.run(raw(Settings()))
    else:
        run_service("intake", bootstrap)


if __name__ == "__main__":
    main()
