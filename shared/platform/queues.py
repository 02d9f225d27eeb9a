"""RabbitMQ's management API: every queue of a namespace with its depth, consumers and rates
(the operator's command line and the console's operator page both read it)."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx


@dataclass(frozen=True)
class QueueFigures:
    """One queue as the management API sees it (its figures lag a few seconds)."""

    name: str
    ready: int
    unacked: int
    consumers: int
    publish_rate: float
    deliver_rate: float

    @property
    def dead_letters(self) -> bool:
        return self.name.endswith(".dlq")


def _rate(stats: dict[str, Any], name: str) -> float:
    return float((stats.get(f"{name}_details") or {}).get("rate", 0.0))


async def queue_figures(
    url: str, user: str, password: str, namespace: str, vhost: str = "/"
) -> list[QueueFigures]:
    """The namespace's queues: non-empty dead-letter queues first, then by name."""
    async with httpx.AsyncClient(base_url=url, auth=(user, password), timeout=10) as api:
        answer = await api.get(f"/api/queues/{quote(vhost, safe='')}")
        answer.raise_for_status()
    found = [
        QueueFigures(
            name=q["name"],
            ready=int(q.get("messages_ready", 0) or 0),
            unacked=int(q.get("messages_unacknowledged", 0) or 0),
            consumers=int(q.get("consumers", 0) or 0),
            publish_rate=_rate(q.get("message_stats") or {}, "publish"),
            deliver_rate=_rate(q.get("message_stats") or {}, "deliver_get"),
        )
        for q in answer.json()
        if q["name"].startswith(f"{namespace}.")
    ]
    return sorted(found, key=lambda q: (not (q.dead_letters and q.ready + q.unacked), q.name))
