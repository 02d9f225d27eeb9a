"""The annual report's sections after the summary, one builder each over the `Year`:
strategies and projects, indicators, budget, problems, evaluation and inspection."""

from collections import Counter

from services.reporting.domain.document import (
    Block,
    Column,
    Figure,
    Figures,
    Paragraph,
    Section,
    Table,
)
from services.reporting.domain.reports.annual_budget import (
    budget_by,
    first_strategy,
    strategy_name,
)
from services.reporting.domain.reports.annual_year import Year
from services.reporting.domain.reports.common import (
    CLOSED_STATUSES,
    NO_PROGRESS_YEAR_TH,
    NO_PROJECTS_TH,
    STATUS_TH,
    level_th,
    recommendation_status_th,
)
from services.reporting.domain.reports.problems import (
    open_problems_table,
    problem_summary_table,
)
from services.reporting.domain.reports.project_tables import (
    achievement_chart,
    indicator_table,
    project_table,
)
from shared.contracts.setup import Plan
from shared.thai.numbers import natural_key


def _plans(year: Year) -> list[Plan]:
    return sorted(
        (
            p
            for p in year.data.plans
            if p.plan_type == "action_plan"
            and p.first_fiscal_year <= year.fiscal_year <= p.last_fiscal_year
        ),
        key=lambda p: natural_key(p.plan_id),
    )


def strategies_and_projects(year: Year, number: int) -> tuple[list[Block], list[Section]]:
    """2 the plan, then one subsection per strategy with its projects (each project under
    its first strategy, so the budgets add up)."""
    if not year.projects:
        return [Paragraph(text_th=NO_PROJECTS_TH)], []
    codes = sorted(
        {first_strategy(p) for p in year.projects},
        key=lambda c: (c is None, natural_key(c or "")),
    )
    plans = " และ".join(p.name_th for p in _plans(year)) or f"แผนปฏิบัติการประจำ{year.fy}"
    strategies = len({c for p in year.projects for c in p.strategy_codes})
    blocks: list[Block] = [
        Paragraph(
            text_th=(
                f"{plans} มีโครงการ {len(year.projects)} โครงการ ภายใต้ {strategies} กลยุทธ์"
                " แต่ละโครงการแสดงไว้ภายใต้กลยุทธ์แรกที่โครงการสนับสนุน ดังนี้"
            )
        )
    ]
    subsections = []
    for index, code in enumerate(codes, start=1):
        projects = [p for p in year.projects if first_strategy(p) == code]
        name = strategy_name(year.data, code)
        table = project_table(
            year.data,
            projects,
            year.progress,
            title=f"โครงการภายใต้{name}" if code else "โครงการที่ไม่ระบุกลยุทธ์",
            sheet=f"โครงการ กลยุทธ์ {index}",
        )
        subsections.append(Section(heading_th=f"{number}.{index} {name}", level=2, blocks=(table,)))
    return blocks, subsections


def _status_figures(year: Year) -> Figures:
    counts = Counter(line.status for line in year.lines)
    return Figures(
        items=tuple(
            Figure(label_th=f"ตัวชี้วัดที่{label}", value=counts.get(status, 0), cell_kind="integer")
            for status, label in STATUS_TH.items()
        )
    )


def indicators(year: Year) -> list[Block]:
    """3 the indicators by status, every one against its target, the projects' chart."""
    blocks: list[Block] = []
    if not year.lines:
        blocks.append(Paragraph(text_th="ยังไม่มีข้อมูลตัวชี้วัดของปีงบประมาณนี้"))
    else:
        blocks.append(_status_figures(year))
    blocks.append(
        indicator_table(
            year.lines,
            with_round_actual=False,
            with_project=False,
            title="ผลการดำเนินงานตามตัวชี้วัดเทียบกับค่าเป้าหมาย",
            empty="ยังไม่มีข้อมูลตัวชี้วัด",
        )
    )
    if year.reported:
        blocks.append(achievement_chart(year.projects, year.progress))
    return blocks


def budget(year: Year) -> list[Block]:
    """4 the budget by strategy and by responsible group, against the Cabinet's targets."""
    (by_strategy, strategy_chart), (by_group, group_chart) = budget_by(
        year.data, year.projects, year.progress
    )
    blocks: list[Block] = []
    if not year.reported:
        blocks.append(Paragraph(text_th=NO_PROGRESS_YEAR_TH))
    blocks.append(by_strategy)
    if year.reported:
        blocks.append(strategy_chart)
    blocks.append(by_group)
    if year.reported:
        blocks.append(group_chart)
    return blocks


