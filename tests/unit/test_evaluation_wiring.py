"""Evaluation's real wiring (`assemble`) driven with in-memory fakes of its ports.

FastStream's in-memory broker delivers to the subscribers `assemble` registered from the
CONSUMES table; the routes answer through `httpx.ASGITransport`; nothing here needs
RabbitMQ or MongoDB (the integration tier has them).
"""

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from faststream.rabbit import TestRabbitBroker

from services.evaluation.bootstrap import assemble
from services.evaluation.domain.aggregation import Score
from services.evaluation.domain.evaluations import Evaluation, finalised
from services.evaluation.domain.frameworks import Framework
from services.evaluation.domain.inspections import (
    InspectionIssue,
    InspectionRound,
    Recommendation,
)
from services.evaluation.entrypoints.amqp import CONSUMES, PUBLISHES
from services.evaluation.handlers import inspections
from services.evaluation.handlers.copies import request_copies
from services.evaluation.handlers.ports import EvaluationPorts
from shared.contracts import Envelope, make_envelope
from shared.contracts.evaluation import EvaluationCopiesRequested, EvaluationFinalised
from shared.contracts.monitoring import ProjectProgressUpdated
from shared.contracts.setup import SetupChanged, SetupModel, Unit
from shared.platform.credentials import Credential
from shared.platform.outbox import OUTBOX, relay
from shared.platform.service import Runtime, build_runtime
from shared.platform.settings import Settings
from tests.fakes import FakeOutbox, stored

NOW = datetime(2027, 3, 15, 3, 0, tzinfo=UTC)  # 10:00 in Bangkok, fiscal year 2570
OFFICER = {"Authorization": "Bearer officer-key"}
GROUP = "SESA-T1-PP"


# --- fakes of the ports --------------------------------------------------------------------


class FakeEvaluations:
    def __init__(self) -> None:
        self.documents: dict[str, dict[str, Any]] = {}
        self.outbox = FakeOutbox(self.documents, "evaluations")

    async def add(self, evaluation: Evaluation) -> bool:
        if evaluation.evaluation_id in self.documents:
            return False
        self.documents[evaluation.evaluation_id] = {"state": evaluation, OUTBOX: []}
        return True

    async def get(self, evaluation_id: str) -> Evaluation | None:
        held = self.documents.get(evaluation_id)
        return None if held is None else held["state"]

    async def replace(
        self, evaluation: Evaluation, read_revision: int, *events: Envelope[Any]
    ) -> bool:
        held = self.documents.get(evaluation.evaluation_id)
        if held is None or held["state"].revision != read_revision:
            return False
        waiting = held.get(OUTBOX, [])
        held.update({"state": evaluation, **stored(*events)})
        held[OUTBOX] = waiting + held[OUTBOX]
        return True

    async def all(self, fiscal_year: int | None = None) -> list[Evaluation]:
        found = [d["state"] for _, d in sorted(self.documents.items())]
        return [e for e in found if fiscal_year in (None, e.fiscal_year)]

    async def put_score(
        self, evaluation_id: str, score: Score, override_reason_th: str | None, at: datetime
    ) -> None:
        raise NotImplementedError

    async def scores_of(
        self, evaluation_id: str, assessor_id: str | None = None
    ) -> list[tuple[Score, str | None]]:
        return []

    async def touch(self, evaluation_id: str) -> bool:
        raise NotImplementedError


class FakeFrameworks:
    def __init__(self) -> None:
        self.versions_held: dict[tuple[str, int], Framework] = {}

    async def get(self, framework_id: str, version: int) -> Framework | None:
        return self.versions_held.get((framework_id, version))

    async def versions(self, framework_id: str) -> list[Framework]:
        return [f for (i, _), f in sorted(self.versions_held.items()) if i == framework_id]

    async def put(self, framework: Framework) -> bool:
        self.versions_held[(framework.framework_id, framework.version)] = framework
        return True

    async def add(self, framework: Framework) -> bool:
        return await self.put(framework)

    async def all(self) -> list[Framework]:
        return [f for _, f in sorted(self.versions_held.items())]


