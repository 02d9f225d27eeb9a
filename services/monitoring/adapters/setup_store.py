"""The set-up in MongoDB: one document per entity, with a growing revision and an outbox.

`{_id: "<entity>:<key>", entity, key, form_id?, revision, deleted, state, shared,
outbox: [envelope], outbox_at, updated_at}`.
A write stores the entity's new state with its `setup.changed.v1` in the document's outbox
(the platform's, `shared.platform.outbox`), in one update; the handler announces it. Whatever
a crash or a broker outage leaves there, the relay publishes later: the change and its event
cannot part. A newer revision's write replaces an older one's event (copies keep only the
newest revision of an entity anyway).
"""

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from datetime import UTC, datetime
from typing import Any, TypeVar, cast

from pydantic import TypeAdapter
from pymongo import ASCENDING, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase

from shared.contracts import Envelope
from shared.contracts.setup import SetupChanged, SetupEntity, SetupModel
from shared.platform.mongo import newer_index, put_newer
from shared.platform.outbox import OUTBOX, Outbox, outbox_fields

_ENTITY: TypeAdapter[Any] = TypeAdapter(SetupEntity)
T = TypeVar("T")


def to_entity(state: dict[str, Any]) -> SetupModel:
    """A stored state back to its model (the one place documents become entities)."""
    entity: SetupModel = _ENTITY.validate_python(state)
    return entity


class MongoSetupStore:
    """Set-up entities of every kind, addressed by (kind, key)."""

    RECHECK_S = 1.0  # how stale another process's change may be seen, at most

    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.entities = db["setup"]
        self.counters = db["counters"]
        self.outbox = Outbox(self.entities)
        # What is derived from the set-up (every unit by code, say), kept while the revision
        # is unchanged: progress reads it for every submission.
        self._memos: dict[str, asyncio.Future[Any]] = {}
        self._revision: int | None = None
        self._checked = 0.0

    async def memo(self, name: str, build: Callable[[], Awaitable[T]]) -> T:
        """`build()`'s answer, kept until the set-up changes (in any process)."""
        now = time.monotonic()
        if now - self._checked >= self.RECHECK_S:
            self._checked = now
            counter = await self.counters.find_one({"_id": "setup_revision"})
            revision = int(counter["value"]) if counter else 0
            if revision != self._revision:
                self._memos.clear()
                self._revision = revision
        # Held as it is being built: the handlers running at once (a full prefetch, after a
        # start or a change) wait for one build, not a hundred of the same.
        held = self._memos.get(name)
        if held is None:
            held = self._memos[name] = asyncio.ensure_future(build())
        try:
            return cast(T, await asyncio.shield(held))
        except Exception:
            if self._memos.get(name) is held:
                del self._memos[name]  # the next caller builds it again
            raise

    async def create_indexes(self) -> None:
        await self.entities.create_index([("entity", ASCENDING), ("key", ASCENDING)])
        await self.entities.create_index([("revision", ASCENDING)])
        await newer_index(self.entities, "revision")
        await self.entities.create_index([("entity", ASCENDING), ("form_id", ASCENDING)])
        await self.outbox.create_indexes()

    @staticmethod
    def document_id(kind: str, key: str) -> str:
        return f"{kind}:{key}"

    async def next_revision(self) -> int:
        counter = await self.counters.find_one_and_update(
            {"_id": "setup_revision"},
            {"$inc": {"value": 1}},
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        assert counter is not None
        return int(counter["value"])

    async def save(self, change: SetupChanged, event: Envelope[SetupChanged] | None) -> None:
        """Store the entity's state at `change.revision`, with the event announcing it.

        Without an event (a form draft) it stays monitoring's: never announced or resent.
        """
        entity = change.entity
        kind, key = entity.entity, change.key
        now = datetime.now(UTC)
        document = {
            "entity": kind,
            "key": key,
            "revision": change.revision,
            "deleted": change.deleted,
            "state": entity.model_dump(mode="json"),
            "shared": event is not None,
            **(outbox_fields(event, now=now) if event is not None else {OUTBOX: []}),
            "updated_at": now,
        }
        if form_id := getattr(entity, "form_id", None) if kind == "form" else None:
            document["form_id"] = form_id
        self._memos.clear()
        # A concurrent writer may have stored a newer revision: never go backwards.
        await put_newer(
            self.entities, self.document_id(kind, key), document, "revision", replace_equal=True
        )

    async def current(self, kind: str, key: str) -> SetupChanged | None:
        """The entity as last announced (tombstone included), or None if never stored."""
        document = await self.entities.find_one({"_id": self.document_id(kind, key)})
        return _change(document) if document else None

    async def get(self, kind: str, key: str) -> SetupModel | None:
        document = await self.entities.find_one({"_id": self.document_id(kind, key)})
        return to_entity(document["state"]) if document and not document["deleted"] else None

    async def find(self, kind: str, keys: Iterable[str]) -> dict[tuple[str, str], SetupModel]:
        """The live entities of `kind` with these keys (forms by form id, any version)."""
        wanted = sorted(set(keys))
        field = "form_id" if kind == "form" else "key"
        cursor = self.entities.find({"entity": kind, field: {"$in": wanted}, "deleted": False})
        return {(kind, doc.get(field, doc["key"])): to_entity(doc["state"]) async for doc in cursor}

    async def keys(self, kind: str) -> set[str]:
        """Keys of the live entities of a kind (forms: their form ids)."""
        field = "form_id" if kind == "form" else "key"
        return set(await self.entities.distinct(field, {"entity": kind, "deleted": False}))

    async def search(
        self, kind: str, where: dict[str, Any] | None = None, skip: int = 0, limit: int = 0
    ) -> list[SetupModel]:
        """Live entities of a kind, by key; `where` filters on state fields."""
        query: dict[str, Any] = {"entity": kind, "deleted": False}
        query.update({f"state.{name}": value for name, value in (where or {}).items()})
        cursor = self.entities.find(query).sort("key", ASCENDING).skip(skip).limit(limit)
        return [to_entity(doc["state"]) async for doc in cursor]

    async def changed_after(self, revision: int) -> AsyncIterator[SetupChanged]:
        """Every entity (tombstones included) last changed after `revision`, oldest first."""
        cursor = self.entities.find({"revision": {"$gt": revision}, "shared": True}).sort(
            "revision", ASCENDING
        )
        async for doc in cursor:
            yield _change(doc)


def _change(document: dict[str, Any]) -> SetupChanged:
    return SetupChanged(
        revision=document["revision"],
        key=document["key"],
        deleted=document["deleted"],
        entity=to_entity(document["state"]),
    )
