"""Every contract round-trips and matches its committed JSON schema."""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError

from shared.contracts import (
    ALL_CONTRACTS,
    Contract,
    DeliveryDue,
    Envelope,
    EscalationDue,
    EvaluationCopiesRequested,
    EvaluationFinalised,
    EvaluationReopened,
    InspectionReportUpdated,
    ProblemUpdated,
    ProgressCopiesRequested,
    ProjectProgressUpdated,
    RatesUpdated,
    RecommendationOverdue,
    ReminderDue,
    ReplayRequested,
    ReportFailed,
    ReportRendered,
    ReportRequested,
    RoundProgressUpdated,
    SetupChanged,
    SetupResendRequested,
    SubmissionAccepted,
    SubmissionRejected,
    SubmissionReviewed,
    SubmissionSubmitted,
    make_envelope,
)
from shared.contracts.__main__ import render, schema_of, schema_path
from shared.contracts.evaluation import (
    CriterionOut,
    InspectionIssueOut,
    InspectionRecommendationOut,
    LevelOut,
    NodeOut,
    RecommendationOut,
    SubjectOut,
)
from shared.contracts.intake import Reason
from shared.contracts.monitoring import IndicatorProgress, Rates
from shared.contracts.setup import Unit

NOW = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
GOOD = LevelOut(position=3, label_th="ดี", label_en="good", score=Decimal(3))

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
    RatesUpdated: RatesUpdated(
        round_id="2570-Q1",
        form_id="action-plan-progress",
        scope_code="SESA-84",
        scope_type="office",
        rates=Rates(
            expected=120,
            received=100,
            on_time=90,
            late=10,
            missing=20,
            approved=50,
            returned=3,
            pending_review=47,
            rate=Decimal("83.33"),
            on_time_rate=Decimal("75"),
        ),
        late_units=("1084200101",),
        missing_units=("1084200102",),
        updated_at=NOW,
    ),
    ProjectProgressUpdated: ProjectProgressUpdated(
        project_code="P2570-01",
        round_id="2570-Q1",
        units_reporting=118,
        activity_counts={"done": 10, "in_progress": 100, "not_started": 8, "cancelled": 0},
        allocated_satang=125_000_050,
        spent_satang=40_000_000,
        disbursement_rate=Decimal("32.00"),
        expected_disbursement=Decimal("30"),
        budget_status="on_track",
        indicators=(
            IndicatorProgress(
                code="P2570-01-I1",
                name_th="ร้อยละนักเรียนอ่านคล่อง",
                unit_of_measure="ร้อยละ",
                direction="higher_is_better",
                round_actual=Decimal("61.5"),
                cumulative_actual=Decimal("61.5"),
                target=Decimal("60"),
                achievement=Decimal("102.50"),
                status="on_track",
            ),
        ),
        status="on_track",
        updated_at=NOW,
    ),
    ReminderDue: ReminderDue(
        round_id="2570-Q1",
        form_id="f",
        unit_code="1084200101",
        due_on=NOW.date(),
        days_overdue=3,
        slot=1,
    ),
    EscalationDue: EscalationDue(
        round_id="2570-Q1", form_id="f", units=("1084200101",), days_overdue=7, slot=2
    ),
    ReplayRequested: ReplayRequested(requested_by="monitoring", request_id="r-1"),
    ProblemUpdated: ProblemUpdated(
        problem_id="2570-Q1:f:1084200101",
        round_id="2570-Q1",
        form_id="f",
        unit_code="1084200101",
        fiscal_year=2570,
        problems="ครูไม่เพียงพอ",
        raised_at=NOW,
        updated_at=NOW,
    ),
    EvaluationFinalised: EvaluationFinalised(
        evaluation_id="AP2570-EVAL",
        evaluation_type="action_plan",
        fiscal_year=2570,
        title_th="การประเมินแผนปฏิบัติการประจำปี 2570",
        framework_id="ap-eval",
        framework_version=1,
        framework_title_th="กรอบการประเมินโครงการ",
        aggregation="mean",
        scale=(GOOD,),
        subject_kind="project",
        subjects=(
            SubjectOut(
                subject="P2570-01",
                name_th="โครงการพัฒนาการอ่าน",
                total=Decimal("3.25"),
                level=GOOD,
                nodes=(
                    NodeOut(
                        code="D1",
                        path="D1",
                        title_th="ผลผลิต",
                        depth=1,
                        weight=Decimal(100),
                        score=Decimal("3.25"),
                        level=GOOD,
                    ),
                ),
                criteria=(
                    CriterionOut(
                        code="C1",
                        path="D1.C1",
                        title_th="ผลผลิตตามเป้าหมาย",
                        levels={"A1": 3, "A2": 4},
                        score=Decimal("3.50"),
                        level=GOOD,
                        assessors=2,
                        spread=1,
                        stdev=Decimal("0.50"),
                    ),
                ),
            ),
        ),
        total=Decimal("3.25"),
        level=GOOD,
        strengths_th=("C1 ผลผลิตตามเป้าหมาย",),
        recommendations=(
            RecommendationOut(unit_code="SESA-84-PLAN", unit_name_th="กลุ่มนโยบาย", text_th="ติดตาม"),
        ),
        finalisation=1,
        finalised_by="officer",
        finalised_at=NOW,
    ),
    EvaluationReopened: EvaluationReopened(
        evaluation_id="AP2570-EVAL",
        fiscal_year=2570,
        reason_th="แก้ไขคะแนน",
        reopened_by="officer",
        reopened_at=NOW,
    ),
    RecommendationOverdue: RecommendationOverdue(
        recommendation_id="R1",
        inspection_id="I2570-1",
        responsible_unit="SESA-84-PLAN",
        due_on=NOW.date(),
        days_overdue=3,
    ),
    InspectionReportUpdated: InspectionReportUpdated(
        inspection_id="I2570-1",
        fiscal_year=2570,
        kind="moe_policy",
        kind_th="การตรวจราชการตามนโยบาย",
        round_no=1,
        title_th="การตรวจราชการรอบที่ 1",
        inspected_on=NOW.date(),
        as_of=NOW.date(),
        issues=(
            InspectionIssueOut(
                issue_code="1",
                title_th="การอ่าน",
                recommendations=(
                    InspectionRecommendationOut(
                        recommendation_id="R1",
                        text_th="เร่งรัด",
                        responsible_unit="SESA-84-PLAN",
                        due_on=NOW.date(),
                        status="open",
                        status_th="ยังไม่ดำเนินการ",
                    ),
                ),
            ),
        ),
        counts={"open": 1, "total": 1, "overdue": 0},
        complete=False,
        updated_at=NOW,
    ),
    ReportRequested: ReportRequested(
        request_id="req-1",
        report_type="round",
        format="pdf",
        round_id="2570-Q1",
        requested_by="officer",
        requested_at=NOW,
    ),
    ReportRendered: ReportRendered(
        request_id="req-1",
        report_type="round",
        format="pdf",
        file_name="รายงาน.pdf",
        content_type="application/pdf",
        size=1000,
        sha256="0" * 64,
        rendered_at=NOW,
    ),
    ProgressCopiesRequested: ProgressCopiesRequested(requested_by="reporting", request_id="r-1"),
    EvaluationCopiesRequested: EvaluationCopiesRequested(
        requested_by="reporting", request_id="r-1"
    ),
    ReportFailed: ReportFailed(
        request_id="req-1", report_type="round", format="pdf", reason="no round", failed_at=NOW
    ),
    DeliveryDue: DeliveryDue(
        delivery_id="1084000820:2026-12-02:0:email:saraban@school.example",
        digest_id="1084000820:2026-12-02:0",
        unit_code="1084000820",
        channel="email",
        address="saraban@school.example",
        day=date(2026, 12, 2),
    ),
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
        SAMPLES[RoundProgressUpdated], producer="test", correlation_id="c"
    ).model_dump(mode="json")
    sent["added_later"] = 1
    sent["data"]["also_new"] = "x"
    assert Envelope[RoundProgressUpdated].model_validate(sent).data.received == 2


def test_an_envelope_must_carry_the_payload_its_type_names() -> None:
    sent = make_envelope(SAMPLES[RoundProgressUpdated], producer="t", correlation_id="c")
    wrong = {**sent.model_dump(mode="json"), "type": "rates.updated.v1"}
    with pytest.raises(ValidationError, match="does not match"):
        Envelope[RoundProgressUpdated].model_validate(wrong)


def test_contracts_are_frozen() -> None:
    with pytest.raises(ValidationError):
        SAMPLES[RoundProgressUpdated].received = 1  # type: ignore[misc]


def test_routing_keys_are_versioned() -> None:
    with pytest.raises(ValueError, match=r"not <entity>\.<event>\.v<N>"):

        class Bad(Contract):
            ROUTING_KEY = "bad_key"
