"""The officer's day in the console, in Chromium, against all five services as processes.

A synthetic office is loaded; an officer signs in, reads who has not reported (checked
against monitoring's own API), watches a report sent over AMQP arrive without reloading,
reminds a school, fixes a round's due date, imports units (a dry run with planted errors,
then a good sheet confirmed), and downloads the round report. A school's reporter is
refused the officer's pages; a form without its CSRF token, a wrong password and the sixth
rapid attempt are refused.

With `TIDTAM_SCREENSHOTS=<folder>` each page is also saved there (docs/console/).
"""

import json
import random
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import aio_pika
import httpx
import pytest
from playwright.async_api import BrowserContext, Page, expect

from samples.demo import ROUND
from samples.load import load
from samples.office import SampleOffice, generate_office
from samples.progress import progress_values
from shared.platform.topology import Topology
from tests.browser import shot, sign_in
from tests.processes import Started, five_services
from tests.servers import Servers, namespaced
from tests.support import add_staff, amqp_channel, eventually, publish

pytestmark = pytest.mark.e2e

SCHOOLS = 30
PASSWORD = "console-test-password-1"


@dataclass
class Office(Started):
    office: SampleOffice


@pytest.fixture(scope="module")
async def office(
    live_servers: Servers, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Office]:
    async with namespaced(live_servers) as settings:
        processes = five_services(settings, tmp_path_factory.mktemp("console"))
        try:
            officer = processes["monitoring"].officer
            sample = generate_office(schools=SCHOOLS)
            await load(sample, processes["monitoring"].url, demo_round=True, headers=officer)
            school = next(u.code for u in sample.units if u.unit_type == "school")
            await add_staff(
                settings,
                PASSWORD,
                ("officer", "officer", sample.office_code),
                ("school", "reporter", school),
                ("victim", "officer", sample.office_code),
            )
            yield Office(settings, processes, sample)
        finally:
            for process in processes.values():
                process.stop()


async def missing_on_page(page: Page) -> list[str]:
    rows = page.locator('[data-testid="missing-list"] tbody tr td:first-child')
    return [text.strip() for text in await rows.all_inner_texts()]


async def test_the_officer_sees_who_has_not_reported_and_it_updates_live(
    office: Office, context: BrowserContext
) -> None:
    page = await sign_in(context, office.console, "officer", PASSWORD)
    await expect(page.get_by_role("heading", level=1)).to_contain_text("ภาพรวมรอบรายงาน")
    async with office.api("monitoring") as monitoring:
        board = (await monitoring.get(f"/dashboard/rounds/{ROUND}")).json()
    assert await missing_on_page(page) == board["missing_units"], (
        "the page lists who monitoring does"
    )
    names = {u.code: u.name_th for u in office.office.units}
    first = board["missing_units"][0]
    await expect(page.locator('[data-testid="missing-list"]')).to_contain_text(names[first])
    await shot(page, "home")
    await page.set_viewport_size({"width": 360, "height": 780})
    await shot(page, "home-360")
    await page.set_viewport_size({"width": 1280, "height": 900})

    # A school's system reports over AMQP: the open page shows it without a reload.
    await page.evaluate("window.__notReloaded = true")
    before = len(board["missing_units"])
    async with office.api("monitoring") as monitoring:
        listed = await monitoring.get(
            "/assignments", params={"round_id": ROUND, "unit_code": first, "limit": 100}
        )
    values = progress_values(office.office, listed.json(), random.Random(1))[first]
    values["problems"] = "ครูไม่เพียงพอ (ทดสอบ)"
    event = {
        "event_id": str(uuid.uuid4()),
        "type": "submission.submitted.v1",
        "schema_version": 1,
        "occurred_at": datetime.now(UTC).isoformat(),
        "correlation_id": "console-live",
        "producer": "school-system",
        "data": {
            "submission_key": f"live-{first}",
            "unit_code": first,
            "round_id": ROUND,
            "form_id": listed.json()[0]["form_id"],
            "form_version": 1,
            "submitted_at": datetime.now(UTC).isoformat(),
            "submitter": "ระบบของโรงเรียน",
            "values": values,
        },
    }
    topology = Topology(office.settings.namespace)
    async with amqp_channel(office.settings.amqp_url) as channel:
        await publish(channel, topology.events_exchange, "submission.submitted.v1", event)
    count = page.get_by_test_id("missing-count")
    await expect(count).to_have_text(str(before - 1), timeout=20_000)
    assert await page.evaluate("window.__notReloaded === true"), "updated in place"
    assert first not in await missing_on_page(page)

    # The problem it reported is listed; the officer marks it resolved.
    await page.reload()
    row = page.get_by_test_id("problems").locator("tr", has_text="ครูไม่เพียงพอ (ทดสอบ)")
    await row.get_by_role("button", name="แก้ไขแล้ว").click()
    row = page.get_by_test_id("problems").locator("tr", has_text="ครูไม่เพียงพอ (ทดสอบ)")
    await expect(row).to_contain_text("แก้ไขแล้ว")
    await expect(row.get_by_role("button")).to_have_count(0)


