"""The office's reports as `Document`s: pure functions of a `ReportData` snapshot.

One builder per report type (annual, round, rates, evaluation, inspection, quarter export);
the renderers turn any of them into PDF, XLSX, DOCX or CSV.

Decisions:
- Stable: everything is ordered by code or id, compared naturally ("I2" before "I10"), and
  every number comes from the data or from Decimal/Fraction arithmetic rounded half-up to
  two decimals; no float anywhere. The same snapshot gives an equal `Document`.
- Projects in project tables, budget totals and charts are the top-level projects
  (`parent_code` None) of the fiscal year's action plan(s): an activity's budget is part of
  its project's, so adding both would count it twice. Indicator tables list the indicators
  of projects and activities alike. Allocated budget comes from the set-up (the project's
  `budget_satang`); spent, disbursement and status from monitoring's progress.
- The annual report takes each project's latest round of the fiscal year, "latest" being
  the highest round id of that year (as agreed for the pipeline). The round report takes
  the round's own progress; "earlier rounds" (recurring problems) end before it ends.
- Missing data never raises: a section says so in a paragraph ("ยังไม่มีข้อมูล...") and its
  tables stay empty, showing their `empty_th` (a round with nothing reported says
  `NO_REPORTS_TH`). The annual report still lists the planned projects and indicators
  with their budgets and targets, marked "ยังไม่มีข้อมูล". An unknown round, evaluation or
  inspection id raises KeyError; the handler checks first.
- The quarter export takes, per project, the latest round of the year ending within the
  quarter (on a tie the narrowest: the quarter before the 6-month round); only if no
  round of the year ends within the quarter, the latest one ending before it.
- Cells always hold Arabic digits (CSV never has Thai digits); with `thai_digits` the
  renderers convert cells, and the builders convert the text they print themselves
  (title, headings, paragraphs, captions, figure and chart labels) — never column titles,
  sheet names or the file stem.
- A unit's "group" is its nearest ancestor of type group, else its parent unless that is
  the report's own office (named in every page header), found once per parent, so a
  table of 30,000 schools is one pass with dict lookups.
- Column widths are left to the renderers (content-based in XLSX, automatic in the PDF):
  fixed widths made ten-column tables overflow A4.
"""

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from services.reporting.domain.document import (
    BarChart,
    Block,
    Cell,
    CellKind,
    Column,
    Document,
    Figure,
    Figures,
    Paragraph,
    Section,
    Series,
    Table,
    format_cell,
    satang_to_baht,
)
from services.reporting.domain.report_data import ReportData
from shared.contracts.evaluation import (
    EvaluationFinalised,
    InspectionRecommendationOut,
    InspectionReportUpdated,
    LevelOut,
)
from shared.contracts.monitoring import (
    IndicatorProgress,
    ProblemUpdated,
    ProjectProgressUpdated,
    RatesUpdated,
)
from shared.contracts.setup import Indicator, Project, Round, Unit
from shared.numbers import mean, natural_key, percent
from shared.thai_calendar import Period, format_long, quarter_period, thai_digits

STATUS_TH: Mapping[str, str] = {
    "on_track": "เป็นไปตามแผน",
    "at_risk": "มีความเสี่ยง",
    "off_track": "ล่าช้ากว่าแผน",
    "no_data": "ยังไม่มีข้อมูล",
}
AGGREGATION_TH: Mapping[str, str] = {
    "mean": "ค่าเฉลี่ย",
    "median": "มัธยฐาน",
    "consensus": "ฉันทามติ",
}
SUBJECT_KIND_TH: Mapping[str, str] = {"project": "โครงการ", "unit": "หน่วยงาน"}
RECOMMENDATION_STATUS_TH: Mapping[str, str] = {
    "open": "ยังไม่ดำเนินการ",
    "in_progress": "อยู่ระหว่างดำเนินการ",
    "done": "ดำเนินการแล้วเสร็จ",
    "not_applicable": "ไม่เกี่ยวข้อง",
}
_COUNT_LABELS_TH: Mapping[str, str] = {
    "open": "ข้อเสนอแนะที่ยังไม่ดำเนินการ",
    "in_progress": "ข้อเสนอแนะที่อยู่ระหว่างดำเนินการ",
    "done": "ข้อเสนอแนะที่ดำเนินการแล้วเสร็จ",
    "not_applicable": "ข้อเสนอแนะที่ไม่ต้องดำเนินการ (ไม่เกี่ยวข้อง)",
}
CLOSED_STATUSES = frozenset({"done", "not_applicable"})
LAGGING_STATUSES = ("at_risk", "off_track")

NO_REPORTS_TH = "ยังไม่มีข้อมูลการรายงานในรอบนี้"
NO_PROJECTS_TH = "ยังไม่มีข้อมูลโครงการของปีงบประมาณนี้"
NO_PROGRESS_YEAR_TH = "ยังไม่มีข้อมูลการรายงานความก้าวหน้าโครงการในปีงบประมาณนี้"
NO_PROGRESS_ROUND_TH = "ยังไม่มีข้อมูลการรายงานความก้าวหน้าโครงการในรอบนี้"
NO_RATES_TH = "ยังไม่มีข้อมูลการส่งรายงานในรอบนี้"
NO_DATA_TH = "ไม่มีข้อมูล"

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

_HUNDRED = 100
_THAI_TIME = timezone(timedelta(hours=7))  # Thailand keeps no daylight saving
_UNSAFE_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\s]+')

# ---------------------------------------------------------------- numbers, codes, names


def status_th(status: str | None) -> str:
    """A progress status in Thai; an unknown one as it is."""
    if status is None:
        return STATUS_TH["no_data"]
    return STATUS_TH.get(status, status)


def file_stem(*parts: object) -> str:
    """Parts joined by "-", with no slash, space or other character file names refuse."""
    text = "-".join(str(part) for part in parts)
    return _UNSAFE_IN_FILE_NAMES.sub("-", text).strip("-") or "รายงาน"


def _fy_text(fiscal_year: int) -> str:
    return f"ปีงบประมาณ พ.ศ. {fiscal_year}"


def _level_th(level: LevelOut | None) -> str | None:
    return None if level is None else level.label_th


def _money(value: Decimal | None) -> str:
    return format_cell(value, "baht")


def _axis_maximum(values: Iterable[Decimal | None]) -> Decimal:
    """100, or the next hundred above the largest value, at most 200 (bars beyond that
    reach the end of the axis and keep their real labels)."""
    top = max((v for v in values if v is not None), default=Decimal(0))
    if top <= _HUNDRED:
        return Decimal(_HUNDRED)
    return Decimal(min(200, math.ceil(top / _HUNDRED) * _HUNDRED))


