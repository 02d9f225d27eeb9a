"""Pydantic's validation problems said in Thai, for the people who read them on a page.

A service answers each problem with its English `msg` (for clients) and this `msg_th` (for
the console). Rules written as a model's own `ValueError`s are looked up by their English
sentence; anything unknown falls back to a plain Thai "not valid" with the English kept.
"""

import re
from collections.abc import Mapping
from typing import Any

# By pydantic's error type; `{…}` are the error's context values.
BY_TYPE: dict[str, str] = {
    "missing": "ต้องกรอกช่องนี้",
    "extra_forbidden": "ไม่มีช่องนี้ในแบบ (ชื่อช่องไม่ถูกต้อง)",
    "string_too_short": "ต้องมีอย่างน้อย {min_length} ตัวอักษร",
    "string_too_long": "ยาวได้ไม่เกิน {max_length} ตัวอักษร",
    "string_pattern_mismatch": "รูปแบบไม่ถูกต้อง",
    "string_type": "ต้องเป็นข้อความ",
    "too_short": "ต้องมีอย่างน้อย {min_length} รายการ",
    "too_long": "มีได้ไม่เกิน {max_length} รายการ",
    "greater_than_equal": "ต้องไม่น้อยกว่า {ge}",
    "greater_than": "ต้องมากกว่า {gt}",
    "less_than_equal": "ต้องไม่เกิน {le}",
    "less_than": "ต้องน้อยกว่า {lt}",
    "int_parsing": "ต้องเป็นจำนวนเต็ม",
    "int_type": "ต้องเป็นจำนวนเต็ม",
    "int_from_float": "ต้องเป็นจำนวนเต็ม ไม่มีทศนิยม",
    "decimal_parsing": "ต้องเป็นตัวเลข",
    "decimal_type": "ต้องเป็นตัวเลข",
    "float_parsing": "ต้องเป็นตัวเลข",
    "decimal_max_digits": "มีตัวเลขได้ไม่เกิน {max_digits} หลัก",
    "finite_number": "ต้องเป็นตัวเลข",
    "decimal_max_places": "มีทศนิยมได้ไม่เกิน {decimal_places} ตำแหน่ง",
    "bool_parsing": "ต้องเป็น ใช่ หรือ ไม่ใช่",
    "bool_type": "ต้องเป็น ใช่ หรือ ไม่ใช่",
    "literal_error": "ต้องเป็นค่าใดค่าหนึ่งต่อไปนี้: {expected}",
    "enum": "ต้องเป็นค่าใดค่าหนึ่งต่อไปนี้: {expected}",
    "date_parsing": "วันที่ไม่ถูกต้อง (ปี-เดือน-วัน ค.ศ.)",
    "date_from_datetime_parsing": "วันที่ไม่ถูกต้อง (ปี-เดือน-วัน ค.ศ.)",
    "date_type": "วันที่ไม่ถูกต้อง (ปี-เดือน-วัน ค.ศ.)",
    "datetime_parsing": "วันเวลาไม่ถูกต้อง",
    "datetime_from_date_parsing": "วันเวลาไม่ถูกต้อง",
    "list_type": "ต้องเป็นรายการ",
    "tuple_type": "ต้องเป็นรายการ",
    "dict_type": "ต้องเป็นชุดข้อมูล",
    "model_type": "ต้องเป็นชุดข้อมูล",
    "model_attributes_type": "ต้องเป็นชุดข้อมูล",
    "union_tag_invalid": "ประเภทไม่ถูกต้อง: ต้องเป็น {expected_tags}",
    "union_tag_not_found": "ต้องระบุประเภท ({discriminator})",
    "json_invalid": "ข้อมูลไม่ใช่ JSON",
    "url_parsing": "ที่อยู่เว็บไม่ถูกต้อง",
    "value_error": "ค่าไม่ถูกต้อง: {error}",
}

