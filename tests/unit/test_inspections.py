"""Inspection follow-up: a recommendation's life, its rules, overdue once, the report."""

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from services.evaluation.domain.inspection_report import inspection_report
from services.evaluation.domain.inspections import (
    INSPECTION_KINDS_TH,
    InspectionError,
    InspectionIssue,
    ProgressNote,
    Recommendation,
    Status,
    add_progress,
    make_issue,
    make_recommendation,
    make_round,
    natural_key,
    overdue,
    transition,
)

INSPECTED_ON = date(2027, 1, 20)  # FY 2570, round 1
TODAY = date(2027, 3, 1)
ROUND = make_round(
    {
        "inspection_id": "2570-moe-1",
        "fiscal_year": 2570,
        "kind": "moe_policy",
        "round_no": 1,
        "title_th": "การตรวจราชการ รอบที่ 1 ปีงบประมาณ 2570",
        "inspected_on": INSPECTED_ON,
        "inspectors_th": ["ผู้ตรวจราชการเขตตรวจราชการที่ 9"],
    }
)
ISSUE_CODES = frozenset({"1", "2"})
OFFICER = "นางสาวสมใจ ใจดี"  # synthetic


def issue(code: str, findings_th: str | None = "พบว่าดำเนินการได้ตามแผน") -> InspectionIssue:
    return make_issue(
        {
            "issue_code": code,
            "inspection_id": ROUND.inspection_id,
            "title_th": f"ประเด็นที่ {code}",
            "findings_th": findings_th,
        },
        ROUND,
    )


def fields(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "recommendation_id": "R1",
        "inspection_id": ROUND.inspection_id,
        "issue_code": "1",
        "text_th": "ควรติดตามผลการดำเนินงานทุกไตรมาส",
        "responsible_unit": "กลุ่มนโยบายและแผน",
        "due_on": date(2027, 2, 15),
    }
    return data | changes


def rec(**changes: Any) -> Recommendation:
    return make_recommendation(fields(**changes), ROUND, ISSUE_CODES, TODAY)


def codes(error: pytest.ExceptionInfo[InspectionError]) -> list[tuple[str, str]]:
    return [(p.field, p.code) for p in error.value.problems]


# --- a recommendation's life ---------------------------------------------------------------


def test_open_to_in_progress_to_done() -> None:
    opened = rec()
    assert opened.status == "open"
    started = transition(opened, "in_progress", by=OFFICER, today=date(2027, 2, 1))
    done = transition(started, "done", by=OFFICER, today=TODAY, done_on=date(2027, 2, 20))
    assert (done.status, done.done_on) == ("done", date(2027, 2, 20))
    assert [(c.from_status, c.to_status, c.on) for c in done.history] == [
        ("open", "in_progress", date(2027, 2, 1)),
        ("in_progress", "done", TODAY),
    ]
    assert opened.status == "open"  # records are immutable: each step is a new one


def test_done_without_a_date_is_done_today() -> None:
    assert transition(rec(), "done", by=OFFICER, today=TODAY).done_on == TODAY


def test_reopening_done_needs_a_reason_and_clears_the_date_done() -> None:
    done = transition(rec(), "done", by=OFFICER, today=TODAY)
    with pytest.raises(InspectionError) as refused:
        transition(done, "in_progress", by=OFFICER, today=TODAY, reason_th="  ")
    assert codes(refused) == [("reason_th", "reason_required")]
    reopened = transition(done, "in_progress", by=OFFICER, today=TODAY, reason_th="หลักฐานไม่ครบ")
    assert (reopened.status, reopened.done_on) == ("in_progress", None)
    assert reopened.status_reason_th == "หลักฐานไม่ครบ"
    assert reopened.history[-1].reason_th == "หลักฐานไม่ครบ"


@pytest.mark.parametrize(
    ("start", "to"),
    [("in_progress", "open"), ("done", "done"), ("done", "not_applicable"), ("open", "open")],
)
def test_transitions_not_in_the_table_are_refused(start: Status, to: Status) -> None:
    current = rec().model_copy(update={"status": start})
    with pytest.raises(InspectionError) as refused:
        transition(current, to, by=OFFICER, today=TODAY, reason_th="เหตุผล")
    assert ("status", "transition_not_allowed") in codes(refused)


