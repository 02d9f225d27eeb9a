"""Announcements sent once: a claim per idempotency key, then a published flag.

Used for monitoring's reminders (`reminder_log`) and evaluation's overdue recommendations
(`overdue_log`). The collection holds
`{_id: <key>, payload, claimed_at, published, published_at?}`.
Whoever inserts the key first sends the announcement; everyone else gets a duplicate-key error
and sends nothing, so it goes out once however many schedulers run. A crash between
claim and publish leaves the claim unpublished: a relay finds it with `unpublished` and
publishes it then.
"""

from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError


class AnnouncementLog(Protocol):
    """What handlers need of a claim log (ClaimLog, or a fake in unit tests)."""

    async def claim(
        self, key: str, payload: dict[str, Any], now: datetime | None = None
    ) -> bool: ...
    async def mark_published(self, key: str, now: datetime | None = None) -> None: ...
    async def unpublished(
        self, older_than: timedelta, now: datetime | None = None
    ) -> list[dict[str, Any]]: ...


class ClaimLog:
    """Claims of announcement keys; at most one claim per key, ever."""

    def __init__(self, db: AsyncDatabase[dict[str, Any]], collection: str) -> None:
        self.claims = db[collection]

    async def create_indexes(self) -> None:
        await self.claims.create_index([("published", ASCENDING), ("claimed_at", ASCENDING)])

    async def claim(self, key: str, payload: dict[str, Any], now: datetime | None = None) -> bool:
        """Claim `key` for sending; False if someone claimed it already."""
        try:
            await self.claims.insert_one(
                {
                    "_id": key,
                    "payload": payload,
                    "claimed_at": now or datetime.now(UTC),
                    "published": False,
                }
            )
        except DuplicateKeyError:
            return False
        return True

    async def mark_published(self, key: str, now: datetime | None = None) -> None:
        """Record that the claimed announcement `key` was published."""
        await self.claims.update_one(
            {"_id": key}, {"$set": {"published": True, "published_at": now or datetime.now(UTC)}}
        )

    async def unpublished(
        self, older_than: timedelta, now: datetime | None = None
    ) -> list[dict[str, Any]]:
        """Claims not yet published, claimed more than `older_than` ago, oldest first."""
        before = (now or datetime.now(UTC)) - older_than
        cursor = self.claims.find({"published": False, "claimed_at": {"$lt": before}})
        return await cursor.sort([("claimed_at", ASCENDING), ("_id", ASCENDING)]).to_list()
