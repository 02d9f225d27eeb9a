"""Bulk import of the set-up: every problem by row and column, Thai input, CSV and XLSX."""

import io
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from services.monitoring.adapters.tabular import write_template
from services.monitoring.domain import cells
from services.monitoring.domain.imports import COLUMNS, KnownRefs, Problem, parse_rows
from shared.contracts.setup import Indicator, Plan, Project, Unit
from shared.platform.tables import TableError, read_table

KNOWN = KnownRefs(
    unit_codes={"OBEC", "OFF01"},
    plan_ids={"AP2570"},
    form_ids={"action-plan-progress"},
    round_ids={"2570-Q2", "2570-Q4"},
)
UNIT_HEADER = ["code", "unit_type", "name_th", "parent_code", "active_from", "active_to"]
PROJECT_HEADER = ["code", "plan_id", "name_th", "responsible_unit", "งบประมาณ (บาท)"]
PROJECT_HEADER += ["starts_on", "ends_on", "reporting_units", "reporting_unit_types"]
FORM = "action-plan-progress"


def unit(
    code: object,
    name: str | None,
    parent: str | None = "OFF01",
    *,
    kind: str = "school",
    opened: object = None,
    closed: object = None,
) -> list[object]:
    return [code, kind, name, parent, opened, closed]


def project(
    code: str,
    budget: object,
    *,
    unit: str = "OFF01",
    plan: str = "AP2570",
    starts: str = "1/10/2569",
    ends: str = "30/9/2570",
    units: str | None = None,
    types: str | None = None,
) -> list[object]:
    return [code, plan, f"โครงการ {code}", unit, budget, starts, ends, units, types]


def found(problems: list[Problem]) -> set[tuple[int | None, str | None, str]]:
    return {(p.row, p.column, p.code) for p in problems}


