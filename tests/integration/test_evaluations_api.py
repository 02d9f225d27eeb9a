"""The yearly evaluations and the inspection register through evaluation's HTTP API, with its
keys and roles, its copies seeded as monitoring's events would leave them, real servers."""

import asyncio
import json
import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import aio_pika
import httpx
import pytest

from services.evaluation.adapters.evaluations_store import MongoEvaluationStore
from services.evaluation.bootstrap import bootstrap
from services.evaluation.domain.evaluations import Evaluation
from shared.contracts import make_envelope
from shared.contracts.evaluation import EvaluationReopened
from shared.contracts.monitoring import IndicatorProgress, ProjectProgressUpdated
from shared.contracts.setup import (
    Indicator,
    Plan,
    Project,
    Round,
    SetupChanged,
    SetupModel,
    Unit,
)
from shared.platform.mongo import make_client
from shared.platform.replica import LatestCopies, SetupReplica
from shared.platform.settings import Settings
from shared.platform.topology import Topology
from shared.thai.calendar import fiscal_year
from tests.support import amqp_channel, eventually, key_for, listen, running, take_all

pytestmark = pytest.mark.integration

OFFICE = "SESA-T1"
GROUP = "SESA-T1-PP"
FINANCE = "SESA-T1-FIN"
PLAN = "AP2570-T1"
P1, P2, P3 = "P2570-01", "P2570-02", "P2570-03"
ACTIVITY = "P2570-01-A1"
EVALUATION = "AP2570-EVAL"
THRESHOLDS = ["50", "65", "80", "95"]


# --- the set-up and monitoring's progress, as evaluation's copies hold them ------------------


def setup_entities() -> list[SetupModel]:
    units = [
        Unit(code="OBEC", unit_type="obec", name_th="สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน"),
        Unit(
            code=OFFICE,
            unit_type="office",
            name_th="สำนักงานเขตพื้นที่การศึกษาประถมศึกษาทดสอบ เขต 1",
            parent_code="OBEC",
        ),
        Unit(code=GROUP, unit_type="group", name_th="กลุ่มนโยบายและแผน", parent_code=OFFICE),
        Unit(code=FINANCE, unit_type="group", name_th="กลุ่มบริหารงานการเงิน", parent_code=OFFICE),
    ]
    rounds = [
        Round(
            round_id=f"2570-Q{q}",
            fiscal_year=2570,
            round_type="quarter",
            name_th=f"ไตรมาสที่ {q}",
            period_start=start,
            period_end=end,
            opens_on=end - timedelta(days=9),
            due_on=end + timedelta(days=15),
            closes_on=end + timedelta(days=30),
        )
        for q, start, end in (
            (1, date(2026, 10, 1), date(2026, 12, 31)),
            (2, date(2027, 1, 1), date(2027, 3, 31)),
        )
    ]
    plan = Plan(
        plan_id=PLAN,
        plan_type="action_plan",
        name_th="แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2570",
        office_code=OFFICE,
        first_fiscal_year=2570,
        last_fiscal_year=2570,
        status="published",
    )
    names = {
        P1: "โครงการส่งเสริมการอ่านออกเขียนได้",
        P2: "โครงการพัฒนาครูด้านการจัดการเรียนรู้เชิงรุก",
        P3: "โครงการโรงเรียนปลอดภัย",
    }
    projects = [
        Project(
            code=code,
            plan_id=PLAN,
            name_th=name,
            responsible_unit=GROUP,
            budget_satang=50_000_000,
            starts_on=date(2026, 10, 1),
            ends_on=date(2027, 9, 30),
        )
        for code, name in names.items()
    ]
    projects.append(
        projects[0].model_copy(
            update={"code": ACTIVITY, "parent_code": P1, "name_th": "กิจกรรมค่ายรักการอ่าน"}
        )
    )
    indicators = [
        Indicator(
            code=f"{code}-I{n}",
            project_code=code,
            name_th=f"ร้อยละของนักเรียนที่บรรลุเป้าหมาย {n}",
            unit_of_measure="ร้อยละ",
            indicator_type="percent",
            year_target=Decimal(80),
        )
        for code in names
        for n in (1, 2)
    ]
    return [*units, *rounds, plan, *projects, *indicators]


