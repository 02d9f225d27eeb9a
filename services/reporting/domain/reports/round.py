"""(b) The monitoring round report (รายงานผลการติดตามความก้าวหน้า).

Ten numbered sections, one builder each, over what the round holds (`_Round`)."""

from dataclasses import dataclass

from services.reporting.domain.document import (
    Block,
    Cell,
    Column,
    Document,
    Figures,
    Paragraph,
    Table,
)
from services.reporting.domain.report_data import ReportData
from services.reporting.domain.reports.common import (
    LAGGING_STATUSES,
    NO_PROGRESS_ROUND_TH,
    NO_RATES_TH,
    NO_REPORTS_TH,
    UnitGroups,
    file_stem,
    numbered,
    report_document,
    round_figures,
    round_progress,
    round_title,
    rounds_of_year,
    status_th,
    top_level,
    year_projects,
)
from services.reporting.domain.reports.problems import round_problem_tables
from services.reporting.domain.reports.project_tables import (
    achievement,
    achievement_chart,
    indicator_lines,
    indicator_table,
    project_table,
)
from services.reporting.domain.reports.rate_tables import (
    RateScopes,
    group_chart,
    group_rate_table,
    office_figures,
    rate_scopes,
    unit_list_table,
    unit_rate_table,
)
from shared.contracts.monitoring import ProjectProgressUpdated
from shared.contracts.setup import Project, Round
from shared.thai.calendar import format_long


@dataclass(frozen=True)
class _Round:
    """What the sections of one round's report look at."""

    data: ReportData
    round_: Round
    scopes: RateScopes
    groups: UnitGroups
    everything: list[Project]  # the year's projects and their activities
    projects: list[Project]  # top-level projects only
    progress: dict[str, ProjectProgressUpdated]

    @property
    def has_rates(self) -> bool:
        scopes = self.scopes
        return bool(scopes.offices or scopes.groups or scopes.units)

    @property
    def has_progress(self) -> bool:
        return any(p.code in self.progress for p in self.everything)


def _round(data: ReportData, round_id: str) -> _Round:
    round_ = data.round(round_id)
    if round_ is None:
        raise KeyError(round_id)
    everything = year_projects(data, round_.fiscal_year)
    return _Round(
        data=data,
        round_=round_,
        scopes=rate_scopes(data, round_id),
        groups=UnitGroups(data.units, data.office),
        everything=everything,
        projects=top_level(everything),
        progress=round_progress(data, round_id),
    )


def _overview(r: _Round) -> list[Block]:
    """1 the round's dates and the office's reporting rates."""
    overview: list[Block] = []
    if not r.has_rates and not r.has_progress:
        overview.append(Paragraph(text_th=NO_REPORTS_TH))
    elif not r.has_rates:
        overview.append(Paragraph(text_th=NO_RATES_TH))
    overview.append(Figures(items=(*round_figures(r.round_), *office_figures(r.data, r.scopes))))
    return overview


def _groups(r: _Round) -> list[Block]:
    """2 reporting rates per group or network, with their chart."""
    blocks: list[Block] = [group_rate_table(r.data, r.scopes)]
    chart = group_chart(r.data, r.scopes)
    if chart is not None:
        blocks.append(chart)
    return blocks


def _missing(r: _Round) -> list[Block]:
    """4 the units that have not reported."""
    every = [*r.scopes.offices, *r.scopes.groups, *r.scopes.units]
    table = unit_list_table(
        r.data,
        ((u.form_id, code) for u in every for code in u.missing_units),
        r.groups,
        several_forms=r.scopes.several_forms,
        title="รายชื่อหน่วยงานที่ยังไม่ส่งรายงาน",
        sheet="ยังไม่ส่งรายงาน",
        empty="ไม่มีหน่วยงานที่ยังไม่ส่งรายงาน" if r.has_rates else NO_RATES_TH,
    )
    return [table]


def _late(r: _Round) -> list[Block]:
    """5 the units that reported late."""
    every = [*r.scopes.offices, *r.scopes.groups, *r.scopes.units]
    table = unit_list_table(
        r.data,
        ((u.form_id, code) for u in every for code in u.late_units),
        r.groups,
        several_forms=r.scopes.several_forms,
        title="รายชื่อหน่วยงานที่ส่งรายงานล่าช้า",
        sheet="ส่งรายงานล่าช้า",
        empty="ไม่มีหน่วยงานที่ส่งรายงานล่าช้า" if r.has_rates else NO_RATES_TH,
    )
    return [table]


def _projects(r: _Round) -> list[Block]:
    """6 each project's progress in the round, with the achievement chart."""
    blocks: list[Block] = []
    if not r.has_progress:
        blocks.append(Paragraph(text_th=NO_PROGRESS_ROUND_TH))
    table = project_table(
        r.data,
        r.projects if r.has_progress else [],
        r.progress,
        title=f"ความก้าวหน้าของโครงการ {round_title(r.round_)}",
        sheet="ความก้าวหน้าโครงการ",
    )
    blocks.append(
        table if r.has_progress else table.model_copy(update={"empty_th": NO_PROGRESS_ROUND_TH})
    )
    if any(p.code in r.progress for p in r.projects):
        blocks.append(achievement_chart(r.projects, r.progress))
    return blocks


