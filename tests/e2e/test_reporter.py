"""A school's reporter in Chromium, against all five services as processes.

A teacher on a 360 px phone opens what is due, fills the form (Thai digits), sees intake's
reason next to the field it names, fixes it, loses the connection while sending and sends
again: one version at intake. What was typed survives a closed browser. Another school
fills the form offline as an XLSX (one planted error found by its cell, then fixed and
accepted). Neither school sees or writes the other's report. The officer downloads the bulk
sheet for many units from the console, fills it (one planted error found by row and column
in a dry run that writes nothing), fixes it and confirms: every unit's report accepted.

With `TIDTAM_SCREENSHOTS=<folder>` each page is also saved there (docs/console/).
"""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from playwright.async_api import Browser, BrowserContext, Route, expect

from samples.demo import ROUND
from samples.load import load
from samples.office import FISCAL_YEAR, FORM_ID, SampleOffice, generate_office
from shared.contracts.setup import Round
from shared.thai.calendar import quarter_period
from tests.browser import shot, sign_in
from tests.processes import Started, five_services
from tests.servers import Servers, namespaced
from tests.support import add_staff, eventually

pytestmark = pytest.mark.e2e

SCHOOLS = 12
PASSWORD = "reporter-test-password-1"
PHONE = {"width": 360, "height": 780}
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


@dataclass
class Office(Started):
    office: SampleOffice
    schools: dict[str, dict[str, Any]]  # username -> its school's assignment in ROUND

    async def versions(self, unit_code: str) -> list[dict[str, Any]]:
        """What intake holds of a unit's report in ROUND (a reviewer's key)."""
        reviewer = self.processes["intake"].key("reviewer")
        async with self.api("intake", reviewer) as intake:
            answer = await intake.get(
                "/submissions",
                params={"form_id": FORM_ID, "round_id": ROUND, "unit_code": unit_code},
            )
        answer.raise_for_status()
        found = answer.json()
        return found[0]["versions"] if found else []


@pytest.fixture(scope="module")
async def office(
    live_servers: Servers, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Office]:
    async with namespaced(live_servers) as settings:
        processes = five_services(settings, tmp_path_factory.mktemp("reporter"))
        try:
            officer = processes["monitoring"].officer
            sample = generate_office(schools=SCHOOLS)
            await load(sample, processes["monitoring"].url, demo_round=True, headers=officer)
            async with httpx.AsyncClient(
                base_url=processes["monitoring"].url, headers=officer, timeout=60
            ) as monitoring:
                listed = await monitoring.get(
                    "/assignments", params={"round_id": ROUND, "limit": 5000}
                )
            schools = {u.code for u in sample.units if u.unit_type == "school"}
            assigned = [
                a for a in listed.json() if a["unit_code"] in schools and a["project_codes"]
            ]
            measured = {i.project_code for i in sample.indicators}
            chosen = {
                "teacher": assigned[0],
                "other": assigned[1],
                # one whose form has indicators, for its earlier round's actuals
                "earlier": next(
                    a for a in assigned[2:] if measured.intersection(a["project_codes"])
                ),
            }
            await add_staff(
                settings,
                PASSWORD,
                *((name, "reporter", a["unit_code"]) for name, a in chosen.items()),
                ("officer", "officer", sample.office_code),
            )
            yield Office(settings, processes, sample, chosen)
        finally:
            for process in processes.values():
                process.stop()


def budget_of(office: Office, code: str) -> Decimal:
    project = next(p for p in office.office.projects if p.code == code)
    return Decimal(project.budget_satang) / 100


