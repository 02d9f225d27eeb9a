"""AMQP entrypoint: what reporting consumes and publishes, as two tables.

Reporting keeps copies of what it reports on, and takes report requests from other
systems; it publishes each request's outcome and, at start, asks for its copies again."""

from services.reporting.handlers import copies
from services.reporting.handlers.ports import ReportingPorts
from services.reporting.handlers.reports import request_over_amqp
from shared.contracts import Envelope
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
from shared.contracts.reporting import ReportFailed, ReportRendered, ReportRequested
from shared.contracts.setup import SetupChanged, SetupResendRequested
from shared.platform.kit import Consumes, Publishes
from shared.platform.replica import on_setup_changed


async def on_progress_updated(
    envelope: Envelope[RoundProgressUpdated], ports: ReportingPorts
) -> None:
    """Keeps a unit's counts and re-renders its round page."""
    await copies.record_progress(envelope.data, ports)


async def on_rates_updated(envelope: Envelope[RatesUpdated], ports: ReportingPorts) -> None:
    """Keeps monitoring's reporting rates for the round report."""
    await copies.keep_rates(envelope.data, ports)


async def on_project_progress_updated(
    envelope: Envelope[ProjectProgressUpdated], ports: ReportingPorts
) -> None:
    """Keeps monitoring's project progress for the reports."""
    await copies.keep_project_progress(envelope.data, ports)


async def on_problem_updated(envelope: Envelope[ProblemUpdated], ports: ReportingPorts) -> None:
    """Keeps units' problems and suggestions for the round and annual reports."""
    await copies.keep_problem(envelope.data, ports)


async def on_evaluation_finalised(
    envelope: Envelope[EvaluationFinalised], ports: ReportingPorts
) -> None:
    """Keeps a finalised evaluation's results for the reports."""
    await copies.keep_evaluation(envelope.data, ports)


async def on_evaluation_reopened(
    envelope: Envelope[EvaluationReopened], ports: ReportingPorts
) -> None:
    """Marks an evaluation as no longer final."""
    await copies.keep_reopened(envelope.data, ports)


async def on_inspection_report_updated(
    envelope: Envelope[InspectionReportUpdated], ports: ReportingPorts
) -> None:
    """Keeps an inspection's report data for the inspection and annual reports."""
    await copies.keep_inspection(envelope.data, ports)


async def on_report_requested(envelope: Envelope[ReportRequested], ports: ReportingPorts) -> None:
    """Queues a report for the rendering worker (answered by report.rendered.v1 or
    report.failed.v1); never waits for the render itself."""
    await request_over_amqp(envelope.data, ports)


CONSUMES: Consumes[ReportingPorts] = {
    RoundProgressUpdated: on_progress_updated,
    RatesUpdated: on_rates_updated,
    ProjectProgressUpdated: on_project_progress_updated,
    ProblemUpdated: on_problem_updated,
    EvaluationFinalised: on_evaluation_finalised,
    EvaluationReopened: on_evaluation_reopened,
    InspectionReportUpdated: on_inspection_report_updated,
    ReportRequested: on_report_requested,
    SetupChanged: on_setup_changed,
}

PUBLISHES: Publishes = (
    ReportRendered,
    ReportFailed,
    SetupResendRequested,
    ProgressCopiesRequested,
    EvaluationCopiesRequested,
)
