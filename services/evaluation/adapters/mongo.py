"""Evaluation's MongoDB: scores per (round, unit)."""

from typing import Any

from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase

from shared.contracts.monitoring import RoundProgressUpdated


class MongoScoreStore:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.scores = db["scores"]

    async def create_indexes(self) -> None:
        await self.scores.create_index([("round_id", 1), ("unit_code", 1)], unique=True)

    async def merge_progress(self, progress: RoundProgressUpdated) -> dict[str, Any]:
        row = await self.scores.find_one_and_update(
            {"_id": f"{progress.round_id}:{progress.unit_code}"},
            {
                "$max": {
                    "received": progress.received,
                    "rejected": progress.rejected,
                    "late": progress.late,
                },
                "$set": {"round_id": progress.round_id, "unit_code": progress.unit_code},
            },
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        assert row is not None
        return row

    async def set_score(self, round_id: str, unit_code: str, score: int, level: str) -> None:
        await self.scores.update_one(
            {"_id": f"{round_id}:{unit_code}"}, {"$set": {"score": score, "level": level}}
        )