async def test_a_teacher_reports_on_a_phone_and_a_lost_answer_is_not_a_second_report(
    office: Office, browser: Browser
) -> None:
    context = await browser.new_context(viewport=PHONE)
    page = await sign_in(context, office.console, "teacher", PASSWORD, "/reporting")
    assignment = office.schools["teacher"]
    unit = assignment["unit_code"]
    due = page.get_by_test_id("due").locator(f'[data-round="{ROUND}"]')
    await expect(due.get_by_test_id("due-status")).to_have_text("ยังไม่เริ่ม")
    await shot(page, "reporting-360")
    await due.click()
    await expect(page.get_by_test_id("report-status")).to_have_text("ยังไม่เริ่ม")
    projects = assignment["project_codes"]
    first = page.locator(f'[data-project="{projects[0]}"]')
    await expect(first.locator("legend")).to_have_text(
        next(p.name_th for p in office.office.projects if p.code == projects[0])
    )
    for code in projects:
        block = page.locator(f'[data-project="{code}"]')
        await block.get_by_label("สถานะการดำเนินงาน").select_option("กำลังดำเนินการ")
    over = budget_of(office, projects[0]) + 1000
    await first.get_by_label("งบประมาณที่ใช้ไป (บาท)").fill(f"{over:,.2f}")
    indicators = first.locator("[data-indicator]")
    if await indicators.count():
        await indicators.first.get_by_label("ผลการดำเนินงาน").fill("๘๐")
    await page.get_by_label("ปัญหาและอุปสรรค").fill("ครูไม่เพียงพอ อินเทอร์เน็ตช้า")
    await page.get_by_role("button", name="ส่งรายงาน", exact=True).click()

    # Intake's reason, in Thai, next to the budget of the first project.
    error = first.locator(".field-error")
    await expect(error).to_contain_text("งบประมาณที่ใช้ไปต้องไม่เกินงบประมาณที่ได้รับจัดสรร")
    await expect(page.get_by_label("ปัญหาและอุปสรรค")).to_have_value("ครูไม่เพียงพอ อินเทอร์เน็ตช้า")
    assert await office.versions(unit) == []
    await error.evaluate("e => e.scrollIntoView({block: 'center'})")
    await shot(page, "report-error-360", full_page=False)
    await first.get_by_label("งบประมาณที่ใช้ไป (บาท)").fill("๑,๒๕๐.๕๐")

    # The report reaches intake, but its answer is lost on the way back.
    lost: list[str] = []

    async def lose_the_answer(route: Route) -> None:
        if not lost:
            await route.fetch()  # the console and intake did their part
            lost.append(route.request.url)
            await route.abort("internetdisconnected")
        else:
            await route.continue_()

    await page.route("**/submit", lose_the_answer)
    await page.get_by_role("button", name="ส่งรายงาน", exact=True).click()
    await expect(page.locator("#connection")).to_be_visible()
    await expect(page.locator("#connection")).to_contain_text("การเชื่อมต่อขาดหาย")
    assert lost
    await expect(first.get_by_label("งบประมาณที่ใช้ไป (บาท)")).to_have_value("๑,๒๕๐.๕๐")
    assert len(await office.versions(unit)) == 1, "the first send was taken"

    # Send again: a repeat, the same one version.
    await page.get_by_role("button", name="ส่งรายงาน", exact=True).click()
    await expect(page.get_by_test_id("report-status")).to_have_text("ส่งแล้ว")
    await expect(page.get_by_role("status")).to_contain_text("ไม่บันทึกซ้ำ")
    versions = await office.versions(unit)
    assert len(versions) == 1
    assert versions[0]["values"]["projects"][projects[0]]["budget_spent"] == 125050
    await expect(page.get_by_test_id("versions").locator("tbody tr")).to_have_count(1)
    await page.evaluate("window.scrollTo(0, 0)")
    await shot(page, "report-sent-360", full_page=False)
    await context.close()


