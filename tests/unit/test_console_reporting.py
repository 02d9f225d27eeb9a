"""The reporter's form in the console: inputs shaped into what intake takes, intake's
reasons back onto the inputs (and cells) they name, statuses, and the XLSX both ways."""

import io
from datetime import date

from openpyxl import load_workbook

from services.console.adapters import unit_sheet
from services.console.domain.english import ENGLISH
from services.console.domain.reporting import (
    ACTIVITY_TH,
    STATUS_TH,
    due_status,
    errors_by_input,
    layout,
    name_of_reason,
    said,
    typed_from_values,
    values_of,
)
from services.console.entrypoints.http_reporter import OUTCOME_TH, REVIEW_TH
from services.console.handlers.reporting_evidence import EVIDENCE_TH
from services.intake.domain.validation import FormContext, validate_values
from shared.contracts.setup import Round
from tests.unit.test_validation import FORM, INDICATORS, PROJECTS

CODES = ("P01", "P02")
ROUND = Round(
    round_id="2570-Q1",
    fiscal_year=2570,
    round_type="quarter",
    name_th="ไตรมาสที่ 1",
    period_start=date(2026, 10, 1),
    period_end=date(2026, 12, 31),
    opens_on=date(2026, 12, 1),
    due_on=date(2027, 1, 15),
    closes_on=date(2027, 1, 31),
)
LAYOUT = layout(FORM, ROUND.round_id, CODES, PROJECTS, INDICATORS)
CONTEXT = FormContext(FORM, CODES, PROJECTS, INDICATORS)


def typed_ok() -> dict[str, str]:
    typed = {
        "s::report_date": "๓๑/๑๒/๒๕๖๙",
        "s::problems": "ครูไม่พอ",
        "s::evidence": "https://a.example.th/1\nhttps://b.example.th/2",
    }
    for code in CODES:
        typed[f"p:{code}:status"] = "กำลังดำเนินการ"
        typed[f"p:{code}:budget_spent"] = "๑,๒๕๐.๕๐"
        for indicator in INDICATORS[code]:
            typed[f"i:{indicator.code}:actual"] = "๘๐"
    return typed


def test_what_is_typed_is_what_intake_takes_thai_digits_and_all() -> None:
    values = values_of(LAYOUT, typed_ok(), {"s::evidence": [{"evidence_id": "ev-1"}]})
    normalised, reasons = validate_values(values, CONTEXT)
    assert reasons == []
    assert normalised["projects"]["P01"] == {"status": "in_progress", "budget_spent": 125050}
    assert normalised["evidence"][0] == {"evidence_id": "ev-1"}
    assert normalised["report_date"] == "2026-12-31"
    assert "satisfaction" not in values, "a blank input is left for intake to judge"


def test_intake_reasons_come_back_to_the_inputs_they_name() -> None:
    typed = typed_ok() | {"p:P02:budget_spent": "60,000", "i:P01-I1:actual": ""}
    _, reasons = validate_values(values_of(LAYOUT, typed, {}), CONTEXT)
    errors = errors_by_input([r.model_dump() for r in reasons], english=False)
    assert errors["p:P02:budget_spent"] == "งบประมาณที่ใช้เกินงบที่ได้รับจัดสรร"
    assert errors["i:P01-I1:actual"] == "จำเป็นต้องกรอก"
    assert errors_by_input([r.model_dump() for r in reasons], english=True)["i:P01-I1:actual"] == (
        "required"
    )
    assert name_of_reason("values.projects.P9.x.budget_spent") == "p:P9.x:budget_spent"
    assert name_of_reason("values.projects.P09") == "p:P09:"
    assert name_of_reason("values.evidence[2]") == "s::evidence"
    assert name_of_reason("round_id") == ""
    assert said("ไม่พบรอบ", english=True) == "ไม่พบรอบ"


def test_a_stored_version_reads_back_in_baht_and_thai() -> None:
    values, _ = validate_values(values_of(LAYOUT, typed_ok(), {}), CONTEXT)
    typed = typed_from_values(LAYOUT, values)
    assert typed["p:P01:budget_spent"] == "1,250.50"
    assert typed["p:P01:status"] == "กำลังดำเนินการ"
    assert typed["s::evidence"] == "https://a.example.th/1\nhttps://b.example.th/2"


def test_statuses_of_a_due_report() -> None:
    before, after = date(2027, 1, 10), date(2027, 1, 20)
    assert due_status(ROUND, None, False, before)[0] == "not_started"
    assert due_status(ROUND, None, True, before)[0] == "draft"
    assert due_status(ROUND, None, True, after)[0] == "late"
    returned = {"status": "returned", "versions": [{"late": True}], "reviews": [{"comment": "แก้"}]}
    assert due_status(ROUND, returned, False, after) == ("returned", "แก้", True)
    assert due_status(ROUND, {"status": "approved", "versions": [{}]}, False, after)[0] == (
        "approved"
    )
    assert due_status(ROUND, {"status": "submitted", "versions": [{}]}, False, after)[0] == (
        "submitted"
    )


def test_the_sheet_round_trips_and_names_cells() -> None:
    identity = unit_sheet.identity_of("2570-Q1", FORM.form_id, FORM.version, "1084200101")
    content = unit_sheet.build(LAYOUT, identity, {"s::problems": "เดิม"}, "โรงเรียนทดสอบ", "ไตรมาส 1")
    book = load_workbook(io.BytesIO(content))
    projects = book[unit_sheet.PROJECTS]
    assert [projects.cell(r, 1).value for r in (2, 3)] == list(CODES)
    assert projects.cell(2, 3).value == "1,000,000.00"
    assert projects.protection.sheet and not projects.cell(2, 4).protection.locked
    assert projects.cell(2, 1).protection.locked
    projects.cell(2, 4, "ดำเนินการแล้ว")
    projects.cell(2, 5, 1250.5)
    out = io.BytesIO()
    book.save(out)
    typed, problems = unit_sheet.read(out.getvalue(), LAYOUT, identity)
    assert problems == []
    assert typed["p:P01:status"] == "ดำเนินการแล้ว"
    assert typed["p:P01:budget_spent"] == "1250.5"
    assert typed["s::problems"] == "เดิม"
    where = {c.name: (c.sheet, c.row, c.letter) for c in unit_sheet.cells(LAYOUT)}
    assert where["p:P02:budget_spent"] == ("โครงการ", 3, "E")
    other = unit_sheet.identity_of("2570-Q1", FORM.form_id, FORM.version, "1084200102")
    try:
        unit_sheet.read(out.getvalue(), LAYOUT, other)
    except unit_sheet.NotTheSheet as error:
        assert "หน่วยงาน" in error.message
    else:
        raise AssertionError("another unit's sheet is refused")


def test_every_word_of_the_reporter_pages_has_english() -> None:
    words = [
        *STATUS_TH.values(),
        *ACTIVITY_TH.values(),
        *OUTCOME_TH.values(),
        *REVIEW_TH.values(),
        *EVIDENCE_TH.values(),
    ]
    assert [w for w in words if w not in ENGLISH and w != "ยกเลิก"] == []
