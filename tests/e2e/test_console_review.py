"""Reviewing, scoring and following up in the console, in Chromium, against all five
services as processes.

A reviewer returns a school's report with a comment (intake announces it for the
notifier) and the school reads the comment; three assessors score an evaluation on one
page each and the officer assigns, follows and finalises it; a unit closes an inspector's
recommendation with an evidence file, and never sees or changes another unit's — through
the pages and through evaluation's API.

With `TIDTAM_SCREENSHOTS=<folder>` each page is also saved there (docs/console/).
"""

import json
import random
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aio_pika
import httpx
import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from samples.demo import ROUND, framework
from samples.load import load
from samples.office import FISCAL_YEAR, SampleOffice, generate_office
from samples.progress import progress_values
from shared.platform.identity import IdentitySigner, Person, signing_key
from shared.platform.topology import Topology
from tests.browser import shot, sign_in
from tests.processes import Started, five_services
from tests.servers import Servers, namespaced
from tests.support import add_staff, eventually, publish

pytestmark = pytest.mark.e2e

SCHOOLS = 12
PASSWORD = "console-review-password-1"
ASSESSORS = ("assessor.one", "assessor.two", "assessor.three")
EVALUATION = f"AP{FISCAL_YEAR}-CONSOLE"
INSPECTION = f"MOE-{FISCAL_YEAR}-CONSOLE"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@dataclass
class Office(Started):
    office: SampleOffice
    key_file: Path
    reported: dict[str, str]  # unit → form
    reviewed: aio_pika.abc.AbstractQueue  # bound to submission.reviewed.v1 from the start

    def as_person(self, service: str, role: str, unit_code: str) -> httpx.AsyncClient:
        """A client with the token the console signs for a person (what its pages send)."""
        token = IdentitySigner(signing_key(self.key_file)).token(
            Person(person_id="probe", name="ผู้ทดสอบ", role=role, unit_code=unit_code), service
        )
        return httpx.AsyncClient(
            base_url=self.processes[service].url,
            headers={"Authorization": f"Bearer {token}"},
            timeout=60,
        )

    @property
    def plan_unit(self) -> str:
        return f"{self.office.office_code}-PLAN"

    @property
    def supervision_unit(self) -> str:
        return f"{self.office.office_code}-SUPV"


@pytest.fixture(scope="module")
async def office(
    live_servers: Servers, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Office]:
    async with namespaced(live_servers) as settings:
        folder = tmp_path_factory.mktemp("review")
        processes = five_services(settings, folder)
        try:
            officer = processes["monitoring"].officer
            sample = generate_office(schools=SCHOOLS)
            await load(sample, processes["monitoring"].url, demo_round=True, headers=officer)
            async with httpx.AsyncClient(
                base_url=processes["monitoring"].url, headers=officer, timeout=60
            ) as monitoring:
                listed = await monitoring.get(
                    "/assignments", params={"round_id": ROUND, "limit": 1000}
                )
            assignments = listed.json()
            values = progress_values(sample, assignments, random.Random(16))
            forms = {a["unit_code"]: a["form_id"] for a in assignments}
            reporting = sorted(values)[2:]
            topology = Topology(settings.namespace)
            # One connection for the module, opened now: a busy shared broker can be slow to
            # accept new connections later, never to serve an open one.
            connection = await aio_pika.connect(settings.amqp_url)
            channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
            reviewed = await channel.declare_queue(exclusive=True, auto_delete=True)
            await reviewed.bind(topology.events_exchange, routing_key="submission.reviewed.v1")
            for unit in reporting:
                event = _submitted(unit, forms[unit], values[unit])
                await publish(channel, topology.events_exchange, "submission.submitted.v1", event)
            school = next(u for u in reporting if u.isdigit())
            other = next(u for u in reporting if u.isdigit() and u != school)
            await add_staff(
                settings,
                PASSWORD,
                ("officer", "officer", sample.office_code),
                ("reviewer", "reviewer", sample.office_code),
                *((name, "assessor", sample.office_code) for name in ASSESSORS),
                ("school", "reporter", school),
                ("other.school", "reporter", other),
                ("plan.group", "reporter", f"{sample.office_code}-PLAN"),
                ("supervision", "reporter", f"{sample.office_code}-SUPV"),
            )
            yield Office(
                settings,
                processes,
                sample,
                folder / "identity" / "console.key",
                {u: forms[u] for u in reporting},
                reviewed,
            )
            await connection.close()
        finally:
            for process in processes.values():
                process.stop()