def project_progress(
    code: str, round_id: str, achievements: Sequence[str | None], rate: str | None
) -> ProjectProgressUpdated:
    return ProjectProgressUpdated(
        project_code=code,
        round_id=round_id,
        units_reporting=12,
        activity_counts={"in_progress": 10, "done": 2},
        allocated_satang=50_000_000,
        spent_satang=None if rate is None else int(Decimal(rate) * 500_000),
        disbursement_rate=None if rate is None else Decimal(rate),
        budget_status="on_track",
        indicators=tuple(
            IndicatorProgress(
                code=f"{code}-I{n}",
                name_th=f"ร้อยละของนักเรียนที่บรรลุเป้าหมาย {n}",
                unit_of_measure="ร้อยละ",
                direction="higher_is_better",
                achievement=None if value is None else Decimal(value),
                status="on_track" if value is not None else "no_data",
            )
            for n, value in enumerate(achievements, start=1)
        ),
        status="on_track",
        updated_at=datetime(2027, 4, 20, 3, 0, tzinfo=UTC),
    )


PROGRESS = [
    project_progress(P1, "2570-Q1", ["50.00", "60.00"], "20.00"),  # an earlier round
    project_progress(P1, "2570-Q2", ["80.00", "90.00"], "60.00"),  # 85.00; 85 ÷ 60 = 141.67
    project_progress(P2, "2570-Q2", ["40.00", None], "50.00"),  # 40.00; 40 ÷ 50 = 80.00
    # P3 has reported nothing yet: nothing is proposed for it.
]


async def seed(settings: Settings, entities: Sequence[SetupModel] | None = None) -> None:
    """Put the set-up and the progress into evaluation's copies, as its consumers would."""
    client = make_client(settings.mongodb_url)
    try:
        db = client[settings.database_of("evaluation")]
        replica = SetupReplica(db)
        for revision, entity in enumerate(entities or setup_entities(), start=1):
            await replica.apply(SetupChanged(revision=revision, key=entity.key, entity=entity))
        copies = LatestCopies(db, "project_progress")
        for event in PROGRESS:
            key = f"{event.round_id}:{event.project_code}"
            await copies.keep(key, event.model_dump(mode="json"), event.updated_at)
    finally:
        await client.close()


# --- the framework --------------------------------------------------------------------------


def criterion(code: str, weight: int, scoring: dict[str, Any]) -> dict[str, Any]:
    return {"code": code, "title_th": f"เกณฑ์ {code}", "weight": weight, "scoring": scoring}


RUBRIC = {"kind": "rubric", "descriptors": {"5": "ดำเนินการครบถ้วนและมีหลักฐานชัดเจน"}}


def framework(d1: tuple[int, int] = (70, 30), framework_id: str = "ap-eval") -> dict[str, Any]:
    """D1 (60): C1 rubric, C2 from the project's indicators; D2 (40): C3 rubric, C4 budget."""
    return {
        "framework_id": framework_id,
        "title_th": "กรอบการประเมินผลแผนปฏิบัติการประจำปี",
        "evaluation_type": "action_plan",
        "scale_id": "five-level",
        "aggregation": "mean",
        "nodes": [
            {
                "code": "D1",
                "title_th": "ด้านผลผลิตและผลลัพธ์",
                "weight": 60,
                "children": [
                    criterion("C1", d1[0], RUBRIC),
                    criterion(
                        "C2",
                        d1[1],
                        {
                            "kind": "from_indicator",
                            "measure": "project_indicators",
                            "thresholds": THRESHOLDS,
                        },
                    ),
                ],
            },
            {
                "code": "D2",
                "title_th": "ด้านประสิทธิภาพ",
                "weight": 40,
                "children": [
                    criterion("C3", 50, RUBRIC),
                    criterion(
                        "C4",
                        50,
                        {
                            "kind": "from_indicator",
                            "measure": "budget_efficiency",
                            "thresholds": THRESHOLDS,
                        },
                    ),
                ],
            },
        ],
    }


async def published(api: httpx.AsyncClient, body: dict[str, Any]) -> int:
    drafted = await api.post("/frameworks", json=body)
    assert drafted.status_code == 201, drafted.text
    version = int(drafted.json()["version"])
    path = f"/frameworks/{body['framework_id']}/versions/{version}/publish"
    done = await api.post(path)
    assert done.status_code == 200, done.text
    return version


