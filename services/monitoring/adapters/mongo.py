"""Monitoring's MongoDB: the per-(round, unit) progress read model."""

from typing import Any

from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from services.monitoring.domain.progress import Tally, progress_id
from shared.platform.mongo import newer_index
from shared.platform.together import Together

ATTEMPTS = 5


class MongoProgressStore:
    """Rows `{_id: "<round>:<unit>", received, rejected, late, tallies, counted: [item, ...]}`.

    A tally is applied only if its item is not yet in `counted`, so a redelivered event
    changes nothing: the row is read by `_id`, then updated only while `tallies` (how many
    were applied) is still what was read — an equality on `(_id, tallies)`, which
    mongo-java-server serves from its compound unique index (it scans for `$ne`). A writer
    in between, or two creating the row at once: read again.
    """

    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.rows = db["round_progress"]
        self._rows = Together(self.rows)  # the reads and inserts of the events at once

    async def create_indexes(self) -> None:
        await self.rows.create_index([("round_id", 1), ("unit_code", 1)])
        await newer_index(self.rows, "tallies")

    async def count(self, tally: Tally) -> dict[str, Any]:
        key = progress_id(tally.round_id, tally.unit_code)
        for _ in range(ATTEMPTS):
            held = (await self._rows.find([key])).get(key)
            if held is not None and tally.item in held.get("counted", ()):
                return _shown(held)  # counted before: a redelivery
            update = {
                "$inc": {**tally.increments, "tallies": 1},
                "$push": {"counted": tally.item},
                "$set": {"round_id": tally.round_id, "unit_code": tally.unit_code},
            }
            try:
                if held is None:
                    new = {"_id": key, "round_id": tally.round_id, "unit_code": tally.unit_code}
                    await self._rows.insert(
                        {**new, **tally.increments, "tallies": 1, "counted": [tally.item]}
                    )
                    return _shown({**new, **tally.increments})
                row = await self.rows.find_one_and_update(
                    {"_id": key, "tallies": held.get("tallies")},
                    update,
                    return_document=ReturnDocument.AFTER,
                )
            except DuplicateKeyError:
                continue  # lost a race creating the row; it exists now
            if row is not None:
                return _shown(row)
        raise RuntimeError(f"could not count {tally.item} into {key}")

    async def get(self, round_id: str, unit_code: str) -> dict[str, Any] | None:
        return await self.rows.find_one(
            {"_id": progress_id(round_id, unit_code)}, projection={"counted": False}
        )


def _shown(row: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k not in ("counted", "tallies")}
