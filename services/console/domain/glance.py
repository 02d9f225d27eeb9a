"""The round at a glance: monitoring's overview joined with the units' names, as a page
shows it. Pure: it takes what the services answered and returns what to draw."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from shared.thai.calendar import format_short
from shared.thai.numbers import percent

STATUS_TH = {
    "on_track": "ตามแผน",
    "at_risk": "เสี่ยงล่าช้า",
    "off_track": "ล่าช้ากว่าแผน",
    "no_data": "ยังไม่มีข้อมูล",
}
PHASE_TH = {
    "not_open": "ยังไม่เปิดรับรายงาน",
    "open": "เปิดรับรายงาน",
    "overdue": "เลยกำหนดส่งแล้ว",
    "closed": "ปิดรับรายงานแล้ว",
}


@dataclass(frozen=True)
class UnitName:
    code: str
    name_th: str
    unit_type: str
    parent_code: str | None
    contact: str | None = None
    province: str | None = None


@dataclass(frozen=True)
class Rate:
    scope_code: str
    name_th: str
    expected: int
    received: int
    on_time: int
    late: int
    missing: int
    rate: Decimal | None
    on_time_rate: Decimal | None


@dataclass(frozen=True)
class Chased:
    """A unit on the missing or late list."""

    code: str
    name_th: str
    group_th: str
    contact: str | None
    days_late: int


@dataclass(frozen=True)
class Lagging:
    code: str
    name_th: str
    status: str
    status_th: str
    disbursement_rate: Decimal | None
    expected_disbursement: Decimal | None
    indicators_behind: int


@dataclass(frozen=True)
class ProblemRow:
    problem_id: str
    unit_code: str
    unit_th: str
    text: str
    carried_from: str | None
    resolved: bool


@dataclass(frozen=True)
class Glance:
    round_id: str
    round_th: str
    phase_th: str
    due_on: date
    due_th: str
    office: Rate | None
    groups: tuple[Rate, ...]
    missing: tuple[Chased, ...]
    late: tuple[Chased, ...]
    lagging: tuple[Lagging, ...]
    problems: tuple[ProblemRow, ...]
    recurring: tuple[ProblemRow, ...] = field(default=())


def _rate(row: Mapping[str, Any], names: Mapping[str, UnitName]) -> Rate:
    rates = row["rates"]
    code = row["scope_code"]
    return Rate(
        scope_code=code,
        name_th=names[code].name_th if code in names else code,
        expected=rates["expected"],
        received=rates["received"],
        on_time=rates["on_time"],
        late=rates["late"],
        missing=rates["missing"],
        rate=_decimal(rates.get("rate")),
        on_time_rate=_decimal(rates.get("on_time_rate")),
    )


def group_of(code: str, names: Mapping[str, UnitName]) -> str:
    """The Thai name of the group (or office) a unit belongs to."""
    unit = names.get(code)
    parent = names.get(unit.parent_code or "") if unit else None
    return parent.name_th if parent else "–"


def _chased(code: str, names: Mapping[str, UnitName], days_late: int) -> Chased:
    unit = names.get(code)
    return Chased(
        code=code,
        name_th=unit.name_th if unit else code,
        group_th=group_of(code, names),
        contact=unit.contact if unit else None,
        days_late=days_late,
    )


def glance(
    overview: Mapping[str, Any],
    names: Mapping[str, UnitName],
    projects: Mapping[str, str],
    today: date,
    unit_rows: Sequence[Mapping[str, Any]] = (),
) -> Glance:
    """The officer's home from monitoring's round overview (`GET /dashboard/rounds/{id}`);
    where the office has no groups of schools, the rates are broken down by `section_of`
    from the round's unit rows."""
    round_ = overview["round"]
    due_on = date.fromisoformat(round_["due_on"])
    days_late = max(0, (today - due_on).days)
    offices = [_rate(r, names) for r in overview.get("offices", [])]
    groups = sorted((_rate(r, names) for r in overview.get("groups", [])), key=_by_rate)
    if not any(g.expected for g in groups):
        groups = list(breakdown(unit_rows, names))
    problems = tuple(
        ProblemRow(
            problem_id=p["problem_id"],
            unit_code=p["unit_code"],
            unit_th=names[p["unit_code"]].name_th if p["unit_code"] in names else p["unit_code"],
            text=" / ".join(t for t in (p.get("problems"), p.get("suggestions")) if t),
            carried_from=p.get("carried_from"),
            resolved=p.get("resolution") is not None,
        )
        for p in overview.get("problems", [])
    )
    return Glance(
        round_id=round_["round_id"],
        round_th=round_["name_th"],
        phase_th=PHASE_TH.get(round_.get("phase", ""), ""),
        due_on=due_on,
        due_th=format_short(due_on),
        office=offices[0] if offices else None,
        groups=tuple(groups),
        missing=tuple(_chased(c, names, days_late) for c in overview.get("missing_units", [])),
        late=tuple(_chased(c, names, 0) for c in overview.get("late_units", [])),
        lagging=tuple(_lagging(p, projects) for p in overview.get("lagging_projects", [])),
        problems=problems,
        recurring=tuple(p for p in problems if p.carried_from is not None),
    )


