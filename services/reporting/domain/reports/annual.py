"""(a) The annual report of the office to its area committee (รายงานผลการดำเนินงานประจำปี).

Seven numbered sections, one builder each, over what the year holds (`_Year`)."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from services.reporting.domain.document import (
    Block,
    Column,
    Document,
    Figure,
    Figures,
    Paragraph,
    Table,
    format_cell,
)
from services.reporting.domain.report_data import ReportData
from services.reporting.domain.reports.common import (
    CLOSED_STATUSES,
    NO_PROGRESS_YEAR_TH,
    NO_PROJECTS_TH,
    file_stem,
    fy_text,
    latest_evaluations,
    latest_inspections,
    latest_rates,
    level_th,
    numbered,
    recommendation_status_th,
    report_document,
    round_name,
    round_order,
    top_level,
    year_projects,
)
from services.reporting.domain.reports.problems import open_problems_table
from services.reporting.domain.reports.project_tables import (
    Budget,
    IndicatorLine,
    achievement_chart,
    budget_chart,
    budget_totals,
    indicator_lines,
    indicator_table,
    project_table,
)
from shared.contracts.evaluation import EvaluationFinalised, InspectionReportUpdated
from shared.contracts.monitoring import ProjectProgressUpdated, RatesUpdated
from shared.contracts.setup import Project, Round
from shared.thai.calendar import format_long
from shared.thai.numbers import natural_key, percent


def _money(value: Decimal | None) -> str:
    return format_cell(value, "baht")


def _year_progress(data: ReportData, fiscal_year: int) -> dict[str, ProjectProgressUpdated]:
    """Each project's progress in its latest round of the year that has data (units
    reported), "latest" by the rounds' period end (`round_order`), not by round id."""
    order = round_order(data, fiscal_year)
    found: dict[str, ProjectProgressUpdated] = {}
    for progress in data.progress:
        if progress.round_id not in order or progress.units_reporting == 0:
            continue
        held = found.get(progress.project_code)
        newer = held is None or (order[held.round_id], held.updated_at) <= (
            order[progress.round_id],
            progress.updated_at,
        )
        if newer:
            found[progress.project_code] = progress
    return found


def _office_rate_in_latest_round(
    data: ReportData, fiscal_year: int
) -> tuple[str, Decimal | None] | None:
    """The office's reporting rate in the year's latest round (by period end) where any
    unit reported; several forms pool their counts."""
    order = round_order(data, fiscal_year)
    office = data.office
    by_round: dict[str, list[RatesUpdated]] = defaultdict(list)
    for update in data.rates:
        ours = office is None or update.scope_code == office.code
        if update.scope_type == "office" and update.round_id in order and ours:
            by_round[update.round_id].append(update)
    by_round = {r: latest_rates(updates) for r, updates in by_round.items()}
    with_data = [r for r, updates in by_round.items() if any(u.rates.received for u in updates)]
    if not with_data:
        return None
    round_id = max(with_data, key=order.__getitem__)
    updates = by_round[round_id]
    if len(updates) == 1:
        rate = updates[0].rates.rate
    else:
        rate = percent(
            sum(u.rates.received for u in updates), sum(u.rates.expected for u in updates)
        )
    return round_name(data, round_id), rate


@dataclass(frozen=True)
class _Year:
    """What the sections of one fiscal year's report look at."""

    data: ReportData
    fiscal_year: int
    everything: list[Project]  # projects and their activities
    projects: list[Project]  # top-level projects only
    progress: dict[str, ProjectProgressUpdated]
    budget: Budget
    lines: list[IndicatorLine]
    evaluations: list[EvaluationFinalised]
    inspections: list[InspectionReportUpdated]

    as_of: Round | None  # the latest round the figures come from

    @property
    def fy(self) -> str:
        return fy_text(self.fiscal_year)

    @property
    def reported(self) -> list[Project]:
        """The top-level projects with progress in the year."""
        return [p for p in self.projects if p.code in self.progress]


