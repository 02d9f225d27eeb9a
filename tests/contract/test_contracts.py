"""Every contract round-trips and matches its committed JSON schema."""

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from shared.contracts import (
    ALL_CONTRACTS,
    Contract,
    Envelope,
    RoundProgressUpdated,
    ScoreRecorded,
    SetupChanged,
    SetupResendRequested,
    SubmissionAccepted,
    SubmissionRejected,
    SubmissionReviewed,
    SubmissionSubmitted,
    make_envelope,
)
from shared.contracts.__main__ import render, schema_of, schema_path
from shared.contracts.intake import Reason
from shared.contracts.setup import Unit

NOW = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)

SAMPLES: dict[type[Contract], Contract] = {
    SubmissionSubmitted: SubmissionSubmitted(
        submission_key="k-1",
        unit_code="1084200101",
        round_id="2570-Q1",
        form_id="action-plan-progress",
        form_version=1,
        submitted_at=NOW,
        submitter="ครูมาลี ตัวอย่าง",
        values={"activity_status": "done", "budget_spent_satang": 125000_00},
    ),
    SubmissionAccepted: SubmissionAccepted(
        submission_id="s-1",
        submission_key="k-1",
        unit_code="1084200101",
        round_id="2570-Q1",
        form_id="action-plan-progress",
        form_version=1,
        submitted_at=NOW,
        accepted_at=NOW,
        channel="amqp",
    ),
    SubmissionRejected: SubmissionRejected(
        submission_key="k-2",
        rejected_at=NOW,
        channel="http",
        reasons=[Reason(field="values.budget_spent", code="too_large", message="เกินงบ")],
    ),
    SubmissionReviewed: SubmissionReviewed(
        submission_id="s-1",
        unit_code="1084200101",
        round_id="2570-Q1",
        form_id="action-plan-progress",
        version=2,
        action="returned",
        reviewer="นางสาวตัวอย่าง ผู้ตรวจ",
        comment="กรุณาแนบหลักฐาน",
        reviewed_at=NOW,
    ),
    RoundProgressUpdated: RoundProgressUpdated(
        round_id="2570-Q1", unit_code="1084200101", received=2, rejected=1, late=0, updated_at=NOW
    ),
    ScoreRecorded: ScoreRecorded(
        round_id="2570-Q1", unit_code="1084200101", score=70, level="ดี", recorded_at=NOW
    ),
    SetupChanged: SetupChanged(
        revision=7,
        key="1084200101",
        entity=Unit(
            code="1084200101",
            unit_type="school",
            name_th="โรงเรียนบ้านตัวอย่าง",
            parent_code="SESA-T1",
            active_to=NOW.date(),
        ),
    ),
    SetupResendRequested: SetupResendRequested(requested_by="intake", after_revision=0),
}


def test_every_contract_has_a_sample() -> None:
    assert set(SAMPLES) == set(ALL_CONTRACTS)


@pytest.mark.parametrize("contract", ALL_CONTRACTS, ids=lambda c: c.ROUTING_KEY)
def test_round_trips_through_json(contract: type[Contract]) -> None:
    sent = make_envelope(SAMPLES[contract], producer="test", correlation_id="c-1")
    received = Envelope[contract].model_validate_json(sent.model_dump_json())  # type: ignore[valid-type]
    assert received == sent
    assert received.type == contract.ROUTING_KEY
    assert received.schema_version == contract.schema_version()


@pytest.mark.parametrize("contract", ALL_CONTRACTS, ids=lambda c: c.ROUTING_KEY)
def test_matches_the_committed_schema(contract: type[Contract]) -> None:
    committed = schema_path(contract)
    assert committed.exists(), f"run `make schemas` to write {committed}"
    assert committed.read_text(encoding="utf-8") == render(schema_of(contract)), (
        f"{contract.__name__} changed: if on purpose, run `make schemas` and commit the diff "
        "(a breaking change needs a new version beside the old)"
    )


def test_consumers_ignore_fields_they_do_not_know() -> None:
    sent: dict[str, Any] = make_envelope(
        SAMPLES[ScoreRecorded], producer="test", correlation_id="c"
    ).model_dump(mode="json")
    sent["added_later"] = 1
    sent["data"]["also_new"] = "x"
    assert Envelope[ScoreRecorded].model_validate(sent).data.score == 70


def test_an_envelope_must_carry_the_payload_its_type_names() -> None:
    sent = make_envelope(SAMPLES[ScoreRecorded], producer="t", correlation_id="c")
    wrong = {**sent.model_dump(mode="json"), "type": "progress.updated.v1"}
    with pytest.raises(ValidationError, match="does not match"):
        Envelope[ScoreRecorded].model_validate(wrong)


def test_contracts_are_frozen() -> None:
    with pytest.raises(ValidationError):
        SAMPLES[ScoreRecorded].score = 1  # type: ignore[misc]


def test_routing_keys_are_versioned() -> None:
    with pytest.raises(ValueError, match=r"not <entity>\.<event>\.v<N>"):

        class Bad(Contract):
            ROUTING_KEY = "bad_key"
