"""Notices: what one unit should hear of one event, in Thai, with the console page to open.

A notice is keyed by what caused it (a reminder's round, form, unit and slot, say), so an
event delivered twice makes one notice. The text is written here, from the event and the
names the set-up gives; the digest (`digests.py`) puts a unit's notices of a day together.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from urllib.parse import quote

from pydantic import BaseModel, ConfigDict

from shared.contracts.evaluation import RecommendationOverdue
from shared.contracts.intake import SubmissionReviewed
from shared.contracts.monitoring import EscalationDue, ReminderDue
from shared.contracts.reporting import ReportFailed, ReportRendered
from shared.thai.calendar import format_long

Audience = Literal["contact", "head"]  # the unit's contact (reporter, officer) or its head
NoticeKind = Literal[
    "reminder", "escalation", "recommendation_overdue", "submission_returned", "report"
]
MAX_LISTED = 30  # units named in an escalation; the page lists them all


class Notice(BaseModel):
    """One thing to tell one unit."""

    model_config = ConfigDict(frozen=True)

    key: str
    kind: NoticeKind
    unit_code: str
    audience: Audience
    subject_th: str
    lines_th: tuple[str, ...]
    link_path: str
    created_at: datetime


@dataclass(frozen=True)
class Names:
    """Thai names from the notifier's copy of the set-up; codes stand in for missing ones."""

    units: dict[str, str]
    rounds: dict[str, str]
    forms: dict[str, str]

    def unit(self, code: str) -> str:
        return self.units.get(code, code)

    def round(self, round_id: str) -> str:
        return self.rounds.get(round_id, round_id)

    def form(self, form_id: str) -> str:
        return self.forms.get(form_id, form_id)


def _path(*parts: str) -> str:
    return "/" + "/".join(quote(part, safe="") for part in parts)


def reminder(event: ReminderDue, names: Names, at: datetime) -> Notice:
    """A unit has not reported a form that was due (แจ้งเตือนการส่งรายงาน)."""
    late = f" (เลยกำหนดมาแล้ว {event.days_overdue} วัน)" if event.days_overdue else " (ครบกำหนดวันนี้)"
    return Notice(
        key=f"reminder:{event.round_id}:{event.form_id}:{event.unit_code}:{event.slot}",
        kind="reminder",
        unit_code=event.unit_code,
        audience="contact",
        subject_th=f"แจ้งเตือนการส่งรายงาน {names.round(event.round_id)}",
        lines_th=(
            f"{names.unit(event.unit_code)} ยังไม่ได้ส่ง{names.form(event.form_id)} "
            f"{names.round(event.round_id)}",
            f"กำหนดส่งวันที่ {format_long(event.due_on)}{late}",
        ),
        link_path=_path("rounds", event.round_id, "units", event.unit_code),
        created_at=at,
    )


def escalation(event: EscalationDue, office_code: str, names: Names, at: datetime) -> Notice:
    """Units still missing N days after the due date, for the office's director."""
    listed = [names.unit(code) for code in event.units[:MAX_LISTED]]
    more = len(event.units) - len(listed)
    return Notice(
        key=f"escalation:{event.round_id}:{event.form_id}:{event.slot}",
        kind="escalation",
        unit_code=office_code,
        audience="head",
        subject_th=f"หน่วยงานยังไม่ส่งรายงาน {names.round(event.round_id)} {len(event.units)} แห่ง",
        lines_th=(
            f"{len(event.units)} หน่วยงานยังไม่ได้ส่ง{names.form(event.form_id)} "
            f"{names.round(event.round_id)} เลยกำหนดมาแล้ว {event.days_overdue} วัน:",
            ", ".join(listed) + (f" และอีก {more} แห่ง" if more else ""),
        ),
        link_path=f"/?round={quote(event.round_id, safe='')}",
        created_at=at,
    )


def recommendation_overdue(event: RecommendationOverdue, names: Names, at: datetime) -> Notice:
    """An inspector's recommendation is past its due date, for the responsible unit."""
    return Notice(
        key=f"overdue:{event.recommendation_id}:{event.due_on.isoformat()}",
        kind="recommendation_overdue",
        unit_code=event.responsible_unit,
        audience="head",
        subject_th=f"ข้อเสนอแนะของผู้ตรวจราชการ {event.recommendation_id} เลยกำหนด",
        lines_th=(
            f"ข้อเสนอแนะ {event.recommendation_id} (การตรวจราชการ {event.inspection_id}) ที่ "
            f"{names.unit(event.responsible_unit)} รับผิดชอบ",
            f"กำหนดแล้วเสร็จวันที่ {format_long(event.due_on)} เลยกำหนดมาแล้ว {event.days_overdue} วัน",
        ),
        link_path="/director",
        created_at=at,
    )


def submission_returned(event: SubmissionReviewed, names: Names, at: datetime) -> Notice | None:
    """A reviewer returned a unit's report for correction; other review actions say nothing."""
    if event.action != "returned":
        return None
    comment = (f"ความเห็นของผู้ตรวจ: {event.comment}",) if event.comment else ()
    return Notice(
        key=f"returned:{event.submission_id}:{event.version}",
        kind="submission_returned",
        unit_code=event.unit_code,
        audience="contact",
        subject_th=f"รายงาน {names.round(event.round_id)} ถูกส่งกลับให้แก้ไข",
        lines_th=(
            f"{names.form(event.form_id)} {names.round(event.round_id)} ของ "
            f"{names.unit(event.unit_code)} (ฉบับที่ {event.version}) ถูกส่งกลับให้แก้ไข",
            *comment,
        ),
        link_path=_path("rounds", event.round_id, "units", event.unit_code),
        created_at=at,
    )


def report_outcome(event: ReportRendered | ReportFailed, office_code: str, at: datetime) -> Notice:
    """A requested report is ready to download, or could not be made, for the office."""
    if isinstance(event, ReportRendered):
        subject = f"รายงาน {event.file_name} พร้อมดาวน์โหลด"
        lines: tuple[str, ...] = (f"จัดทำรายงาน {event.file_name} เสร็จแล้ว",)
    else:
        subject = f"จัดทำรายงาน {event.request_id} ไม่สำเร็จ"
        lines = (f"จัดทำรายงาน {event.request_id} ไม่สำเร็จ: {event.reason}",)
    return Notice(
        key=f"report:{event.request_id}:{event.ROUTING_KEY}",
        kind="report",
        unit_code=office_code,
        audience="contact",
        subject_th=subject,
        lines_th=lines,
        link_path="/reports",
        created_at=at,
    )