def section_of(unit: UnitName | None) -> str:
    """Where a unit counts in the breakdown when the office has no groups of schools:
    schools by province, the office's own groups together."""
    if unit is None:
        return "หน่วยงานอื่น"
    if unit.unit_type == "school":
        return f"โรงเรียน จ.{unit.province}" if unit.province else "โรงเรียน"
    return "กลุ่มงานในสำนักงาน"


def breakdown(rows: Sequence[Mapping[str, Any]], names: Mapping[str, UnitName]) -> tuple[Rate, ...]:
    """Rates per section (`section_of`) from monitoring's unit rows of one round and form."""
    counts: dict[str, list[int]] = {}
    for row in rows:
        if not row.get("expected"):
            continue
        tally = counts.setdefault(section_of(names.get(row["unit_code"])), [0, 0, 0, 0])
        tally[0] += 1
        tally[1] += 1 if row.get("received") else 0
        tally[2] += 1 if row.get("on_time") else 0
        tally[3] += 1 if row.get("late") else 0
    return tuple(
        sorted(
            (
                Rate(
                    scope_code=label,
                    name_th=label,
                    expected=expected,
                    received=received,
                    on_time=on_time,
                    late=late,
                    missing=expected - received,
                    rate=percent(received, expected),
                    on_time_rate=percent(on_time, expected),
                )
                for label, (expected, received, on_time, late) in counts.items()
            ),
            key=_by_rate,
        )
    )


def _by_rate(rate: Rate) -> tuple[Decimal, str]:
    return (rate.rate if rate.rate is not None else Decimal(-1), rate.scope_code)


def _lagging(project: Mapping[str, Any], names: Mapping[str, str]) -> Lagging:
    code = project["project_code"]
    behind = sum(1 for i in project.get("indicators", []) if i.get("status") == "off_track")
    return Lagging(
        code=code,
        name_th=names.get(code, code),
        status=project["status"],
        status_th=STATUS_TH.get(project["status"], project["status"]),
        disbursement_rate=_decimal(project.get("disbursement_rate")),
        expected_disbursement=_decimal(project.get("expected_disbursement")),
        indicators_behind=behind,
    )


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def current_round(rounds: Sequence[Mapping[str, Any]], today: date) -> str | None:
    """The round to show first: open today (the latest due), else the last one due."""
    iso = today.isoformat()
    open_now = [r for r in rounds if r["opens_on"] <= iso <= r["closes_on"]]
    if open_now:
        return str(max(open_now, key=lambda r: (r["due_on"], r["round_id"]))["round_id"])
    past = [r for r in rounds if r["opens_on"] <= iso]
    return str(max(past, key=lambda r: (r["due_on"], r["round_id"]))["round_id"]) if past else None
