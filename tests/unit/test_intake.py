"""Intake's rules and its submission handler, with in-memory fakes of its ports."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from services.intake.domain.review import may_correct, review
from services.intake.domain.submission import check_values, submission_id
from services.intake.domain.window import timing
from services.intake.handlers.ports import IntakePorts
from services.intake.handlers.submissions import receive_submission
from shared.contracts import Envelope
from shared.contracts.refusals import Refusal
from shared.contracts.setup import Assignment, Form, Project, Round, SetupModel
from tests.fakes import FakeOutbox, stored
from tests.office import FORM
from tests.support import submitted

NOW = datetime(2026, 11, 26, 3, 0, tzinfo=UTC)  # 10:00 in Bangkok


def a_round(opens: int, due: int, closes: int) -> Round:
    day = date(2026, 11, 26)
    return Round(
        round_id="2570-R1",
        fiscal_year=2570,
        round_type="custom",
        name_th="รอบทดสอบ",
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
        opens_on=day + timedelta(days=opens),
        due_on=day + timedelta(days=due),
        closes_on=day + timedelta(days=closes),
    )


class FakeStore:
    """Heads and versions in dicts, with the real store's answers."""

    def __init__(self) -> None:
        self.heads: dict[str, dict[str, Any]] = {}
        self.documents: dict[str, dict[str, Any]] = {}  # versions, by version id
        self.outbox = FakeOutbox(self.heads)
        self.version_outbox = FakeOutbox(self.documents)

    @property
    def outboxes(self) -> tuple[FakeOutbox, ...]:
        return (self.version_outbox, self.outbox)

    async def get(self, sid: str) -> dict[str, Any] | None:
        return self.heads.get(sid)

    def last_seen(self, sid: str) -> dict[str, Any] | None:
        return self.heads.get(sid)

    async def version_of_key(self, sid: str, key: str) -> dict[str, Any] | None:
        return next((v for v in self.documents.values() if v["key_id"] == f"{sid}|{key}"), None)

    async def history(self, sid: str) -> dict[str, Any] | None:
        head = self.heads.get(sid)
        mine = [v for v in self.documents.values() if v["submission_id"] == sid]
        return None if head is None else {**head, "versions": mine}

    async def add_version(
        self, head: dict[str, Any], seen: str | None, version: dict[str, Any], event: Envelope[Any]
    ) -> str:
        sid = head["_id"]
        if await self.version_of_key(sid, version["submission_key"]):
            return "repeat"
        vid = f"{sid}#{version['version']}"
        if vid in self.documents:
            return "taken"
        held = self.heads.get(sid)
        if seen is not None and (held is None or held["status"] != seen):
            return "changed"
        self.documents[vid] = {
            "submission_id": sid,
            "key_id": f"{sid}|{version['submission_key']}",
            **version,
            "answer": event.model_dump(mode="json"),
            **stored(event),
        }
        self.heads.setdefault(sid, {**head, "reviews": [], "version_count": 0})
        self.heads[sid].update(status="submitted", version_count=version["version"])
        return "stored"


class FakeSetup:
    def __init__(self, *entities: SetupModel) -> None:
        self.entities = {(e.entity, e.key): e for e in entities}

    async def get(self, kind: str, key: str) -> SetupModel | None:
        return self.entities.get((kind, key))

    async def search(self, kind: str, where: dict[str, Any] | None = None) -> list[SetupModel]:
        return [e for (k, _), e in self.entities.items() if k == kind]


def ports(round_: Round) -> tuple[IntakePorts, list[Envelope[Any]]]:
    published: list[Envelope[Any]] = []

    async def publish(envelope: Envelope[Any]) -> None:
        published.append(envelope)

    form = Form.model_validate({**FORM, "version": 1, "status": "published"})
    project = Project(
        code="P01",
        plan_id="AP",
        name_th="โครงการ",
        responsible_unit="G",
        budget_satang=50_000_000,
        starts_on=date(2026, 10, 1),
        ends_on=date(2027, 9, 30),
    )
    assignment = Assignment(
        round_id=round_.round_id, form_id="progress", unit_code="8401000001", project_codes=("P01",)
    )
    setup = FakeSetup(round_, form, project, assignment)
    return IntakePorts(
        store=FakeStore(), setup=setup, publish=publish, clock=lambda: NOW
    ), published


async def send(intake: IntakePorts, key: str, correlation_id: str = "c", **values: Any) -> Any:
    event = submitted("8401000001", "2570-R1", key=key, values=values or None)
    return await receive_submission(
        event["data"], channel="amqp", correlation_id=correlation_id, cause=key, ports=intake
    )


def test_keys_mongodb_cannot_store_are_reasons() -> None:
    reasons = check_values({"ok": 1, "$set": 2, "a.b": 3, "deep": {"x": {"$y": 1}}, "": 0})
    assert sorted(r.field for r in reasons) == [
        "values.",
        "values.$set",
        "values.a.b",
        "values.deep.x.$y",
    ]


def test_one_submission_per_unit_round_and_form() -> None:
    assert (
        submission_id("u", "r", "f") == submission_id("u", "r", "f") != submission_id("u", "r", "g")
    )


def test_the_round_window_in_thai_dates() -> None:
    assert timing(a_round(-1, 1, 2), NOW) == "on_time"
    assert timing(a_round(-3, -1, 2), NOW) == "late"
    assert timing(a_round(-3, -2, -1), NOW) == "closed"
    assert timing(a_round(1, 2, 3), NOW) == "not_open"
    # The round closes on 25 Nov: 23:30 that day in Bangkok is still in; 00:30 is out.
    assert timing(a_round(-3, -2, -1), datetime(2026, 11, 25, 16, 30, tzinfo=UTC)) == "late"
    assert timing(a_round(-3, -2, -1), datetime(2026, 11, 25, 17, 30, tzinfo=UTC)) == "closed"


def test_review_transitions() -> None:
    assert review("submitted", "approved", None) == "approved"
    assert review("approved", "reopened", None) == "reopened"
    with pytest.raises(Refusal):
        review("submitted", "returned", "  ")
    with pytest.raises(Refusal):
        review("returned", "approved", None)
    assert not may_correct("approved") and may_correct("returned")


async def test_repeat_conflict_and_correction() -> None:
    intake, published = ports(a_round(-1, 1, 2))
    first = await send(intake, "k1", correlation_id="first")
    again = await send(intake, "k1", correlation_id="second")
    assert (first.outcome, again.outcome) == ("accepted", "repeat")
    assert first.envelope.event_id == again.envelope.event_id
    assert first.envelope.data == again.envelope.data, "the same answer"
    assert [e.correlation_id for e in published] == ["first", "second"], "under the new id"
    changed = {"projects": {"P01": {"activity_status": "done"}}}
    assert (await send(intake, "k1", **changed)).outcome == "conflict"
    correction = await send(intake, "k2", **changed)
    assert correction.outcome == "accepted" and correction.envelope.data.version == 2
    stored = next(iter(intake.store.documents.values()))  # type: ignore[attr-defined]
    assert stored["outbox"] == [], "every stored event was published"
    assert [e.type for e in published].count("submission.accepted.v1") == 3


async def test_late_and_closed_rounds() -> None:
    late, _ = ports(a_round(-3, -1, 2))
    assert (await send(late, "k")).envelope.data.late is True
    closed, _ = ports(a_round(-3, -2, -1))
    answer = await send(closed, "k")
    assert answer.outcome == "rejected"
    assert [r.code for r in answer.envelope.data.reasons] == ["round_closed"]
