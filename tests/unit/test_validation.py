"""A submission's values against its form: every type, every rule, every problem at once."""

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from services.intake.domain.validation import FormContext, validate_values
from shared.contracts.intake import Reason
from shared.contracts.setup import Choice, CrossFieldRule, Form, FormField, Indicator, Project

FIELDS = (
    FormField(key="report_date", label_th="วันที่รายงาน", field_type="date", required=True),
    FormField(key="problems", label_th="ปัญหาอุปสรรค", field_type="text", max_length=40),
    FormField(key="teachers", label_th="จำนวนครู", field_type="integer", minimum=Decimal(0)),
    FormField(
        key="satisfaction",
        label_th="ความพึงพอใจ",
        field_type="decimal",
        minimum=Decimal(1),
        maximum=Decimal(5),
    ),
    FormField(key="done_pct", label_th="ร้อยละความสำเร็จ", field_type="percent"),
    FormField(key="has_plan", label_th="มีแผน", field_type="yes_no"),
    FormField(
        key="quality",
        label_th="ระดับคุณภาพ",
        field_type="choice",
        choices=(Choice(value="excellent", label_th="ยอดเยี่ยม"), Choice(value="good", label_th="ดี")),
    ),
    FormField(key="evidence", label_th="หลักฐาน", field_type="evidence"),
    FormField(
        key="status",
        label_th="สถานะ",
        field_type="activity_status",
        scope="project",
        required=True,
    ),
    FormField(
        key="budget_spent",
        label_th="งบประมาณที่ใช้ไป (บาท)",
        field_type="money",
        scope="project",
        required=True,
        minimum=Decimal(0),
        maximum=Decimal("2000000"),
    ),
    FormField(key="budget_returned", label_th="งบคืน", field_type="money", scope="project"),
    FormField(key="actual", label_th="ผล", field_type="decimal", scope="indicator", required=True),
    FormField(key="numerator", label_th="ตัวตั้ง", field_type="integer", scope="indicator"),
    FormField(key="denominator", label_th="ตัวหาร", field_type="integer", scope="indicator"),
)
RULES = (
    CrossFieldRule(
        left="budget_spent",
        op="<=",
        right="project.budget_satang",
        message_th="งบประมาณที่ใช้เกินงบที่ได้รับจัดสรร",
    ),
    CrossFieldRule(
        left="budget_returned", op="<=", right="budget_spent", message_th="งบคืนเกินงบที่ใช้"
    ),
    CrossFieldRule(left="numerator", op="<=", right="denominator", message_th="ตัวตั้งต้องไม่เกินตัวหาร"),
)
FORM = Form(
    form_id="action-plan-progress",
    version=2,
    status="published",
    title_th="แบบติดตามผลการดำเนินงานตามแผนปฏิบัติการ",
    fields=FIELDS,
    rules=RULES,
)


def project(code: str, baht: int) -> Project:
    return Project(
        code=code,
        plan_id="AP2570",
        name_th=f"โครงการ {code}",
        responsible_unit="OFF01",
        budget_satang=baht * 100,
        starts_on=date(2026, 10, 1),
        ends_on=date(2027, 9, 30),
    )


def indicator(code: str, project_code: str) -> Indicator:
    return Indicator(
        code=code,
        project_code=project_code,
        name_th=f"ตัวชี้วัด {code}",
        unit_of_measure="ร้อยละ",
        indicator_type="percent",
    )


PROJECTS = {code: project(code, baht) for code, baht in (("P01", 1_000_000), ("P02", 50_000))}
PROJECTS["P03"] = project("P03", 10_000)
INDICATORS = {
    "P01": (indicator("P01-I1", "P01"), indicator("P01-I2", "P01")),
    "P02": (indicator("P02-I1", "P02"),),
    "P03": (indicator("P03-I1", "P03"),),
}
CONTEXT = FormContext(FORM, ("P01", "P02"), PROJECTS, INDICATORS)


def good() -> dict[str, Any]:
    return {
        "report_date": "๓๑/๑๒/๒๕๖๙",
        "problems": "  ครูไม่เพียงพอ\u200b",
        "projects": {
            "P01": {"status": "กำลังดำเนินการ", "budget_spent": "๑,๒๕๐.๕๐"},
            "P02": {"status": "done", "budget_spent": 50_000, "budget_returned": "0"},
        },
        "indicators": {
            "P01-I1": {"actual": "๘๐.๕๐", "numerator": "๔๐", "denominator": 50},
            "P01-I2": {"actual": 3},
            "P02-I1": {"actual": "100"},
        },
    }


