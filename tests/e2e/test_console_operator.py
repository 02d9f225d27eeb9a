"""The operator's page in Chromium, against the five services and the notifier as processes.

An operator signs in and sees, refreshed without a reload, a dead-letter queue holding two
planted messages, first on the page; every service ready with its outbox backlog. The
queue's page shows each message decoded with its reason. One is a school's report that died
as a database outage leaves a message (attempts spent, `x-tidtam-reason` saying why): the
outage is over, so the operator replays it and intake accepts it (monitoring stops listing
the school as missing). The other is not JSON at all: purged, only once the queue's name is
typed, into a file. An officer is refused the page (403).

With `TIDTAM_SCREENSHOTS=<folder>` the pages are saved there (docs/console/operator*.png).
"""

import json
import random
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import aio_pika
import httpx
import pytest
from playwright.async_api import BrowserContext, expect

from samples.demo import ROUND
from samples.load import load
from samples.office import SampleOffice, generate_office
from samples.progress import progress_values
from shared.platform.messaging import ATTEMPT_HEADER, QUEUE_HEADER, REASON_HEADER
from shared.platform.topology import Consumer, Topology
from tests.browser import shot, sign_in
from tests.processes import ServiceProcess, Started, five_services
from tests.servers import Servers, namespaced
from tests.support import add_staff, amqp_channel, eventually, queue_depth

pytestmark = pytest.mark.e2e

PASSWORD = "operator-test-password-1"
REASON = "failed after 3 attempts: ServerSelectionTimeoutError: the database did not answer"


@dataclass
class System(Started):
    office: SampleOffice
    local_dir: Path