def _submitted(unit: str, form_id: str, values: dict[str, Any]) -> dict[str, Any]:
    return {
        "event_id": str(uuid.uuid4()),
        "type": "submission.submitted.v1",
        "schema_version": 1,
        "occurred_at": datetime.now(UTC).isoformat(),
        "correlation_id": f"review-{unit}",
        "producer": "school-system",
        "data": {
            "submission_key": f"review-{unit}",
            "unit_code": unit,
            "round_id": ROUND,
            "form_id": form_id,
            "form_version": 1,
            "submitted_at": datetime.now(UTC).isoformat(),
            "submitter": "ระบบของโรงเรียน",
            "values": values,
        },
    }


async def test_a_reviewer_returns_a_report_and_the_unit_reads_the_comment(
    office: Office, context: BrowserContext, browser: Browser
) -> None:
    code = next(u for u in sorted(office.reported) if u.isdigit())  # the "school" account's
    school = next(u for u in office.office.units if u.code == code)
    page = await sign_in(
        context, office.console, "reviewer", PASSWORD, f"/review?round={ROUND}", asked=True
    )
    queue = page.get_by_test_id("review-queue")

    async def listed() -> str:
        await page.goto(f"{office.console}/review?round={ROUND}")
        return await page.get_by_test_id("queue-count").inner_text()

    await eventually(listed, lambda n: n == str(len(office.reported)), timeout=60, every=1)
    await expect(queue).to_contain_text(school.name_th)
    await shot(page, "review")

    await queue.get_by_role("link", name=school.name_th, exact=True).click()
    await expect(page.get_by_test_id("compared")).to_be_visible()
    await expect(page.get_by_test_id("submission-status")).to_have_attribute(
        "data-status", "submitted"
    )
    # Returning without a comment: intake refuses, in Thai, and nothing changes.
    await page.get_by_role("button", name="ส่งกลับให้แก้ไข").click()
    await expect(page.get_by_role("alert").first).to_contain_text("กรุณาระบุสิ่งที่ต้องแก้ไข")
    await page.get_by_label("ความเห็น / สิ่งที่ต้องแก้ไข").fill(
        "งบประมาณที่ใช้ไปของโครงการแรกสูงกว่าที่ได้รับจัดสรร กรุณาตรวจสอบ"
    )
    await shot(page, "submission")
    await page.get_by_role("button", name="ส่งกลับให้แก้ไข").click()
    await expect(page.get_by_role("status")).to_contain_text("ส่งรายงานกลับ")
    status = page.get_by_test_id("submission-status")
    await expect(status).to_have_attribute("data-status", "returned")

    async def next_event() -> aio_pika.abc.AbstractIncomingMessage | None:
        return await office.reviewed.get(fail=False, no_ack=True)

    message = await eventually(next_event, lambda m: m is not None, timeout=15)
    assert message is not None
    reviewed = json.loads(message.body)["data"]
    # What the notifier turns into the unit's notice (services/notifier: submission_returned).
    assert reviewed["action"] == "returned" and reviewed["unit_code"] == school.code
    assert "งบประมาณ" in reviewed["comment"]
    submission = page.url.removeprefix(office.console).split("?")[0]

    # The school reads the comment on its report's page; another school cannot open it.
    unit_context = await browser.new_context()
    try:
        mine = await sign_in(
            unit_context, office.console, "school", PASSWORD, submission, asked=True
        )
        await expect(mine.get_by_test_id("return-comment")).to_contain_text("งบประมาณที่ใช้ไป")
        await expect(mine.get_by_role("button", name="อนุมัติ")).to_have_count(0)
    finally:
        await unit_context.close()
    other_context = await browser.new_context()
    try:
        other = await sign_in(
            other_context, office.console, "other.school", PASSWORD, "/recommendations", asked=True
        )
        answer = await other.goto(f"{office.console}{submission}")
        assert answer is not None and answer.status == 404
        forged = await other_context.request.post(
            f"{office.console}{submission}/review", form={"action": "approved"}
        )
        assert forged.status == 403
    finally:
        await other_context.close()


