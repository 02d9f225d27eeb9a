"""Monitoring's set-up API against real RabbitMQ and MongoDB."""

import json
from typing import Any

import httpx
import pytest

from shared.platform.settings import Settings
from tests.office import FORM
from tests.support import amqp_channel, monitoring_api, take_all

pytestmark = pytest.mark.integration

OBEC = {"code": "OBEC", "unit_type": "obec", "name_th": "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน"}
OFFICE = {
    "code": "SESA-T1",
    "unit_type": "office",
    "name_th": "สำนักงานเขตพื้นที่การศึกษามัธยมศึกษาทดสอบ",
    "parent_code": "OBEC",
    "province": "สุราษฎร์ธานี",
}
GROUP = {
    "code": "SESA-T1-PP",
    "unit_type": "group",
    "name_th": "กลุ่มนโยบายและแผน",
    "parent_code": "SESA-T1",
}


def school(code: str, **extra: Any) -> dict[str, Any]:
    return {
        "code": code,
        "unit_type": "school",
        "name_th": f"โรงเรียนทดสอบ{code[-2:]}",
        "parent_code": "SESA-T1",
        **extra,
    }


async def office(api: httpx.AsyncClient) -> None:
    for unit in (OBEC, OFFICE, GROUP, school("8401000001"), school("8401000002")):
        assert (await api.post("/units", json=unit)).status_code == 201, unit


def problems(response: httpx.Response) -> dict[str, str]:
    return {".".join(map(str, d["loc"][1:])): d["type"] for d in response.json()["detail"]}


async def test_units_are_validated_and_listed(settings: Settings) -> None:
    async with monitoring_api(settings) as api:
        await office(api)
        assert (await api.post("/units", json=OFFICE)).status_code == 409
        bad = await api.post("/units", json=school("84010001", colour="red", parent_code="NOPE"))
        assert bad.status_code == 422
        assert problems(bad) == {"colour": "extra_forbidden"}
        short = await api.post("/units", json=school("84010001"))
        assert short.status_code == 422 and "10 digits" in short.text
        unknown_parent = await api.post("/units", json=school("8401000003", parent_code="NOPE"))
        assert problems(unknown_parent) == {"parent_code": "unknown_reference"}
        wrong_parent = await api.post("/units", json=school("8401000003", parent_code="SESA-T1-PP"))
        assert problems(wrong_parent) == {"parent_code": "wrong_parent_type"}
        schools = (await api.get("/units", params={"unit_type": "school"})).json()
        assert [s["code"] for s in schools] == ["8401000001", "8401000002"]
        closed = school("8401000002", active_to="2027-02-15")
        assert (await api.put("/units/8401000002", json=closed)).status_code == 200
        assert (await api.get("/units/8401000002")).json()["active_to"] == "2027-02-15"
        assert (await api.put("/units/8401000009", json=school("8401000009"))).status_code == 404


async def test_plans_projects_indicators_refer_to_what_exists(settings: Settings) -> None:
    async with monitoring_api(settings) as api:
        await office(api)
        rounds = await api.post("/fiscal-years/2570/standard-rounds")
        assert [r["round_id"] for r in rounds.json()] == [
            "2570-Q1",
            "2570-Q2",
            "2570-Q3",
            "2570-Q4",
            "2570-H1",
            "2570-Y",
        ]
        plan = {
            "plan_id": "AP2570",
            "plan_type": "action_plan",
            "name_th": "แผนปฏิบัติการ 2570",
            "office_code": "SESA-T1",
            "first_fiscal_year": 2570,
            "last_fiscal_year": 2570,
        }
        assert (await api.post("/plans", json=plan)).status_code == 201
        project = {
            "code": "P01",
            "plan_id": "AP2570",
            "name_th": "โครงการส่งเสริมการอ่าน",
            "responsible_unit": "SESA-T1-PP",
            "budget_satang": 125_000_050,
            "starts_on": "2026-10-01",
            "ends_on": "2027-09-30",
            "reporting_unit_types": ["school"],
        }
        assert (await api.post("/projects", json=project)).status_code == 201
        orphan = {**project, "code": "P02", "plan_id": "NOPE", "responsible_unit": "NOBODY"}
        assert problems(await api.post("/projects", json=orphan)) == {
            "plan_id": "unknown_reference",
            "responsible_unit": "unknown_reference",
        }
        indicator = {
            "code": "P01-I1",
            "project_code": "P01",
            "name_th": "ร้อยละนักเรียนอ่านคล่อง",
            "unit_of_measure": "ร้อยละ",
            "indicator_type": "percent",
            "year_target": "80",
            "round_targets": {"2570-Q2": 40, "2571-Q1": 10},
        }
        response = await api.post("/indicators", json=indicator)
        assert problems(response) == {"round_targets.2571-Q1": "unknown_reference"}
        del indicator["round_targets"]["2571-Q1"]  # type: ignore[attr-defined]
        assert (await api.post("/indicators", json=indicator)).status_code == 201
        too_much = {**indicator, "code": "P01-I2", "year_target": 120}
        assert (await api.post("/indicators", json=too_much)).status_code == 422
        published = await api.post("/plans/AP2570/publish")
        assert published.json()["entity"]["status"] == "published"
        listed = await api.get("/indicators", params={"project_code": "P01"})
        assert [i["code"] for i in listed.json()] == ["P01-I1"]


async def test_a_published_form_version_never_changes(settings: Settings) -> None:
    async with monitoring_api(settings) as api, amqp_channel(settings.amqp_url) as channel:
        draft = await api.post("/forms", json=FORM)
        assert draft.status_code == 201 and draft.json()["version"] == 1
        edited = {**FORM, "title_th": "แบบติดตาม (ปรับปรุง)"}
        assert (await api.put("/forms/progress/versions/1", json=edited)).status_code == 200
        assert (await api.post("/forms", json=FORM)).status_code == 409, "one draft at a time"
        assert (await api.post("/forms/progress/versions/1/publish")).status_code == 200
        frozen = await api.put("/forms/progress/versions/1", json=FORM)
        assert frozen.status_code == 409 and problems(frozen) == {"version": "immutable"}
        second = await api.post("/forms", json={**FORM, "title_th": "รุ่นที่ 2"})
        assert second.json()["version"] == 2
        await api.post("/forms/progress/versions/2/publish")
        versions = (await api.get("/forms/progress/versions")).json()
        assert [(v["version"], v["title_th"]) for v in versions] == [
            (1, "แบบติดตาม (ปรับปรุง)"),
            (2, "รุ่นที่ 2"),
        ]
        queue = f"{settings.namespace}.intake.setup-changed-v1"
        announced = [json.loads(m.body)["data"] for m in await take_all(channel, queue)]
    forms = [a["entity"] for a in announced if a["entity"]["entity"] == "form"]
    assert [(f["version"], f["status"]) for f in forms] == [(1, "published"), (2, "published")]
    bad_rule = {**FORM, "form_id": "x", "rules": [{**FORM["rules"][0], "left": "nope"}]}  # type: ignore[dict-item]
    async with monitoring_api(settings) as api:
        assert (await api.post("/forms", json=bad_rule)).status_code == 422