def xlsx(sheets: Mapping[str, Sequence[Sequence[object]]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_units_sheet_reports_each_planted_error() -> None:
    rows = [
        unit("1084200101", "โรงเรียนบ้านหนองบัว"),
        unit("GRP-PLAN", "กลุ่มนโยบายและแผน", kind="กลุ่ม", opened="2026-10-01"),
        unit("OBEC2", "สพฐ. ซ้ำ", kind="obec"),
        unit("1084200102", "โรงเรียนบ้านนา", None),
        unit("1084200103", "x" * 201, "NOPE"),
    ]
    result = parse_rows("units", UNIT_HEADER, rows, KNOWN)

    assert found(result.problems) == {
        (4, "parent_code", "invalid"),  # only OBEC has no parent
        (5, "parent_code", "invalid"),
        (6, "name_th", "invalid"),
        (6, "parent_code", "unknown_reference"),
    }
    assert [u.model_dump()["code"] for u in result.entities] == ["1084200101", "GRP-PLAN"]
    assert isinstance(result.entities[1], Unit) and result.entities[1].unit_type == "group"
    assert result.rows_read == 5
    thai = {p.row: p.message_th for p in result.problems if p.column == "parent_code"}
    assert thai[6] == "ไม่พบหน่วยงาน “NOPE”"


def test_projects_sheet_reports_each_planted_error() -> None:
    rows = [
        project("P2570-01", "1,250,000.50", units="OFF01; 1084200101", types="โรงเรียน"),
        project("P2570-02", "100", plan="AP2569"),
        project("P2570-03", "-5", starts="1/10/2570", ends="1/10/2569"),
        project("P2570-04", "10", types="school, schools"),
    ]
    known = KnownRefs(unit_codes={"OFF01", "1084200101"}, plan_ids={"AP2570"})
    result = parse_rows("projects", PROJECT_HEADER, rows, known)

    assert found(result.problems) == {
        (3, "plan_id", "unknown_reference"),
        (4, "งบประมาณ (บาท)", "invalid"),  # negative: named as the file names it
        (5, "reporting_unit_types", "invalid"),
    }
    # Row 4 also ends before it starts, but pydantic runs a model's cross-field rules only
    # once its fields are valid: that shows up after the budget is fixed.
    (valid,) = result.entities
    assert isinstance(valid, Project)
    assert valid.budget_satang == 125_000_050
    assert valid.reporting_units == ("OFF01", "1084200101")
    assert valid.reporting_unit_types == ("school",)
    assert (valid.starts_on, valid.ends_on) == (date(2026, 10, 1), date(2027, 9, 30))


def test_ten_planted_errors_in_a_workbook_are_all_reported_where_they_are() -> None:
    units: list[list[object]] = [
        [*UNIT_HEADER, "colour"],
        unit("OFF01", "สพม.ทดสอบ", "OBEC", kind="office"),  # 2
        unit(1084200101, "โรงเรียนบ้านหนองบัว", opened="๑/๑๐/๒๕๖๙"),  # 3: Thai digits, fine
        unit("12345", "โรงเรียนรหัสสั้น"),  # 4
        unit("1084200102", "โรงเรียนบ้านนา", "OFF99"),  # 5
        unit("1084200101", "โรงเรียนซ้ำ"),  # 6
        unit("1084200103", "โรงเรียนวันผิด", opened="31/02/2569"),  # 7
        unit("1084200104", None),  # 8
        unit("1084200105", "โรงเรียนพิมพ์ผิด", kind="schoool"),  # 9
        unit("1084200106", "โรงเรียนปิดก่อนเปิด", opened=datetime(2026, 10, 1), closed="30/9/2569"),
        [None] * 7,
    ]
    projects: list[list[object]] = [
        list(PROJECT_HEADER[:7]),
        project("P2570-01", "1,250,000.50", unit="1084200101")[:7],  # 2: fine
        project("P2570-02", "1000.125")[:7],  # 3
        project("P2570-03", "0", unit="GRP99")[:7],  # 4
    ]
    workbook = xlsx({"units": units, "projects": projects})

    unit_result = parse_rows("units", *read_table("setup.xlsx", workbook, "units"), KNOWN)
    known = KNOWN.with_keys("units", unit_result.keys)
    project_result = parse_rows("projects", *read_table("setup.xlsx", workbook, "projects"), known)

    reported = {("units", *p) for p in found(unit_result.problems)}
    reported |= {("projects", *p) for p in found(project_result.problems)}
    assert reported == {
        ("units", 4, "code", "invalid"),  # a school code has exactly 10 digits
        ("units", 5, "parent_code", "unknown_reference"),
        ("units", 6, "code", "duplicate"),
        ("units", 7, "active_from", "invalid"),
        ("projects", 3, "งบประมาณ (บาท)", "invalid"),  # 3 decimals
        ("units", 1, "colour", "unknown_column"),
        ("units", 8, "name_th", "required"),
        ("units", 9, "unit_type", "invalid"),
        ("units", 10, "active_to", "invalid"),
        ("projects", 4, "responsible_unit", "unknown_reference"),
    }
    assert len(unit_result.problems) + len(project_result.problems) == 10
    duplicate = next(p for p in unit_result.problems if p.code == "duplicate")
    assert "rows 3 and 6" in duplicate.message and "แถว 3" in duplicate.message_th
    thai_row = next(u for u in unit_result.entities if u.model_dump()["code"] == "1084200101")
    assert isinstance(thai_row, Unit) and thai_row.active_from == date(2026, 10, 1)
    assert unit_result.rows_read == 9
    assert all(p.message and p.message_th for p in unit_result.problems)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-10-01", date(2026, 10, 1)),
        ("1/10/2569", date(2026, 10, 1)),
        ("๑/๑๐/๒๕๖๙", date(2026, 10, 1)),
        ("01.10.2569", date(2026, 10, 1)),
        ("1 ต.ค. 2569", date(2026, 10, 1)),
        ("๒๔ พฤศจิกายน ๒๕๖๙", date(2026, 11, 24)),
        (datetime(2026, 10, 1, 0, 0), date(2026, 10, 1)),
        (date(2569, 10, 1), date(2026, 10, 1)),  # a BE year typed into a CE date cell
        ("  ", None),
        (None, None),
    ],
)
def test_dates_the_way_officers_type_them(typed: object, expected: date | None) -> None:
    assert cells.to_date(typed) == expected


@pytest.mark.parametrize("typed", ["31/02/2569", "1/10/69", "2026/13/01", "เมื่อวาน", "1/10/2300"])
def test_impossible_dates_are_problems(typed: str) -> None:
    with pytest.raises(cells.CellError):
        cells.to_date(typed)


def test_thai_digits_wherever_a_number_or_code_is_typed() -> None:
    assert cells.integer("๒๕๗๐") == 2570
    assert cells.decimal("๘๐%") == Decimal("80")
    assert cells.decimal("๑,๒๐๐.๕") == Decimal("1200.5")
    assert cells.code("๑๐๘๔๒๐๐๑๐๑") == "1084200101"
    assert cells.text("โครงการ ๑") == "โครงการ ๑"  # names keep their Thai digits
    assert cells.text("\u200b เ\u0e34 ") is not None  # zero-width space stripped, NFC applied
    with pytest.raises(cells.CellError):
        cells.integer("2570.5")


