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
version and the event announcing it are one insert (the platform's outbox); the inserts
and new heads of the messages handled at once go as one command each (`Together`).

A submission is stored in two writes and no read: the store remembers each head as it last
wrote or read it (`last_seen`), and a head it has not seen is taken to be new. Both guesses
are checked by the writes themselves — the version's `_id` (a number already used: "taken")
and the head's `(_id, status)` (a reviewer changed it: "changed") — so a stale guess costs
a read and a retry, never a wrong answer.
"""

from collections import OrderedDict
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
from shared.platform.together import Together

Added = Literal["stored", "repeat", "taken", "changed"]


class MongoSubmissionStore:
    HEADS_HELD = 50_000  # heads remembered (status and version count: a few hundred bytes)

    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.submissions = db["submissions"]
        self.versions = db["submission_versions"]
        self.outbox = Outbox(self.submissions)  # reviews' events
        self.version_outbox = Outbox(self.versions)  # acceptances
        self._seen: OrderedDict[str, dict[str, Any]] = OrderedDict()
        self._new_versions = Together(self.versions)  # one insert_many for those at once
        self._new_heads = Together(self.submissions)

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
        head = await self.submissions.find_one({"_id": submission_id})
        if head is None:
            self._seen.pop(submission_id, None)
        else:
            self._remember(submission_id, head["status"], head["version_count"])
        return head

    def last_seen(self, submission_id: str) -> dict[str, Any] | None:
        """The head's status and version count as this process last wrote or read them;
        None if it has not seen the head (probably a new submission). May be stale: another
        process may have changed it since, which the guarded writes of `add_version` find."""
        seen = self._seen.get(submission_id)
        if seen is not None:
            self._seen.move_to_end(submission_id)
        return seen

    def _remember(self, submission_id: str, status: Status, version_count: int) -> None:
        self._seen[submission_id] = {"status": status, "version_count": version_count}
        self._seen.move_to_end(submission_id)
        if len(self._seen) > self.HEADS_HELD:
            self._seen.popitem(last=False)

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
        """Store version `version["version"]`, with `event` (its answer, and announced from
        its outbox), if its key is new and the number free, then move the head on if its
        status is still `seen` (None: there was no head).

        "repeat": the key is stored already; "taken": another version has the number (the
        head is brought up to it); "changed": a reviewer changed the status meanwhile. After
        "taken" and "changed", `last_seen` is the head as read just then."""
        sid, number = head["_id"], version["version"]
        answer = event.model_dump(mode="json")  # a repeat is answered with it again
        document = {
            "_id": version_id(sid, number),
            "submission_id": sid,
            "key_id": key_id(sid, version["submission_key"]),
            **version,
            "answer": answer,
            **outbox_fields(answer),
        }
        try:
            await self._new_versions.insert(document)
        except DuplicateKeyError as error:
            if "key_id" in str(error.details):
                return "repeat"
            now = await self.get(sid)
            if now is None or now["version_count"] < number:
                await self._catch_up(head, number)  # a crash left the head behind
                await self.get(sid)
            return "taken"
        moved = {"$max": {"version_count": number}, "$set": self._submitted()}
        if seen is None:
            await self._catch_up(head, number)
        else:
            result = await self.submissions.update_one({"_id": sid, "status": seen}, moved)
            if result.matched_count == 0:
                await self.versions.delete_one({"_id": document["_id"]})  # never announced
                await self.get(sid)
                return "changed"
        self._remember(sid, "submitted", number)
        return "stored"

    async def _catch_up(self, head: dict[str, Any], number: int) -> None:
        """The head counts at least `number` versions (created if missing)."""
        await self._new_heads.upsert(
            {"_id": head["_id"]},
            {
                "$setOnInsert": {k: v for k, v in head.items() if k != "_id"} | {"reviews": []},
                "$max": {"version_count": number},
                "$set": self._submitted(),
            },
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
        if result.modified_count != 1:
            return False
        if (seen := self._seen.get(submission_id)) is not None:
            seen["status"] = now
        return True

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