class FakeInspections:
    """The register in dicts, marking an inspection changed after each write."""

    def __init__(self) -> None:
        self.rounds: dict[str, InspectionRound] = {}
        self.issues: dict[tuple[str, str], InspectionIssue] = {}
        self.recs: dict[str, Recommendation] = {}
        self.changes: dict[str, list[Any]] = {}  # inspection id -> [changes, dirty]

    def _changed(self, inspection_id: str) -> bool:
        count, _ = self.changes.get(inspection_id, [0, False])
        self.changes[inspection_id] = [count + 1, True]
        return True

    async def add_round(self, round_: InspectionRound) -> bool:
        if round_.inspection_id in self.rounds:
            return False
        self.rounds[round_.inspection_id] = round_
        return self._changed(round_.inspection_id)

    async def round(self, inspection_id: str) -> InspectionRound | None:
        return self.rounds.get(inspection_id)

    async def rounds_in(self, fiscal_year: int | None = None) -> list[InspectionRound]:
        return [r for r in self.rounds.values() if fiscal_year in (None, r.fiscal_year)]

    async def add_issue(self, issue: InspectionIssue) -> bool:
        key = (issue.inspection_id, issue.issue_code)
        if key in self.issues:
            return False
        self.issues[key] = issue
        return self._changed(issue.inspection_id)

    async def issues_of(self, inspection_id: str) -> list[InspectionIssue]:
        return [i for (held, _), i in sorted(self.issues.items()) if held == inspection_id]

    async def add_recommendation(self, rec: Recommendation) -> bool:
        if rec.recommendation_id in self.recs:
            return False
        self.recs[rec.recommendation_id] = rec
        return self._changed(rec.inspection_id)

    async def recommendation(self, recommendation_id: str) -> Recommendation | None:
        return self.recs.get(recommendation_id)

    async def put_recommendation(self, rec: Recommendation, previous: Recommendation) -> bool:
        if self.recs.get(rec.recommendation_id) != previous:
            return False
        self.recs[rec.recommendation_id] = rec
        return self._changed(rec.inspection_id)

    async def recommendations_of(
        self, inspection_id: str, responsible_unit: str | None = None
    ) -> list[Recommendation]:
        return [
            r
            for r in await self.recommendations_all()
            if r.inspection_id == inspection_id and responsible_unit in (None, r.responsible_unit)
        ]

    async def recommendations_all(self) -> list[Recommendation]:
        return [r for _, r in sorted(self.recs.items())]

    async def unannounced(self) -> list[tuple[str, int]]:
        return [(i, count) for i, (count, dirty) in sorted(self.changes.items()) if dirty]

    async def announced(self, inspection_id: str, changes: int) -> None:
        if self.changes[inspection_id][0] == changes:
            self.changes[inspection_id][1] = False

    async def mark_all_unannounced(self) -> None:
        for held in self.changes.values():
            held[1] = True


class FakeClaims:
    def __init__(self) -> None:
        self.documents: dict[str, dict[str, Any]] = {}
        self.outbox = FakeOutbox(self.documents, "overdue_log")

    async def claim(self, key: str, event: Envelope[Any], now: datetime | None = None) -> bool:
        if key in self.documents:
            return False
        self.documents[key] = {"claimed_at": now, **stored(event)}
        return True


class FakeSetup:
    def __init__(self, *entities: SetupModel) -> None:
        self.entities = {(e.entity, e.key): e for e in entities}

    async def get(self, kind: str, key: str) -> SetupModel | None:
        return self.entities.get((kind, key))

    async def search(self, kind: str, where: dict[str, Any] | None = None) -> list[SetupModel]:
        return [e for (k, _), e in sorted(self.entities.items()) if k == kind]

    async def apply(self, change: SetupChanged) -> bool:
        self.entities[(change.entity.entity, change.key)] = change.entity
        return True

    async def latest_revision(self) -> int:
        return 7