def _sheet(name: str) -> str:
    return name[:31]


# ---------------------------------------------------------------- lookups


def _latest_rates(updates: Iterable[RatesUpdated]) -> list[RatesUpdated]:
    """One update per (form, scope), the newest, ordered by form then scope code."""
    kept: dict[tuple[str, str], RatesUpdated] = {}
    for update in updates:
        key = (update.form_id, update.scope_code)
        held = kept.get(key)
        if held is None or held.updated_at <= update.updated_at:
            kept[key] = update
    return [kept[key] for key in sorted(kept, key=lambda k: (k[0], natural_key(k[1])))]


def _round_progress(data: ReportData, round_id: str) -> dict[str, ProjectProgressUpdated]:
    """Each project's progress in the round (the newest update if there are several)."""
    found: dict[str, ProjectProgressUpdated] = {}
    for progress in data.progress:
        if progress.round_id != round_id:
            continue
        held = found.get(progress.project_code)
        if held is None or held.updated_at <= progress.updated_at:
            found[progress.project_code] = progress
    return found


def _year_progress(data: ReportData, fiscal_year: int) -> dict[str, ProjectProgressUpdated]:
    """Each project's progress in its latest round of the year (the highest round id)."""
    prefix = f"{fiscal_year}-"
    found: dict[str, ProjectProgressUpdated] = {}
    for progress in data.progress:
        if not progress.round_id.startswith(prefix):
            continue
        held = found.get(progress.project_code)
        newer = held is None or (held.round_id, held.updated_at) <= (
            progress.round_id,
            progress.updated_at,
        )
        if newer:
            found[progress.project_code] = progress
    return found


def _year_projects(data: ReportData, fiscal_year: int) -> list[Project]:
    """Projects and activities of the year's action plan(s), in code order."""
    plans = {
        plan.plan_id
        for plan in data.plans
        if plan.plan_type == "action_plan"
        and plan.first_fiscal_year <= fiscal_year <= plan.last_fiscal_year
    }
    projects = {p.code: p for p in data.projects if p.plan_id in plans}
    return [projects[code] for code in sorted(projects, key=natural_key)]


def _top_level(projects: Iterable[Project]) -> list[Project]:
    return [p for p in projects if p.parent_code is None]


def _indicators_by_project(data: ReportData) -> dict[str, list[Indicator]]:
    found: dict[str, list[Indicator]] = defaultdict(list)
    for indicator in data.indicators:
        found[indicator.project_code].append(indicator)
    return found


def _rounds_of_year(data: ReportData, fiscal_year: int) -> list[Round]:
    return sorted(
        (r for r in data.rounds if r.fiscal_year == fiscal_year),
        key=lambda r: (r.period_end, r.period_start, natural_key(r.round_id)),
    )


def _latest_first(rounds: Iterable[Round]) -> list[Round]:
    """Latest end first; on the same end the narrowest round (a quarter before its half)."""
    return sorted(
        rounds,
        key=lambda r: (-r.period_end.toordinal(), r.period_end - r.period_start, r.round_id),
    )


class _Groups:
    """The group name of a unit: its nearest group ancestor; else its parent's name unless
    the parent is the report's own office (printed in every page's header already).

    Looked up once per parent, so a table of 30,000 schools is one pass over them.
    """

    def __init__(self, units: Mapping[str, Unit], own_office: Unit | None) -> None:
        self._units = units
        self._by_parent: dict[str | None, str | None] = {}
        if own_office is not None:
            self._by_parent[own_office.code] = None

    def of(self, code: str) -> str | None:
        unit = self._units.get(code)
        parent = unit.parent_code if unit is not None else None
        if parent not in self._by_parent:
            self._by_parent[parent] = self._resolve(parent)
        return self._by_parent[parent]

    def _resolve(self, code: str | None) -> str | None:
        seen: set[str] = set()
        first: str | None = None
        while code is not None and code not in seen:
            seen.add(code)
            unit = self._units.get(code)
            if unit is None:
                return first if first is not None else code
            if unit.unit_type == "obec":
                break
            if unit.unit_type == "group":
                return unit.name_th
            if first is None:
                first = unit.name_th
            code = unit.parent_code
        return first


# ---------------------------------------------------------------- shared tables

_PROJECT_COLUMNS = (
    Column(title_th="รหัสโครงการ"),
    Column(title_th="ชื่อโครงการ"),
    Column(title_th="หน่วยงานรับผิดชอบ"),
    Column(title_th="งบประมาณที่ได้รับจัดสรร (บาท)", kind="baht"),
    Column(title_th="งบประมาณที่ใช้ไป (บาท)", kind="baht"),
    Column(title_th="ร้อยละการเบิกจ่าย", kind="percent"),
    Column(title_th="สถานะ"),
)


@dataclass(frozen=True)
class _Budget:
    allocated: Decimal
    spent: Decimal | None
    disbursement: Decimal | None


def _budget(projects: Sequence[Project], progress: Mapping[str, ProjectProgressUpdated]) -> _Budget:
    """Totals of the projects: allocated from the set-up, spent as reported (None if no
    project reported spending), disbursement = spent / allocated × 100."""
    allocated = sum(p.budget_satang for p in projects)
    spent_values = [
        progress[p.code].spent_satang
        for p in projects
        if p.code in progress and progress[p.code].spent_satang is not None
    ]
    spent = sum(v for v in spent_values if v is not None) if spent_values else None
    return _Budget(
        allocated=satang_to_baht(allocated) or Decimal("0.00"),
        spent=satang_to_baht(spent),
        disbursement=None if spent is None else percent(spent, allocated),
    )


def _project_table(
    data: ReportData,
    projects: Sequence[Project],
    progress: Mapping[str, ProjectProgressUpdated],
    *,
    title: str,
    sheet: str,
) -> Table:
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
    budget = _budget(projects, progress)
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
class _IndicatorLine:
    project_code: str
    code: str
    name_th: str
    unit_of_measure: str
    target: Decimal | None
    round_actual: Decimal | None
    cumulative: Decimal | None
    achievement: Decimal | None
    status: str


