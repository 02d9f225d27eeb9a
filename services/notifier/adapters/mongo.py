"""The notifier's MongoDB: notices, digests (claims with their outbox) and deliveries."""

import contextlib
from datetime import datetime, timedelta
from typing import Any

from pymongo import ASCENDING, DESCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from services.notifier.domain.deliveries import Start
from services.notifier.domain.notices import Notice
from shared.contracts import Envelope
from shared.contracts.notifier import DeliveryDue
from shared.platform.outbox import Outbox, outbox_fields


class MongoNotices:
    """`notices`: `{_id: <notice key>, …notice, digest_id}`; `digest_id` None while waiting."""

    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.notices = db["notices"]

    async def create_indexes(self) -> None:
        await self.notices.create_index([("unit_code", ASCENDING), ("digest_id", ASCENDING)])
        await self.notices.create_index([("digest_id", ASCENDING)])

    async def add(self, notice: Notice) -> bool:
        """Keep a notice; False if one with its key is kept already (a redelivered event)."""
        try:
            await self.notices.insert_one(
                {"_id": notice.key, **notice.model_dump(mode="python"), "digest_id": None}
            )
        except DuplicateKeyError:
            return False
        return True

    async def waiting_units(self, made_before: datetime) -> list[str]:
        pipeline: list[dict[str, Any]] = [
            {"$match": {"digest_id": None, "created_at": {"$lte": made_before}}},
            {"$group": {"_id": "$unit_code"}},
        ]
        found = await (await self.notices.aggregate(pipeline)).to_list()
        return sorted(str(row["_id"]) for row in found)

    async def waiting(self, unit_code: str) -> list[Notice]:
        cursor = self.notices.find({"unit_code": unit_code, "digest_id": None}).sort("_id")
        return [Notice.model_validate(doc) async for doc in cursor]

    async def of_digest(self, digest_id: str) -> list[Notice]:
        cursor = self.notices.find({"digest_id": digest_id}).sort("_id")
        return [Notice.model_validate(doc) async for doc in cursor]

    async def mark(self, keys: list[str], digest_id: str) -> None:
        await self.notices.update_many(
            {"_id": {"$in": keys}, "digest_id": None}, {"$set": {"digest_id": digest_id}}
        )


class MongoDigests:
    """`digests`: one claim per digest id, its notices and its deliveries' requests."""

    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.digests = db["digests"]
        self.outbox = Outbox(self.digests)

    async def create_indexes(self) -> None:
        await self.outbox.create_indexes()

    async def exists(self, digest_id: str) -> bool:
        return await self.digests.find_one({"_id": digest_id}, projection={"_id": 1}) is not None

    async def claim(
        self, digest: dict[str, Any], events: list[Envelope[Any]], now: datetime
    ) -> bool:
        """Claim the digest with its deliveries' requests; False if it was claimed already."""
        try:
            await self.digests.insert_one(
                {**digest, "claimed_at": now, **outbox_fields(*events, now=now)}
            )
        except DuplicateKeyError:
            return False
        return True

    async def unmarked(self) -> list[dict[str, Any]]:
        return await self.digests.find({"notices_marked": False}).to_list()

    async def marked(self, digest_id: str) -> None:
        await self.digests.update_one({"_id": digest_id}, {"$set": {"notices_marked": True}})


class MongoDeliveries:
    """`deliveries`: `{_id: delivery id, channel, address, state, tries, attempts: […]}`."""

    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.deliveries = db["deliveries"]

    async def create_indexes(self) -> None:
        await self.deliveries.create_index([("updated_at", DESCENDING)])

    async def start(self, due: DeliveryDue, now: datetime, lease_s: float) -> Start:
        """Claim the delivery for this attempt: go, already sent, or busy elsewhere."""
        fresh = {
            "digest_id": due.digest_id,
            "unit_code": due.unit_code,
            "channel": due.channel,
            "address": due.address,
            "state": "pending",
            "tries": 0,
            "attempts": [],
            "created_at": now,
        }
        with contextlib.suppress(DuplicateKeyError):
            await self.deliveries.update_one(
                {"_id": due.delivery_id}, {"$setOnInsert": fresh}, upsert=True
            )
        claimable = {
            "_id": due.delivery_id,
            "$or": [
                {"state": {"$in": ["pending", "failed", "given_up"]}},
                {"state": "sending", "claimed_at": {"$lt": now - timedelta(seconds=lease_s)}},
            ],
        }
        claimed = await self.deliveries.update_one(
            claimable,
            {
                "$set": {"state": "sending", "claimed_at": now, "updated_at": now},
                "$inc": {"tries": 1},
            },
        )
        if claimed.modified_count:
            return "go"
        held = await self.deliveries.find_one({"_id": due.delivery_id})
        return "already_sent" if held and held["state"] == "sent" else "busy"

    async def sent(self, delivery_id: str, answer: str, now: datetime) -> None:
        await self.deliveries.update_one(
            {"_id": delivery_id},
            {
                "$set": {"state": "sent", "sent_at": now, "answer": answer, "updated_at": now},
                "$push": {"attempts": {"at": now, "outcome": "sent", "answer": answer}},
            },
        )

    async def failed(
        self, delivery_id: str, answer: str, now: datetime, give_up_after: int
    ) -> bool:
        """Record a failed attempt; give up (True) once it was the `give_up_after`th try.
        Giving up starts the count again, for an operator's replay."""
        held = await self.deliveries.find_one({"_id": delivery_id}) or {}
        gave_up = int(held.get("tries", 1)) >= give_up_after
        state = "given_up" if gave_up else "failed"
        fields: dict[str, Any] = {"state": state, "answer": answer, "updated_at": now}
        if gave_up:
            fields["tries"] = 0
        await self.deliveries.update_one(
            {"_id": delivery_id},
            {
                "$set": fields,
                "$push": {"attempts": {"at": now, "outcome": state, "answer": answer}},
            },
        )
        return gave_up

    async def recent(self, limit: int = 100) -> list[dict[str, Any]]:
        cursor = self.deliveries.find().sort("updated_at", DESCENDING).limit(limit)
        return await cursor.to_list()

    async def counts(self) -> dict[tuple[str, str], int]:
        """How many deliveries are in each (channel, state)."""
        pipeline: list[dict[str, Any]] = [
            {"$group": {"_id": {"channel": "$channel", "state": "$state"}, "n": {"$sum": 1}}}
        ]
        rows = await (await self.deliveries.aggregate(pipeline)).to_list()
        return {(r["_id"]["channel"], r["_id"]["state"]): int(r["n"]) for r in rows}
