"""An outside system publishes submissions; the event crosses all four services."""

import httpx
import pytest

from shared.platform.mongo import make_client
from shared.platform.settings import Settings
from shared.platform.topology import Topology
from tests.office import SCHOOLS, copy_holds_assignments, set_up
from tests.processes import ServiceProcess
from tests.support import amqp_channel, eventually, key_for, publish, submitted

pytestmark = pytest.mark.e2e

SUBMITTED = "submission.submitted.v1"


async def test_a_submission_crosses_all_four_services(
    settings: Settings, system: dict[str, ServiceProcess]
) -> None:
    async with httpx.AsyncClient(
        base_url=system["monitoring"].url, headers=system["monitoring"].officer
    ) as api:
        round_id = (await set_up(api))["open"]
    await copy_holds_assignments(settings)
    topology = Topology(settings.namespace)
    one, two = SCHOOLS[0], SCHOOLS[1]
    first = submitted(one, round_id, key="a-1")
    over_budget = {"projects": {"P01": {"activity_status": "done", "budget_spent": "900000"}}}
    events = [
        first,
        first,  # the same again: stored once
        submitted(one, round_id, key="a-2"),  # a correction: version 2, still one report
        submitted(two, round_id, key="b-1"),
        submitted(two, round_id, key="b-2", values=over_budget),  # rejected with its reason
    ]
    async with amqp_channel(settings.amqp_url) as channel:
        for event in events:
            await publish(channel, topology.events_exchange, SUBMITTED, event)

    page_url = f"{system['reporting'].url}/reports/rounds/{round_id}"
    officer = await key_for(settings, "reporting", "officer")

    async def page() -> str:
        async with httpx.AsyncClient() as client:
            response = await client.get(page_url, headers=officer)
        return response.text.replace(" ", "").replace("\n", "") if response.is_success else ""

    def row(unit: str, received: int, late: int, rejected: int) -> str:
        cells = "".join(f'<tdclass="n">{n}</td>' for n in (received, late, rejected))
        return f"<td>{unit}</td>{cells}"

    html = await eventually(
        page,
        lambda h: row(one, 1, 0, 0) in h and row(two, 1, 0, 1) in h,
        timeout=30,
    )
    assert f"รายงานผลการติดตามรอบ{round_id}" in html and "หน่วยที่รายงานแล้ว2หน่วย" in html

    client = make_client(settings.mongodb_url)
    try:
        intake = client[settings.database_of("intake")]
        stored = await intake["submissions"].find().to_list()
        latest = await intake["submission_versions"].find_one({"version": 2})  # one's
    finally:
        await client.close()
    assert sorted((s["unit_code"], s["version_count"]) for s in stored) == [(one, 2), (two, 1)]
    assert latest is not None
    spent = latest["values"]["projects"]["P01"]["budget_spent"]
    assert spent == 125_000, "1250 baht is kept as satang"