async def _evaluation(office: Office) -> list[str]:
    """An action plan evaluation of two projects (framework from the demo), created by
    the officer through evaluation's API; the subjects."""
    plan = next(p for p in office.office.plans if p.plan_type == "action_plan")
    top = [p.code for p in office.office.projects if p.plan_id == plan.plan_id][:2]
    async with office.api("evaluation") as api:
        drafted = await api.post("/frameworks", json=framework())
        if drafted.status_code == 201:
            published = await api.post(
                f"/frameworks/{framework()['framework_id']}/versions/1/publish"
            )
            assert published.status_code == 200, published.text
        body = {
            "evaluation_id": EVALUATION,
            "evaluation_type": "action_plan",
            "fiscal_year": FISCAL_YEAR,
            "title_th": f"การประเมินผลแผนปฏิบัติการประจำปี {FISCAL_YEAR} (ทดสอบ)",
            "framework_id": framework()["framework_id"],
            "framework_version": 1,
            "plan_id": plan.plan_id,
            "subjects": top,
        }
        created = await api.post("/evaluations", json=body)
        assert created.status_code == 201, created.text
    return top


async def _score_all(page: Page, disagree: bool) -> None:
    """Every card: the proposed level, else ดี (3); one rubric card two levels off when
    `disagree`."""
    cards = page.get_by_test_id("card")
    for index in range(await cards.count()):
        card = cards.nth(index)
        proposed = card.get_by_test_id("proposed")
        level = 3
        if await proposed.count():
            checked = card.locator("label", has_text="(เสนอ)").locator("input")
            await checked.check()
            continue
        if disagree and index == 0:
            level = 5
        await card.locator(f'input[type="radio"][value="{level}"]').check()