def found(reasons: list[Reason]) -> set[tuple[str, str]]:
    return {(r.field, r.code) for r in reasons}


def test_a_good_submission_is_normalised() -> None:
    values, reasons = validate_values(good(), CONTEXT)
    assert reasons == []
    assert values == {
        "report_date": "2026-12-31",
        "problems": "ครูไม่เพียงพอ",
        "projects": {
            "P01": {"status": "in_progress", "budget_spent": 125_050},
            "P02": {"status": "done", "budget_spent": 5_000_000, "budget_returned": 0},
        },
        "indicators": {
            "P01-I1": {"actual": "80.5", "numerator": 40, "denominator": 50},
            "P01-I2": {"actual": "3"},
            "P02-I1": {"actual": "100"},
        },
    }
    json.dumps(values)  # stored and published as JSON


def test_thai_baht_with_separators_become_exact_satang() -> None:
    values, reasons = validate_values(good(), CONTEXT)
    assert not reasons
    assert values["projects"]["P01"]["budget_spent"] == 125050


def test_thai_typing_variants_are_folded_in_text() -> None:
    submitted = good() | {"problems": "เเผนงานล่าช้า ทํางานไม่ทัน"}
    values, reasons = validate_values(submitted, CONTEXT)
    assert not reasons
    assert values["problems"] == "แผนงานล่าช้า ทำงานไม่ทัน"


@pytest.mark.parametrize(
    ("key", "typed", "expected"),
    [
        ("teachers", "๑,๒๐๐", 1200),
        ("teachers", 12.0, 12),
        ("satisfaction", "4.50", "4.5"),
        ("satisfaction", 5, "5"),
        ("done_pct", "๘๐%", "80"),
        ("done_pct", 0, "0"),
        ("done_pct", "100.0", "100"),
        ("has_plan", "มี", True),
        ("has_plan", "ไม่ใช่", False),
        ("has_plan", 0, False),
        ("quality", "good", "good"),
        ("quality", "ยอดเยี่ยม", "excellent"),
        ("quality", " ดี ", "good"),
        ("report_date", "1 ต.ค. 2569", "2026-10-01"),
        ("report_date", "2026-10-01", "2026-10-01"),
        ("evidence", [{"evidence_id": "ev-1"}], [{"evidence_id": "ev-1"}]),
        (
            "evidence",
            [{"url": " https://drive.example.th/ผลงาน "}],
            [{"url": "https://drive.example.th/ผลงาน"}],
        ),
    ],
)
def test_each_submission_field_type(key: str, typed: object, expected: object) -> None:
    values, reasons = validate_values(good() | {key: typed}, CONTEXT)
    assert reasons == []
    assert values[key] == expected


@pytest.mark.parametrize(
    ("typed", "status"),
    [
        ("ยังไม่ดำเนินการ", "not_started"),
        ("กำลังดำเนินการ", "in_progress"),
        ("ดำเนินการแล้ว", "done"),
        ("เสร็จสิ้น", "done"),
        ("ยกเลิก", "cancelled"),
        ("In progress", "in_progress"),
        ("กําลังดําเนินการ", "in_progress"),  # sara am typed as nikhahit + sara aa
    ],
)
def test_activity_status_in_english_or_thai(typed: str, status: str) -> None:
    submitted = good()
    submitted["projects"]["P01"]["status"] = typed
    values, reasons = validate_values(submitted, CONTEXT)
    assert not reasons
    assert values["projects"]["P01"]["status"] == status


@pytest.mark.parametrize(
    ("key", "typed", "code"),
    [
        ("report_date", "31/02/2569", "invalid"),
        ("report_date", "พรุ่งนี้", "invalid"),
        ("problems", "ก" * 41, "too_long"),
        ("problems", True, "invalid"),
        ("problems", ["a"], "invalid"),
        ("teachers", "12.5", "invalid"),
        ("teachers", "-1", "below_minimum"),
        ("teachers", "99999999999999999999", "number_out_of_range"),  # beyond int64, as text
        ("teachers", "๙" * 20, "number_out_of_range"),
        ("satisfaction", 1e300, "number_out_of_range"),  # beyond what the rules compute with
        ("done_pct", "0." + "3" * 30, "number_out_of_range"),  # more than 28 digits
        ("satisfaction", "0.5", "below_minimum"),
        ("satisfaction", "5.01", "above_maximum"),
        ("satisfaction", "80%", "invalid"),
        ("satisfaction", "abc", "invalid"),
        ("done_pct", "100.5", "above_maximum"),
        ("done_pct", -1, "below_minimum"),
        ("has_plan", "อาจจะ", "invalid"),
        ("quality", "ปานกลาง", "invalid"),
        ("evidence", {"url": "https://example.th"}, "invalid"),
        ("evidence", "https://example.th", "invalid"),
        ("evidence", [{"evidence_id": "x"}] * 21, "too_many"),
    ],
)
def test_each_type_rejects_what_it_cannot_read(key: str, typed: object, code: str) -> None:
    _, reasons = validate_values(good() | {key: typed}, CONTEXT)
    assert found(reasons) == {(f"values.{key}", code)}
    assert all(r.message.endswith(")") and "(" in r.message for r in reasons)


