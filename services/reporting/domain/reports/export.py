"""(f) The quarter export for e-MES / eMENSCR (docs/exports.md has its layout)."""

from collections.abc import Iterable

from services.reporting.domain.document import (
    Block,
    Cell,
    CellKind,
    Column,
    Document,
    Figure,
    Figures,
    Paragraph,
    Section,
    Table,
    format_cell,
    satang_to_baht,
)
from services.reporting.domain.report_data import ReportData
from services.reporting.domain.reports.common import (
    NO_PROJECTS_TH,
    STATUS_TH,
    file_stem,
    report_document,
    round_name,
    round_progress,
    rounds_of_year,
    status_th,
    top_level,
    year_projects,
)
from services.reporting.domain.reports.project_tables import achievement
from shared.contracts.monitoring import ProjectProgressUpdated
from shared.contracts.setup import Project, Round
from shared.thai.calendar import Period, format_long, quarter_period
from shared.thai.numbers import natural_key

QUARTER_EXPORT_COLUMNS: tuple[str, ...] = (
    "รหัสโครงการ",
    "ชื่อโครงการ",
    "หน่วยงานรับผิดชอบ",
    "งบประมาณที่ได้รับจัดสรร (บาท)",
    "งบประมาณที่ใช้ไป (บาท)",
    "ร้อยละการเบิกจ่าย",
    "ร้อยละความก้าวหน้า",
    "ผลตามตัวชี้วัด",
    "ปัญหาอุปสรรค",
    "สถานะ",
)

_QUARTER_EXPORT_KINDS: tuple[CellKind, ...] = (
    "text",
    "text",
    "text",
    "baht",
    "baht",
    "percent",
    "percent",
    "text",
    "text",
    "text",
)


def _latest_first(rounds: Iterable[Round]) -> list[Round]:
    """Latest end first; on the same end the narrowest round (a quarter before its half)."""
    return sorted(
        rounds,
        key=lambda r: (-r.period_end.toordinal(), r.period_end - r.period_start, r.round_id),
    )


def _quarter_progress(
    data: ReportData, fiscal_year: int, quarter: int, codes: Iterable[str]
) -> tuple[dict[str, ProjectProgressUpdated], Period]:
    """Each project's progress in the latest round of the year that ends within the
    quarter (the narrowest on a tie); if no round ends within it, in the latest round
    ending before the quarter ends."""
    period = quarter_period(fiscal_year, quarter)
    year = rounds_of_year(data, fiscal_year)
    within = [r for r in year if r.period_end in period]
    candidates = _latest_first(within or [r for r in year if r.period_end <= period.end])
    by_round = {r.round_id: round_progress(data, r.round_id) for r in candidates}
    found: dict[str, ProjectProgressUpdated] = {}
    for code in codes:
        for r in candidates:
            got = by_round[r.round_id].get(code)
            if got is not None:
                found[code] = got
                break
    return found, period


def _indicator_results(project_code: str, progress: ProjectProgressUpdated) -> str:
    """'I1: 85.00%; I2: 40.00%': each indicator's achievement, its code without the
    project's prefix."""
    prefix = f"{project_code}-"
    parts = []
    for indicator in sorted(progress.indicators, key=lambda i: natural_key(i.code)):
        code = indicator.code.removeprefix(prefix) or indicator.code
        parts.append(f"{code}: {format_cell(indicator.achievement, 'percent')}")
    return "; ".join(parts)


def _row(data: ReportData, p: Project, got: ProjectProgressUpdated | None) -> tuple[Cell, ...]:
    """A project's row: its set-up, and its progress in the quarter if it has any."""
    head: tuple[Cell, ...] = (
        p.code,
        p.name_th,
        data.unit_name(p.responsible_unit),
        satang_to_baht(p.budget_satang),
    )
    if got is None:
        return (*head, None, None, None, None, None, STATUS_TH["no_data"])
    problems = got.units_with_problems
    return (
        *head,
        satang_to_baht(got.spent_satang),
        got.disbursement_rate,
        achievement(got),
        _indicator_results(p.code, got),
        f"{problems} หน่วยงานรายงานปัญหา" if problems > 0 else "",
        status_th(got.status),
    )


def _figures(
    data: ReportData,
    quarter: int,
    fiscal_year: int,
    period: Period,
    used: list[str],
    counts: tuple[int, int],
) -> Figures:
    """The quarter, its dates, the rounds it was taken from, and how many projects."""
    projects, with_progress = counts
    return Figures(
        items=(
            Figure(label_th="ไตรมาส", value=f"{quarter}/{fiscal_year}"),
            Figure(
                label_th="ช่วงเวลา",
                value=f"{format_long(period.start)} – {format_long(period.end)}",
            ),
            Figure(
                label_th="รอบการรายงานที่ใช้",
                value=", ".join(round_name(data, rid) for rid in used) or None,
            ),
            Figure(label_th="จำนวนโครงการ", value=projects, cell_kind="integer"),
            Figure(
                label_th="โครงการที่มีข้อมูลความก้าวหน้า",
                value=with_progress,
                cell_kind="integer",
            ),
        )
    )


def quarter_export(
    data: ReportData, fiscal_year: int, quarter: int, *, thai_digits: bool = False
) -> Document:
    """ส่งออกข้อมูลความก้าวหน้าโครงการ for e-MES and eMENSCR: exactly one table, the
    columns of `QUARTER_EXPORT_COLUMNS`, one row per top-level project in code order."""
    projects = top_level(year_projects(data, fiscal_year))
    progress, period = _quarter_progress(data, fiscal_year, quarter, (p.code for p in projects))
    table = Table(
        title_th=f"ความก้าวหน้าโครงการ ไตรมาส {quarter}/{fiscal_year}",
        sheet_th=f"ไตรมาส{quarter}-{fiscal_year}",
        columns=tuple(
            Column(title_th=title, kind=kind)
            for title, kind in zip(QUARTER_EXPORT_COLUMNS, _QUARTER_EXPORT_KINDS, strict=True)
        ),
        rows=tuple(_row(data, p, progress.get(p.code)) for p in projects),
        empty_th=NO_PROJECTS_TH,
    )
    used = sorted({g.round_id for g in progress.values()}, key=natural_key)
    counts = (len(projects), len(progress))
    blocks: list[Block] = [_figures(data, quarter, fiscal_year, period, used, counts)]
    if not projects:
        blocks.append(Paragraph(text_th=NO_PROJECTS_TH))
    elif not used:
        blocks.append(Paragraph(text_th="ยังไม่มีข้อมูลการรายงานความก้าวหน้าโครงการในไตรมาสนี้"))
    blocks.append(table)
    return report_document(
        data,
        report_type="quarter_export",
        title=f"ส่งออกข้อมูลความก้าวหน้าโครงการ ไตรมาส {quarter}/{fiscal_year}",
        subtitle="สำหรับนำเข้าระบบ e-MES และระบบติดตามและประเมินผลแห่งชาติ (eMENSCR)",
        sections=[Section(heading_th="ข้อมูลความก้าวหน้าโครงการรายไตรมาส", blocks=tuple(blocks))],
        stem=file_stem("ส่งออกความก้าวหน้าโครงการ", fiscal_year, f"ไตรมาส{quarter}"),
        digits_th=thai_digits,
        landscape=True,
    )
