"""Announcements sent once: a claim per idempotency key, holding its event in the outbox.

Used for monitoring's reminders (`reminder_log`) and evaluation's overdue recommendations
(`overdue_log`). The collection holds `{_id: <key>, claimed_at, outbox: [event], outbox_at}`.
Whoever inserts the key first announces it; everyone else gets a duplicate-key error and
announces nothing, so it goes out once however many schedulers run. The claim carries its
event in the platform's outbox, so a crash between claim and publish leaves it for the
relay, like any other change.
"""

from datetime import UTC, datetime
from typing import Any, Protocol

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from shared.contracts.base import Envelope
from shared.platform.outbox import Outbox, outbox_fields


class AnnouncementLog(Protocol):
    """What handlers need of a claim log (ClaimLog, or a fake in unit tests)."""

    outbox: Outbox

    async def claim(self, key: str, event: Envelope[Any], now: datetime | None = None) -> bool: ...


class ClaimLog:
    """Claims of announcement keys; at most one claim per key, ever."""

    def __init__(self, db: AsyncDatabase[dict[str, Any]], collection: str) -> None:
        self.claims = db[collection]
        self.outbox = Outbox(self.claims)

    async def create_indexes(self) -> None:
        await self.outbox.create_indexes()

    async def claim(self, key: str, event: Envelope[Any], now: datetime | None = None) -> bool:
        """Claim `key` with the event announcing it; False if someone claimed it already."""
        at = now or datetime.now(UTC)
        try:
            await self.claims.insert_one(
                {"_id": key, "claimed_at": at, **outbox_fields(event, now=at)}
            )
        except DuplicateKeyError:
            return False
        return True
