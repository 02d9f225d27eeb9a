"""The inspection follow-up register through its HTTP routes, on the real local MongoDB."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from services.evaluation.adapters.inspections_store import MongoInspectionStore
from services.evaluation.entrypoints.http_inspections import inspections_router
from shared.platform.service import build_runtime, create_app
from shared.platform.settings import Settings
from tests.support import as_caller

pytestmark = pytest.mark.integration

NOW = datetime(2027, 3, 15, 3, 0, tzinfo=UTC)  # 10:00 in Bangkok, fiscal year 2570
ROUND = {
    "inspection_id": "MOE-2570-1",
    "fiscal_year": 2570,
    "kind": "moe_policy",
    "round_no": 1,
    "title_th": "การตรวจราชการตามนโยบาย รอบที่ 1 ปีงบประมาณ พ.ศ. 2570",
    "inspected_on": "2027-01-20",
    "inspectors_th": ["นายสมศักดิ์ ตรวจการ"],
}
ISSUES = [
    {"issue_code": "1.2", "title_th": "การจัดการเรียนรู้", "findings_th": "ครูยังขาดสื่อ"},
    {"issue_code": "1.10", "title_th": "ความปลอดภัย", "findings_th": "มีแผนครบ"},
    {"issue_code": "2", "title_th": "การบริหารงบประมาณ"},
]


def recommendation(rec_id: str, issue: str, due_on: str, unit: str = "PP") -> dict[str, Any]:
    return {
        "recommendation_id": rec_id,
        "issue_code": issue,
        "text_th": f"ข้อเสนอแนะ {rec_id}",
        "responsible_unit": unit,
        "due_on": due_on,
    }


@pytest.fixture
async def api(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    # The platform's app (not started): it answers refusals as every service does.
    runtime = build_runtime("evaluation", settings)
    store = MongoInspectionStore(runtime.db)
    await store.create_indexes()
    app = create_app(runtime, stores=[store], title="inspections")
    app.include_router(inspections_router(store, as_caller("officer"), clock=lambda: NOW))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        yield http
    await runtime.mongo.close()


async def inspection_with_issues(api: httpx.AsyncClient) -> None:
    assert (await api.post("/inspections", json=ROUND)).status_code == 201
    for issue in ISSUES:
        assert (await api.post("/inspections/MOE-2570-1/issues", json=issue)).status_code == 201


def fields_of(response: httpx.Response) -> list[tuple[str, str]]:
    return [(d["loc"][-1], d["type"]) for d in response.json()["detail"]]


async def test_a_recommendation_goes_from_open_to_done(api: httpx.AsyncClient) -> None:
    await inspection_with_issues(api)
    added = await api.post(
        "/inspections/MOE-2570-1/recommendations", json=recommendation("R1", "1.2", "2027-06-30")
    )
    assert added.status_code == 201 and added.json()["status"] == "open"

    started = await api.post("/recommendations/R1/status", json={"to": "in_progress", "by": "PP"})
    assert started.json()["status"] == "in_progress"
    note = {"by": "PP", "note_th": "จัดซื้อสื่อแล้ว", "evidence": ["https://drive/x.pdf"]}
    noted = await api.post("/recommendations/R1/progress", json=note)
    assert noted.status_code == 200
    assert noted.json()["progress"][0]["evidence"] == ["https://drive/x.pdf"]
    done = await api.post(
        "/recommendations/R1/status", json={"to": "done", "by": "PP", "done_on": "2027-03-10"}
    )
    body = done.json()
    assert (body["status"], body["done_on"]) == ("done", "2027-03-10")
    assert [h["to_status"] for h in body["history"]] == ["in_progress", "done"]

    wrong = await api.post(
        "/recommendations/R1/status", json={"to": "not_applicable", "by": "PP", "reason_th": "x"}
    )
    assert wrong.status_code == 409 and fields_of(wrong) == [("status", "transition_not_allowed")]
    listed = await api.get(
        "/inspections/MOE-2570-1/recommendations", params={"responsible_unit": "PP"}
    )
    assert [(r["recommendation_id"], r["status"]) for r in listed.json()] == [("R1", "done")]
    assert (await api.get("/inspections", params={"fiscal_year": 2570})).json()[0] == ROUND
    assert (await api.get("/inspections", params={"fiscal_year": 2569})).json() == []


async def test_bad_recommendations_are_refused_with_the_field_at_fault(
    api: httpx.AsyncClient,
) -> None:
    await inspection_with_issues(api)
    path = "/inspections/MOE-2570-1/recommendations"
    early = await api.post(path, json=recommendation("R1", "1.2", "2027-01-01"))
    assert early.status_code == 422
    assert fields_of(early) == [("due_on", "due_before_inspection")]
    assert early.json()["detail"][0]["loc"] == ["body", "due_on"]

    unknown = await api.post(path, json=recommendation("R2", "9.9", "2027-01-01"))
    assert unknown.status_code == 422
    assert fields_of(unknown) == [
        ("issue_code", "unknown_issue"),
        ("due_on", "due_before_inspection"),
    ]
    extra = await api.post(path, json={**recommendation("R3", "1.2", "2027-06-30"), "x": 1})
    assert extra.status_code == 422 and extra.json()["detail"][0]["loc"] == ["body", "x"]
    nowhere = await api.post(
        "/inspections/NOPE/recommendations", json=recommendation("R4", "1.2", "2027-06-30")
    )
    assert nowhere.status_code == 404

    assert (await api.post(path, json=recommendation("R5", "1.2", "2027-06-30"))).is_success
    again = await api.post(path, json=recommendation("R5", "1.2", "2027-06-30"))
    assert again.status_code == 409
    no_reason = await api.post(
        "/recommendations/R5/status", json={"to": "not_applicable", "by": "PP"}
    )
    assert no_reason.status_code == 422
    assert fields_of(no_reason) == [("reason_th", "reason_required")]
    assert (await api.get(path)).json()[0]["status"] == "open", "nothing partial is written"
    missing = await api.post("/recommendations/NOPE/status", json={"to": "done", "by": "PP"})
    assert missing.status_code == 404
    outside = await api.post(
        "/inspections", json={**ROUND, "inspection_id": "X", "fiscal_year": 2569}
    )
    assert fields_of(outside) == [("inspected_on", "outside_fiscal_year")]


async def test_report_and_overdue(api: httpx.AsyncClient) -> None:
    await inspection_with_issues(api)
    path = "/inspections/MOE-2570-1/recommendations"
    for rec in (
        recommendation("R1", "1.2", "2027-02-28"),  # open, past due
        recommendation("R2", "1.10", "2027-03-01", unit="FIN"),  # in progress, past due
        recommendation("R3", "1.10", "2027-03-01"),  # not applicable: closed
        recommendation("R10", "1.2", "2027-03-15"),  # due today: not yet overdue
        recommendation("R4", "1.2", "2027-02-01"),  # done: closed
    ):
        assert (await api.post(path, json=rec)).status_code == 201
    await api.post("/recommendations/R2/status", json={"to": "in_progress", "by": "FIN"})
    closed = {"to": "not_applicable", "by": "PP", "reason_th": "ยุบโครงการแล้ว"}
    assert (await api.post("/recommendations/R3/status", json=closed)).is_success
    assert (
        await api.post("/recommendations/R4/status", json={"to": "done", "by": "PP"})
    ).is_success

    late = (await api.get("/recommendations/overdue")).json()
    assert [(o["recommendation_id"], o["days_overdue"]) for o in late] == [("R1", 15), ("R2", 14)]

    report = (await api.get("/inspections/MOE-2570-1/report")).json()
    assert report["as_of"] == "2027-03-15"
    assert [i["issue_code"] for i in report["issues"]] == ["1.2", "1.10", "2"]
    by_issue = {
        i["issue_code"]: [(r["recommendation_id"], r["status"]) for r in i["recommendations"]]
        for i in report["issues"]
    }
    assert by_issue == {
        "1.2": [("R1", "open"), ("R4", "done"), ("R10", "open")],
        "1.10": [("R2", "in_progress"), ("R3", "not_applicable")],
        "2": [],
    }
    assert report["counts"] == {
        "open": 2,
        "in_progress": 1,
        "done": 1,
        "not_applicable": 1,
        "total": 5,
        "overdue": 2,
    }
    assert report["complete"] is False
    assert report["missing"] == [
        {"issue_code": "2", "what": "findings"},
        {"issue_code": "2", "what": "recommendations"},
    ]
    assert (await api.get("/inspections/NOPE/report")).status_code == 404
