"""The tables and charts of projects, their indicators and their budget."""

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from services.reporting.domain.document import (
    BarChart,
    Cell,
    Column,
    Series,
    Table,
    satang_to_baht,
)
from services.reporting.domain.report_data import ReportData
from services.reporting.domain.reports.common import (
    NO_PROJECTS_TH,
    status_th,
)
from shared.contracts.monitoring import (
    IndicatorProgress,
    ProjectProgressUpdated,
)
from shared.contracts.setup import Indicator, Project
from shared.thai.numbers import mean, natural_key, percent

_HUNDRED = 100


def _axis_maximum(values: Iterable[Decimal | None]) -> Decimal:
    """100, or the next hundred above the largest value, at most 200 (bars beyond that
    reach the end of the axis and keep their real labels)."""
    top = max((v for v in values if v is not None), default=Decimal(0))
    if top <= _HUNDRED:
        return Decimal(_HUNDRED)
    return Decimal(min(200, math.ceil(top / _HUNDRED) * _HUNDRED))


def _indicators_by_project(data: ReportData) -> dict[str, list[Indicator]]:
    found: dict[str, list[Indicator]] = defaultdict(list)
    for indicator in data.indicators:
        found[indicator.project_code].append(indicator)
    return found


_PROJECT_COLUMNS = (
    Column(title_th="รหัสโครงการ", nowrap=True),
    Column(title_th="ชื่อโครงการ"),
    Column(title_th="หน่วยงานรับผิดชอบ"),
    Column(title_th="งบประมาณที่ได้รับจัดสรร (บาท)", kind="baht"),
    Column(title_th="งบประมาณที่ใช้ไป (บาท)", kind="baht"),
    Column(title_th="ร้อยละการเบิกจ่าย", kind="percent"),
    Column(title_th="สถานะ", nowrap=True),
)


@dataclass(frozen=True)
class Budget:
    """The projects' budget in baht: allocated, spent and disbursement (%)."""

    allocated: Decimal
    spent: Decimal | None
    disbursement: Decimal | None


def budget_totals(
    projects: Sequence[Project], progress: Mapping[str, ProjectProgressUpdated]
) -> Budget:
    """Totals of the projects: allocated from the set-up, spent as reported (None if no
    project reported spending), disbursement = spent / allocated × 100."""
    allocated = sum(p.budget_satang for p in projects)
    spent_values = [
        progress[p.code].spent_satang
        for p in projects
        if p.code in progress and progress[p.code].spent_satang is not None
    ]
    spent = sum(v for v in spent_values if v is not None) if spent_values else None
    return Budget(
        allocated=satang_to_baht(allocated) or Decimal("0.00"),
        spent=satang_to_baht(spent),
        disbursement=None if spent is None else percent(spent, allocated),
    )


def project_table(
    data: ReportData,
    projects: Sequence[Project],
    progress: Mapping[str, ProjectProgressUpdated],
    *,
    title: str,
    sheet: str,
) -> Table:
    """The projects with their budget, spending and status, and a total row."""
    rows: list[tuple[Cell, ...]] = []
    for project in projects:
        reported = progress.get(project.code)
        rows.append(
            (
                project.code,
                project.name_th,
                data.unit_name(project.responsible_unit),
                satang_to_baht(project.budget_satang),
                satang_to_baht(reported.spent_satang) if reported else None,
                reported.disbursement_rate if reported else None,
                status_th(reported.status if reported else None),
            )
        )
    budget = budget_totals(projects, progress)
    total: tuple[Cell, ...] = (
        "รวม",
        f"{len(projects)} โครงการ",
        None,
        budget.allocated,
        budget.spent,
        budget.disbursement,
        None,
    )
    return Table(
        title_th=title,
        sheet_th=sheet,
        columns=_PROJECT_COLUMNS,
        rows=tuple(rows),
        empty_th=NO_PROJECTS_TH,
        total_row=total if rows else None,
    )


@dataclass(frozen=True)
class IndicatorLine:
    """One indicator of a project as the indicator tables print it."""

    project_code: str
    code: str
    name_th: str
    unit_of_measure: str
    target: Decimal | None
    round_actual: Decimal | None
    cumulative: Decimal | None
    achievement: Decimal | None
    status: str


