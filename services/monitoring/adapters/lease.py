"""A leader lease in MongoDB, so that one monitoring process of several runs the scheduler.

`leases` holds `{_id: <name>, holder, until}`. Taking or renewing the lease is one atomic
`find_one_and_update` that matches only while the lease is expired or already ours; when
nobody holds it the upsert inserts it, and a concurrent taker loses on `_id` with a
duplicate-key error. Expiry is compared here, not left to a TTL index: the local
MongoDB never enforces TTL, and a lease must not depend on a background sweep anyway.
"""

import os
import socket
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError


def new_holder_id() -> str:
    """A holder id unique to this process: `host:pid:random`."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _now(now: datetime | None) -> datetime:
    if now is None:
        return datetime.now(UTC)
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("lease times must be timezone-aware")
    return now


def _aware(stored: datetime) -> datetime:
    # BSON dates are UTC; a client without tz_aware returns them naive.
    return stored if stored.tzinfo else stored.replace(tzinfo=UTC)


class MongoLease:
    """The lease `name`, as seen by `holder` (see `new_holder_id`); each acquire lasts `ttl`."""

    def __init__(
        self,
        db: AsyncDatabase[dict[str, Any]],
        name: str,
        holder: str,
        ttl: timedelta,
    ) -> None:
        if ttl <= timedelta(0):
            raise ValueError("a lease's ttl must be positive")
        self.leases = db["leases"]
        self.name = name
        self.holder_id = holder
        self.ttl = ttl

    async def acquire(self, now: datetime | None = None) -> bool:
        """Take the lease if free, expired or ours, and renew it to `now + ttl`."""
        now = _now(now)
        try:
            lease = await self.leases.find_one_and_update(
                {"_id": self.name, "$or": [{"until": {"$lt": now}}, {"holder": self.holder_id}]},
                {"$set": {"holder": self.holder_id, "until": now + self.ttl}},
                upsert=True,
                return_document=ReturnDocument.AFTER,
            )
        except DuplicateKeyError:  # held, unexpired, by another
            return False
        return lease is not None and lease.get("holder") == self.holder_id

    async def release(self) -> None:
        """Give the lease up, if it is ours; another holder's lease is left alone."""
        await self.leases.delete_one({"_id": self.name, "holder": self.holder_id})

    async def holder(self, now: datetime | None = None) -> str | None:
        """Who holds the lease at `now`; None when it is free or expired."""
        now = _now(now)
        lease = await self.leases.find_one({"_id": self.name})
        if lease is None or _aware(lease["until"]) < now:
            return None
        return str(lease["holder"])
