"""Every service's AsyncAPI document is enough to write a client from it alone."""

import re
from typing import Any

import pytest

from services.catalogue import tables
from shared.contracts.form_values import SUBMITTED_EXAMPLE
from shared.platform.asyncapi import asyncapi_document
from shared.platform.settings import Settings
from shared.platform.topology import Topology
from tests.fuzz.documents import message_of, problems, references, resolve
from tests.support import submitted

COMPONENT_KEY = re.compile(r"^[a-zA-Z0-9\.\-_]+$")
TABLES = tables()


def document(service: str) -> dict[str, Any]:
    found = TABLES[service]
    return asyncapi_document(
        service=service,
        title=f"Tidtam {service}",
        description="",
        consumes=found.consumes,
        publishes=found.publishes,
        topology=Topology("tidtam"),
        settings=Settings(),
    )


@pytest.mark.parametrize("service", sorted(TABLES))
def test_every_message_with_its_full_schema_exchange_and_queue(service: str) -> None:
    spec = document(service)
    assert spec["asyncapi"] == "3.0.0"
    for reference in references(spec):
        resolve(spec, reference)  # every reference resolves
    for kind in ("schemas", "messages", "correlationIds"):
        assert all(COMPONENT_KEY.match(key) for key in spec["components"][kind]), kind
    found = TABLES[service]
    for contract in (*found.consumes, *found.publishes):
        message = message_of(spec, contract.ROUTING_KEY)
        envelope = resolve(spec, message["payload"]["schema"]["$ref"])
        data = resolve(spec, envelope["properties"]["data"]["$ref"])
        required = {name for name, f in contract.model_fields.items() if f.is_required()}
        assert required <= set(data["required"]), contract.ROUTING_KEY
        assert message["correlationId"]["$ref"] == "#/components/correlationIds/envelope"
        channel = spec["channels"][contract.ROUTING_KEY]
        assert channel["address"] == contract.ROUTING_KEY
        assert channel["bindings"]["amqp"]["exchange"]["name"] == "tidtam.events"
    for contract in found.consumes:
        queue = spec["channels"][f"tidtam.{service}.{contract.ROUTING_KEY.replace('.', '-')}"]
        assert queue["x-tidtam-binding"]["routing_key"] == contract.ROUTING_KEY
        assert queue["x-tidtam-queue-arguments"]["x-dead-letter-exchange"] == "tidtam.dead"
    if found.consumes:
        assert (
            "x-tidtam-reason"
            in spec["components"]["messages"]["dead-letter"]["headers"]["properties"]
        )
        assert spec["channels"]["dead-letters"]["bindings"]["amqp"]["exchange"]["name"] == (
            "tidtam.dead"
        )


def test_a_submission_is_documented_with_its_fields_answers_and_correlation() -> None:
    spec = document("intake")
    data = resolve(spec, "#/components/schemas/SubmissionSubmitted")
    assert set(data["required"]) == {
        "submission_key",
        "unit_code",
        "round_id",
        "form_id",
        "form_version",
        "values",
        "submitter",
        "submitted_at",
    }
    assert {"projects", "indicators"} <= set(data["properties"]["values"]["properties"])
    receive = spec["operations"]["on_submission_submitted"]
    replies = [resolve(spec, m["$ref"])["$ref"] for m in receive["reply"]["messages"]]
    assert replies == [
        "#/components/messages/submission.accepted.v1",
        "#/components/messages/submission.rejected.v1",
    ]
    assert "correlation_id" in receive["description"]
    correlation = spec["components"]["correlationIds"]["envelope"]
    assert correlation["location"] == "$message.payload#/correlation_id"
    assert "envelope's wins" in correlation["description"]
    example = message_of(spec, "submission.submitted.v1")["examples"][0]["payload"]
    assert example["data"] == SUBMITTED_EXAMPLE
    for body in (example, submitted()):
        assert problems(spec, "submission.submitted.v1", body) == []
    wrong = {**submitted(), "data": {**submitted()["data"], "form_version": "one"}}
    assert problems(spec, "submission.submitted.v1", wrong) != []


def test_the_guide_states_retries_limits_and_dead_letters() -> None:
    settings = Settings(TIDTAM_MAX_ATTEMPTS=4, TIDTAM_MAX_BODY_BYTES=2048)
    found = TABLES["intake"]
    guide = asyncapi_document(
        service="intake",
        title="t",
        description="",
        consumes=found.consumes,
        publishes=found.publishes,
        topology=Topology("ns"),
        settings=settings,
    )["info"]["description"]
    for said in ("ns.events", "ns.dead", "x-tidtam-reason", "after 4 attempts", "2048 bytes"):
        assert said in guide, said
