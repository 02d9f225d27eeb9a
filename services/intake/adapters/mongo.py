"""Intake's MongoDB: submissions with every version, their review, and an outbox.

`{_id: submission_id, unit_code, round_id, form_id, status, versions: [...], keys: [...],
  reviews: [...], outbox: [envelope, ...], outbox_at, updated_at}`.
A new version, its answer and the event announcing it are written in one update of one
document, the event into the platform's outbox (`shared.platform.outbox`). Versions are
appended with optimistic concurrency on `version_count`.
"""

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from services.intake.domain.review import Status
from shared.contracts import Envelope
from shared.platform.outbox import OUTBOX, Outbox, merged, outbox_fields, outbox_push


class MongoSubmissionStore:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.submissions = db["submissions"]
        self.outbox = Outbox(self.submissions)

    async def create_indexes(self) -> None:
        await self.submissions.create_index([("round_id", ASCENDING), ("unit_code", ASCENDING)])
        await self.outbox.create_indexes()

    async def get(self, submission_id: str) -> dict[str, Any] | None:
        return await self.submissions.find_one({"_id": submission_id})

    async def add_first(
        self, head: dict[str, Any], version: dict[str, Any], event: Envelope[Any]
    ) -> bool:
        """Create the submission with its first version; False if it exists already."""
        document = {
            **head,
            "status": "submitted",
            "versions": [version],
            "version_count": 1,
            "keys": [version["submission_key"]],
            "reviews": [],
            **outbox_fields(event),
            "updated_at": datetime.now(UTC),
        }
        try:
            await self.submissions.insert_one(document)
        except DuplicateKeyError:
            return False
        return True

    async def add_version(
        self, submission_id: str, seen_count: int, version: dict[str, Any], event: Envelope[Any]
    ) -> bool:
        """Append a correction if nobody else did since `seen_count`; False to retry."""
        result = await self.submissions.update_one(
            {"_id": submission_id, "version_count": seen_count, "status": {"$ne": "approved"}},
            merged(
                {
                    "$push": {"versions": version, "keys": version["submission_key"]},
                    "$inc": {"version_count": 1},
                    "$set": {"status": "submitted", "updated_at": datetime.now(UTC)},
                },
                outbox_push(event),
            ),
        )
        return result.modified_count == 1

    async def add_review(
        self,
        submission_id: str,
        was: Status,
        now: Status,
        review: dict[str, Any],
        event: Envelope[Any],
    ) -> bool:
        """Record a review if the status is still `was`; False if it changed meanwhile."""
        result = await self.submissions.update_one(
            {"_id": submission_id, "status": was},
            merged(
                {
                    "$push": {"reviews": review},
                    "$set": {"status": now, "updated_at": datetime.now(UTC)},
                },
                outbox_push(event),
            ),
        )
        return result.modified_count == 1

    async def every(self) -> AsyncIterator[dict[str, Any]]:
        """Every submission, for a replay."""
        async for document in self.submissions.find({}, projection={OUTBOX: False}).sort("_id"):
            yield document

    async def of_unit(self, unit_code: str, round_id: str | None = None) -> list[dict[str, Any]]:
        query: dict[str, Any] = {"unit_code": unit_code}
        if round_id is not None:
            query["round_id"] = round_id
        cursor = self.submissions.find(query, projection={OUTBOX: False}).sort("round_id")
        return await cursor.to_list()
