"""Reporting's MongoDB: each unit's counts per round, and the rendered round page."""

from datetime import datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from shared.contracts.monitoring import RoundProgressUpdated


class MongoReportStore:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.round_units = db["round_units"]
        self.reports = db["reports"]

    async def create_indexes(self) -> None:
        await self.round_units.create_index([("round_id", 1), ("unit_code", 1)], unique=True)

    async def merge_progress(self, progress: RoundProgressUpdated) -> None:
        await self.round_units.update_one(
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
        )

    async def round_rows(self, round_id: str) -> list[dict[str, Any]]:
        return await self.round_units.find({"round_id": round_id}).to_list(None)

    async def save_report(self, report_id: str, html: str, made_at: datetime) -> None:
        await self.reports.update_one(
            {"_id": report_id},
            {"$set": {"html": html, "made_at": made_at, "content_type": "text/html"}},
            upsert=True,
        )

    async def get_report(self, report_id: str) -> dict[str, Any] | None:
        return await self.reports.find_one({"_id": report_id})
