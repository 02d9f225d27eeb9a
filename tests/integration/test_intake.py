"""Intake against real RabbitMQ and MongoDB."""

import json

import pytest

from services.intake.bootstrap import bootstrap
from shared.mongo import make_client
from shared.settings import Settings
from shared.topology import Topology
from tests.support import amqp_channel, eventually, publish, running, submitted, take_all

pytestmark = pytest.mark.integration


def _queues(settings: Settings) -> tuple[Topology, str, str]:
    topology = Topology(settings.namespace)
    accepted = f"{settings.namespace}.monitoring.submission-accepted-v1"
    rejected = f"{settings.namespace}.monitoring.submission-rejected-v1"
    return topology, accepted, rejected


async def test_a_submission_is_stored_once_and_answered_each_time(settings: Settings) -> None:
    topology, accepted_queue, _ = _queues(settings)
    event = submitted(key="school-42")
    async with running(bootstrap(settings)), amqp_channel(settings.amqp_url) as channel:
        await publish(channel, topology.events_exchange, "submission.submitted.v1", event)
        await publish(channel, topology.events_exchange, "submission.submitted.v1", event)
        answers: list = []

        async def collect() -> int:
            answers.extend(await take_all(channel, accepted_queue))
            return len(answers)

        await eventually(collect, lambda n: n >= 2)
    bodies = [json.loads(a.body) for a in answers]
    assert {b["event_id"] for b in bodies} == {bodies[0]["event_id"]}, "a repeat answers the same"
    assert bodies[0]["data"]["submission_key"] == "school-42"
    client = make_client(settings.mongodb_url)
    stored = await client[settings.database_of("intake")]["submissions"].count_documents({})
    await client.close()
    assert stored == 1


async def test_wrong_values_are_rejected_with_reasons(settings: Settings) -> None:
    topology, _, rejected_queue = _queues(settings)
    event = submitted(key="bad-1")
    event["data"]["values"] = {"$where": 1, "ok": {"a.b": 2}}
    del event["data"]["form_version"]
    async with running(bootstrap(settings)), amqp_channel(settings.amqp_url) as channel:
        await publish(channel, topology.events_exchange, "submission.submitted.v1", event)
        answers = await eventually(lambda: take_all(channel, rejected_queue), lambda a: len(a) > 0)
    reasons = json.loads(answers[0].body)["data"]["reasons"]
    assert [r["field"] for r in reasons] == ["form_version"]
