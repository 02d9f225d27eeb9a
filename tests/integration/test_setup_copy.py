"""What services hold of the set-up in memory, against the real MongoDB server: a
service's copy (`shared.platform.replica`) forgets what it holds as soon as a change is
applied; monitoring's derived views are built once for the handlers asking at once."""

import asyncio
import uuid

import pytest

from shared.contracts.setup import Indicator, SetupChanged
from shared.platform.mongo import make_client
from shared.platform.replica import SetupReplica
from shared.platform.settings import Settings

pytestmark = pytest.mark.integration


def indicator(code: str, project_code: str) -> Indicator:
    return Indicator(
        code=code,
        project_code=project_code,
        name_th=f"ร้อยละของนักเรียนที่อ่านออกเขียนได้ ({code})",
        unit_of_measure="ร้อยละ",
        indicator_type="percent",
    )


async def test_a_search_held_is_forgotten_when_a_change_is_applied(settings: Settings) -> None:
    client = make_client(settings.mongodb_url)
    db = client[f"setup_copy_{uuid.uuid4().hex[:8]}"]
    try:
        copy = SetupReplica(db, whole=("indicator",))
        first = indicator("P01-I1", "P01")
        await copy.apply(SetupChanged(revision=1, key=first.key, entity=first))
        wanted = {"project_code": {"$in": ["P01", "P02"]}}
        assert [i.code for i in await copy.search("indicator", wanted)] == ["P01-I1"]
        assert [i.code for i in await copy.search("indicator", wanted)] == ["P01-I1"]  # from memory

        second = indicator("P02-I1", "P02")
        await copy.apply(SetupChanged(revision=2, key=second.key, entity=second))
        found = await copy.search("indicator", wanted)
        assert [i.code for i in found] == ["P01-I1", "P02-I1"]
        found.clear()  # a caller changing its list does not change what is held
        assert len(await copy.search("indicator", wanted)) == 2

        other = SetupReplica(db, whole=("indicator",))  # another process's copy, applied here
        assert [i.code for i in await other.search("indicator", {"project_code": "P02"})] == [
            "P02-I1"
        ]
    finally:
        await client.drop_database(db.name)
        await client.close()


async def test_a_view_asked_by_many_at_once_is_built_once(settings: Settings) -> None:
    from services.monitoring.adapters.setup_store import MongoSetupStore

    client = make_client(settings.mongodb_url)
    db = client[f"setup_memo_{uuid.uuid4().hex[:8]}"]
    built = 0

    async def build() -> str:
        nonlocal built
        built += 1
        await asyncio.sleep(0.05)
        return "view"

    async def rounds() -> str:
        return "rounds"

    async def failing() -> str:
        raise ConnectionError("the database went away")

    try:
        store = MongoSetupStore(db)
        await store.memo("rounds", rounds)  # the revision read: the first check is done
        views = await asyncio.gather(*(store.memo("progress view", build) for _ in range(100)))
        assert views == ["view"] * 100 and built == 1
        with pytest.raises(ConnectionError):
            await store.memo("units", failing)
        assert await store.memo("units", build) == "view"  # a failed build is not kept
    finally:
        await client.drop_database(db.name)
        await client.close()
