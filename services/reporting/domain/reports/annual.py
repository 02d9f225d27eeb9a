"""(a) The annual report of the office to its area committee (รายงานผลการดำเนินงานประจำปี)."""

from collections import defaultdict
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
    _document,
    _fy_text,
    _latest_evaluations,
    _latest_inspections,
    _latest_rates,
    _level_th,
    _money,
    _numbered,
    _recommendation_status_th,
    _round_name,
    _top_level,
    _year_progress,
    _year_projects,
    file_stem,
)
from services.reporting.domain.reports.problems import (
    _PROBLEM_COLUMNS,
    _latest_problems,
    _problem_row,
)
from services.reporting.domain.reports.tables import (
    _achievement_chart,
    _budget,
    _budget_chart,
    _indicator_lines,
    _indicator_table,
    _project_table,
)
from shared.contracts.evaluation import (
    EvaluationFinalised,
    InspectionReportUpdated,
)
from shared.contracts.monitoring import (
    RatesUpdated,
)
from shared.thai.numbers import natural_key, percent


def _office_rate_in_latest_round(
    data: ReportData, fiscal_year: int
) -> tuple[str, Decimal | None] | None:
    """The office's reporting rate in the year's latest round that has one (highest round
    id); several forms pool their counts."""
    prefix = f"{fiscal_year}-"
    office = data.office
    by_round: dict[str, list[RatesUpdated]] = defaultdict(list)
    for update in _latest_rates(
        u for u in data.rates if u.scope_type == "office" and u.round_id.startswith(prefix)
    ):
        if office is None or update.scope_code == office.code:
            by_round[update.round_id].append(update)
    if not by_round:
        return None
    round_id = max(by_round)
    updates = by_round[round_id]
    if len(updates) == 1:
        rate = updates[0].rates.rate
    else:
        rate = percent(
            sum(u.rates.received for u in updates), sum(u.rates.expected for u in updates)
        )
    return _round_name(data, round_id), rate


def _year_recommendations(
    data: ReportData, fiscal_year: int
) -> tuple[list[EvaluationFinalised], list[InspectionReportUpdated]]:
    evaluations = _latest_evaluations(e for e in data.evaluations if e.fiscal_year == fiscal_year)
    inspections = _latest_inspections(i for i in data.inspections if i.fiscal_year == fiscal_year)
    return evaluations, inspections


def _year_problems(data: ReportData, fiscal_year: int) -> Table:
    """Problems of the year not yet resolved, oldest round first."""
    open_ = [p for p in _latest_problems(data, fiscal_year) if p.resolved_at is None and p.problems]
    return Table(
        title_th="ปัญหาอุปสรรคที่ยังไม่ได้รับการแก้ไข",
        sheet_th="ปัญหาที่ยังไม่แก้ไข",
        columns=_PROBLEM_COLUMNS,
        rows=tuple(_problem_row(data, p, None) for p in open_),
        empty_th="ไม่มีปัญหาอุปสรรคที่ค้างอยู่",
    )


