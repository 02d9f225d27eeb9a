"""A demo's worth of activity for the running system, after `samples.load --demo-round`:

    python -m samples.demo

- most units of the sample office report the demo round (`2570-DEMO`), some with problems,
  published as `submission.submitted.v1` as another system would;
- once monitoring's progress has reached evaluation, an action plan evaluation of every
  project: a framework (rubric criteria and criteria from indicators), three assessors
  scoring every criterion, the criteria they disagreed on discussed, finalised;
- the mid-year evaluation of the same plan, scored by two assessors and waiting for the
  demo staff's assessor (`samples.staff`), who scores it on the console's `/assess`;
- an inspection by the Ministry with three issues and their recommendations, one overdue.

So every report has data to show. It prints an officer's key for evaluation and the report
requests to try. Running it again changes nothing already there. Everything is synthetic.
"""

import argparse
import asyncio
import json
import random
import sys
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

import aio_pika
import httpx

from samples.load import send
from samples.office import FISCAL_YEAR, SampleOffice, generate_office
from samples.progress import progress_values
from samples.staff import ASSESSOR
from shared.contracts.setup import Plan
from shared.platform.credentials import MongoCredentialStore
from shared.platform.mongo import make_client
from shared.platform.settings import Settings
from shared.platform.topology import Topology
from shared.thai.calendar import fiscal_year_period

ROUND = f"{FISCAL_YEAR}-DEMO"
EVALUATION = f"AP{FISCAL_YEAR}-DEMO"
FRAMEWORK = "ap-demo"
INSPECTION = f"MOE-{FISCAL_YEAR}-1"
ASSESSORS = ("A1", "A2", "A3")
# The mid-year evaluation: A1 and A2 have scored it, the demo staff's assessor has not.
OPEN_EVALUATION = f"AP{FISCAL_YEAR}-DEMO-6M"
CRITERIA = ("C1", "C2", "C3", "C4")
T = TypeVar("T")


class DemoError(Exception):
    pass


async def _until(probe: Callable[[], Awaitable[T]], done: Callable[[T], bool], seconds: float) -> T:
    deadline = time.monotonic() + seconds
    while True:
        value = await probe()
        if done(value) or time.monotonic() > deadline:
            return value
        await asyncio.sleep(1)


def _ok(response: httpx.Response, *also: int) -> httpx.Response:
    if response.status_code >= 400 and response.status_code not in also:
        raise DemoError(
            f"{response.request.method} {response.request.url.path}: "
            f"{response.status_code} {response.text[:300]}"
        )
    return response


async def _key(
    settings: Settings,
    role: str,
    unit: str,
    assessor: str | None = None,
    service: str = "evaluation",
) -> str:
    client = make_client(settings.mongodb_url)
    try:
        store = MongoCredentialStore(client[settings.database_of(service)])
        key, _ = await store.issue(unit, role, f"demo {assessor or role}", assessor)
    finally:
        await client.close()
    return key


