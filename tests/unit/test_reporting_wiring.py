"""Reporting's real wiring (`assemble`) driven with in-memory fakes of its ports.

FastStream's in-memory broker delivers to the subscribers `assemble` registered from the
CONSUMES table; the HTTP routes answer through the assembled app; the worker and the
outbox relay run against the fakes. Nothing here needs RabbitMQ or MongoDB (the
integration tier has them).
"""

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from faststream.rabbit import TestRabbitBroker

from samples.office import generate_office
from samples.reports import report_data
from services.reporting.bootstrap import assemble
from services.reporting.domain.document import Document
from services.reporting.domain.report_data import ReportData
from services.reporting.entrypoints.amqp import CONSUMES, PUBLISHES
from services.reporting.handlers.copies import request_copies, round_page_id
from services.reporting.handlers.ports import ReportingPorts
from services.reporting.handlers.reports import render_one
from shared.contracts import Contract, Envelope, make_envelope
from shared.contracts.monitoring import RoundProgressUpdated
from shared.contracts.reporting import ReportRequested
from shared.contracts.setup import SetupChanged
from shared.platform.credentials import Credential
from shared.platform.kit import relay_job
from shared.platform.outbox import OUTBOX, OUTBOX_AT
from shared.platform.service import Runtime, build_runtime
from shared.platform.settings import Settings
from tests.fakes import FakeOutbox

NOW = datetime(2027, 5, 10, 3, 0, tzinfo=UTC)
OFFICER = {"Authorization": "Bearer officer-key"}


class FakeRoundPages:
    def __init__(self) -> None:
        self.rows: dict[str, dict[str, Any]] = {}
        self.pages: dict[str, dict[str, Any]] = {}

    async def merge_progress(self, progress: RoundProgressUpdated) -> None:
        row = self.rows.setdefault(
            f"{progress.round_id}:{progress.unit_code}",
            {"round_id": progress.round_id, "unit_code": progress.unit_code},
        )
        for name in ("received", "rejected", "late"):
            row[name] = max(row.get(name, 0), getattr(progress, name))

    async def round_rows(self, round_id: str) -> list[dict[str, Any]]:
        return [row for row in self.rows.values() if row["round_id"] == round_id]

    async def save_report(self, report_id: str, html: str, made_at: datetime) -> None:
        self.pages[report_id] = {"html": html, "made_at": made_at}

    async def get_report(self, report_id: str) -> dict[str, Any] | None:
        return self.pages.get(report_id)


class FakeSetupCopy:
    def __init__(self) -> None:
        self.changes: list[SetupChanged] = []

    async def apply(self, change: SetupChanged) -> bool:
        self.changes.append(change)
        return True

    async def latest_revision(self) -> int:
        return max((c.revision for c in self.changes), default=0)


class FakeCopy:
    def __init__(self) -> None:
        self.kept: dict[str, dict[str, Any]] = {}

    async def keep(self, key: str, state: dict[str, Any], at: Any) -> None:
        self.kept[key] = {**self.kept.get(key, {}), **state, "at": at}


@dataclass
class FakeCopiesView:
    data: ReportData

    async def snapshot(self, made_on: date) -> ReportData:
        return self.data

    async def has_round(self, round_id: str) -> bool:
        return self.data.round(round_id) is not None

    async def has_fiscal_year(self, fiscal_year: int) -> bool:
        return any(r.fiscal_year == fiscal_year for r in self.data.rounds)

    async def has_final_evaluation(self, evaluation_id: str) -> bool:
        return any(e.evaluation_id == evaluation_id for e in self.data.evaluations)

    async def has_inspection(self, inspection_id: str) -> bool:
        return any(i.inspection_id == inspection_id for i in self.data.inspections)


