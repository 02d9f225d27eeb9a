"""The annual report's budget: allocated, spent and disbursement against the Cabinet's
quarterly targets, by strategy and by responsible group, as tables and charts.

Decisions:
- A project counts under its first strategy (in code order) only, so the rows add up to
  the year's budget; a project with no strategy is listed as "ไม่ระบุกลยุทธ์".
- The target of a row is the Cabinet's cumulative disbursement target (เป้าหมายการเบิกจ่าย)
  that monitoring sent with each project's progress for its round, weighted by the
  projects' allocations (all projects of one round share one target, so it is that target).
"""

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal

from services.reporting.domain.document import BarChart, Cell, Column, Series, Table
from services.reporting.domain.report_data import ReportData
from services.reporting.domain.reports.project_tables import budget_totals
from shared.contracts.monitoring import ProjectProgressUpdated
from shared.contracts.setup import Project
from shared.thai.numbers import natural_key

NO_STRATEGY_TH = "ไม่ระบุกลยุทธ์"
_CENT = Decimal("0.01")


def first_strategy(project: Project) -> str | None:
    """The strategy a project's budget counts under."""
    return min(project.strategy_codes, key=natural_key, default=None)


def strategy_name(data: ReportData, code: str | None) -> str:
    if code is None:
        return NO_STRATEGY_TH
    strategy = data.strategy(code)
    return strategy.name_th if strategy is not None else code


def expected_disbursement(
    projects: Sequence[Project], progress: Mapping[str, ProjectProgressUpdated]
) -> Decimal | None:
    """The Cabinet's target for the projects, weighted by their allocations."""
    weighted, allocated = Decimal(0), 0
    for project in projects:
        reported = progress.get(project.code)
        if reported is None or reported.expected_disbursement is None:
            continue
        weighted += reported.expected_disbursement * project.budget_satang
        allocated += project.budget_satang
    if not allocated:
        return None
    return (weighted / allocated).quantize(_CENT, rounding=ROUND_HALF_UP)


def _grouped(
    projects: Sequence[Project], key: Callable[[Project], str | None]
) -> list[tuple[str | None, list[Project]]]:
    found: dict[str | None, list[Project]] = defaultdict(list)
    for project in projects:
        found[key(project)].append(project)
    return sorted(found.items(), key=lambda kv: (kv[0] is None, natural_key(kv[0] or "")))


_COLUMNS = (
    Column(title_th="จำนวนโครงการ", kind="integer"),
    Column(title_th="งบประมาณที่ได้รับจัดสรร (บาท)", kind="baht"),
    Column(title_th="งบประมาณที่ใช้ไป (บาท)", kind="baht"),
    Column(title_th="ร้อยละการเบิกจ่าย", kind="percent"),
    Column(title_th="เป้าหมายการเบิกจ่าย (มติ ครม.)", kind="percent"),
)


def _budget_rows(
    groups: list[tuple[str | None, list[Project]]],
    progress: Mapping[str, ProjectProgressUpdated],
    name: Callable[[str | None], str],
) -> list[tuple[str, tuple[Cell, ...]]]:
    rows = []
    for key, projects in groups:
        budget = budget_totals(projects, progress)
        cells: tuple[Cell, ...] = (
            len(projects),
            budget.allocated,
            budget.spent,
            budget.disbursement,
            expected_disbursement(projects, progress),
        )
        rows.append((name(key), cells))
    return rows


def _table_and_chart(
    what: str,
    sheet: str,
    rows: list[tuple[str, tuple[Cell, ...]]],
    total: tuple[Cell, ...],
) -> tuple[Table, BarChart]:
    table = Table(
        title_th=f"งบประมาณและการเบิกจ่าย จำแนกตาม{what}",
        sheet_th=sheet,
        columns=(Column(title_th=what), *_COLUMNS),
        rows=tuple((label, *cells) for label, cells in rows),
        total_row=("รวม", *total) if rows else None,
        empty_th="ยังไม่มีข้อมูลโครงการของปีงบประมาณนี้",
    )

    def values(index: int) -> tuple[Decimal | None, ...]:
        found: list[Decimal | None] = []
        for _, cells in rows:
            value = cells[index]
            found.append(value if isinstance(value, Decimal) else None)
        return tuple(found)

    spent, target = values(3), values(4)
    top = max((v for v in spent + target if v is not None), default=Decimal(0))
    chart = BarChart(
        title_th=f"ร้อยละการเบิกจ่ายเทียบกับเป้าหมายตามมติคณะรัฐมนตรี จำแนกตาม{what}",
        labels=tuple(label for label, _ in rows),
        series=(
            Series(name_th="ร้อยละการเบิกจ่าย", values=spent),
            Series(name_th="เป้าหมายการเบิกจ่าย", values=target),
        ),
        maximum=Decimal(100) if top <= 100 else Decimal(200),
    )
    return table, chart


def budget_by(
    data: ReportData,
    projects: Sequence[Project],
    progress: Mapping[str, ProjectProgressUpdated],
) -> tuple[tuple[Table, BarChart], tuple[Table, BarChart]]:
    """(by strategy, by responsible group): each a table with a total row and its chart."""
    budget = budget_totals(projects, progress)
    total: tuple[Cell, ...] = (
        len(projects),
        budget.allocated,
        budget.spent,
        budget.disbursement,
        expected_disbursement(projects, progress),
    )
    strategies = _budget_rows(
        _grouped(projects, first_strategy), progress, lambda code: strategy_name(data, code)
    )
    groups = _budget_rows(
        _grouped(projects, lambda p: p.responsible_unit),
        progress,
        lambda code: data.unit_name(code or ""),
    )
    return (
        _table_and_chart("กลยุทธ์", "งบประมาณตามกลยุทธ์", strategies, total),
        _table_and_chart("หน่วยงานรับผิดชอบ", "งบประมาณตามกลุ่ม", groups, total),
    )