class FakeProgress:
    def __init__(self) -> None:
        self.states: dict[str, dict[str, Any]] = {}

    async def keep(self, key: str, state: dict[str, Any], at: Any) -> None:
        self.states[key] = {**state, "at": at}

    async def all(self) -> list[dict[str, Any]]:
        return [self.states[k] for k in sorted(self.states)]

    async def empty(self) -> bool:
        return not self.states


class FakeCredentials:
    async def issue(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    async def authenticate(self, key: str) -> Credential | None:
        if key != "officer-key":
            return None
        return Credential(
            credential_id="c1", unit_code="SESA-T1", role="officer", label="เจ้าหน้าที่", created_at=NOW
        )


class Broker:
    """The publish port: records what reached it, or fails while `down`."""

    def __init__(self) -> None:
        self.published: list[Envelope[Any]] = []
        self.down = False

    async def __call__(self, envelope: Envelope[Any]) -> None:
        if self.down:
            raise ConnectionError("the broker is down")
        self.published.append(envelope)

    def types(self) -> list[str]:
        return [e.type for e in self.published]


def wired() -> tuple[Any, Runtime, EvaluationPorts, Broker]:
    broker = Broker()
    ports = EvaluationPorts(
        evaluations=FakeEvaluations(),
        frameworks=FakeFrameworks(),
        inspections=FakeInspections(),
        overdue=FakeClaims(),
        setup=FakeSetup(
            Unit(code=GROUP, unit_type="group", name_th="กลุ่มนโยบายและแผน", parent_code="SESA-T1")
        ),
        progress=FakeProgress(),
        credentials=FakeCredentials(),
        publish=broker,
        clock=lambda: NOW,
    )
    runtime = build_runtime("evaluation", Settings(TIDTAM_NAMESPACE="wiring"))
    return assemble(runtime, ports), runtime, ports, broker


def finalised_evaluation() -> Evaluation:
    """An evaluation finalised with (nearly empty) frozen results."""
    made = Evaluation(
        evaluation_id="AP2570-EVAL",
        evaluation_type="action_plan",
        fiscal_year=2570,
        title_th="การประเมินผลแผนปฏิบัติการ",
        framework_id="ap-eval",
        framework_version=1,
        subject_kind="project",
        subjects=("P2570-01",),
        opens_on=date(2027, 9, 1),
        closes_on=date(2027, 10, 31),
    )
    final = EvaluationFinalised(
        evaluation_id=made.evaluation_id,
        evaluation_type=made.evaluation_type,
        fiscal_year=made.fiscal_year,
        title_th=made.title_th,
        framework_id="ap-eval",
        framework_version=1,
        framework_title_th="กรอบการประเมิน",
        aggregation="mean",
        scale=(),
        subject_kind="project",
        subjects=(),
        total=None,
        level=None,
        finalisation=1,
        finalised_by="officer",
        finalised_at=NOW,
    )
    return finalised(made, final.model_dump(mode="json"), "officer", NOW)


async def a_late_recommendation(api: httpx.AsyncClient) -> None:
    """An inspection with an issue and a recommendation five days overdue, over HTTP."""
    inspection = {
        "inspection_id": "MOE-2570-1",
        "fiscal_year": 2570,
        "kind": "moe_policy",
        "round_no": 1,
        "title_th": "การตรวจราชการตามนโยบาย รอบที่ 1",
        "inspected_on": "2027-01-20",
        "inspectors_th": ["นายตรวจสอบ ทดลองราชการ"],
    }
    assert (await api.post("/inspections", json=inspection)).status_code == 201
    issue = {"issue_code": "1.1", "title_th": "การพัฒนาการอ่าน", "findings_th": "ยังไม่ครบ"}
    assert (await api.post("/inspections/MOE-2570-1/issues", json=issue)).status_code == 201
    rec = {
        "recommendation_id": "R1",
        "issue_code": "1.1",
        "text_th": "จัดทำแผนพัฒนาการอ่าน",
        "responsible_unit": GROUP,
        "due_on": str(NOW.date() - timedelta(days=5)),
    }
    added = await api.post("/inspections/MOE-2570-1/recommendations", json=rec)
    assert added.status_code == 201, added.text


def client(app: Any) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app)
    return httpx.AsyncClient(transport=transport, base_url="http://evaluation", headers=OFFICER)


