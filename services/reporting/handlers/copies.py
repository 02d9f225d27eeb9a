"""Reporting keeps copies of what it reports on (and re-renders the round page).

At every start it asks again for everything it copies (`request_copies`), so a copy that
started late or was emptied converges; copies keep the newest state, so repeats are
harmless."""

import uuid
from datetime import UTC, datetime

from services.reporting.domain.round_page import round_page
from services.reporting.handlers.ports import NAME, ReportingPorts
from shared.contracts import make_envelope
from shared.contracts.evaluation import (
    EvaluationCopiesRequested,
    EvaluationFinalised,
    EvaluationReopened,
    InspectionReportUpdated,
)
from shared.contracts.monitoring import (
    ProblemUpdated,
    ProgressCopiesRequested,
    ProjectProgressUpdated,
    RatesUpdated,
    RoundProgressUpdated,
)
from shared.platform.replica import request_setup


def round_page_id(round_id: str) -> str:
    return f"round-progress:{round_id}"


async def request_copies(ports: ReportingPorts) -> None:
    """Before consuming: ask monitoring for the set-up after the revision held, and monitoring
    and evaluation for every other copy again (rates, project progress, problems;
    evaluations, inspections), so an emptied database converges."""
    await request_setup(NAME, ports.setup, ports.publish)
    request_id = uuid.uuid4().hex
    for request in (
        ProgressCopiesRequested(requested_by=NAME, request_id=request_id),
        EvaluationCopiesRequested(requested_by=NAME, request_id=request_id),
    ):
        await ports.publish(
            make_envelope(request, producer=NAME, correlation_id=f"copies-{request_id}")
        )


async def record_progress(progress: RoundProgressUpdated, ports: ReportingPorts) -> None:
    """Keep the unit's counts (rejected attempts included) and re-render its round page."""
    await ports.reports.merge_progress(progress)
    await render_round_page(progress.round_id, ports)


async def render_round_page(round_id: str, ports: ReportingPorts) -> str:
    """Render the round's progress page from reporting's own copy and store it."""
    made_at = datetime.now(UTC)
    page = round_page(round_id, await ports.reports.round_rows(round_id), made_at)
    html = ports.render_round(page)
    await ports.reports.save_report(round_page_id(round_id), html, made_at)
    return html


async def keep_rates(rates: RatesUpdated, ports: ReportingPorts) -> None:
    """Keep monitoring's reporting rates for the round report."""
    key = f"{rates.round_id}:{rates.form_id}:{rates.scope_code}"
    await ports.rates.keep(key, rates.model_dump(mode="json"), rates.updated_at)


async def keep_project_progress(progress: ProjectProgressUpdated, ports: ReportingPorts) -> None:
    """Keep monitoring's project progress for the round and annual reports."""
    key = f"{progress.round_id}:{progress.project_code}"
    await ports.projects.keep(key, progress.model_dump(mode="json"), progress.updated_at)


async def keep_evaluation(evaluation: EvaluationFinalised, ports: ReportingPorts) -> None:
    """Keep a finalised evaluation's results for its report and the annual report."""
    state = {**evaluation.model_dump(mode="json"), "final": True}
    await ports.evaluations.keep(evaluation.evaluation_id, state, evaluation.finalised_at)


async def keep_reopened(reopened: EvaluationReopened, ports: ReportingPorts) -> None:
    """A reopened evaluation is no longer final: reports leave it out until finalised again."""
    state = {"final": False, "reopened_reason_th": reopened.reason_th}
    await ports.evaluations.keep(reopened.evaluation_id, state, reopened.reopened_at)


async def keep_inspection(inspection: InspectionReportUpdated, ports: ReportingPorts) -> None:
    """Keep an inspection's report data (every issue with its follow-up)."""
    await ports.inspections.keep(
        inspection.inspection_id, inspection.model_dump(mode="json"), inspection.updated_at
    )


async def keep_problem(problem: ProblemUpdated, ports: ReportingPorts) -> None:
    """Keep a unit's problems and suggestions of a round, resolved or not."""
    await ports.problems.keep(
        problem.problem_id, problem.model_dump(mode="json"), problem.updated_at
    )
