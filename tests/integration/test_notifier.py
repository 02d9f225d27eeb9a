"""The notifier on the real servers: events from the exchange become one Thai digest per unit,
delivered to a real SMTP server (STARTTLS and a login) and a stand-in for LINE's push API;
failures are retried, refusals given up and dead-lettered with the provider's answer."""

import asyncio
import dataclasses
import json
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import aiormq
import httpx
import pytest
from rich.console import Console

from services.notifier.adapters.mongo import MongoDeliveries, MongoDigests, MongoNotices
from services.notifier.bootstrap import assemble, senders_from
from services.notifier.handlers.digests import make_digests
from services.notifier.handlers.ports import NAME, Delivering, NotifierPorts
from services.notifier.settings import NotifierSettings
from services.ops.__main__ import run as ops
from shared.contracts import Contract, make_envelope
from shared.contracts.evaluation import RecommendationOverdue
from shared.contracts.intake import SubmissionReviewed
from shared.contracts.monitoring import EscalationDue, ReminderDue
from shared.contracts.setup import Form, FormField, Round, SetupChanged, Unit
from shared.platform import dead_letters
from shared.platform.replica import SetupReplica
from shared.platform.service import build_runtime
from shared.platform.settings import Settings
from shared.platform.topology import Consumer, Topology
from tests.notify_servers import (
    SMTP_PASSWORD,
    SMTP_USER,
    LineApi,
    Mailbox,
    line_server,
    smtp_server,
)
from tests.support import amqp_channel, eventually, publish, running

pytestmark = pytest.mark.integration

ROUND, FORM, OFFICE = "2570-DEMO", "action-plan-progress", "SESA-84"
CONSOLE = "https://tidtam.example.go.th"
LINE_A, LINE_BAD, LINE_FLAKY = "U" + "a" * 32, "U" + "b" * 32, "U" + "c" * 32


def units() -> list[Unit]:
    school = {"unit_type": "school", "parent_code": "G1"}
    return [
        Unit(code=OFFICE, unit_type="office", name_th="สพม.ทดสอบ", parent_code="OBEC",
             contact_emails=("officer@office.example",), head_emails=("director@office.example",)),
        Unit(code="G1", unit_type="group", name_th="กลุ่มทดสอบ", parent_code=OFFICE),
        Unit(code="1084000001", name_th="โรงเรียนบ้านหนองบัว", **school,
             contact_emails=("saraban@nongbua.example",), contact_line_ids=(LINE_A,)),
        Unit(code="1084000002", name_th="โรงเรียนวัดดอนสัก", **school,
             contact_emails=("Saraban@Donsak.example",), head_emails=("refuse@donsak.example",)),
        Unit(code="1084000003", name_th="โรงเรียนไม่มีผู้ติดต่อ", **school),
        Unit(code="1084000004", name_th="โรงเรียนไลน์ผิด", **school,
             contact_line_ids=(LINE_BAD, LINE_FLAKY)),
    ]  # fmt: skip


async def seed(ports: NotifierPorts) -> None:
    """The notifier's copy of the set-up, as its consumer keeps it."""
    field = FormField(key="problems", label_th="ปัญหา", field_type="text")
    entities: list[Any] = [
        *units(),
        Round(round_id=ROUND, fiscal_year=2570, round_type="custom", name_th="รอบสาธิต",
              period_start=date(2026, 10, 1), period_end=date(2026, 12, 31),
              opens_on=date(2026, 11, 1), due_on=date(2026, 11, 30), closes_on=date(2027, 1, 15)),
        Form(form_id=FORM, version=1, status="published", title_th="แบบรายงานผลโครงการ",
             fields=(field,)),
    ]  # fmt: skip
    for revision, entity in enumerate(entities, start=1):
        await ports.setup.apply(SetupChanged(revision=revision, key=entity.key, entity=entity))


def reminder(unit: str, form: str = FORM, slot: int = 1) -> ReminderDue:
    return ReminderDue(round_id=ROUND, form_id=form, unit_code=unit, due_on=date(2026, 11, 30),
                       days_overdue=2, slot=slot)  # fmt: skip


def envelope(event: Contract) -> dict[str, Any]:
    return json.loads(make_envelope(event, producer="test", correlation_id="c-1").model_dump_json())


async def plant_in_retired_queue(settings: Settings, event: ReminderDue) -> None:
    """A reminder left in `<ns>.outbound.notifications`, where they waited before the notifier."""
    async with amqp_channel(settings.amqp_url) as channel:
        queue = await channel.declare_queue(
            f"{settings.namespace}.outbound.notifications",
            durable=True,
            arguments={"x-queue-type": "quorum"},
        )
        await queue.bind(f"{settings.namespace}.events", routing_key=event.ROUTING_KEY)
        await publish(channel, f"{settings.namespace}.events", event.ROUTING_KEY, envelope(event))


