"""The commands of handlers running at once, sent as one (`shared.platform.together`),
against the real MongoDB server: each caller gets its own outcome."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
from pymongo import AsyncMongoClient, monitoring
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import BulkWriteError, DuplicateKeyError

from shared.platform.settings import Settings
from shared.platform.together import Together

pytestmark = pytest.mark.integration


class Counted(monitoring.CommandListener):
    """A PyMongo command listener: how many commands of each name reached the server."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def started(self, event: Any) -> None:
        self.names.append(event.command_name)

    def succeeded(self, event: Any) -> None: ...

    def failed(self, event: Any) -> None: ...


@pytest.fixture
async def collection(
    settings: Settings,
) -> AsyncIterator[tuple[AsyncCollection[dict[str, Any]], Counted]]:
    counted = Counted()
    client: AsyncMongoClient[dict[str, Any]] = AsyncMongoClient(
        settings.mongodb_url, event_listeners=[counted]
    )
    name = f"together_{uuid.uuid4().hex[:8]}"
    try:
        yield client[name]["things"], counted
    finally:
        await client.drop_database(name)
        await client.close()


async def test_inserts_at_once_are_one_command_and_a_duplicate_fails_only_its_caller(
    collection: tuple[AsyncCollection[dict[str, Any]], Counted],
) -> None:
    things, counted = collection
    await things.insert_one({"_id": "taken"})
    together = Together(things)
    counted.names.clear()
    outcomes = await asyncio.gather(
        *(together.insert({"_id": f"t{i}"}) for i in range(20)),
        together.insert({"_id": "taken"}),
        return_exceptions=True,
    )
    assert outcomes[:20] == [None] * 20
    assert isinstance(outcomes[20], DuplicateKeyError)
    assert counted.names == ["insert"]
    assert await things.count_documents({}) == 21


async def test_upserts_and_reads_at_once_each_get_their_own(
    collection: tuple[AsyncCollection[dict[str, Any]], Counted],
) -> None:
    things, counted = collection
    together = Together(things)
    counted.names.clear()
    # Two writers of the same document in one batch: both applied ($max: the order is moot).
    await asyncio.gather(
        *(together.upsert({"_id": f"u{i % 10}"}, {"$max": {"n": i}}) for i in range(20))
    )
    found = await asyncio.gather(*(together.find([f"u{i}", "missing"]) for i in range(10)))
    assert [sorted(f) for f in found] == [[f"u{i}"] for i in range(10)]
    assert [f[f"u{i}"]["n"] for i, f in enumerate(found)] == [i + 10 for i in range(10)]
    assert counted.names == ["update", "find"]
    assert await together.find([]) == {}


async def test_a_counter_taken_at_once_gives_each_caller_its_own_number(
    collection: tuple[AsyncCollection[dict[str, Any]], Counted],
) -> None:
    things, counted = collection
    together = Together(things)
    first = await together.increment("seq", "value")
    counted.names.clear()
    numbers = await asyncio.gather(
        *(together.increment("seq", "value") for _ in range(30)),
        together.increment("other", "value"),
    )
    assert sorted(numbers[:30]) == list(range(first + 1, first + 31))
    assert numbers[30] == 1
    assert counted.names == ["findAndModify", "findAndModify"]  # one per counter


async def test_a_write_the_server_refuses_fails_its_caller_alone(
    collection: tuple[AsyncCollection[dict[str, Any]], Counted],
) -> None:
    things, counted = collection
    together = Together(things)
    counted.names.clear()
    outcomes = await asyncio.gather(
        together.upsert({"_id": "a"}, {"$inc": {"n": 1}}),
        together.upsert({"_id": "b"}, {"$inc": {"n": "not a number"}}),
        together.upsert({"_id": "c"}, {"$inc": {"n": 1}}),
        return_exceptions=True,
    )
    assert outcomes[0] is None and outcomes[2] is None
    assert isinstance(outcomes[1], BulkWriteError)
    assert counted.names == ["update"]
    assert sorted([d["_id"] async for d in things.find()]) == ["a", "c"]


async def test_a_caller_with_nothing_ahead_goes_at_once_and_those_after_it_together(
    collection: tuple[AsyncCollection[dict[str, Any]], Counted],
) -> None:
    things, counted = collection
    together = Together(things)
    counted.names.clear()
    first = asyncio.ensure_future(together.insert({"_id": "first"}))
    await asyncio.sleep(0)  # its command is on its way: no wait for others
    later = [together.insert({"_id": f"later{i}"}) for i in range(10)]
    await asyncio.gather(first, *later)
    assert counted.names == ["insert", "insert"]  # the first alone, the ten meanwhile as one
    assert await things.count_documents({}) == 11
