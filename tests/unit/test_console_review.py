"""The console's reviewing, scoring and follow-up pages: their pure parts, and every word
they hand to a page has English."""

import re
from datetime import date

from samples.demo import framework
from services.console.domain import assess, follow_up, review
from services.console.domain.text import Speech
from services.console.entrypoints.http_evaluation import DONE_TH as EVALUATION_DONE_TH
from services.console.entrypoints.http_evaluation import SAVED_TH
from services.console.entrypoints.http_follow_up import DONE_TH as FOLLOW_UP_DONE_TH
from shared.contracts.setup import Form, FormField, Round

THAI = re.compile("[\u0e00-\u0e7f]")
ENGLISH = Speech(language="en")
FIVE = {
    "scale_id": "five-level",
    "levels": [
        {"position": n, "label_th": th, "label_en": en, "score": str(n)}
        for n, (th, en) in enumerate(
            [
                ("กำลังพัฒนา", "developing"),
                ("ปานกลาง", "fair"),
                ("ดี", "good"),
                ("ดีเลิศ", "very good"),
                ("ยอดเยี่ยม", "excellent"),
            ],
            start=1,
        )
    ],
}


def _round(round_id: str, start: str, end: str) -> Round:
    return Round(
        round_id=round_id,
        fiscal_year=2570,
        round_type="quarter",
        name_th=round_id,
        period_start=date.fromisoformat(start),
        period_end=date.fromisoformat(end),
        opens_on=date.fromisoformat(end),
        due_on=date.fromisoformat(end),
        closes_on=date.fromisoformat(end),
    )


def test_the_previous_round_is_the_one_that_ended_before_this_began() -> None:
    q1 = _round("2570-Q1", "2026-10-01", "2026-12-31")
    q2 = _round("2570-Q2", "2027-01-01", "2027-03-31")
    half = _round("2570-H1", "2026-10-01", "2027-03-31")
    assert review.previous_round([q1, q2, half], q2) == q1
    assert review.previous_round([q1, q2, half], q1) is None


def test_a_report_is_shown_in_baht_and_thai_beside_the_previous_round() -> None:
    form = Form(
        form_id="f",
        version=1,
        title_th="แบบ",
        fields=(
            FormField(key="problems", label_th="ปัญหา", field_type="text"),
            FormField(key="budget_spent", label_th="งบที่ใช้", field_type="money", scope="project"),
            FormField(
                key="activity_status",
                label_th="สถานะ",
                field_type="activity_status",
                scope="project",
            ),
        ),
    )
    now = {
        "problems": "ครูไม่พอ",
        "projects": {"P1": {"budget_spent": 125000050, "activity_status": "done"}},
    }
    before = {"projects": {"P1": {"budget_spent": 100000, "activity_status": "in_progress"}}}
    found = review.lines(form, now, before, {"P1": "โครงการหนึ่ง"})
    assert [(line.section, line.now, line.before) for line in found] == [
        ("", "ครูไม่พอ", "–"),
        ("P1 โครงการหนึ่ง", "1,250,000.50", "1,000.00"),
        ("P1 โครงการหนึ่ง", "ดำเนินการแล้ว", "กำลังดำเนินการ"),
    ]
    assert all(line.changed for line in found)


def test_the_queue_holds_only_reports_awaiting_review_late_ones_if_asked() -> None:
    rows = [
        {
            "unit_code": "B",
            "status": "submitted",
            "submission_id": "b",
            "late": True,
            "first_received_at": "2027-01-02",
        },
        {
            "unit_code": "A",
            "status": "submitted",
            "submission_id": "a",
            "late": False,
            "first_received_at": "2027-01-01",
        },
        {"unit_code": "C", "status": "approved", "submission_id": "c", "late": False},
        {"unit_code": "D", "status": "missing", "submission_id": None, "late": False},
    ]
    assert [r["unit_code"] for r in review.awaiting(rows, False)] == ["A", "B"]
    assert [r["unit_code"] for r in review.awaiting(rows, True)] == ["B"]


