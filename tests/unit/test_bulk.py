"""Many units' reports in one sheet: columns, rows, problems, keys and the template."""

import io
from datetime import datetime
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import load_workbook

from services.intake.adapters.bulk_template import bulk_template
from services.intake.domain.bulk import BulkProblem, column_of, parse_bulk
from services.intake.domain.validation import FormContext, validate_values
from shared.contracts.setup import Assignment, Form, FormField
from tests.unit.test_validation import FORM, INDICATORS, PROJECTS

HEADER = [
    "unit_code",
    "submission_key",
    "report_date",
    "ปัญหาอุปสรรค",  # the Thai label of `problems`
    "P01:status",
    "P01:budget_spent",
    "P02:งบประมาณที่ใช้ไป (บาท)",  # P02:budget_spent by its label
    "P01-I1:actual",
    "evidence",
]


def sheet_row(unit: object, key: object = None, **cells: object) -> list[object]:
    row: list[object] = [unit, key, "31/12/2569", None, "ดำเนินการแล้ว", "๑,๒๕๐.๕๐", None, "80"]
    row.append(None)
    for name, value in cells.items():
        row[HEADER.index(name)] = value
    return row


def found(problems: list[BulkProblem]) -> set[tuple[int | None, str | None, str]]:
    return {(p.row, p.column, p.code) for p in problems}


def test_rows_become_values_shaped_by_scope() -> None:
    rows = [
        sheet_row("๑๐๘๔๒๐๐๑๐๑", "k-1", ปัญหาอุปสรรค="  ครูไม่พอ "),
        sheet_row("1084200102", evidence="https://a.example.th/1 , https://a.example.th/2"),
    ]
    bulk, problems = parse_bulk(HEADER, rows, FORM)
    assert problems == []
    assert [(r.row, r.unit_code) for r in bulk] == [(2, "1084200101"), (3, "1084200102")]
    assert bulk[0].submission_key == "k-1"
    assert bulk[0].values == {
        "report_date": "31/12/2569",
        "problems": "ครูไม่พอ",
        "projects": {"P01": {"status": "ดำเนินการแล้ว", "budget_spent": "๑,๒๕๐.๕๐"}},
        "indicators": {"P01-I1": {"actual": "80"}},
    }
    assert bulk[1].values["evidence"] == [
        {"url": "https://a.example.th/1"},
        {"url": "https://a.example.th/2"},
    ]


def test_xlsx_cells_become_json_values() -> None:
    row = sheet_row("1084200101", report_date=datetime(2026, 12, 31))
    row[HEADER.index("P01:budget_spent")] = 1250.5
    row[HEADER.index("P01-I1:actual")] = Decimal("80.50")
    row[HEADER.index("P02:งบประมาณที่ใช้ไป (บาท)")] = 50000.0
    [parsed], problems = parse_bulk(HEADER, [row], FORM)
    assert problems == []
    assert parsed.values["report_date"] == "2026-12-31"
    assert parsed.values["projects"]["P01"]["budget_spent"] == 1250.5
    assert parsed.values["projects"]["P02"] == {"budget_spent": 50000}
    assert parsed.values["indicators"]["P01-I1"]["actual"] == "80.5"


def test_an_empty_key_is_derived_from_round_form_version_and_content() -> None:
    rows = [sheet_row("1084200101")]
    [first], _ = parse_bulk(HEADER, rows, FORM, round_id="2570-Q1")
    [again], _ = parse_bulk(HEADER, rows, FORM, round_id="2570-Q1")
    [other_round], _ = parse_bulk(HEADER, rows, FORM, round_id="2570-Q2")
    [other_form], _ = parse_bulk(HEADER, rows, FORM.model_copy(update={"version": 3}))
    [changed], _ = parse_bulk(
        HEADER, [sheet_row("1084200101", **{"P01-I1:actual": None})], FORM, round_id="2570-Q1"
    )
    [edited], _ = parse_bulk(
        HEADER, [sheet_row("1084200101", **{"P01-I1:actual": "81"})], FORM, round_id="2570-Q1"
    )
    assert first.submission_key == again.submission_key
    assert first.submission_key.startswith("bulk-") and len(first.submission_key) <= 128
    keys = {r.submission_key for r in (first, other_round, other_form, changed, edited)}
    assert len(keys) == 5


def test_header_problems_are_row_one() -> None:
    header = [*HEADER, "colour", "P01:colour", "problems", "not a code:actual"]
    bulk, problems = parse_bulk(header, [sheet_row("1084200101")], FORM)
    assert found(problems) == {
        (1, "colour", "unknown_column"),
        (1, "P01:colour", "unknown_column"),
        (1, "problems", "duplicate_column"),  # the label ปัญหาอุปสรรค named it already
        (1, "not a code:actual", "unknown_column"),
    }
    assert len(bulk) == 1  # the rows are read; the header's problems stop the import


def test_no_unit_code_column_no_rows() -> None:
    bulk, problems = parse_bulk(HEADER[1:], [sheet_row("1084200101")[1:]], FORM)
    assert bulk == []
    assert found(problems) == {(1, "unit_code", "missing_column")}


def test_thai_header_for_unit_code() -> None:
    bulk, problems = parse_bulk(["รหัสหน่วยงาน", "P01:budget_spent"], [["OFF01", "1"]], FORM)
    assert problems == []
    assert bulk[0].unit_code == "OFF01"


def test_repeated_units_name_every_row_and_are_left_out() -> None:
    rows = [
        sheet_row("1084200101"),
        sheet_row("1084200102"),
        sheet_row("๑๐๘๔๒๐๐๑๐๑"),
        sheet_row("1084200101"),
    ]
    bulk, problems = parse_bulk(HEADER, rows, FORM)
    assert [r.unit_code for r in bulk] == ["1084200102"]
    assert found(problems) == {(n, "unit_code", "duplicate_unit") for n in (2, 4, 5)}
    assert "4, 5" in next(p.message for p in problems if p.row == 2)


