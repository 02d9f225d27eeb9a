"""The tables and charts several reports print: projects, indicators, budget, rates."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from services.reporting.domain.document import (
    BarChart,
    Cell,
    Column,
    Figure,
    Series,
    Table,
    satang_to_baht,
)
from services.reporting.domain.report_data import ReportData
from services.reporting.domain.reports.common import (
    _HUNDRED,
    NO_PROJECTS_TH,
    NO_RATES_TH,
    _axis_maximum,
    _Groups,
    _indicators_by_project,
    _latest_rates,
    status_th,
)
from shared.contracts.monitoring import (
    IndicatorProgress,
    ProjectProgressUpdated,
    RatesUpdated,
)
from shared.contracts.setup import Indicator, Project
from shared.thai.numbers import mean, natural_key, percent

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
