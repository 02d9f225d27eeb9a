"""AMQP entrypoint: what reporting keeps copies of, and report requests from other systems."""

from services.reporting.handlers.copies import (
    ReportingPorts,
    keep_evaluation,
    keep_inspection,
    keep_problem,
    keep_project_progress,
    keep_rates,
    keep_reopened,
    record_progress,
)
from services.reporting.handlers.reports import ReportPorts, request_over_amqp
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
from shared.contracts.reporting import ReportRequested
from shared.platform.service import Runtime


def subscribe(runtime: Runtime, ports: ReportingPorts, report_ports: ReportPorts) -> None:
    """Register reporting's consumers on the runtime's broker."""
    topology, broker = runtime.topology, runtime.broker
    progress = topology.consumer("reporting", RoundProgressUpdated.ROUTING_KEY)

    @broker.subscriber(
        topology.rabbit_queue(progress),
        topology.rabbit_exchange(),
        title="on_progress_updated",
        description="Keeps a unit's counts and re-renders its round page.",
    )
    async def on_progress_updated(envelope: Envelope[RoundProgressUpdated]) -> None:
        await record_progress(envelope, ports)

    rates = topology.consumer("reporting", RatesUpdated.ROUTING_KEY)
    projects = topology.consumer("reporting", ProjectProgressUpdated.ROUTING_KEY)

    @broker.subscriber(
        topology.rabbit_queue(rates),
        topology.rabbit_exchange(),
        title="on_rates_updated",
        description="Keeps monitoring's reporting rates for the round report.",
    )
    async def on_rates_updated(envelope: Envelope[RatesUpdated]) -> None:
        await keep_rates(envelope, ports)

    @broker.subscriber(
        topology.rabbit_queue(projects),
        topology.rabbit_exchange(),
        title="on_project_progress_updated",
        description="Keeps monitoring's project progress for the reports.",
    )
    async def on_project_progress_updated(envelope: Envelope[ProjectProgressUpdated]) -> None:
        await keep_project_progress(envelope, ports)

    finalised = topology.consumer("reporting", EvaluationFinalised.ROUTING_KEY)
    reopened = topology.consumer("reporting", EvaluationReopened.ROUTING_KEY)
    inspections = topology.consumer("reporting", InspectionReportUpdated.ROUTING_KEY)
    requested = topology.consumer("reporting", ReportRequested.ROUTING_KEY)

    @broker.subscriber(
        topology.rabbit_queue(finalised),
        topology.rabbit_exchange(),
        title="on_evaluation_finalised",
        description="Keeps a finalised evaluation's results for the reports.",
    )
    async def on_evaluation_finalised(envelope: Envelope[EvaluationFinalised]) -> None:
        await keep_evaluation(envelope, ports)

    @broker.subscriber(
        topology.rabbit_queue(reopened),
        topology.rabbit_exchange(),
        title="on_evaluation_reopened",
        description="Marks an evaluation as no longer final.",
    )
    async def on_evaluation_reopened(envelope: Envelope[EvaluationReopened]) -> None:
        await keep_reopened(envelope, ports)

    @broker.subscriber(
        topology.rabbit_queue(inspections),
        topology.rabbit_exchange(),
        title="on_inspection_report_updated",
        description="Keeps an inspection's report data for the inspection and annual reports.",
    )
    async def on_inspection_report_updated(envelope: Envelope[InspectionReportUpdated]) -> None:
        await keep_inspection(envelope, ports)

    @broker.subscriber(
        topology.rabbit_queue(requested),
        topology.rabbit_exchange(),
        title="on_report_requested",
        description="Queues a report for the rendering worker (answered by report.rendered.v1 "
        "or report.failed.v1); never waits for the render itself.",
    )
    async def on_report_requested(envelope: Envelope[ReportRequested]) -> None:
        await request_over_amqp(report_ports, envelope)

    problems = topology.consumer("reporting", ProblemUpdated.ROUTING_KEY)

    @broker.subscriber(
        topology.rabbit_queue(problems),
        topology.rabbit_exchange(),
        title="on_problem_updated",
        description="Keeps units' problems and suggestions for the round and annual reports.",
    )
    async def on_problem_updated(envelope: Envelope[ProblemUpdated]) -> None:
        await keep_problem(envelope, ports)