@pytest.fixture(scope="module")
async def system(
    live_servers: Servers, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[System]:
    folder = tmp_path_factory.mktemp("operator")
    async with namespaced(live_servers) as settings:
        notifier = ServiceProcess("notifier", settings, folder).start()
        processes: dict[str, ServiceProcess] = {"notifier": notifier}
        try:
            notifier.wait_ready(120)
            local_dir = folder / "local"
            processes |= five_services(
                settings, folder, TIDTAM_NOTIFIER_URL=notifier.url,
                TIDTAM_LOCAL_DIR=str(local_dir),
            )  # fmt: skip
            sample = generate_office(schools=8)
            officer = processes["monitoring"].officer
            await load(sample, processes["monitoring"].url, demo_round=True, headers=officer)
            await add_staff(
                settings,
                PASSWORD,
                ("operator", "operator", sample.office_code),
                ("officer", "officer", sample.office_code),
            )
            yield System(settings, processes, sample, local_dir)
        finally:
            for process in processes.values():
                process.stop()


async def missing(system: System) -> list[str]:
    monitoring = system.processes["monitoring"]
    async with httpx.AsyncClient(base_url=monitoring.url, headers=monitoring.officer) as api:
        board = (await api.get(f"/dashboard/rounds/{ROUND}")).json()
    return list(board["missing_units"])


async def a_report_of(system: System, unit: str) -> dict[str, object]:
    monitoring = system.processes["monitoring"]
    async with httpx.AsyncClient(base_url=monitoring.url, headers=monitoring.officer) as api:
        listed = (
            await api.get("/assignments", params={"round_id": ROUND, "unit_code": unit})
        ).json()
    values = progress_values(system.office, listed, random.Random(7))[unit]
    return {
        "event_id": str(uuid.uuid4()),
        "type": "submission.submitted.v1",
        "schema_version": 1,
        "occurred_at": datetime.now(UTC).isoformat(),
        "correlation_id": "operator-e2e",
        "producer": "school-system",
        "data": {
            "submission_key": f"replayed-{unit}",
            "unit_code": unit,
            "round_id": ROUND,
            "form_id": listed[0]["form_id"],
            "form_version": 1,
            "submitted_at": datetime.now(UTC).isoformat(),
            "submitter": "ระบบของโรงเรียน",
            "values": values,
        },
    }


async def test_an_operator_finds_replays_and_purges_dead_letters(
    system: System, context: BrowserContext
) -> None:
    topology = Topology(system.settings.namespace)
    queue = topology.queue(Consumer("intake", "submission.submitted.v1"))
    dlq = topology.dead_letter_queue(queue)
    short = dlq.removeprefix(f"{system.settings.namespace}.")
    unit = (await missing(system))[0]
    report = await a_report_of(system, unit)
    async with amqp_channel(system.settings.amqp_url) as channel:
        dead = await channel.get_exchange(topology.dead_letter_exchange)
        for message_id, body in (("report-1", json.dumps(report).encode()), ("junk-1", b"{oops")):
            headers = {REASON_HEADER: REASON if message_id == "report-1" else "malformed: "
                       "JSONDecodeError", QUEUE_HEADER: queue, ATTEMPT_HEADER: 3}  # fmt: skip
            await dead.publish(
                aio_pika.Message(body, message_id=message_id, correlation_id="operator-e2e",
                                 headers=headers, content_type="application/json",
                                 timestamp=datetime.now(UTC)),
                routing_key=queue,
            )  # fmt: skip

        page = await sign_in(context, system.console, "operator", PASSWORD, "/operator", asked=True)
        # The management API lags a few seconds; the page refreshes itself every 5 s.
        panel = page.get_by_test_id("dead-queues")
        await expect(panel).to_contain_text(short, timeout=30_000)
        await expect(panel).to_contain_text("ค้าง 2 ข้อความ")
        services = page.get_by_test_id("services")
        for name in ("console", "intake", "monitoring", "evaluation", "reporting", "notifier"):
            await expect(services.locator(f'tr[data-service="{name}"]')).to_have_attribute(
                "data-ready", "yes"
            )
        await expect(services).not_to_contain_text("ไม่ตอบสนอง")
        first_queue = page.get_by_test_id("queues").locator("tbody tr").first
        await expect(first_queue).to_contain_text(short)
        await shot(page, "operator")

        await panel.get_by_role("link", name=short).click()
        letters = page.get_by_test_id("dead-letters")
        row = letters.locator('tr[data-message="report-1"]')
        await expect(row).to_contain_text(REASON)
        await expect(row).to_contain_text("submission.submitted.v1")
        await expect(row).to_contain_text(f"unit_code={unit}")
        await expect(row).to_contain_text("operator-e2e")
        await expect(letters.locator('tr[data-message="junk-1"]')).to_contain_text("ไม่ใช่ JSON")
        await shot(page, "operator-dlq")

        # The outage is over: the report goes back to intake's queue and is accepted.
        await row.get_by_role("button", name="ส่งกลับเข้าคิว").click()
        await expect(page.get_by_role("status")).to_contain_text("ส่งกลับเข้าคิวเดิมแล้ว 1 ข้อความ")
        await expect(letters.locator("tbody tr")).to_have_count(1)
        await eventually(lambda: missing(system), lambda units: unit not in units, 30, 0.5)

        # The junk is purged only once the queue's name is typed, into a file first.
        await page.get_by_label("พิมพ์ชื่อคิวเพื่อยืนยันการลบ").fill("intake")
        await page.get_by_role("button", name="ลบทั้งหมด").click()
        await expect(page.locator(".field-error")).to_contain_text("ไม่ตรงกัน")
        assert await queue_depth(channel, dlq) == 1
        await page.get_by_label("พิมพ์ชื่อคิวเพื่อยืนยันการลบ").fill(short)
        await page.get_by_role("button", name="ลบทั้งหมด").click()
        await expect(page.get_by_role("status")).to_contain_text("ลบแล้ว 1 ข้อความ")
        assert await queue_depth(channel, dlq) == 0
    written = [
        json.loads(line)
        for path in (system.local_dir / "purged").glob("*.jsonl")
        for line in path.read_text(encoding="utf-8").splitlines()
    ]
    assert [w["body"] for w in written] == ["{oops"]


async def test_an_officer_is_refused_the_operator_page(
    system: System, context: BrowserContext
) -> None:
    page = await sign_in(context, system.console, "officer", PASSWORD, "/", asked=True)
    await expect(page.get_by_role("navigation")).not_to_contain_text("ดูแลระบบ")
    answer = await page.goto(f"{system.console}/operator")
    assert answer is not None and answer.status == 403
    await expect(page.locator("main")).to_contain_text("หน้านี้ไม่เปิดให้บทบาทของท่าน")
