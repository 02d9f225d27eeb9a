"""Bulk import of the set-up from a sheet: check everything first, write only if all is well."""

from typing import Literal

from pydantic import BaseModel

from services.monitoring.domain import setup_rules
from services.monitoring.domain.assignments import AssignmentOverride
from services.monitoring.domain.imports import (
    ImportKind,
    ImportResult,
    KnownRefs,
    Problem,
    parse_rows,
)
from services.monitoring.handlers import planning
from services.monitoring.handlers.ports import MonitoringPorts
from services.monitoring.handlers.setup import save_entity
from shared.contracts.setup import SetupModel


class ImportReport(BaseModel):
    """What an import found and did; with problems, nothing was written."""

    kind: ImportKind
    dry_run: bool
    rows_read: int
    problems: list[Problem]
    valid_rows: int
    written: int
    outcome: Literal["checked", "written", "refused"]


async def known_refs(ports: MonitoringPorts) -> KnownRefs:
    """Every key the database holds that a sheet may refer to."""
    store = ports.setup
    return KnownRefs(
        unit_codes=await store.keys("unit"),
        plan_ids=await store.keys("plan"),
        project_codes=await store.keys("project"),
        form_ids=await store.keys("form"),
        round_ids=await store.keys("round"),
        strategy_codes=await store.keys("strategy"),
    )


async def import_table(
    kind: ImportKind,
    header: list[str],
    rows: list[list[object]],
    *,
    dry_run: bool,
    ports: MonitoringPorts,
) -> ImportReport:
    """Parse and check a sheet; unless it is a dry run and if nothing is wrong, write it."""
    result = parse_rows(kind, header, rows, await known_refs(ports))
    problems = [*result.problems, *await _rule_problems(result, ports)]
    problems.sort(key=lambda p: (p.row or 0, p.column or ""))
    report = ImportReport(
        kind=kind,
        dry_run=dry_run,
        rows_read=result.rows_read,
        problems=problems,
        valid_rows=len(result.entities),
        written=0,
        outcome="refused" if problems else "checked",
    )
    if problems or dry_run:
        return report
    for entity in result.entities:
        if isinstance(entity, AssignmentOverride):
            await planning.add_override(entity, ports)
        elif isinstance(entity, SetupModel):
            exists = await ports.setup.get(entity.entity, entity.key) is not None
            await save_entity(entity, ports, creating=not exists, correlation_id=f"import-{kind}")
    return report.model_copy(update={"written": len(result.entities), "outcome": "written"})


async def _rule_problems(result: ImportResult, ports: MonitoringPorts) -> list[Problem]:
    """The set-up's own rules (hierarchy, plan years…) on the rows that parsed cleanly."""
    in_sheet = {(e.entity, e.key): e for e in result.entities if isinstance(e, SetupModel)}
    problems: list[Problem] = []
    override_ids = {o.override_id for o in await ports.planning.overrides_in_order()}
    for row, entity in zip(result.rows, result.entities, strict=True):
        if isinstance(entity, AssignmentOverride):
            if entity.override_id in override_ids:
                problems.append(
                    _problem(
                        row,
                        result.headers.get("override_id"),
                        "duplicate",
                        f"override {entity.override_id!r} exists",
                    )
                )
            continue
        if not isinstance(entity, SetupModel):
            continue
        found = dict(in_sheet)
        for ref in setup_rules.references(entity):
            if (ref.kind, ref.key) not in found:
                found.update(await ports.setup.find(ref.kind, [ref.key]))
        for ref in setup_rules.indirect_references(entity, found):
            found.update(await ports.setup.find(ref.kind, [ref.key]))
        for violation in setup_rules.check(entity, found):
            if violation.code != "unknown_reference":  # the parser reported those by cell
                column = result.headers.get(violation.field.split(".")[0], violation.field)
                problems.append(_problem(row, column, "invalid", violation.message))
    return problems


def _problem(row: int, column: str | None, code: str, message: str) -> Problem:
    return Problem.model_validate(
        {"row": row, "column": column, "code": code, "message": message, "message_th": message}
    )