async def test_the_officer_reminds_a_school_and_monitoring_announces_it(
    office: Office, context: BrowserContext
) -> None:
    page = await sign_in(context, office.console, "officer", PASSWORD)
    unit = (await missing_on_page(page))[0]
    topology = Topology(office.settings.namespace)
    async with amqp_channel(office.settings.amqp_url) as channel:
        queue = await channel.declare_queue(exclusive=True, auto_delete=True)
        await queue.bind(topology.events_exchange, routing_key="reminder.due.v1")
        row = page.locator('[data-testid="missing-list"] tbody tr', has_text=unit)
        await row.get_by_role("button", name="แจ้งเตือน").click()
        await expect(page.get_by_role("status")).to_contain_text("ส่งการแจ้งเตือนแล้ว 1 หน่วย")

        async def next_reminder() -> aio_pika.abc.AbstractIncomingMessage | None:
            return await queue.get(fail=False, no_ack=True)

        message = await eventually(next_reminder, lambda m: m is not None, timeout=15)
    assert message is not None
    assert json.loads(message.body)["data"]["unit_code"] == unit

    # The school's own page: who it is and where its report stands.
    name = next(u.name_th for u in office.office.units if u.code == unit)
    await page.get_by_role("link", name=name, exact=True).first.click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text(name)
    await expect(page.get_by_test_id("unit-reports")).to_be_visible()