def annual_report(data: ReportData, fiscal_year: int, *, thai_digits: bool = False) -> Document:
    """รายงานผลการดำเนินงานประจำปีงบประมาณ: the office's annual report for the committee."""
    fy = _fy_text(fiscal_year)
    everything = _year_projects(data, fiscal_year)
    projects = _top_level(everything)
    progress = _year_progress(data, fiscal_year)
    reported = [p for p in projects if p.code in progress]
    budget = _budget(projects, progress)
    lines = _indicator_lines(data, everything, progress)
    on_track = sum(1 for line in lines if line.status == "on_track")
    office_rate = _office_rate_in_latest_round(data, fiscal_year)

    # 1 executive summary
    summary: list[Block] = []
    if not projects:
        summary.append(Paragraph(text_th=NO_PROJECTS_TH))
    else:
        text = (
            f"ใน{fy} {data.office_name} ดำเนินโครงการตามแผนปฏิบัติการประจำปี "
            f"จำนวน {len(projects)} โครงการ งบประมาณที่ได้รับจัดสรรรวม "
            f"{_money(budget.allocated)} บาท"
        )
        if budget.spent is not None:
            text += (
                f" ใช้จ่ายแล้ว {_money(budget.spent)} บาท"
                f" คิดเป็นร้อยละ {format_cell(budget.disbursement, 'decimal')}"
            )
        if lines:
            text += f" ตัวชี้วัดเป็นไปตามแผน {on_track} จาก {len(lines)} ตัวชี้วัด"
        summary.append(Paragraph(text_th=text))
        if not reported:
            summary.append(Paragraph(text_th=NO_PROGRESS_YEAR_TH))
    rate_label = "อัตราการส่งรายงานของสำนักงาน"
    rate_value: Decimal | None = None
    if office_rate is not None:
        name, rate_value = office_rate
        rate_label = f"{rate_label} ({name})"
    summary.append(
        Figures(
            items=(
                Figure(label_th="จำนวนโครงการ", value=len(projects), cell_kind="integer"),
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
                Figure(label_th="ตัวชี้วัดที่เป็นไปตามแผน", value=on_track, cell_kind="integer"),
                Figure(label_th="ตัวชี้วัดทั้งหมด", value=len(lines), cell_kind="integer"),
                Figure(label_th=rate_label, value=rate_value, cell_kind="percent"),
            )
        )
    )

    # 2 plan and projects
    plans = sorted(
        (
            p
            for p in data.plans
            if p.plan_type == "action_plan"
            and p.first_fiscal_year <= fiscal_year <= p.last_fiscal_year
        ),
        key=lambda p: natural_key(p.plan_id),
    )
    plan_blocks: list[Block] = [Paragraph(text_th=p.name_th) for p in plans]
    if not projects:
        plan_blocks.append(Paragraph(text_th=NO_PROJECTS_TH))
    plan_blocks.append(
        _project_table(
            data,
            projects,
            progress,
            title=f"โครงการตามแผนปฏิบัติการประจำ{fy}",
            sheet="โครงการ",
        )
    )

    # 3 indicators
    indicator_blocks: list[Block] = []
    if not lines:
        indicator_blocks.append(Paragraph(text_th="ยังไม่มีข้อมูลตัวชี้วัดของปีงบประมาณนี้"))
    indicator_blocks.append(
        _indicator_table(
            lines,
            with_round_actual=False,
            title="ผลการดำเนินงานตามตัวชี้วัดเทียบกับค่าเป้าหมาย",
            empty="ยังไม่มีข้อมูลตัวชี้วัด",
        )
    )
    if reported:
        indicator_blocks.append(_achievement_chart(projects, progress))

    # 4 budget
    budget_blocks: list[Block] = []
    if reported:
        budget_blocks.append(_budget_chart(projects, progress))
    else:
        budget_blocks.append(Paragraph(text_th=NO_PROGRESS_YEAR_TH))

    # 5 problems and obstacles
    problem_rows = tuple(
        (
            p.code,
            p.name_th,
            progress[p.code].units_reporting if p.code in progress else None,
            progress[p.code].units_with_problems if p.code in progress else None,
            progress[p.code].units_with_suggestions if p.code in progress else None,
        )
        for p in projects
    )
    problem_blocks: list[Block] = []
    if not reported:
        problem_blocks.append(Paragraph(text_th=NO_PROGRESS_YEAR_TH))
    problem_blocks.append(
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
            rows=problem_rows if reported else (),
            empty_th=NO_PROGRESS_YEAR_TH,
        )
    )
    problem_blocks.append(_year_problems(data, fiscal_year))

    # 6 recommendations
    evaluations, inspections = _year_recommendations(data, fiscal_year)
    evaluation_rows = tuple(
        (e.title_th, rec.unit_name_th or data.unit_name(rec.unit_code), rec.text_th)
        for e in evaluations
        for rec in sorted(e.recommendations, key=lambda r: natural_key(r.unit_code))
    )
    inspection_rows = tuple(
        (
            i.title_th,
            issue.title_th,
            rec.text_th,
            data.unit_name(rec.responsible_unit),
            rec.due_on,
            _recommendation_status_th(rec),
        )
        for i in inspections
        for issue in sorted(i.issues, key=lambda x: natural_key(x.issue_code))
        for rec in sorted(issue.recommendations, key=lambda r: natural_key(r.recommendation_id))
        if rec.status not in CLOSED_STATUSES
    )
    recommendation_blocks: list[Block] = [
        Table(
            title_th="ข้อเสนอแนะจากการประเมินผล",
            sheet_th="ข้อเสนอแนะจากการประเมิน",
            columns=(
                Column(title_th="การประเมิน"),
                Column(title_th="หน่วยงาน"),
                Column(title_th="ข้อเสนอแนะ"),
            ),
            rows=evaluation_rows,
            empty_th="ยังไม่มีข้อเสนอแนะจากการประเมินผลที่สรุปแล้วในปีงบประมาณนี้",
        ),
        Table(
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
            rows=inspection_rows,
            empty_th="ไม่มีข้อเสนอแนะจากการตรวจราชการที่ค้างดำเนินการ",
        ),
    ]

    # 7 evaluation results
    evaluation_results = Table(
        title_th=f"ผลการประเมินที่สรุปแล้วใน{fy}",
        sheet_th="ผลการประเมิน",
        columns=(
            Column(title_th="การประเมิน"),
            Column(title_th="กรอบการประเมิน"),
            Column(title_th="คะแนนรวม", kind="decimal"),
            Column(title_th="ระดับคุณภาพ"),
        ),
        rows=tuple(
            (e.title_th, e.framework_title_th, e.total, _level_th(e.level)) for e in evaluations
        ),
        empty_th="ยังไม่มีผลการประเมินที่สรุปแล้วในปีงบประมาณนี้",
    )

    sections = _numbered(
        [
            ("บทสรุปผู้บริหาร", summary),
            ("แผนและโครงการ", plan_blocks),
            ("ผลการดำเนินงานตามตัวชี้วัด", indicator_blocks),
            ("งบประมาณ", budget_blocks),
            ("ปัญหาและอุปสรรค", problem_blocks),
            ("ข้อเสนอแนะ", recommendation_blocks),
            ("ผลการประเมิน", [evaluation_results]),
        ]
    )
    return _document(
        data,
        report_type="annual",
        title=f"รายงานผลการดำเนินงานประจำ{fy}",
        subtitle=data.office_name,
        sections=sections,
        stem=file_stem("รายงานผลการดำเนินงานประจำปี", fiscal_year),
        digits_th=thai_digits,
    )
