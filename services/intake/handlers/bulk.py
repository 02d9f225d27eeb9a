"""Bulk: a sheet of many units' reports for one round, one submission per row.

Offices collect by Excel today. Every row is checked first, by the same path as every
other channel; with any problem, or on a dry run, nothing is stored.
"""

from typing import Literal

from pydantic import BaseModel

from services.intake.domain.bulk import BulkProblem, column_of, parse_bulk
from services.intake.handlers.ports import IntakePorts
from services.intake.handlers.submissions import check_submission, receive_submission
from shared.contracts.refusals import Refusal
from shared.contracts.setup import Assignment, Form, Indicator

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RowProblem(BaseModel):
    row: int | None
    column: str | None
    code: str
    message: str


class BulkReport(BaseModel):
    """What a bulk upload found and did."""

    round_id: str
    form_id: str
    form_version: int
    dry_run: bool
    rows: int
    problems: list[RowProblem]
    outcome: Literal["checked", "stored", "refused"]
    stored: int = 0
    repeats: int = 0


async def receive_bulk(
    round_id: str,
    form_id: str,
    form_version: int,
    table: tuple[list[str], list[list[object]]],
    *,
    dry_run: bool,
    submitter: str,
    ports: IntakePorts,
) -> BulkReport:
    """Check every row; unless a dry run and if all rows pass, store each as a submission."""
    form = await _published(form_id, form_version, ports)
    header, rows = table
    parsed, found = parse_bulk(header, rows, form, round_id=round_id)
    problems = [_problem(p) for p in found]
    moment = ports.clock()
    candidates = []
    for row in parsed:
        candidate = {
            "submission_key": row.submission_key,
            "unit_code": row.unit_code,
            "round_id": round_id,
            "form_id": form_id,
            "form_version": form_version,
            "submitted_at": moment.isoformat(),
            "submitter": submitter,
            "values": row.values,
        }
        checked = await check_submission(candidate, moment, ports)
        problems += [
            RowProblem(row=row.row, column=_column(r.field), code=r.code, message=r.message)
            for r in checked.reasons
        ]
        candidates.append(candidate)
    report = BulkReport(
        round_id=round_id,
        form_id=form_id,
        form_version=form_version,
        dry_run=dry_run,
        rows=len(parsed),
        problems=problems,
        outcome="refused" if problems else "checked",
    )
    if problems or dry_run:
        return report
    outcomes: list[str] = []
    for candidate in candidates:
        answer = await receive_submission(
            candidate,
            channel="bulk",
            correlation_id=f"bulk-{round_id}",
            cause=str(candidate["submission_key"]),
            ports=ports,
            moment=moment,
        )
        outcomes.append(answer.outcome)
    return report.model_copy(
        update={
            "outcome": "stored",
            "stored": outcomes.count("accepted"),
            "repeats": outcomes.count("repeat"),
        }
    )


def _problem(found: BulkProblem) -> RowProblem:
    return RowProblem(row=found.row, column=found.column, code=found.code, message=found.message)


def _column(field: str) -> str:
    return column_of(field) if field.startswith("values") else field


async def bulk_sheet_of(
    round_id: str, form_id: str, form_version: int, ports: IntakePorts
) -> tuple[Form, list[Assignment], dict[str, list[Indicator]]]:
    """What the bulk sheet of a round shows: the form, every unit assigned it, indicators."""
    form = await _published(form_id, form_version, ports)
    assignments = [
        a
        for a in await ports.setup.search("assignment", {"round_id": round_id, "form_id": form_id})
        if isinstance(a, Assignment)
    ]
    codes = sorted({c for a in assignments for c in a.project_codes})
    indicators: dict[str, list[Indicator]] = {}
    for found in await ports.setup.search("indicator", {"project_code": {"$in": codes}}):
        if isinstance(found, Indicator):
            indicators.setdefault(found.project_code, []).append(found)
    for listed in indicators.values():
        listed.sort(key=lambda indicator: indicator.code)
    return form, sorted(assignments, key=lambda a: a.unit_code), indicators


async def _published(form_id: str, form_version: int, ports: IntakePorts) -> Form:
    form = await ports.setup.get("form", f"{form_id}@{form_version}")
    if not isinstance(form, Form) or form.status != "published":
        raise Refusal.of(
            "form_version",
            "unknown_form",
            f"no published form {form_id} version {form_version}",
            "not_found",
            location="path",
        )
    return form