def test_transition_reports_every_problem_at_once() -> None:
    with pytest.raises(InspectionError) as refused:
        transition(
            rec(), "done", by=" ", today=TODAY, done_on=date(2027, 1, 1), inspected_on=INSPECTED_ON
        )
    assert codes(refused) == [("by", "required"), ("done_on", "done_on_before_inspection")]
    with pytest.raises(InspectionError) as refused:
        transition(rec(), "in_progress", by=OFFICER, today=TODAY, done_on=TODAY)
    assert codes(refused) == [("done_on", "done_on_not_done")]


def test_not_applicable_needs_a_reason() -> None:
    with pytest.raises(InspectionError) as refused:
        rec(status="not_applicable")
    assert codes(refused) == [("status_reason_th", "reason_required")]
    with pytest.raises(InspectionError) as refused:
        transition(rec(), "not_applicable", by=OFFICER, today=TODAY)
    assert codes(refused) == [("reason_th", "reason_required")]
    reason = "ไม่อยู่ในอำนาจหน้าที่ของสำนักงานเขตพื้นที่"
    closed = transition(rec(), "not_applicable", by=OFFICER, today=TODAY, reason_th=reason)
    assert (closed.status, closed.status_reason_th) == ("not_applicable", reason)
    assert rec(status="not_applicable", status_reason_th=reason).status == "not_applicable"


def test_progress_notes_are_kept_in_time_order_once_each() -> None:
    later = ProgressNote(
        at=datetime(2027, 2, 10, 3, 0, tzinfo=UTC), by="กลุ่มนโยบายและแผน", note_th="ประชุมแล้ว"
    )
    earlier = ProgressNote(
        at=datetime(2027, 2, 1, 3, 0, tzinfo=UTC),
        by="กลุ่มนโยบายและแผน",
        note_th="แต่งตั้งคณะทำงาน",
        evidence=("ev-0001", "https://example.org/minutes.pdf"),
    )
    noted = add_progress(add_progress(rec(), later), earlier)
    assert noted.progress == (earlier, later)
    assert add_progress(noted, later) == noted
    with pytest.raises(ValidationError):  # a time without a zone is ambiguous
        ProgressNote(at=datetime(2027, 2, 1, 9, 0), by="x", note_th="y")


# --- the rules of a recommendation, an issue and a round --------------------------------------


def test_due_before_the_inspection_is_refused() -> None:
    with pytest.raises(InspectionError) as refused:
        rec(due_on=INSPECTED_ON - timedelta(days=1))
    assert codes(refused) == [("due_on", "due_before_inspection")]
    assert rec(due_on=INSPECTED_ON).due_on == INSPECTED_ON


def test_every_problem_of_a_recommendation_is_listed() -> None:
    with pytest.raises(InspectionError) as refused:
        rec(
            inspection_id="2570-pmo-1",
            issue_code="9",
            due_on=date(2027, 1, 1),
            status="done",
            done_on=TODAY + timedelta(days=1),
        )
    assert codes(refused) == [
        ("inspection_id", "wrong_inspection"),
        ("issue_code", "unknown_issue"),
        ("due_on", "due_before_inspection"),
        ("done_on", "done_on_in_future"),
    ]
    assert all(p.message and p.message_th for p in refused.value.problems)


def test_done_needs_a_date_not_before_the_inspection() -> None:
    with pytest.raises(InspectionError) as refused:
        rec(status="done")
    assert codes(refused) == [("done_on", "done_on_required")]
    with pytest.raises(InspectionError) as refused:
        rec(status="done", done_on=INSPECTED_ON - timedelta(days=1))
    assert codes(refused) == [("done_on", "done_on_before_inspection")]
    with pytest.raises(InspectionError) as refused:
        rec(status="open", done_on=TODAY)
    assert codes(refused) == [("done_on", "done_on_not_done")]


