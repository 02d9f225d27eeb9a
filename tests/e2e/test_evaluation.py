"""The sample office's action plan evaluated by three assessors, against values computed here.

The sample office reports a generated round through intake; monitoring's achievements reach
evaluation as proposed levels. Every project of the action plan is scored by three assessors
(one of them two levels apart on some criteria). The totals, levels, proposals and the "to
discuss" list are computed in this test from the generated levels and from the achievements
monitoring shows on its own API, by the documented rules (half-up at 2 decimals at every
node, midpoint bands, thresholds), never through evaluation's code. Then the evaluation is
finalised, and evaluation's copies converge again after a restart with an empty database.
"""

import asyncio
import io
import json
import math
import random
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

import httpx
import openpyxl
import pytest

from samples.load import load, send
from samples.office import SampleOffice, generate_office
from samples.progress import progress_values
from shared.platform.mongo import make_client
from shared.platform.settings import Settings
from shared.platform.topology import Topology
from tests.processes import ServiceProcess
from tests.support import (
    amqp_channel,
    eventually,
    key_for,
    listen,
    publish,
    submitted,
    take_all,
)

pytestmark = pytest.mark.e2e

SEED = 8
ROUND = "2570-E1"  # a custom round over quarter 2, open now
PERIOD = (date(2027, 1, 1), date(2027, 3, 31))
EVALUATION = "AP2570-E2E"
ASSESSORS = ("A1", "A2", "A3")
THRESHOLDS = (Decimal(50), Decimal(65), Decimal(80), Decimal(95))
# Criterion: (dimension, weight in it, how it is scored); dimensions D1 60 %, D2 40 %.
DIMENSIONS = {"D1": 60, "D2": 40}
CRITERIA: dict[str, tuple[str, int, str]] = {
    "C1": ("D1", 40, "rubric"),
    "C2": ("D1", 60, "project_indicators"),
    "C3": ("D2", 50, "rubric"),
    "C4": ("D2", 50, "budget_efficiency"),
}
COPIED = ("intake", "evaluation")


# --- the rules, as the documentation states them ------------------------------------------


def half_up(value: Fraction) -> Decimal:
    """Half-up (away from zero) at 2 decimals, exactly; every figure here is non-negative."""
    assert value >= 0
    return Decimal(math.floor(value * 100 + Fraction(1, 2))).scaleb(-2)


def band(score: Decimal) -> int:
    """The five-level scale's level of a score: a midpoint belongs to the lower level."""
    return next(
        (p for p, top in enumerate(("1.5", "2.5", "3.5", "4.5"), 1) if score <= Decimal(top)), 5
    )


def proposed(achievement: Decimal | None) -> int | None:
    """The lowest level plus one per threshold the achievement reaches."""
    return None if achievement is None else 1 + sum(achievement >= t for t in THRESHOLDS)


def measures(row: Mapping[str, Any] | None) -> dict[str, Decimal | None]:
    """What C2 and C4 measure for a project from monitoring's progress of the round."""
    if row is None or row["units_reporting"] == 0:
        return {"C2": None, "C4": None}
    values = [Fraction(Decimal(i["achievement"])) for i in row["indicators"] if i["achievement"]]
    mean = half_up(sum(values, Fraction(0)) / len(values)) if values else None
    rate = row["disbursement_rate"]
    efficiency = (
        half_up(Fraction(mean) / Fraction(Decimal(rate)) * 100)
        if mean is not None and rate is not None and Decimal(rate) > 0
        else None
    )
    return {"C2": mean, "C4": efficiency}


