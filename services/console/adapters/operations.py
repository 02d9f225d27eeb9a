"""The operator page's I/O: RabbitMQ's management API and AMQP (shared with
`python -m services.ops`), and each service's `/readyz` and `/metrics` over HTTP.

The console reads no other service's database: an outbox's backlog comes from the
service's own `tidtam_outbox_pending` / `tidtam_outbox_oldest_age_seconds` gauges."""

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from services.console.domain.operations import OutboxBacklog, ServiceHealth
from shared.platform import dead_letters, queues
from shared.platform.dead_letters import DeadLetter
from shared.platform.queues import QueueFigures
from shared.platform.settings import Settings

TIMEOUT = httpx.Timeout(3.0, connect=2.0)


def outboxes_of(metrics_text: str) -> tuple[OutboxBacklog, ...]:
    """Each outbox's backlog from a service's Prometheus text."""
    pending: dict[str, float] = {}
    age: dict[str, float] = {}
    for family in text_string_to_metric_families(metrics_text):
        for sample in family.samples:
            outbox = sample.labels.get("outbox")
            if outbox is None:
                continue
            if sample.name == "tidtam_outbox_pending":
                pending[outbox] = sample.value
            elif sample.name == "tidtam_outbox_oldest_age_seconds":
                age[outbox] = sample.value
    return tuple(
        OutboxBacklog(name, int(pending[name]), age.get(name, 0.0)) for name in sorted(pending)
    )


class BrokerOperations:
    """The real `Operations` port."""

    def __init__(self, settings: Settings, services: dict[str, str], purged_dir: Path) -> None:
        self.namespace = settings.namespace
        self.settings = settings
        self.services = services
        self.purged_dir = purged_dir

    async def queues(self) -> list[QueueFigures]:
        s = self.settings
        return await queues.queue_figures(
            s.management_url, s.management_user, s.management_password.get_secret_value(),
            s.namespace,
        )  # fmt: skip

    async def health(self) -> list[ServiceHealth]:
        async with httpx.AsyncClient(timeout=TIMEOUT) as client:
            return list(
                await asyncio.gather(
                    *(self._health_of(client, name, url) for name, url in self.services.items())
                )
            )

    async def _health_of(self, client: httpx.AsyncClient, name: str, url: str) -> ServiceHealth:
        try:
            ready = await client.get(f"{url}/readyz")
            metrics = await client.get(f"{url}/metrics")
        except httpx.HTTPError:
            return ServiceHealth(name, answered=False, ready=False)
        is_json = ready.headers.get("content-type", "").startswith("application/json")
        body = ready.json() if is_json else {}
        checks = {k: bool(v) for k, v in (body.get("checks") or {}).items()}
        outboxes = outboxes_of(metrics.text) if metrics.status_code == 200 else ()
        return ServiceHealth(name, True, ready.status_code == 200, checks, outboxes)

    async def dead_letters(self, queue: str) -> list[DeadLetter]:
        return await dead_letters.show(self.settings.amqp_url, queue)

    async def replay(self, queue: str, wanted: str | None) -> int:
        return await dead_letters.replay(self.settings.amqp_url, queue, wanted)

    async def purge(self, queue: str) -> tuple[int, Path]:
        self.purged_dir.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        into = self.purged_dir / f"purged-{queue}-{stamp}.jsonl"
        return await dead_letters.purge(self.settings.amqp_url, queue, into), into


def watched_services(settings: Settings) -> dict[str, str]:
    """Where the console finds each service (itself on loopback)."""
    return {
        "console": f"http://127.0.0.1:{settings.port_of('console')}",
        "intake": settings.intake_url,
        "monitoring": settings.monitoring_url,
        "evaluation": settings.evaluation_url,
        "reporting": settings.reporting_url,
        "notifier": settings.notifier_url,
    }