async def test_what_is_typed_survives_a_closed_browser(office: Office, browser: Browser) -> None:
    context = await browser.new_context(viewport=PHONE)
    page = await sign_in(context, office.console, "teacher", PASSWORD, "/reporting")
    await page.goto(f"{office.console}/reporting/{ROUND}/{FORM_ID}")
    await page.get_by_label("ข้อเสนอแนะ").fill("ขอให้จัดอบรมครูเพิ่ม")
    await expect(page.locator("#draft-state")).to_contain_text("บันทึกฉบับร่างแล้ว")
    # An evidence file goes to intake's evidence store and is listed on the draft.
    await page.get_by_label("ไฟล์หลักฐาน (PDF รูปภาพ หรือเอกสาร)").set_input_files(
        files=[{"name": "ภาพกิจกรรม.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    await page.get_by_role("button", name="แนบไฟล์").click()
    await expect(page.get_by_role("status")).to_contain_text("แนบไฟล์แล้ว")
    await expect(page.get_by_test_id("files")).to_contain_text("ภาพกิจกรรม.pdf")
    await context.close()

    context = await browser.new_context(viewport=PHONE)
    page = await sign_in(context, office.console, "teacher", PASSWORD, "/reporting")
    await expect(page.get_by_test_id("due-status").first).to_have_text("ฉบับร่าง")
    await page.goto(f"{office.console}/reporting/{ROUND}/{FORM_ID}")
    await expect(page.get_by_label("ข้อเสนอแนะ")).to_have_value("ขอให้จัดอบรมครูเพิ่ม")
    await expect(page.get_by_test_id("files")).to_contain_text("ภาพกิจกรรม.pdf")
    await context.close()


async def test_a_school_reports_with_an_xlsx_and_sees_only_its_own(
    office: Office, context: BrowserContext, tmp_path: Path
) -> None:
    page = await sign_in(context, office.console, "other", PASSWORD, "/reporting")
    await page.goto(f"{office.console}/reporting/{ROUND}/{FORM_ID}")
    async with page.expect_download() as waiting:
        await page.get_by_test_id("sheet-download").click()
    download = await waiting.value
    await download.save_as(tmp_path / "form.xlsx")
    book = load_workbook(tmp_path / "form.xlsx")
    projects = book["โครงการ"]
    heads = [c.value for c in projects[1]]
    status_column = heads.index("สถานะการดำเนินงาน") + 1
    budget_column = heads.index("งบประมาณที่ใช้ไป (บาท)") + 1
    codes = office.schools["other"]["project_codes"]
    assert [projects.cell(r, 1).value for r in range(2, 2 + len(codes))] == list(codes)
    assert projects.cell(2, 3).value == f"{budget_of(office, codes[0]):,.2f}"
    for row, code in enumerate(codes, start=2):
        assert not projects.cell(row, status_column).protection.locked
        projects.cell(row, status_column, "ดำเนินการแล้ว")
        projects.cell(row, budget_column, f"{budget_of(office, code) / 2:,.2f}")
    assert projects.cell(2, 1).protection.locked, "codes and names stay as they are"
    assert projects.data_validations.dataValidation, "a drop-down for the status"
    projects.cell(3 if len(codes) > 1 else 2, status_column, "เสร็จแล้วมั้ง")  # planted error
    book["ข้อมูลทั่วไป"].cell(2, 2, "ห้องเรียนไม่พอ (จากไฟล์)")
    filled = tmp_path / "filled.xlsx"
    book.save(filled)

    await page.get_by_label("ไฟล์ Excel ที่กรอกแล้ว").set_input_files(str(filled))
    await page.get_by_role("button", name="ส่งรายงานจากไฟล์").click()
    problems = page.get_by_test_id("sheet-problems")
    await expect(problems).to_be_visible()
    rows = await problems.locator("tbody tr").all_inner_texts()
    planted = f"โครงการ\t{3 if len(codes) > 1 else 2}\t{chr(ord('A') + status_column - 1)}\t"
    assert any(r.startswith(planted) and "สถานะการดำเนินงาน" in r for r in rows), rows
    assert await office.versions(office.schools["other"]["unit_code"]) == [], "nothing written"
    await problems.evaluate("e => e.scrollIntoView({block: 'center'})")
    await shot(page, "report-sheet-problems", full_page=False)

    projects.cell(3 if len(codes) > 1 else 2, status_column, "กำลังดำเนินการ")
    book.save(filled)
    await page.get_by_label("ไฟล์ Excel ที่กรอกแล้ว").set_input_files(str(filled))
    await page.get_by_role("button", name="ส่งรายงานจากไฟล์").click()
    await expect(page.get_by_role("status")).to_contain_text("ส่งรายงานจากไฟล์ Excel แล้ว")
    await expect(page.get_by_test_id("report-status")).to_have_text("ส่งแล้ว")
    versions = await office.versions(office.schools["other"]["unit_code"])
    assert len(versions) == 1 and versions[0]["values"]["problems"] == "ห้องเรียนไม่พอ (จากไฟล์)"
    await shot(page, "report", full_page=False)

    # The other school's page never shows this one's report, nor takes its round's key.
    mine = office.schools["other"]["unit_code"]
    await context.clear_cookies()
    teacher = await sign_in(context, office.console, "teacher", PASSWORD, "/reporting")
    await teacher.goto(f"{office.console}/reporting/{ROUND}/{FORM_ID}")
    await expect(teacher.get_by_test_id("report")).not_to_contain_text("ห้องเรียนไม่พอ (จากไฟล์)")
    assert mine not in await teacher.content()
    missing = await teacher.goto(f"{office.console}/reporting/{ROUND}/no-such-form")
    assert missing is not None and missing.status == 404
    refused = await teacher.goto(f"{office.console}/bulk")
    assert refused is not None and refused.status == 403


async def test_the_officer_reports_many_units_with_the_bulk_sheet(
    office: Office, context: BrowserContext, tmp_path: Path
) -> None:
    page = await sign_in(context, office.console, "officer", PASSWORD)
    await page.goto(f"{office.console}/bulk")
    async with page.expect_download() as waiting:
        await page.get_by_test_id(f"bulk-template-{ROUND}").click()
    download = await waiting.value
    await download.save_as(tmp_path / "bulk.xlsx")
    book = load_workbook(tmp_path / "bulk.xlsx")
    sheet = book.active
    assert sheet is not None and sheet["A1"].value == "unit_code"
    await shot(page, "bulk")
    async with office.api("monitoring") as monitoring:
        listed = await monitoring.get("/assignments", params={"round_id": ROUND, "limit": 5000})
    projects_of: dict[str, list[str]] = {}
    for assignment in listed.json():
        if assignment["form_id"] == FORM_ID:
            projects_of.setdefault(assignment["unit_code"], []).extend(assignment["project_codes"])
    listed_units = [sheet.cell(r, 1).value for r in range(2, sheet.max_row + 1)]
    assert sorted(listed_units) == sorted(projects_of), "one row per unit assigned the form"

    # The two schools that report for themselves are left out; every other unit is filled.
    own = {a["unit_code"] for a in office.schools.values()}
    for row in range(sheet.max_row, 1, -1):
        if sheet.cell(row, 1).value in own:
            sheet.delete_rows(row)
    heads = {cell.value: cell.column for cell in sheet[1]}
    units = {sheet.cell(r, 1).value: r for r in range(2, sheet.max_row + 1)}
    for unit, row in units.items():
        for code in projects_of[unit]:
            sheet.cell(row, heads[f"{code}:activity_status"], "กำลังดำเนินการ")
    sheet.cell(2, heads["problems"], "ครูย้ายกลางภาค (จากไฟล์รวม)")
    planted_unit = next(u for u in units if projects_of[u])
    planted_row = units[planted_unit]
    planted_column = f"{projects_of[planted_unit][0]}:activity_status"
    sheet.cell(planted_row, heads[planted_column], "เสร็จแล้วมั้ง")
    filled = tmp_path / "bulk-filled.xlsx"
    book.save(filled)

    # The dry run: the planted error by row and column, in Thai; nothing written.
    target = f"{ROUND}|{FORM_ID}|1"
    await page.get_by_label("รอบและแบบรายงาน").select_option(target)
    await page.get_by_label("ไฟล์ XLSX หรือ CSV").set_input_files(str(filled))
    await page.get_by_role("button", name="ตรวจสอบไฟล์ (ยังไม่บันทึก)").click()
    report = page.get_by_test_id("bulk-report")
    await expect(report).to_have_attribute("data-outcome", "refused")
    rows = await page.get_by_test_id("bulk-problems").locator("tbody tr").all_inner_texts()
    assert len(rows) == 1, rows
    assert rows[0].startswith(f"{planted_row}\t{planted_column}\t"), rows
    assert "“เสร็จแล้วมั้ง” ไม่ใช่สถานะการดำเนินงาน" in rows[0], rows
    await expect(page.get_by_role("button", name="ยืนยันการนำเข้า")).to_have_count(0)
    await shot(page, "bulk-problems")
    for unit in units:
        assert await office.versions(unit) == [], f"{unit}: nothing written"

    # Fixed: the dry run is clean and still writes nothing, until the officer confirms.
    sheet.cell(planted_row, heads[planted_column], "ดำเนินการแล้ว")
    book.save(filled)
    await page.get_by_label("รอบและแบบรายงาน").select_option(target)
    await page.get_by_label("ไฟล์ XLSX หรือ CSV").set_input_files(str(filled))
    await page.get_by_role("button", name="ตรวจสอบไฟล์ (ยังไม่บันทึก)").click()
    await expect(report).to_have_attribute("data-outcome", "checked")
    await expect(page.get_by_test_id("bulk-problems")).to_have_count(0)
    assert await office.versions(planted_unit) == []
    await page.get_by_role("button", name="ยืนยันการนำเข้า").click()
    await expect(report).to_have_attribute("data-outcome", "stored")
    await expect(report).to_contain_text(f"บันทึกแล้ว {len(units)} แถว")

    # Intake holds one version of each unit's report; monitoring counts them as reported.
    for unit in units:
        versions = await office.versions(unit)
        assert len(versions) == 1, unit
        statuses = {c: p["activity_status"] for c, p in versions[0]["values"]["projects"].items()}
        expected = {c: "in_progress" for c in projects_of[unit]}
        if unit == planted_unit:
            expected[projects_of[unit][0]] = "done"
        assert statuses == expected, unit
    first = sheet.cell(2, 1).value
    assert (await office.versions(first))[0]["values"]["problems"] == "ครูย้ายกลางภาค (จากไฟล์รวม)"

    async def missing() -> list[str]:
        async with office.api("monitoring") as monitoring:
            board = (await monitoring.get(f"/dashboard/rounds/{ROUND}")).json()
        return list(board["missing_units"])

    await eventually(missing, lambda found: not set(found) & set(units), timeout=60, every=1)

    # The same template from intake's API.
    reviewer = office.processes["intake"].key("reviewer")
    async with office.api("intake", reviewer) as intake:
        answer = await intake.get(f"/rounds/{ROUND}/forms/{FORM_ID}/versions/1/bulk/template")
    assert answer.status_code == 200 and answer.content[:2] == b"PK"


async def test_the_form_shows_the_units_actuals_of_an_earlier_round(
    office: Office, context: BrowserContext
) -> None:
    """Run last: the round it adds would be first on the other schools' due pages."""
    assignment = office.schools["earlier"]
    unit = assignment["unit_code"]
    today = (datetime.now(UTC) + timedelta(hours=7)).date()  # Thailand's date
    quarter = quarter_period(FISCAL_YEAR, 1)
    earlier = Round(
        round_id=f"{FISCAL_YEAR}-M1",
        fiscal_year=FISCAL_YEAR,
        round_type="custom",
        name_th="รอบติดตามเร่งด่วน (ทดสอบ)",
        period_start=quarter.start,
        period_end=quarter.end - timedelta(days=1),  # ends before the demo round's
        opens_on=today - timedelta(days=7),
        due_on=today + timedelta(days=7),
        closes_on=today + timedelta(days=30),
    )
    async with office.api("monitoring") as monitoring:
        made = await monitoring.post("/rounds", json=earlier.model_dump(mode="json"))
        assert made.is_success, made.text
        derived = await monitoring.post(f"/fiscal-years/{FISCAL_YEAR}/assignments/derive")
        assert derived.is_success, derived.text
        listed = await monitoring.get(
            "/assignments", params={"round_id": earlier.round_id, "unit_code": unit}
        )
    reported = next(a for a in listed.json() if a["form_id"] == FORM_ID)["project_codes"]
    spent = {code: (budget_of(office, code) / 4).quantize(Decimal("0.01")) for code in reported}
    values = {
        "projects": {
            code: {"activity_status": "in_progress", "budget_spent": f"{spent[code]:.2f}"}
            for code in reported
        },
        "indicators": {
            i.code: {"actual": "70"} for i in office.office.indicators if i.project_code in reported
        },
    }
    report = {"round_id": earlier.round_id, "form_id": FORM_ID, "form_version": 1}
    reporter = office.processes["intake"].key("reporter", unit)

    # The unit's own system reports the earlier round once intake has its copy of it.
    async def send() -> tuple[int, str]:
        async with office.api("intake", reporter) as intake:
            answer = await intake.post("/submissions", json={**report, "values": values})
        return answer.status_code, answer.text

    await eventually(send, lambda sent: sent[0] in (200, 201), timeout=60, every=1)

    # The demo round's form: each input of a project of both rounds shows the earlier value.
    codes = [c for c in assignment["project_codes"] if c in reported]
    indicators = [i for i in office.office.indicators if i.project_code in codes]
    assert indicators, "a project with indicators in both rounds"
    page = await sign_in(context, office.console, "earlier", PASSWORD, "/reporting")
    await page.goto(f"{office.console}/reporting/{ROUND}/{FORM_ID}")
    for code in codes:
        shown = await page.locator(f'[data-project="{code}"] .earlier').all_inner_texts()
        assert f"{earlier.name_th} กำลังดำเนินการ" in " ".join(shown), (code, shown)
        assert f"{earlier.name_th} {spent[code]:,.2f}" in " ".join(shown), (code, shown)
    for indicator in indicators:
        line = page.locator(f'[data-indicator="{indicator.code}"]')
        await expect(line.locator(".earlier").first).to_contain_text(f"{earlier.name_th} 70")
    await line.evaluate("e => e.scrollIntoView({block: 'center'})")
    await shot(page, "report-earlier", full_page=False)