async def test_the_officer_moves_a_due_date_and_imports_units(
    office: Office, context: BrowserContext, tmp_path: Path
) -> None:
    page = await sign_in(context, office.console, "officer", PASSWORD)
    await page.goto(f"{office.console}/rounds")
    await shot(page, "rounds")
    await page.goto(f"{office.console}/rounds/{ROUND}/edit")
    async with office.api("monitoring") as monitoring:
        held = (await monitoring.get(f"/rounds/{ROUND}")).json()
    moved = (date.fromisoformat(held["due_on"]) + timedelta(days=3)).isoformat()
    await page.get_by_label("กำหนดส่ง").fill(moved)
    await page.get_by_role("button", name="บันทึก").click()
    await expect(page.get_by_role("status")).to_contain_text(f"บันทึกรอบ {ROUND} แล้ว")
    async with office.api("monitoring") as monitoring:
        assert (await monitoring.get(f"/rounds/{ROUND}")).json()["due_on"] == moved
    # A due date before the opening date: monitoring's reason, next to the field, in Thai.
    await page.goto(f"{office.console}/rounds/{ROUND}/edit")
    await page.get_by_label("กำหนดส่ง").fill("2000-01-01")
    await page.get_by_role("button", name="บันทึก").click()
    await expect(page.get_by_role("alert").first).to_be_visible()

    # An indicator's target, typed in Thai digits.
    indicator = office.office.indicators[0]
    await page.goto(f"{office.console}/indicators/{indicator.code}/edit")
    await page.get_by_label("ค่าเป้าหมายทั้งปี").fill("๘๕")
    await page.get_by_role("button", name="บันทึก").click()
    await expect(page.get_by_role("status")).to_contain_text(f"บันทึกตัวชี้วัด {indicator.code}")
    async with office.api("monitoring") as monitoring:
        held = (await monitoring.get(f"/indicators/{indicator.code}")).json()
    assert float(held["year_target"]) == 85

    # A school's contacts for the notifier: a bad address is refused next to its field.
    school = next(u for u in office.office.units if u.unit_type == "school")
    await page.goto(f"{office.console}/units/{school.code}/edit")
    contacts = page.get_by_label("อีเมลผู้ประสานงาน (คั่นด้วยจุลภาค)")
    await contacts.fill("ครู@, teacher@school.example")
    await page.get_by_role("button", name="บันทึก").click()
    await expect(page.locator("#e-contact_emails")).to_be_visible()
    await contacts.fill("teacher@school.example, head.teacher@school.example")
    await page.get_by_label("ชื่อผู้บริหารหน่วยงาน (ลงนามในรายงาน)").fill("นายทดสอบ ใจดี")
    await page.get_by_role("button", name="บันทึก").click()
    await expect(page.get_by_role("status")).to_contain_text(f"บันทึก {school.code} แล้ว")
    async with office.api("monitoring") as monitoring:
        held = (await monitoring.get(f"/units/{school.code}")).json()
    assert held["contact_emails"] == ["teacher@school.example", "head.teacher@school.example"]
    assert held["head_name_th"] == "นายทดสอบ ใจดี"

    bad = tmp_path / "units-with-errors.csv"
    bad.write_text(
        "รหัสหน่วยงาน,ประเภทหน่วยงาน,ชื่อหน่วยงาน,รหัสหน่วยงานต้นสังกัด\n"
        f"1084999901,school,โรงเรียนบ้านใหม่ทดสอบ,{office.office.office_code}\n"
        f"1084999902,castle,โรงเรียนผิดประเภท,{office.office.office_code}\n"
        "1084999903,school,,NO-SUCH-UNIT\n",
        encoding="utf-8",
    )
    await page.goto(f"{office.console}/imports")
    await page.get_by_label("ไฟล์ XLSX หรือ CSV").set_input_files(str(bad))
    await page.get_by_role("button", name="ตรวจสอบไฟล์").click()
    problems = page.get_by_test_id("import-problems")
    await expect(problems).to_be_visible()
    rows = await problems.locator("tbody tr").all_inner_texts()
    assert any(r.startswith("3") and "ประเภทหน่วยงาน" in r for r in rows), rows
    assert any(r.startswith("4") for r in rows), rows
    await shot(page, "imports")
    good = tmp_path / "units.csv"
    good.write_text(
        "รหัสหน่วยงาน,ประเภทหน่วยงาน,ชื่อหน่วยงาน,รหัสหน่วยงานต้นสังกัด\n"
        f"1084999901,school,โรงเรียนบ้านใหม่ทดสอบ,{office.office.office_code}\n",
        encoding="utf-8",
    )
    await page.get_by_label("ไฟล์ XLSX หรือ CSV").set_input_files(str(good))
    await page.get_by_role("button", name="ตรวจสอบไฟล์").click()
    await page.get_by_role("button", name="ยืนยันการนำเข้า").click()
    await expect(page.get_by_test_id("import-report")).to_have_attribute("data-outcome", "written")
    async with office.api("monitoring") as monitoring:
        assert (await monitoring.get("/units/1084999901")).status_code == 200
    await page.goto(f"{office.console}/units?q=บ้านใหม่ทดสอบ")
    await expect(page.get_by_test_id("units")).to_contain_text("1084999901")
    await shot(page, "units")


