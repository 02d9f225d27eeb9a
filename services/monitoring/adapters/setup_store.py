"""The set-up in MongoDB: one document per entity, with a growing revision and an outbox flag.

`{_id: "<entity>:<key>", entity, key, form_id?, revision, deleted, state, shared, pending,
updated_at}`.
A write stores the entity with `pending: true` in the same document; the handler publishes
`setup.changed.v1` and then clears the flag. Whatever a crash left pending, the relay
publishes later: the change and its event cannot part.
"""

import contextlib
from collections.abc import AsyncIterator, Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import TypeAdapter
from pymongo import ASCENDING, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from shared.contracts.setup import SetupChanged, SetupEntity, SetupModel

_ENTITY: TypeAdapter[Any] = TypeAdapter(SetupEntity)


def to_entity(state: dict[str, Any]) -> SetupModel:
    """A stored state back to its model (the one place documents become entities)."""
    entity: SetupModel = _ENTITY.validate_python(state)
    return entity


class MongoSetupStore:
    """Set-up entities of every kind, addressed by (kind, key)."""

    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.entities = db["setup"]
        self.counters = db["counters"]

    async def create_indexes(self) -> None:
        await self.entities.create_index([("entity", ASCENDING), ("key", ASCENDING)])
        await self.entities.create_index([("revision", ASCENDING)])
        await self.entities.create_index([("pending", ASCENDING)])
        await self.entities.create_index([("entity", ASCENDING), ("form_id", ASCENDING)])

    async def next_revision(self) -> int:
        counter = await self.counters.find_one_and_update(
            {"_id": "setup_revision"},
            {"$inc": {"value": 1}},
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        assert counter is not None
        return int(counter["value"])

    async def save(
        self, entity: SetupModel, *, deleted: bool = False, shared: bool = True
    ) -> SetupChanged:
        """Store the entity's new state and return the event that announces it.

        `shared=False` keeps it to monitoring (a form draft): never published or resent.
        """
        kind, key = entity.entity, entity.key
        revision = await self.next_revision()
        document = {
            "entity": kind,
            "key": key,
            "revision": revision,
            "deleted": deleted,
            "state": entity.model_dump(mode="json"),
            "shared": shared,
            "pending": shared,
            "updated_at": datetime.now(UTC),
        }
        if form_id := getattr(entity, "form_id", None) if kind == "form" else None:
            document["form_id"] = form_id
        # A concurrent writer may have stored a newer revision: never go backwards.
        with contextlib.suppress(DuplicateKeyError):  # the newer state stays
            await self.entities.update_one(
                {"_id": f"{kind}:{key}", "revision": {"$not": {"$gt": revision}}},
                {"$set": document},
                upsert=True,
            )
        return SetupChanged(revision=revision, key=key, deleted=deleted, entity=entity)

    async def mark_published(self, change: SetupChanged) -> None:
        await self.entities.update_one(
            {"_id": f"{change.entity.entity}:{change.key}", "revision": change.revision},
            {"$set": {"pending": False}},
        )

    async def current(self, kind: str, key: str) -> SetupChanged | None:
        """The entity as last announced (tombstone included), or None if never stored."""
        document = await self.entities.find_one({"_id": f"{kind}:{key}"})
        return _change(document) if document else None

    async def get(self, kind: str, key: str) -> SetupModel | None:
        document = await self.entities.find_one({"_id": f"{kind}:{key}", "deleted": False})
        return to_entity(document["state"]) if document else None

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

    async def pending(self, older_than: timedelta) -> list[SetupChanged]:
        """Changes stored but not (known to be) published, left by a crash or a broker outage."""
        cutoff = datetime.now(UTC) - older_than
        cursor = self.entities.find({"pending": True, "updated_at": {"$lte": cutoff}}).sort(
            "revision", ASCENDING
        )
        return [_change(doc) async for doc in cursor]


def _change(document: dict[str, Any]) -> SetupChanged:
    return SetupChanged(
        revision=document["revision"],
        key=document["key"],
        deleted=document["deleted"],
        entity=to_entity(document["state"]),
    )
