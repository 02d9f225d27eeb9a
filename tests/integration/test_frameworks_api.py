"""Evaluation's frameworks API against real RabbitMQ and MongoDB."""

import copy
from typing import Any

import httpx
import pytest

from services.evaluation.bootstrap import bootstrap
from shared.platform.settings import Settings
from tests.support import key_for, running

pytestmark = pytest.mark.integration


def rubric_criterion(code: str, weight: int) -> dict[str, Any]:
    return {
        "code": code,
        "title_th": f"เกณฑ์ {code}",
        "weight": weight,
        "scoring": {"kind": "rubric", "descriptors": {"5": "ดำเนินการครบทุกขั้นตอน"}},
    }


def indicator_criterion(code: str, weight: int) -> dict[str, Any]:
    return {
        "code": code,
        "title_th": f"เกณฑ์ {code}",
        "weight": weight,
        "scoring": {
            "kind": "from_indicator",
            "indicator_code": "P2570-01-I1",
            "thresholds": ["50", "65", "80", "95"],
        },
    }


def action_plan(criterion_weights: tuple[int, int] = (60, 40)) -> dict[str, Any]:
    """Two dimensions, each a rubric criterion and one scored from an indicator."""
    first, second = criterion_weights
    return {
        "framework_id": "ap-eval",
        "title_th": "การประเมินแผนปฏิบัติการประจำปี",
        "evaluation_type": "action_plan",
        "scale_id": "five-level",
        "aggregation": "mean",
        "nodes": [
            {
                "code": f"D{d}",
                "title_th": f"ด้านที่ {d}",
                "weight": 50,
                "children": [
                    rubric_criterion(f"D{d}C1", first),
                    indicator_criterion(f"D{d}C2", second),
                ],
            }
            for d in (1, 2)
        ],
    }


def problems(response: httpx.Response) -> dict[str, str]:
    return {".".join(map(str, d["loc"][1:])): d["type"] for d in response.json()["detail"]}


async def test_a_framework_is_drafted_edited_published_then_frozen(settings: Settings) -> None:
    async with running(bootstrap(settings)) as api:
        api.headers.update(await key_for(settings, "evaluation", "officer"))
        drafted = await api.post("/frameworks", json=action_plan())
        assert drafted.status_code == 201, drafted.text
        assert (drafted.json()["version"], drafted.json()["status"]) == (1, "draft")
        assert (await api.post("/frameworks", json=action_plan())).status_code == 409

        edited = action_plan((70, 30))
        edited["title_th"] = "การประเมินแผนปฏิบัติการประจำปี 2570"
        put = await api.put("/frameworks/ap-eval/versions/1", json=edited)
        assert put.status_code == 200, put.text
        published = await api.post("/frameworks/ap-eval/versions/1/publish")
        assert published.status_code == 200, published.text
        assert published.json()["status"] == "published"
        first = (await api.get("/frameworks/ap-eval/versions/1")).json()
        assert first["title_th"].endswith("2570") and first["status"] == "published"
        assert first["nodes"][0]["children"][0]["weight"] == "70"

        refused = await api.put("/frameworks/ap-eval/versions/1", json=action_plan())
        assert refused.status_code == 409
        assert problems(refused) == {"version": "immutable"}
        assert (await api.post("/frameworks/ap-eval/versions/1/publish")).status_code == 409

        second = await api.post("/frameworks", json=action_plan((55, 45)))
        assert second.status_code == 201 and second.json()["version"] == 2
        assert (await api.post("/frameworks/ap-eval/versions/2/publish")).status_code == 200
        versions = (await api.get("/frameworks/ap-eval/versions")).json()
        assert [(v["version"], v["status"]) for v in versions] == [
            (1, "published"),
            (2, "published"),
        ]
        # The old version is unchanged: scores given against it still read it.
        assert (await api.get("/frameworks/ap-eval/versions/1")).json() == first
        assert len((await api.get("/frameworks")).json()) == 2
        assert (await api.get("/frameworks/ap-eval/versions/9")).status_code == 404


async def test_publish_lists_every_problem_at_its_node(settings: Settings) -> None:
    async with running(bootstrap(settings)) as api:
        api.headers.update(await key_for(settings, "evaluation", "officer"))
        assert (await api.post("/frameworks", json=action_plan((50, 40)))).status_code == 201
        refused = await api.post("/frameworks/ap-eval/versions/1/publish")
        assert refused.status_code == 422
        assert problems(refused) == {"nodes.D1": "weights_sum", "nodes.D2": "weights_sum"}
        assert "sum to 90, not 100" in refused.text
        assert (await api.get("/frameworks/ap-eval/versions/1")).json()["status"] == "draft"


async def test_a_tree_four_levels_deep_is_refused(settings: Settings) -> None:
    deep = action_plan()
    leaf = deep["nodes"][0]["children"][0]
    leaf.pop("scoring")
    leaf["children"] = [
        {
            "code": "S1",
            "title_th": "เกณฑ์ย่อย",
            "weight": 100,
            "children": [rubric_criterion("S1X", 100)],
        }
    ]
    async with running(bootstrap(settings)) as api:
        api.headers.update(await key_for(settings, "evaluation", "officer"))
        assert (await api.post("/frameworks", json=deep)).status_code == 201
        refused = await api.post("/frameworks/ap-eval/versions/1/publish")
        assert refused.status_code == 422
        assert problems(refused) == {"nodes.D1.D1C1.S1": "too_deep"}


async def test_unknown_fields_are_refused_at_any_depth(settings: Settings) -> None:
    body = action_plan()
    body["colour"] = "red"
    nested = copy.deepcopy(action_plan())
    nested["nodes"][1]["children"][0]["colour"] = "red"
    async with running(bootstrap(settings)) as api:
        api.headers.update(await key_for(settings, "evaluation", "officer"))
        refused = await api.post("/frameworks", json=body)
        assert refused.status_code == 422 and problems(refused) == {"colour": "extra_forbidden"}
        refused = await api.post("/frameworks", json=nested)
        assert refused.status_code == 422
        assert problems(refused) == {"nodes.1.children.0.colour": "extra_forbidden"}
        assert (await api.get("/frameworks")).json() == []


async def test_the_seed_scales_are_listed(settings: Settings) -> None:
    async with running(bootstrap(settings)) as api:
        api.headers.update(await key_for(settings, "evaluation", "officer"))
        scales = (await api.get("/scales")).json()
        assert {s["scale_id"]: len(s["levels"]) for s in scales} == {
            "five-level": 5,
            "four-level": 4,
        }
        five = next(s for s in scales if s["scale_id"] == "five-level")
        assert five["levels"][-1]["label_th"] == "ยอดเยี่ยม"