def expected_results(
    subjects: Sequence[str], levels: Mapping[tuple[str, str], tuple[int, ...]]
) -> dict[str, Any]:
    """Criterion, dimension and project scores, the overall total and what to discuss."""
    found: dict[str, Any] = {"subjects": {}}
    for subject in subjects:
        scores = {
            code: half_up(Fraction(sum(levels[(subject, code)]), len(levels[(subject, code)])))
            for code in CRITERIA
        }
        dimensions = {
            dim: half_up(
                sum(
                    (
                        Fraction(w) * Fraction(scores[c])
                        for c, (d, w, _) in CRITERIA.items()
                        if d == dim
                    ),
                    Fraction(0),
                )
                / 100
            )
            for dim in DIMENSIONS
        }
        total = half_up(
            sum((Fraction(w) * Fraction(dimensions[d]) for d, w in DIMENSIONS.items()), Fraction(0))
            / 100
        )
        found["subjects"][subject] = {"criteria": scores, "dimensions": dimensions, "total": total}
    totals = [Fraction(s["total"]) for s in found["subjects"].values()]
    found["total"] = half_up(sum(totals, Fraction(0)) / len(totals))
    found["to_discuss"] = [
        (code, subject)
        for code in CRITERIA
        for subject in sorted(subjects)
        if max(levels[(subject, code)]) - min(levels[(subject, code)]) >= 2
    ]
    return found


# --- the generated round ----------------------------------------------------------------


def round_body(today: date) -> dict[str, Any]:
    return {
        "round_id": ROUND,
        "fiscal_year": 2570,
        "round_type": "custom",
        "name_th": "รอบทดสอบการประเมินไตรมาส 2",
        "period_start": str(PERIOD[0]),
        "period_end": str(PERIOD[1]),
        "opens_on": str(today - timedelta(days=20)),
        "due_on": str(today + timedelta(days=5)),
        "closes_on": str(today + timedelta(days=10)),
    }


def submissions(
    office: SampleOffice, assignments: Sequence[Mapping[str, Any]], rng: random.Random
) -> list[dict[str, Any]]:
    """Every assigned unit reports every assigned project and its indicators."""
    forms = {a["unit_code"]: a["form_id"] for a in assignments}
    return [
        submitted(unit, ROUND, key=f"{unit}-e2e", values=values, form_id=forms[unit])
        for unit, values in progress_values(office, assignments, rng).items()
    ]


async def copies_converged(settings: Settings, copies: Sequence[str] = COPIED) -> None:
    """Wait until each copy holds monitoring's shared set-up: every entity, every revision."""
    client = make_client(settings.mongodb_url)

    async def snapshot() -> dict[str, set[tuple[Any, ...]]]:
        source = client[settings.database_of("monitoring")]["setup"].find({"shared": True})
        found = {"monitoring": {(d["_id"], d["revision"], d["deleted"]) async for d in source}}
        for name in copies:
            copy = client[settings.database_of(name)]["setup_copy"].find(
                {"entity": {"$exists": True}}
            )
            found[name] = {(d["_id"], d["revision"], d["deleted"]) async for d in copy}
        return found

    try:
        await eventually(
            snapshot,
            lambda s: bool(s["monitoring"]) and all(s[n] == s["monitoring"] for n in copies),
            timeout=60,
            every=0.5,
        )
    finally:
        await client.close()


# --- the evaluation -----------------------------------------------------------------------


def framework() -> dict[str, Any]:
    def scoring(kind: str) -> dict[str, Any]:
        if kind == "rubric":
            return {"kind": "rubric", "descriptors": {"5": "ดำเนินการครบถ้วน มีหลักฐานชัดเจน"}}
        return {
            "kind": "from_indicator",
            "measure": kind,
            "thresholds": [str(t) for t in THRESHOLDS],
        }

    return {
        "framework_id": "ap-e2e",
        "title_th": "กรอบการประเมินผลแผนปฏิบัติการประจำปี (ทดสอบ)",
        "evaluation_type": "action_plan",
        "scale_id": "five-level",
        "aggregation": "mean",
        "nodes": [
            {
                "code": dim,
                "title_th": f"ด้านที่ {dim[1]}",
                "weight": weight,
                "children": [
                    {
                        "code": code,
                        "title_th": f"เกณฑ์ {code}",
                        "weight": w,
                        "scoring": scoring(kind),
                    }
                    for code, (d, w, kind) in CRITERIA.items()
                    if d == dim
                ],
            }
            for dim, weight in DIMENSIONS.items()
        ],
    }