def _units_reporting_problems(year: Year) -> Table:
    progress = year.progress
    rows = tuple(
        (
            p.code,
            p.name_th,
            progress[p.code].units_reporting,
            progress[p.code].units_with_problems,
            progress[p.code].units_with_suggestions,
        )
        for p in year.projects
        if p.code in progress
    )
    return Table(
        title_th="หน่วยงานที่รายงานปัญหาอุปสรรคและข้อเสนอแนะ จำแนกตามโครงการ",
        sheet_th="ปัญหาอุปสรรค",
        columns=(
            Column(title_th="รหัสโครงการ", nowrap=True),
            Column(title_th="ชื่อโครงการ"),
            Column(title_th="หน่วยงานที่รายงาน", kind="integer"),
            Column(title_th="หน่วยงานที่รายงานปัญหาอุปสรรค", kind="integer"),
            Column(title_th="หน่วยงานที่ให้ข้อเสนอแนะ", kind="integer"),
        ),
        rows=rows,
        empty_th=NO_PROGRESS_YEAR_TH,
    )


def problems(year: Year) -> list[Block]:
    """5 the year's problems by topic (resolved and carried), per project, still open."""
    return [
        problem_summary_table(year.data, year.fiscal_year),
        _units_reporting_problems(year),
        open_problems_table(year.data, year.fiscal_year),
    ]


def _evaluation_results(year: Year) -> Table:
    return Table(
        title_th=f"ผลการประเมินที่สรุปแล้วใน{year.fy}",
        sheet_th="ผลการประเมิน",
        columns=(
            Column(title_th="การประเมิน"),
            Column(title_th="กรอบการประเมิน"),
            Column(title_th="คะแนนรวม", kind="decimal"),
            Column(title_th="ระดับคุณภาพ", nowrap=True),
        ),
        rows=tuple(
            (e.title_th, e.framework_title_th, e.total, level_th(e.level)) for e in year.evaluations
        ),
        empty_th="ยังไม่มีผลการประเมินที่สรุปแล้วในปีงบประมาณนี้",
    )


def _evaluation_recommendations(year: Year) -> Table:
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


def _inspection_summary(year: Year) -> Table:
    """Per inspection: its issues and recommendations by follow-up status."""
    rows = []
    for i in year.inspections:
        recs = [rec for issue in i.issues for rec in issue.recommendations]
        done = sum(1 for rec in recs if rec.status in CLOSED_STATUSES)
        rows.append(
            (
                i.title_th,
                i.inspected_on,
                len(i.issues),
                len(recs),
                done,
                len(recs) - done,
                sum(1 for rec in recs if rec.overdue),
            )
        )
    return Table(
        title_th="สรุปการติดตามผลการตรวจราชการ",
        sheet_th="สรุปการตรวจราชการ",
        columns=(
            Column(title_th="การตรวจราชการ"),
            Column(title_th="วันที่ตรวจ", kind="date"),
            Column(title_th="ประเด็น", kind="integer"),
            Column(title_th="ข้อเสนอแนะ", kind="integer"),
            Column(title_th="ดำเนินการแล้ว", kind="integer"),
            Column(title_th="ยังไม่แล้วเสร็จ", kind="integer"),
            Column(title_th="เกินกำหนด", kind="integer"),
        ),
        rows=tuple(rows),
        empty_th="ยังไม่มีการตรวจราชการในปีงบประมาณนี้",
    )


def _inspection_recommendations(year: Year) -> Table:
    """The inspections' recommendations not yet done (nor set aside)."""
    rows = tuple(
        (
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
            Column(title_th="ประเด็น"),
            Column(title_th="ข้อเสนอแนะ"),
            Column(title_th="หน่วยงานรับผิดชอบ"),
            Column(title_th="กำหนดแล้วเสร็จ", kind="date"),
            Column(title_th="สถานะ"),
        ),
        rows=rows,
        empty_th="ไม่มีข้อเสนอแนะจากการตรวจราชการที่ค้างดำเนินการ",
    )


def follow_up(year: Year) -> list[Block]:
    """6 evaluation results and recommendations; inspection follow-up in summary."""
    return [
        _evaluation_results(year),
        _evaluation_recommendations(year),
        _inspection_summary(year),
        _inspection_recommendations(year),
    ]
