"""A small synthetic office set up through monitoring's API, with rounds open today."""

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from samples.load import send
from shared.platform.mongo import make_client
from shared.platform.settings import Settings
from shared.thai.calendar import fiscal_year
from tests.support import eventually

OFFICE = "SESA-T1"
GROUP = "SESA-T1-PP"
SCHOOLS = [f"84010000{n:02d}" for n in range(1, 11)]
PROJECT = "P01"
FORM_ID = "progress"
BUDGET_SATANG = 50_000_000  # 500,000 baht

FORM = {
    "form_id": FORM_ID,
    "title_th": "แบบติดตามผลการดำเนินงานตามแผนปฏิบัติการ",
    "fields": [
        {"key": "problems", "label_th": "ปัญหาอุปสรรค", "field_type": "text", "max_length": 2000},
        {"key": "evidence", "label_th": "เอกสาร/หลักฐาน", "field_type": "evidence"},
        {
            "key": "activity_status",
            "label_th": "สถานะการดำเนินงาน",
            "field_type": "activity_status",
            "scope": "project",
            "required": True,
        },
        {
            "key": "budget_spent",
            "label_th": "งบประมาณที่ใช้ (บาท)",
            "field_type": "money",
            "scope": "project",
            "minimum": 0,
        },
    ],
    "rules": [
        {
            "left": "budget_spent",
            "op": "<=",
            "right": "project.budget_satang",
            "message_th": "งบประมาณที่ใช้เกินงบที่ได้รับจัดสรร",
        }
    ],
}


def today() -> datetime:
    return datetime.now(UTC)


def round_body(round_id: str, opens: int, due: int, closes: int) -> dict[str, Any]:
    """A custom round whose dates are days relative to today (Thai date)."""
    day = (today() + timedelta(hours=7)).date()
    return {
        "round_id": round_id,
        "fiscal_year": fiscal_year(day),
        "round_type": "custom",
        "name_th": f"รอบทดสอบ {round_id}",
        "period_start": str(day - timedelta(days=60)),
        "period_end": str(day - timedelta(days=30)),
        "opens_on": str(day + timedelta(days=opens)),
        "due_on": str(day + timedelta(days=due)),
        "closes_on": str(day + timedelta(days=closes)),
    }


def rounds() -> dict[str, dict[str, Any]]:
    fy = fiscal_year((today() + timedelta(hours=7)).date())
    return {
        "open": round_body(f"{fy}-OPEN", -10, 10, 20),
        "late": round_body(f"{fy}-LATE", -20, -1, 10),
        "closed": round_body(f"{fy}-CLOSED", -30, -20, -1),
        "future": round_body(f"{fy}-FUTURE", 5, 20, 30),
    }


async def set_up(api: httpx.AsyncClient) -> dict[str, str]:
    """The office, its schools, four rounds, the form, a plan with one project, assignments."""
    units = [
        {"code": "OBEC", "unit_type": "obec", "name_th": "สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน"},
        {
            "code": OFFICE,
            "unit_type": "office",
            "name_th": "สำนักงานเขตพื้นที่การศึกษาทดสอบ",
            "parent_code": "OBEC",
        },
        {"code": GROUP, "unit_type": "group", "name_th": "กลุ่มนโยบายและแผน", "parent_code": OFFICE},
        *(
            {
                "code": code,
                "unit_type": "school",
                "name_th": f"โรงเรียนบ้านทดสอบ{code[-2:]}",
                "parent_code": OFFICE,
            }
            for code in SCHOOLS
        ),
    ]
    for body in units:
        _ok(await send(api, "POST", "/units", json=body))
    made = rounds()
    for body in made.values():
        _ok(await send(api, "POST", "/rounds", json=body))
    _ok(await send(api, "POST", "/forms", json=FORM))
    _ok(await send(api, "POST", f"/forms/{FORM_ID}/versions/1/publish"))
    fy = made["open"]["fiscal_year"]
    plan = {
        "plan_id": "AP",
        "plan_type": "action_plan",
        "name_th": "แผนปฏิบัติการทดสอบ",
        "office_code": OFFICE,
        "first_fiscal_year": fy,
        "last_fiscal_year": fy,
        "form_id": FORM_ID,
        "status": "published",
    }
    _ok(await send(api, "POST", "/plans", json=plan))
    project = {
        "code": PROJECT,
        "plan_id": "AP",
        "name_th": "โครงการส่งเสริมการอ่าน",
        "responsible_unit": GROUP,
        "budget_satang": BUDGET_SATANG,
        "starts_on": made["open"]["period_start"],
        "ends_on": made["open"]["period_end"],
        "reporting_unit_types": ["school"],
    }
    _ok(await send(api, "POST", "/projects", json=project))
    _ok(await send(api, "POST", f"/fiscal-years/{fy}/assignments/derive"))
    return {name: body["round_id"] for name, body in made.items()}


async def copy_holds_assignments(settings: Settings, service: str = "intake") -> None:
    """Wait until `service`'s copy of the set-up holds the derived assignments."""
    client = make_client(settings.mongodb_url)
    copy = client[settings.database_of(service)]["setup_copy"]
    try:
        await eventually(
            lambda: copy.count_documents({"entity": "assignment"}),
            lambda n: n >= len(SCHOOLS) * 4,
        )
    finally:
        await client.close()


def values(status: str = "in_progress", spent: str = "1,250.50", **extra: Any) -> dict[str, Any]:
    return {
        "problems": "ครูไม่เพียงพอ",
        "projects": {PROJECT: {"activity_status": status, "budget_spent": spent}},
        **extra,
    }


def _ok(response: httpx.Response) -> None:
    assert response.status_code < 300, (
        f"{response.request.url}: {response.status_code} {response.text}"
    )
