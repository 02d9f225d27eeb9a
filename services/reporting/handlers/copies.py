"""Reporting keeps copies of what it reports on (and re-renders the round page)."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from services.reporting.domain.round_report import RoundReport, round_report
from shared.contracts import Envelope
from shared.contracts.evaluation import (
    EvaluationFinalised,
    EvaluationReopened,
    InspectionReportUpdated,
)
from shared.contracts.monitoring import (
    ProblemUpdated,
    ProjectProgressUpdated,
    RatesUpdated,
    RoundProgressUpdated,
)


class ReportStore(Protocol):
    async def merge_progress(self, progress: RoundProgressUpdated) -> None: ...
    async def round_rows(self, round_id: str) -> list[dict[str, Any]]: ...
    async def save_report(self, report_id: str, html: str, made_at: datetime) -> None: ...


class Copies(Protocol):
    async def keep(self, key: str, state: dict[str, Any], at: Any) -> None: ...


@dataclass
class ReportingPorts:
    reports: ReportStore
    render_round: Callable[[RoundReport], str]
    rates: Copies | None = None
    projects: Copies | None = None
    problems: Copies | None = None
    evaluations: Copies | None = None
    inspections: Copies | None = None


def round_report_id(round_id: str) -> str:
    return f"round-progress:{round_id}"


async def record_progress(event: Envelope[RoundProgressUpdated], ports: ReportingPorts) -> None:
    """Keep the unit's counts (rejected attempts included) and re-render its round page."""
    await ports.reports.merge_progress(event.data)
    await render_round_page(event.data.round_id, ports)


async def render_round_page(round_id: str, ports: ReportingPorts) -> str:
    """Render the round's progress page from reporting's own copy and store it."""
    made_at = datetime.now(UTC)
    report = round_report(round_id, await ports.reports.round_rows(round_id), made_at)
    html = ports.render_round(report)
    await ports.reports.save_report(round_report_id(round_id), html, made_at)
    return html


async def keep_rates(event: Envelope[RatesUpdated], ports: ReportingPorts) -> None:
    """Keep monitoring's reporting rates for the round report."""
    data = event.data
    if ports.rates is not None:
        key = f"{data.round_id}:{data.form_id}:{data.scope_code}"
        await ports.rates.keep(key, data.model_dump(mode="json"), data.updated_at)


async def keep_project_progress(
    event: Envelope[ProjectProgressUpdated], ports: ReportingPorts
) -> None:
    """Keep monitoring's project progress for the round and annual reports."""
    data = event.data
    if ports.projects is not None:
        key = f"{data.round_id}:{data.project_code}"
        await ports.projects.keep(key, data.model_dump(mode="json"), data.updated_at)


async def keep_evaluation(event: Envelope[EvaluationFinalised], ports: ReportingPorts) -> None:
    """Keep a finalised evaluation's results for its report and the annual report."""
    data = event.data
    if ports.evaluations is not None:
        state = {**data.model_dump(mode="json"), "final": True}
        await ports.evaluations.keep(data.evaluation_id, state, data.finalised_at)


async def keep_reopened(event: Envelope[EvaluationReopened], ports: ReportingPorts) -> None:
    """A reopened evaluation is no longer final: reports leave it out until finalised again."""
    data = event.data
    if ports.evaluations is not None:
        state = {"final": False, "reopened_reason_th": data.reason_th}
        await ports.evaluations.keep(data.evaluation_id, state, data.reopened_at)


async def keep_inspection(event: Envelope[InspectionReportUpdated], ports: ReportingPorts) -> None:
    """Keep an inspection's report data (every issue with its follow-up)."""
    data = event.data
    if ports.inspections is not None:
        await ports.inspections.keep(
            data.inspection_id, data.model_dump(mode="json"), data.updated_at
        )


async def keep_problem(event: Envelope[ProblemUpdated], ports: ReportingPorts) -> None:
    """Keep a unit's problems and suggestions of a round, resolved or not."""
    data = event.data
    if ports.problems is not None:
        await ports.problems.keep(data.problem_id, data.model_dump(mode="json"), data.updated_at)
