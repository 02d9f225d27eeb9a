"""AMQP entrypoint: progress and scores."""

from services.reporting.handlers import (
    ReportingPorts,
    keep_project_progress,
    keep_rates,
    record_progress,
    record_score,
)
from shared.contracts import Envelope
from shared.contracts.evaluation import ScoreRecorded
from shared.contracts.monitoring import ProjectProgressUpdated, RatesUpdated, RoundProgressUpdated
from shared.service import Runtime


def subscribe(runtime: Runtime, ports: ReportingPorts) -> None:
    """Register reporting's consumers on the runtime's broker."""
    topology, broker = runtime.topology, runtime.broker
    progress = topology.consumer("reporting", RoundProgressUpdated.ROUTING_KEY)
    scores = topology.consumer("reporting", ScoreRecorded.ROUTING_KEY)

    @broker.subscriber(
        topology.rabbit_queue(progress),
        topology.rabbit_exchange(),
        title="on_progress_updated",
        description="Keeps a unit's counts and re-renders its round page.",
    )
    async def on_progress_updated(envelope: Envelope[RoundProgressUpdated]) -> None:
        await record_progress(envelope, ports)

    @broker.subscriber(
        topology.rabbit_queue(scores),
        topology.rabbit_exchange(),
        title="on_score_recorded",
        description="Keeps a unit's score and re-renders its round page.",
    )
    async def on_score_recorded(envelope: Envelope[ScoreRecorded]) -> None:
        await record_score(envelope, ports)

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
