"""The unit's form as an XLSX: download it pre-filled, upload it filled.

An upload is checked by intake as a submission (the one validation path); each of
intake's reasons comes back at the sheet, row and column of the input it names. Nothing
is written while any problem remains: a refused sheet leaves the draft as it was.
"""

from services.console.adapters import unit_sheet
from services.console.adapters.unit_sheet import NotTheSheet, SheetProblem
from services.console.domain.accounts import Account
from services.console.handlers.accounts import person_of
from services.console.handlers.ports import ConsolePorts
from services.console.handlers.reporting import Report, submit


def _identity(report: Report, account: Account) -> list[str]:
    return unit_sheet.identity_of(
        report.round.round_id,
        report.assignment.form_id,
        report.layout.form.version,
        account.unit_code,
    )


async def sheet_of(ports: ConsolePorts, account: Account, report: Report) -> bytes:
    """The XLSX of the report, pre-filled with the draft."""
    answer = await ports.monitoring.request(
        "GET", f"/units/{account.unit_code}", person_of(account)
    )
    unit_name = answer.json().get("name_th", account.unit_code) if answer.is_success else ""
    return unit_sheet.build(
        report.layout,
        _identity(report, account),
        report.draft.get("typed") or {},
        unit_name,
        report.round.name_th,
    )


async def upload_sheet(
    ports: ConsolePorts, account: Account, report: Report, content: bytes, english: bool
) -> list[SheetProblem]:
    """Submit what the sheet holds; the problems by cell (none: intake accepted it)."""
    try:
        typed, problems = unit_sheet.read(content, report.layout, _identity(report, account))
    except NotTheSheet as error:
        return [SheetProblem(None, None, None, error.message)]
    if problems:
        return problems
    await submit(ports, account, report, typed, english, keep=False)
    if report.outcome in ("accepted", "repeat"):
        return []
    where = {cell.name: cell for cell in unit_sheet.cells(report.layout)}
    found = []
    for name, message in report.errors.items():
        cell = where.get(name)
        if cell is None:
            found.append(SheetProblem(None, None, None, message))
        else:
            found.append(SheetProblem(cell.sheet, cell.row, cell.letter, message))
    return found