async def test_the_officer_opens_next_fiscal_year_and_adds_a_round_of_her_own(
    office: Office, context: BrowserContext
) -> None:
    page = await sign_in(context, office.console, "officer", PASSWORD)
    await page.goto(f"{office.console}/rounds")
    year = page.get_by_test_id("open-year")
    await year.get_by_label("ปีงบประมาณ (พ.ศ.)").fill("๒๕๗๑")
    await year.get_by_role("button", name="1. สร้างรอบมาตรฐาน").click()
    await expect(page.get_by_role("status")).to_contain_text("ปีงบประมาณ 2571 แล้ว (ใหม่ 6 รอบ)")
    await expect(page.get_by_test_id("rounds")).to_contain_text("2571-Q4")
    await year.get_by_label("ปีงบประมาณ (พ.ศ.)").fill("2571")
    await year.get_by_role("button", name="2. กำหนดผู้รายงานจากโครงการ").click()
    await expect(page.get_by_role("status")).to_contain_text("กำหนดผู้รายงานของปีงบประมาณ 2571")

    await page.get_by_text("รอบพิเศษ เช่น").click()
    added = page.get_by_test_id("add-round")
    await added.get_by_label("รหัสรอบ").fill("2571-S1")
    await added.get_by_label("ปีงบประมาณ (พ.ศ.)").fill("2571")
    await added.get_by_label("ชื่อรอบ").fill("ติดตามเร่งด่วนนโยบายลดภาระครู")
    for label, day in (
        ("วันแรกของช่วงที่รายงาน", "2026-11-01"),
        ("วันสุดท้ายของช่วงที่รายงาน", "2026-11-30"),
        ("วันเปิดรับรายงาน", "2026-12-10"),
        ("กำหนดส่ง", "2026-12-05"),  # before it opens: refused
        ("วันปิดรับรายงาน", "2026-12-20"),
    ):
        await added.get_by_label(label).fill(day)
    await added.get_by_role("button", name="เพิ่มรอบ").click()
    await expect(page.get_by_role("alert").first).to_contain_text("วันเปิด ≤ กำหนดส่ง")
    await added.get_by_label("กำหนดส่ง").fill("2026-12-15")
    await added.get_by_role("button", name="เพิ่มรอบ").click()
    await expect(page.get_by_role("status")).to_contain_text("เพิ่มรอบ 2571-S1 แล้ว")
    await expect(page.get_by_test_id("rounds")).to_contain_text("ติดตามเร่งด่วนนโยบายลดภาระครู")
    async with office.api("monitoring") as monitoring:
        held = (await monitoring.get("/rounds/2571-S1")).json()
    assert (held["round_type"], held["due_on"]) == ("custom", "2026-12-15")


async def test_the_officer_builds_a_form_field_by_field_and_publishes_it(
    office: Office, context: BrowserContext
) -> None:
    page = await sign_in(context, office.console, "officer", PASSWORD)
    await page.goto(f"{office.console}/forms")
    await page.get_by_text("สร้างแบบรายงานใหม่").click()
    await page.get_by_label("รหัสแบบรายงาน (a-z, 0-9, -)").fill("school-safety")
    await page.get_by_label("ชื่อแบบรายงาน").fill("แบบรายงานความปลอดภัยในโรงเรียน")
    await page.get_by_role("button", name="สร้างแบบรายงาน").click()
    await expect(page.get_by_role("status")).to_contain_text("สร้างฉบับร่าง school-safety")

    # A choice field without its choices: monitoring's reason, in Thai, on that field's card.
    await page.get_by_role("button", name="+ เพิ่มช่อง").click()
    await page.locator('[name="f1.key"]').fill("fire_drill")
    await page.locator('[name="f1.label_th"]').fill("การซ้อมหนีไฟภาคเรียนนี้")
    await page.locator('[name="f1.field_type"]').select_option("choice")
    await page.locator('[name="f1.required"]').check()
    await page.get_by_role("button", name="บันทึกฉบับร่าง").first.click()
    await expect(page.get_by_test_id("field-1").get_by_role("alert")).to_contain_text("ตัวเลือก")
    await expect(page.locator('[name="f1.label_th"]')).to_have_value("การซ้อมหนีไฟภาคเรียนนี้")
    await page.locator('[name="f1.choices"]').fill("done = ซ้อมแล้ว\nnot_yet = ยังไม่ได้ซ้อม")
    await page.get_by_role("button", name="เลื่อนขึ้น 2").click()
    await expect(page.locator('[name="f0.key"]')).to_have_value("fire_drill")
    await page.get_by_role("button", name="บันทึกฉบับร่าง").first.click()
    await expect(page.get_by_role("status")).to_contain_text("บันทึกฉบับร่าง school-safety")
    await shot(page, "form-edit")
    await page.get_by_role("button", name="บันทึกและเผยแพร่").first.click()
    await expect(page.get_by_role("status")).to_contain_text("เผยแพร่แบบ school-safety ฉบับที่ 1")
    async with office.api("monitoring") as monitoring:
        held = (await monitoring.get("/forms/school-safety/versions/1")).json()
    assert held["status"] == "published"
    assert [f["key"] for f in held["fields"]] == ["fire_drill", "progress_note"]
    assert held["fields"][0]["required"] is True
    assert [c["label_th"] for c in held["fields"][0]["choices"]] == ["ซ้อมแล้ว", "ยังไม่ได้ซ้อม"]
    await page.goto(f"{office.console}/forms/school-safety/versions/1")
    await expect(page.locator('[name="f0.key"]')).to_have_attribute("readonly", "")
    await expect(page.get_by_role("button", name="บันทึกฉบับร่าง")).to_have_count(0)