# --- messages through the CONSUMES table ---------------------------------------------------


async def test_each_consumed_contract_reaches_the_handler_the_table_names() -> None:
    _, runtime, ports, broker = wired()
    ports.evaluations.documents["AP2570-EVAL"] = {"state": finalised_evaluation(), OUTBOX: []}  # type: ignore[attr-defined]
    ports.inspections._changed("MOE-2570-1")  # type: ignore[attr-defined]
    ports.inspections.rounds["MOE-2570-1"] = InspectionRound(  # type: ignore[attr-defined]
        inspection_id="MOE-2570-1",
        fiscal_year=2570,
        kind="moe_policy",
        round_no=1,
        title_th="การตรวจราชการ",
        inspected_on=date(2027, 1, 20),
    )
    await ports.inspections.announced("MOE-2570-1", 1)
    progress = ProjectProgressUpdated(
        project_code="P2570-01",
        round_id="2570-Q2",
        units_reporting=3,
        activity_counts={"done": 1},
        allocated_satang=100,
        spent_satang=None,
        disbursement_rate=None,
        budget_status="on_track",
        status="on_track",
        updated_at=NOW,
    )
    unit = Unit(code="SESA-T1-FIN", unit_type="group", name_th="กลุ่มการเงิน", parent_code="SESA-T1")
    exchange = runtime.topology.rabbit_exchange()
    async with TestRabbitBroker(runtime.broker) as rabbit:
        for data in (
            progress,
            EvaluationCopiesRequested(requested_by="reporting", request_id="r-1"),
            SetupChanged(revision=8, key=unit.key, entity=unit),
        ):
            envelope = make_envelope(data, producer="test", correlation_id="wiring")
            await rabbit.publish(
                envelope.model_dump(mode="json"), exchange=exchange, routing_key=data.ROUTING_KEY
            )
    assert list(ports.progress.states) == ["2570-Q2:P2570-01"]  # type: ignore[attr-defined]
    assert broker.types() == ["evaluation.finalised.v1", "inspection-report.updated.v1"]
    assert broker.published[0].data.evaluation_id == "AP2570-EVAL"
    assert await ports.setup.get("unit", "SESA-T1-FIN") == unit


async def test_before_consuming_it_asks_for_the_set_up_and_for_progress_when_it_has_none() -> None:
    _, _, ports, broker = wired()
    await request_copies(ports)
    assert broker.types() == [
        "setup.resend-requested.v1",
        "progress-copies.resend-requested.v1",
    ]
    assert broker.published[0].data.after_revision == 7
    await ports.progress.keep("2570-Q2:P2570-01", {"round_id": "2570-Q2"}, NOW)
    await request_copies(ports)
    assert broker.types()[2:] == ["setup.resend-requested.v1"]


# --- routes through the assembled app ------------------------------------------------------


