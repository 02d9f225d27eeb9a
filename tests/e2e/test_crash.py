"""A consumer killed with SIGKILL mid-flow loses nothing and counts nothing twice."""

import asyncio

import httpx
import pytest

from shared.platform.mongo import make_client
from shared.platform.settings import Settings
from shared.platform.topology import Topology
from tests.office import SCHOOLS, copy_holds_assignments, set_up
from tests.processes import ServiceProcess
from tests.support import amqp_channel, eventually, publish, queue_depth, submitted

pytestmark = pytest.mark.e2e

PER_UNIT = 40  # reports of each school, each a correction of the one before


async def _received(settings: Settings) -> dict[str, int]:
    client = make_client(settings.mongodb_url)
    try:
        rows = await client[settings.database_of("monitoring")]["round_progress"].find().to_list()
    finally:
        await client.close()
    return {row["unit_code"]: row["received"] for row in rows}


async def _versions(settings: Settings) -> int:
    """How many versions monitoring has seen so far (the latest of each school, added up)."""
    client = make_client(settings.mongodb_url)
    try:
        rows = client[settings.database_of("monitoring")]["submissions"].find()
        return sum([row["latest_version"] async for row in rows])
    finally:
        await client.close()


async def test_monitoring_killed_while_messages_flow(
    settings: Settings, system: dict[str, ServiceProcess]
) -> None:
    async with httpx.AsyncClient(
        base_url=system["monitoring"].url, headers=system["monitoring"].officer
    ) as api:
        round_id = (await set_up(api))["open"]
    await copy_holds_assignments(settings)
    topology = Topology(settings.namespace)
    events = [
        submitted(unit, round_id, key=f"{unit}-{n}") for n in range(PER_UNIT) for unit in SCHOOLS
    ]
    duplicates = events[::10]  # an outside system retrying some publishes

    async def flow() -> None:
        async with amqp_channel(settings.amqp_url) as channel:
            for event in events + duplicates:
                await publish(channel, topology.events_exchange, "submission.submitted.v1", event)

    publishing = asyncio.create_task(flow())
    await eventually(lambda: _versions(settings), lambda n: n >= 60, timeout=30)
    system["monitoring"].kill()
    await asyncio.sleep(1.0)  # messages keep arriving while it is down
    system["monitoring"].start().wait_ready()
    await publishing

    expected = {unit: 1 for unit in SCHOOLS}  # one report per school, however corrected
    counts = await eventually(lambda: _received(settings), lambda r: r == expected, timeout=60)
    assert counts == expected
    queue = f"{settings.namespace}.monitoring.submission-accepted-v1"
    async with amqp_channel(settings.amqp_url) as channel:
        assert await queue_depth(channel, topology.dead_letter_queue(queue)) == 0
        await eventually(lambda: queue_depth(channel, queue), lambda n: n == 0)
    await asyncio.sleep(0.5)
    assert await _received(settings) == expected, "nothing counted twice after the queue drained"
