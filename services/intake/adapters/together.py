"""Writes of the handlers running at once, sent to MongoDB as one command.

A consumer handles up to its prefetch of messages at once; each would send its own insert
and its own upsert. Here they wait a few milliseconds for the others and go as one
`insert_many` / `bulk_write` (unordered: one write's failure is not another's), and each
caller still gets its own write's outcome — a duplicate key raises `DuplicateKeyError` in
that caller only — before it publishes or acks. Nothing is acknowledged that is not written.
"""

import asyncio
from typing import Any

from pymongo import UpdateOne
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import BulkWriteError, DuplicateKeyError

GATHER_S = 0.005  # how long the first write of a batch waits for the others


class Together:
    """One collection's inserts and upserts, batched across the callers running at once."""

    def __init__(self, collection: AsyncCollection[dict[str, Any]]) -> None:
        self.collection = collection
        self._inserts: list[tuple[dict[str, Any], asyncio.Future[None]]] = []
        self._upserts: list[tuple[UpdateOne, asyncio.Future[None]]] = []
        self._sending: set[asyncio.Task[None]] = set()  # held: the loop keeps tasks weakly

    async def insert(self, document: dict[str, Any]) -> None:
        """Insert the document (with the others waiting now); `DuplicateKeyError` as
        `insert_one` would raise it."""
        await self._join(self._inserts, document, self._send_inserts)

    async def upsert(self, where: dict[str, Any], update: dict[str, Any]) -> None:
        """`update_one(where, update, upsert=True)`, with the others waiting now."""
        await self._join(self._upserts, UpdateOne(where, update, upsert=True), self._send_upserts)

    async def _join(self, waiting: list[Any], write: Any, send: Any) -> None:
        done = asyncio.get_running_loop().create_future()
        waiting.append((write, done))
        if len(waiting) == 1:
            asyncio.get_running_loop().call_later(GATHER_S, self._start, send)
        await done

    def _start(self, send: Any) -> None:
        task = asyncio.ensure_future(send())
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def _send_inserts(self) -> None:
        batch, self._inserts = self._inserts, []
        await _settle(batch, self.collection.insert_many([d for d, _ in batch], ordered=False))

    async def _send_upserts(self) -> None:
        batch, self._upserts = self._upserts, []
        await _settle(batch, self.collection.bulk_write([u for u, _ in batch], ordered=False))


async def _settle(batch: list[tuple[Any, asyncio.Future[None]]], sent: Any) -> None:
    """Each caller's outcome: its own write error, the batch's failure, or success."""
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
    except BaseException as error:  # the whole batch failed: every caller retries
        for _, done in batch:
            if not done.done():
                done.set_exception(error)
        if not isinstance(error, Exception):
            raise
        return
    for index, (_, done) in enumerate(batch):
        if done.done():
            continue
        if index in failed:
            done.set_exception(failed[index])
        else:
            done.set_result(None)
