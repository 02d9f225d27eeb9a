"""What the annual report looks at: the year's projects, and their figures as of each
project's latest round with reports (by period end, not round id)."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from services.reporting.domain.report_data import ReportData
from services.reporting.domain.reports.common import (
    fy_text,
    latest_evaluations,
    latest_inspections,
    latest_rates,
    round_name,
    round_order,
    top_level,
    year_projects,
)
from services.reporting.domain.reports.project_tables import (
    Budget,
    IndicatorLine,
    budget_totals,
    indicator_lines,
)
from shared.contracts.evaluation import EvaluationFinalised, InspectionReportUpdated
from shared.contracts.monitoring import ProjectProgressUpdated, RatesUpdated
from shared.contracts.setup import Project, Round
from shared.thai.calendar import format_long
from shared.thai.numbers import percent


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


def office_rate_in_latest_round(
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
class Year:
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


def year_of(data: ReportData, fiscal_year: int) -> Year:
    """What the year holds, its figures from each project's latest round with reports."""
    everything = year_projects(data, fiscal_year)
    projects = top_level(everything)
    progress = _year_progress(data, fiscal_year)
    order = round_order(data, fiscal_year)
    latest = max((p.round_id for p in progress.values()), key=order.__getitem__, default=None)
    return Year(
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


def as_of_text(year: Year) -> str | None:
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