def test_unit_codes_missing_or_invalid_and_blank_rows() -> None:
    rows: list[list[object]] = [
        sheet_row(None),
        [None, "  ", None],  # blank: skipped
        [],
        sheet_row("ไม่มีรหัส"),
        sheet_row("OFF01", "k" * 129),
        sheet_row("OFF02"),
    ]
    bulk, problems = parse_bulk(HEADER, rows, FORM)
    assert [(r.row, r.unit_code) for r in bulk] == [(7, "OFF02")]
    assert found(problems) == {
        (2, "unit_code", "required"),
        (5, "unit_code", "invalid"),
        (6, "submission_key", "invalid"),
    }


def test_data_under_no_header_is_reported_by_column_letter() -> None:
    header = ["unit_code", None, "P01:budget_spent"]
    rows: list[list[object]] = [
        ["OFF01", "x", "1"],
        ["OFF02", "y", "2"],
        ["OFF03", None, None, "z"],
    ]
    bulk, problems = parse_bulk(header, rows, FORM)
    assert found(problems) == {(1, "B", "unknown_column"), (1, "D", "unknown_column")}
    assert len(bulk) == 3


def shared_key_form() -> Form:
    note = {"key": "note", "label_th": "หมายเหตุ", "field_type": "text"}
    return Form(
        form_id="f",
        version=1,
        title_th="แบบ",
        fields=(
            FormField(key="spent", label_th="ใช้ไป", field_type="money", scope="project"),
            FormField(key="actual", label_th="ผล", field_type="decimal", scope="indicator"),
            FormField.model_validate(note | {"scope": "project"}),
            FormField.model_validate(note | {"scope": "indicator"}),
        ),
    )


def test_a_key_of_two_scopes_is_read_by_the_codes_other_columns() -> None:
    header = ["unit_code", "P01:spent", "P01:note", "I1:actual", "I1:note", "X9:note"]
    bulk, problems = parse_bulk(header, [["OFF01", "1", "ก", "2", "ข", "ค"]], shared_key_form())
    assert found(problems) == {(1, "X9:note", "ambiguous_column")}
    assert bulk[0].values == {
        "projects": {"P01": {"spent": "1", "note": "ก"}},
        "indicators": {"I1": {"actual": "2", "note": "ข"}},
    }


@pytest.mark.parametrize(
    ("field", "column"),
    [
        ("values.projects.P01.budget_spent", "P01:budget_spent"),
        ("values.indicators.P01-I1.actual", "P01-I1:actual"),
        ("values.indicators.P2570.01.actual", "P2570.01:actual"),
        ("values.problems", "problems"),
        ("values.evidence[3]", "evidence"),
        ("values.projects.P03", "P03:*"),
        ("values.projects", "projects"),
    ],
)
def test_column_of_a_reason(field: str, column: str) -> None:
    assert column_of(field) == column


def assignment(unit: str, *projects: str, form_id: str = FORM.form_id) -> Assignment:
    return Assignment(round_id="2570-Q1", form_id=form_id, unit_code=unit, project_codes=projects)


def template() -> Any:
    assignments = [
        assignment("0084200101", "P01", "P02"),
        assignment("0084200102", "P02"),
        assignment("OFF01", "P01", form_id="other-form"),
    ]
    content = bulk_template(FORM, assignments, INDICATORS)
    return load_workbook(io.BytesIO(content)).active


def test_the_template_has_one_row_per_assigned_unit() -> None:
    sheet = template()
    header = [cell.value for cell in sheet[1]]
    assert header[:4] == ["unit_code", "submission_key", "report_date", "problems"]
    assert "P01:budget_spent" in header and "P02:status" in header
    assert "P01-I2:numerator" in header and "P02-I1:actual" in header
    assert not any(str(h).startswith("P03") for h in header)
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == ["0084200101", "0084200102"]
    comment = sheet.cell(row=1, column=header.index("P02:budget_spent") + 1).comment.text
    assert "งบประมาณที่ใช้ไป (บาท)" in comment and "โครงการ P02" in comment
    assert "จำเป็น" in comment and "ไม่เกิน 2,000,000.00 บาท" in comment
    not_theirs = sheet.cell(row=3, column=header.index("P01:status") + 1)
    assert not_theirs.fill.fgColor.rgb.endswith("D9D9D9")  # 0084200102 does not report P01


def test_a_filled_template_validates_and_problems_point_at_columns() -> None:
    sheet = template()
    header = [cell.value for cell in sheet[1]]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    for row in rows:
        row[header.index("report_date")] = "๑/๑/๒๕๗๐"
        row[header.index("P02:status")] = "กำลังดำเนินการ"
        row[header.index("P02:budget_spent")] = "๕๐,๐๐๐.๐๑"  # over P02's 50,000 baht
        row[header.index("P02-I1:actual")] = 50
    bulk, problems = parse_bulk(header, rows, FORM, round_id="2570-Q1")
    assert problems == []
    second = FormContext(FORM, ("P02",), PROJECTS, INDICATORS)
    values, reasons = validate_values(bulk[1].values, second)
    assert values["projects"]["P02"]["budget_spent"] == 5_000_001
    assert [(column_of(r.field), r.code) for r in reasons] == [("P02:budget_spent", "rule_failed")]
    first = FormContext(FORM, ("P01", "P02"), PROJECTS, INDICATORS)
    _, reasons = validate_values(bulk[0].values, first)
    columns = {column_of(r.field) for r in reasons}
    assert columns <= set(header)
    assert {"P01:status", "P01:budget_spent", "P01-I1:actual"} <= columns
