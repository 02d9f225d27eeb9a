"""One outbox for every service: an event is stored with the change it announces.

A document that changes — a submission, an evaluation, a report request, a set-up entity,
a claim — carries the events announcing the change in its `outbox` field, written by the
same update (`outbox_push` or `outbox_fields`), so a change is never stored without its
event, nor announced without being stored. Right after the write the handler announces
(`announce`): publish, then take the event out. Whatever a crash or a broker outage leaves
behind, the relay (`relay`, a job of every service that has an outbox, declared where the
service is assembled) publishes later with the same event id; consumers are idempotent.

One vocabulary: events are *announced*; an outbox lists what is *unannounced*.
"""

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import ASCENDING, UpdateOne
from pymongo.asynchronous.collection import AsyncCollection

from shared.contracts.base import Envelope

OUTBOX = "outbox"
OUTBOX_AT = "outbox_at"
RELAY_AFTER = timedelta(seconds=5)  # younger events are being announced by their handler
TAKE_OUT_AFTER_S = 0.01  # announced events are taken out together, this often at most

Publish = Callable[[Envelope[Any]], Awaitable[None]]
"""The one way a service publishes: an envelope to the events exchange, confirmed."""


def _stored(envelopes: Sequence[Envelope[Any] | dict[str, Any]]) -> list[dict[str, Any]]:
    return [e if isinstance(e, dict) else e.model_dump(mode="json") for e in envelopes]


def outbox_fields(
    *envelopes: Envelope[Any] | dict[str, Any], now: datetime | None = None
) -> dict[str, Any]:
    """The outbox of a document written whole (insert or replace): exactly these events
    (an envelope already dumped with `model_dump(mode="json")` is stored as it is)."""
    return {OUTBOX: _stored(envelopes), OUTBOX_AT: now or datetime.now(UTC)}


def outbox_push(*envelopes: Envelope[Any], now: datetime | None = None) -> dict[str, Any]:
    """The part of an update that adds these events to a document's outbox.

    Merge it into the update's own operators with `merged`."""
    return {
        "$push": {OUTBOX: {"$each": _stored(envelopes)}},
        "$set": {OUTBOX_AT: now or datetime.now(UTC)},
    }


def merged(*updates: dict[str, Any]) -> dict[str, Any]:
    """Update documents combined operator by operator (`$set` with `$set`, …)."""
    combined: dict[str, dict[str, Any]] = {}
    for update in updates:
        for operator, fields in update.items():
            combined.setdefault(operator, {}).update(fields)
    return combined


class Outbox:
    """The events waiting in the documents of one collection.

    Taking announced events out is batched: handlers running at once (a consumer's
    prefetch) share one `bulk_write`, each still waiting until its own event is out."""

    def __init__(self, collection: AsyncCollection[dict[str, Any]]) -> None:
        self.collection = collection
        self._taken: list[tuple[Any, str]] = []
        self._taking: asyncio.Future[None] | None = None

    @property
    def name(self) -> str:
        return self.collection.name

    async def create_indexes(self) -> None:
        await self.collection.create_index([(OUTBOX_AT, ASCENDING)])

    async def unannounced(
        self, older_than: timedelta = RELAY_AFTER, limit: int = 500, now: datetime | None = None
    ) -> list[tuple[Any, Envelope[dict[str, Any]]]]:
        """(document id, event) for events stored more than `older_than` ago, oldest first."""
        cutoff = (now or datetime.now(UTC)) - older_than
        cursor = self.collection.find(
            {f"{OUTBOX}.0": {"$exists": True}, OUTBOX_AT: {"$lte": cutoff}},
            projection={OUTBOX: True},
        )
        held = await cursor.sort([(OUTBOX_AT, ASCENDING), ("_id", ASCENDING)]).to_list(limit)
        return [
            (document["_id"], Envelope[dict[str, Any]].model_validate(event))
            for document in held
            for event in document[OUTBOX]
        ]

    async def backlog(self, now: datetime | None = None) -> tuple[int, float]:
        """How many documents hold unannounced events, and the oldest one's age in seconds."""
        held = {f"{OUTBOX}.0": {"$exists": True}}
        count = await self.collection.count_documents(held)
        oldest = await self.collection.find_one(held, sort=[(OUTBOX_AT, ASCENDING)])
        if not oldest or not isinstance(oldest.get(OUTBOX_AT), datetime):
            return count, 0.0
        at = oldest[OUTBOX_AT]
        at = at if at.tzinfo else at.replace(tzinfo=UTC)
        return count, max(0.0, ((now or datetime.now(UTC)) - at).total_seconds())

    async def announced(self, document_id: Any, event_id: str) -> None:
        """The event reached the broker: take it out of the document's outbox."""
        self._taken.append((document_id, event_id))
        if self._taking is None:
            self._taking = asyncio.ensure_future(self._take_out())
        await asyncio.shield(self._taking)

    async def _take_out(self) -> None:
        await asyncio.sleep(TAKE_OUT_AFTER_S)  # let the handlers running now add theirs
        taken, self._taken, self._taking = self._taken, [], None
        await self.collection.bulk_write(
            [
                UpdateOne({"_id": document_id}, {"$pull": {OUTBOX: {"event_id": event_id}}})
                for document_id, event_id in taken
            ],
            ordered=False,
        )


async def announce(
    publish: Publish, outbox: Outbox, document_id: Any, *events: Envelope[Any]
) -> None:
    """Publish a stored change's events, taking each out of the outbox once confirmed.

    A failure is raised (the caller decides whether its request fails); the events stay in
    the outbox for the relay either way."""
    for event in events:
        await publish(event)
        await outbox.announced(document_id, str(event.event_id))


async def relay(
    publish: Publish, outboxes: Sequence[Outbox], older_than: timedelta = RELAY_AFTER
) -> int:
    """Publish every event a failure left unannounced, in every outbox; how many."""
    sent = 0
    for outbox in outboxes:
        for document_id, event in await outbox.unannounced(older_than):
            await announce(publish, outbox, document_id, event)
            sent += 1
    return sent