def test_shape_problems_name_their_field() -> None:
    data = fields(text_th="  ", due_on="not a date")
    del data["responsible_unit"]
    with pytest.raises(InspectionError) as refused:
        make_recommendation(data, ROUND, ISSUE_CODES, TODAY)
    assert sorted(codes(refused)) == [
        ("due_on", "invalid"),
        ("responsible_unit", "required"),
        ("text_th", "invalid"),
    ]


def test_a_round_lies_in_its_fiscal_year_and_is_round_1_or_2() -> None:
    data = ROUND.model_dump() | {"inspected_on": date(2027, 10, 5)}  # FY 2571
    with pytest.raises(InspectionError) as refused:
        make_round(data)
    assert codes(refused) == [("inspected_on", "outside_fiscal_year")]
    with pytest.raises(InspectionError) as refused:
        make_round(ROUND.model_dump() | {"round_no": 3, "kind": "province"})
    assert sorted(codes(refused)) == [("kind", "invalid"), ("round_no", "invalid")]
    assert INSPECTION_KINDS_TH[ROUND.kind].startswith("การตรวจราชการ")


def test_an_issue_belongs_to_its_inspection() -> None:
    data = issue("1").model_dump() | {"inspection_id": "2570-pmo-1"}
    with pytest.raises(InspectionError) as refused:
        make_issue(data, ROUND)
    assert codes(refused) == [("inspection_id", "wrong_inspection")]


# --- overdue, announced once per recommendation and due date --------------------------------


def announce_daily(recs: list[Recommendation], days: range, claimed: set[str]) -> list[str]:
    """What a daily scheduler announces: every overdue key it claims first."""
    announced = []
    for offset in days:
        for item in overdue(recs, TODAY + timedelta(days=offset)):
            if item.key not in claimed:
                claimed.add(item.key)
                announced.append(item.key)
    return announced


def test_overdue_is_announced_once_per_recommendation_and_due_date() -> None:
    late = rec(recommendation_id="R1", due_on=TODAY - timedelta(days=3))
    finished = transition(
        rec(recommendation_id="R2", due_on=TODAY - timedelta(days=10)),
        "done",
        by=OFFICER,
        today=TODAY,
    )
    due_today = rec(recommendation_id="R3", due_on=TODAY)
    [item] = overdue([late, finished, due_today], TODAY)
    assert (item.recommendation_id, item.days_overdue, item.key) == ("R1", 3, "R1:2027-02-26")
    assert item.responsible_unit == "กลุ่มนโยบายและแผน"

    claimed: set[str] = set()
    assert announce_daily([late, finished, due_today], range(5), claimed) == [
        "R1:2027-02-26",
        "R3:2027-03-01",  # due today, overdue from tomorrow
    ]
    moved = late.model_copy(update={"due_on": TODAY + timedelta(days=10)})
    moved = make_recommendation(moved, ROUND, ISSUE_CODES, TODAY)
    assert announce_daily([moved], range(5, 20), claimed) == ["R1:2027-03-11"]


def test_a_done_or_not_applicable_recommendation_is_never_overdue() -> None:
    past = TODAY - timedelta(days=30)
    done = rec(due_on=past, status="done", done_on=past)
    skipped = rec(due_on=past, status="not_applicable", status_reason_th="ยกเลิกนโยบาย")
    started = rec(due_on=past, status="in_progress")
    assert [o.recommendation_id for o in overdue([done, skipped, started], TODAY)] == ["R1"]
    assert overdue([done, skipped], TODAY) == []


STATUSES = st.sampled_from(["open", "in_progress", "done", "not_applicable"])


@st.composite
def recommendations(draw: st.DrawFn) -> Recommendation:
    status = draw(STATUSES)
    due_on = INSPECTED_ON + timedelta(days=draw(st.integers(0, 120)))
    return Recommendation(
        recommendation_id=draw(st.sampled_from(["R1", "R2", "R3", "R10", "R11"])),
        inspection_id=ROUND.inspection_id,
        issue_code="1",
        text_th="ข้อเสนอแนะ",
        responsible_unit=draw(st.sampled_from(["กลุ่มนโยบายและแผน", "กลุ่มบริหารงานบุคคล"])),
        due_on=due_on,
        status=status,
        status_reason_th="เหตุผล" if status == "not_applicable" else None,
        done_on=due_on if status == "done" else None,
    )


