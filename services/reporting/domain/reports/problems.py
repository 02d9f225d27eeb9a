"""Units' problems and suggestions (ปัญหาอุปสรรคและข้อเสนอแนะ) as the reports list them."""

from datetime import date

from services.reporting.domain.document import Cell, Column, Table
from services.reporting.domain.report_data import ReportData
from services.reporting.domain.reports.common import round_name
from shared.contracts.monitoring import ProblemUpdated
from shared.contracts.setup import Round
from shared.thai.numbers import natural_key


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
    Column(title_th="รหัสหน่วยงาน", nowrap=True),
    Column(title_th="ชื่อหน่วยงาน"),
    Column(title_th="รอบที่รายงาน"),
    Column(title_th="ปัญหาอุปสรรค"),
    Column(title_th="ข้อเสนอแนะ"),
    Column(title_th="สถานะ", nowrap=True),
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
        round_name(data, p.round_id),
        p.problems,
        p.suggestions,
        state,
    )


def round_problem_tables(data: ReportData, round_: Round) -> tuple[Table, Table]:
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
                ", ".join(round_name(data, r) for r in dict.fromkeys(rounds_of[code])),
            )
            for code in recurring_units
        ),
        empty_th="ไม่มีหน่วยงานที่รายงานปัญหาอุปสรรคซ้ำหลายรอบ",
    )
    return listed, units


def open_problems_table(data: ReportData, fiscal_year: int) -> Table:
    """Problems of the year not yet resolved, oldest round first."""
    open_ = [p for p in _latest_problems(data, fiscal_year) if p.resolved_at is None and p.problems]
    return Table(
        title_th="ปัญหาอุปสรรคที่ยังไม่ได้รับการแก้ไข",
        sheet_th="ปัญหาที่ยังไม่แก้ไข",
        columns=_PROBLEM_COLUMNS,
        rows=tuple(_problem_row(data, p, None) for p in open_),
        empty_th="ไม่มีปัญหาอุปสรรคที่ค้างอยู่",
    )


def problem_summary_table(data: ReportData, fiscal_year: int) -> Table:
    """The year's problems by what they say: how many units reported each, how many were
    resolved and how many are carried on, the most reported first."""
    reported: dict[str, set[str]] = {}
    resolved: dict[str, set[str]] = {}
    for p in _latest_problems(data, fiscal_year):
        if not p.problems:
            continue
        reported.setdefault(p.problems, set()).add(p.unit_code)
        if p.resolved_at is not None:
            resolved.setdefault(p.problems, set()).add(p.unit_code)
    order = sorted(reported, key=lambda text: (-len(reported[text]), text))
    rows = tuple(
        (
            text,
            len(reported[text]),
            len(resolved.get(text, ())),
            len(reported[text] - resolved.get(text, set())),
        )
        for text in order
    )
    return Table(
        title_th="ปัญหาอุปสรรคที่หน่วยงานรายงานในปีงบประมาณ จำแนกตามประเด็น",
        sheet_th="ประเด็นปัญหา",
        columns=(
            Column(title_th="ปัญหาอุปสรรค"),
            Column(title_th="หน่วยงานที่รายงาน", kind="integer"),
            Column(title_th="แก้ไขแล้ว", kind="integer"),
            Column(title_th="ยังไม่ได้แก้ไข (ยกไป)", kind="integer"),
        ),
        rows=rows,
        empty_th="ไม่มีหน่วยงานรายงานปัญหาอุปสรรคในปีงบประมาณนี้",
    )
