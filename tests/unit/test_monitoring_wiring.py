"""Monitoring's real wiring (`assemble`) driven with in-memory fakes of its ports.

FastStream's in-memory broker delivers to the subscribers `assemble` registered from the
CONSUMES table; nothing here needs RabbitMQ or MongoDB (the integration tier has them).
"""

import json
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from faststream.rabbit import TestRabbitBroker

from services.monitoring.adapters.read_models import STATE, rollup_of
from services.monitoring.bootstrap import assemble
from services.monitoring.domain.assignments import AssignmentOverride
from services.monitoring.domain.progress import Tally, progress_id
from services.monitoring.entrypoints.amqp import CONSUMES, PUBLISHES
from services.monitoring.handlers.ports import MonitoringPorts
from services.monitoring.handlers.reminders import remind
from services.monitoring.handlers.setup import save_entity
from shared.contracts import Envelope, SubmissionAccepted
from shared.contracts.intake import SubmissionReviewed
from shared.contracts.refusals import Refusal
from shared.contracts.setup import Assignment, Round, SetupChanged, SetupModel, Unit
from shared.platform.outbox import OUTBOX, relay
from shared.platform.service import Runtime, build_runtime
from shared.platform.settings import Settings
from shared.thai.calendar import thai_today
from shared.thai.work_manual import ProcessInstance
from tests.fakes import OFFICER, FakeCredentials, FakeOutbox, stored
from tests.support import accepted_event

NOW = datetime(2026, 1, 20, 3, 0, tzinfo=UTC)  # 10:00 in Bangkok, before any test runs
FORM = "progress"
SCHOOL = "8401000001"


def _matches(entity: SetupModel, where: dict[str, Any]) -> bool:
    for name, wanted in where.items():
        value = getattr(entity, name, None)
        if isinstance(wanted, dict) and "$in" in wanted:
            if value not in wanted["$in"]:
                return False
        elif value != wanted:
            return False
    return True


class FakeSetupStore:
    """The set-up store over a dict: `{"<kind>:<key>": {revision, deleted, shared, entity,
    outbox, outbox_at}}`."""

    def __init__(self, *entities: SetupModel) -> None:
        self.documents: dict[str, dict[str, Any]] = {}
        self.outbox = FakeOutbox(self.documents, "setup")
        self.revision = 0
        for entity in entities:
            self.documents[self.document_id(entity.entity, entity.key)] = {
                "revision": 0,
                "deleted": False,
                "shared": True,
                "entity": entity,
                OUTBOX: [],
            }

    async def memo(self, name: str, build: Any) -> Any:
        return await build()

    async def next_revision(self) -> int:
        self.revision += 1
        return self.revision

    @staticmethod
    def document_id(kind: str, key: str) -> str:
        return f"{kind}:{key}"

    async def save(self, change: SetupChanged, event: Envelope[SetupChanged] | None) -> None:
        self.documents[self.document_id(change.entity.entity, change.key)] = {
            "revision": change.revision,
            "deleted": change.deleted,
            "shared": event is not None,
            "entity": change.entity,
            **(stored(event) if event is not None else {OUTBOX: []}),
        }

    def _change(self, held: dict[str, Any]) -> SetupChanged:
        entity = held["entity"]
        return SetupChanged(
            revision=held["revision"], key=entity.key, deleted=held["deleted"], entity=entity
        )

    async def current(self, kind: str, key: str) -> SetupChanged | None:
        held = self.documents.get(self.document_id(kind, key))
        return self._change(held) if held else None

    def _live(self, kind: str) -> list[SetupModel]:
        found = [
            d["entity"]
            for d in self.documents.values()
            if d["entity"].entity == kind and not d["deleted"]
        ]
        return sorted(found, key=lambda e: e.key)

    async def get(self, kind: str, key: str) -> SetupModel | None:
        held = self.documents.get(self.document_id(kind, key))
        return held["entity"] if held and not held["deleted"] else None

    async def find(self, kind: str, keys: Iterable[str]) -> dict[tuple[str, str], SetupModel]:
        wanted = set(keys)
        field = "form_id" if kind == "form" else "key"
        return {
            (kind, getattr(e, field)): e for e in self._live(kind) if getattr(e, field) in wanted
        }

    async def keys(self, kind: str) -> set[str]:
        field = "form_id" if kind == "form" else "key"
        return {getattr(e, field) for e in self._live(kind)}

    async def search(
        self, kind: str, where: dict[str, Any] | None = None, skip: int = 0, limit: int = 0
    ) -> list[SetupModel]:
        found = [e for e in self._live(kind) if _matches(e, where or {})][skip:]
        return found[:limit] if limit else found

    async def changed_after(self, revision: int) -> AsyncIterator[SetupChanged]:
        held = sorted(self.documents.values(), key=lambda d: d["revision"])
        for document in held:
            if document["revision"] > revision and document["shared"]:
                yield self._change(document)