async def test_three_assessors_score_and_the_officer_finalises(
    office: Office, browser: Browser
) -> None:
    subjects = await _evaluation(office)
    officer_context = await browser.new_context()
    try:
        officer = await sign_in(
            officer_context, office.console, "officer", PASSWORD, "/evaluations", asked=True
        )
        await officer.get_by_role(
            "link", name=f"การประเมินผลแผนปฏิบัติการประจำปี {FISCAL_YEAR} (ทดสอบ)"
        ).click()
        await officer.get_by_role("button", name="มอบหมายผู้ประเมินทุกคนทุกเกณฑ์").click()
        await expect(officer.get_by_role("status")).to_contain_text("บันทึกการมอบหมายผู้ประเมินแล้ว")
        expected = len(subjects) * 4 * len(ASSESSORS)
        await expect(officer.get_by_test_id("scoring-progress")).to_have_text(f"0 / {expected}")

        # Proposals need monitoring's progress to have reached evaluation.
        async def proposed() -> int:
            async with office.api("evaluation") as api:
                found = (await api.get(f"/evaluations/{EVALUATION}/results")).json()
            return sum(
                1
                for s in found["subjects"]
                for line in s["criteria"]
                if line["proposal"] and line["proposal"]["level"]
            )

        await eventually(proposed, lambda n: n > 0, timeout=90, every=1)

        for number, assessor in enumerate(ASSESSORS):
            own = await browser.new_context()
            try:
                page = await sign_in(own, office.console, assessor, PASSWORD, "/assess", asked=True)
                form = page.get_by_test_id(f"scoring-{EVALUATION}")
                cards = form.get_by_test_id("card")
                await expect(cards).to_have_count(len(subjects) * 4)
                if number == 0:
                    # A level other than the proposed one, submitted without a reason: refused
                    # next to its card, in Thai; the draft of the others is kept.
                    card = form.locator('[data-testid="card"]:has([data-testid="proposed"])').first
                    other = card.locator("label:not(:has-text('(เสนอ)')) input").first
                    await other.check()
                    await form.get_by_role("button", name="ส่งผลการประเมิน").click()
                    await expect(page.get_by_role("alert").first).to_be_visible()
                    await expect(
                        page.locator(".field-error", has_text="กรุณาระบุเหตุผล")
                    ).to_be_visible()
                    await _score_all(page, disagree=False)
                    await form.get_by_role("button", name="บันทึกฉบับร่าง").click()
                    await expect(page.get_by_role("status")).to_contain_text("บันทึกฉบับร่างแล้ว")
                    await page.reload()
                    checked = form.locator('input[type="radio"]:checked')
                    await expect(checked).to_have_count(len(subjects) * 4)
                    await shot(page, "assess")
                else:
                    await _score_all(page, disagree=number == 2)
                await form.get_by_role("button", name="ส่งผลการประเมิน").click()
                await expect(page.get_by_role("status")).to_contain_text("ส่งผลการประเมินแล้ว")
            finally:
                await own.close()

        await officer.reload()
        await expect(officer.get_by_test_id("scoring-progress")).to_have_text(
            f"{expected} / {expected}"
        )
        discuss = officer.get_by_test_id("to-discuss").locator("input")
        await expect(discuss).to_have_count(1)
        # Finalising before the disagreement is discussed: refused, in Thai.
        await officer.get_by_role("button", name="สรุปผลการประเมิน").click()
        await expect(officer.get_by_role("alert").first).to_contain_text("หารือ")
        await (
            officer.get_by_test_id("to-discuss")
            .locator("input")
            .fill("คณะผู้ประเมินพิจารณาหลักฐานร่วมกันแล้ว")
        )
        await officer.get_by_label("จุดเด่น (บรรทัดละหนึ่งข้อ เว้นว่างให้ระบบสรุปจากเกณฑ์ระดับสูง)").fill(
            "ผลผลิตเป็นไปตามเป้าหมาย"
        )
        await officer.get_by_label("หน่วยงานที่รับผิดชอบ 1").select_option(office.plan_unit)
        await officer.get_by_label("ข้อเสนอแนะ 1", exact=True).fill("เร่งรัดการเบิกจ่ายงบประมาณ")
        await shot(officer, "evaluation")
        await officer.get_by_role("button", name="สรุปผลการประเมิน").click()
        await expect(officer.get_by_test_id("evaluation-status")).to_have_attribute(
            "data-status", "finalised"
        )
        await expect(officer.get_by_test_id("final")).to_contain_text("เร่งรัดการเบิกจ่ายงบประมาณ")
        async with office.api("evaluation") as api:
            held = (await api.get(f"/evaluations/{EVALUATION}")).json()
        assert held["final"]["strengths_th"] == ["ผลผลิตเป็นไปตามเป้าหมาย"]

        # Reopening needs a reason.
        await officer.get_by_role("button", name="เปิดทบทวน").click()
        await expect(officer.get_by_role("alert").first).to_be_visible()
        await officer.get_by_label("เหตุผลที่เปิดทบทวน").fill("พบหลักฐานเพิ่มเติมของโครงการ")
        await officer.get_by_role("button", name="เปิดทบทวน").click()
        await expect(officer.get_by_test_id("evaluation-status")).to_have_attribute(
            "data-status", "open"
        )
    finally:
        await officer_context.close()


async def _inspection(office: Office) -> tuple[str, str]:
    """An inspection with one recommendation for the planning group (overdue) and one
    for supervision; their ids."""
    today = (datetime.now(UTC) + timedelta(hours=7)).date()
    inspected = today - timedelta(days=40)
    async with office.api("evaluation") as api:
        made = await api.post(
            "/inspections",
            json={
                "inspection_id": INSPECTION,
                "fiscal_year": FISCAL_YEAR,
                "kind": "moe_policy",
                "round_no": 1,
                "title_th": "การตรวจราชการตามนโยบาย รอบที่ 1 (ทดสอบ)",
                "inspected_on": str(inspected),
            },
        )
        assert made.status_code == 201, made.text
        issue = {"issue_code": "1", "title_th": "การบริหารงบประมาณ", "findings_th": "เบิกจ่ายช้า"}
        assert (await api.post(f"/inspections/{INSPECTION}/issues", json=issue)).status_code == 201
        ids = []
        for unit, due in (
            (office.plan_unit, inspected + timedelta(days=30)),
            (office.supervision_unit, today + timedelta(days=20)),
        ):
            rec = {
                "recommendation_id": f"R-{unit}",
                "issue_code": "1",
                "text_th": f"ให้{unit}เร่งรัดการเบิกจ่ายและรายงานผล",
                "responsible_unit": unit,
                "due_on": str(due),
            }
            added = await api.post(f"/inspections/{INSPECTION}/recommendations", json=rec)
            assert added.status_code == 201, added.text
            ids.append(rec["recommendation_id"])
    return ids[0], ids[1]