def _indicators(r: _Round) -> list[Block]:
    """7 every indicator's result in the round against its target."""
    lines = indicator_lines(r.data, r.everything, r.progress) if r.has_progress else []
    table = indicator_table(
        lines,
        with_round_actual=True,
        title="ผลการดำเนินงานตามตัวชี้วัดเทียบกับค่าเป้าหมาย",
        empty=NO_PROGRESS_ROUND_TH,
    )
    return [table]


def _lagging(r: _Round) -> list[Block]:
    """8 the projects at risk or behind their plan."""
    progress = r.progress
    rows = tuple(
        (
            p.code,
            p.name_th,
            r.data.unit_name(p.responsible_unit),
            progress[p.code].disbursement_rate,
            progress[p.code].expected_disbursement,
            achievement(progress[p.code]),
            status_th(progress[p.code].status),
        )
        for p in r.projects
        if p.code in progress and progress[p.code].status in LAGGING_STATUSES
    )
    table = Table(
        title_th="โครงการที่มีความเสี่ยงหรือล่าช้ากว่าแผน",
        sheet_th="โครงการที่ล่าช้า",
        columns=(
            Column(title_th="รหัสโครงการ"),
            Column(title_th="ชื่อโครงการ"),
            Column(title_th="หน่วยงานรับผิดชอบ"),
            Column(title_th="ร้อยละการเบิกจ่าย", kind="percent"),
            Column(title_th="เป้าหมายการเบิกจ่าย", kind="percent"),
            Column(title_th="ร้อยละความสำเร็จเฉลี่ย", kind="percent"),
            Column(title_th="สถานะ"),
        ),
        rows=rows,
        empty_th="ไม่มีโครงการที่มีความเสี่ยงหรือล่าช้ากว่าแผน" if r.has_progress else NO_PROGRESS_ROUND_TH,
    )
    return [table]


def _recurring_rows(r: _Round) -> list[tuple[Cell, ...]]:
    """Projects with problems now and in earlier rounds of the year (ending before it)."""
    round_id = r.round_.round_id
    earlier = [
        other.round_id
        for other in rounds_of_year(r.data, r.round_.fiscal_year)
        if other.period_end < r.round_.period_end and other.round_id != round_id
    ]
    earlier_progress = {rid: round_progress(r.data, rid) for rid in earlier}
    rows: list[tuple[Cell, ...]] = []
    for p in r.projects:
        now = r.progress.get(p.code)
        if now is None or now.units_with_problems <= 0:
            continue
        before = [
            rid
            for rid in earlier
            if (got := earlier_progress[rid].get(p.code)) is not None
            and got.units_with_problems > 0
        ]
        if before:
            rows.append(
                (
                    p.code,
                    p.name_th,
                    now.units_with_problems,
                    len(before) + 1,
                    ", ".join([*before, round_id]),
                )
            )
    return rows


def _recurring(r: _Round, problem_units: Table) -> list[Block]:
    """10 units and projects whose problems recur over the year's rounds."""
    recurring = Table(
        title_th="โครงการที่พบปัญหาอุปสรรคซ้ำหลายรอบ",
        sheet_th="ปัญหาที่พบซ้ำ",
        columns=(
            Column(title_th="รหัสโครงการ"),
            Column(title_th="ชื่อโครงการ"),
            Column(title_th="หน่วยงานที่รายงานปัญหาในรอบนี้", kind="integer"),
            Column(title_th="จำนวนรอบที่พบปัญหา", kind="integer"),
            Column(title_th="รอบที่พบปัญหา"),
        ),
        rows=tuple(_recurring_rows(r)),
        empty_th="ไม่พบปัญหาอุปสรรคที่เกิดซ้ำ" if r.has_progress else NO_PROGRESS_ROUND_TH,
    )
    return [problem_units, recurring]


def round_report(data: ReportData, round_id: str, *, thai_digits: bool = False) -> Document:
    """รายงานผลการติดตามความก้าวหน้า: reporting rate and timeliness, missing and late
    units, progress per project and indicator, lagging projects, recurring problems."""
    r = _round(data, round_id)
    round_ = r.round_
    problem_list, problem_units = round_problem_tables(data, round_)
    sections = numbered(
        [
            ("ภาพรวมการส่งรายงาน", _overview(r)),
            ("อัตราการส่งรายงานจำแนกตามกลุ่ม/เครือข่าย", _groups(r)),
            (
                "อัตราการส่งรายงานและความตรงเวลารายหน่วยงาน",
                [unit_rate_table(data, r.scopes, r.groups)],
            ),
            ("หน่วยงานที่ยังไม่ส่งรายงาน", _missing(r)),
            ("หน่วยงานที่ส่งรายงานล่าช้า", _late(r)),
            ("ความก้าวหน้าของโครงการ", _projects(r)),
            ("ผลการดำเนินงานตามตัวชี้วัด", _indicators(r)),
            ("โครงการที่มีความเสี่ยงหรือล่าช้ากว่าแผน", _lagging(r)),
            ("ปัญหาอุปสรรคและข้อเสนอแนะ", [problem_list]),
            ("ปัญหาอุปสรรคที่พบซ้ำ", _recurring(r, problem_units)),
        ]
    )
    return report_document(
        data,
        report_type="round",
        title=f"รายงานผลการติดตามความก้าวหน้า {round_title(round_)}",
        subtitle=f"ระยะเวลารายงาน {format_long(round_.period_start)} – "
        f"{format_long(round_.period_end)}",
        sections=sections,
        stem=file_stem("รายงานผลการติดตาม", round_id),
        digits_th=thai_digits,
    )
