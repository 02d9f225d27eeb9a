"""The notifier's rules without servers: slots of a Bangkok day, addresses, the digest text."""

import email
import email.policy
from datetime import UTC, date, datetime

from services.notifier.adapters.email import SmtpSender
from services.notifier.domain import notices
from services.notifier.domain.digests import (
    LINE_MAX_CHARS,
    Message,
    addresses_of,
    compose,
    line_text,
    slot_of,
)
from services.notifier.domain.notices import Names
from shared.contracts.monitoring import ReminderDue
from shared.contracts.setup import Unit

NAMES = Names({"1084000001": "โรงเรียนบ้านหนองบัว"}, {"2570-Q1": "ไตรมาสที่ 1"}, {})
AT = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)


def reminder(slot: int, form: str = "action-plan-progress") -> notices.Notice:
    event = ReminderDue(round_id="2570-Q1", form_id=form, unit_code="1084000001",
                        due_on=date(2026, 12, 31), days_overdue=0, slot=slot)  # fmt: skip
    return notices.reminder(event, NAMES, AT)


def test_a_day_is_the_bangkok_day_cut_into_slots() -> None:
    assert slot_of(datetime(2026, 12, 1, 16, 59, tzinfo=UTC), 1) == (date(2026, 12, 1), 0)
    assert slot_of(datetime(2026, 12, 1, 17, 0, tzinfo=UTC), 1) == (date(2026, 12, 2), 0)
    assert slot_of(datetime(2026, 12, 2, 5, 0, tzinfo=UTC), 2) == (date(2026, 12, 2), 1)


def test_addresses_by_audience_and_channel_once_each() -> None:
    unit = Unit(code="1084000001", unit_type="school", name_th="x", parent_code="G1",
                contact_emails=("A@School.example",), head_emails=("a@school.example",),
                contact_line_ids=("U" + "1" * 32,))  # fmt: skip
    both = addresses_of(unit, {"contact", "head"}, {"email", "line"})
    assert [(a.channel, a.address, sorted(a.audiences)) for a in both] == [
        ("email", "a@school.example", ["contact", "head"]),
        ("line", "U" + "1" * 32, ["contact"]),
    ]
    assert addresses_of(unit, {"head"}, {"line"}) == []
    assert addresses_of(None, {"contact"}, {"email"}) == []


def test_one_notice_is_its_own_subject_many_are_counted() -> None:
    one = compose("โรงเรียนบ้านหนองบัว", date(2026, 12, 2), [reminder(0)],
                  frozenset({"contact"}), "https://c.example/")  # fmt: skip
    assert one is not None and one.subject == "[ติดตาม] แจ้งเตือนการส่งรายงาน ไตรมาสที่ 1"
    assert "ดูรายละเอียด: https://c.example/rounds/2570-Q1/units/1084000001" in one.text
    assert "(ครบกำหนดวันนี้)" in one.text and "31 ธันวาคม 2569" in one.text
    many = compose("โรงเรียนบ้านหนองบัว", date(2026, 12, 2), [reminder(0), reminder(0, "other")],
                   frozenset({"contact"}), "https://c.example")  # fmt: skip
    assert many is not None and many.subject.startswith("[ติดตาม] 2 เรื่องที่ต้องติดตาม")
    assert "1. " in many.text and "2. " in many.text
    assert compose("x", date(2026, 12, 2), [reminder(0)], frozenset({"head"}), "") is None


def test_a_long_digest_fits_one_line_message() -> None:
    long = Message("หัวเรื่อง", "ก" * 6000)
    assert len(line_text(long)) == LINE_MAX_CHARS


def test_a_thai_subject_keeps_its_spaces_through_mime() -> None:
    subject = "[ติดตาม] หน่วยงานยังไม่ส่งรายงาน รอบสาธิต 2 แห่ง " * 3
    sender = SmtpSender("127.0.0.1", 25, "ระบบติดตาม <tidtam@office.example>")
    wire = sender.build("a@b.example", Message(subject, "สวัสดี"), "k-1").as_bytes()
    parsed = email.message_from_bytes(wire, policy=email.policy.default)
    assert parsed["Subject"] == subject and parsed["Message-ID"] == "<k-1@tidtam>"
    assert parsed["From"].addresses[0].display_name == "ระบบติดตาม"
    assert parsed.get_content().strip() == "สวัสดี"
