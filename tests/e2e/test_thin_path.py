"""An outside system publishes submissions; the event crosses all four services."""

import json

import httpx
import pytest

from shared.mongo import make_client
from shared.settings import Settings
from shared.topology import Topology
from tests.processes import ServiceProcess
from tests.support import amqp_channel, eventually, publish, submitted

pytestmark = pytest.mark.e2e

SUBMITTED = "submission.submitted.v1"


async def test_a_submission_crosses_all_four_services(
    settings: Settings, system: dict[str, ServiceProcess]
) -> None:
    topology = Topology(settings.namespace)
    first = submitted("1084200101", key="a-1")
    events = [
        first,
        first,  # the same again: counted once
        submitted("1084200101", key="a-2"),
        submitted("1084200102", key="b-1"),
        {
            **submitted("1084200102"),
            "data": {"submission_key": "b-2", "round_id": "2570-Q1", "unit_code": "1084200102"},
        },
    ]
    async with amqp_channel(settings.amqp_url) as channel:
        for event in events:
            await publish(channel, topology.events_exchange, SUBMITTED, event)

    page_url = f"{system['reporting'].url}/reports/rounds/2570-Q1"

    async def page() -> str:
        async with httpx.AsyncClient() as client:
            response = await client.get(page_url)
        return response.text if response.status_code == 200 else ""

    def complete(html: str) -> bool:
        # unit, received, late, rejected, score, level — in the table's order
        return all(
            fragment in html.replace(" ", "").replace("\n", "")
            for fragment in (
                '<td>1084200101</td><tdclass="n">2</td><tdclass="n">0</td><tdclass="n">0</td>'
                '<tdclass="n">70</td><td>ดี</td>',
                '<td>1084200102</td><tdclass="n">1</td><tdclass="n">0</td><tdclass="n">1</td>'
                '<tdclass="n">50</td><td>ปานกลาง</td>',
            )
        )

    html = await eventually(page, complete, timeout=30)
    assert "รายงานผลการติดตาม รอบ 2570-Q1" in html
    assert "พ.ศ." not in html and "หน่วยที่รายงานแล้ว 2 หน่วย" in html

    client = make_client(settings.mongodb_url)
    try:
        stored = await client[settings.database_of("intake")]["submissions"].count_documents({})
        scores = await client[settings.database_of("evaluation")]["scores"].find().to_list()
    finally:
        await client.close()
    assert stored == 3
    assert json.dumps(sorted((s["unit_code"], s["score"]) for s in scores)) == json.dumps(
        [["1084200101", 70], ["1084200102", 50]]
    )