@given(st.lists(recommendations(), max_size=20), st.integers(0, 150))
def test_overdue_keys_are_unique_and_only_open_past_due(
    recs: list[Recommendation], offset: int
) -> None:
    today = INSPECTED_ON + timedelta(days=offset)
    found = overdue(recs, today)
    keys = [o.key for o in found]
    assert len(keys) == len(set(keys))
    expected = {
        f"{r.recommendation_id}:{r.due_on.isoformat()}"
        for r in recs
        if r.status in ("open", "in_progress") and r.due_on < today
    }
    assert set(keys) == expected
    assert all(o.days_overdue == (today - o.due_on).days >= 1 for o in found)
    assert [o.key for o in overdue(reversed(recs), today)] == keys  # order of input is moot


# --- the inspection report ------------------------------------------------------------------


def test_report_lists_every_issue_in_order_with_follow_up_status() -> None:
    codes_ = frozenset({"1.2", "1.10", "2"})
    issues = [issue("2", findings_th=None), issue("1.10"), issue("1.2")]
    recs = [
        make_recommendation(fields(recommendation_id=rid, issue_code=code), ROUND, codes_, TODAY)
        for rid, code in [("R10", "1.2"), ("R2", "1.2"), ("R3", "1.10")]
    ]
    recs[1] = transition(recs[1], "in_progress", by=OFFICER, today=TODAY)
    report = inspection_report(ROUND, issues, recs, today=TODAY)

    assert [i["issue_code"] for i in report["issues"]] == ["1.2", "1.10", "2"]
    first = report["issues"][0]
    assert [r["recommendation_id"] for r in first["recommendations"]] == ["R2", "R10"]
    assert [r["status"] for r in first["recommendations"]] == ["in_progress", "open"]
    assert first["recommendations"][0]["status_th"] == "อยู่ระหว่างดำเนินการ"
    assert first["recommendations"][0]["days_overdue"] == 14
    assert report["counts"] == {
        "open": 2,
        "in_progress": 1,
        "done": 0,
        "not_applicable": 0,
        "total": 3,
        "overdue": 3,
    }
    assert report["complete"] is False
    assert report["missing"] == [
        {"issue_code": "2", "what": "findings"},
        {"issue_code": "2", "what": "recommendations"},
    ]
    assert report["kind_th"] == INSPECTION_KINDS_TH["moe_policy"]
    assert json.loads(json.dumps(report, ensure_ascii=False)) == report
    assert inspection_report(ROUND, reversed(issues), reversed(recs), today=TODAY) == report


def test_report_is_complete_when_every_issue_has_findings_and_a_recommendation() -> None:
    recs = [
        rec(recommendation_id="R1", issue_code="1"),
        rec(recommendation_id="R2", issue_code="2"),
    ]
    report = inspection_report(ROUND, [issue("1"), issue("2")], recs)
    assert (report["complete"], report["missing"]) == (True, [])
    assert report["as_of"] is None and report["counts"]["overdue"] is None
    blank = inspection_report(ROUND, [issue("1", findings_th="   "), issue("2")], recs)
    assert blank["missing"] == [{"issue_code": "1", "what": "findings"}]
    empty = inspection_report(ROUND, [], [])
    assert (empty["complete"], empty["missing"]) == (
        False,
        [{"issue_code": None, "what": "issues"}],
    )


def test_report_refuses_what_does_not_fit_the_inspection() -> None:
    stray = rec().model_copy(update={"issue_code": "3"})
    with pytest.raises(InspectionError) as refused:
        inspection_report(ROUND, [issue("1"), issue("1")], [rec(), stray])
    assert codes(refused) == [
        ("issue_code", "duplicate"),
        ("recommendation_id", "duplicate"),
        ("issue_code", "unknown_issue"),
    ]


def test_natural_order_of_codes() -> None:
    assert sorted(["10", "2", "1.10", "1.2", "๓"], key=natural_key) == [
        "1.2",
        "1.10",
        "2",
        "๓",
        "10",
    ]