@pytest.mark.parametrize(
    ("typed", "satang"),
    [
        ("1,250,000.50", 125_000_050),
        ("0.1", 10),
        (0.29, 29),  # 0.29 * 100 is 28.999999999999996 in float
        (1250000.5, 125_000_050),
        (Decimal("19.99"), 1999),
        ("1.500", 150),  # trailing zeros are still exact
        ("๑,๐๐๐", 100_000),
        (7, 700),
        ("", None),
    ],
)
def test_baht_become_exact_satang(typed: object, satang: int | None) -> None:
    assert cells.satang(typed) == satang


@pytest.mark.parametrize("typed", ["1.005", "0.001", "1,25", "12,3456", "abc", "10%", True])
def test_money_that_is_not_exact_baht_is_a_problem(typed: object) -> None:
    with pytest.raises(cells.CellError):
        cells.satang(typed)


def test_thai_headers_and_a_missing_column_are_reported_once() -> None:
    header = ["รหัส", "ประเภทหน่วยงาน", "รหัสหน่วยงานต้นสังกัด", "จังหวัด"]
    rows: list[list[object]] = [
        ["OFF01", "สพม.", "OBEC", "ชุมพร"],
        ["OFF02", "office", "OBEC", None],
    ]
    result = parse_rows("units", header, rows, KNOWN)
    assert found(result.problems) == {(1, "name_th", "missing_column")}
    assert result.entities == []


def test_a_blank_header_with_data_under_it_is_reported() -> None:
    header = ["code", "unit_type", "name_th", "parent_code", ""]
    rows: list[list[object]] = [
        ["OFF02", "office", "สพม.ใหม่", "OBEC", None],
        ["OFF03", "office", "ก", "OBEC", "x"],
    ]
    result = parse_rows("units", header, rows)
    assert found(result.problems) == {(3, None, "unknown_column")}
    assert "คอลัมน์ E" in result.problems[0].message_th


def test_indicator_targets_per_round_column() -> None:
    header = ["code", "project_code", "name_th", "unit_of_measure", "indicator_type", "year_target"]
    header += ["target_2570-Q2", "ค่าเป้าหมาย 2570-Q4", "target_2570-Q9", "levels"]
    levels = "กำลังพัฒนา, ปานกลาง; ดี, ดีเลิศ, ยอดเยี่ยม"
    rows = [
        ["I1", "P1", "ร้อยละนักเรียนอ่านออก", "ร้อยละ", "ร้อยละ", "80", "๔๐", "80", None, None],
        ["I2", "P1", "ระดับคุณภาพ", "ระดับ", "level", "3", None, None, None, levels],
        ["I3", "P9", "ร้อยละเกิน", "ร้อยละ", "percent", "120", None, None, None, None],
    ]
    known = KnownRefs(project_codes={"P1"}, round_ids={"2570-Q2", "2570-Q4"})
    result = parse_rows("indicators", header, rows, known)

    assert found(result.problems) == {
        (1, "target_2570-Q9", "unknown_reference"),
        (4, "project_code", "unknown_reference"),
        (4, None, "invalid"),  # percent targets lie between 0 and 100: no single column
    }
    first, second = result.entities
    assert isinstance(first, Indicator) and isinstance(second, Indicator)
    assert first.round_targets == {"2570-Q2": Decimal(40), "2570-Q4": Decimal(80)}
    assert first.indicator_type == "percent"
    assert len(second.levels) == 5


def test_plans_and_assignment_overrides() -> None:
    header = ["plan_id", "plan_type", "name_th", "office_code", "first_fiscal_year"]
    header += ["last_fiscal_year", "form_id"]
    rows = [
        ["AP2570", "แผนปฏิบัติการ", "แผนปฏิบัติการ 2570", "OFF01", "๒๕๗๐", 2570, FORM],
        ["AP2571", "action_plan", "แผนสองปี", "OFF01", 2570, 2571, "no-such-form"],
    ]
    plans = parse_rows("plans", header, rows, KNOWN)
    assert found(plans.problems) == {
        (3, "last_fiscal_year", "invalid"),
        (3, "form_id", "unknown_reference"),
    }
    assert isinstance(plans.entities[0], Plan) and plans.entities[0].first_fiscal_year == 2570

    header = [column.name for column in COLUMNS["assignments"]]
    rows = [
        ["OV1", "เพิ่ม", "OFF01", FORM, "P1", "1/1/2570", None, "ยุบรวม"],
        ["OV2", "remove", "OFF01", FORM, None, "2027-01-01", "2026-12-31", "ก"],
        ["OV3", "remove", "OFF01", FORM, None, "2027-01-01", None, None],
    ]
    known = KnownRefs(unit_codes={"OFF01"}, form_ids={FORM}, project_codes={"P1"})
    overrides = parse_rows("assignments", header, rows, known)
    assert found(overrides.problems) == {
        (3, "effective_to", "invalid"),
        (4, "reason_th", "required"),
    }
    assert overrides.entities[0].model_dump()["action"] == "add"