def new_evaluation(**changes: Any) -> dict[str, Any]:
    return {
        "evaluation_id": EVALUATION,
        "evaluation_type": "action_plan",
        "fiscal_year": 2570,
        "title_th": "การประเมินผลแผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2570",
        "framework_id": "ap-eval",
        "framework_version": 1,
        "plan_id": PLAN,
        **changes,
    }


def problems(response: httpx.Response) -> list[tuple[str, str]]:
    return [(".".join(map(str, d["loc"][1:])), d["type"]) for d in response.json()["detail"]]


# Submitted levels by (subject, criterion) for A1, A2, A3; P3 is A1's alone.
LEVELS: dict[tuple[str, str], tuple[int, ...]] = {
    (P1, "C1"): (4, 5, 4),  # 4.33
    (P1, "C2"): (4, 4, 4),  # 4.00, as proposed (85.00 → level 4)
    (P1, "C3"): (3, 3, 3),  # 3.00
    (P1, "C4"): (5, 5, 3),  # 4.33; A3 goes below the proposed 5 (141.67), with a reason
    (P2, "C1"): (2, 2, 2),  # 2.00
    (P2, "C2"): (1, 2, 1),  # 1.33; A2 goes above the proposed 1 (40.00), with a reason
    (P2, "C3"): (1, 3, 2),  # 2.00, two levels apart
    (P2, "C4"): (4, 4, 4),  # 4.00, as proposed (80.00 is level 4's threshold)
    (P3, "C1"): (3,),
    (P3, "C2"): (2,),  # nothing proposed
    (P3, "C3"): (4,),
    (P3, "C4"): (3,),
}
OVERRIDES = {("A3", P1, "C4"), ("A2", P2, "C2")}
CRITERIA = ("C1", "C2", "C3", "C4")


def assignments() -> list[dict[str, str]]:
    return [
        {"assessor_id": f"A{n}", "criterion_code": code, "subject": subject}
        for (subject, code), levels in LEVELS.items()
        for n in range(1, len(levels) + 1)
    ]


def score_body(subject: str, code: str, level: int, status: str = "submitted") -> dict[str, Any]:
    return {
        "criterion_code": code,
        "subject": subject,
        "level_position": level,
        "comment_th": f"พิจารณาจากรายงานผลการดำเนินงานของ {subject}",
        "evidence": [f"https://drive.example/{subject}/{code}.pdf"],
        "status": status,
    }


async def messages(channel: aio_pika.abc.AbstractChannel, queue: str) -> list[dict[str, Any]]:
    return [json.loads(m.body) for m in await take_all(channel, queue)]


