"""Rebuild monitoring's read models from intake's stored submissions.

    python -m services.monitoring.replay [--within SECONDS]

Empties the read models (the officer's problem resolutions stay), recomputes what the set-up
alone says, asks intake to republish every stored submission event
(`submission.replay-requested.v1`), shows the progress while the running monitoring service
consumes them, then recomputes every round once more from the rebuilt submissions. Monitoring
never reads intake's database: the events are the only way in, as they were the first time.
"""

import argparse
import asyncio
import sys
import time
import uuid
from typing import TextIO

import aio_pika

from services.monitoring.adapters.read_models import MongoReadModels
from services.monitoring.bootstrap import NAME, mongo_ports
from services.monitoring.entrypoints.amqp import PUBLISHES
from services.monitoring.handlers.refresh import refresh_round
from shared.contracts import make_envelope
from shared.contracts.intake import ReplayRequested, SubmissionAccepted, SubmissionReviewed
from shared.platform.messaging import EventPublisher, make_broker
from shared.platform.mongo import make_client
from shared.platform.settings import Settings
from shared.platform.topology import Topology

QUIET_SECONDS = 3.0
NOTHING_AFTER_SECONDS = 10.0  # intake holds no submission at all: nothing will come


async def _depth(channel: aio_pika.abc.AbstractChannel, queues: list[str]) -> int:
    total = 0
    for name in queues:
        declared = await channel.declare_queue(name, passive=True)
        total += declared.declaration_result.message_count or 0
    return total


async def replay(settings: Settings, within: float, out: TextIO = sys.stderr) -> int:
    """Run a replay; returns how many submissions the read models hold again."""
    topology = Topology(settings.namespace)
    client = make_client(settings.mongodb_url)
    db = client[settings.database_of(NAME)]
    read = MongoReadModels(db)
    broker = make_broker(settings, topology, "replay")
    # A monitoring process: it publishes what monitoring declares, and nothing else.
    publisher = EventPublisher(broker, topology, NAME)
    publisher.declare(PUBLISHES)
    await broker.connect()
    try:
        await read.drop()
        ports = mongo_ports(db, publisher.publish, settings)
        # First what the set-up alone says (who is expected), as a derive does...
        for round_ in await ports.setup.search("round"):
            await refresh_round(round_.key, ports, projects=True)
        # ...then every submission event again, as it came the first time.
        await _request(publisher)
        queues = [
            topology.queue(topology.consumer("monitoring", key))
            for key in (SubmissionAccepted.ROUTING_KEY, SubmissionReviewed.ROUTING_KEY)
        ]
        rebuilt = await _follow(settings.amqp_url, queues, read, within, out)
        # Last, every round once more from the rebuilt submissions: whatever order the
        # events were consumed in by however many processes, the rows end from one read.
        for round_ in await ports.setup.search("round"):
            await refresh_round(round_.key, ports, projects=True)
        return rebuilt
    finally:
        await broker.stop()
        await client.close()


async def _request(publisher: EventPublisher) -> None:
    request = ReplayRequested(requested_by=NAME, request_id=uuid.uuid4().hex)
    await publisher.publish(
        make_envelope(request, producer=NAME, correlation_id=f"replay-{request.request_id}")
    )


async def _follow(
    url: str, queues: list[str], read: MongoReadModels, within: float, out: TextIO
) -> int:
    """Show progress until nothing waits in the queues and the read models stop changing.

    Ready messages alone say little (a consumer holds up to its prefetch unacknowledged),
    so the read models' own activity — how many submissions, how many recomputations —
    must also stand still for a few seconds.
    """
    connection = await aio_pika.connect(url)
    async with connection:
        channel = await connection.channel()
        started = time.monotonic()
        last: tuple[int, int] | None = None
        still_since = time.monotonic()
        while time.monotonic() - started < within:
            depth = await _depth(channel, queues)
            activity = await read.activity()
            submissions = activity[0]
            print(
                f"\rreplaying: {submissions} submissions rebuilt, {depth} events waiting",
                end="",
                file=out,
                flush=True,
            )
            if activity != last or depth:
                last, still_since = activity, time.monotonic()
            begun = submissions or time.monotonic() - started > NOTHING_AFTER_SECONDS
            if begun and time.monotonic() - still_since >= QUIET_SECONDS:
                print(file=out)
                return submissions
            await asyncio.sleep(0.25)
    raise TimeoutError(f"the replay did not finish within {within:.0f}s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.monitoring.replay")
    parser.add_argument("--within", type=float, default=600.0, help="seconds to wait at most")
    args = parser.parse_args(argv)
    try:
        consumed = asyncio.run(replay(Settings(), args.within))
    except TimeoutError as error:
        print(f"replay: {error}", file=sys.stderr)
        return 1
    print(f"replayed: the read models hold {consumed} submissions again")
    return 0


if __name__ == "__main__":
    sys.exit(main())
