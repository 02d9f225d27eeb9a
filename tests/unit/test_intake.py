"""Intake's rules and its handler, with in-memory fakes of its ports."""

from typing import Any

from services.intake.domain.submission import check_values, submission_id
from services.intake.handlers import IntakePorts, receive_submission
from shared.contracts import Envelope
from tests.support import submitted


class FakeStore:
    def __init__(self) -> None:
        self.documents: dict[str, dict[str, Any]] = {}

    async def add(self, document: dict[str, Any]) -> bool:
        if document["_id"] in self.documents:
            return False
        self.documents[document["_id"]] = document
        return True

    async def get(self, submission_id: str) -> dict[str, Any] | None:
        return self.documents.get(submission_id)


def ports() -> tuple[IntakePorts, list[Envelope[Any]]]:
    published: list[Envelope[Any]] = []

    async def publish(envelope: Envelope[Any]) -> None:
        published.append(envelope)

    return IntakePorts(store=FakeStore(), publish=publish), published


def incoming(**overrides: Any) -> Envelope[dict[str, Any]]:
    raw = submitted(key="k-1")
    raw["data"].update(overrides)
    return Envelope[dict[str, Any]].model_validate(raw)


def test_keys_mongodb_cannot_store_are_reasons() -> None:
    reasons = check_values({"ok": 1, "$set": 2, "a.b": 3, "deep": {"x": {"$y": 1}}, "": 0})
    assert sorted(r.field for r in reasons) == [
        "values.",
        "values.$set",
        "values.a.b",
        "values.deep.x.$y",
    ]


def test_too_deep_nesting_is_a_reason() -> None:
    value: Any = 1
    for _ in range(12):
        value = {"n": value}
    assert [r.code for r in check_values(value)] == ["too_deep"]


def test_the_submission_id_is_stable_and_distinct() -> None:
    assert submission_id("u", "r", "f", "k") == submission_id("u", "r", "f", "k")
    assert submission_id("u", "r", "f", "k") != submission_id("u", "r", "f", "k2")


async def test_a_repeat_republishes_the_first_answer() -> None:
    intake, published = ports()
    first = await receive_submission(incoming(), "amqp", intake)
    again = await receive_submission(incoming(), "amqp", intake)
    assert first.type == "submission.accepted.v1"
    assert again.event_id == first.event_id
    assert len(published) == 2


async def test_the_same_key_with_other_content_is_a_conflict() -> None:
    intake, _ = ports()
    await receive_submission(incoming(), "amqp", intake)
    answer = await receive_submission(incoming(values={"other": 1}), "amqp", intake)
    assert answer.type == "submission.rejected.v1"
    assert [r.code for r in answer.data.reasons] == ["conflict"]
    stored = next(iter(intake.store.documents.values()))  # type: ignore[attr-defined]
    assert stored["values"] != {"other": 1}, "the original stands"


async def test_wrong_types_are_rejected_field_by_field() -> None:
    intake, _ = ports()
    answer = await receive_submission(
        incoming(form_version="two", round_id="Q1", values=[]), "amqp", intake
    )
    assert sorted(r.field for r in answer.data.reasons) == ["form_version", "round_id", "values"]
    assert intake.store.documents == {}  # type: ignore[attr-defined]
