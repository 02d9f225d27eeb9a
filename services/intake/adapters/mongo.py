"""Intake's MongoDB: each submission's head, each version as its own document, an outbox.

- `submissions`: `{_id: submission_id, unit_code, round_id, form_id, status, version_count,
  reviews: [...], outbox: [...], outbox_at, updated_at}` — bounded: a correction changes
  two fields of it, whatever the number of versions before.
- `submission_versions`: `{_id: "<submission_id>#<n>", submission_id, key_id:
  "<submission_id>|<submission_key>", version, values, …, answer, outbox: [accepted]}`,
  written once. Its unique `key_id` makes a repeated key fail the insert (a repeat), and its
  `_id` makes two corrections racing for the same number fail one of them (it retries).

Every hot query is by `_id` or by the unique `key_id` (the only indexes mongo-java-server
uses; an equality on `_id` and `status` uses the compound unique index made for it). A new
version and the event announcing it are one insert (the platform's outbox).
"""

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any, Literal

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from services.intake.domain.review import Status
from services.intake.domain.submission import key_id, version_id
from shared.contracts import Envelope
from shared.platform.outbox import OUTBOX, Outbox, merged, outbox_fields, outbox_push

Added = Literal["stored", "repeat", "taken", "changed"]


class MongoSubmissionStore:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.submissions = db["submissions"]
        self.versions = db["submission_versions"]
        self.outbox = Outbox(self.submissions)  # reviews' events
        self.version_outbox = Outbox(self.versions)  # acceptances

    @property
    def outboxes(self) -> tuple[Outbox, ...]:
        return (self.version_outbox, self.outbox)

    async def create_indexes(self) -> None:
        await self.versions.create_index([("key_id", ASCENDING)], unique=True)
        await self.submissions.create_index(
            [("_id", ASCENDING), ("status", ASCENDING)], unique=True
        )
        await self.submissions.create_index([("round_id", ASCENDING), ("unit_code", ASCENDING)])
        for outbox in self.outboxes:
            await outbox.create_indexes()
        await self._split_old_versions()

    async def get(self, submission_id: str) -> dict[str, Any] | None:
        """The head: status, how many versions, reviews."""
        return await self.submissions.find_one({"_id": submission_id})

    async def version_of_key(
        self, submission_id: str, submission_key: str
    ) -> dict[str, Any] | None:
        return await self.versions.find_one({"key_id": key_id(submission_id, submission_key)})

    async def history(self, submission_id: str) -> dict[str, Any] | None:
        """The head with every version, oldest first."""
        head = await self.get(submission_id)
        if head is None:
            return None
        wanted = [version_id(submission_id, n) for n in range(1, head["version_count"] + 1)]
        found = await self.versions.find({"_id": {"$in": wanted}}).to_list()
        return {**head, "versions": sorted(found, key=lambda version: version["version"])}

    async def add_version(
        self,
        head: dict[str, Any],
        seen: Status | None,
        version: dict[str, Any],
        event: Envelope[Any],
    ) -> Added:
        """Store version `version["version"]` if its key is new and the number free, then
        move the head on if its status is still `seen` (None: there was no head).

        "repeat": the key is stored already; "taken": another version has the number (the
        head is brought up to it); "changed": a reviewer changed the status meanwhile."""
        sid, number = head["_id"], version["version"]
        document = {
            "_id": version_id(sid, number),
            "submission_id": sid,
            "key_id": key_id(sid, version["submission_key"]),
            **version,
            **outbox_fields(event),
        }
        try:
            await self.versions.insert_one(document)
        except DuplicateKeyError as error:
            if "key_id" in str(error.details):
                return "repeat"
            await self._catch_up(head, number)  # a crash may have left the head behind
            return "taken"
        moved = {"$max": {"version_count": number}, "$set": self._submitted()}
        if seen is None:
            await self._catch_up(head, number)
            return "stored"
        result = await self.submissions.update_one({"_id": sid, "status": seen}, moved)
        if result.matched_count == 0:
            await self.versions.delete_one({"_id": document["_id"]})  # never announced
            return "changed"
        return "stored"

    async def _catch_up(self, head: dict[str, Any], number: int) -> None:
        """The head counts at least `number` versions (created if missing)."""
        await self.submissions.update_one(
            {"_id": head["_id"]},
            {
                "$setOnInsert": {k: v for k, v in head.items() if k != "_id"} | {"reviews": []},
                "$max": {"version_count": number},
                "$set": self._submitted(),
            },
            upsert=True,
        )

    @staticmethod
    def _submitted() -> dict[str, Any]:
        return {"status": "submitted", "updated_at": datetime.now(UTC)}

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
        """Every submission with its versions, for a replay."""
        async for head in self.submissions.find({}, projection={"_id": True}).sort("_id"):
            found = await self.history(head["_id"])
            if found is not None:
                yield {k: v for k, v in found.items() if k != OUTBOX}

    async def _split_old_versions(self) -> None:
        """Submissions stored before versions had documents of their own are split once."""
        async for old in self.submissions.find({"versions": {"$exists": True}}):
            for version in old["versions"]:
                document = {
                    "_id": version_id(old["_id"], version["version"]),
                    "submission_id": old["_id"],
                    "key_id": key_id(old["_id"], version["submission_key"]),
                    **version,
                }
                try:
                    await self.versions.insert_one(document)
                except DuplicateKeyError:
                    continue
            await self.submissions.update_one(
                {"_id": old["_id"]}, {"$unset": {"versions": "", "keys": ""}}
            )
