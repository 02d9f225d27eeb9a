"""Report requests and their artifacts in reporting's MongoDB.

- `report_requests`: `{_id: request_id, params, status, queued_at, lease_until, attempts,
  file_name, content_type, size, sha256, reason, outbox, outbox_at}`. Status runs queued →
  rendering → rendered | failed. A worker claims a queued request (or one whose rendering
  lease ran out: its worker died) with one atomic update, so two workers never render the
  same request. The rendered/failed event is written with the status into the platform's
  outbox (`shared.platform.outbox`), taken out once announced.
- GridFS bucket `artifacts`: the rendered file, its `_id` the request id, so a repeated
  request id always serves the same artifact.
"""

import contextlib
import hashlib
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from gridfs import AsyncGridFSBucket, NoFile
from pymongo import ASCENDING, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from shared.contracts import Envelope
from shared.platform.outbox import OUTBOX, Outbox, merged, outbox_push


class MongoArtifactStore:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.requests = db["report_requests"]
        self.bucket = AsyncGridFSBucket(db, bucket_name="artifacts")
        self.files = db["artifacts.files"]
        self.outbox = Outbox(self.requests)

    async def create_indexes(self) -> None:
        await self.requests.create_index([("status", ASCENDING), ("queued_at", ASCENDING)])
        await self.outbox.create_indexes()

    async def add(self, request: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
        """Store a new request; for a request id already known, the stored one and False."""
        try:
            await self.requests.insert_one(dict(request))
        except DuplicateKeyError:
            held = await self.requests.find_one({"_id": request["_id"]})
            assert held is not None
            return held, False
        return dict(request), True

    async def get(self, request_id: str) -> dict[str, Any] | None:
        return await self.requests.find_one({"_id": request_id})

    async def recent(self, limit: int = 50) -> list[dict[str, Any]]:
        cursor = self.requests.find({}, {OUTBOX: 0}).sort("queued_at", -1).limit(limit)
        return await cursor.to_list()

    async def claim(self, now: datetime, lease: timedelta) -> dict[str, Any] | None:
        """The oldest queued request (or an abandoned rendering), now ours for `lease`."""
        return await self.requests.find_one_and_update(
            {
                "$or": [
                    {"status": "queued"},
                    {"status": "rendering", "lease_until": {"$lt": now}},
                ]
            },
            {
                "$set": {"status": "rendering", "lease_until": now + lease},
                "$inc": {"attempts": 1},
            },
            sort=[("queued_at", ASCENDING), ("_id", ASCENDING)],
            return_document=ReturnDocument.AFTER,
        )

    async def requeue(self, request_id: str) -> None:
        """Give a claimed request back to the queue (the database failed under it)."""
        await self.requests.update_one(
            {"_id": request_id, "status": "rendering"},
            {"$set": {"status": "queued"}, "$inc": {"attempts": -1}, "$unset": {"lease_until": ""}},
        )

    async def put_artifact(
        self, request_id: str, content: bytes, file_name: str, content_type: str
    ) -> dict[str, Any]:
        """Store the file under the request id (replacing a half-stored earlier attempt)."""
        with contextlib.suppress(NoFile):
            await self.bucket.delete(request_id)
        await self.bucket.upload_from_stream_with_id(
            request_id, file_name, content, metadata={"content_type": content_type}
        )
        return {
            "file_name": file_name,
            "content_type": content_type,
            "size": len(content),
            "sha256": hashlib.sha256(content).hexdigest(),
        }

    async def finish(
        self, request_id: str, fields: Mapping[str, Any], event: Envelope[Any]
    ) -> None:
        """Record the outcome (rendered or failed) with its event in the outbox."""
        await self.requests.update_one(
            {"_id": request_id},
            merged(
                {"$set": dict(fields), "$unset": {"lease_until": ""}},
                outbox_push(event),
            ),
        )

    async def artifact(self, request_id: str) -> bytes | None:
        try:
            stream = await self.bucket.open_download_stream(request_id)
        except NoFile:
            return None
        return await stream.read()