def generate_levels(
    subjects: Sequence[str], proposals: Mapping[tuple[str, str], int | None], rng: random.Random
) -> dict[tuple[str, str], tuple[int, ...]]:
    """A1 follows the proposal where there is one; A2 is at most a level off A1; A3 is two
    levels off on about one criterion in five."""

    def clamp(level: int) -> int:
        return min(5, max(1, level))

    levels: dict[tuple[str, str], tuple[int, ...]] = {}
    for subject in subjects:
        for code in CRITERIA:
            first = proposals.get((code, subject)) or rng.randint(1, 5)
            second = clamp(first + rng.choice((-1, 0, 0, 1)))
            if rng.random() < 0.2:
                third = first + 2 if first <= 3 else first - 2
            else:
                third = clamp(first + rng.choice((-1, 0, 1)))
            levels[(subject, code)] = (first, second, third)
    return levels


async def test_an_action_plan_evaluation_of_the_sample_office(
    settings: Settings, system: dict[str, ServiceProcess]
) -> None:
    rng = random.Random(SEED)
    office = generate_office(seed=2570, schools=12)
    plan = next(p for p in office.plans if p.plan_type == "action_plan")
    subjects = sorted(p.code for p in office.projects if p.parent_code is None)
    monitoring = system["monitoring"].url
    monitoring_officer = system["monitoring"].officer
    await load(office, monitoring, headers=monitoring_officer)
    today = (datetime.now(UTC) + timedelta(hours=7)).date()
    async with httpx.AsyncClient(
        base_url=monitoring, headers=monitoring_officer, timeout=60
    ) as api:
        assert (await send(api, "POST", "/rounds", json=round_body(today))).status_code == 201
        assert (await send(api, "POST", "/fiscal-years/2570/assignments/derive")).is_success
        await copies_converged(settings)
        found = await send(api, "GET", "/assignments", params={"round_id": ROUND, "limit": 10000})
        assignments = found.json()
    assert assignments and all(a["project_codes"] for a in assignments)

    # The round is reported through intake; monitoring's project progress settles.
    events = submissions(office, assignments, rng)
    topology = Topology(settings.namespace)
    async with amqp_channel(settings.amqp_url) as channel:
        for event in events:
            await publish(channel, topology.events_exchange, "submission.submitted.v1", event)
    reporting = Counter(code for a in assignments for code in a["project_codes"])

    async def monitored() -> dict[str, dict[str, Any]]:
        async with httpx.AsyncClient(
            base_url=monitoring, headers=monitoring_officer, timeout=60
        ) as api:
            answer = await send(api, "GET", f"/dashboard/rounds/{ROUND}/projects")
            return {p["project_code"]: p for p in answer.json()} if answer.is_success else {}

    rows = await eventually(
        monitored,
        lambda seen: all(
            seen.get(code, {}).get("units_reporting") == n for code, n in reporting.items()
        ),
        timeout=120,
        every=1.0,
    )
    achievements = {
        (code, subject): value
        for subject in subjects
        for code, value in measures(rows.get(subject)).items()
    }
    proposals = {key: proposed(value) for key, value in achievements.items()}
    assert len({p for p in proposals.values() if p is not None}) >= 3, "varied proposals"

    officer = await key_for(settings, "evaluation", "officer", plan.office_code)
    keys = {
        a: await key_for(settings, "evaluation", "assessor", plan.office_code, a) for a in ASSESSORS
    }
    path = f"/evaluations/{EVALUATION}"
    async with (
        httpx.AsyncClient(base_url=system["evaluation"].url, timeout=60, headers=officer) as api,
        amqp_channel(settings.amqp_url) as channel,
    ):
        finals = await listen(channel, topology.events_exchange, "evaluation.finalised.v1")
        drafted = await api.post("/frameworks", json=framework())
        assert drafted.status_code == 201, drafted.text
        assert (await api.post("/frameworks/ap-e2e/versions/1/publish")).status_code == 200
        body = {
            "evaluation_id": EVALUATION,
            "evaluation_type": "action_plan",
            "fiscal_year": 2570,
            "title_th": "การประเมินผลแผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2570",
            "framework_id": "ap-e2e",
            "framework_version": 1,
            "plan_id": plan.plan_id,
        }
        created = await api.post("/evaluations", json=body)
        assert created.status_code == 201, created.text
        assert created.json()["subjects"] == subjects, "every project of the plan"
        everyone = [
            {"assessor_id": a, "criterion_code": c, "subject": s}
            for s in subjects
            for c in CRITERIA
            for a in ASSESSORS
        ]
        assert (await api.put(f"{path}/assignments", json=everyone)).status_code == 200

        def shown(results: dict[str, Any]) -> dict[tuple[str, str], tuple[Any, Any]]:
            return {
                (line["criterion_code"], s["subject"]): (
                    line["proposal"]["achievement"],
                    line["proposal"]["level"] and line["proposal"]["level"]["position"],
                )
                for s in results["subjects"]
                for line in s["criteria"]
                if line["proposal"] is not None
            }

        wanted = {
            key: (None if value is None else str(value), proposals[key])
            for key, value in achievements.items()
        }
        await eventually(
            lambda: _json(api, f"{path}/results"),
            lambda seen: shown(seen) == wanted,
            timeout=30,
            every=0.5,
        )

        # Three assessors score every criterion of every project.
        levels = generate_levels(subjects, proposals, rng)

        async def score_all(assessor: int) -> None:
            headers = keys[ASSESSORS[assessor]]
            for (subject, code), chosen in levels.items():
                level = chosen[assessor]
                score = {
                    "criterion_code": code,
                    "subject": subject,
                    "level_position": level,
                    "comment_th": "พิจารณาจากรายงานผลและเอกสารหลักฐาน",
                    "status": "submitted",
                }
                if proposals.get((code, subject)) not in (None, level):
                    score["override_reason_th"] = "ผลงานจริงต่างจากที่ตัวชี้วัดบอก"
                answer = await api.put(f"{path}/scores", json=score, headers=headers)
                assert answer.status_code == 200, answer.text

        await asyncio.gather(*(score_all(n) for n in range(len(ASSESSORS))))

        expected = expected_results(subjects, levels)
        assert expected["to_discuss"], "one assessor is two levels apart on some criteria"
        results = await _json(api, f"{path}/results")
        assert (results["submitted"], results["drafts"]) == (len(everyone), 0)
        for subject in results["subjects"]:
            want = expected["subjects"][subject["subject"]]
            nodes = subject["result"]["nodes"]
            for code, score in want["criteria"].items():
                line = next(x for x in subject["criteria"] if x["criterion_code"] == code)
                assert (Decimal(line["score"]), line["level"]["position"]) == (score, band(score))
                assert tuple(line["levels"].values()) == levels[(subject["subject"], code)]
            for dim, score in want["dimensions"].items():
                assert (Decimal(nodes[dim]["score"]), nodes[dim]["level"]["position"]) == (
                    score,
                    band(score),
                ), (subject["subject"], dim)
            total = subject["result"]["total"]
            assert (Decimal(total), subject["result"]["level"]["position"]) == (
                want["total"],
                band(want["total"]),
            ), subject["subject"]
        assert [s["subject"] for s in results["subjects"]] == subjects
        assert Decimal(results["total"]) == expected["total"]
        assert results["level"]["position"] == band(expected["total"])
        assert [(c, s) for c, s, _ in results["to_discuss"]] == expected["to_discuss"]
        assert shown(results) == wanted

        # Finalised once every disagreement is discussed; then it refuses changes.
        discussed = [
            {"criterion_code": c, "subject": s, "note_th": f"ที่ประชุมพิจารณา {c} ของ {s} แล้ว"}
            for c, s in expected["to_discuss"]
        ]
        early = await api.post(f"{path}/finalise", json={"discussed": discussed[1:]})
        assert early.status_code == 409
        done = await api.post(f"{path}/finalise", json={"discussed": discussed})
        assert done.status_code == 200, done.text
        final = done.json()
        assert Decimal(final["total"]) == expected["total"]
        assert {s["subject"]: Decimal(s["total"]) for s in final["subjects"]} == {
            s: v["total"] for s, v in expected["subjects"].items()
        }

        async def announced() -> list[dict[str, Any]]:
            return [json.loads(m.body) for m in await take_all(channel, finals)]

        message = await eventually(announced, bool, timeout=15)
        assert [m["data"]["evaluation_id"] for m in message] == [EVALUATION]
        assert Decimal(message[0]["data"]["total"]) == expected["total"]
        assert len(message[0]["data"]["discussed"]) == len(expected["to_discuss"])
        assert (await _json(api, path))["status"] == "finalised"
        subject, code = expected["to_discuss"][0][1], expected["to_discuss"][0][0]
        late = {"criterion_code": code, "subject": subject, "level_position": 3}
        refused = await api.put(f"{path}/scores", json=late, headers=keys["A1"])
        assert refused.status_code == 409

    # Reporting renders the evaluation report from the finalised event alone.
    reporting_key = await key_for(settings, "reporting", "officer")
    async with httpx.AsyncClient(
        base_url=system["reporting"].url, timeout=60, headers=reporting_key
    ) as reports:
        body = {"report_type": "evaluation", "evaluation_id": EVALUATION, "format": "xlsx"}

        async def asked() -> httpx.Response:
            return await reports.post("/reports", json={**body, "request_id": "eval-e2e"})

        await eventually(asked, lambda r: r.status_code in (200, 202), timeout=30, every=0.5)

        async def status() -> str:
            return str((await reports.get("/reports/eval-e2e")).json()["status"])

        assert await eventually(status, lambda s: s in ("rendered", "failed"), 60) == "rendered"
        content = (await reports.get("/reports/eval-e2e/download")).content
    sheet = openpyxl.load_workbook(io.BytesIO(content))["ผลการประเมินรายโครงการ"]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    shown = {str(r[0]): Decimal(str(r[2])).quantize(Decimal("0.01")) for r in rows[:-1]}
    assert shown == {s: v["total"] for s, v in expected["subjects"].items()}
    assert rows[-1][0] == "ภาพรวม"
    assert Decimal(str(rows[-1][2])).quantize(Decimal("0.01")) == expected["total"]

    # Evaluation's copies converge again after a restart with an empty database.
    evaluation = system["evaluation"]
    evaluation.stop()
    client = make_client(settings.mongodb_url)
    try:
        await client.drop_database(settings.database_of("evaluation"))
        evaluation.start().wait_ready()
        await copies_converged(settings, ("evaluation",))
        source = client[settings.database_of("monitoring")]["project_progress"]
        copy = client[settings.database_of("evaluation")]["project_progress"]

        async def both() -> tuple[dict[str, Any], dict[str, Any]]:
            held = {d["_id"]: _progress(d) async for d in source.find()}
            return held, {d["_id"]: _progress(d) async for d in copy.find()}

        held, _ = await eventually(both, lambda pair: pair[0] == pair[1], timeout=60, every=1)
        assert {k for k in held if k.startswith(f"{ROUND}:")} >= {f"{ROUND}:{s}" for s in subjects}
    finally:
        await client.close()


def _progress(document: Mapping[str, Any]) -> tuple[Any, ...]:
    """What evaluation proposes from: the round, units reporting, achievements, spending."""
    return (
        document["units_reporting"],
        document["disbursement_rate"],
        tuple(i["achievement"] for i in document["indicators"]),
    )


async def _json(api: httpx.AsyncClient, path: str) -> dict[str, Any]:
    answer = await api.get(path)
    assert answer.status_code == 200, answer.text
    result: dict[str, Any] = answer.json()
    return result