def test_each_bad_evidence_item_is_named() -> None:
    items = [
        {"url": "ftp://example.th/file"},
        {"evidence_id": "ev-1"},
        {"url": "example.th"},
        {"evidence_id": ""},
        {"url": "https://a.th", "evidence_id": "ev-2"},
        "ev-3",
    ]
    _, reasons = validate_values(good() | {"evidence": items}, CONTEXT)
    assert found(reasons) == {(f"values.evidence[{i}]", "invalid") for i in (0, 2, 3, 4, 5)}


def test_money_bounds_are_in_baht_and_more_than_two_decimals_is_an_error() -> None:
    submitted = good()
    submitted["projects"]["P01"]["budget_spent"] = "2,000,000.01"  # maximum 2,000,000 baht
    submitted["projects"]["P02"]["budget_spent"] = "10.005"
    _, reasons = validate_values(submitted, CONTEXT)
    assert found(reasons) == {
        ("values.projects.P01.budget_spent", "above_maximum"),
        ("values.projects.P01.budget_spent", "rule_failed"),  # also over P01's 1,000,000
        ("values.projects.P02.budget_spent", "invalid"),
    }
    above = next(r for r in reasons if r.code == "above_maximum")
    assert "2,000,000.00 บาท" in above.message


def test_money_beyond_int64_satang_is_refused_at_its_field() -> None:
    """92,233,720,368,547,758.08 baht is 2^63 satang: one more than MongoDB's int64 holds."""
    typed = good()
    typed["projects"]["P01"]["budget_returned"] = "92,233,720,368,547,758.08"
    _, reasons = validate_values(typed, CONTEXT)
    assert found(reasons) == {("values.projects.P01.budget_returned", "number_out_of_range")}


def test_budget_spent_may_not_exceed_the_allocation() -> None:
    submitted = good()
    submitted["projects"]["P02"]["budget_spent"] = "50,000.01"  # allocated 50,000 baht
    _, reasons = validate_values(submitted, CONTEXT)
    assert found(reasons) == {("values.projects.P02.budget_spent", "rule_failed")}
    assert reasons[0].message.startswith("งบประมาณที่ใช้เกินงบที่ได้รับจัดสรร (")
    submitted["projects"]["P02"]["budget_spent"] = "50,000.00"
    assert validate_values(submitted, CONTEXT)[1] == []


def test_rules_between_fields_of_a_scope() -> None:
    submitted = good()
    submitted["indicators"]["P01-I1"].update(numerator="๕๑", denominator="๕๐")
    submitted["projects"]["P02"]["budget_returned"] = "50,000.50"
    _, reasons = validate_values(submitted, CONTEXT)
    assert found(reasons) == {
        ("values.indicators.P01-I1.numerator", "rule_failed"),
        ("values.projects.P02.budget_returned", "rule_failed"),
    }
    assert any(r.message.startswith("ตัวตั้งต้องไม่เกินตัวหาร") for r in reasons)


def test_a_rule_with_a_missing_or_wrong_side_is_skipped() -> None:
    submitted = good()
    del submitted["indicators"]["P01-I1"]["denominator"]
    submitted["indicators"]["P01-I2"].update(numerator="9", denominator="สิบ")
    _, reasons = validate_values(submitted, CONTEXT)
    assert found(reasons) == {("values.indicators.P01-I2.denominator", "invalid")}


def test_a_project_missing_from_the_set_up_skips_its_budget_rule() -> None:
    context = FormContext(FORM, ("P01", "P02"), {"P01": PROJECTS["P01"]}, INDICATORS)
    submitted = good()
    submitted["projects"]["P02"]["budget_spent"] = "1,000,000"
    assert validate_values(submitted, context)[1] == []


