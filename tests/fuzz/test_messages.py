"""Real published messages, captured from the broker, against the AsyncAPI documents.

A client written from `/asyncapi.json` alone: it publishes submissions as the document
says (one with its correlation id only as the AMQP property), binds a queue of its own for
every routing key, and matches answers by correlation id; every message any service
publishes meanwhile (set-up, answers, progress, reports, reviews) must match its
producer's document, and a dead letter carries the headers the document names.
"""

import asyncio
import json
from typing import Any

import httpx
import pytest

from shared.platform.topology import Topology
from tests.fuzz.conftest import FuzzSystem
from tests.fuzz.documents import message_of, problems
from tests.office import SCHOOLS, values
from tests.support import amqp_channel, eventually, publish, submitted, take_all

pytestmark = pytest.mark.e2e

SUBMITTED = "submission.submitted.v1"
EXPECTED = {
    "setup.changed.v1",
    "submission.accepted.v1",
    "submission.rejected.v1",
    "submission.reviewed.v1",
    "rates.updated.v1",
    "project-progress.updated.v1",
}


async def test_published_messages_match_the_asyncapi_documents(fuzz_system: FuzzSystem) -> None:
    system, topology = fuzz_system, Topology(fuzz_system.settings.namespace)
    round_id = system.rounds["open"]
    good = submitted(SCHOOLS[1], round_id, key="contract-1", values=values())
    again = {**good, "event_id": submitted()["event_id"], "correlation_id": "repeat-of-1"}
    bad = submitted(SCHOOLS[2], round_id, key="contract-2", values={"projects": {"P01": {}}})
    bare = submitted(SCHOOLS[3], round_id, key="contract-3", values=values())
    del bare["correlation_id"]
    async with amqp_channel(system.settings.amqp_url) as channel:
        for body in (good, again, bad):
            await publish(channel, topology.events_exchange, SUBMITTED, body)
        await _publish_with_property(channel, topology, bare, "property-only-3")
        await publish(channel, topology.events_exchange, "setup.changed.v1", b"\x00not json")
        answers = await eventually(
            lambda: asyncio.sleep(0, _answers(system)),
            lambda found: (
                {good["correlation_id"], "repeat-of-1", "property-only-3", bad["correlation_id"]}
                <= set(found)
            ),
        )
        dead_queue = topology.dead_letter_queue(f"{topology.namespace}.intake.setup-changed-v1")
        dead = await eventually(lambda: take_all(channel, dead_queue), lambda m: len(m) == 1)
    assert answers[good["correlation_id"]]["type"] == "submission.accepted.v1"
    first, repeat = answers[good["correlation_id"]], answers["repeat-of-1"]
    assert (repeat["event_id"], repeat["data"]) == (first["event_id"], first["data"])
    assert answers[bad["correlation_id"]]["type"] == "submission.rejected.v1"
    assert answers["property-only-3"]["type"] == "submission.accepted.v1"

    await _review_and_report(system, first["data"]["submission_id"], round_id)
    await eventually(
        lambda: asyncio.sleep(0, {m.routing_key for m in system.captured.messages}),
        lambda keys: keys >= EXPECTED and bool({"report.rendered.v1", "report.failed.v1"} & keys),
    )
    documents = {name: system.document(name) for name in system.services}
    wrong = [
        f"{m.routing_key} from {producer}: {problem}"
        for m in list(system.captured.messages)
        for producer in [_producer(m)]
        for problem in _conformance(documents, producer, m)
    ]
    assert wrong == [], "\n".join(wrong)
    headers = dict(dead[0].headers or {})
    declared = message_of(documents["intake"], "dead-letter")["headers"]["properties"]
    assert set(headers) >= {"x-tidtam-reason", "x-tidtam-queue", "x-tidtam-attempt"}
    assert set(headers) - {"x-death"} <= set(declared)
    assert str(headers["x-tidtam-reason"]).startswith("malformed:")


def _answers(system: FuzzSystem) -> dict[str, dict[str, Any]]:
    """The answers to submissions seen so far, by correlation id (the latest of each)."""
    found = {}
    for key in ("submission.accepted.v1", "submission.rejected.v1"):
        for body in system.captured.bodies(key):
            found[body["correlation_id"]] = body
    return found


async def _publish_with_property(
    channel: Any, topology: Topology, body: dict[str, Any], correlation_id: str
) -> None:
    import aio_pika

    exchange = await channel.get_exchange(topology.events_exchange)
    await exchange.publish(
        aio_pika.Message(
            json.dumps(body, ensure_ascii=False).encode(),
            content_type="application/json",
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            correlation_id=correlation_id,
        ),
        routing_key=SUBMITTED,
        mandatory=True,
    )


async def _review_and_report(system: FuzzSystem, submission_id: str, round_id: str) -> None:
    """A reviewer approves the report; an officer asks for the round's rates as CSV."""
    reviewer = await asyncio.to_thread(system.key, "intake", "reviewer")
    officer = await asyncio.to_thread(system.key, "reporting", "officer")
    async with httpx.AsyncClient(timeout=30) as client:
        reviewed = await client.post(
            f"{system.services['intake'].url}/submissions/{submission_id}/review",
            json={"action": "approved"},
            headers=reviewer,
        )
        assert reviewed.status_code == 200, reviewed.text

        async def ask() -> httpx.Response:
            return await client.post(
                f"{system.services['reporting'].url}/reports",
                json={"report_type": "rates", "round_id": round_id, "format": "csv"},
                headers=officer,
            )

        await eventually(ask, lambda r: r.status_code in (200, 202), timeout=30, every=0.5)


def _producer(message: Any) -> str:
    return str((message.headers or {}).get("x-tidtam-producer") or "outside")


def _conformance(documents: dict[str, dict[str, Any]], producer: str, message: Any) -> list[str]:
    """How a captured message breaks its producer's document (outside publishers' against
    the document of the service that consumes it)."""
    if message.routing_key == "setup.changed.v1" and not message.body.startswith(b"{"):
        return []  # our own poison, above
    body = json.loads(message.body)
    document = documents.get(producer) or documents["intake"]
    found = problems(document, message.routing_key, body)
    if producer in documents:
        if message.correlation_id != body["correlation_id"]:
            found.append(f"AMQP correlation_id {message.correlation_id!r} is not the envelope's")
        if message.message_id != body["event_id"] or message.content_type != "application/json":
            found.append(f"message_id {message.message_id!r}, type {message.content_type!r}")
    return found