# The set-up's own rules (shared/contracts' ValueErrors), by their English sentence.
RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(f"^{english}$"), thai)
    for english, thai in (
        (r"a school code has exactly 10 digits", "รหัสโรงเรียนมี 10 หลักพอดี"),
        (r"OBEC, and only OBEC, has no parent unit", "ทุกหน่วยงานยกเว้น สพฐ. ต้องมีหน่วยงานต้นสังกัด"),
        (r"active_to is before active_from", "วันสิ้นสุดอยู่ก่อนวันเริ่ม"),
        (r"round_id starts with its fiscal year", "รหัสรอบต้องขึ้นต้นด้วยปีงบประมาณ"),
        (r"period_end is before period_start", "วันสิ้นสุดช่วงรายงานอยู่ก่อนวันเริ่ม"),
        (
            r"dates must be ordered: opens_on <= due_on <= closes_on",
            "วันที่ต้องเรียงกัน: วันเปิด ≤ กำหนดส่ง ≤ วันปิดรับ",
        ),
        (r"last_fiscal_year is before first_fiscal_year", "ปีงบประมาณสุดท้ายอยู่ก่อนปีแรก"),
        (r"an annual action plan covers one fiscal year", "แผนปฏิบัติการประจำปีครอบคลุมปีงบประมาณเดียว"),
        (r"ends_on is before starts_on", "วันสิ้นสุดอยู่ก่อนวันเริ่ม"),
        (r"a project cannot be its own parent", "โครงการเป็นโครงการแม่ของตัวเองไม่ได้"),
        (r"percent targets lie between 0 and 100", "ค่าเป้าหมายร้อยละอยู่ระหว่าง 0 ถึง 100"),
        (r"yes/no targets are 0 or 1", "ค่าเป้าหมายแบบ ใช่/ไม่ใช่ เป็น 0 หรือ 1"),
        (
            r"a level indicator needs its scale \(at least two levels\)",
            "ตัวชี้วัดแบบระดับต้องมีระดับอย่างน้อยสองระดับ",
        ),
        (
            r"level targets are positions on the scale, 0-based",
            "ค่าเป้าหมายแบบระดับคือลำดับของระดับ เริ่มที่ 0",
        ),
        (
            r"(?P<key>\S+): choices go with, and only with, a choice field",
            "{key}: ตัวเลือกใช้ได้กับช่องแบบเลือกตอบเท่านั้น และช่องแบบเลือกตอบต้องมีตัวเลือก",
        ),
        (r"(?P<key>\S+): maximum is below minimum", "{key}: ค่าสูงสุดน้อยกว่าค่าต่ำสุด"),
        (r"(?P<key>\S+): a percent is at most 100", "{key}: ร้อยละสูงสุดได้ไม่เกิน 100"),
        (r"field keys are unique within their scope", "รหัสช่องซ้ำกันในขอบเขตเดียวกัน"),
        (r"rule refers to unknown field '(?P<key>[^']*)'", "กฎอ้างถึงช่องที่ไม่มีในแบบ: {key}"),
        (
            r"only project fields compare with the project's budget",
            "เทียบกับงบประมาณโครงการได้เฉพาะช่องระดับโครงการ",
        ),
        (
            r"rule compares '(?P<key>[^']*)' with a field of another scope",
            "กฎเทียบช่อง {key} กับช่องต่างขอบเขต",
        ),
    )
)

VALUE_ERROR_PREFIX = "Value error, "


def thai_reason(error: Mapping[str, Any]) -> str:
    """One pydantic error (`errors(include_context=True)` item) said in Thai."""
    kind = str(error.get("type", ""))
    message = str(error.get("msg", ""))
    if kind == "value_error":
        english = message.removeprefix(VALUE_ERROR_PREFIX)
        for pattern, thai in RULES:
            matched = pattern.match(english)
            if matched:
                return thai.format(**matched.groupdict())
        return BY_TYPE["value_error"].format(error=english)
    template = BY_TYPE.get(kind)
    if template is None:
        return f"ค่าไม่ถูกต้อง ({message})"
    context = {k: _shown(v) for k, v in (error.get("ctx") or {}).items()}
    try:
        return template.format(**context)
    except (KeyError, IndexError):
        return template.split(":")[0].split("{")[0].strip() or f"ค่าไม่ถูกต้อง ({message})"


def _shown(value: Any) -> str:
    return str(value).replace("'", "")