async def test_the_officer_downloads_the_round_report(
    office: Office, context: BrowserContext
) -> None:
    page = await sign_in(context, office.console, "officer", PASSWORD)
    await page.goto(f"{office.console}/reports")
    await page.get_by_label("รายงาน", exact=True).select_option("round")
    await page.get_by_label("รอบการรายงาน (รายงานรอบ / อัตราการส่ง)").select_option(ROUND)
    await page.get_by_label("รูปแบบไฟล์").select_option("pdf")
    await page.get_by_role("button", name="ขอรายงาน").click()
    status = page.get_by_test_id("report-status")
    await expect(status).to_have_attribute("data-status", "rendered", timeout=90_000)
    await shot(page, "reports")
    async with page.expect_download() as waiting:
        await page.get_by_test_id("download").click()
    download = await waiting.value
    with open(await download.path(), "rb") as file:  # noqa: ASYNC230 - a small local file
        assert file.read(4) == b"%PDF"


async def test_the_director_page_and_the_users_page_render(
    office: Office, context: BrowserContext
) -> None:
    page = await sign_in(context, office.console, "officer", PASSWORD)
    await page.goto(f"{office.console}/director")
    await expect(page.get_by_role("heading", level=1)).to_have_text("สรุปสำหรับผู้บริหาร")
    await shot(page, "director")
    await page.goto(f"{office.console}/users")
    await expect(page.get_by_test_id("accounts")).to_contain_text("school")
    await shot(page, "users")
    await page.goto(f"{office.console}/plans")
    await expect(page.get_by_test_id("projects")).to_be_visible()
    await shot(page, "plans")
    project = office.office.projects[0]
    await page.get_by_role("link", name=project.name_th, exact=True).first.click()
    await expect(page.get_by_role("heading", level=1)).to_contain_text(project.name_th)
    await expect(page.locator("[data-chart]").first).to_be_visible()
    await shot(page, "project")

    # A new draft of the form from its published version, then published.
    await page.goto(f"{office.console}/forms")
    await page.get_by_role("button", name="สร้างฉบับร่างใหม่").first.click()
    await expect(page.get_by_role("status")).to_contain_text("ฉบับที่ 2")  # its editor page
    await page.get_by_role("button", name="บันทึกและเผยแพร่").first.click()
    await expect(page.get_by_role("status")).to_contain_text("เผยแพร่แบบ")
    await shot(page, "forms")


async def test_a_reporter_is_refused_officer_pages_and_forms_need_their_token(
    office: Office, context: BrowserContext
) -> None:
    page = await sign_in(context, office.console, "school", PASSWORD, "/reporting")  # its due
    for path in ("/director", "/units", "/users", "/reports"):
        answer = await page.goto(f"{office.console}{path}")
        assert answer is not None and answer.status == 403, path
    # The page's own session, but a form without its CSRF token.
    forged = await context.request.post(
        f"{office.console}/remind", form={"round_id": ROUND}, max_redirects=0
    )
    assert forged.status == 403


async def test_wrong_passwords_are_refused_and_the_sixth_attempt_waits(office: Office) -> None:
    async with httpx.AsyncClient(base_url=office.console) as client:
        for _ in range(5):
            wrong = await client.post("/signin", data={"username": "victim", "password": "nope"})
            assert wrong.status_code == 401 and "ไม่ถูกต้อง" in wrong.text
        sixth = await client.post("/signin", data={"username": "victim", "password": PASSWORD})
        assert sixth.status_code == 429 and "กรุณารอ" in sixth.text