async def gather_until(
    channel: aio_pika.abc.AbstractChannel, queue: str, enough: int, into: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    async def more() -> list[dict[str, Any]]:
        into.extend(await messages(channel, queue))
        return into

    return await eventually(more, lambda seen: len(seen) >= enough, timeout=15)


# --- the evaluation ---------------------------------------------------------------------


async def test_an_action_plan_evaluation_scored_finalised_and_reopened(
    settings: Settings,
) -> None:
    await seed(settings)
    officer = await key_for(settings, "evaluation", "officer", OFFICE)
    assessors = {
        f"A{n}": await key_for(settings, "evaluation", "assessor", OFFICE, f"A{n}")
        for n in (1, 2, 3, 4)
    }
    unit = await key_for(settings, "evaluation", "unit", GROUP)
    exchange = Topology(settings.namespace).events_exchange
    async with (
        amqp_channel(settings.amqp_url) as channel,
        running(bootstrap(settings)) as api,
    ):
        finals = await listen(channel, exchange, "evaluation.finalised.v1")
        reopenings = await listen(channel, exchange, "evaluation.reopened.v1")
        api.headers.update(officer)
        assert await published(api, framework()) == 1

        created = await api.post("/evaluations", json=new_evaluation())
        assert created.status_code == 201, created.text
        made = created.json()
        assert made["subjects"] == [P1, P2, P3], "the plan's projects, not their activities"
        assert (made["opens_on"], made["closes_on"]) == ("2027-09-01", "2027-10-31")
        assert (made["status"], made["framework_version"]) == ("open", 1)

        path = f"/evaluations/{EVALUATION}"
        assigned = await api.put(f"{path}/assignments", json=assignments())
        assert assigned.status_code == 200, assigned.text
        assert len(assigned.json()["assignments"]) == 28
        bad = [{"assessor_id": "A1", "criterion_code": "D1", "subject": "P2570-99"}]
        refused = await api.put(f"{path}/assignments", json=bad)
        assert refused.status_code == 422
        assert problems(refused) == [
            ("assignments.0.criterion_code", "unknown_criterion"),
            ("assignments.0.subject", "unknown_subject"),
        ]

        # Who may score what.
        scores = f"{path}/scores"
        not_assigned = await api.put(scores, json=score_body(P1, "C1", 3), headers=assessors["A4"])
        assert not_assigned.status_code == 403
        assert problems(not_assigned) == [("criterion_code", "not_assigned")]
        not_theirs = await api.put(scores, json=score_body(P3, "C1", 3), headers=assessors["A2"])
        assert not_theirs.status_code == 403
        as_officer = await api.put(scores, json=score_body(P1, "C1", 3))
        assert as_officer.status_code == 403, "only an assessor scores"
        off_scale = await api.put(scores, json=score_body(P1, "C1", 9), headers=assessors["A1"])
        assert off_scale.status_code == 422
        assert problems(off_scale) == [("level_position", "off_scale")]
        unknown = await api.put(
            scores, json=score_body("P2570-99", "C1", 3), headers=assessors["A1"]
        )
        assert unknown.status_code == 422 and problems(unknown) == [("subject", "unknown_subject")]

        # A1 keeps drafts first: they do not count.
        for (subject, code), levels in LEVELS.items():
            draft = score_body(subject, code, 6 - levels[0], status="draft")
            answered = await api.put(scores, json=draft, headers=assessors["A1"])
            assert answered.status_code == 200, answered.text
        seen = (await api.get(f"{path}/results")).json()
        assert (seen["submitted"], seen["drafts"], seen["expected"]) == (0, 12, 28)
        assert seen["total"] is None

        # Overriding a proposed level needs a reason when submitted.
        no_reason = await api.put(scores, json=score_body(P1, "C4", 3), headers=assessors["A3"])
        assert no_reason.status_code == 422
        assert problems(no_reason) == [("override_reason_th", "reason_needed")]
        for (subject, code), levels in LEVELS.items():
            for n, level in enumerate(levels, start=1):
                body = score_body(subject, code, level)
                if (f"A{n}", subject, code) in OVERRIDES:
                    body["override_reason_th"] = "ผลการดำเนินงานจริงต่างจากตัวชี้วัด"
                answered = await api.put(scores, json=body, headers=assessors[f"A{n}"])
                assert answered.status_code == 200, answered.text

        found = (await api.get(f"{path}/results")).json()
        assert (found["submitted"], found["drafts"], found["expected"]) == (28, 0, 28)
        totals = {s["subject"]: s["result"]["total"] for s in found["subjects"]}
        # P1: D1 = .7 × 4.33 + .3 × 4.00 = 4.231; D2 = (3.00 + 4.33) / 2 = 3.665;
        #     total = .6 × 4.23 + .4 × 3.67 = 4.006
        # P2: D1 = .7 × 2.00 + .3 × 1.33 = 1.799; D2 = 3.00; total = .6 × 1.80 + .4 × 3.00
        # P3: D1 = .7 × 3 + .3 × 2 = 2.70; D2 = 3.50; total = .6 × 2.70 + .4 × 3.50 = 3.02
        assert totals == {P1: "4.01", P2: "2.28", P3: "3.02"}
        nodes = {
            s["subject"]: {c: n["score"] for c, n in s["result"]["nodes"].items()}
            for s in found["subjects"]
        }
        assert nodes[P1] == {
            "D1": "4.23",
            "C1": "4.33",
            "C2": "4.00",
            "D2": "3.67",
            "C3": "3.00",
            "C4": "4.33",
        }
        assert (nodes[P2]["D1"], nodes[P2]["D2"]) == ("1.80", "3.00")
        assert (found["total"], found["level"]["label_th"]) == ("3.10", "ดี")  # 9.31 / 3
        assert [(c, s) for c, s, _ in found["to_discuss"]] == [("C3", P2), ("C4", P1)]
        lines = {
            (s["subject"], line["criterion_code"]): line
            for s in found["subjects"]
            for line in s["criteria"]
        }
        shown = {
            key: (
                line["proposal"]["achievement"],
                line["proposal"]["level"] and line["proposal"]["level"]["position"],
            )
            for key, line in lines.items()
            if line["proposal"] is not None
        }
        assert shown == {
            (P1, "C2"): ("85.00", 4),
            (P1, "C4"): ("141.67", 5),
            (P2, "C2"): ("40.00", 1),
            (P2, "C4"): ("80.00", 4),
            (P3, "C2"): (None, None),
            (P3, "C4"): (None, None),
        }
        assert lines[(P1, "C2")]["proposal"]["round_id"] == "2570-Q2", "the latest round"
        assert lines[(P2, "C3")]["levels"] == {"A1": 1, "A2": 3, "A3": 2}
        reason = "ผลการดำเนินงานจริงต่างจากตัวชี้วัด"
        overridden = {key: line["overrides"] for key, line in lines.items() if line["overrides"]}
        assert overridden == {(P1, "C4"): {"A3": reason}, (P2, "C2"): {"A2": reason}}

        # An assessor sees their part only; a unit sees none of it.
        mine = (await api.get(f"{path}/results", headers=assessors["A2"])).json()
        assert [s["subject"] for s in mine["subjects"]] == [P1, P2]
        assert {tuple(line["levels"]) for s in mine["subjects"] for line in s["criteria"]} == {
            ("A2",)
        }
        assert mine["to_discuss"] == [] and mine["expected"] == 8
        listed = (await api.get("/evaluations", headers=assessors["A2"])).json()
        assert {a["assessor_id"] for e in listed for a in e["assignments"]} == {"A2"}
        nothing = await api.get(f"{path}/results", headers=assessors["A4"])
        assert nothing.status_code == 403
        assert (await api.get(f"{path}/results", headers=unit)).status_code == 403
        assert (await api.get(path, headers=unit)).status_code == 403

        # Finalising: every disagreement discussed, recommendations for known units.
        discussed = [
            {"criterion_code": "C3", "subject": P2, "note_th": "ที่ประชุมเห็นควรระดับ 2"},
            {"criterion_code": "C4", "subject": P1, "note_th": "ที่ประชุมเห็นควรระดับ 4"},
        ]
        advice = [{"unit_code": GROUP, "text_th": "เร่งรัดการเบิกจ่ายโครงการพัฒนาครู"}]
        early = await api.post(
            f"{path}/finalise", json={"discussed": discussed[:1], "recommendations": advice}
        )
        assert early.status_code == 409 and problems(early) == [("discussed", "to_discuss")]
        assert f"C4 of {P1}" in early.text
        nowhere = [{"unit_code": "SESA-T1-NONE", "text_th": "ปรับปรุงการรายงาน"}]
        unknown_unit = await api.post(
            f"{path}/finalise", json={"discussed": discussed, "recommendations": nowhere}
        )
        assert unknown_unit.status_code == 422
        assert problems(unknown_unit) == [("recommendations.0.unit_code", "unknown_unit")]
        as_unit = await api.post(f"{path}/finalise", json={"discussed": discussed}, headers=unit)
        assert as_unit.status_code == 403
        assert (await api.get(path)).json()["status"] == "open", "nothing partial is written"

        done = await api.post(
            f"{path}/finalise", json={"discussed": discussed, "recommendations": advice}
        )
        assert done.status_code == 200, done.text
        final = done.json()
        assert (final["total"], final["finalisation"]) == ("3.10", 1)
        assert [(s["subject"], s["total"]) for s in final["subjects"]] == [
            (P1, "4.01"),
            (P2, "2.28"),
            (P3, "3.02"),
        ]
        assert final["subjects"][0]["name_th"] == "โครงการส่งเสริมการอ่านออกเขียนได้"
        assert [(d["criterion_code"], d["spread"]) for d in final["discussed"]] == [
            ("C3", 2),
            ("C4", 2),
        ]
        assert final["recommendations"][0]["unit_name_th"] == "กลุ่มนโยบายและแผน"
        announced = await gather_until(channel, finals, 1, [])
        assert [m["type"] for m in announced] == ["evaluation.finalised.v1"]
        assert announced[0]["data"]["total"] == "3.10"
        assert announced[0]["data"]["subjects"] == final["subjects"]

        # Final: every change is refused.
        locked = (await api.get(path)).json()
        assert locked["status"] == "finalised" and locked["final"]["total"] == "3.10"
        late = await api.put(scores, json=score_body(P1, "C1", 1), headers=assessors["A1"])
        assert late.status_code == 409 and problems(late) == [("status", "finalised")]
        assert (await api.put(f"{path}/assignments", json=assignments())).status_code == 409
        again = await api.post(f"{path}/finalise", json={"discussed": discussed})
        assert again.status_code == 409
        mine_now = (await api.get(path, headers=assessors["A2"])).json()
        assert mine_now["final"] is None, "the frozen results hold every assessor's levels"

        # Reopening needs a reason and keeps the history.
        for blank in ({}, {"reason_th": ""}, {"reason_th": "   "}):
            assert (await api.post(f"{path}/reopen", json=blank)).status_code == 422
        reason = "พบหลักฐานการดำเนินงานเพิ่มเติมของโครงการ P2570-02"
        reopened = await api.post(f"{path}/reopen", json={"reason_th": reason})
        assert reopened.status_code == 200, reopened.text
        back = reopened.json()
        assert back["status"] == "open" and back["final"] is None
        assert [h["action"] for h in back["history"]] == [
            "created",
            "assigned",
            "finalised",
            "reopened",
        ]
        assert back["history"][-1]["reason_th"] == reason
        assert [f["total"] for f in back["earlier_finals"]] == ["3.10"]
        assert (await api.post(f"{path}/reopen", json={"reason_th": reason})).status_code == 409
        told = await gather_until(channel, reopenings, 1, [])
        assert told[0]["data"]["reason_th"] == reason
        rescored = await api.put(scores, json=score_body(P3, "C1", 5), headers=assessors["A1"])
        assert rescored.status_code == 200

        # A framework change after scores is a new version; the evaluation keeps version 1.
        assert await published(api, framework((50, 50))) == 2
        kept = (await api.get(path)).json()
        assert kept["framework_version"] == 1
        still = (await api.get(f"{path}/results")).json()
        p1 = next(s for s in still["subjects"] if s["subject"] == P1)
        assert (p1["result"]["version"], p1["result"]["nodes"]["D1"]["score"]) == (1, "4.23")
        first = (await api.get("/frameworks/ap-eval/versions/1")).json()
        assert first["nodes"][0]["children"][0]["weight"] == "70", "version 1 is unchanged"


async def test_bad_evaluations_are_refused_with_the_field_at_fault(settings: Settings) -> None:
    await seed(settings)
    async with running(bootstrap(settings)) as api:
        api.headers.update(await key_for(settings, "evaluation", "officer", OFFICE))
        assert await published(api, framework()) == 1
        one_indicator = framework(framework_id="ap-one")
        one_indicator["nodes"][0]["children"][1]["scoring"] = {
            "kind": "from_indicator",
            "indicator_code": "P2570-99-I1",
            "thresholds": THRESHOLDS,
        }
        assert await published(api, one_indicator) == 1
        drafted = await api.post("/frameworks", json=framework(framework_id="ap-draft"))
        assert drafted.status_code == 201

        async def refused(**changes: Any) -> list[tuple[str, str]]:
            answer = await api.post("/evaluations", json=new_evaluation(**changes))
            assert answer.status_code == 422, answer.text
            return problems(answer)

        assert await refused(plan_id="AP2570-NONE") == [("plan_id", "unknown_plan")]
        assert await refused(plan_id=None) == [("plan_id", "plan_required")]
        assert await refused(fiscal_year=2571) == [("plan_id", "outside_plan_years")]
        assert await refused(subjects=[P1, "P2570-99"]) == [("subjects.1", "unknown_subject")]
        assert await refused(framework_id="ap-one") == [("framework_id", "unknown_indicator")]
        assert await refused(framework_id="ap-draft") == [("framework_version", "not_published")]
        assert await refused(evaluation_type="obec_strategy") == [("plan_id", "plan_type")]
        assert await refused(opens_on="2027-11-01") == [("closes_on", "window")]
        assert await refused(title_th="") == [("title_th", "string_too_short")]
        assert (await api.get("/evaluations")).json() == [], "nothing partial is written"

        own = await api.post("/evaluations", json=new_evaluation(subjects=[P2, ACTIVITY]))
        assert own.status_code == 201 and own.json()["subjects"] == [P2, ACTIVITY]
        twice = await api.post("/evaluations", json=new_evaluation())
        assert twice.status_code == 409 and problems(twice) == [("evaluation_id", "duplicate")]
        missing = await api.get("/evaluations/AP2570-NONE/results")
        assert missing.status_code == 404
        assert (
            await api.get("/evaluations", headers={"Authorization": "Bearer x"})
        ).status_code == 401


# --- the inspection register -------------------------------------------------------------


async def test_recommendations_followed_up_and_an_overdue_one_announced_once(
    settings: Settings,
) -> None:
    fast = settings.model_copy(update={"reminder_interval_s": 0.3})
    await seed(settings)
    officer = await key_for(settings, "evaluation", "officer", OFFICE)
    planning = await key_for(settings, "evaluation", "unit", GROUP)
    finance = await key_for(settings, "evaluation", "unit", FINANCE)
    assessor = await key_for(settings, "evaluation", "assessor", OFFICE, "A1")
    today = (datetime.now(UTC) + timedelta(hours=7)).date()
    inspected = today - timedelta(days=20)
    inspection = {
        "inspection_id": "MOE-T-1",
        "fiscal_year": fiscal_year(inspected),
        "kind": "moe_policy",
        "round_no": 1,
        "title_th": "การตรวจราชการตามนโยบาย รอบที่ 1",
        "inspected_on": str(inspected),
        "inspectors_th": ["นายตรวจสอบ ทดลองราชการ"],
    }

    def recommendation(rid: str, unit: str, due: date) -> dict[str, Any]:
        return {
            "recommendation_id": rid,
            "issue_code": "1.1",
            "text_th": f"ข้อเสนอแนะ {rid}: จัดทำแผนพัฒนาการอ่าน",
            "responsible_unit": unit,
            "due_on": str(due),
        }

    exchange = Topology(settings.namespace).events_exchange
    async with amqp_channel(settings.amqp_url) as channel, running(bootstrap(fast)) as api:
        reports = await listen(channel, exchange, "inspection-report.updated.v1")
        overdue = await listen(channel, exchange, "recommendation.overdue.v1")
        api.headers.update(officer)
        assert (await api.post("/inspections", json=inspection)).status_code == 201
        issue = {"issue_code": "1.1", "title_th": "การพัฒนาการอ่าน", "findings_th": "ยังไม่ครบ"}
        assert (await api.post("/inspections/MOE-T-1/issues", json=issue)).status_code == 201
        path = "/inspections/MOE-T-1/recommendations"
        late = await api.post(path, json=recommendation("R1", GROUP, today - timedelta(days=5)))
        assert late.status_code == 201, late.text
        later = recommendation("R2", FINANCE, today + timedelta(days=30))
        assert (await api.post(path, json=later)).status_code == 201
        nowhere = await api.post(path, json=recommendation("R3", "SESA-T1-NONE", today))
        assert nowhere.status_code == 422
        assert problems(nowhere) == [("responsible_unit", "unknown_unit")]
        early = await api.post(path, json=recommendation("R4", GROUP, inspected - timedelta(1)))
        assert early.status_code == 422 and problems(early) == [("due_on", "due_before_inspection")]
        as_unit = await api.post(path, json=later | {"recommendation_id": "R5"}, headers=planning)
        assert as_unit.status_code == 403

        # The report is announced for reporting, and R1 as overdue: once, however many passes.
        shown: list[dict[str, Any]] = []
        await eventually(
            lambda: _more(channel, reports, shown),
            lambda seen: any(len(_recommendations(m)) == 2 for m in seen),
            timeout=15,
        )
        announced = await gather_until(channel, overdue, 1, [])
        await asyncio.sleep(1.5)  # five more passes of the loop
        announced += await messages(channel, overdue)
        assert [(m["data"]["recommendation_id"], m["data"]["due_on"]) for m in announced] == [
            ("R1", str(today - timedelta(days=5)))
        ]
        assert announced[0]["data"]["days_overdue"] == 5
        assert announced[0]["data"]["responsible_unit"] == GROUP
        listed = (await api.get("/recommendations/overdue")).json()
        assert [o["recommendation_id"] for o in listed] == ["R1"]

        # The responsible unit follows it up; another unit, or an assessor, may not.
        status = "/recommendations/R1/status"
        start = {"to": "in_progress", "by": "กลุ่มนโยบายและแผน"}
        assert (await api.post(status, json=start, headers=finance)).status_code == 403
        assert (await api.post(status, json=start, headers=assessor)).status_code == 403
        other = await api.post("/recommendations/R2/status", json=start, headers=planning)
        assert other.status_code == 403
        started = await api.post(status, json=start, headers=planning)
        assert started.status_code == 200 and started.json()["status"] == "in_progress"
        note = {
            "by": "กลุ่มนโยบายและแผน",
            "note_th": "จัดอบรมครูแล้ว 2 รุ่น",
            "evidence": ["https://drive.example/R1/training.pdf"],
        }
        noted = await api.post("/recommendations/R1/progress", json=note, headers=planning)
        assert noted.status_code == 200 and len(noted.json()["progress"]) == 1
        finished = await api.post(
            status, json={"to": "done", "by": "กลุ่มนโยบายและแผน"}, headers=planning
        )
        assert finished.status_code == 200, finished.text
        assert (finished.json()["status"], finished.json()["done_on"]) == ("done", str(today))
        assert [h["to_status"] for h in finished.json()["history"]] == ["in_progress", "done"]
        own = (await api.get(path, headers=planning)).json()
        assert [r["recommendation_id"] for r in own] == ["R1"], "a unit lists its own"
        assert (await api.get("/recommendations/overdue")).json() == []

        await eventually(
            lambda: _more(channel, reports, shown),
            lambda seen: bool(seen) and ("R1", "done") in _recommendations(seen[-1]),
            timeout=15,
        )
        report = shown[-1]["data"]
        assert report["counts"]["done"] == 1 and report["counts"]["overdue"] == 0
        assert report["issues"][0]["recommendations"][0]["progress"][0]["note_th"] == (
            "จัดอบรมครูแล้ว 2 รุ่น"
        )
        assert await messages(channel, overdue) == [], "announced once, ever"


async def _more(
    channel: aio_pika.abc.AbstractChannel, queue: str, into: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    into.extend(await messages(channel, queue))
    return into


def _recommendations(message: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (r["recommendation_id"], r["status"])
        for issue in message["data"]["issues"]
        for r in issue["recommendations"]
    ]


async def test_the_outbox_holds_events_until_they_are_sent(settings: Settings) -> None:
    """A change and its event are one write; the relay finds what was not yet published."""
    client = make_client(settings.mongodb_url)
    try:
        store = MongoEvaluationStore(client[settings.database_of("evaluation")])
        await store.create_indexes()
        made = Evaluation(
            evaluation_id=EVALUATION,
            evaluation_type="action_plan",
            fiscal_year=2570,
            title_th="การประเมินผลแผนปฏิบัติการ",
            framework_id="ap-eval",
            framework_version=1,
            plan_id=PLAN,
            subject_kind="project",
            subjects=(P1,),
            opens_on=date(2027, 9, 1),
            closes_on=date(2027, 10, 31),
        )
        assert await store.add(made) and not await store.add(made)
        changed = made.model_copy(update={"revision": 1, "title_th": "เปลี่ยนชื่อ"})
        events = [
            make_envelope(
                EvaluationReopened(
                    evaluation_id=EVALUATION,
                    fiscal_year=2570,
                    reason_th="เหตุผล",
                    reopened_by="officer",
                    reopened_at=datetime.now(UTC),
                ),
                producer="evaluation",
                correlation_id="outbox",
                event_id=uuid.uuid5(uuid.NAMESPACE_URL, name),
            )
            for name in ("e-1", "e-2")
        ]
        e1, e2 = (str(e.event_id) for e in events)
        assert await store.replace(changed, 0, *events)
        assert not await store.replace(changed, 0), "a stale revision is refused"

        async def unannounced() -> list[tuple[str, str]]:
            held = await store.outbox.unannounced(older_than=timedelta(0))
            return [(e, str(d.event_id)) for e, d in held]

        assert await unannounced() == [(EVALUATION, e1), (EVALUATION, e2)]
        await store.outbox.announced(EVALUATION, e1)
        assert [d for _, d in await unannounced()] == [e2]
        await store.outbox.announced(EVALUATION, e2)
        assert await unannounced() == []
        assert (await store.get(EVALUATION)) == changed

        # A score moves the revision on: a finalise that read the scores before it fails its
        # guarded write; once final, a score cannot move it any more.
        assert await store.touch(EVALUATION)
        held = await store.get(EVALUATION)
        assert held is not None and held.revision == 2
        final = held.model_copy(update={"status": "finalised", "revision": 3})
        assert not await store.replace(final, 1), "stale: a score came in meanwhile"
        assert await store.replace(final, 2)
        assert not await store.touch(EVALUATION)
    finally:
        await client.close()
