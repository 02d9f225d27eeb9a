"""Bulk import through monitoring's API: every problem by row and column, nothing partial."""

import csv
import io

import openpyxl
import pytest

from shared.platform.settings import Settings
from tests.integration.test_setup_api import office
from tests.support import monitoring_api

pytestmark = pytest.mark.integration

HEADER = ["code", "unit_type", "name_th", "parent_code", "province", "active_from", "active_to"]
GOOD = ["8401000011", "school", "โรงเรียนบ้านนาดี", "SESA-T1", "ชุมพร", "", ""]
PLANTED = [
    GOOD,
    ["84010", "school", "โรงเรียนรหัสสั้น", "SESA-T1", "", "", ""],  # not 10 digits
    ["8401000013", "school", "โรงเรียนไม่มีต้นสังกัด", "NOPE", "", "", ""],  # unknown parent
    ["8401000011", "school", "โรงเรียนซ้ำ", "SESA-T1", "", "", ""],  # duplicate code
    ["8401000014", "school", "โรงเรียนวันผิด", "SESA-T1", "", "31/02/2570", ""],  # no such date
    ["8401000015", "school", "", "SESA-T1", "", "", ""],  # name missing
    ["8401000016", "university", "มหาวิทยาลัย", "SESA-T1", "", "", ""],  # unknown type
    ["8401000017", "school", "โรงเรียนปิดก่อนเปิด", "SESA-T1", "", "2027-03-01", "2027-01-01"],
    ["8401000018", "school", "โรงเรียนใต้กลุ่ม", "SESA-T1-PP", "", "", ""],  # wrong parent type
    ["8401000019", "school", "โรงเรียนเลขไทย", "SESA-T1", "", "๑/๑๐/๒๕๖๙", ""],  # fine
    ["8401000020", "school", "โรงเรียนใต้ สพฐ.", "OBEC", "", "", ""],  # wrong parent type
]


def xlsx(header: list[str], rows: list[list[str]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


async def test_a_dry_run_reports_all_ten_planted_errors_and_writes_nothing(
    settings: Settings,
) -> None:
    async with monitoring_api(settings) as api:
        await office(api)
        before = (await api.get("/units")).json()
        content = xlsx([*HEADER, "colour"], [[*row, ""] for row in PLANTED])
        files = {"file": ("units.xlsx", content)}
        report = (await api.post("/imports/units", files=files, params={"dry_run": "false"})).json()
        assert report["outcome"] == "refused" and report["written"] == 0
        found = sorted((p["row"], p["column"]) for p in report["problems"])
        assert found == [
            (1, "colour"),
            (3, "code"),
            (4, "parent_code"),
            (5, "code"),
            (6, "active_from"),
            (7, "name_th"),
            (8, "unit_type"),
            (9, "active_to"),
            (10, "parent_code"),
            (12, "parent_code"),
        ]
        assert all(p["message_th"] for p in report["problems"])
        assert (await api.get("/units")).json() == before, "nothing was written"


async def test_a_clean_csv_is_written_and_announced(settings: Settings) -> None:
    rows = [GOOD, ["8401000019", "โรงเรียน", "โรงเรียนเลขไทย", "SESA-T1", "", "๑/๑๐/๒๕๖๙", ""]]
    text = io.StringIO()
    csv.writer(text).writerows([HEADER, *rows])
    files = {"file": ("units.csv", text.getvalue().encode("utf-8-sig"))}
    async with monitoring_api(settings) as api:
        await office(api)
        checked = (await api.post("/imports/units", files=files)).json()
        assert checked["outcome"] == "checked" and checked["valid_rows"] == 2
        assert (await api.get("/units/8401000019")).status_code == 404, "a dry run writes nothing"
        written = (
            await api.post("/imports/units", files=files, params={"dry_run": "false"})
        ).json()
        assert written["outcome"] == "written" and written["written"] == 2
        school = (await api.get("/units/8401000019")).json()
        assert school["active_from"] == "2026-10-01" and school["unit_type"] == "school"
        template = await api.get("/imports/units/template")
        assert template.status_code == 200 and template.content[:2] == b"PK"
        unreadable = await api.post("/imports/units", files={"file": ("units.pdf", b"%PDF")})
        assert unreadable.status_code == 422
