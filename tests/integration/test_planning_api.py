"""Assignments and the work calendar through monitoring's API, on real servers."""

import pytest

from shared.platform.settings import Settings
from tests.integration.test_setup_api import FORM, office, school
from tests.support import monitoring_api

pytestmark = pytest.mark.integration

PLAN = {
    "plan_id": "AP2570",
    "plan_type": "action_plan",
    "name_th": "แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2570",
    "office_code": "SESA-T1",
    "first_fiscal_year": 2570,
    "last_fiscal_year": 2570,
    "form_id": "progress",
}
PROJECT = {
    "code": "P01",
    "plan_id": "AP2570",
    "name_th": "โครงการยกระดับผลสัมฤทธิ์ทางการเรียน",
    "responsible_unit": "SESA-T1-PP",
    "budget_satang": 50_000_000,
    "starts_on": "2026-10-01",
    "ends_on": "2027-09-30",
    "reporting_unit_types": ["school"],
}


async def test_assignments_follow_schools_that_close_and_open_mid_year(settings: Settings) -> None:
    async with monitoring_api(settings) as api:
        await office(api)  # schools 8401000001 and 8401000002
        closing = school("8401000002", active_to="2027-02-15")
        await api.put("/units/8401000002", json=closing)
        await api.post("/units", json=school("8401000003", active_from="2027-02-01"))
        await api.post("/fiscal-years/2570/standard-rounds")
        await api.post("/forms", json=FORM)
        await api.post("/forms/progress/versions/1/publish")
        await api.post("/plans", json=PLAN)
        await api.post("/projects", json=PROJECT)
        before = await api.post("/fiscal-years/2570/assignments/derive")
        assert before.json()["expected"] == 0, "a draft plan expects nothing"
        await api.post("/plans/AP2570/publish")
        first = (await api.post("/fiscal-years/2570/assignments/derive")).json()

        async def units_in(round_id: str) -> list[str]:
            found = await api.get("/assignments", params={"round_id": round_id})
            return [a["unit_code"] for a in found.json()]

        assert await units_in("2570-Q1") == ["8401000001", "8401000002", "SESA-T1-PP"]
        assert await units_in("2570-Q2") == ["8401000001", "8401000003", "SESA-T1-PP"]
        assert await units_in("2570-Q4") == ["8401000001", "8401000003", "SESA-T1-PP"]
        assert first["added"] == first["expected"] == 18

        override = {
            "override_id": "o-1",
            "action": "remove",
            "unit_code": "8401000001",
            "form_id": "progress",
            "effective_from": "2027-04-01",
            "reason_th": "โรงเรียนงดรายงานชั่วคราวเนื่องจากซ่อมอาคาร",
        }
        assert (await api.post("/assignment-overrides", json=override)).status_code == 201
        assert (await api.post("/assignment-overrides", json=override)).status_code == 409
        second = (await api.post("/fiscal-years/2570/assignments/derive")).json()
        assert second["removed"] == 3  # Q3, Q4 and the 12-month round
        assert await units_in("2570-Q3") == ["8401000003", "SESA-T1-PP"]
        again = (await api.post("/fiscal-years/2570/assignments/derive")).json()
        assert again["added"] == again["changed"] == again["removed"] == 0


async def test_the_work_calendar_tracks_each_step(settings: Settings) -> None:
    async with monitoring_api(settings) as api:
        templates = (await api.get("/process-templates")).json()
        assert len(templates) == 5
        opened = (await api.post("/fiscal-years/2570/work-calendar")).json()
        assert len(opened) == 5
        instance = opened[0]["instance_id"]
        missing_date = await api.put(
            f"/process-instances/{instance}/steps/1", json={"status": "done"}
        )
        assert missing_date.status_code == 422
        done = {
            "status": "done",
            "done_on": "2026-10-20",
            "evidence_note": "บันทึกการประชุม",
            "updated_by": "officer",
        }
        recorded = await api.put(f"/process-instances/{instance}/steps/1", json=done)
        assert recorded.status_code == 200
        assert recorded.json()["steps"][0]["status"] == "done"
        assert (
            await api.put(f"/process-instances/{instance}/steps/99", json=done)
        ).status_code == 422
        reopened = (await api.post("/fiscal-years/2570/work-calendar")).json()
        assert reopened[0]["steps"][0]["status"] == "done", "opening again keeps the progress"
