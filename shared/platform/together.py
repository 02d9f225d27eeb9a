"""Commands of the handlers running at once, sent to MongoDB as one.

A consumer handles up to its prefetch of messages at once; each would send its own insert,
its own upsert, its own read by `_id`. Here those of one kind go as one command while the
previous one of that kind is on its way (a caller with nothing ahead of it goes at once,
with those that came in the same turn of the loop: no wait when little arrives, large
batches when much does) — `insert_many`, `bulk_write` (unordered: one write's failure is not
another's), one `find` with `$in` — and each caller still gets its own outcome: a duplicate
key raises `DuplicateKeyError` in that caller only, a read returns that caller's documents.
Nothing is acknowledged that is not written: each caller awaits its own write before it
publishes or acks. Counters are taken the same way: the callers of one counter share one
`$inc` and each gets a number of its own.
"""

import asyncio
from collections.abc import Awaitable, Callable, Coroutine, Iterable
from typing import Any

from pymongo import ReturnDocument, UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import BulkWriteError, DuplicateKeyError

Waiting = list[tuple[Any, asyncio.Future[Any]]]


class Together:
    """One collection's inserts, upserts, reads by `_id` and counters, batched across the
    callers running at once. A document read is made into what callers use (`shape`) once
    for all who asked for it: they share it, and do not change it."""

    def __init__(
        self,
        collection: AsyncCollection[dict[str, Any]],
        shape: Callable[[dict[str, Any]], dict[str, Any]] = lambda document: document,
    ) -> None:
        self.collection = collection
        self.shape = shape
        self._waiting: dict[str, Waiting] = {}
        self._sending: dict[str, asyncio.Task[None]] = {}  # held: the loop keeps tasks weakly

    async def insert(self, document: dict[str, Any]) -> None:
        """Insert the document (with the others waiting now); `DuplicateKeyError` as
        `insert_one` would raise it."""
        await self._join("insert", document, self._send_inserts)

    async def upsert(self, where: dict[str, Any], update: dict[str, Any]) -> None:
        """`update_one(where, update, upsert=True)`, with the others waiting now."""
        await self._join("upsert", UpdateOne(where, update, upsert=True), self._send_upserts)

    async def find(self, ids: Iterable[Any]) -> dict[Any, dict[str, Any]]:
        """The documents of these `_id`s that exist, by `_id` (one `$in` for all waiting)."""
        wanted = set(ids)
        if not wanted:
            return {}
        found: dict[Any, dict[str, Any]] = await self._join("find", wanted, self._send_finds)
        return {key: found[key] for key in wanted if key in found}

    async def increment(self, document_id: Any, field: str) -> int:
        """The counter's next value, distinct for each caller: those waiting on the same
        counter share one `find_one_and_update` that adds how many they are."""
        value: int = await self._join("increment", (document_id, field), self._send_increments)
        return value

    async def _join(
        self, kind: str, item: Any, send: Callable[[Waiting], Coroutine[Any, Any, None]]
    ) -> Any:
        done: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        waiting = self._waiting.setdefault(kind, [])
        waiting.append((item, done))
        if len(waiting) == 1 and kind not in self._sending:
            asyncio.get_running_loop().call_soon(self._start, kind, send)
        return await done

    def _start(self, kind: str, send: Callable[[Waiting], Coroutine[Any, Any, None]]) -> None:
        """Send what waits of a kind; when it is done, what came meanwhile."""
        batch = self._waiting.pop(kind, [])
        if not batch:
            return
        task = asyncio.ensure_future(_failing_all(batch, send(batch)))
        self._sending[kind] = task

        def sent(_: asyncio.Task[None]) -> None:
            del self._sending[kind]
            if self._waiting.get(kind):
                self._start(kind, send)

        task.add_done_callback(sent)

    async def _send_inserts(self, batch: Waiting) -> None:
        await _settle(batch, self.collection.insert_many([d for d, _ in batch], ordered=False))

    async def _send_upserts(self, batch: Waiting) -> None:
        await _settle(batch, self.collection.bulk_write([u for u, _ in batch], ordered=False))

    async def _send_finds(self, batch: Waiting) -> None:
        ids = sorted({key for wanted, _ in batch for key in wanted}, key=repr)
        found = {
            doc["_id"]: self.shape(doc) async for doc in self.collection.find({"_id": {"$in": ids}})
        }
        for _, done in batch:
            if not done.done():
                done.set_result(found)

    async def _send_increments(self, batch: Waiting) -> None:
        by_counter: dict[tuple[Any, str], list[asyncio.Future[Any]]] = {}
        for counter, done in batch:
            by_counter.setdefault(counter, []).append(done)
        for (document_id, field), callers in by_counter.items():
            counter = await self.collection.find_one_and_update(
                {"_id": document_id},
                {"$inc": {field: len(callers)}},
                upsert=True,
                return_document=ReturnDocument.AFTER,
            )
            assert counter is not None
            last = int(counter[field])
            for offset, done in enumerate(callers):
                if not done.done():
                    done.set_result(last - len(callers) + 1 + offset)