@dataclasses.dataclass
class Notifier:
    ports: NotifierPorts
    mailbox: Mailbox
    line: LineApi
    settings: Settings
    http: httpx.AsyncClient


@pytest.fixture
async def notifier(settings: Settings, tmp_path: Path) -> AsyncIterator[Notifier]:
    with smtp_server(tmp_path) as mailbox, line_server() as line:
        chosen = NotifierSettings(
            TIDTAM_SMTP_HOST="127.0.0.1",
            TIDTAM_SMTP_PORT=mailbox.port,
            TIDTAM_SMTP_USERNAME=SMTP_USER,
            TIDTAM_SMTP_PASSWORD=SMTP_PASSWORD,
            TIDTAM_SMTP_CA_FILE=str(mailbox.ca_file),
            TIDTAM_SMTP_FROM="ระบบติดตาม <tidtam@office.example>",
            TIDTAM_LINE_CHANNEL_TOKEN=line.token,
            TIDTAM_LINE_API_URL=line.url,
        )
        runtime = build_runtime(NAME, settings)
        ports = NotifierPorts(
            setup=SetupReplica(runtime.db),
            notices=MongoNotices(runtime.db),
            digests=MongoDigests(runtime.db),
            deliveries=MongoDeliveries(runtime.db),
            senders=senders_from(chosen),
            publish=runtime.publisher.publish,
            # No digest is made by the job (notices gather for an hour): the test makes them.
            delivering=Delivering(CONSOLE, gather_s=3600, max_attempts=settings.max_attempts),
        )
        await seed(ports)
        await plant_in_retired_queue(settings, reminder("1084000004", form="old-form"))
        async with running(assemble(runtime, ports, every_s=0.2)) as http:
            yield Notifier(ports, mailbox, line, settings, http)


