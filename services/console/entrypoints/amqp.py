"""AMQP entrypoint: what the console consumes (news for open pages, its set-up copy) and
publishes (the request for that copy)."""

from services.console.handlers.ports import ConsolePorts
from shared.contracts import Envelope
from shared.contracts.monitoring import ProjectProgressUpdated, RatesUpdated
from shared.contracts.setup import SetupChanged, SetupResendRequested
from shared.platform.kit import Consumes, Publishes
from shared.platform.replica import on_setup_changed


async def on_rates_updated(envelope: Envelope[RatesUpdated], ports: ConsolePorts) -> None:
    """Tells the pages open on this round that its reporting rates changed (they refresh)."""
    ports.live.notify(f"round:{envelope.data.round_id}")


async def on_project_progress_updated(
    envelope: Envelope[ProjectProgressUpdated], ports: ConsolePorts
) -> None:
    """Tells the pages open on this round that a project's progress changed."""
    ports.live.notify(f"round:{envelope.data.round_id}")


CONSUMES: Consumes[ConsolePorts] = {
    RatesUpdated: on_rates_updated,
    ProjectProgressUpdated: on_project_progress_updated,
    SetupChanged: on_setup_changed,
}

PUBLISHES: Publishes = (SetupResendRequested,)