def _year(data: ReportData, fiscal_year: int) -> _Year:
    everything = year_projects(data, fiscal_year)
    projects = top_level(everything)
    progress = _year_progress(data, fiscal_year)
    order = round_order(data, fiscal_year)
    latest = max((p.round_id for p in progress.values()), key=order.__getitem__, default=None)
    return _Year(
        data=data,
        fiscal_year=fiscal_year,
        everything=everything,
        projects=projects,
        progress=progress,
        budget=budget_totals(projects, progress),
        lines=indicator_lines(data, everything, progress),
        evaluations=latest_evaluations(e for e in data.evaluations if e.fiscal_year == fiscal_year),
        inspections=latest_inspections(i for i in data.inspections if i.fiscal_year == fiscal_year),
        as_of=data.round(latest) if latest is not None else None,
    )


def as_of_text(year: _Year) -> str | None:
    """Which round and date the year's figures come from (None before any report)."""
    round_ = year.as_of
    if round_ is None:
        return None
    text = (
        f"ผลการดำเนินงานในรายงานฉบับนี้เป็นผลสะสมตั้งแต่ต้นปีงบประมาณ"
        f" ถึงวันที่ {format_long(round_.period_end)} ตามการรายงาน{round_.name_th}"
    )
    if any(p.round_id != round_.round_id for p in year.progress.values()):
        text += " โครงการที่ยังไม่รายงานในรอบนี้แสดงผลจากรอบล่าสุดที่รายงาน"
    return text


def _on_track(year: _Year) -> int:
    return sum(1 for line in year.lines if line.status == "on_track")


def _summary_text(year: _Year) -> str:
    budget, lines = year.budget, year.lines
    text = (
        f"ใน{year.fy} {year.data.office_name} ดำเนินโครงการตามแผนปฏิบัติการประจำปี "
        f"จำนวน {len(year.projects)} โครงการ งบประมาณที่ได้รับจัดสรรรวม "
        f"{_money(budget.allocated)} บาท"
    )
    if budget.spent is not None:
        text += (
            f" ใช้จ่ายแล้ว {_money(budget.spent)} บาท"
            f" คิดเป็นร้อยละ {format_cell(budget.disbursement, 'decimal')}"
        )
    if lines:
        text += f" ตัวชี้วัดเป็นไปตามแผน {_on_track(year)} จาก {len(lines)} ตัวชี้วัด"
    return text


def _summary_figures(year: _Year) -> Figures:
    budget = year.budget
    rate_label = "อัตราการส่งรายงานของสำนักงาน"
    rate_value: Decimal | None = None
    office_rate = _office_rate_in_latest_round(year.data, year.fiscal_year)
    if office_rate is not None:
        name, rate_value = office_rate
        rate_label = f"{rate_label} ({name})"
    return Figures(
        items=(
            Figure(label_th="จำนวนโครงการ", value=len(year.projects), cell_kind="integer"),
            Figure(
                label_th="งบประมาณที่ได้รับจัดสรรทั้งสิ้น (บาท)",
                value=budget.allocated,
                cell_kind="baht",
            ),
            Figure(label_th="งบประมาณที่ใช้ไป (บาท)", value=budget.spent, cell_kind="baht"),
            Figure(
                label_th="ร้อยละการเบิกจ่ายงบประมาณ",
                value=budget.disbursement,
                cell_kind="percent",
            ),
            Figure(label_th="ตัวชี้วัดที่เป็นไปตามแผน", value=_on_track(year), cell_kind="integer"),
            Figure(label_th="ตัวชี้วัดทั้งหมด", value=len(year.lines), cell_kind="integer"),
            Figure(label_th=rate_label, value=rate_value, cell_kind="percent"),
        )
    )