async def _failing_all(batch: Waiting, sent: Coroutine[Any, Any, None]) -> None:
    """A batch's command failing as a whole (the server away, say) fails every caller,
    each of which retries or dead-letters its own message."""
    try:
        await sent
    except BaseException as error:
        for _, done in batch:
            if not done.done():
                done.set_exception(error)
        if not isinstance(error, Exception):
            raise


async def _settle(batch: Waiting, sent: Any) -> None:
    """Each writer's outcome: its own write error, or success (a failure of the whole
    batch is raised, for `_failing_all`)."""
    failed: dict[int, Exception] = {}
    try:
        await sent
    except BulkWriteError as error:
        if error.details.get("writeConcernErrors"):
            failed = dict.fromkeys(range(len(batch)), error)
        for write_error in error.details.get("writeErrors", []):
            index, code = write_error["index"], write_error.get("code")
            message = write_error.get("errmsg", "write error")
            if code == 11000:  # as insert_one raises it: without the document ("op")
                details = {k: v for k, v in write_error.items() if k != "op"}
                failed[index] = DuplicateKeyError(message, code, details)
            else:
                failed[index] = BulkWriteError({"writeErrors": [write_error]})
    for index, (_, done) in enumerate(batch):
        if done.done():
            continue
        if index in failed:
            done.set_exception(failed[index])
        else:
            done.set_result(None)


class NewestAnnounced:
    """Announcements of a state where the newest wins (a scope's rates), shared by the
    handlers announcing the same key at once: one publish, of the newest state they read.

    Each caller passes the state it read after its own write, so any state read later holds
    that write too; the one published is the newest by `at` (then the last passed), the
    order a consumer keeps them by. Each caller waits until it is confirmed, so nothing is
    acked before its change is announced; a failed publish fails them all."""

    def __init__(self, publish: Callable[[Any], Awaitable[None]]) -> None:
        self.publish = publish
        self._waiting: dict[str, tuple[Any, Any, Callable[[Any], Any], list[Any]]] = {}
        self._sending: dict[str, asyncio.Task[None]] = {}

    async def announce(self, key: str, state: Any, at: Any, event: Callable[[Any], Any]) -> None:
        """Publish `event(state)` (an envelope), or a newer state's: at once when nothing of
        the key is on its way, else with the others that came meanwhile, when it is out."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        held = self._waiting.get(key)
        if held is None:
            self._waiting[key] = (state, at, event, [done])
            if key not in self._sending:
                asyncio.get_running_loop().call_soon(self._start, key)
        else:
            newest, newest_at, build, callers = held
            if not (at < newest_at):
                newest, newest_at, build = state, at, event
            self._waiting[key] = (newest, newest_at, build, [*callers, done])
        await done

    def _start(self, key: str) -> None:
        if key not in self._waiting:
            return
        state, _, event, callers = self._waiting.pop(key)
        batch: Waiting = [(None, done) for done in callers]
        task = asyncio.ensure_future(_failing_all(batch, self._send(state, event, callers)))
        self._sending[key] = task

        def sent(_: asyncio.Task[None]) -> None:
            del self._sending[key]
            self._start(key)

        task.add_done_callback(sent)

    async def _send(self, state: Any, event: Callable[[Any], Any], callers: list[Any]) -> None:
        await self.publish(event(state))
        for done in callers:
            if not done.done():
                done.set_result(None)
