"""(c) The reporting-rate summary (สรุปอัตราการส่งรายงาน): every unit in one pass."""

from services.reporting.domain.document import Block, Document, Figures, Paragraph
from services.reporting.domain.report_data import ReportData
from services.reporting.domain.reports.common import (
    NO_REPORTS_TH,
    UnitGroups,
    file_stem,
    numbered,
    report_document,
    round_figures,
    round_title,
)
from services.reporting.domain.reports.rate_tables import (
    group_rate_table,
    office_figures,
    rate_scopes,
    unit_rate_table,
)
from shared.thai.calendar import format_long


def rates_report(data: ReportData, round_id: str, *, thai_digits: bool = False) -> Document:
    """สรุปอัตราการส่งรายงาน: every unit's reporting rate, with its group; one pass."""
    round_ = data.round(round_id)
    if round_ is None:
        raise KeyError(round_id)
    scopes = rate_scopes(data, round_id)
    has_rates = bool(scopes.offices or scopes.groups or scopes.units)
    overview: list[Block] = []
    if not has_rates:
        overview.append(Paragraph(text_th=NO_REPORTS_TH))
    overview.append(Figures(items=(*round_figures(round_), *office_figures(data, scopes))))
    sections = numbered(
        [
            ("ภาพรวม", overview),
            ("อัตราการส่งรายงานจำแนกตามกลุ่ม/เครือข่าย", [group_rate_table(data, scopes)]),
            (
                "อัตราการส่งรายงานรายหน่วยงาน",
                [unit_rate_table(data, scopes, UnitGroups(data.units, data.office))],
            ),
        ]
    )
    return report_document(
        data,
        report_type="rates",
        title=f"สรุปอัตราการส่งรายงาน {round_title(round_)}",
        subtitle=f"กำหนดส่งรายงานภายในวันที่ {format_long(round_.due_on)}",
        sections=sections,
        stem=file_stem("สรุปอัตราการส่งรายงาน", round_id),
        digits_th=thai_digits,
        landscape=True,
    )
