"""A service's own copy of the monitoring set-up, kept from `setup.changed.v1`.

Intake, evaluation and reporting never read monitoring's database: each keeps this copy
in its own. A change is applied only if its revision is newer than the one held, so
redelivery and reordering do no harm. At every start the service asks monitoring to
resend what changed after the newest revision it holds (everything, when its copy is
empty), so a copy that started late or was lost converges.
"""

import contextlib
from typing import Any, Protocol

from pydantic import TypeAdapter
from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from shared.contracts import Envelope, make_envelope
from shared.contracts.setup import SetupChanged, SetupEntity, SetupModel, SetupResendRequested
from shared.platform.outbox import Publish

_ENTITY: TypeAdapter[Any] = TypeAdapter(SetupEntity)


class SetupReplica:
    """`{_id: "<entity>:<key>", entity, key, revision, deleted, state}` in `setup_copy`."""

    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.entities = db["setup_copy"]

    async def create_indexes(self) -> None:
        await self.entities.create_index([("entity", ASCENDING), ("key", ASCENDING)])
        await self.entities.create_index([("revision", DESCENDING)])

    async def apply(self, change: SetupChanged) -> bool:
        """Hold the change unless a newer revision of the entity is held; True if applied."""
        kind = change.entity.entity
        document = {
            "entity": kind,
            "key": change.key,
            "revision": change.revision,
            "deleted": change.deleted,
            "state": change.entity.model_dump(mode="json"),
        }
        with contextlib.suppress(DuplicateKeyError):  # an equal or newer revision is held
            result = await self.entities.update_one(
                {"_id": f"{kind}:{change.key}", "revision": {"$lt": change.revision}},
                {"$set": document},
                upsert=True,
            )
            return result.modified_count > 0 or result.upserted_id is not None
        return False

    async def latest_revision(self) -> int:
        newest = await self.entities.find_one({}, sort=[("revision", DESCENDING)])
        return int(newest["revision"]) if newest else 0

    async def get(self, kind: str, key: str) -> SetupModel | None:
        document = await self.entities.find_one({"_id": f"{kind}:{key}", "deleted": False})
        return _ENTITY.validate_python(document["state"]) if document else None

    async def search(self, kind: str, where: dict[str, Any] | None = None) -> list[SetupModel]:
        query: dict[str, Any] = {"entity": kind, "deleted": False}
        query.update({f"state.{name}": value for name, value in (where or {}).items()})
        cursor = self.entities.find(query).sort("key", ASCENDING)
        return [_ENTITY.validate_python(doc["state"]) async for doc in cursor]


class HasSetupCopy(Protocol):
    """Ports of a service that keeps a copy of the set-up."""

    @property
    def setup(self) -> "SetupCopy": ...


class SetupCopy(Protocol):
    async def apply(self, change: SetupChanged) -> bool: ...
    async def latest_revision(self) -> int: ...


async def on_setup_changed(envelope: Envelope[SetupChanged], ports: HasSetupCopy) -> None:
    """Keeps this service's copy of the monitoring set-up (the newer revision wins)."""
    await ports.setup.apply(envelope.data)


async def request_setup(service: str, replica: SetupCopy, publish: Publish) -> None:
    """Ask monitoring for every change after the newest revision this copy holds.

    Runs before the service consumes: changes queued while it was down must not raise the
    newest revision held above a gap (an emptied database, say) before it asks.
    """
    after = await replica.latest_revision()
    await publish(
        make_envelope(
            SetupResendRequested(requested_by=service, after_revision=after),
            producer=service,
            correlation_id=f"resend-{service}-{after}",
        )
    )


class LatestCopies:
    """Copies of other services' published state, one document per key, the newest wins.

    For events that carry a whole state and when it was computed (rates, project
    progress): redelivered or reordered events never replace newer state with older.
    """

    def __init__(self, db: AsyncDatabase[dict[str, Any]], collection: str) -> None:
        self.documents = db[collection]

    async def create_indexes(self) -> None:
        await self.documents.create_index([("round_id", ASCENDING)])

    async def keep(self, key: str, state: dict[str, Any], at: Any) -> None:
        with contextlib.suppress(DuplicateKeyError):  # a newer state is held
            await self.documents.update_one(
                {"_id": key, "at": {"$not": {"$gt": at}}},
                {"$set": {**state, "at": at}},
                upsert=True,
            )

    async def all(self) -> list[dict[str, Any]]:
        return await self.documents.find().sort("_id").to_list()

    async def of_round(self, round_id: str) -> list[dict[str, Any]]:
        return await self.documents.find({"round_id": round_id}).sort("_id").to_list()
