"""Prometheus metrics of every service, in one place: `/metrics` is added by the kit.

HTTP requests and latency by route; messages by queue and outcome (acked, retried,
dead-lettered) with handler latency; each outbox's backlog (count and oldest age, kept by
the relay job); notifications by channel and outcome (the notifier). One process runs one
service, so the process-wide registry is the service's."""

import time
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Gauge, Histogram, generate_latest

HTTP_REQUESTS = Counter(
    "tidtam_http_requests_total", "HTTP requests answered", ["method", "route", "status"]
)
HTTP_SECONDS = Histogram("tidtam_http_request_seconds", "HTTP request latency", ["method", "route"])
MESSAGES = Counter(
    "tidtam_messages_total", "Messages consumed, by queue and outcome", ["queue", "outcome"]
)
HANDLER_SECONDS = Histogram("tidtam_handler_seconds", "Message handler latency", ["queue"])
OUTBOX_PENDING = Gauge("tidtam_outbox_pending", "Unannounced events in an outbox", ["outbox"])
OUTBOX_AGE = Gauge(
    "tidtam_outbox_oldest_age_seconds", "Age of an outbox's oldest unannounced event", ["outbox"]
)
NOTIFICATIONS = Counter(
    "tidtam_notifications_total", "Deliveries to people, by channel and outcome",
    ["channel", "outcome"],
)  # fmt: skip


def instrument(app: FastAPI) -> None:
    """Count and time every request by its route template, and serve `/metrics`."""

    @app.middleware("http")
    async def measure(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        route = getattr(request.scope.get("route"), "path", "unmatched")
        if route != "/metrics":
            HTTP_REQUESTS.labels(request.method, route, str(response.status_code)).inc()
            HTTP_SECONDS.labels(request.method, route).observe(time.perf_counter() - started)
        return response

    @app.get(
        "/metrics",
        tags=["health"],
        summary="Prometheus metrics (text exposition)",
        responses={200: {"content": {"text/plain": {"schema": {"type": "string"}}}}},
    )
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
