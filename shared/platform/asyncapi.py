"""A service's AsyncAPI 3.0 document, enough to write a client from it alone.

Drawn from what the process runs: the service's CONSUMES and PUBLISHES tables, the
topology (exchange, queues, dead-lettering) and the settings (retries, limits). Every
message is the envelope of its contract with the contract's full JSON schema (pydantic's,
draft 2020-12), so a consumed request is documented by its contract even where the
handler validates a plain dict itself. Each channel says the exchange and routing key;
each consumer's queue, its binding and arguments; a request says its answers and how to
match them; the dead-letter exchange and its headers, the retry policy, the limits and
correlation are stated in `info.description` and in the channels they concern.
"""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic.json_schema import models_json_schema

from shared.contracts.base import Contract, Envelope
from shared.platform.asyncapi_parts import (
    AMQP,
    CORRELATION,
    PRODUCER_HEADER,
    dead_letter_channel,
    dead_letter_message,
    guide,
    headers_schema,
    server,
)
from shared.platform.settings import Settings
from shared.platform.topology import Topology

SCHEMA_FORMAT = "application/schema+json;version=draft-2020-12"
REF = "#/components/schemas/{model}"
DEAD_LETTERS = "dead-letters"


def asyncapi_document(
    *,
    service: str,
    title: str,
    description: str,
    consumes: Mapping[type[Contract], Any],
    publishes: Sequence[type[Contract]],
    topology: Topology,
    settings: Settings,
) -> dict[str, Any]:
    """The AsyncAPI 3.0 document of one service."""
    consumed, published = list(consumes), list(publishes)
    schemas, payloads = _schemas(consumed, published)
    queues = {c: topology.queue(topology.consumer(service, c.ROUTING_KEY)) for c in consumed}
    channels: dict[str, Any] = {}
    operations: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    for contract in _unique([*consumed, *published]):
        messages[_message_id(contract)] = _message(contract, payloads[contract])
        channels[contract.ROUTING_KEY] = _routing_key_channel(contract, topology)
    for contract, handler in consumes.items():
        queue = queues[contract]
        channels[queue] = _queue_channel(contract, queue, topology)
        operations[_name(handler)] = _receive(contract, handler, queue, topology, published)
    for contract in published:
        operations[f"publish {contract.ROUTING_KEY}"] = _send(service, contract, topology)
    for contract in consumed:
        for key, channel in _answer_channels(contract, published, topology).items():
            channels.setdefault(key, channel)
    if consumed:
        channels[DEAD_LETTERS] = dead_letter_channel(list(queues.values()), topology)
        messages["dead-letter"] = dead_letter_message()
        operations["dead-letter"] = {
            "action": "send",
            "channel": {"$ref": f"#/channels/{DEAD_LETTERS}"},
            "summary": "A message that cannot be handled goes to its queue's dead-letter queue",
            "messages": [{"$ref": f"#/channels/{DEAD_LETTERS}/messages/dead-letter"}],
        }
    return {
        "asyncapi": "3.0.0",
        "id": f"urn:tidtam:{topology.namespace}:{service}",
        "info": {
            "title": title,
            "version": "1.0.0",
            "description": f"{description}\n\n{guide(consumed, published, topology, settings)}",
        },
        "defaultContentType": "application/json",
        "servers": {"rabbitmq": server(settings)},
        "channels": channels,
        "operations": operations,
        "components": {
            "schemas": {**schemas, "Headers": headers_schema()},
            "messages": messages,
            "correlationIds": {"envelope": CORRELATION},
        },
    }


def _unique(contracts: Iterable[type[Contract]]) -> list[type[Contract]]:
    return list(dict.fromkeys(contracts))


def _schemas(
    consumed: Sequence[type[Contract]], published: Sequence[type[Contract]]
) -> tuple[dict[str, Any], dict[type[Contract], dict[str, Any]]]:
    """Every envelope's schema (what we read: validation mode; what we write: serialisation
    mode) with its definitions as components, and the payload reference of each contract."""
    modes = {c: "validation" for c in consumed} | {c: "serialization" for c in published}
    models = [(Envelope[c], mode) for c, mode in modes.items()]  # type: ignore[valid-type]
    refs, top = models_json_schema(models, ref_template=REF)  # type: ignore[arg-type]
    payloads = {c: refs[(Envelope[c], mode)] for c, mode in modes.items()}  # type: ignore[valid-type, index]
    schemas = dict(top.get("$defs", {}))
    for contract, mode in modes.items():
        if mode == "validation":  # what we read may carry its correlation id as the property
            envelope = schemas[payloads[contract]["$ref"].rsplit("/", 1)[-1]]
            envelope["required"] = [r for r in envelope["required"] if r != "correlation_id"]
            envelope["properties"]["correlation_id"]["description"] += (
                " Optional when the AMQP `correlation_id` property is set (the envelope's "
                "wins when both are)."
            )
    return schemas, payloads


