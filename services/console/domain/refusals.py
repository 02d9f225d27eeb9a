"""A service's refusal as a person reads it: Thai first, English on the switch.

Intake's review routes and evaluation answer in FastAPI's 422 shape
(`{"detail": [{"loc", "msg", "type", "msg_th"?}]}`) or, for a role or a missing record,
`{"detail": "<English>"}` with a status. Where the service gives no Thai (`msg_th`), the
console says it in Thai by the refusal's code, or by the status; the English stays the
service's own. `tests/unit/test_console_refusals.py` walks every code they can return.
"""

from collections.abc import Mapping
from typing import Any

# By refusal code (`type`): what intake's review and evaluation refuse, and the validation
# codes pydantic gives for their request bodies.
REFUSALS_TH: Mapping[str, str] = {
    # intake: review
    "wrong_status": "สถานะของรายงานไม่เปิดให้ดำเนินการนี้ (อนุมัติหรือส่งกลับได้เฉพาะรายงานที่รอตรวจ "
    "และเปิดให้แก้ไขได้เฉพาะรายงานที่อนุมัติแล้ว)",
    "comment_required": "กรุณาระบุสิ่งที่ต้องแก้ไขเมื่อส่งรายงานกลับ",
    "changed": "รายงานมีการเปลี่ยนแปลงระหว่างนี้ กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง",
    # evaluation: evaluations and scores
    "not_found": "ไม่พบรายการที่ระบุ",
    "duplicate": "มีรายการนี้อยู่แล้วหรือระบุซ้ำ",
    "conflict": "ข้อมูลมีการเปลี่ยนแปลงระหว่างนี้ กรุณาโหลดหน้าใหม่แล้วลองอีกครั้ง",
    "no_subjects": "ไม่พบสิ่งที่จะประเมิน (ไม่มีโครงการหรือหน่วยงาน)",
    "plan_required": "การประเมินแผนปฏิบัติการต้องระบุแผน",
    "unknown_plan": "ไม่พบแผนนี้ในข้อมูลพื้นฐาน",
    "plan_type": "ประเภทของแผนไม่ตรงกับประเภทการประเมิน",
    "outside_plan_years": "แผนไม่ครอบคลุมปีงบประมาณที่ประเมิน",
    "unknown_indicator": "เกณฑ์อ้างถึงตัวชี้วัดที่ไม่มีในข้อมูลพื้นฐาน",
    "not_published": "การประเมินต้องใช้กรอบการประเมินฉบับที่เผยแพร่แล้ว",
    "type_mismatch": "กรอบการประเมินไม่ใช่ประเภทเดียวกับการประเมินนี้",
    "subject_kind": "สิ่งที่ประเมินไม่ตรงกับประเภทการประเมิน",
    "unknown_subject": "ไม่ใช่โครงการหรือหน่วยงานที่อยู่ในการประเมินนี้",
    "unknown_criterion": "ไม่ใช่เกณฑ์ในกรอบการประเมินนี้",
    "window": "วันสิ้นสุดการประเมินอยู่ก่อนวันเริ่ม",
    "not_assigned": "ท่านไม่ได้รับมอบหมายให้ประเมินรายการนี้",
    "off_scale": "ระดับที่เลือกไม่อยู่ในมาตรวัด",
    "reason_needed": "กรุณาระบุเหตุผล",
    "finalised": "การประเมินนี้สรุปผลแล้ว ต้องเปิดทบทวนพร้อมเหตุผลก่อนจึงแก้ไขได้",
    "to_discuss": "ยังมีเกณฑ์ที่ผู้ประเมินให้ระดับต่างกันตั้งแต่ 2 ระดับขึ้นไป กรุณาบันทึกผลการหารือก่อนสรุปผล",
    "not_finalised": "เปิดทบทวนได้เฉพาะการประเมินที่สรุปผลแล้ว",
    "unknown_unit": "ไม่พบหน่วยงานนี้ในข้อมูลพื้นฐาน",
    # evaluation: frameworks
    "draft_exists": "มีฉบับร่างของกรอบการประเมินนี้อยู่แล้ว",
    "immutable": "กรอบการประเมินที่เผยแพร่แล้วแก้ไขไม่ได้ ให้สร้างฉบับใหม่",
    "already_published": "กรอบการประเมินฉบับนี้เผยแพร่แล้ว",
    "unknown_scale": "ไม่พบมาตรวัดระดับคุณภาพนี้",
    "no_nodes": "กรอบการประเมินต้องมีองค์ประกอบอย่างน้อยหนึ่งด้าน",
    "weights_sum": "น้ำหนักขององค์ประกอบในระดับเดียวกันต้องรวมกันได้ 100",
    "duplicate_code": "รหัสขององค์ประกอบหรือเกณฑ์ซ้ำกัน",
    "weight_not_positive": "น้ำหนักต้องมากกว่าศูนย์",
    "too_deep": "กรอบการประเมินมีได้ไม่เกิน 3 ระดับ (ด้าน เกณฑ์ เกณฑ์ย่อย)",
    "inner_scored": "องค์ประกอบที่มีเกณฑ์ย่อยให้คะแนนผ่านเกณฑ์ย่อย ไม่ให้คะแนนที่ตัวเอง",
    "leaf_unscored": "เกณฑ์ต้องระบุวิธีให้คะแนน (เกณฑ์การให้คะแนนหรือตัวชี้วัด)",
    "descriptor_off_scale": "คำอธิบายระดับอ้างถึงระดับที่ไม่มีในมาตรวัด",
    "threshold_count": "จำนวนเกณฑ์ร้อยละต้องน้อยกว่าจำนวนระดับหนึ่งระดับ",
    "threshold_negative": "เกณฑ์ร้อยละต้องไม่ติดลบ",
    "thresholds_not_increasing": "เกณฑ์ร้อยละต้องเรียงจากน้อยไปมาก",
    "indicator_code": "เกณฑ์ที่ใช้ตัวชี้วัดเดียวต้องระบุรหัสตัวชี้วัด (และวิธีวัดอื่นไม่ระบุ)",
    # evaluation: inspection follow-up (it says these in Thai itself; kept for the walk)
    "required": "ต้องระบุ",
    "invalid": "ค่าไม่ถูกต้อง",
    "wrong_inspection": "ไม่ใช่รอบการตรวจราชการเดียวกัน",
    "unknown_issue": "ไม่พบประเด็นการตรวจราชการนี้",
    "outside_fiscal_year": "วันที่ตรวจไม่อยู่ในปีงบประมาณที่ระบุ",
    "due_before_inspection": "กำหนดแล้วเสร็จก่อนวันตรวจราชการ",
    "reason_required": "ต้องระบุเหตุผล",
    "done_on_required": "ต้องระบุวันที่ดำเนินการแล้วเสร็จ",
    "done_on_not_done": "ระบุวันที่แล้วเสร็จได้เฉพาะข้อเสนอแนะที่ดำเนินการแล้วเสร็จ",
    "done_on_in_future": "วันที่แล้วเสร็จเป็นวันในอนาคต",
    "done_on_before_inspection": "วันที่แล้วเสร็จก่อนวันตรวจราชการ",
    "transition_not_allowed": "เปลี่ยนสถานะเช่นนี้ไม่ได้",
    # request bodies (pydantic)
    "missing": "ต้องระบุ",
    "extra_forbidden": "มีข้อมูลที่ไม่รู้จัก",
    "string_too_short": "ต้องระบุ",
    "string_too_long": "ข้อความยาวเกินกำหนด",
    "string_pattern_mismatch": "รูปแบบไม่ถูกต้อง",
    "string_type": "ต้องเป็นข้อความ",
    "int_parsing": "ต้องเป็นจำนวนเต็ม",
    "int_type": "ต้องเป็นจำนวนเต็ม",
    "literal_error": "ไม่ใช่ตัวเลือกที่กำหนด",
    "enum": "ไม่ใช่ตัวเลือกที่กำหนด",
    "date_from_datetime_parsing": "วันที่ไม่ถูกต้อง",
    "date_parsing": "วันที่ไม่ถูกต้อง",
    "date_type": "วันที่ไม่ถูกต้อง",
    "too_long": "จำนวนรายการเกินกำหนด",
    "too_short": "ต้องมีอย่างน้อยหนึ่งรายการ",
    "greater_than_equal": "ค่าน้อยกว่าที่กำหนด",
    "less_than_equal": "ค่ามากกว่าที่กำหนด",
    "json_invalid": "ข้อมูลที่ส่งไม่ใช่ JSON ที่ถูกต้อง",
    "model_attributes_type": "รูปแบบข้อมูลไม่ถูกต้อง",
    "dict_type": "รูปแบบข้อมูลไม่ถูกต้อง",
    "list_type": "ต้องเป็นรายการ",
}