def test_a_card_shows_what_each_level_means_and_the_proposal_with_its_basis() -> None:
    results = {
        "subjects": [
            {
                "subject": "P1",
                "criteria": [
                    {
                        "criterion_code": "C2",
                        "proposal": {
                            "achievement": "87.5",
                            "round_id": "2570-Q1",
                            "level": {"position": 4, "label_th": "ดีเลิศ"},
                        },
                    }
                ],
            }
        ]
    }
    mine = [
        {
            "criterion_code": "C1",
            "subject": "P1",
            "level_position": 3,
            "status": "draft",
            "comment_th": "ดี",
            "override_reason_th": None,
        }
    ]
    assignments = [{"assessor_id": "a", "criterion_code": c, "subject": "P1"} for c in ("C2", "C1")]
    found = assess.cards(framework(), FIVE, results, mine, assignments, {"P1": "โครงการ"})
    assert [c.key for c in found] == ["C1|P1", "C2|P1"], "in the framework's order"
    rubric, indicator = found
    assert (rubric.level, rubric.status, rubric.proposed) == (3, "draft", None)
    assert indicator.proposed == 4 and "ร้อยละ 87.50" in indicator.basis_th
    assert [lv.meaning_th for lv in indicator.levels] == [
        "ต่ำกว่าร้อยละ 50.00",
        "ตั้งแต่ร้อยละ 50.00",
        "ตั้งแต่ร้อยละ 65.00",
        "ตั้งแต่ร้อยละ 80.00",
        "ตั้งแต่ร้อยละ 95.00",
    ]
    assert ENGLISH.tr(indicator.basis_th) == (
        "mean achievement of the project's indicators 87.50% (round 2570-Q1)"
    )


def test_the_page_forms_become_evaluations_requests() -> None:
    form = {"c0-level": "4", "c0-reason": " หลักฐานเพิ่ม ", "c1-level": ""}
    assert assess.score_body("C1|P1", form, 0, "submitted") == {
        "criterion_code": "C1",
        "subject": "P1",
        "level_position": 4,
        "comment_th": None,
        "status": "submitted",
        "override_reason_th": "หลักฐานเพิ่ม",
    }
    assert assess.score_body("C2|P1", form, 1, "draft") is None
    ticks = {"a:C1:P1:somchai": "1", "a:C2:P1:somsri": "1", "csrf": "x"}
    assert assess.assignments_from(ticks) == [
        {"criterion_code": "C1", "subject": "P1", "assessor_id": "somchai"},
        {"criterion_code": "C2", "subject": "P1", "assessor_id": "somsri"},
    ]
    assert assess.lines_of(" หนึ่ง \n\n สอง ") == ("หนึ่ง", "สอง")
    assert assess.lines_of("  ") is None


def test_the_register_puts_overdue_first_and_groups_by_issue_or_unit() -> None:
    def rec(rid: str, unit: str, due: str, status: str = "open") -> dict[str, object]:
        return {
            "recommendation_id": rid,
            "inspection_id": "I",
            "issue_code": "1",
            "responsible_unit": unit,
            "due_on": due,
            "status": status,
        }

    recs = [
        rec("late-done", "U1", "2027-01-01", "done"),
        rec("soon", "U2", "2027-02-10"),
        rec("late", "U2", "2027-01-15"),
    ]
    found = follow_up.followed(
        recs, {"I": "ตรวจ"}, {("I", "1"): "งบ"}, {"U2": "กลุ่ม"}, date(2027, 2, 1)
    )
    assert [f.rec["recommendation_id"] for f in found] == ["late", "soon", "late-done"]
    assert found[0].overdue and found[0].days_left == -17 and not found[2].overdue
    by_unit = follow_up.grouped(found, "unit")
    assert [title for title, _ in by_unit] == ["U2 กลุ่ม", "U1 U1"]
    assert follow_up.evidence_links(["evidence:abc", "https://x.example/a", "บันทึก"]) == [
        ("/evidence/abc", "abc"),
        ("https://x.example/a", "https://x.example/a"),
        ("", "บันทึก"),
    ]


def test_every_word_these_pages_are_handed_has_english() -> None:
    words = [
        *review.ACTIVITY_TH.values(),
        *review.ACTION_TH.values(),
        *review.DONE_TH.values(),
        *assess.STATUS_TH.values(),
        *assess.MEASURE_TH.values(),
        *follow_up.STATUS_TH.values(),
        *EVALUATION_DONE_TH.values(),
        *FOLLOW_UP_DONE_TH.values(),
        *(text.format(n=3) for text in SAVED_TH.values()),
        "ต่ำกว่าร้อยละ 50.00",
        "ตั้งแต่ร้อยละ 95.00",
        "ใช่",
        "ไม่",
    ]
    missing = [w for w in words if ENGLISH.tr(w) == w or THAI.search(ENGLISH.tr(w))]
    assert missing == []
