"""The tables, figures and charts of a round's reporting rates, by office, group and unit."""

from collections.abc import Iterable
from dataclasses import dataclass

from services.reporting.domain.document import (
    BarChart,
    Cell,
    Column,
    Figure,
    Series,
    Table,
)
from services.reporting.domain.report_data import ReportData
from services.reporting.domain.reports.common import (
    NO_RATES_TH,
    UnitGroups,
    latest_rates,
)
from shared.contracts.monitoring import (
    RatesUpdated,
)
from shared.thai.numbers import natural_key

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
class RateScopes:
    """A round's latest rates by scope: the office, its groups, its units."""

    offices: list[RatesUpdated]
    groups: list[RatesUpdated]
    units: list[RatesUpdated]
    several_forms: bool


def rate_scopes(data: ReportData, round_id: str) -> RateScopes:
    """The round's latest rates, split by scope (the OBEC's own are left out)."""
    updates = latest_rates(u for u in data.rates if u.round_id == round_id)
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
    return RateScopes(offices, groups, units, several_forms=len(forms) > 1)


def office_figures(data: ReportData, scopes: RateScopes) -> list[Figure]:
    """The office's counts and rates (per office and form when there are several)."""
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


def group_rate_table(data: ReportData, scopes: RateScopes) -> Table:
    """One row per group or network with its counts and rates."""
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


def unit_rate_table(data: ReportData, scopes: RateScopes, groups: UnitGroups) -> Table:
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


def group_chart(data: ReportData, scopes: RateScopes) -> BarChart | None:
    """Each group's reporting rate per form; None without groups."""
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


def unit_list_table(
    data: ReportData,
    entries: Iterable[tuple[str, str]],
    groups: UnitGroups,
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