async def test_an_inspection_written_over_http_is_announced_and_refusals_keep_their_shape() -> None:
    app, _, ports, broker = wired()
    async with client(app) as api:
        await a_late_recommendation(api)
        missing = await api.get("/inspections/NOPE/report")
        unknown = await api.post(
            "/inspections/MOE-2570-1/recommendations",
            json={
                "recommendation_id": "R2",
                "issue_code": "1.1",
                "text_th": "ข้อเสนอแนะ",
                "responsible_unit": "SESA-T1-NONE",
                "due_on": "2027-06-30",
            },
        )
        framework = await api.post("/frameworks/none/versions/1/publish")
    reports = [e for e in broker.published if e.type == "inspection-report.updated.v1"]
    assert len(reports) == 3, "announced right after each write"
    assert [r.recommendation_id for r in reports[-1].data.issues[0].recommendations] == ["R1"]
    assert await ports.inspections.unannounced() == []
    assert missing.status_code == 404
    assert missing.json()["detail"] == [
        {
            "loc": ["path", "inspection_id"],
            "msg": "no inspection_id 'NOPE'",
            "type": "invalid",
            "msg_th": "ค่าไม่ถูกต้อง",
            "field": "inspection_id",
            "code": "invalid",
            "message": "ค่าไม่ถูกต้อง (no inspection_id 'NOPE')",
        }
    ]
    assert unknown.status_code == 422
    assert [(d["loc"], d["type"]) for d in unknown.json()["detail"]] == [
        (["body", "responsible_unit"], "unknown_unit")
    ]
    assert framework.status_code == 404
    assert framework.json()["detail"] == [
        {
            "loc": ["body", "version"],
            "msg": "no framework none@1",
            "type": "not_found",
            "field": "version",
            "code": "not_found",
            "message": "no framework none@1",
        }
    ]


async def test_a_reopening_the_broker_missed_is_stored_and_relayed() -> None:
    app, _, ports, broker = wired()
    await ports.evaluations.add(finalised_evaluation())
    broker.down = True
    async with client(app) as api:
        reopened = await api.post(
            "/evaluations/AP2570-EVAL/reopen", json={"reason_th": "พบหลักฐานเพิ่มเติม"}
        )
        unknown = await api.post("/evaluations/AP2570-NONE/reopen", json={"reason_th": "x"})
    assert reopened.status_code == 200, reopened.text
    assert reopened.json()["status"] == "open"
    assert unknown.status_code == 404
    assert unknown.json()["detail"] == [
        {
            "loc": ["body", "evaluation_id"],
            "msg": "no evaluation AP2570-NONE",
            "type": "not_found",
            "field": "evaluation_id",
            "code": "not_found",
            "message": "no evaluation AP2570-NONE",
        }
    ]
    held = ports.evaluations.documents["AP2570-EVAL"]  # type: ignore[attr-defined]
    [waiting] = held[OUTBOX]
    assert waiting["type"] == "evaluation.reopened.v1"

    broker.down = False
    assert await relay(broker, [ports.evaluations.outbox], older_than=timedelta(0)) == 1
    assert broker.types() == ["evaluation.reopened.v1"]
    assert str(broker.published[0].event_id) == waiting["event_id"], "the same event, again"
    assert held[OUTBOX] == []


async def test_an_overdue_recommendation_is_claimed_and_announced_once() -> None:
    app, _, ports, broker = wired()
    async with client(app) as api:
        await a_late_recommendation(api)
    assert await inspections.announce_overdue(ports) == 1
    assert await inspections.announce_overdue(ports) == 0
    overdue = [e for e in broker.published if e.type == "recommendation.overdue.v1"]
    assert [(e.data.recommendation_id, e.data.days_overdue) for e in overdue] == [("R1", 5)]
    assert ports.overdue.documents["R1:2027-03-10"][OUTBOX] == []  # type: ignore[attr-defined]


async def test_asyncapi_lists_what_evaluation_consumes_and_publishes() -> None:
    app, _, _, _ = wired()
    async with client(app) as api:
        spec = (await api.get("/asyncapi.json")).json()
    described = json.dumps(spec)
    for contract in (*CONSUMES, *PUBLISHES):
        assert contract.ROUTING_KEY in described, contract.ROUTING_KEY
