"""(e) The inspection report (รายงานผลการตรวจราชการ).

Three numbered sections, one builder each, with a section per issue after the second."""

from collections.abc import Mapping
from datetime import date, datetime, timedelta, timezone

from services.reporting.domain.document import (
    Block,
    Cell,
    Column,
    Document,
    Figure,
    Figures,
    Paragraph,
    Section,
    Table,
)
from services.reporting.domain.report_data import ReportData
from services.reporting.domain.reports.common import (
    CLOSED_STATUSES,
    RECOMMENDATION_STATUS_TH,
    file_stem,
    fy_text,
    latest_inspections,
    numbered,
    recommendation_status_th,
    report_document,
    sheet_title,
    titled,
)
from shared.contracts.evaluation import (
    InspectionIssueOut,
    InspectionRecommendationOut,
    InspectionReportUpdated,
)
from shared.thai.calendar import format_long
from shared.thai.numbers import natural_key

_COUNT_LABELS_TH: Mapping[str, str] = {
    "open": "ข้อเสนอแนะที่ยังไม่ดำเนินการ",
    "in_progress": "ข้อเสนอแนะที่อยู่ระหว่างดำเนินการ",
    "done": "ข้อเสนอแนะที่ดำเนินการแล้วเสร็จ",
    "not_applicable": "ข้อเสนอแนะที่ไม่ต้องดำเนินการ (ไม่เกี่ยวข้อง)",
}

_THAI_TIME = timezone(timedelta(hours=7))  # Thailand keeps no daylight saving

_Recommended = list[tuple[InspectionIssueOut, InspectionRecommendationOut]]


def _days_overdue(rec: InspectionRecommendationOut, today: date) -> int | None:
    """Days past due on `today`, or None when not overdue (closed, or not yet due)."""
    if rec.status in CLOSED_STATUSES or rec.due_on >= today:
        return None
    return (today - rec.due_on).days


def _thai_date(moment: datetime) -> date:
    if moment.tzinfo is None:
        return moment.date()
    return moment.astimezone(_THAI_TIME).date()


def _last_note(rec: InspectionRecommendationOut) -> str | None:
    if not rec.progress:
        return None
    note = max(rec.progress, key=lambda n: n.at)
    return f"{format_long(_thai_date(note.at))}: {note.note_th}"


def _inspection(data: ReportData, inspection_id: str) -> InspectionReportUpdated:
    found = latest_inspections(i for i in data.inspections if i.inspection_id == inspection_id)
    if not found:
        raise KeyError(inspection_id)
    return found[0]


def _overview(
    inspection: InspectionReportUpdated, recs: _Recommended, overdue: int, today: date
) -> list[Block]:
    """1 the inspection, and how many recommendations there are by status and overdue."""
    tally: dict[str, int] = dict.fromkeys(RECOMMENDATION_STATUS_TH, 0)
    for _, rec in recs:
        tally[rec.status] = tally.get(rec.status, 0) + 1
    items = [
        Figure(label_th="ประเภทการตรวจราชการ", value=inspection.kind_th),
        Figure(label_th="รอบการตรวจราชการที่", value=inspection.round_no, cell_kind="integer"),
        Figure(label_th="วันที่ตรวจราชการ", value=format_long(inspection.inspected_on)),
    ]
    if inspection.inspectors_th:
        items.append(Figure(label_th="ผู้ตรวจราชการ", value=", ".join(inspection.inspectors_th)))
    items += [
        Figure(
            label_th="จำนวนประเด็นการตรวจราชการ", value=len(inspection.issues), cell_kind="integer"
        ),
        Figure(label_th="จำนวนข้อเสนอแนะทั้งหมด", value=len(recs), cell_kind="integer"),
    ]
    items += [
        Figure(
            label_th=_COUNT_LABELS_TH.get(status, f"ข้อเสนอแนะสถานะ {status}"),
            value=count,
            cell_kind="integer",
        )
        for status, count in tally.items()
    ]
    items.append(
        Figure(
            label_th=f"ข้อเสนอแนะที่เกินกำหนด (ณ วันที่ {format_long(today)})",
            value=overdue,
            cell_kind="integer",
        )
    )
    overview: list[Block] = [Figures(items=tuple(items))]
    if not inspection.issues:
        overview.append(Paragraph(text_th="ยังไม่มีประเด็นการตรวจราชการที่บันทึกไว้"))
    return overview