def _summary(year: _Year) -> list[Block]:
    """1 executive summary: projects, budget and indicators in a paragraph and figures."""
    summary: list[Block] = []
    if not year.projects:
        summary.append(Paragraph(text_th=NO_PROJECTS_TH))
    else:
        summary.append(Paragraph(text_th=_summary_text(year)))
        as_of = as_of_text(year)
        if as_of is not None:
            summary.append(Paragraph(text_th=as_of))
        if not year.reported:
            summary.append(Paragraph(text_th=NO_PROGRESS_YEAR_TH))
    summary.append(_summary_figures(year))
    return summary


def _plan_and_projects(year: _Year) -> list[Block]:
    """2 the year's action plan(s) and their projects."""
    plans = sorted(
        (
            p
            for p in year.data.plans
            if p.plan_type == "action_plan"
            and p.first_fiscal_year <= year.fiscal_year <= p.last_fiscal_year
        ),
        key=lambda p: natural_key(p.plan_id),
    )
    blocks: list[Block] = [Paragraph(text_th=p.name_th) for p in plans]
    if not year.projects:
        blocks.append(Paragraph(text_th=NO_PROJECTS_TH))
    blocks.append(
        project_table(
            year.data,
            year.projects,
            year.progress,
            title=f"โครงการตามแผนปฏิบัติการประจำ{year.fy}",
            sheet="โครงการ",
        )
    )
    return blocks


def _indicators(year: _Year) -> list[Block]:
    """3 every indicator against its target, and the projects' achievement chart."""
    blocks: list[Block] = []
    if not year.lines:
        blocks.append(Paragraph(text_th="ยังไม่มีข้อมูลตัวชี้วัดของปีงบประมาณนี้"))
    blocks.append(
        indicator_table(
            year.lines,
            with_round_actual=False,
            title="ผลการดำเนินงานตามตัวชี้วัดเทียบกับค่าเป้าหมาย",
            empty="ยังไม่มีข้อมูลตัวชี้วัด",
        )
    )
    if year.reported:
        blocks.append(achievement_chart(year.projects, year.progress))
    return blocks


def _budget(year: _Year) -> list[Block]:
    """4 disbursement per project, or that nothing was reported."""
    if year.reported:
        return [budget_chart(year.projects, year.progress)]
    return [Paragraph(text_th=NO_PROGRESS_YEAR_TH)]


def _problems(year: _Year) -> list[Block]:
    """5 units reporting problems per project, and the problems still open."""
    progress = year.progress
    rows = tuple(
        (
            p.code,
            p.name_th,
            progress[p.code].units_reporting if p.code in progress else None,
            progress[p.code].units_with_problems if p.code in progress else None,
            progress[p.code].units_with_suggestions if p.code in progress else None,
        )
        for p in year.projects
    )
    blocks: list[Block] = []
    if not year.reported:
        blocks.append(Paragraph(text_th=NO_PROGRESS_YEAR_TH))
    blocks.append(
        Table(
            title_th="หน่วยงานที่รายงานปัญหาอุปสรรคและข้อเสนอแนะ จำแนกตามโครงการ",
            sheet_th="ปัญหาอุปสรรค",
            columns=(
                Column(title_th="รหัสโครงการ"),
                Column(title_th="ชื่อโครงการ"),
                Column(title_th="หน่วยงานที่รายงาน", kind="integer"),
                Column(title_th="หน่วยงานที่รายงานปัญหาอุปสรรค", kind="integer"),
                Column(title_th="หน่วยงานที่ให้ข้อเสนอแนะ", kind="integer"),
            ),
            rows=rows if year.reported else (),
            empty_th=NO_PROGRESS_YEAR_TH,
        )
    )
    blocks.append(open_problems_table(year.data, year.fiscal_year))
    return blocks