def test_csv_in_thai_windows_encoding_and_utf8_with_bom() -> None:
    text = "รหัส;ประเภทหน่วยงาน;ชื่อ;ต้นสังกัด\r\n๑๐๘๔๒๐๐๑๐๑;โรงเรียน;โรงเรียนบ้านหนองบัว;OFF01\r\n;;;\r\n"
    header, rows = read_table("units.csv", text.encode("cp874"))
    assert header == ["รหัส", "ประเภทหน่วยงาน", "ชื่อ", "ต้นสังกัด"]
    assert len(rows) == 1
    (school,) = parse_rows("units", header, rows, KNOWN).entities
    assert isinstance(school, Unit) and school.code == "1084200101"
    assert school.name_th == "โรงเรียนบ้านหนองบัว"

    utf8 = (
        "code,plan_id,name_th,responsible_unit,budget_baht,starts_on,ends_on\n"
        'P1,AP2570,โครงการ,OFF01,"1,250,000.50",1/10/2569,30/9/2570\n'
    )
    header, rows = read_table("projects.CSV", b"\xef\xbb\xbf" + utf8.encode())
    assert header[0] == "code"
    result = parse_rows("projects", header, rows, KNOWN)
    assert result.ok and result.entities[0].model_dump()["budget_satang"] == 125_000_050

    tabbed = "code\tunit_type\tname_th\tparent_code\nOFF02\toffice\tสพม.\tOBEC\n".encode()
    assert read_table("u.csv", tabbed)[1] == [["OFF02", "office", "สพม.", "OBEC"]]


def test_xlsx_round_trip_through_read_table() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["code", "project_code", "name_th", "unit_of_measure", "indicator_type"])
    sheet["F1"] = "year_target"
    sheet.append(["I1", "P1", "ร้อยละนักเรียนอ่านออก", "ร้อยละ", "percent", 0.8])
    sheet["F2"].number_format = "0%"  # the officer sees 80%
    sheet.append([None] * 6)
    sheet.append([None] * 6)
    out = io.BytesIO()
    workbook.save(out)

    header, rows = read_table("indicators.xlsx", out.getvalue())
    assert len(rows) == 1  # trailing empty rows are skipped
    (indicator,) = parse_rows("indicators", header, rows).entities
    assert isinstance(indicator, Indicator) and indicator.year_target == Decimal(80)


def test_template_has_the_header_and_a_thai_description_sheet() -> None:
    content = write_template("projects")
    header, rows = read_table("template.xlsx", content)
    assert header == [column.name for column in COLUMNS["projects"]] and rows == []
    described = load_workbook(io.BytesIO(content))["คำอธิบาย"]
    names = [row[0] for row in described.iter_rows(min_row=2, values_only=True)]
    assert "budget_baht" in names
    indicator_header, _ = read_table("t.xlsx", write_template("indicators", ["2570-Q2"]))
    assert indicator_header[-1] == "target_2570-Q2"


def test_unreadable_files_are_table_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(TableError, match=r"only \.xlsx and \.csv"):
        read_table("units.xls", b"whatever")
    with pytest.raises(TableError, match="not a readable"):
        read_table("units.xlsx", b"not a zip")
    with pytest.raises(TableError, match="no sheet"):
        read_table("units.xlsx", xlsx({"units": [["code"]]}), sheet="plans")
    with pytest.raises(TableError, match="empty"):
        read_table("units.csv", b"\n\n")
    with pytest.raises(TableError, match="MB"):
        read_table("units.csv", b"a" * (5 * 1024 * 1024 + 1))
    monkeypatch.setattr("shared.platform.tables.MAX_ROWS", 3)
    with pytest.raises(TableError, match="more than 3 rows"):
        read_table("units.csv", b"code\n1\n2\n3\n4\n")
    with pytest.raises(TableError, match="more than 3 rows"):
        read_table("units.xlsx", xlsx({"units": [["code"], [1], [2], [3], [4]]}))
    assert len(read_table("units.csv", b"code\n1\n2\n3\n\n\n")[1]) == 3