def _message_id(contract: type[Contract]) -> str:
    return contract.ROUTING_KEY


def _first_line(text: str | None) -> str:
    return (text or "").strip().split("\n\n")[0].replace("\n", " ")


def _message(contract: type[Contract], payload: dict[str, Any]) -> dict[str, Any]:
    message: dict[str, Any] = {
        "name": contract.ROUTING_KEY,
        "title": contract.__name__,
        "summary": _first_line(contract.__doc__),
        "contentType": "application/json",
        "correlationId": {"$ref": "#/components/correlationIds/envelope"},
        "headers": {"$ref": "#/components/schemas/Headers"},
        "payload": {"schemaFormat": SCHEMA_FORMAT, "schema": payload},
        "bindings": {"amqp": {"messageType": contract.ROUTING_KEY, "bindingVersion": AMQP}},
    }
    examples = contract.model_json_schema().get("examples") or []
    if examples:
        message["examples"] = [
            {"name": f"{contract.ROUTING_KEY} example", "payload": _envelope_example(contract, e)}
            for e in examples
        ]
    return message


def _envelope_example(contract: type[Contract], data: Any) -> dict[str, Any]:
    return {
        "event_id": "0b9f3c1e-5d8a-4f7e-9c2b-1a6d4e8f0c3a",
        "type": contract.ROUTING_KEY,
        "schema_version": contract.schema_version(),
        "occurred_at": "2026-12-20T02:30:00Z",
        "correlation_id": "school-system-req-000123",
        "producer": "school-system",
        "data": data,
    }


def _exchange(topology: Topology) -> dict[str, Any]:
    return {
        "name": topology.events_exchange,
        "type": "topic",
        "durable": True,
        "autoDelete": False,
        "vhost": "/",
    }


def _routing_key_binding(topology: Topology) -> dict[str, Any]:
    return {"amqp": {"is": "routingKey", "exchange": _exchange(topology), "bindingVersion": AMQP}}


def _channel_messages(contract: type[Contract]) -> dict[str, Any]:
    return {contract.__name__: {"$ref": f"#/components/messages/{_message_id(contract)}"}}


def _routing_key_channel(contract: type[Contract], topology: Topology) -> dict[str, Any]:
    return {
        "address": contract.ROUTING_KEY,
        "title": f"{contract.ROUTING_KEY} on {topology.events_exchange}",
        "description": (
            f"Routing key `{contract.ROUTING_KEY}` on the topic exchange "
            f"`{topology.events_exchange}`: publish with this routing key, or bind a queue of "
            "your own to the exchange with it to receive every such message."
        ),
        "messages": _channel_messages(contract),
        "bindings": _routing_key_binding(topology),
    }


def _queue_channel(contract: type[Contract], queue: str, topology: Topology) -> dict[str, Any]:
    return {
        "address": queue,
        "title": f"queue {queue}",
        "description": (
            f"The consumer's own quorum queue, bound to `{topology.events_exchange}` with the "
            f"routing key `{contract.ROUTING_KEY}`; publish to the exchange, not to the queue. "
            f"It dead-letters to `{topology.dead_letter_exchange}` (routing key: the queue's "
            f"name) into `{topology.dead_letter_queue(queue)}`; retries wait in "
            f"`{topology.retry_queue(queue)}`."
        ),
        "messages": _channel_messages(contract),
        "bindings": {
            "amqp": {
                "is": "queue",
                "queue": {
                    "name": queue,
                    "durable": True,
                    "exclusive": False,
                    "autoDelete": False,
                    "vhost": "/",
                },
                "bindingVersion": AMQP,
            }
        },
        "x-tidtam-binding": {
            "exchange": topology.events_exchange,
            "routing_key": contract.ROUTING_KEY,
        },
        "x-tidtam-queue-arguments": topology.queue_arguments(queue),
    }


def _name(handler: Any) -> str:
    name = str(getattr(handler, "__name__", "handler"))
    return name if name.startswith("on_") else f"on_{name}"