@dataclass
class FakeArtifacts:
    requests: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.outbox = FakeOutbox(self.requests, "report_requests")

    async def add(self, request: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
        if request["_id"] in self.requests:
            return self.requests[request["_id"]], False
        self.requests[request["_id"]] = dict(request)
        return dict(request), True

    async def get(self, request_id: str) -> dict[str, Any] | None:
        return self.requests.get(request_id)

    async def claim(self, now: datetime, lease: timedelta) -> dict[str, Any] | None:
        for held in sorted(self.requests.values(), key=lambda r: r["queued_at"]):
            if held["status"] == "queued":
                held.update(status="rendering", lease_until=now + lease)
                held["attempts"] += 1
                return held
        return None

    async def put_artifact(
        self, request_id: str, content: bytes, file_name: str, content_type: str
    ) -> dict[str, Any]:
        self.files[request_id] = content
        return {
            "file_name": file_name,
            "content_type": content_type,
            "size": len(content),
            "sha256": hashlib.sha256(content).hexdigest(),
        }

    async def finish(
        self, request_id: str, fields: Mapping[str, Any], event: Envelope[Any]
    ) -> None:
        held = self.requests[request_id]
        held.update(fields)
        held.pop("lease_until", None)
        held.setdefault(OUTBOX, []).append(event.model_dump(mode="json"))
        held[OUTBOX_AT] = datetime.now(UTC)

    async def requeue(self, request_id: str) -> None:
        self.requests[request_id].update(status="queued")

    async def recent(self, limit: int = 50) -> list[dict[str, Any]]:
        return list(self.requests.values())[:limit]

    async def artifact(self, request_id: str) -> bytes | None:
        return self.files.get(request_id)


class FakeCredentials:
    async def issue(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    async def authenticate(self, key: str) -> Credential | None:
        if key != "officer-key":
            return None
        return Credential(
            credential_id="c1", unit_code="SESA-84", role="officer", label="เจ้าหน้าที่", created_at=NOW
        )


@pytest.fixture(scope="module")
def data() -> ReportData:
    return report_data(generate_office(schools=3))


def renderer(format_: str) -> Callable[[Document], bytes]:
    def render(document: Document) -> bytes:
        return f"{format_}:{document.file_stem}".encode()

    return render


def fake_ports(data: ReportData) -> tuple[ReportingPorts, list[Envelope[Any]]]:
    published: list[Envelope[Any]] = []

    async def publish(envelope: Envelope[Any]) -> None:
        published.append(envelope)

    return (
        ReportingPorts(
            reports=FakeRoundPages(),
            render_round=lambda page: f"<h1>{page.round_id}: {page.units_reported}</h1>",
            setup=FakeSetupCopy(),
            rates=FakeCopy(),
            projects=FakeCopy(),
            problems=FakeCopy(),
            evaluations=FakeCopy(),
            inspections=FakeCopy(),
            copies=FakeCopiesView(data),
            artifacts=FakeArtifacts(),  # type: ignore[arg-type]  # its outbox is a FakeOutbox
            publish=publish,
            renderers={name: renderer(name) for name in ("pdf", "xlsx", "docx", "csv")},
            credentials=FakeCredentials(),
        ),
        published,
    )


def wired(data: ReportData) -> tuple[Any, Runtime, ReportingPorts, list[Envelope[Any]]]:
    ports, published = fake_ports(data)
    runtime = build_runtime("reporting", Settings(TIDTAM_NAMESPACE="wiring"))
    return assemble(runtime, ports), runtime, ports, published


async def deliver(runtime: Runtime, *events: Envelope[Any]) -> None:
    async with TestRabbitBroker(runtime.broker) as broker:
        for event in events:
            await broker.publish(
                event.model_dump(mode="json"),
                exchange=runtime.topology.rabbit_exchange(),
                routing_key=event.type,
            )


def envelope(event: Contract) -> Envelope[Any]:
    return make_envelope(event, producer="monitoring", correlation_id="c")


async def test_copies_and_the_round_page_are_kept_by_the_handlers_the_table_names(
    data: ReportData,
) -> None:
    _, runtime, ports, _ = wired(data)
    rates = data.rates[0]
    progress = RoundProgressUpdated(
        round_id=rates.round_id,
        unit_code="8401000001",
        received=2,
        rejected=1,
        late=0,
        updated_at=NOW,
    )
    await deliver(runtime, envelope(rates), envelope(progress))
    assert isinstance(ports.rates, FakeCopy)
    assert f"{rates.round_id}:{rates.form_id}:{rates.scope_code}" in ports.rates.kept
    assert isinstance(ports.reports, FakeRoundPages)
    page = ports.reports.pages[round_page_id(rates.round_id)]
    assert page["html"] == f"<h1>{rates.round_id}: 1</h1>"


async def test_a_request_over_amqp_is_answered_through_the_outbox(data: ReportData) -> None:
    _, runtime, ports, published = wired(data)
    asked = [
        ReportRequested(
            request_id=request_id,
            report_type="rates",
            format="csv",
            round_id=round_id,
            requested_by="e-MES",
            requested_at=NOW,
        )
        for request_id, round_id in (("good", data.rounds[0].round_id), ("bad", "2570-Q9"))
    ]
    await deliver(runtime, *(envelope(request) for request in asked))
    assert [e.type for e in published] == ["report.failed.v1"], "refused at once"
    assert "round_id: no round 2570-Q9" in published[0].data.reason
    assert await render_one(ports) and not await render_one(ports)
    assert [e.type for e in published] == ["report.failed.v1", "report.rendered.v1"]
    assert isinstance(ports.artifacts, FakeArtifacts)
    held = ports.artifacts.requests
    assert held["good"]["status"] == "rendered" and held["bad"]["status"] == "failed"
    assert all(not document[OUTBOX] for document in held.values()), "all announced"


async def test_the_relay_job_announces_what_a_broker_outage_left(data: ReportData) -> None:
    ports, published = fake_ports(data)
    working = ports.publish

    async def broker_away(envelope: Envelope[Any]) -> None:
        raise ConnectionError("the broker is away")

    ports.publish = broker_away
    request = ReportRequested(
        request_id="later",
        report_type="round",
        format="pdf",
        round_id=data.rounds[0].round_id,
        requested_by="e-MES",
        requested_at=NOW,
    )
    queued = {"request": request.model_dump(mode="json"), "queued_at": NOW, "attempts": 0}
    await ports.artifacts.add({"_id": "later", "status": "queued", **queued})
    with pytest.raises(ConnectionError):
        await render_one(ports)
    assert isinstance(ports.artifacts, FakeArtifacts)
    held = ports.artifacts.requests["later"]
    assert held["status"] == "rendered" and len(held[OUTBOX]) == 1, "stored with its event"
    held[OUTBOX_AT] -= timedelta(minutes=1)
    await relay_job(working, [ports.artifacts.outbox]).run()
    assert [e.type for e in published] == ["report.rendered.v1"] and not held[OUTBOX]


async def test_at_start_reporting_asks_for_the_set_up_and_every_copy(data: ReportData) -> None:
    ports, published = fake_ports(data)
    await request_copies(ports)
    assert [e.type for e in published] == [
        "setup.resend-requested.v1",
        "progress-copies.resend-requested.v1",
        "evaluation-copies.resend-requested.v1",
    ]
    assert {e.producer for e in published} == {"reporting"}


async def test_http_and_asyncapi_through_the_assembled_app(data: ReportData) -> None:
    app, _, ports, _ = wired(data)
    transport = httpx.ASGITransport(app=app)
    round_id = data.rounds[0].round_id
    async with httpx.AsyncClient(transport=transport, base_url="http://reporting") as api:
        body = {"report_type": "round", "round_id": round_id, "format": "pdf"}
        asked = await api.post("/reports", json={**body, "request_id": "r1"}, headers=OFFICER)
        again = await api.post("/reports", json={**body, "request_id": "r1"}, headers=OFFICER)
        other = await api.post(
            "/reports", json={**body, "format": "xlsx", "request_id": "r1"}, headers=OFFICER
        )
        missing = await api.post("/reports", json={**body, "round_id": "X"}, headers=OFFICER)
        invalid = await api.post("/reports", json={**body, "format": "csv"}, headers=OFFICER)
        anonymous = await api.post("/reports", json=body)
        spec = (await api.get("/asyncapi.json")).json()
    assert asked.status_code == 202, asked.text
    assert asked.headers["location"] == "/reports/r1"
    assert again.status_code == 200 and again.json()["status"] == "queued"
    assert other.status_code == 409
    assert other.json() == {
        "detail": [
            {
                "loc": ["body", "request_id"],
                "msg": "request id r1 was used for another report",
                "type": "invalid",
                "field": "request_id",
                "code": "invalid",
                "message": "request id r1 was used for another report",
            }
        ]
    }
    assert missing.status_code == 404
    assert missing.json()["detail"] == [
        {
            "loc": ["body", "round_id"],
            "msg": "no round X",
            "type": "invalid",
            "field": "round_id",
            "code": "invalid",
            "message": "no round X",
        }
    ]
    assert invalid.status_code == 422 and invalid.json()["detail"][0]["loc"] == ["body", "format"]
    assert anonymous.status_code == 401
    assert ports.wake.is_set(), "the worker is woken"
    described = json.dumps(spec)
    for contract in (*CONSUMES, *PUBLISHES):
        assert contract.ROUTING_KEY in described, contract.ROUTING_KEY
