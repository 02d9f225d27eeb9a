"""Reporting's copies converge after a restart with an empty database, and a report is
requested, rendered and downloaded from them: over the real broker, database and processes.

A school reports a problem and the officer records an inspection in evaluation; both reach
reporting. Reporting is stopped, its database dropped, and started again: it asks
monitoring for the set-up and every service for its state again, and holds the same copies.
"""

from pathlib import Path
from typing import Any

import httpx
import pytest

from shared.platform.mongo import make_client
from shared.platform.settings import Settings
from shared.platform.topology import Topology
from tests.office import OFFICE, SCHOOLS, copy_holds_assignments, set_up, values
from tests.processes import ServiceProcess
from tests.support import (
    amqp_channel,
    eventually,
    key_for,
    pdf_text,
    plain,
    publish,
    submitted,
)

pytestmark = pytest.mark.e2e

INSPECTION = {
    "inspection_id": "MOE-2570-1",
    "fiscal_year": 2570,
    "kind": "moe_policy",
    "round_no": 1,
    "title_th": "การตรวจราชการตามนโยบาย รอบที่ 1 ปีงบประมาณ พ.ศ. 2570",
    "inspected_on": "2027-01-20",
    "inspectors_th": ["ผู้ตรวจราชการตัวอย่าง"],
}


COPIES = ("setup_copy", "rates", "project_progress", "problems", "inspections")


async def _copies(settings: Settings) -> dict[str, set[str]]:
    """The keys each of reporting's copies holds."""
    client = make_client(settings.mongodb_url)
    try:
        db = client[settings.database_of("reporting")]
        return {
            name: {str(d["_id"]) async for d in db[name].find({}, {"_id": 1})} for name in COPIES
        }
    finally:
        await client.close()


async def _settled(settings: Settings) -> dict[str, set[str]]:
    """The copies once every one holds something and a second passes without a change."""
    seen: list[dict[str, set[str]]] = []

    async def probe() -> bool:
        seen.append(await _copies(settings))
        return len(seen) > 1 and seen[-1] == seen[-2] and all(seen[-1].values())

    await eventually(probe, bool, timeout=60, every=1.0)
    return seen[-1]


async def _render(reporting: str, key: dict[str, str], request_id: str) -> bytes:
    async with httpx.AsyncClient(base_url=reporting, timeout=60, headers=key) as api:
        body = {
            "request_id": request_id,
            "report_type": "inspection",
            "inspection_id": "MOE-2570-1",
            "format": "pdf",
        }

        async def asked() -> httpx.Response:
            return await api.post("/reports", json=body)

        await eventually(asked, lambda r: r.status_code in (200, 202), timeout=30, every=0.5)

        async def status() -> dict[str, Any]:
            return dict((await api.get(f"/reports/{request_id}")).json())

        shown = await eventually(status, lambda s: s["status"] in ("rendered", "failed"), 60)
        assert shown["status"] == "rendered", shown
        download = await api.get(f"/reports/{request_id}/download")
        assert download.status_code == 200
        return download.content


async def test_reporting_rebuilds_its_copies_and_renders_from_them(
    settings: Settings, system: dict[str, ServiceProcess], tmp_path: Path
) -> None:
    async with httpx.AsyncClient(
        base_url=system["monitoring"].url, headers=system["monitoring"].officer, timeout=60
    ) as api:
        rounds = await set_up(api)
    await copy_holds_assignments(settings)
    report = submitted(SCHOOLS[0], rounds["open"], key="copies-1", values=values())
    async with amqp_channel(settings.amqp_url) as channel:
        exchange = Topology(settings.namespace).events_exchange
        await publish(channel, exchange, "submission.submitted.v1", report)
    officer = await key_for(settings, "evaluation", "officer", OFFICE)
    async with httpx.AsyncClient(base_url=system["evaluation"].url, headers=officer) as api:
        assert (await api.post("/inspections", json=INSPECTION)).status_code == 201
        issue = {"issue_code": "1", "title_th": "การอ่านออกเขียนได้", "findings_th": "ขาดสื่อ"}
        assert (await api.post("/inspections/MOE-2570-1/issues", json=issue)).status_code == 201
    before_restart = await _settled(settings)
    assert all(before_restart.values()) and len(before_restart["problems"]) == 1
    reports = await key_for(settings, "reporting", "officer")
    before = pdf_text(await _render(system["reporting"].url, reports, "before-restart"), tmp_path)
    assert plain("การอ่านออกเขียนได้") in before

    system["reporting"].stop()
    client = make_client(settings.mongodb_url)
    await client.drop_database(settings.database_of("reporting"))
    await client.close()
    system["reporting"].start().wait_ready()

    await eventually(lambda: _copies(settings), lambda c: c == before_restart, timeout=60)
    reports = await key_for(settings, "reporting", "officer")  # its database was dropped
    after = pdf_text(await _render(system["reporting"].url, reports, "after-restart"), tmp_path)
    assert plain("การอ่านออกเขียนได้") in after
