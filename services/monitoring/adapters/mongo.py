"""Monitoring's MongoDB: the per-(round, unit) progress read model."""

from typing import Any

from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from services.monitoring.domain.progress import Tally, progress_id

ATTEMPTS = 5


class MongoProgressStore:
    """Rows `{_id: "<round>:<unit>", received, rejected, late, counted: [item, ...]}`.

    A tally is applied by one atomic update that matches only while its item is not yet in
    `counted`, so a redelivered event changes nothing. When the row is new, two concurrent
    upserts can race on `_id`; the loser finds the row and tries again.
    """

    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.rows = db["round_progress"]

    async def create_indexes(self) -> None:
        await self.rows.create_index([("round_id", 1), ("unit_code", 1)])

    async def count(self, tally: Tally) -> dict[str, Any]:
        key = progress_id(tally.round_id, tally.unit_code)
        for _ in range(ATTEMPTS):
            try:
                row = await self.rows.find_one_and_update(
                    {"_id": key, "counted": {"$ne": tally.item}},
                    {
                        "$inc": tally.increments,
                        "$push": {"counted": tally.item},
                        "$set": {"round_id": tally.round_id, "unit_code": tally.unit_code},
                    },
                    upsert=True,
                    return_document=ReturnDocument.AFTER,
                    projection={"counted": False},
                )
            except DuplicateKeyError:
                existing = await self.rows.find_one(
                    {"_id": key, "counted": tally.item}, projection={"counted": False}
                )
                if existing is not None:
                    return existing  # counted before: a redelivery
                continue  # lost a race creating the row; it exists now
            assert row is not None
            return row
        raise RuntimeError(f"could not count {tally.item} into {key}")

    async def get(self, round_id: str, unit_code: str) -> dict[str, Any] | None:
        return await self.rows.find_one(
            {"_id": progress_id(round_id, unit_code)}, projection={"counted": False}
        )