def _indicator_lines(
    data: ReportData,
    projects: Sequence[Project],
    progress: Mapping[str, ProjectProgressUpdated],
) -> list[_IndicatorLine]:
    """Every indicator of the projects (set-up and reported alike), in code order, with
    its reported figures, or the set-up's target and "no data" when not reported."""
    setup = _indicators_by_project(data)
    lines: list[_IndicatorLine] = []
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
                _IndicatorLine(
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


def _indicator_table(
    lines: Sequence[_IndicatorLine], *, with_round_actual: bool, title: str, empty: str
) -> Table:
    columns = [
        Column(title_th="รหัสโครงการ"),
        Column(title_th="รหัสตัวชี้วัด"),
        Column(title_th="ตัวชี้วัด"),
        Column(title_th="หน่วยนับ"),
        Column(title_th="ค่าเป้าหมาย", kind="decimal"),
    ]
    if with_round_actual:
        columns.append(Column(title_th="ผลการดำเนินงานในรอบ", kind="decimal"))
    columns += [
        Column(title_th="ผลการดำเนินงานสะสม", kind="decimal"),
        Column(title_th="ร้อยละความสำเร็จ", kind="percent"),
        Column(title_th="สถานะ"),
    ]
    rows: list[tuple[Cell, ...]] = []
    for line in lines:
        head: tuple[Cell, ...] = (
            line.project_code,
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


def _achievement(progress: ProjectProgressUpdated | None) -> Decimal | None:
    """A project's progress: the mean achievement of its indicators, half-up 2 dp."""
    if progress is None:
        return None
    return mean(i.achievement for i in progress.indicators)


def _achievement_chart(
    projects: Sequence[Project], progress: Mapping[str, ProjectProgressUpdated]
) -> BarChart:
    values = tuple(_achievement(progress.get(p.code)) for p in projects)
    return BarChart(
        title_th="ร้อยละความสำเร็จตามตัวชี้วัดเทียบกับค่าเป้าหมาย จำแนกตามโครงการ",
        labels=tuple(p.name_th for p in projects),
        series=(Series(name_th="ร้อยละความสำเร็จเฉลี่ยของตัวชี้วัด", values=values),),
        maximum=_axis_maximum(values),
        target=Decimal(_HUNDRED),
    )


def _budget_chart(
    projects: Sequence[Project], progress: Mapping[str, ProjectProgressUpdated]
) -> BarChart:
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


_RATE_COLUMNS = (
    Column(title_th="หน่วยงานที่ต้องรายงาน", kind="integer"),
    Column(title_th="ส่งแล้ว", kind="integer"),
    Column(title_th="ตรงเวลา", kind="integer"),
    Column(title_th="ล่าช้า", kind="integer"),
    Column(title_th="ยังไม่ส่ง", kind="integer"),
    Column(title_th="ร้อยละการส่ง", kind="percent"),
    Column(title_th="ร้อยละการส่งตรงเวลา", kind="percent"),
)
_FORM_COLUMN = Column(title_th="แบบรายงาน")


def _rate_cells(update: RatesUpdated) -> tuple[Cell, ...]:
    r = update.rates
    return (r.expected, r.received, r.on_time, r.late, r.missing, r.rate, r.on_time_rate)


@dataclass(frozen=True)
class _RateScopes:
    offices: list[RatesUpdated]
    groups: list[RatesUpdated]
    units: list[RatesUpdated]
    several_forms: bool


def _rate_scopes(data: ReportData, round_id: str) -> _RateScopes:
    updates = _latest_rates(u for u in data.rates if u.round_id == round_id)
    offices: list[RatesUpdated] = []
    groups: list[RatesUpdated] = []
    units: list[RatesUpdated] = []
    for update in updates:
        if update.scope_type == "office":
            offices.append(update)
        elif update.scope_type == "group":
            groups.append(update)
        elif update.scope_type != "obec":
            units.append(update)
    forms = {u.form_id for u in updates}
    return _RateScopes(offices, groups, units, several_forms=len(forms) > 1)


def _office_figures(data: ReportData, scopes: _RateScopes) -> list[Figure]:
    items: list[Figure] = []
    for update in scopes.offices:
        suffix = ""
        if len(scopes.offices) > 1:
            suffix = f" ({data.unit_name(update.scope_code)}"
            suffix += f" แบบ {update.form_id})" if scopes.several_forms else ")"
        r = update.rates
        items += [
            Figure(label_th=f"หน่วยงานที่ต้องรายงาน{suffix}", value=r.expected, cell_kind="integer"),
            Figure(label_th=f"ส่งรายงานแล้ว{suffix}", value=r.received, cell_kind="integer"),
            Figure(label_th=f"ส่งตรงเวลา{suffix}", value=r.on_time, cell_kind="integer"),
            Figure(label_th=f"ส่งล่าช้า{suffix}", value=r.late, cell_kind="integer"),
            Figure(label_th=f"ยังไม่ส่ง{suffix}", value=r.missing, cell_kind="integer"),
            Figure(label_th=f"อัตราการส่งรายงาน{suffix}", value=r.rate, cell_kind="percent"),
            Figure(
                label_th=f"อัตราการส่งรายงานตรงเวลา{suffix}",
                value=r.on_time_rate,
                cell_kind="percent",
            ),
        ]
    return items


def _group_rate_table(data: ReportData, scopes: _RateScopes) -> Table:
    lead = (_FORM_COLUMN,) if scopes.several_forms else ()
    columns = (
        *lead,
        Column(title_th="รหัส"),
        Column(title_th="กลุ่ม/เครือข่าย"),
        *_RATE_COLUMNS,
    )
    rows = tuple(
        (
            *((u.form_id,) if scopes.several_forms else ()),
            u.scope_code,
            data.unit_name(u.scope_code),
            *_rate_cells(u),
        )
        for u in scopes.groups
    )
    return Table(
        title_th="อัตราการส่งรายงานจำแนกตามกลุ่ม/เครือข่าย",
        sheet_th="อัตราการส่งรายกลุ่ม",
        columns=columns,
        rows=rows,
        empty_th="ไม่มีข้อมูลการส่งรายงานจำแนกตามกลุ่ม/เครือข่าย",
    )


def _unit_rate_table(data: ReportData, scopes: _RateScopes, groups: _Groups) -> Table:
    """One row per unit scope, built in one pass with dict lookups only."""
    lead = (_FORM_COLUMN,) if scopes.several_forms else ()
    columns = (
        *lead,
        Column(title_th="รหัสหน่วยงาน"),
        Column(title_th="ชื่อหน่วยงาน"),
        Column(title_th="กลุ่ม/สังกัด"),
        *_RATE_COLUMNS,
    )
    several = scopes.several_forms
    units = data.units
    rows: list[tuple[Cell, ...]] = []
    for u in scopes.units:
        unit = units.get(u.scope_code)
        r = u.rates
        row: tuple[Cell, ...] = (
            u.scope_code,
            unit.name_th if unit is not None else u.scope_code,
            groups.of(u.scope_code),
            r.expected,
            r.received,
            r.on_time,
            r.late,
            r.missing,
            r.rate,
            r.on_time_rate,
        )
        rows.append((u.form_id, *row) if several else row)
    return Table(
        title_th="อัตราการส่งรายงานรายหน่วยงาน",
        sheet_th="อัตราการส่งรายหน่วยงาน",
        columns=columns,
        rows=tuple(rows),
        empty_th=NO_RATES_TH,
    )


def _group_chart(data: ReportData, scopes: _RateScopes) -> BarChart | None:
    if not scopes.groups:
        return None
    codes = sorted({u.scope_code for u in scopes.groups}, key=natural_key)
    forms = sorted({u.form_id for u in scopes.groups})
    rate = {(u.form_id, u.scope_code): u.rates.rate for u in scopes.groups}
    series = tuple(
        Series(
            name_th=f"ร้อยละการส่ง แบบ {form}" if len(forms) > 1 else "ร้อยละการส่งรายงาน",
            values=tuple(rate.get((form, code)) for code in codes),
        )
        for form in forms
    )
    return BarChart(
        title_th="อัตราการรายงานจำแนกตามกลุ่ม/เครือข่าย",
        labels=tuple(data.unit_name(code) for code in codes),
        series=series,
    )


def _unit_list_table(
    data: ReportData,
    entries: Iterable[tuple[str, str]],
    groups: _Groups,
    *,
    several_forms: bool,
    title: str,
    sheet: str,
    empty: str,
) -> Table:
    """Units listed by (form, code), each once."""
    lead = (_FORM_COLUMN,) if several_forms else ()
    columns = (
        *lead,
        Column(title_th="รหัสหน่วยงาน"),
        Column(title_th="ชื่อหน่วยงาน"),
        Column(title_th="กลุ่ม/สังกัด"),
    )
    rows: list[tuple[Cell, ...]] = []
    for form_id, code in sorted(set(entries), key=lambda e: (e[0], natural_key(e[1]))):
        row: tuple[Cell, ...] = (code, data.unit_name(code), groups.of(code))
        rows.append((form_id, *row) if several_forms else row)
    return Table(title_th=title, sheet_th=sheet, columns=columns, rows=tuple(rows), empty_th=empty)


def _round_figures(round_: Round) -> list[Figure]:
    return [
        Figure(
            label_th="ระยะเวลาที่รายงาน",
            value=f"{format_long(round_.period_start)} – {format_long(round_.period_end)}",
        ),
        Figure(label_th="กำหนดส่งรายงาน", value=format_long(round_.due_on)),
        Figure(label_th="วันปิดรับรายงาน", value=format_long(round_.closes_on)),
    ]


def _round_name(data: ReportData, round_id: str) -> str:
    round_ = data.round(round_id)
    return round_.name_th if round_ is not None else round_id


def _round_title(round_: Round) -> str:
    """The round's name with its fiscal year, once."""
    fy = _fy_text(round_.fiscal_year)
    return round_.name_th if fy in round_.name_th else f"{round_.name_th} {fy}"


# ---------------------------------------------------------------- document assembly


def _numbered(sections: Sequence[tuple[str, Sequence[Block]]]) -> list[Section]:
    return [
        Section(heading_th=f"{number}. {heading}", blocks=tuple(blocks))
        for number, (heading, blocks) in enumerate(sections, start=1)
    ]


def _thai(text: str) -> str:
    return thai_digits(text)


def _block_in_thai_digits(block: Block) -> Block:
    if isinstance(block, Paragraph):
        return block.model_copy(update={"text_th": _thai(block.text_th)})
    if isinstance(block, Figures):
        items = tuple(
            item.model_copy(update={"label_th": _thai(item.label_th)}) for item in block.items
        )
        return block.model_copy(update={"items": items})
    if isinstance(block, Table):
        return block.model_copy(update={"title_th": _thai(block.title_th)})
    series = tuple(s.model_copy(update={"name_th": _thai(s.name_th)}) for s in block.series)
    return block.model_copy(
        update={
            "title_th": _thai(block.title_th),
            "labels": tuple(_thai(label) for label in block.labels),
            "series": series,
        }
    )


def _document(
    data: ReportData,
    *,
    report_type: str,
    title: str,
    subtitle: str,
    sections: Sequence[Section],
    stem: str,
    digits_th: bool,
) -> Document:
    """The document; with Thai digits, the builders' own text converted (cells are not:
    the renderers convert them, and CSV keeps Arabic digits)."""
    if digits_th:
        title, subtitle = _thai(title), _thai(subtitle)
        sections = [
            Section(
                heading_th=_thai(s.heading_th),
                level=s.level,
                blocks=tuple(_block_in_thai_digits(b) for b in s.blocks),
            )
            for s in sections
        ]
    return Document(
        report_type=report_type,
        title_th=title,
        subtitle_th=subtitle,
        office_th=data.office_name,
        made_on=data.made_on,
        sections=tuple(sections),
        thai_digits=digits_th,
        file_stem=stem,
    )


# ---------------------------------------------------------------- (a) annual report


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


def _latest_evaluations(items: Iterable[EvaluationFinalised]) -> list[EvaluationFinalised]:
    kept: dict[str, EvaluationFinalised] = {}
    for item in items:
        held = kept.get(item.evaluation_id)
        if held is None or (held.finalisation, held.finalised_at) <= (
            item.finalisation,
            item.finalised_at,
        ):
            kept[item.evaluation_id] = item
    return [kept[key] for key in sorted(kept, key=natural_key)]


# ---------------------------------------------------------------- problems (texts)


def _latest_problems(data: ReportData, fiscal_year: int) -> list[ProblemUpdated]:
    """The newest state of each problem of the year that says something, by round then unit."""
    newest: dict[str, ProblemUpdated] = {}
    for p in data.problems:
        if p.fiscal_year != fiscal_year or not (p.problems or p.suggestions):
            continue
        held = newest.get(p.problem_id)
        if held is None or p.updated_at > held.updated_at:
            newest[p.problem_id] = p
    ends = {r.round_id: r.period_end for r in data.rounds}
    return sorted(
        newest.values(),
        key=lambda p: (ends.get(p.round_id, date.max), natural_key(p.unit_code), p.form_id),
    )


_PROBLEM_COLUMNS = (
    Column(title_th="รหัสหน่วยงาน"),
    Column(title_th="ชื่อหน่วยงาน"),
    Column(title_th="รอบที่รายงาน"),
    Column(title_th="ปัญหาอุปสรรค"),
    Column(title_th="ข้อเสนอแนะ"),
    Column(title_th="สถานะ"),
)


def _problem_row(data: ReportData, p: ProblemUpdated, round_id: str | None) -> tuple[Cell, ...]:
    if p.resolved_at is not None:
        state = "แก้ไขแล้ว"
    elif round_id is not None and p.round_id != round_id:
        state = "ยกมาจากรอบก่อน ยังไม่ได้แก้ไข"
    else:
        state = "ยังไม่ได้แก้ไข"
    return (
        p.unit_code,
        data.unit_name(p.unit_code),
        _round_name(data, p.round_id),
        p.problems,
        p.suggestions,
        state,
    )


def _round_problems(data: ReportData, round_: Round) -> tuple[Table, Table]:
    """This round's problems with the unresolved ones carried from earlier rounds; and the
    units that reported problems in this round and in earlier rounds of the year."""
    year = _latest_problems(data, round_.fiscal_year)
    ends = {r.round_id: r.period_end for r in data.rounds}
    earlier = [p for p in year if ends.get(p.round_id, date.max) < round_.period_end]
    here = [p for p in year if p.round_id == round_.round_id]
    shown = [p for p in earlier if p.resolved_at is None and p.problems] + here
    listed = Table(
        title_th="ปัญหาอุปสรรคและข้อเสนอแนะ (รวมที่ยกมาจากรอบก่อนและยังไม่ได้แก้ไข)",
        sheet_th="ปัญหาอุปสรรคและข้อเสนอแนะ",
        columns=_PROBLEM_COLUMNS,
        rows=tuple(_problem_row(data, p, round_.round_id) for p in shown),
        empty_th="ไม่มีหน่วยงานรายงานปัญหาอุปสรรคหรือข้อเสนอแนะ",
    )
    rounds_of: dict[str, list[str]] = {}
    for p in [*earlier, *here]:
        if p.problems:
            rounds_of.setdefault(p.unit_code, []).append(p.round_id)
    recurring_units = sorted(
        (
            code
            for code, rounds in rounds_of.items()
            if round_.round_id in rounds and len(set(rounds)) > 1
        ),
        key=natural_key,
    )
    units = Table(
        title_th="หน่วยงานที่รายงานปัญหาอุปสรรคซ้ำหลายรอบ",
        sheet_th="หน่วยงานที่พบปัญหาซ้ำ",
        columns=(
            Column(title_th="รหัสหน่วยงาน"),
            Column(title_th="ชื่อหน่วยงาน"),
            Column(title_th="จำนวนรอบที่รายงานปัญหา", kind="integer"),
            Column(title_th="รอบที่รายงานปัญหา"),
        ),
        rows=tuple(
            (
                code,
                data.unit_name(code),
                len(set(rounds_of[code])),
                ", ".join(_round_name(data, r) for r in dict.fromkeys(rounds_of[code])),
            )
            for code in recurring_units
        ),
        empty_th="ไม่มีหน่วยงานที่รายงานปัญหาอุปสรรคซ้ำหลายรอบ",
    )
    return listed, units


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


def _latest_inspections(items: Iterable[InspectionReportUpdated]) -> list[InspectionReportUpdated]:
    kept: dict[str, InspectionReportUpdated] = {}
    for item in items:
        held = kept.get(item.inspection_id)
        if held is None or held.updated_at <= item.updated_at:
            kept[item.inspection_id] = item
    return [kept[key] for key in sorted(kept, key=natural_key)]


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


# ---------------------------------------------------------------- (b) round report


def round_report(data: ReportData, round_id: str, *, thai_digits: bool = False) -> Document:
    """รายงานผลการติดตามความก้าวหน้า: reporting rate and timeliness, missing and late
    units, progress per project and indicator, lagging projects, recurring problems."""
    round_ = data.round(round_id)
    if round_ is None:
        raise KeyError(round_id)
    fiscal_year = round_.fiscal_year
    scopes = _rate_scopes(data, round_id)
    groups = _Groups(data.units, data.office)
    everything = _year_projects(data, fiscal_year)
    projects = _top_level(everything)
    progress = _round_progress(data, round_id)
    has_rates = bool(scopes.offices or scopes.groups or scopes.units)
    has_progress = any(p.code in progress for p in everything)

    # 1 overview
    overview: list[Block] = []
    if not has_rates and not has_progress:
        overview.append(Paragraph(text_th=NO_REPORTS_TH))
    elif not has_rates:
        overview.append(Paragraph(text_th=NO_RATES_TH))
    overview.append(Figures(items=(*_round_figures(round_), *_office_figures(data, scopes))))

    # 2 groups
    group_blocks: list[Block] = [_group_rate_table(data, scopes)]
    chart = _group_chart(data, scopes)
    if chart is not None:
        group_blocks.append(chart)

    # 3 units, 4 missing, 5 late
    unit_table = _unit_rate_table(data, scopes, groups)
    every = [*scopes.offices, *scopes.groups, *scopes.units]
    missing = ((u.form_id, code) for u in every for code in u.missing_units)
    late = ((u.form_id, code) for u in every for code in u.late_units)
    missing_table = _unit_list_table(
        data,
        missing,
        groups,
        several_forms=scopes.several_forms,
        title="รายชื่อหน่วยงานที่ยังไม่ส่งรายงาน",
        sheet="ยังไม่ส่งรายงาน",
        empty="ไม่มีหน่วยงานที่ยังไม่ส่งรายงาน" if has_rates else NO_RATES_TH,
    )
    late_table = _unit_list_table(
        data,
        late,
        groups,
        several_forms=scopes.several_forms,
        title="รายชื่อหน่วยงานที่ส่งรายงานล่าช้า",
        sheet="ส่งรายงานล่าช้า",
        empty="ไม่มีหน่วยงานที่ส่งรายงานล่าช้า" if has_rates else NO_RATES_TH,
    )

    # 6 projects, 7 indicators
    project_blocks: list[Block] = []
    if not has_progress:
        project_blocks.append(Paragraph(text_th=NO_PROGRESS_ROUND_TH))
    project_table = _project_table(
        data,
        projects if has_progress else [],
        progress,
        title=f"ความก้าวหน้าของโครงการ {_round_title(round_)}",
        sheet="ความก้าวหน้าโครงการ",
    )
    project_blocks.append(
        project_table
        if has_progress
        else project_table.model_copy(update={"empty_th": NO_PROGRESS_ROUND_TH})
    )
    if any(p.code in progress for p in projects):
        project_blocks.append(_achievement_chart(projects, progress))
    lines = _indicator_lines(data, everything, progress) if has_progress else []
    indicator_table = _indicator_table(
        lines,
        with_round_actual=True,
        title="ผลการดำเนินงานตามตัวชี้วัดเทียบกับค่าเป้าหมาย",
        empty=NO_PROGRESS_ROUND_TH,
    )

    # 8 lagging projects
    lagging_rows = tuple(
        (
            p.code,
            p.name_th,
            data.unit_name(p.responsible_unit),
            progress[p.code].disbursement_rate,
            progress[p.code].expected_disbursement,
            _achievement(progress[p.code]),
            status_th(progress[p.code].status),
        )
        for p in projects
        if p.code in progress and progress[p.code].status in LAGGING_STATUSES
    )
    lagging = Table(
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
        rows=lagging_rows,
        empty_th="ไม่มีโครงการที่มีความเสี่ยงหรือล่าช้ากว่าแผน" if has_progress else NO_PROGRESS_ROUND_TH,
    )

    # 9 recurring problems
    earlier = [
        r.round_id
        for r in _rounds_of_year(data, fiscal_year)
        if r.period_end < round_.period_end and r.round_id != round_id
    ]
    earlier_progress = {rid: _round_progress(data, rid) for rid in earlier}
    recurring_rows: list[tuple[Cell, ...]] = []
    for p in projects:
        now = progress.get(p.code)
        if now is None or now.units_with_problems <= 0:
            continue
        before = [
            rid
            for rid in earlier
            if (got := earlier_progress[rid].get(p.code)) is not None
            and got.units_with_problems > 0
        ]
        if before:
            recurring_rows.append(
                (
                    p.code,
                    p.name_th,
                    now.units_with_problems,
                    len(before) + 1,
                    ", ".join([*before, round_id]),
                )
            )
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
        rows=tuple(recurring_rows),
        empty_th="ไม่พบปัญหาอุปสรรคที่เกิดซ้ำ" if has_progress else NO_PROGRESS_ROUND_TH,
    )

    problem_list, problem_units = _round_problems(data, round_)
    sections = _numbered(
        [
            ("ภาพรวมการส่งรายงาน", overview),
            ("อัตราการส่งรายงานจำแนกตามกลุ่ม/เครือข่าย", group_blocks),
            ("อัตราการส่งรายงานและความตรงเวลารายหน่วยงาน", [unit_table]),
            ("หน่วยงานที่ยังไม่ส่งรายงาน", [missing_table]),
            ("หน่วยงานที่ส่งรายงานล่าช้า", [late_table]),
            ("ความก้าวหน้าของโครงการ", project_blocks),
            ("ผลการดำเนินงานตามตัวชี้วัด", [indicator_table]),
            ("โครงการที่มีความเสี่ยงหรือล่าช้ากว่าแผน", [lagging]),
            ("ปัญหาอุปสรรคและข้อเสนอแนะ", [problem_list]),
            ("ปัญหาอุปสรรคที่พบซ้ำ", [problem_units, recurring]),
        ]
    )
    return _document(
        data,
        report_type="round",
        title=f"รายงานผลการติดตามความก้าวหน้า {_round_title(round_)}",
        subtitle=f"ระยะเวลารายงาน {format_long(round_.period_start)} – "
        f"{format_long(round_.period_end)}",
        sections=sections,
        stem=file_stem("รายงานผลการติดตาม", round_id),
        digits_th=thai_digits,
    )


# ---------------------------------------------------------------- (c) rates report


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
    )


