"""Intake's real wiring (`assemble`) driven with in-memory fakes of its ports.

FastStream's in-memory broker delivers to the subscribers `assemble` registered from the
CONSUMES table; nothing here needs RabbitMQ or MongoDB (the integration tier has them).
"""

import json
from typing import Any

import httpx
from faststream.rabbit import TestRabbitBroker

from services.intake.bootstrap import assemble
from services.intake.entrypoints.amqp import CONSUMES, PUBLISHES
from services.intake.handlers.ports import IntakePorts
from shared.contracts import Envelope
from shared.platform.credentials import Credential
from shared.platform.service import Runtime, build_runtime
from shared.platform.settings import Settings
from tests.support import submitted
from tests.unit.test_intake import NOW, FakeSetup, FakeStore, a_round, ports


class FakeCopy(FakeSetup):
    async def apply(self, change: Any) -> bool:
        self.entities[(change.entity.entity, change.key)] = change.entity
        return True

    async def latest_revision(self) -> int:
        return 0


class FakeCredentials:
    async def issue(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    async def authenticate(self, key: str) -> Credential | None:
        if key != "reporter-key":
            return None
        return Credential(
            credential_id="c1", unit_code="8401000001", role="reporter", label="ครู", created_at=NOW
        )


class FakeEvidence:
    async def info(self, evidence_id: str) -> None:
        return None


def wired() -> tuple[Any, Runtime, IntakePorts, list[Envelope[Any]]]:
    intake, published = ports_with_copy()
    runtime = build_runtime("intake", Settings(TIDTAM_NAMESPACE="wiring"))
    return assemble(runtime, intake), runtime, intake, published


def ports_with_copy() -> tuple[IntakePorts, list[Envelope[Any]]]:
    intake, published = ports(a_round(-1, 1, 2))
    assert isinstance(intake.setup, FakeSetup)
    copy = FakeCopy()
    copy.entities = intake.setup.entities
    intake.setup = copy
    intake.credentials = FakeCredentials()  # type: ignore[assignment]
    intake.evidence = FakeEvidence()  # type: ignore[assignment]
    return intake, published


async def test_a_submission_event_reaches_the_handler_the_table_names() -> None:
    _, runtime, intake, published = wired()
    event = submitted("8401000001", "2570-R1", key="k-1")
    async with TestRabbitBroker(runtime.broker) as broker:
        await broker.publish(
            event,
            exchange=runtime.topology.rabbit_exchange(),
            routing_key="submission.submitted.v1",
        )
    assert [e.type for e in published] == ["submission.accepted.v1"]
    assert isinstance(intake.store, FakeStore)
    assert intake.store.documents and all(not d["outbox"] for d in intake.store.documents.values())


async def test_the_correlation_id_may_come_as_the_amqp_property() -> None:
    """The envelope's correlation id wins; without one, the AMQP property's is used."""
    _, runtime, _, published = wired()
    bare = submitted("8401000001", "2570-R1", key="k-3")
    del bare["correlation_id"]
    both = submitted("8401000001", "2570-R1", key="k-4")
    async with TestRabbitBroker(runtime.broker) as broker:
        for event, property_id in ((bare, "from-property"), (both, "ignored")):
            await broker.publish(
                event,
                exchange=runtime.topology.rabbit_exchange(),
                routing_key="submission.submitted.v1",
                correlation_id=property_id,
            )
    assert [e.correlation_id for e in published] == ["from-property", both["correlation_id"]]


async def test_http_and_asyncapi_through_the_assembled_app() -> None:
    app, _, _, published = wired()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://intake") as api:
        answer = await api.post(
            "/submissions",
            headers={"Authorization": "Bearer reporter-key"},
            json={
                k: v
                for k, v in submitted("8401000001", "2570-R1", key="k-2")["data"].items()
                if k not in ("submitted_at", "unit_code")
            },
        )
        spec = (await api.get("/asyncapi.json")).json()
    assert answer.status_code == 201, answer.text
    assert published[-1].type == "submission.accepted.v1"
    described = json.dumps(spec)
    for contract in (*CONSUMES, *PUBLISHES):
        assert contract.ROUTING_KEY in described, contract.ROUTING_KEY