async def report_round(settings: Settings, monitoring: str, office: SampleOffice, seed: int) -> int:
    """Most units report the demo round; returns how many reports were sent."""
    officer = await _key(settings, "officer", office.office_code, service="monitoring")
    headers = {"Authorization": f"Bearer {officer}"}
    async with httpx.AsyncClient(base_url=monitoring, timeout=60, headers=headers) as api:
        listed = await send(api, "GET", "/assignments", params={"round_id": ROUND, "limit": 10000})
        assignments = _ok(listed).json()
    rng = random.Random(f"demo:{seed}")
    values = progress_values(office, assignments, rng)
    forms = {a["unit_code"]: a["form_id"] for a in assignments}
    reporting = sorted(values)
    rng.shuffle(reporting)
    reporting = sorted(reporting[: len(reporting) * 3 // 4])
    topology = Topology(settings.namespace)
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
        exchange = await channel.get_exchange(topology.events_exchange)
        for unit in reporting:
            data = {
                "submission_key": f"demo-{unit}",
                "unit_code": unit,
                "round_id": ROUND,
                "form_id": forms[unit],
                "form_version": 1,
                "submitted_at": datetime.now(UTC).isoformat(),
                "submitter": "เจ้าหน้าที่ธุรการโรงเรียน (สาธิต)",
                "values": values[unit],
            }
            envelope = {
                "event_id": str(uuid.uuid4()),
                "type": "submission.submitted.v1",
                "schema_version": 1,
                "occurred_at": datetime.now(UTC).isoformat(),
                "correlation_id": f"demo-{unit}",
                "producer": "school-system-demo",
                "data": data,
            }
            await exchange.publish(
                aio_pika.Message(
                    json_bytes(envelope),
                    content_type="application/json",
                    delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                ),
                routing_key="submission.submitted.v1",
            )
    return len(reporting)


def json_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode()


def framework() -> dict[str, Any]:
    """Outputs and outcomes against targets, and efficiency: rubric and indicator criteria."""
    thresholds = ["50", "65", "80", "95"]

    def criterion(code: str, title: str, weight: int, measure: str | None) -> dict[str, Any]:
        scoring: dict[str, Any] = {"kind": "rubric"}
        if measure is not None:
            scoring = {"kind": "from_indicator", "measure": measure, "thresholds": thresholds}
        return {"code": code, "title_th": title, "weight": weight, "scoring": scoring}

    return {
        "framework_id": FRAMEWORK,
        "title_th": "กรอบการประเมินผลโครงการตามแผนปฏิบัติการประจำปี (สาธิต)",
        "evaluation_type": "action_plan",
        "scale_id": "five-level",
        "aggregation": "mean",
        "nodes": [
            {
                "code": "D1",
                "title_th": "ผลผลิตและผลลัพธ์",
                "weight": 60,
                "children": [
                    criterion("C1", "ผลผลิตเป็นไปตามเป้าหมายของโครงการ", 50, None),
                    criterion("C2", "ผลลัพธ์ตามตัวชี้วัดเทียบกับค่าเป้าหมาย", 50, "project_indicators"),
                ],
            },
            {
                "code": "D2",
                "title_th": "ประสิทธิภาพ",
                "weight": 40,
                "children": [
                    criterion("C3", "การบริหารจัดการโครงการ", 50, None),
                    criterion("C4", "ผลสัมฤทธิ์เทียบกับงบประมาณที่ใช้", 50, "budget_efficiency"),
                ],
            },
        ],
    }


async def evaluate(settings: Settings, evaluation: str, office: SampleOffice, seed: int) -> str:
    """The action plan evaluation, scored by three assessors and finalised; the mid-year one,
    scored by two and waiting for the demo staff's assessor. The officer's key."""
    plan = next(p for p in office.plans if p.plan_type == "action_plan")
    officer = await _key(settings, "officer", plan.office_code)
    headers = {"Authorization": f"Bearer {officer}"}
    async with httpx.AsyncClient(base_url=evaluation, timeout=60, headers=headers) as api:
        drafted = _ok(await api.post("/frameworks", json=framework()), 409)
        if drafted.status_code == 201:
            _ok(await api.post(f"/frameworks/{FRAMEWORK}/versions/1/publish"))
        title = f"การประเมินผลแผนปฏิบัติการประจำปีงบประมาณ พ.ศ. {FISCAL_YEAR} (สาธิต)"
        if await _open_evaluation(api, EVALUATION, title, plan, ASSESSORS):
            await _score(settings, api, EVALUATION, plan, ASSESSORS, seed)
            await _finalise(api, EVALUATION, plan)
        title = f"การประเมินผลแผนปฏิบัติการ รอบ 6 เดือน ปีงบประมาณ พ.ศ. {FISCAL_YEAR} (สาธิต)"
        scored = ASSESSORS[:2]
        if await _open_evaluation(api, OPEN_EVALUATION, title, plan, (*scored, ASSESSOR)):
            await _score(settings, api, OPEN_EVALUATION, plan, scored, seed)
    return officer


async def _open_evaluation(
    api: httpx.AsyncClient, evaluation_id: str, title: str, plan: Plan, assessors: tuple[str, ...]
) -> bool:
    """The evaluation of every project of the plan, each assessor on every criterion; False
    when an earlier run made it."""
    path = f"/evaluations/{evaluation_id}"
    if (await api.get(path)).status_code == 200:
        return False
    body = {
        "evaluation_id": evaluation_id,
        "evaluation_type": "action_plan",
        "fiscal_year": FISCAL_YEAR,
        "title_th": title,
        "framework_id": FRAMEWORK,
        "framework_version": 1,
        "plan_id": plan.plan_id,
    }
    subjects = _ok(await api.post("/evaluations", json=body)).json()["subjects"]
    everyone = [
        {"assessor_id": a, "criterion_code": c, "subject": s}
        for s in subjects
        for c in CRITERIA
        for a in assessors
    ]
    _ok(await api.put(f"{path}/assignments", json=everyone))
    return True


async def _score(
    settings: Settings,
    api: httpx.AsyncClient,
    evaluation_id: str,
    plan: Plan,
    assessors: tuple[str, ...],
    seed: int,
) -> None:
    """Each assessor submits every criterion: the proposed level where monitoring's progress
    gives one, else a level of their own; A3 sometimes two levels off."""
    path = f"/evaluations/{evaluation_id}"

    # Wait until monitoring's progress has reached evaluation: proposals appear.
    async def proposed() -> int:
        found = (await api.get(f"{path}/results")).json()
        return sum(
            1
            for s in found.get("subjects", [])
            for line in s["criteria"]
            if line["proposal"] and line["proposal"]["level"]
        )

    await _until(proposed, lambda n: n > 0, 60)
    results = (await api.get(f"{path}/results")).json()
    rng = random.Random(f"demo-scores:{evaluation_id}:{seed}")
    for assessor in assessors:
        key = await _key(settings, "assessor", plan.office_code, assessor)
        auth = {"Authorization": f"Bearer {key}"}
        for subject in results["subjects"]:
            for line in subject["criteria"]:
                proposal = line["proposal"]
                if proposal and proposal["level"]:
                    level = proposal["level"]["position"]
                else:
                    level = rng.choice((3, 4, 4, 5))
                if assessor == "A3" and rng.random() < 0.1:
                    level = level - 2 if level > 2 else level + 2
                score = {
                    "criterion_code": line["criterion_code"],
                    "subject": subject["subject"],
                    "level_position": level,
                    "comment_th": "พิจารณาจากรายงานผลการดำเนินงานและหลักฐาน",
                    "evidence": [f"รายงานความก้าวหน้า {ROUND}"],
                    "status": "submitted",
                    "override_reason_th": "พิจารณาจากหลักฐานการดำเนินงานเพิ่มเติม",
                }
                _ok(await api.put(f"{path}/scores", json=score, headers=auth))


async def _finalise(api: httpx.AsyncClient, evaluation_id: str, plan: Plan) -> None:
    """The criteria the assessors disagreed on discussed; recommendations for two groups."""
    path = f"/evaluations/{evaluation_id}"
    found = (await api.get(f"{path}/results")).json()
    discussed = [
        {
            "criterion_code": code,
            "subject": subject,
            "note_th": "ที่ประชุมคณะผู้ประเมินพิจารณาหลักฐานร่วมกันแล้ว",
        }
        for code, subject, _ in found["to_discuss"]
    ]
    final = {
        "discussed": discussed,
        "recommendations": [
            {
                "unit_code": f"{plan.office_code}-PLAN",
                "text_th": "เร่งรัดการเบิกจ่ายงบประมาณให้เป็นไปตามเป้าหมายรายไตรมาส",
            },
            {
                "unit_code": f"{plan.office_code}-SUPV",
                "text_th": "นิเทศติดตามโรงเรียนที่ผลการดำเนินงานต่ำกว่าค่าเป้าหมาย",
            },
        ],
    }
    _ok(await api.post(f"{path}/finalise", json=final))


async def inspect(evaluation: str, officer: str, office_code: str) -> None:
    """An inspection by the Ministry: issues, findings, recommendations; one overdue."""
    headers = {"Authorization": f"Bearer {officer}"}
    today = (datetime.now(UTC) + timedelta(hours=7)).date()
    inspected = max(today - timedelta(days=40), fiscal_year_period(FISCAL_YEAR).start)
    async with httpx.AsyncClient(base_url=evaluation, timeout=60, headers=headers) as api:
        round_ = {
            "inspection_id": INSPECTION,
            "fiscal_year": FISCAL_YEAR,
            "kind": "moe_policy",
            "round_no": 1,
            "title_th": f"การตรวจราชการตามนโยบาย รอบที่ 1 ปีงบประมาณ พ.ศ. {FISCAL_YEAR}",
            "inspected_on": str(inspected),
            "inspectors_th": ["ผู้ตรวจราชการกระทรวง (สาธิต)"],
        }
        if _ok(await api.post("/inspections", json=round_), 409).status_code == 409:
            return  # done on an earlier run
        issues = (
            ("1", "การพัฒนาคุณภาพการอ่านออกเขียนได้", "โรงเรียนขนาดเล็กยังขาดสื่อการอ่าน", "PLAN"),
            ("2", "ความปลอดภัยของผู้เรียน", "มีแผนเผชิญเหตุครบทุกโรงเรียน", "SUPV"),
            ("3", "การบริหารงบประมาณ", "การเบิกจ่ายไตรมาสแรกต่ำกว่าเป้าหมาย", "FIN"),
        )
        for number, (code, title, findings, group) in enumerate(issues, start=1):
            issue = {"issue_code": code, "title_th": title, "findings_th": findings}
            _ok(await api.post(f"/inspections/{INSPECTION}/issues", json=issue))
            due: date = inspected + timedelta(days=30 * number)
            recommendation = {
                "recommendation_id": f"R{FISCAL_YEAR}-1-{code}",
                "issue_code": code,
                "text_th": f"ให้สำนักงานเขตพื้นที่ดำเนินการและรายงานผลประเด็น{title}",
                "responsible_unit": f"{office_code}-{group}",
                "due_on": str(due),
            }
            _ok(await api.post(f"/inspections/{INSPECTION}/recommendations", json=recommendation))
        done = {"to": "in_progress", "by": "กลุ่มนิเทศ ติดตามและประเมินผล"}
        _ok(await api.post(f"/recommendations/R{FISCAL_YEAR}-1-2/status", json=done))


async def demo(
    settings: Settings, monitoring: str, evaluation: str, office: SampleOffice, seed: int
) -> str:
    """The demo's activity for `office` (the one `samples.load` loaded); the officer's key."""
    sent = await report_round(settings, monitoring, office, seed)
    print(f"demo: {sent} units reported the round {ROUND}")
    officer = await evaluate(settings, evaluation, office, seed)
    print(f"demo: evaluation {EVALUATION} scored by {len(ASSESSORS)} assessors and finalised")
    print(f"demo: evaluation {OPEN_EVALUATION} waits for the assessor '{ASSESSOR}' on /assess")
    await inspect(evaluation, officer, office.office_code)
    print(f"demo: inspection {INSPECTION} with its issues and recommendations")
    return officer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m samples.demo")
    parser.add_argument("--monitoring", default="http://127.0.0.1:8002")
    parser.add_argument("--evaluation", default="http://127.0.0.1:8003")
    parser.add_argument("--seed", type=int, default=2570)
    parser.add_argument("--schools", type=int, default=120, help="as given to samples.load")
    args = parser.parse_args(argv)
    office = generate_office(seed=args.seed, schools=args.schools)
    try:
        officer = asyncio.run(demo(Settings(), args.monitoring, args.evaluation, office, args.seed))
    except (DemoError, httpx.HTTPError) as error:
        print(f"samples.demo: {error}", file=sys.stderr)
        return 1
    print(f"demo: an officer's key for evaluation (shown once): {officer}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
