"""The parts of every AsyncAPI document that are the same for each service: dead letters,
headers, correlation, the server, and the guide in `info.description`."""

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from shared.contracts.base import Contract
from shared.platform.messaging import (
    ATTEMPT_HEADER,
    ERROR_HEADER,
    MAX_RETRY_DELAY_MS,
    QUEUE_HEADER,
    REASON_HEADER,
)
from shared.platform.settings import Settings
from shared.platform.topology import DELIVERY_LIMIT, Topology

AMQP = "0.3.0"  # the AMQP bindings' version
PRODUCER_HEADER = "x-tidtam-producer"


def dead_letter_channel(queues: Sequence[str], topology: Topology) -> dict[str, Any]:
    return {
        "address": "{queue}",
        "title": f"dead letters on {topology.dead_letter_exchange}",
        "description": (
            f"The direct exchange `{topology.dead_letter_exchange}`; the routing key is the "
            "consumer queue's name, and each consumer queue's dead letters wait in "
            f"`<queue>.dlq`, bound to it. A dead letter is the original body with its "
            f"properties and the headers `{REASON_HEADER}`, `{QUEUE_HEADER}` and "
            f"`{ATTEMPT_HEADER}` (or, when the broker dead-lettered it after "
            f"{DELIVERY_LIMIT} deliveries, its `x-death`)."
        ),
        "parameters": {
            "queue": {"description": "The consumer queue it came from.", "enum": list(queues)}
        },
        "messages": {"dead-letter": {"$ref": "#/components/messages/dead-letter"}},
        "bindings": {
            "amqp": {
                "is": "routingKey",
                "exchange": {
                    "name": topology.dead_letter_exchange,
                    "type": "direct",
                    "durable": True,
                    "autoDelete": False,
                    "vhost": "/",
                },
                "bindingVersion": AMQP,
            }
        },
    }


def dead_letter_message() -> dict[str, Any]:
    return {
        "name": "dead-letter",
        "title": "A dead letter",
        "summary": "The original message, as it was delivered, with why it was given up.",
        "contentType": "application/json",
        "headers": {
            "type": "object",
            "properties": {
                REASON_HEADER: {
                    "type": "string",
                    "maxLength": 2000,
                    "description": "`malformed: <error>` (refused input, wrong shape: "
                    "never retried), `failed: <error>` (not transient: never retried) or "
                    "`failed after <n> attempts: <error>` (transient: the database or the "
                    "broker away, a provider down).",
                },
                QUEUE_HEADER: {"type": "string", "description": "The queue it came from."},
                ATTEMPT_HEADER: {"type": "integer", "minimum": 1},
                "x-death": {"type": "array", "description": "Set by the broker instead."},
                "x-delivery-count": {
                    "type": "integer",
                    "description": "Set by the quorum queue: deliveries before this one.",
                },
            },
        },
        "payload": {"description": "The original body, byte for byte (any content)."},
    }


def headers_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "description": "AMQP headers. Publishers outside Tidtam need set none.",
        "properties": {
            PRODUCER_HEADER: {
                "type": "string",
                "description": "The publishing service (on every message Tidtam publishes).",
            },
            ATTEMPT_HEADER: {
                "type": "integer",
                "minimum": 2,
                "description": "On a retried delivery: which attempt it is.",
            },
            ERROR_HEADER: {
                "type": "string",
                "description": "On a retried delivery: the error of the attempt before.",
            },
        },
    }


CORRELATION = {
    "description": (
        "The envelope's `correlation_id` (1–128 characters) follows one request through every "
        "service and comes back in its answers. A publisher may instead (or also) set the "
        "AMQP `correlation_id` property: an envelope without `correlation_id` takes the "
        "property's; when both are set, the envelope's wins. Every message Tidtam publishes "
        "carries the same id in both places."
    ),
    "location": "$message.payload#/correlation_id",
}


def server(settings: Settings) -> dict[str, Any]:
    url = urlsplit(settings.amqp_url)
    host = url.hostname or "127.0.0.1"
    return {
        "host": f"{host}:{url.port or 5672}",
        "pathname": url.path or "/",
        "protocol": "amqp",
        "protocolVersion": "0.9.1",
        "description": "RabbitMQ; credentials are the deployment's (none are published).",
    }


def guide(
    consumed: Sequence[type[Contract]],
    published: Sequence[type[Contract]],
    topology: Topology,
    settings: Settings,
) -> str:
    """How to integrate, in prose: what every channel and operation details."""
    first, cap = settings.retry_delay_ms, MAX_RETRY_DELAY_MS // 1000
    return f"""## Integrating

**Exchange.** Every message goes to the durable topic exchange `{topology.events_exchange}`
with the message type as its routing key (`<entity>.<event>.v<N>`). Publish JSON
(`content_type: application/json`, UTF-8), persistent (`delivery_mode: 2`), with `mandatory`
set and publisher confirms on. Never publish to a queue directly.

**Envelope.** Every body is an envelope: `event_id` (UUID, yours for what you publish;
stable across a republish), `type` (the routing key), `schema_version` (its N),
`occurred_at` (ISO 8601 with offset), `correlation_id`, `producer` (who you are) and `data`
(the contract, whose full schema each message gives). Readers ignore fields they do not know.

**Correlation.** {CORRELATION["description"]} A request's answers carry the request's
correlation id; a repeat (the same idempotency key, same content) is answered again with the
same event under the repeat's correlation id.

**Answers.** To receive a service's answers or events, declare a queue of your own and bind
it to `{topology.events_exchange}` with each routing key you want. Each request below says
what answers it and how to match an answer.

**Failures.** A consumer acks what it handled. Only a transient failure (the database or
the broker away, a provider down for now) is retried, through `<queue>.retry` after {first}
ms, doubling each attempt (at most {cap} s), and dead-lettered
after {settings.max_attempts} attempts. A message that can never succeed (refused at the input
boundary, not the contract's shape, a value out of range) or fails otherwise is
dead-lettered at once, never retried; a request that can be answered is answered instead.
Dead letters go to the direct exchange `{topology.dead_letter_exchange}` (routing key: the
queue's name) and wait in `<queue>.dlq` with the headers `{REASON_HEADER}` (why),
`{QUEUE_HEADER}` and `{ATTEMPT_HEADER}`. A message that kills its consumer is dead-lettered by
the broker after {DELIVERY_LIMIT} deliveries.

**Limits.** A message body is at most {settings.max_body_bytes} bytes
(`TIDTAM_MAX_BODY_BYTES`), the same as an HTTP request body; the README's configuration table
lists every input limit, the same over AMQP and HTTP.

This service consumes {_listed(consumed)} and publishes {_listed(published)}."""


def _listed(contracts: Sequence[type[Contract]]) -> str:
    return ", ".join(f"`{c.ROUTING_KEY}`" for c in contracts) or "nothing"