def _evaluation_recommendations(year: _Year) -> Table:
    return Table(
        title_th="ข้อเสนอแนะจากการประเมินผล",
        sheet_th="ข้อเสนอแนะจากการประเมิน",
        columns=(
            Column(title_th="การประเมิน"),
            Column(title_th="หน่วยงาน"),
            Column(title_th="ข้อเสนอแนะ"),
        ),
        rows=tuple(
            (e.title_th, rec.unit_name_th or year.data.unit_name(rec.unit_code), rec.text_th)
            for e in year.evaluations
            for rec in sorted(e.recommendations, key=lambda r: natural_key(r.unit_code))
        ),
        empty_th="ยังไม่มีข้อเสนอแนะจากการประเมินผลที่สรุปแล้วในปีงบประมาณนี้",
    )


def _inspection_recommendations(year: _Year) -> Table:
    """The inspections' recommendations not yet done (nor set aside)."""
    rows = tuple(
        (
            i.title_th,
            issue.title_th,
            rec.text_th,
            year.data.unit_name(rec.responsible_unit),
            rec.due_on,
            recommendation_status_th(rec),
        )
        for i in year.inspections
        for issue in sorted(i.issues, key=lambda x: natural_key(x.issue_code))
        for rec in sorted(issue.recommendations, key=lambda r: natural_key(r.recommendation_id))
        if rec.status not in CLOSED_STATUSES
    )
    return Table(
        title_th="ข้อเสนอแนะจากการตรวจราชการที่ยังดำเนินการไม่แล้วเสร็จ",
        sheet_th="ข้อเสนอแนะจากการตรวจราชการ",
        columns=(
            Column(title_th="การตรวจราชการ"),
            Column(title_th="ประเด็น"),
            Column(title_th="ข้อเสนอแนะ"),
            Column(title_th="หน่วยงานรับผิดชอบ"),
            Column(title_th="กำหนดแล้วเสร็จ", kind="date"),
            Column(title_th="สถานะ"),
        ),
        rows=rows,
        empty_th="ไม่มีข้อเสนอแนะจากการตรวจราชการที่ค้างดำเนินการ",
    )


def _recommendations(year: _Year) -> list[Block]:
    """6 recommendations of the year's evaluations, and the inspections' still open."""
    return [_evaluation_recommendations(year), _inspection_recommendations(year)]


def _evaluation_results(year: _Year) -> list[Block]:
    """7 the evaluations finalised in the year, with their totals and levels."""
    results = Table(
        title_th=f"ผลการประเมินที่สรุปแล้วใน{year.fy}",
        sheet_th="ผลการประเมิน",
        columns=(
            Column(title_th="การประเมิน"),
            Column(title_th="กรอบการประเมิน"),
            Column(title_th="คะแนนรวม", kind="decimal"),
            Column(title_th="ระดับคุณภาพ"),
        ),
        rows=tuple(
            (e.title_th, e.framework_title_th, e.total, level_th(e.level)) for e in year.evaluations
        ),
        empty_th="ยังไม่มีผลการประเมินที่สรุปแล้วในปีงบประมาณนี้",
    )
    return [results]


def annual_report(data: ReportData, fiscal_year: int, *, thai_digits: bool = False) -> Document:
    """รายงานผลการดำเนินงานประจำปีงบประมาณ: the office's annual report for the committee."""
    year = _year(data, fiscal_year)
    sections = numbered(
        [
            ("บทสรุปผู้บริหาร", _summary(year)),
            ("แผนและโครงการ", _plan_and_projects(year)),
            ("ผลการดำเนินงานตามตัวชี้วัด", _indicators(year)),
            ("งบประมาณ", _budget(year)),
            ("ปัญหาและอุปสรรค", _problems(year)),
            ("ข้อเสนอแนะ", _recommendations(year)),
            ("ผลการประเมิน", _evaluation_results(year)),
        ]
    )
    return report_document(
        data,
        report_type="annual",
        title=f"รายงานผลการดำเนินงานประจำ{year.fy}",
        subtitle=data.office_name,
        sections=sections,
        stem=file_stem("รายงานผลการดำเนินงานประจำปี", fiscal_year),
        digits_th=thai_digits,
    )