def test_required_fields_per_assigned_project_and_indicator() -> None:
    submitted = good()
    del submitted["report_date"]
    del submitted["projects"]["P02"]
    submitted["projects"]["P01"]["status"] = "  "
    submitted["indicators"]["P01-I2"] = {"actual": None}
    del submitted["indicators"]["P02-I1"]
    _, reasons = validate_values(submitted, CONTEXT)
    assert found(reasons) == {
        ("values.report_date", "required"),
        ("values.projects.P01.status", "required"),
        ("values.projects.P02.status", "required"),
        ("values.projects.P02.budget_spent", "required"),
        ("values.indicators.P01-I2.actual", "required"),
        ("values.indicators.P02-I1.actual", "required"),
    }
    assert all(r.message == "จำเป็นต้องกรอก (required)" for r in reasons)


def test_unknown_fields_at_every_level() -> None:
    submitted = good()
    submitted["budget"] = 1
    submitted["projects"]["P01"]["actual"] = 5  # an indicator field, not a project field
    submitted["indicators"]["P02-I1"]["note"] = "x"
    _, reasons = validate_values(submitted, CONTEXT)
    assert found(reasons) == {
        ("values.budget", "unknown_field"),
        ("values.projects.P01.actual", "unknown_field"),
        ("values.indicators.P02-I1.note", "unknown_field"),
    }


def test_projects_and_indicators_not_assigned() -> None:
    submitted = good()
    submitted["projects"]["P03"] = {"status": "done", "budget_spent": 1}
    submitted["indicators"]["P03-I1"] = {"actual": 1}
    submitted["indicators"]["NOPE"] = {"actual": 1}
    _, reasons = validate_values(submitted, CONTEXT)
    assert found(reasons) == {
        ("values.projects.P03", "not_assigned"),
        ("values.indicators.P03-I1", "not_assigned"),
        ("values.indicators.NOPE", "not_assigned"),
    }


def test_a_unit_with_no_projects_reports_the_form_only() -> None:
    context = FormContext(FORM, (), PROJECTS, INDICATORS)
    values, reasons = validate_values({"report_date": "2026-12-31"}, context)
    assert reasons == []
    assert values == {"report_date": "2026-12-31", "projects": {}, "indicators": {}}
    _, reasons = validate_values(good(), context)
    assert found(reasons) == {
        ("values.projects.P01", "not_assigned"),
        ("values.projects.P02", "not_assigned"),
        ("values.indicators.P01-I1", "not_assigned"),
        ("values.indicators.P01-I2", "not_assigned"),
        ("values.indicators.P02-I1", "not_assigned"),
    }


def test_containers_of_the_wrong_shape() -> None:
    submitted = good() | {"indicators": ["P01-I1"]}
    submitted["projects"]["P01"] = "done"
    _, reasons = validate_values(submitted, CONTEXT)
    assert ("values.indicators", "invalid") in found(reasons)
    assert ("values.projects.P01", "invalid") in found(reasons)
    assert ("values.indicators.P01-I1.actual", "required") in found(reasons)


def test_a_form_without_project_fields_has_no_projects_container() -> None:
    form = Form(
        form_id="school-survey",
        version=1,
        status="published",
        title_th="แบบสำรวจ",
        fields=(FormField(key="problems", label_th="ปัญหาอุปสรรค", field_type="text"),),
    )
    context = FormContext(form, ("P01",), PROJECTS, INDICATORS)
    values, reasons = validate_values({"problems": "ไม่มี", "projects": {}}, context)
    assert values == {"problems": "ไม่มี"}
    assert found(reasons) == {("values.projects", "unknown_field")}


def test_every_problem_is_reported_at_once() -> None:
    submitted = good()
    submitted |= {"report_date": "๓๑/๑๓/๒๕๖๙", "teachers": "-3", "colour": "แดง"}
    submitted["projects"]["P01"] |= {"status": "เกือบเสร็จ", "budget_spent": "1,000,000.01"}
    submitted["projects"]["P02"] = {}
    submitted["projects"]["P09"] = {}
    submitted["indicators"]["P01-I1"] |= {"actual": "ดี", "numerator": 60}
    _, reasons = validate_values(submitted, CONTEXT)
    assert found(reasons) == {
        ("values.report_date", "invalid"),
        ("values.teachers", "below_minimum"),
        ("values.colour", "unknown_field"),
        ("values.projects.P09", "not_assigned"),
        ("values.projects.P01.status", "invalid"),
        ("values.projects.P01.budget_spent", "rule_failed"),
        ("values.projects.P02.status", "required"),
        ("values.projects.P02.budget_spent", "required"),
        ("values.indicators.P01-I1.actual", "invalid"),
        ("values.indicators.P01-I1.numerator", "rule_failed"),
    }
    assert len(reasons) == 10