class FakeReadModels:
    """Monitoring's read models as dicts (no sequence guards: one writer at a time here)."""

    def __init__(self) -> None:
        self.submissions: dict[str, dict[str, Any]] = {}
        self.rates: dict[str, dict[str, Any]] = {}
        self.projects: dict[str, dict[str, Any]] = {}
        self.due: dict[str, dict[str, Any]] = {}
        self.problems: dict[str, dict[str, Any]] = {}
        self.resolutions: dict[str, dict[str, Any]] = {}
        self.counters: dict[str, int] = {}

    async def record_version(self, event: SubmissionAccepted) -> None:
        held = self.submissions.setdefault(event.submission_id, {"_id": event.submission_id})
        first = held.get("first_accepted_at")
        held.update(
            round_id=event.round_id,
            unit_code=event.unit_code,
            form_id=event.form_id,
            first_accepted_at=min(first, event.accepted_at) if first else event.accepted_at,
            values=event.values,
            values_version=event.version,
            status="submitted",
        )

    async def record_review(self, event: SubmissionReviewed) -> bool:
        held = self.submissions.get(event.submission_id)
        if held is None:
            return False
        held["status"] = event.action
        return True

    async def received(self, round_ids: Iterable[str]) -> set[tuple[str, str, str]]:
        wanted = set(round_ids)
        return {
            (s["round_id"], s["form_id"], s["unit_code"])
            for s in self.submissions.values()
            if s["round_id"] in wanted
        }

    async def sequence(self, key: str) -> int:
        self.counters[key] = self.counters.get(key, 0) + 1
        return self.counters[key]

    async def mark_projects_due(self, round_id: str, form_id: str, codes: Iterable[str]) -> None:
        for code in codes:
            self.due[f"{round_id}|{form_id}|{code}"] = {
                "_id": f"{round_id}|{form_id}|{code}",
                "round_id": round_id,
                "form_id": form_id,
                "project_code": code,
                "due_at": datetime.now(UTC),
            }

    async def projects_due(self) -> list[dict[str, Any]]:
        return list(self.due.values())

    async def projects_done(self, marks: Iterable[dict[str, Any]]) -> None:
        for mark in marks:
            if self.due.get(mark["_id"], {}).get("due_at") == mark["due_at"]:
                del self.due[mark["_id"]]

    async def submissions_by_id(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        wanted = set(ids)
        return {
            sid: doc
            for sid, doc in self.submissions.items()
            if sid in wanted and "first_accepted_at" in doc
        }

    async def unit_rows_by_id(self, ids: Iterable[str]) -> list[dict[str, Any]]:
        wanted = set(ids)
        return sorted(
            (row for key, row in self.rates.items() if key in wanted),
            key=lambda row: row["unit_code"],
        )

    async def submissions_of(self, round_ids: Iterable[str], form_id: str) -> list[dict[str, Any]]:
        wanted = set(round_ids)
        return [
            s
            for s in self.submissions.values()
            if s["round_id"] in wanted and s["form_id"] == form_id
        ]

    async def put_unit_rows(self, rows: list[dict[str, Any]]) -> None:
        self.rates.update({row["_id"]: row for row in rows})

    async def unit_rows(
        self, round_id: str, form_id: str, scope: str | None = None
    ) -> list[dict[str, Any]]:
        return sorted(
            (
                r
                for r in self.rates.values()
                if r["kind"] == "unit"
                and (r["round_id"], r["form_id"]) == (round_id, form_id)
                and (scope is None or scope in r["ancestors"])
            ),
            key=lambda r: r["unit_code"],
        )

    async def put_rollup_units(
        self, round_id: str, form_id: str, scope: str, scope_type: str, rows: list[dict[str, Any]]
    ) -> dict[str, Any]:
        key = f"rollup:{round_id}:{form_id}:{scope}"
        held = self.rates.setdefault(key, {"kind": "rollup", "units": {}})
        held.update(round_id=round_id, form_id=form_id, scope_code=scope, scope_type=scope_type)
        held["updated_at"] = datetime.now(UTC)
        for row in rows:
            entry = {"sequence": row["sequence"], **{n: row[n] for n in STATE}}
            now = held["units"].get(row["unit_code"])
            if now is None or now["sequence"] < entry["sequence"]:
                held["units"][row["unit_code"]] = entry
        return rollup_of(held)

    async def drop_rollup_units(
        self, round_id: str, form_id: str, scope: str, unit_codes: Iterable[str]
    ) -> dict[str, Any]:
        held = self.rates[f"rollup:{round_id}:{form_id}:{scope}"]
        for code in unit_codes:
            held["units"].pop(code, None)
        return rollup_of(held)

    async def rollups(self, round_id: str, form_id: str | None = None) -> list[dict[str, Any]]:
        return [
            rollup_of(r)
            for _, r in sorted(self.rates.items())
            if r["kind"] == "rollup"
            and r["round_id"] == round_id
            and form_id in (None, r["form_id"])
        ]

    async def rollups_of_scope(
        self, round_id: str, scope: str, form_ids: Iterable[str]
    ) -> list[dict[str, Any]]:
        ids = sorted({f"rollup:{round_id}:{form_id}:{scope}" for form_id in form_ids})
        return [rollup_of(self.rates[i]) for i in ids if i in self.rates]

    async def put_project(self, row: dict[str, Any]) -> None:
        self.projects[row["_id"]] = row

    async def projects_of(self, round_id: str) -> list[dict[str, Any]]:
        return [p for p in self.projects.values() if p["round_id"] == round_id]

    async def put_problem(self, row: dict[str, Any]) -> None:
        self.problems[row["_id"]] = row

    async def problems_of(self, fiscal_year: int) -> list[dict[str, Any]]:
        return [p for _, p in sorted(self.problems.items()) if p["fiscal_year"] == fiscal_year]

    async def problems_by_id(self, ids: Iterable[str]) -> list[dict[str, Any]]:
        return [self.problems[i] for i in sorted(set(ids)) if i in self.problems]

    async def problem(self, problem_id: str) -> dict[str, Any] | None:
        return self.problems.get(problem_id)

    async def resolve(self, problem_id: str, resolution: dict[str, Any]) -> bool:
        if problem_id not in self.problems:
            return False
        self.resolutions[problem_id] = {"_id": problem_id, **resolution}
        return True

    async def resolved(self, problem_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        return {i: self.resolutions[i] for i in problem_ids if i in self.resolutions}


class FakeProgress:
    def __init__(self) -> None:
        self.rows: dict[str, dict[str, Any]] = {}
        self.counted: set[str] = set()

    async def count(self, tally: Tally) -> dict[str, Any]:
        row = self.rows.setdefault(progress_id(tally.round_id, tally.unit_code), {})
        if tally.item not in self.counted:
            self.counted.add(tally.item)
            for name, value in tally.increments.items():
                row[name] = row.get(name, 0) + value
        return row


class FakePlanning:
    def __init__(self) -> None:
        self.overrides: dict[str, AssignmentOverride] = {}
        self.processes: dict[str, ProcessInstance] = {}

    async def add_override(self, override: AssignmentOverride) -> bool:
        if override.override_id in self.overrides:
            return False
        self.overrides[override.override_id] = override
        return True

    async def remove_override(self, override_id: str) -> bool:
        return self.overrides.pop(override_id, None) is not None

    async def overrides_in_order(self) -> list[AssignmentOverride]:
        return list(self.overrides.values())

    async def add_process(self, instance: ProcessInstance) -> bool:
        return self.processes.setdefault(instance.instance_id, instance) is instance

    async def save_process(self, instance: ProcessInstance) -> None:
        self.processes[instance.instance_id] = instance

    async def process(self, instance_id: str) -> ProcessInstance | None:
        return self.processes.get(instance_id)

    async def processes_of(self, fiscal_year: int) -> list[ProcessInstance]:
        return [p for p in self.processes.values() if p.fiscal_year == fiscal_year]


class FakeClaimLog:
    """Claims with their event in the outbox, at most one per key."""

    def __init__(self) -> None:
        self.claims: dict[str, dict[str, Any]] = {}
        self.outbox = FakeOutbox(self.claims, "reminder_log")

    async def claim(self, key: str, event: Envelope[Any], now: datetime | None = None) -> bool:
        if key in self.claims:
            return False
        self.claims[key] = {**stored(event), "outbox_at": now or datetime.now(UTC)}
        return True


class FakeLease:
    held = True

    async def acquire(self, now: datetime | None = None) -> bool:
        return self.held


def a_round(due: date) -> Round:
    return Round(
        round_id="2570-Q1",
        fiscal_year=2570,
        round_type="quarter",
        name_th="ไตรมาสที่ 1",
        period_start=date(2026, 10, 1),
        period_end=date(2026, 12, 31),
        opens_on=due - timedelta(days=20),
        due_on=due,
        closes_on=due + timedelta(days=30),
    )


def office(due: date) -> tuple[SetupModel, ...]:
    return (
        Unit(code="OBEC", unit_type="obec", name_th="สพฐ."),
        Unit(code="SESA", unit_type="office", name_th="สพม.", parent_code="OBEC"),
        Unit(code=SCHOOL, unit_type="school", name_th="โรงเรียน", parent_code="SESA"),
        a_round(due),
        Assignment(round_id="2570-Q1", form_id=FORM, unit_code=SCHOOL),
    )


def monitoring_ports(
    *entities: SetupModel, progress: Any = None
) -> tuple[MonitoringPorts, list[Envelope[Any]]]:
    """Monitoring's ports on fakes holding these set-up entities; and what they publish."""
    published: list[Envelope[Any]] = []

    async def publish(envelope: Envelope[Any]) -> None:
        published.append(envelope)

    # The fakes' outboxes are FakeOutbox, the platform's Outbox over a dict.
    ports = MonitoringPorts(
        setup=FakeSetupStore(*entities),  # type: ignore[arg-type]
        read=FakeReadModels(),
        progress=progress or FakeProgress(),
        planning=FakePlanning(),
        reminder_log=FakeClaimLog(),  # type: ignore[arg-type]
        lease=FakeLease(),
        publish=publish,
        credentials=FakeCredentials(),
        clock=lambda: NOW,
    )
    return ports, published


def wired(*entities: SetupModel) -> tuple[Any, Runtime, MonitoringPorts, list[Envelope[Any]]]:
    ports, published = monitoring_ports(*entities)
    runtime = build_runtime("monitoring", Settings(TIDTAM_NAMESPACE="wiring"))
    return assemble(runtime, ports), runtime, ports, published


def accepted(submission_id: str) -> Envelope[SubmissionAccepted]:
    return accepted_event(submission_id, SCHOOL, FORM, NOW)


async def test_a_submission_event_reaches_the_handler_the_table_names() -> None:
    _, runtime, ports, published = wired(*office(thai_today(NOW) + timedelta(days=5)))
    async with TestRabbitBroker(runtime.broker) as broker:
        await broker.publish(
            accepted("s-1").model_dump(mode="json"),
            exchange=runtime.topology.rabbit_exchange(),
            routing_key="submission.accepted.v1",
        )
    assert isinstance(ports.progress, FakeProgress)
    assert ports.progress.rows == {f"2570-Q1:{SCHOOL}": {"received": 1}}
    kinds = [e.type for e in published]
    assert kinds[0] == "progress.updated.v1"
    assert "rates.updated.v1" in kinds
    school = next(e.data for e in published if e.type == "rates.updated.v1")
    assert (school.scope_code, school.rates.on_time) == (SCHOOL, 1)


async def test_a_copies_request_announces_the_rates_again() -> None:
    _, runtime, _, published = wired(*office(thai_today(NOW) + timedelta(days=5)))
    async with TestRabbitBroker(runtime.broker) as broker:
        await broker.publish(
            {
                "event_id": "00000000-0000-0000-0000-000000000001",
                "type": "progress-copies.resend-requested.v1",
                "schema_version": 1,
                "occurred_at": NOW.isoformat(),
                "correlation_id": "copies",
                "producer": "reporting",
                "data": {"requested_by": "reporting", "request_id": "r-1"},
            },
            exchange=runtime.topology.rabbit_exchange(),
            routing_key="progress-copies.resend-requested.v1",
        )
    assert {e.data.scope_code for e in published if e.type == "rates.updated.v1"} == {
        SCHOOL,
        "SESA",
    }


async def test_http_and_asyncapi_through_the_assembled_app() -> None:
    app, _, ports, published = wired()
    transport = httpx.ASGITransport(app=app)
    obec = {"code": "OBEC", "unit_type": "obec", "name_th": "สพฐ."}
    async with httpx.AsyncClient(
        transport=transport, base_url="http://monitoring", headers=OFFICER
    ) as api:
        created = await api.post("/units", json=obec)
        again = await api.post("/units", json=obec)
        no_round = await api.get("/dashboard/rounds/2570-Q9")
        spec = (await api.get("/asyncapi.json")).json()
    assert created.status_code == 201, created.text
    assert [e.type for e in published] == ["setup.changed.v1"]
    assert isinstance(ports.setup, FakeSetupStore)
    assert ports.setup.documents["unit:OBEC"][OUTBOX] == [], "announced: out of the outbox"
    assert again.status_code == 409
    assert again.json() == {
        "detail": [
            {
                "loc": ["body", "key"],
                "msg": "unit 'OBEC' exists",
                "type": "duplicate",
                "field": "key",
                "code": "duplicate",
                "message": "unit 'OBEC' exists",
            }
        ]
    }
    assert no_round.status_code == 404
    described = json.dumps(spec)
    for contract in (*CONSUMES, *PUBLISHES):
        assert contract.ROUTING_KEY in described, contract.ROUTING_KEY


async def test_a_change_whose_announcement_failed_is_relayed_from_the_outbox() -> None:
    ports, published = monitoring_ports()
    down = True

    async def flaky(envelope: Envelope[Any]) -> None:
        if down:
            raise ConnectionError("broker down")
        published.append(envelope)

    ports.publish = flaky
    unit = Unit(code="OBEC", unit_type="obec", name_th="สพฐ.")
    with pytest.raises(ConnectionError):
        await save_entity(unit, ports, creating=True)
    assert await ports.setup.get("unit", "OBEC") == unit, "stored, with its event"
    down = False
    assert await relay(ports.publish, [ports.setup.outbox], older_than=timedelta(0)) == 1
    assert [(e.type, e.data["key"]) for e in published] == [("setup.changed.v1", "OBEC")]
    assert await relay(ports.publish, [ports.setup.outbox], older_than=timedelta(0)) == 0


async def test_a_refused_write_is_one_refusal_with_its_problems() -> None:
    ports, published = monitoring_ports()
    orphan = Unit(code="SESA", unit_type="office", name_th="สพม.", parent_code="OBEC")
    with pytest.raises(Refusal) as refused:
        await save_entity(orphan, ports, creating=True)
    assert refused.value.kind == "invalid"
    assert [(p.field, p.code) for p in refused.value.problems] == [
        ("parent_code", "unknown_reference")
    ]
    assert published == []


async def test_reminders_are_claimed_then_announced_once_and_relayed_after_a_failure() -> None:
    ports, published = monitoring_ports(*office(thai_today(NOW)))
    assert await remind(ports) == 1
    assert [(e.type, e.data.unit_code) for e in published] == [("reminder.due.v1", SCHOOL)]
    assert await remind(ports) == 0, "claimed already: never twice"
    assert isinstance(ports.reminder_log, FakeClaimLog)
    assert all(not claim[OUTBOX] for claim in ports.reminder_log.claims.values())

    # A claim whose publish failed waits in the log's outbox for the relay.
    ports, published = monitoring_ports(*office(thai_today(NOW)))

    async def down(envelope: Envelope[Any]) -> None:
        raise ConnectionError("broker down")

    ports.publish = down
    with pytest.raises(ConnectionError):
        await remind(ports)

    async def up(envelope: Envelope[Any]) -> None:
        published.append(envelope)

    relayed = await relay(up, [ports.reminder_log.outbox], older_than=timedelta(0))
    assert relayed == 1 and [e.type for e in published] == ["reminder.due.v1"]
    assert await remind(ports) == 0


async def test_no_lease_no_reminders() -> None:
    ports, published = monitoring_ports(*office(thai_today(NOW)))
    assert isinstance(ports.lease, FakeLease)
    ports.lease.held = False
    assert await remind(ports) == 0 and published == []