async def test_a_unit_hears_once_a_day_in_thai_with_its_links(
    notifier: Notifier, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, ports, mailbox, line = (
        notifier.settings,
        notifier.ports,
        notifier.mailbox,
        notifier.line,
    )
    events: list[Contract] = [
        reminder("1084000001"),
        reminder("1084000001", form="budget-report"),
        reminder("1084000002"),
        reminder("1084000002"),  # redelivered: one notice
        reminder("1084000003"),
        reminder("1084000004"),
        EscalationDue(round_id=ROUND, form_id=FORM, units=("1084000001", "1084000002"),
                      days_overdue=8, slot=0),
        RecommendationOverdue(recommendation_id="R-1", inspection_id="MOE-2570-1",
                              responsible_unit="1084000002", due_on=date(2026, 11, 1),
                              days_overdue=31),
        SubmissionReviewed(submission_id="S-9", unit_code="1084000001", round_id=ROUND,
                           form_id=FORM, version=2, action="returned", reviewer="ผู้ตรวจ",
                           comment="กรุณาแนบหลักฐาน", reviewed_at=datetime.now(UTC)),
        SubmissionReviewed(submission_id="S-8", unit_code="1084000002", round_id=ROUND,
                           form_id=FORM, version=1, action="approved", reviewer="ผู้ตรวจ",
                           reviewed_at=datetime.now(UTC)),
    ]  # fmt: skip
    line.refuse.add(LINE_BAD)
    line.flaky[LINE_FLAKY] = 1
    async with amqp_channel(settings.amqp_url) as channel:
        for event in events:
            await publish(
                channel, f"{settings.namespace}.events", event.ROUTING_KEY, envelope(event)
            )

        async def kept() -> int:
            return await ports.notices.notices.count_documents({})  # type: ignore[attr-defined]

        # 6 reminders (one a repeat), 1 left in the retired queue, 1 escalation, 1 overdue,
        # 1 returned report (the approval says nothing)
        await eventually(kept, lambda n: n == 9)
        assert not await exists(settings, f"{settings.namespace}.outbound.notifications")
        ports.delivering = dataclasses.replace(ports.delivering, gather_s=0)
        # Two makers here and the service's own job: each unit's digest is made once.
        await asyncio.gather(make_digests(ports), make_digests(ports))
        digests = ports.digests.digests  # type: ignore[attr-defined]
        assert await digests.count_documents({}) == 5, "one digest per unit with notices"

        await eventually(lambda: _async_count(mailbox, line), lambda n: n == (3, 2))
        await asyncio.sleep(1)  # retries of the flaky and refused ones are through by now
        assert _count(mailbox, line) == (3, 2), "nothing twice"

        nongbua = mailbox.to("saraban@nongbua.example")
        assert len(nongbua) == 1, "three notices, one message"
        text = nongbua[0].get_content()
        assert nongbua[0]["Subject"].startswith("[ติดตาม] 3 เรื่องที่ต้องติดตาม: โรงเรียนบ้านหนองบัว")
        assert "ยังไม่ได้ส่งแบบรายงานผลโครงการ รอบสาธิต" in text
        assert "กำหนดส่งวันที่ 30 พฤศจิกายน 2569 (เลยกำหนดมาแล้ว 2 วัน)" in text
        assert "ความเห็นของผู้ตรวจ: กรุณาแนบหลักฐาน" in text
        assert f"{CONSOLE}/rounds/{ROUND}/units/1084000001" in text
        assert line.to(LINE_A) == [f"{nongbua[0]['Subject']}\n\n{text.rstrip()}"]
        assert line.to(LINE_FLAKY) and not line.to(LINE_BAD)

        donsak = mailbox.to("saraban@donsak.example")  # the address as set up, lower-cased
        assert len(donsak) == 1 and "ถูกส่งกลับ" not in donsak[0].get_content()
        director = mailbox.to("director@office.example")
        assert len(director) == 1 and "หน่วยงานยังไม่ส่งรายงาน รอบสาธิต 2 แห่ง" in director[0]["Subject"]
        body = director[0].get_content()
        assert "โรงเรียนบ้านหนองบัว, โรงเรียนวัดดอนสัก" in body and f"{CONSOLE}/?round={ROUND}" in body

        deliveries = {d["_id"].split(":", 3)[3]: d for d in await ports.deliveries.recent()}
        assert deliveries[f"line:{LINE_FLAKY}"]["state"] == "sent"
        assert [a["outcome"] for a in deliveries[f"line:{LINE_FLAKY}"]["attempts"]] == [
            "failed",
            "sent",
        ]
        assert deliveries[f"line:{LINE_BAD}"]["state"] == "given_up"
        assert deliveries["email:refuse@donsak.example"]["state"] == "given_up"
        assert "550" in deliveries["email:refuse@donsak.example"]["answer"]
        assert deliveries["email:saraban@nongbua.example"]["answer"].startswith("250")
        no_address = await digests.find_one({"unit_code": "1084000003"})
        assert no_address["status"] == "no_address"

        dlq = Topology(settings.namespace).dead_letter_queue(
            Topology(settings.namespace).queue(Consumer("notifier", "notification.delivery-due.v1"))
        )
        # The operator finds both given-up deliveries in the dead-letter queue, with LINE's
        # and the mail server's answers; LINE's cause is fixed, and that one is replayed.
        dead = await eventually(
            lambda: dead_letters.show(settings.amqp_url, dlq), lambda found: len(found) == 2
        )
        shown = {d.ids["delivery_id"]: d for d in dead}
        bad = next(key for key in shown if key.endswith(LINE_BAD))
        assert "400" in shown[bad].reason and "invalid" in shown[bad].reason
        assert any("550" in d.reason for d in dead)
        line.refuse.clear()
        monkeypatch.setenv("AMQP_URL", settings.amqp_url)
        monkeypatch.setenv("TIDTAM_NAMESPACE", settings.namespace)
        printed = Console(record=True, width=200)
        assert await ops(["dlq", "replay", dlq, "--id", bad], printed) == 0
        assert "replayed 1 message(s)" in printed.export_text()
        await eventually(lambda: _async_count(mailbox, line), lambda n: n == (3, 3))
        assert line.to(LINE_BAD) and (await dead_letters.show(settings.amqp_url, dlq))[0].ids[
            "delivery_id"
        ].startswith("1084000002")

        # A redelivered request of a sent delivery sends nothing; a new reminder waits for
        # tomorrow's digest (one per unit per day).
        sent_again = json.loads(dead[0].body)  # a delivery request, pointed at a sent one
        sent_again["data"]["delivery_id"] = deliveries["email:saraban@nongbua.example"]["_id"]
        sent_again["data"]["address"] = "saraban@nongbua.example"
        queue = Topology(settings.namespace).queue(
            Consumer("notifier", "notification.delivery-due.v1")
        )
        await publish(channel, "", queue, sent_again)
        next_slot = reminder("1084000001", slot=2)
        await publish(
            channel, f"{settings.namespace}.events", next_slot.ROUTING_KEY, envelope(next_slot)
        )
        await eventually(kept, lambda n: n == 10)
        assert await make_digests(ports) == 0
        await asyncio.sleep(0.5)
        assert _count(mailbox, line) == (3, 3)


async def exists(settings: Settings, queue: str) -> bool:
    async with amqp_channel(settings.amqp_url) as channel:
        try:
            await channel.declare_queue(queue, passive=True)
        except aiormq.exceptions.ChannelNotFoundEntity:
            return False
    return True


def _count(mailbox: Mailbox, line: LineApi) -> tuple[int, int]:
    return len(mailbox.messages), len(line.pushes)


async def _async_count(mailbox: Mailbox, line: LineApi) -> tuple[int, int]:
    return _count(mailbox, line)