def _issue_section(
    data: ReportData,
    issue: InspectionIssueOut,
    own: list[InspectionRecommendationOut],
    today: date,
) -> Section:
    """An issue's findings and its recommendations with their follow-up."""
    findings = (issue.findings_th or "").strip()
    rows: list[tuple[Cell, ...]] = []
    for rec in own:
        days = _days_overdue(rec, today)
        rows.append(
            (
                rec.recommendation_id,
                rec.text_th,
                data.unit_name(rec.responsible_unit),
                rec.due_on,
                recommendation_status_th(rec),
                rec.done_on,
                _last_note(rec),
                None if days is None else f"เกินกำหนด {days} วัน",
            )
        )
    table = Table(
        title_th=f"ข้อเสนอแนะและการดำเนินการ ประเด็นที่ {issue.issue_code}",
        sheet_th=sheet_title(f"ประเด็น {issue.issue_code}"),
        columns=(
            Column(title_th="รหัส"),
            Column(title_th="ข้อเสนอแนะ"),
            Column(title_th="หน่วยงานรับผิดชอบ"),
            Column(title_th="กำหนดแล้วเสร็จ", kind="date"),
            Column(title_th="สถานะ"),
            Column(title_th="วันที่แล้วเสร็จ", kind="date"),
            Column(title_th="ความก้าวหน้าล่าสุด"),
            Column(title_th="เกินกำหนด"),
        ),
        rows=tuple(rows),
        empty_th="ยังไม่มีข้อเสนอแนะในประเด็นนี้",
    )
    finding = f"ผลการตรวจ: {findings}" if findings else "ผลการตรวจ: ยังไม่มีการบันทึกผลการตรวจ"
    return Section(
        heading_th=f"ประเด็นที่ {issue.issue_code} {issue.title_th}",
        level=2,
        blocks=(Paragraph(text_th=finding), table),
    )


def _overdue(data: ReportData, overdue: _Recommended, today: date) -> list[Block]:
    """3 the recommendations past their due date on `today`."""
    table = Table(
        title_th=f"ข้อเสนอแนะที่เกินกำหนด ณ วันที่ {format_long(today)}",
        sheet_th="ข้อเสนอแนะที่เกินกำหนด",
        columns=(
            Column(title_th="ประเด็น"),
            Column(title_th="รหัส"),
            Column(title_th="ข้อเสนอแนะ"),
            Column(title_th="หน่วยงานรับผิดชอบ"),
            Column(title_th="กำหนดแล้วเสร็จ", kind="date"),
            Column(title_th="จำนวนวันที่เกินกำหนด", kind="integer"),
        ),
        rows=tuple(
            (
                issue.issue_code,
                rec.recommendation_id,
                rec.text_th,
                data.unit_name(rec.responsible_unit),
                rec.due_on,
                _days_overdue(rec, today),
            )
            for issue, rec in overdue
        ),
        empty_th="ไม่มีข้อเสนอแนะที่เกินกำหนด",
    )
    return [table]


def inspection_report(
    data: ReportData, inspection_id: str, *, thai_digits: bool = False
) -> Document:
    """รายงานผลการตรวจราชการ: every issue with its findings and recommendations, their
    follow-up, and which are overdue on `made_on`."""
    inspection = _inspection(data, inspection_id)
    today = data.made_on
    issues = sorted(inspection.issues, key=lambda i: natural_key(i.issue_code))
    recs = [
        (issue, rec)
        for issue in issues
        for rec in sorted(issue.recommendations, key=lambda r: natural_key(r.recommendation_id))
    ]
    overdue = [(issue, rec) for issue, rec in recs if _days_overdue(rec, today) is not None]
    level_one = numbered(
        [
            ("ข้อมูลการตรวจราชการ", _overview(inspection, recs, len(overdue), today)),
            ("ผลการตรวจราชการและข้อเสนอแนะรายประเด็น", []),
            ("ข้อเสนอแนะที่เกินกำหนด", _overdue(data, overdue, today)),
        ]
    )
    fy = fy_text(inspection.fiscal_year)
    per_issue = [
        _issue_section(data, issue, [rec for i, rec in recs if i is issue], today)
        for issue in issues
    ]
    return report_document(
        data,
        report_type="inspection",
        title=titled("รายงานผลการตรวจราชการ", inspection.title_th, starts=("การตรวจราชการ",)),
        subtitle=f"{inspection.kind_th} รอบที่ {inspection.round_no} {fy}",
        sections=[*level_one[:2], *per_issue, *level_one[2:]],
        stem=file_stem("รายงานผลการตรวจราชการ", inspection_id),
        digits_th=thai_digits,
    )