# By HTTP status, for the refusals that carry only an English sentence (roles, records).
BY_STATUS_TH: Mapping[int, str] = {
    400: "คำขอไม่ถูกต้อง",
    401: "ไม่ได้รับอนุญาต กรุณาเข้าสู่ระบบใหม่",
    403: "บทบาทของท่านทำรายการนี้ไม่ได้ หรือรายการนี้ไม่ได้อยู่ในความรับผิดชอบของท่าน",
    404: "ไม่พบรายการที่ระบุ หรือไม่ใช่รายการของท่าน",
    409: "ทำรายการนี้ไม่ได้ในสถานะปัจจุบัน",
    413: "ไฟล์หรือข้อมูลมีขนาดใหญ่เกินกำหนด",
    422: "ข้อมูลไม่ถูกต้อง",
}
SOMETHING_WRONG_TH = "ระบบปฏิเสธคำขอนี้"


def thai_of(code: str | None, status: int) -> str:
    """The Thai for a refusal code, else for its status."""
    return REFUSALS_TH.get(code or "") or BY_STATUS_TH.get(status) or SOMETHING_WRONG_TH


def refusal_texts(body: Any, status: int) -> dict[str, tuple[str, str]]:
    """A refusal by field (dotted; "" for the request): (Thai, English) of each, the first
    problem of a field kept."""
    detail = body.get("detail") if isinstance(body, dict) else None
    if not isinstance(detail, list):
        english = detail if isinstance(detail, str) else f"refused ({status})"
        return {"": (BY_STATUS_TH.get(status, SOMETHING_WRONG_TH), english)}
    found: dict[str, tuple[str, str]] = {}
    for item in detail:
        if not isinstance(item, dict):
            continue
        loc = [str(p) for p in item.get("loc", []) if p not in ("body", "path", "query")]
        thai = str(item.get("msg_th") or thai_of(item.get("type"), status))
        found.setdefault(".".join(loc), (thai, str(item.get("msg") or thai)))
    return found or {"": (BY_STATUS_TH.get(status, SOMETHING_WRONG_TH), f"refused ({status})")}
