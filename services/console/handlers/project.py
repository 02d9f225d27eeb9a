"""A project's page and a problem's resolution, through monitoring's API."""

from typing import Any

from services.console.domain.accounts import Account
from services.console.domain.project import ProjectYear, project_year
from services.console.handlers.accounts import person_of
from services.console.handlers.glance import rounds
from services.console.handlers.ports import ConsolePorts
from shared.contracts.refusals import Refusal
from shared.contracts.setup import Project


async def project_page(
    ports: ConsolePorts, account: Account, code: str, fiscal_year: int
) -> ProjectYear:
    """The project in every round of the year that has opened (newest data last)."""
    project = await ports.setup.get("project", code)
    if not isinstance(project, Project):
        raise Refusal.of("code", "not_found", f"no project {code}", "not_found", location="path")
    progress: list[tuple[str, dict[str, Any] | None]] = []
    for round_ in await rounds(ports.setup):
        if round_.fiscal_year != fiscal_year:
            continue
        answer = await ports.monitoring.request(
            "GET", f"/dashboard/rounds/{round_.round_id}/projects/{code}", person_of(account)
        )
        progress.append((round_.name_th, answer.json() if answer.is_success else None))
    return project_year(code, project.name_th, progress)


async def resolve_problem(
    ports: ConsolePorts, account: Account, problem_id: str, note: str | None
) -> None:
    answer = await ports.monitoring.request(
        "POST",
        f"/dashboard/problems/{problem_id}/resolve",
        person_of(account),
        json={"resolved_by": account.display_name, "note": note or None},
    )
    if answer.status_code == 404:
        raise Refusal.of("problem_id", "not_found", f"no problem {problem_id}", "not_found")
    answer.raise_for_status()
