"""A service's own copy of the monitoring set-up, kept from `setup.changed.v1`.

Intake, evaluation and reporting never read monitoring's database: each keeps this copy
in its own. A change is applied only if its revision is newer than the one held, so
redelivery and reordering do no harm. At every start the service asks monitoring to
resend what changed after the newest revision it holds (everything, when its copy is
empty), so a copy that started late or was lost converges.
"""

import asyncio
import json
import time
from collections import OrderedDict
from collections.abc import Sequence
from datetime import date
from typing import Any, Protocol

from pydantic import TypeAdapter
from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase

from shared.contracts import Envelope, make_envelope
from shared.contracts.setup import SetupChanged, SetupEntity, SetupModel, SetupResendRequested
from shared.platform.mongo import newer_index, put_newer
from shared.platform.outbox import Publish

_ENTITY: TypeAdapter[Any] = TypeAdapter(SetupEntity)


class SetupReplica:
    """`{_id: "<entity>:<key>", entity, key, revision, deleted, state}` in `setup_copy`, and
    `{_id: "revision", revision}`: the newest revision held.

    Reads come from memory while the newest revision held is unchanged (looked at, at most
    every `RECHECK_S`, with one read by `_id`): a submission's checks read the set-up several
    times, and a round brings thousands. Writes are by `_id` (with the revision held, through
    a compound unique index: mongo-java-server uses an index only for equalities on exactly
    its keys), so their cost does not grow with the set-up.

    The kinds named in `whole` (those a hot path reads one by one, a different key each
    time: intake's assignments, projects and indicators) are read whole, in one query, on
    first use after the revision moved, so a round's reads of them cost one query, not one
    per unit; a search of them by equality (or `$in`) on a field is answered from an index
    by that field, built in memory. (Brought up to date change by change instead, a change
    applied late with a lower revision — a retried message — could be missed.) They are held
    as compact JSON (a third of a model's memory: a nation's assignments are tens of
    thousands), each made a model when asked, the last `MODELS_HELD` kept as models."""

    RECHECK_S = 1.0
    GETS_HELD = 50_000
    SEARCHES_HELD = 256
    MODELS_HELD = 5_000

    def __init__(self, db: AsyncDatabase[dict[str, Any]], whole: Sequence[str] = ()) -> None:
        self.entities = db["setup_copy"]
        self._gets: OrderedDict[str, SetupModel | None] = OrderedDict()
        self._searches: OrderedDict[str, list[SetupModel]] = OrderedDict()
        self._revision: int | None = None
        self._checked = 0.0
        self._whole: dict[str, dict[str, bytes] | None] = dict.fromkeys(whole)
        self._by: dict[tuple[str, str], dict[Any, list[str]]] = {}
        self._models: OrderedDict[tuple[str, str], SetupModel] = OrderedDict()
        self._loading = asyncio.Lock()

    async def create_indexes(self) -> None:
        await self.entities.create_index([("entity", ASCENDING), ("key", ASCENDING)])
        await newer_index(self.entities, "revision")

    async def apply(self, change: SetupChanged) -> bool:
        """Hold the change unless an equal or newer revision of the entity is held; True if
        applied."""
        kind = change.entity.entity
        entity_id = f"{kind}:{change.key}"
        document = {
            "entity": kind,
            "key": change.key,
            "revision": change.revision,
            "deleted": change.deleted,
            "state": change.entity.model_dump(mode="json"),
        }
        if not await put_newer(self.entities, entity_id, document, "revision", replace_equal=False):
            return False
        await self.entities.update_one(
            {"_id": REVISION}, {"$max": {"revision": change.revision}}, upsert=True
        )
        self._forget()
        return True

    async def latest_revision(self) -> int:
        newest = await self.entities.find_one({"_id": REVISION})
        if newest is None:  # a copy from before the revision was kept on its own
            newest = await self.entities.find_one(
                {"entity": {"$exists": True}}, sort=[("revision", DESCENDING)]
            )
        return int(newest["revision"]) if newest else 0

    async def get(self, kind: str, key: str) -> SetupModel | None:
        await self._fresh()
        if kind in self._whole:
            raw = (await self._all(kind)).get(key)
            return None if raw is None else self._model(kind, key, raw)
        entity_id = f"{kind}:{key}"
        if entity_id in self._gets:
            self._gets.move_to_end(entity_id)
            return self._gets[entity_id]
        document = await self.entities.find_one({"_id": entity_id})
        found = None
        if document is not None and not document["deleted"]:
            found = _ENTITY.validate_python(document["state"])
        _hold(self._gets, entity_id, found, self.GETS_HELD)
        return found

    async def search(self, kind: str, where: dict[str, Any] | None = None) -> list[SetupModel]:
        await self._fresh()
        if kind in self._whole and (wanted := _equalities(where)) is not None:
            return await self._search_whole(kind, wanted)
        searches = self._searches  # a change forgetting them meanwhile makes new ones
        asked = json.dumps([kind, where], sort_keys=True, default=str)
        if (held := searches.get(asked)) is not None:
            searches.move_to_end(asked)
            return list(held)
        query: dict[str, Any] = {"entity": kind, "deleted": False}
        query.update({f"state.{name}": value for name, value in (where or {}).items()})
        cursor = self.entities.find(query).sort("key", ASCENDING)
        found = [_ENTITY.validate_python(doc["state"]) async for doc in cursor]
        _hold(searches, asked, found, self.SEARCHES_HELD)
        return list(found)

    async def _all(self, kind: str) -> dict[str, bytes]:
        """Every entity of a kind held whole, by key, as JSON (read in one query the first
        time)."""
        whole = self._whole  # a change forgetting it meanwhile makes a new one
        if (held := whole[kind]) is not None:
            return held
        async with self._loading:  # the handlers running at once wait for one read
            if (held := whole[kind]) is None:
                held = {}
                async for document in self.entities.find({"entity": kind}):
                    if not document["deleted"]:
                        held[document["key"]] = _compact(document["state"])
                whole[kind] = held
        return held

    def _model(self, kind: str, key: str, raw: bytes) -> SetupModel:
        """The entity as a model: validated from its JSON unless one of the last held."""
        held = self._models.get((kind, key))
        if held is None:
            held = _ENTITY.validate_json(raw)
            _hold(self._models, (kind, key), held, self.MODELS_HELD)
        else:
            self._models.move_to_end((kind, key))
        return held

    async def _search_whole(self, kind: str, wanted: dict[str, list[Any]]) -> list[SetupModel]:
        by = self._by  # as `_all`'s `whole`: a forgotten index is built into the old one
        held = await self._all(kind)
        (first, values), *others = wanted.items()
        index = by.get((kind, first))
        if index is None:
            index = by[(kind, first)] = {}
            for key, raw in held.items():  # by the models' values, as the other fields
                for value in _values_of(_ENTITY.validate_json(raw), first):
                    index.setdefault(value, []).append(key)
        keys = sorted({key for value in values for key in index.get(value, ())})
        found = [self._model(kind, key, held[key]) for key in keys]
        return [
            entity
            for entity in found
            if all(any(v in allowed for v in _values_of(entity, name)) for name, allowed in others)
        ]

    async def _fresh(self) -> None:
        """Forget what is held if another process applied a change since."""
        now = time.monotonic()
        if now - self._checked < self.RECHECK_S:
            return
        self._checked = now
        newest = await self.entities.find_one({"_id": REVISION})
        revision = int(newest["revision"]) if newest else 0
        if revision != self._revision:
            self._forget()
            self._revision = revision

    def _forget(self) -> None:
        self._gets.clear()
        self._searches = OrderedDict()
        self._whole = dict.fromkeys(self._whole)
        self._by = {}
        self._models.clear()