# ---------------------------------------------------------------- (d) evaluation report


def _evaluation(data: ReportData, evaluation_id: str) -> EvaluationFinalised:
    found = _latest_evaluations(e for e in data.evaluations if e.evaluation_id == evaluation_id)
    if not found:
        raise KeyError(evaluation_id)
    return found[0]


def _titled(prefix: str, title: str, *, starts: Sequence[str]) -> str:
    """`prefix` + title, without saying the same words twice."""
    if title.startswith("รายงาน"):
        return title
    if any(title.startswith(s) for s in starts):
        return f"รายงานผล{title}"
    return f"{prefix} {title}"


def evaluation_report(
    data: ReportData, evaluation_id: str, *, thai_digits: bool = False
) -> Document:
    """รายงานผลการประเมิน: totals and levels per subject and criterion, agreement between
    assessors, strengths, improvements and recommendations."""
    e = _evaluation(data, evaluation_id)
    kind_th = SUBJECT_KIND_TH.get(e.subject_kind, "ผู้รับการประเมิน")
    subjects = sorted(e.subjects, key=lambda s: natural_key(s.subject))

    summary = Figures(
        items=(
            Figure(label_th="การประเมิน", value=e.title_th),
            Figure(label_th="ปีงบประมาณ", value=str(e.fiscal_year)),
            Figure(label_th="กรอบการประเมิน", value=e.framework_title_th),
            Figure(label_th="กรอบการประเมินฉบับที่", value=e.framework_version, cell_kind="integer"),
            Figure(
                label_th="วิธีสรุปผลจากผู้ประเมิน",
                value=AGGREGATION_TH.get(e.aggregation, e.aggregation),
            ),
            Figure(label_th=f"จำนวน{kind_th}ที่ประเมิน", value=len(subjects), cell_kind="integer"),
            Figure(label_th="คะแนนรวม", value=e.total, cell_kind="decimal"),
            Figure(label_th="ระดับคุณภาพ", value=_level_th(e.level)),
        )
    )
    scale = Table(
        title_th="เกณฑ์ระดับคุณภาพ",
        sheet_th="ระดับคุณภาพ",
        columns=(
            Column(title_th="ระดับ", kind="integer"),
            Column(title_th="ระดับคุณภาพ"),
            Column(title_th="คะแนน", kind="decimal"),
        ),
        rows=tuple(
            (level.position, level.label_th, level.score)
            for level in sorted(e.scale, key=lambda x: x.position)
        ),
    )
    totals = Table(
        title_th=f"ผลการประเมินราย{kind_th}",
        sheet_th=f"ผลการประเมินราย{kind_th}",
        columns=(
            Column(title_th="รหัส"),
            Column(title_th=f"ชื่อ{kind_th}"),
            Column(title_th="คะแนนรวม", kind="decimal"),
            Column(title_th="ระดับคุณภาพ"),
        ),
        rows=tuple((s.subject, s.name_th, s.total, _level_th(s.level)) for s in subjects),
        empty_th=f"ไม่มี{kind_th}ที่ประเมิน",
        total_row=("ภาพรวม", None, e.total, _level_th(e.level)) if subjects else None,
    )
    detail_sections: list[Section] = []
    for s in subjects:
        nodes = sorted(s.nodes, key=lambda n: natural_key(n.path))
        detail_sections.append(
            Section(
                heading_th=f"{s.subject} {s.name_th}",
                level=2,
                blocks=(
                    Table(
                        title_th=f"ผลการประเมินรายประเด็น: {s.name_th}",
                        sheet_th=_sheet(s.subject),
                        columns=(
                            Column(title_th="ลำดับ"),
                            Column(title_th="ประเด็น/เกณฑ์การประเมิน"),
                            Column(title_th="น้ำหนัก", kind="decimal"),
                            Column(title_th="คะแนน", kind="decimal"),
                            Column(title_th="ระดับคุณภาพ"),
                        ),
                        rows=tuple(
                            (n.path, n.title_th, n.weight, n.score, _level_th(n.level))
                            for n in nodes
                        ),
                        empty_th="ไม่มีผลการประเมินรายประเด็น",
                    ),
                ),
            )
        )
    criteria = Table(
        title_th="ความสอดคล้องของผลการประเมินระหว่างผู้ประเมิน",
        sheet_th="ความสอดคล้องของผู้ประเมิน",
        columns=(
            Column(title_th=kind_th),
            Column(title_th="ลำดับ"),
            Column(title_th="เกณฑ์การประเมิน"),
            Column(title_th="จำนวนผู้ประเมิน", kind="integer"),
            Column(title_th="ช่วงห่างของระดับ", kind="integer"),
            Column(title_th="ส่วนเบี่ยงเบนมาตรฐาน", kind="decimal"),
            Column(title_th="ระดับที่เสนอ"),
        ),
        rows=tuple(
            (
                s.subject,
                c.path,
                c.title_th,
                c.assessors,
                c.spread,
                c.stdev,
                _level_th(c.proposed_level) or _level_th(c.level),
            )
            for s in subjects
            for c in sorted(s.criteria, key=lambda c: natural_key(c.path))
        ),
        empty_th="ไม่มีข้อมูลผลการประเมินรายเกณฑ์",
    )
    discussed = Table(
        title_th="เกณฑ์ที่ผู้ประเมินได้อภิปรายเพื่อหาข้อสรุป",
        sheet_th="เกณฑ์ที่อภิปราย",
        columns=(
            Column(title_th=kind_th),
            Column(title_th="เกณฑ์"),
            Column(title_th="ช่วงห่างของระดับ", kind="integer"),
            Column(title_th="บันทึก"),
        ),
        rows=tuple(
            (d.subject, d.criterion_code, d.spread, d.note_th)
            for d in sorted(
                e.discussed, key=lambda d: (natural_key(d.subject), natural_key(d.criterion_code))
            )
        ),
        empty_th="ไม่มีเกณฑ์ที่ต้องอภิปราย",
    )

    def listed(items: Sequence[str], empty: str) -> list[Block]:
        if not items:
            return [Paragraph(text_th=empty)]
        return [Paragraph(text_th=f"{n}. {text}") for n, text in enumerate(items, start=1)]

    recommendations = Table(
        title_th="ข้อเสนอแนะจำแนกตามหน่วยงาน",
        sheet_th="ข้อเสนอแนะ",
        columns=(
            Column(title_th="รหัสหน่วยงาน"),
            Column(title_th="หน่วยงาน"),
            Column(title_th="ข้อเสนอแนะ"),
        ),
        rows=tuple(
            (r.unit_code, r.unit_name_th or data.unit_name(r.unit_code), r.text_th)
            for r in sorted(e.recommendations, key=lambda r: natural_key(r.unit_code))
        ),
        empty_th="ไม่มีข้อเสนอแนะ",
    )
    level_one = _numbered(
        [
            ("สรุปผลการประเมิน", [summary, scale]),
            (f"ผลการประเมินราย{kind_th}", [totals]),
            (
                "ผลการประเมินจำแนกตามประเด็นการประเมิน",
                [] if subjects else [Paragraph(text_th=f"ไม่มี{kind_th}ที่ประเมิน")],
            ),
            ("ความสอดคล้องของผลการประเมินระหว่างผู้ประเมิน", [criteria, discussed]),
            ("จุดเด่น", listed(e.strengths_th, "ไม่มีการระบุจุดเด่น")),
            ("จุดที่ควรพัฒนา", listed(e.improvements_th, "ไม่มีการระบุจุดที่ควรพัฒนา")),
            ("ข้อเสนอแนะ", [recommendations]),
        ]
    )
    sections = [*level_one[:3], *detail_sections, *level_one[3:]]
    return _document(
        data,
        report_type="evaluation",
        title=_titled("รายงานผลการประเมิน", e.title_th, starts=("การประเมิน",)),
        subtitle=e.framework_title_th
        if _fy_text(e.fiscal_year) in e.title_th
        else f"{e.framework_title_th} {_fy_text(e.fiscal_year)}",
        sections=sections,
        stem=file_stem("รายงานผลการประเมิน", evaluation_id),
        digits_th=thai_digits,
    )


