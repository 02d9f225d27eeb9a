"""Intake, evaluation and reporting converge on monitoring's set-up, even from nothing."""

from typing import Any

import httpx
import pytest

from shared.platform.mongo import make_client
from shared.platform.settings import Settings
from tests.integration.test_setup_api import FORM, office
from tests.processes import ServiceProcess
from tests.support import eventually

pytestmark = pytest.mark.e2e

COPIES = ("intake", "evaluation", "reporting")


async def _snapshot(settings: Settings) -> dict[str, set[tuple[Any, ...]]]:
    """(id, revision, deleted) of monitoring's shared set-up and of each copy."""
    client = make_client(settings.mongodb_url)
    try:
        source = client[settings.database_of("monitoring")]["setup"].find({"shared": True})
        found = {"monitoring": {(d["_id"], d["revision"], d["deleted"]) async for d in source}}
        for name in COPIES:
            copy = client[settings.database_of(name)]["setup_copy"].find(
                {"entity": {"$exists": True}}
            )
            found[name] = {(d["_id"], d["revision"], d["deleted"]) async for d in copy}
    finally:
        await client.close()
    return found


def _converged(snapshot: dict[str, set[tuple[Any, ...]]]) -> bool:
    return bool(snapshot["monitoring"]) and all(
        snapshot[name] == snapshot["monitoring"] for name in COPIES
    )


async def test_copies_converge_after_a_restart_with_an_empty_database(
    settings: Settings, system: dict[str, ServiceProcess]
) -> None:
    async with httpx.AsyncClient(
        base_url=system["monitoring"].url, headers=system["monitoring"].officer
    ) as api:
        await office(api)
        await api.post("/fiscal-years/2570/standard-rounds")
        await api.post("/forms", json=FORM)
        await api.post("/forms/progress/versions/1/publish")
    first = await eventually(lambda: _snapshot(settings), _converged, timeout=30)
    assert len(first["monitoring"]) == 5 + 6 + 1  # units, rounds, the form

    system["intake"].stop()
    client = make_client(settings.mongodb_url)
    await client.drop_database(settings.database_of("intake"))
    await client.close()
    system["evaluation"].stop()
    async with httpx.AsyncClient(
        base_url=system["monitoring"].url, headers=system["monitoring"].officer
    ) as api:
        renamed = {
            "code": "8401000001",
            "unit_type": "school",
            "parent_code": "SESA-T1",
            "name_th": "โรงเรียนทดสอบวิทยา",
        }
        assert (await api.put("/units/8401000001", json=renamed)).status_code == 200
    system["intake"].start().wait_ready()
    system["evaluation"].start().wait_ready()

    after = await eventually(lambda: _snapshot(settings), _converged, timeout=30)
    assert after["intake"] == after["monitoring"] != first["monitoring"]