def _receive(
    contract: type[Contract],
    handler: Any,
    queue: str,
    topology: Topology,
    published: Sequence[type[Contract]],
) -> dict[str, Any]:
    doc = (getattr(handler, "__doc__", None) or contract.__doc__ or "").strip()
    operation: dict[str, Any] = {
        "action": "receive",
        "channel": {"$ref": f"#/channels/{queue}"},
        "title": f"consume {contract.ROUTING_KEY}",
        "summary": _first_line(doc),
        "description": (
            f"{doc}\n\nSend it: publish the envelope (JSON, `content_type: application/json`, "
            f"persistent) to the exchange `{topology.events_exchange}` with the routing key "
            f"`{contract.ROUTING_KEY}`, with `mandatory` set and publisher confirms on."
        ),
        "messages": [{"$ref": f"#/channels/{queue}/messages/{contract.__name__}"}],
        "bindings": {"amqp": {"ack": True, "cc": [contract.ROUTING_KEY], "bindingVersion": AMQP}},
    }
    answers = [rk for rk in contract.ANSWERED_BY if rk in {p.ROUTING_KEY for p in published}]
    if answers:
        key = _answers_key(contract)
        operation["reply"] = {
            "channel": {"$ref": f"#/channels/{key}"},
            "messages": [
                {"$ref": f"#/channels/{key}/messages/{_by_key(published, rk).__name__}"}
                for rk in answers
            ],
        }
        operation["description"] += "\n\n" + _answer_text(contract, answers, topology)
    return operation


def _by_key(contracts: Sequence[type[Contract]], routing_key: str) -> type[Contract]:
    return next(c for c in contracts if routing_key == c.ROUTING_KEY)


def _answers_key(contract: type[Contract]) -> str:
    return f"{contract.ROUTING_KEY}.answers"


def _answer_channels(
    contract: type[Contract], published: Sequence[type[Contract]], topology: Topology
) -> dict[str, Any]:
    """One channel holding every answer to a request (its reply), where we publish them."""
    keys = {p.ROUTING_KEY for p in published}
    answers = [_by_key(published, rk) for rk in contract.ANSWERED_BY if rk in keys]
    if not answers:
        return {}
    return {
        _answers_key(contract): {
            "address": None,  # several routing keys: each is its own channel, bound below
            "title": f"answers to {contract.ROUTING_KEY}",
            "description": _answer_text(contract, [a.ROUTING_KEY for a in answers], topology),
            "messages": {
                a.__name__: {"$ref": f"#/components/messages/{_message_id(a)}"} for a in answers
            },
            "bindings": _routing_key_binding(topology),
            "x-tidtam-routing-keys": [a.ROUTING_KEY for a in answers],
        }
    }


def _answer_text(contract: type[Contract], answers: Sequence[str], topology: Topology) -> str:
    bindings = " and ".join(f"`{rk}`" for rk in answers)
    match = (
        "the envelope's `correlation_id` is the one your request carried (a repeat of a "
        "request is answered again under the repeat's correlation id, otherwise the same "
        "event: same `event_id` and `data`)"
        if contract.MATCHED_BY == "correlation_id"
        else f"match an answer to its request by `{contract.MATCHED_BY}`"
    )
    return (
        f"Answers: {bindings}, published to `{topology.events_exchange}`. To receive them, "
        f"declare a queue of your own (durable, or exclusive for a session) and bind it to "
        f"`{topology.events_exchange}` with the routing key {bindings} (one binding each); "
        f"every answer goes to every bound queue, so filter on {contract.MATCHED_BY}: {match}."
    )


def _send(service: str, contract: type[Contract], topology: Topology) -> dict[str, Any]:
    what = "sends the request" if contract.KIND == "request" else "publishes"
    return {
        "action": "send",
        "channel": {"$ref": f"#/channels/{contract.ROUTING_KEY}"},
        "title": f"{service} {what} {contract.ROUTING_KEY}",
        "summary": _first_line(contract.__doc__),
        "description": (
            f"{service} {what} `{contract.ROUTING_KEY}` to `{topology.events_exchange}`: "
            "persistent, with publisher confirms, `mandatory` (an unroutable publish is an "
            f"error), the envelope's `event_id` as `message_id`, its `correlation_id` as the "
            f"AMQP `correlation_id` and the header `{PRODUCER_HEADER}`. Receive it by binding "
            f"a queue of your own to `{topology.events_exchange}` with the routing key "
            f"`{contract.ROUTING_KEY}`. A message may arrive twice: `event_id` is stable "
            "across a republish, so keep what you have seen by it (or by the data's key)."
        ),
        "messages": [{"$ref": f"#/channels/{contract.ROUTING_KEY}/messages/{contract.__name__}"}],
        "bindings": {"amqp": {"deliveryMode": 2, "mandatory": True, "bindingVersion": AMQP}},
    }
