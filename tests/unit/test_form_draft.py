"""A form's draft edited as rows on a page, and set-up problems said in Thai."""

from typing import Any

import pytest
from pydantic import ValidationError

from services.console.domain.form_draft import FIELD_TYPES_TH, Draft, errors_by_input
from shared.contracts.setup import FieldType, Form
from shared.thai.validation import thai_reason

HELD: dict[str, Any] = {
    "form_id": "action-plan-progress",
    "version": 2,
    "status": "draft",
    "title_th": "แบบติดตามผลการดำเนินงานตามแผน",
    "fields": [
        {"key": "budget_spent", "label_th": "งบที่ใช้ไป", "field_type": "money", "scope": "project"},
        {
            "key": "result",
            "label_th": "ผลการดำเนินงาน",
            "field_type": "choice",
            "required": True,
            "choices": [
                {"value": "met", "label_th": "บรรลุ"},
                {"value": "not_met", "label_th": "ไม่บรรลุ"},
            ],
        },
    ],
    "rules": [
        {
            "left": "budget_spent",
            "op": "<=",
            "right": "project.budget_satang",
            "message_th": "งบที่ใช้เกินงบที่ได้รับ",
        }
    ],
}


def posted(draft: Draft, **changes: str) -> dict[str, Any]:
    """What the page posts for `draft` (the browser sends checked boxes only)."""
    form: dict[str, Any] = {
        "title_th": draft.title_th,
        "field_count": str(len(draft.fields)),
        "rule_count": str(len(draft.rules)),
    }
    for i, row in enumerate(draft.fields):
        form |= {f"f{i}.{k}": v for k, v in row.items() if k != "required"}
        if row["required"]:
            form[f"f{i}.required"] = "1"
    for i, rule in enumerate(draft.rules):
        form |= {f"r{i}.{k}": v for k, v in rule.items()}
    return form | changes


def test_a_held_draft_posted_back_unchanged_is_the_same_form() -> None:
    draft = Draft.of(HELD)
    again = Draft.posted(HELD["form_id"], 2, posted(draft))
    body = again.body()
    form = Form.model_validate(body | {"status": "draft"})
    assert form.model_dump(include={"fields", "rules", "title_th"}) == Form.model_validate(
        HELD
    ).model_dump(include={"fields", "rules", "title_th"})


def test_fields_are_added_moved_and_removed_without_saving() -> None:
    draft = Draft.posted("f", 1, posted(Draft.of(HELD), **{"f1.label_th": "ผลงาน"}))
    assert draft.apply("add-field") is False
    assert [f["key"] for f in draft.fields] == ["budget_spent", "result", ""]
    draft.apply("up:1")
    assert [f["label_th"] for f in draft.fields][:2] == ["ผลงาน", "งบที่ใช้ไป"], "typed text kept"
    draft.apply("down:0")
    draft.apply("remove-field:2")
    assert [f["key"] for f in draft.fields] == ["budget_spent", "result"]
    draft.apply("up:0")  # the first cannot go higher
    draft.apply("remove-rule:0")
    assert draft.rules == []
    assert draft.apply("save") is True
    assert draft.apply("drop tables") is False


def test_thai_digits_and_choices_typed_as_lines() -> None:
    draft = Draft.posted(
        "f",
        1,
        {
            "title_th": "แบบ",
            "field_count": "1",
            "f0.key": "score",
            "f0.label_th": "คะแนน",
            "f0.field_type": "choice",
            "f0.maximum": "๑๐๐",
            "f0.choices": "a = ดี\n\nb\n",
        },
    )
    field = draft.body()["fields"][0]
    assert field["maximum"] == "100"
    assert field["choices"] == [{"value": "a", "label_th": "ดี"}, {"value": "b", "label_th": "b"}]
    assert "minimum" not in field and field["required"] is False


def test_monitorings_problems_land_on_the_inputs_they_concern() -> None:
    found = {
        "fields.2.label_th": "ต้องมีอย่างน้อย 1 ตัวอักษร",
        "fields.0": "x: ค่าสูงสุดน้อยกว่าค่าต่ำสุด",
        "fields.1.choices.0.value": "รูปแบบไม่ถูกต้อง",
        "rules.0.right": "รูปแบบไม่ถูกต้อง",
        "fields": "ต้องมีอย่างน้อย 1 รายการ",
        "title_th": "ต้องกรอกช่องนี้",
    }
    shown = errors_by_input(found)
    assert shown["f2.label_th"] == shown["f2"] == "ต้องมีอย่างน้อย 1 ตัวอักษร"
    assert shown["f0"] == "x: ค่าสูงสุดน้อยกว่าค่าต่ำสุด"
    assert shown["f1.choices"] == "รูปแบบไม่ถูกต้อง"
    assert shown["r0.right"] == "รูปแบบไม่ถูกต้อง"
    assert shown[""] == "ต้องมีอย่างน้อย 1 รายการ"
    assert shown["title_th"] == "ต้องกรอกช่องนี้"


def test_every_field_type_has_a_thai_name() -> None:
    assert set(FIELD_TYPES_TH) == set(FieldType.__args__)  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("change", "thai"),
    [
        ({"title_th": ""}, "ต้องมีอย่างน้อย 1 ตัวอักษร"),
        ({"fields": []}, "ต้องมีอย่างน้อย 1 รายการ"),
        ({"form_id": "ไม่ใช่รหัส"}, "รูปแบบไม่ถูกต้อง"),
        ({"version": 0}, "ต้องไม่น้อยกว่า 1"),
        ({"status": "gone"}, "ต้องเป็นค่าใดค่าหนึ่งต่อไปนี้"),
        (
            {"fields": [{"key": "x", "label_th": "x", "field_type": "choice"}]},
            "x: ตัวเลือกใช้ได้กับช่องแบบเลือกตอบเท่านั้น",
        ),
        (
            {"fields": [HELD["fields"][0], HELD["fields"][0]]},
            "รหัสช่องซ้ำกันในขอบเขตเดียวกัน",
        ),
        ({"unknown": 1}, "ไม่มีช่องนี้ในแบบ"),
    ],
)
def test_set_up_problems_are_said_in_thai(change: dict[str, Any], thai: str) -> None:
    with pytest.raises(ValidationError) as failed:
        Form.model_validate(HELD | change, extra="forbid")
    reasons = [thai_reason(e) for e in failed.value.errors(include_url=False)]
    assert any(r.startswith(thai) for r in reasons), reasons