REVISION = "revision"


def _values_of(entity: SetupModel, name: str) -> tuple[Any, ...]:
    """A field's value as a query by equality sees it: each element of a list."""
    value = getattr(entity, name, None)
    return tuple(value) if isinstance(value, list | tuple) else (value,)


def _compact(state: dict[str, Any]) -> bytes:
    return json.dumps(state, separators=(",", ":"), ensure_ascii=False, default=_iso).encode()


def _iso(value: Any) -> str:
    """A stored date or time as the ISO text a model reads back."""
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not held as JSON")


def _equalities(where: dict[str, Any] | None) -> dict[str, list[Any]] | None:
    """`{field: value}` or `{field: {"$in": [...]}}` (one or more fields, scalar values) as
    the values allowed per field; None for anything else (asked of the database)."""
    if not where:
        return None
    wanted: dict[str, list[Any]] = {}
    for name, condition in where.items():
        values = condition["$in"] if isinstance(condition, dict) else [condition]
        if isinstance(condition, dict) and set(condition) != {"$in"}:
            return None
        if not all(isinstance(v, str | int) and not isinstance(v, bool) for v in values):
            return None
        wanted[name] = list(values)
    return wanted


def _hold(held: "OrderedDict[Any, Any]", key: Any, value: Any, most: int) -> None:
    held[key] = value
    if len(held) > most:
        held.popitem(last=False)


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
        await newer_index(self.documents, "at")

    async def keep(self, key: str, state: dict[str, Any], at: Any) -> None:
        await put_newer(self.documents, key, {**state, "at": at}, "at", replace_equal=True)

    async def all(self) -> list[dict[str, Any]]:
        return await self.documents.find().sort("_id").to_list()

    async def of_round(self, round_id: str) -> list[dict[str, Any]]:
        return await self.documents.find({"round_id": round_id}).sort("_id").to_list()