async def test_a_unit_closes_its_recommendation_with_evidence_and_sees_no_other(
    office: Office, browser: Browser, tmp_path: Path
) -> None:
    mine, theirs = await _inspection(office)
    own = await browser.new_context()
    try:
        page = await sign_in(
            own, office.console, "plan.group", PASSWORD, "/recommendations", asked=True
        )
        listed = page.get_by_test_id("recommendation")
        await expect(listed).to_have_count(1)
        card = page.locator(f'[data-testid="recommendation"][data-id="{mine}"]')
        await expect(card.get_by_test_id("overdue")).to_be_visible()
        evidence = tmp_path / "หลักฐานการเบิกจ่าย.pdf"
        evidence.write_bytes(PDF)
        await card.get_by_label("บันทึกความก้าวหน้า").fill("เบิกจ่ายครบตามแผนแล้ว แนบรายงานการเบิกจ่าย")
        await card.get_by_label("ไฟล์หลักฐาน (PDF รูปภาพ หรือเอกสาร)").set_input_files(str(evidence))
        await card.get_by_role("button", name="บันทึกความก้าวหน้า").click()
        await expect(page.get_by_role("status")).to_contain_text("บันทึกความก้าวหน้าแล้ว")
        card = page.locator(f'[data-testid="recommendation"][data-id="{mine}"]')
        await expect(card.get_by_test_id("progress")).to_contain_text("เบิกจ่ายครบตามแผนแล้ว")
        async with page.expect_download() as waiting:
            await card.get_by_test_id("progress").get_by_role("link").first.click()
        download = await waiting.value
        assert Path(await download.path()).read_bytes() == PDF  # noqa: ASYNC240 - small, local
        await card.get_by_label("เปลี่ยนสถานะเป็น").select_option("done")
        await card.get_by_role("button", name="เปลี่ยนสถานะ").click()
        await expect(page.get_by_role("status")).to_contain_text("เปลี่ยนสถานะแล้ว")
        card = page.locator(f'[data-testid="recommendation"][data-id="{mine}"]')
        await expect(card).to_have_attribute("data-status", "done")
        await shot(page, "recommendations")
        # Another unit's recommendation, written through the page's own form: refused.
        forged = await page.evaluate(
            """async ([id]) => {
                const csrf = document.querySelector('meta[name="csrf-token"]').content;
                const body = new URLSearchParams({csrf, to: "in_progress"});
                const r = await fetch(`/recommendations/${id}/status`, {method: "POST", body});
                return r.status;
            }""",
            [theirs],
        )
        assert forged == 422
    finally:
        await own.close()
    async with office.api("evaluation") as api:
        held = (await api.get(f"/inspections/{INSPECTION}/recommendations")).json()
    status = {r["recommendation_id"]: r["status"] for r in held}
    assert status == {mine: "done", theirs: "open"}, "the other unit's is untouched"

    # Through evaluation's API, as the console vouches for the planning group's reporter.
    async with office.as_person("evaluation", "reporter", office.plan_unit) as api:
        listed_api = await api.get(
            f"/inspections/{INSPECTION}/recommendations",
            params={"responsible_unit": office.supervision_unit},
        )
        assert [r["recommendation_id"] for r in listed_api.json()] == [mine]
        assert (await api.get(f"/inspections/{INSPECTION}/report")).status_code == 403
        assert all(
            o["responsible_unit"] == office.plan_unit
            for o in (await api.get("/recommendations/overdue")).json()
        )
        note = {"by": "x", "note_th": "ไม่ใช่ของเรา", "evidence": []}
        written = await api.post(f"/recommendations/{theirs}/progress", json=note)
        assert written.status_code == 403

    # The officer's register: overdue first, by issue and by unit.
    officer = await browser.new_context()
    try:
        page = await sign_in(officer, office.console, "officer", PASSWORD, "/register", asked=True)
        rows = page.get_by_test_id("register-row")
        await expect(rows).to_have_count(2)
        await page.get_by_role("link", name="ตามหน่วยงาน").click()
        await expect(page.get_by_test_id("register")).to_contain_text(office.supervision_unit)
        await shot(page, "register")
    finally:
        await officer.close()
