"""(c) The reporting-rate summary (สรุปอัตราการส่งรายงาน): every unit in one pass."""

from services.reporting.domain.document import (
    Block,
    Document,
    Figures,
    Paragraph,
)
from services.reporting.domain.report_data import ReportData
from services.reporting.domain.reports.common import (
    NO_REPORTS_TH,
    _document,
    _Groups,
    _numbered,
    _round_figures,
    _round_title,
    file_stem,
)
from services.reporting.domain.reports.tables import (
    _group_rate_table,
    _office_figures,
    _rate_scopes,
    _unit_rate_table,
)
from shared.thai.calendar import format_long


def rates_report(data: ReportData, round_id: str, *, thai_digits: bool = False) -> Document:
    """สรุปอัตราการส่งรายงาน: every unit's reporting rate, with its group; one pass."""
    round_ = data.round(round_id)
    if round_ is None:
        raise KeyError(round_id)
    scopes = _rate_scopes(data, round_id)
    has_rates = bool(scopes.offices or scopes.groups or scopes.units)
    overview: list[Block] = []
    if not has_rates:
        overview.append(Paragraph(text_th=NO_REPORTS_TH))
    overview.append(Figures(items=(*_round_figures(round_), *_office_figures(data, scopes))))
    sections = _numbered(
        [
            ("ภาพรวม", overview),
            ("อัตราการส่งรายงานจำแนกตามกลุ่ม/เครือข่าย", [_group_rate_table(data, scopes)]),
            (
                "อัตราการส่งรายงานรายหน่วยงาน",
                [_unit_rate_table(data, scopes, _Groups(data.units, data.office))],
            ),
        ]
    )
    return _document(
        data,
        report_type="rates",
        title=f"สรุปอัตราการส่งรายงาน {_round_title(round_)}",
        subtitle=f"กำหนดส่งรายงานภายในวันที่ {format_long(round_.due_on)}",
        sections=sections,
        stem=file_stem("สรุปอัตราการส่งรายงาน", round_id),
        digits_th=thai_digits,
        landscape=True,
    )
