"""Monitoring against real RabbitMQ and MongoDB: counting once, dead-lettering poison."""

import json
import uuid
from datetime import UTC, datetime

import pytest

from shared.contracts import SubmissionAccepted, make_envelope
from shared.platform.mongo import make_client
from shared.platform.settings import Settings
from shared.platform.topology import Topology
from tests.support import (
    amqp_channel,
    eventually,
    monitoring_api,
    publish,
    queue_depth,
    take_all,
)

pytestmark = pytest.mark.integration

ACCEPTED = "submission.accepted.v1"


def accepted(unit_code: str, submission_id: str, late: bool = False) -> dict:
    now = datetime.now(UTC)
    event = SubmissionAccepted(
        submission_id=submission_id,
        submission_key=submission_id,
        unit_code=unit_code,
        round_id="2570-Q1",
        form_id="action-plan-progress",
        form_version=1,
        submitted_at=now,
        accepted_at=now,
        channel="amqp",
        late=late,
    )
    return make_envelope(event, producer="intake", correlation_id="c-1").model_dump(mode="json")


async def _rows(settings: Settings) -> dict[str, dict]:
    client = make_client(settings.mongodb_url)
    try:
        rows = await client[settings.database_of("monitoring")]["round_progress"].find().to_list()
    finally:
        await client.close()
    return {row["unit_code"]: row for row in rows}


async def test_each_submission_counts_once_however_often_it_arrives(settings: Settings) -> None:
    topology = Topology(settings.namespace)
    events = [accepted(f"10842001{n:02d}", str(uuid.uuid4()), late=n == 3) for n in range(5)]
    async with monitoring_api(settings), amqp_channel(settings.amqp_url) as channel:
        for event in events + events + events[:2]:  # every event twice, some three times
            await publish(channel, topology.events_exchange, ACCEPTED, event)
        rows = await eventually(
            lambda: _rows(settings), lambda r: sum(x["received"] for x in r.values()) >= 5
        )
        progress_queue = f"{settings.namespace}.reporting.progress-updated-v1"
        await eventually(lambda: queue_depth(channel, progress_queue), lambda n: n == 12)
    assert {code: row["received"] for code, row in rows.items()} == {
        f"10842001{n:02d}": 1 for n in range(5)
    }
    assert rows["1084200103"]["late"] == 1


async def test_poison_messages_are_dead_lettered_with_a_reason(settings: Settings) -> None:
    topology = Topology(settings.namespace)
    queue = f"{settings.namespace}.monitoring.submission-accepted-v1"
    wrong_shape = accepted("1084200101", "s-1")
    del wrong_shape["data"]["unit_code"]
    async with monitoring_api(settings), amqp_channel(settings.amqp_url) as channel:
        await publish(channel, topology.events_exchange, ACCEPTED, b"this is not JSON {")
        await publish(channel, topology.events_exchange, ACCEPTED, wrong_shape)
        await publish(channel, topology.events_exchange, ACCEPTED, accepted("1084200102", "s-2"))
        dead = await eventually(
            lambda: take_all(channel, topology.dead_letter_queue(queue)),
            lambda got: len(got) == 2,
        )
        rows = await eventually(lambda: _rows(settings), lambda r: "1084200102" in r)
    assert rows["1084200102"]["received"] == 1, "the consumer kept consuming"
    reasons = {m.body: str(m.headers["x-tidtam-reason"]) for m in dead}
    assert reasons[b"this is not JSON {"].startswith("malformed:")
    shape_reason = reasons[json.dumps(wrong_shape, ensure_ascii=False).encode()]
    assert "unit_code" in shape_reason
    assert all(m.headers["x-tidtam-queue"] == queue for m in dead)


async def test_forged_events_with_huge_versions_are_dead_lettered_at_once(
    settings: Settings,
) -> None:
    """No one can answer an event: refused input goes to the dead letters on its first
    delivery, with the boundary's reason, and the consumer goes on."""
    topology = Topology(settings.namespace)
    queue = f"{settings.namespace}.monitoring.submission-accepted-v1"
    forged = {}
    for code, version in (("integer_too_long", 2**70), ("number_out_of_range", 2**63)):
        event = accepted("1084200104", f"forged-{code}")
        event["data"]["version"] = version
        forged[code] = json.dumps(event).encode()
    async with monitoring_api(settings), amqp_channel(settings.amqp_url) as channel:
        for body in forged.values():
            await publish(channel, topology.events_exchange, ACCEPTED, body)
        await publish(channel, topology.events_exchange, ACCEPTED, accepted("1084200105", "s-5"))
        dead = await eventually(
            lambda: take_all(channel, topology.dead_letter_queue(queue)),
            lambda got: len(got) == 2,
        )
        rows = await eventually(lambda: _rows(settings), lambda r: "1084200105" in r)
    assert "1084200104" not in rows and rows["1084200105"]["received"] == 1
    reasons = {m.body: str(m.headers["x-tidtam-reason"]) for m in dead}
    for code, body in forged.items():
        assert reasons[body].startswith("malformed: InputRefused: " + code), reasons[body]
    assert [m.headers["x-tidtam-attempt"] for m in dead] == [1, 1], "never retried"
