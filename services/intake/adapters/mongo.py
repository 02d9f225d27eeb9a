"""Intake's MongoDB: the submissions collection."""

from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError


class MongoSubmissionStore:
    """Submissions keyed by their id; the stored answer travels with each."""

    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.submissions = db["submissions"]

    async def create_indexes(self) -> None:
        await self.submissions.create_index([("round_id", 1), ("unit_code", 1)])

    async def add(self, document: dict[str, Any]) -> bool:
        try:
            await self.submissions.insert_one(document)
        except DuplicateKeyError:
            return False
        return True

    async def get(self, submission_id: str) -> dict[str, Any] | None:
        return await self.submissions.find_one({"_id": submission_id})