def indicator_lines(
    data: ReportData,
    projects: Sequence[Project],
    progress: Mapping[str, ProjectProgressUpdated],
) -> list[IndicatorLine]:
    """Every indicator of the projects (set-up and reported alike), in code order, with
    its reported figures, or the set-up's target and "no data" when not reported."""
    setup = _indicators_by_project(data)
    lines: list[IndicatorLine] = []
    for project in projects:
        reported = progress.get(project.code)
        given: dict[str, IndicatorProgress] = (
            {i.code: i for i in reported.indicators} if reported else {}
        )
        planned = {i.code: i for i in setup.get(project.code, ())}
        for code in sorted(given.keys() | planned.keys(), key=natural_key):
            got, plan = given.get(code), planned.get(code)
            target = got.target if got is not None else None
            if target is None and plan is not None:
                round_target = plan.round_targets.get(reported.round_id) if reported else None
                target = round_target if round_target is not None else plan.year_target
            named: Indicator | IndicatorProgress | None = plan if plan is not None else got
            lines.append(
                IndicatorLine(
                    project_code=project.code,
                    code=code,
                    name_th=named.name_th if named is not None else code,
                    unit_of_measure=named.unit_of_measure if named is not None else "",
                    target=target,
                    round_actual=got.round_actual if got else None,
                    cumulative=got.cumulative_actual if got else None,
                    achievement=got.achievement if got else None,
                    status=got.status if got else "no_data",
                )
            )
    return lines


def indicator_table(
    lines: Sequence[IndicatorLine],
    *,
    with_round_actual: bool,
    title: str,
    empty: str,
    with_project: bool = True,
) -> Table:
    """The indicator lines; the round's own result only in the round report; without the
    project code where the indicator's code carries it (the annual report's)."""
    # two code columns kept whole would leave the indicator's name too little room
    columns = [
        *([Column(title_th="รหัสโครงการ")] if with_project else []),
        Column(title_th="รหัสตัวชี้วัด", nowrap=not with_project),
        Column(title_th="ตัวชี้วัด"),
        Column(title_th="หน่วยนับ"),
        Column(title_th="ค่าเป้าหมาย", kind="decimal"),
    ]
    if with_round_actual:
        columns.append(Column(title_th="ผลการดำเนินงานในรอบ", kind="decimal"))
    columns += [
        Column(title_th="ผลการดำเนินงานสะสม", kind="decimal"),
        Column(title_th="ร้อยละความสำเร็จ", kind="percent"),
        Column(title_th="สถานะ", nowrap=not with_round_actual),
    ]
    rows: list[tuple[Cell, ...]] = []
    for line in lines:
        project: tuple[Cell, ...] = (line.project_code,) if with_project else ()
        head: tuple[Cell, ...] = (
            *project,
            line.code,
            line.name_th,
            line.unit_of_measure,
            line.target,
        )
        middle: tuple[Cell, ...] = (line.round_actual,) if with_round_actual else ()
        tail: tuple[Cell, ...] = (line.cumulative, line.achievement, status_th(line.status))
        rows.append(head + middle + tail)
    return Table(
        title_th=title,
        sheet_th="ผลตามตัวชี้วัด",
        columns=tuple(columns),
        rows=tuple(rows),
        empty_th=empty,
    )


def achievement(progress: ProjectProgressUpdated | None) -> Decimal | None:
    """A project's progress: the mean achievement of its indicators, half-up 2 dp."""
    if progress is None:
        return None
    return mean(i.achievement for i in progress.indicators)


def achievement_chart(
    projects: Sequence[Project], progress: Mapping[str, ProjectProgressUpdated]
) -> BarChart:
    """Each project's mean achievement of its indicators against 100%."""
    values = tuple(achievement(progress.get(p.code)) for p in projects)
    return BarChart(
        title_th="ร้อยละความสำเร็จตามตัวชี้วัดเทียบกับค่าเป้าหมาย จำแนกตามโครงการ",
        labels=tuple(p.name_th for p in projects),
        series=(Series(name_th="ร้อยละความสำเร็จเฉลี่ยของตัวชี้วัด", values=values),),
        maximum=_axis_maximum(values),
        target=Decimal(_HUNDRED),
    )


def budget_chart(
    projects: Sequence[Project], progress: Mapping[str, ProjectProgressUpdated]
) -> BarChart:
    """Each project's disbursement against its expected disbursement."""
    spent = tuple(
        progress[p.code].disbursement_rate if p.code in progress else None for p in projects
    )
    expected = tuple(
        progress[p.code].expected_disbursement if p.code in progress else None for p in projects
    )
    return BarChart(
        title_th="ร้อยละการเบิกจ่ายงบประมาณเทียบกับเป้าหมายการเบิกจ่าย จำแนกตามโครงการ",
        labels=tuple(p.name_th for p in projects),
        series=(
            Series(name_th="ร้อยละการเบิกจ่าย", values=spent),
            Series(name_th="เป้าหมายการเบิกจ่าย", values=expected),
        ),
        maximum=_axis_maximum(spent + expected),
    )