# ---------------------------------------------------------------- (e) inspection report


def _recommendation_status_th(rec: InspectionRecommendationOut) -> str:
    return rec.status_th or RECOMMENDATION_STATUS_TH.get(rec.status, rec.status)


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
    found = _latest_inspections(i for i in data.inspections if i.inspection_id == inspection_id)
    if not found:
        raise KeyError(inspection_id)
    return found[0]


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
    tally: dict[str, int] = dict.fromkeys(RECOMMENDATION_STATUS_TH, 0)
    for _, rec in recs:
        tally[rec.status] = tally.get(rec.status, 0) + 1
    overdue = [(issue, rec) for issue, rec in recs if _days_overdue(rec, today) is not None]

    items = [
        Figure(label_th="ประเภทการตรวจราชการ", value=inspection.kind_th),
        Figure(label_th="รอบการตรวจราชการที่", value=inspection.round_no, cell_kind="integer"),
        Figure(label_th="วันที่ตรวจราชการ", value=format_long(inspection.inspected_on)),
    ]
    if inspection.inspectors_th:
        items.append(Figure(label_th="ผู้ตรวจราชการ", value=", ".join(inspection.inspectors_th)))
    items += [
        Figure(label_th="จำนวนประเด็นการตรวจราชการ", value=len(issues), cell_kind="integer"),
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
            value=len(overdue),
            cell_kind="integer",
        )
    )
    overview: list[Block] = [Figures(items=tuple(items))]
    if not issues:
        overview.append(Paragraph(text_th="ยังไม่มีประเด็นการตรวจราชการที่บันทึกไว้"))

    issue_sections: list[Section] = []
    for issue in issues:
        own = [rec for i, rec in recs if i is issue]
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
                    _recommendation_status_th(rec),
                    rec.done_on,
                    _last_note(rec),
                    None if days is None else f"เกินกำหนด {days} วัน",
                )
            )
        issue_sections.append(
            Section(
                heading_th=f"ประเด็นที่ {issue.issue_code} {issue.title_th}",
                level=2,
                blocks=(
                    Paragraph(
                        text_th=f"ผลการตรวจ: {findings}"
                        if findings
                        else "ผลการตรวจ: ยังไม่มีการบันทึกผลการตรวจ"
                    ),
                    Table(
                        title_th=f"ข้อเสนอแนะและการดำเนินการ ประเด็นที่ {issue.issue_code}",
                        sheet_th=_sheet(f"ประเด็น {issue.issue_code}"),
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
                    ),
                ),
            )
        )
    overdue_table = Table(
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
    level_one = _numbered(
        [
            ("ข้อมูลการตรวจราชการ", overview),
            ("ผลการตรวจราชการและข้อเสนอแนะรายประเด็น", []),
            ("ข้อเสนอแนะที่เกินกำหนด", [overdue_table]),
        ]
    )
    sections = [*level_one[:2], *issue_sections, *level_one[2:]]
    fy = _fy_text(inspection.fiscal_year)
    return _document(
        data,
        report_type="inspection",
        title=_titled("รายงานผลการตรวจราชการ", inspection.title_th, starts=("การตรวจราชการ",)),
        subtitle=f"{inspection.kind_th} รอบที่ {inspection.round_no} {fy}",
        sections=sections,
        stem=file_stem("รายงานผลการตรวจราชการ", inspection_id),
        digits_th=thai_digits,
    )


# ---------------------------------------------------------------- (f) quarter export


def _quarter_progress(
    data: ReportData, fiscal_year: int, quarter: int, codes: Iterable[str]
) -> tuple[dict[str, ProjectProgressUpdated], Period]:
    """Each project's progress in the latest round of the year that ends within the
    quarter (the narrowest on a tie); if no round ends within it, in the latest round
    ending before the quarter ends."""
    period = quarter_period(fiscal_year, quarter)
    year = _rounds_of_year(data, fiscal_year)
    within = [r for r in year if r.period_end in period]
    candidates = _latest_first(within or [r for r in year if r.period_end <= period.end])
    by_round = {r.round_id: _round_progress(data, r.round_id) for r in candidates}
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


def quarter_export(
    data: ReportData, fiscal_year: int, quarter: int, *, thai_digits: bool = False
) -> Document:
    """ส่งออกข้อมูลความก้าวหน้าโครงการ for e-MES and eMENSCR: exactly one table, the
    columns of `QUARTER_EXPORT_COLUMNS`, one row per top-level project in code order."""
    projects = _top_level(_year_projects(data, fiscal_year))
    progress, period = _quarter_progress(data, fiscal_year, quarter, (p.code for p in projects))
    rows: list[tuple[Cell, ...]] = []
    for p in projects:
        got = progress.get(p.code)
        if got is None:
            rows.append(
                (
                    p.code,
                    p.name_th,
                    data.unit_name(p.responsible_unit),
                    satang_to_baht(p.budget_satang),
                    None,
                    None,
                    None,
                    None,
                    None,
                    STATUS_TH["no_data"],
                )
            )
            continue
        problems = got.units_with_problems
        rows.append(
            (
                p.code,
                p.name_th,
                data.unit_name(p.responsible_unit),
                satang_to_baht(p.budget_satang),
                satang_to_baht(got.spent_satang),
                got.disbursement_rate,
                _achievement(got),
                _indicator_results(p.code, got),
                f"{problems} หน่วยงานรายงานปัญหา" if problems > 0 else "",
                status_th(got.status),
            )
        )
    table = Table(
        title_th=f"ความก้าวหน้าโครงการ ไตรมาส {quarter}/{fiscal_year}",
        sheet_th=f"ไตรมาส{quarter}-{fiscal_year}",
        columns=tuple(
            Column(title_th=title, kind=kind)
            for title, kind in zip(QUARTER_EXPORT_COLUMNS, _QUARTER_EXPORT_KINDS, strict=True)
        ),
        rows=tuple(rows),
        empty_th=NO_PROJECTS_TH,
    )
    used = sorted({g.round_id for g in progress.values()}, key=natural_key)
    no_progress = "ยังไม่มีข้อมูลการรายงานความก้าวหน้าโครงการในไตรมาสนี้"
    blocks: list[Block] = [
        Figures(
            items=(
                Figure(label_th="ไตรมาส", value=f"{quarter}/{fiscal_year}"),
                Figure(
                    label_th="ช่วงเวลา",
                    value=f"{format_long(period.start)} – {format_long(period.end)}",
                ),
                Figure(
                    label_th="รอบการรายงานที่ใช้",
                    value=", ".join(_round_name(data, rid) for rid in used) or None,
                ),
                Figure(label_th="จำนวนโครงการ", value=len(projects), cell_kind="integer"),
                Figure(
                    label_th="โครงการที่มีข้อมูลความก้าวหน้า",
                    value=len(progress),
                    cell_kind="integer",
                ),
            )
        )
    ]
    if not projects:
        blocks.append(Paragraph(text_th=NO_PROJECTS_TH))
    elif not used:
        blocks.append(Paragraph(text_th=no_progress))
    blocks.append(table)
    return _document(
        data,
        report_type="quarter_export",
        title=f"ส่งออกข้อมูลความก้าวหน้าโครงการ ไตรมาส {quarter}/{fiscal_year}",
        subtitle="สำหรับนำเข้าระบบ e-MES และระบบติดตามและประเมินผลแห่งชาติ (eMENSCR)",
        sections=[Section(heading_th="ข้อมูลความก้าวหน้าโครงการรายไตรมาส", blocks=tuple(blocks))],
        stem=file_stem("ส่งออกความก้าวหน้าโครงการ", fiscal_year, f"ไตรมาส{quarter}"),
        digits_th=thai_digits,
    )
