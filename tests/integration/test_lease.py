"""The scheduler's leader lease and the reminder log against the real MongoDB."""

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pymongo.asynchronous.database import AsyncDatabase

from services.monitoring.adapters.lease import MongoLease, new_holder_id
from shared.contracts import Envelope, make_envelope
from shared.contracts.monitoring import ReminderDue
from shared.platform.claims import ClaimLog
from shared.platform.mongo import make_client
from shared.platform.settings import Settings

pytestmark = pytest.mark.integration

TTL = timedelta(seconds=30)
T0 = datetime(2027, 1, 15, 2, 0, tzinfo=UTC)


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator[AsyncDatabase[dict[str, Any]]]:
    client = make_client(settings.mongodb_url)
    try:
        yield client[settings.database_of("monitoring")]
    finally:
        await client.close()


def lease(db: AsyncDatabase[dict[str, Any]], holder: str) -> MongoLease:
    return MongoLease(db, "reminder-scheduler", holder, TTL)


def reminder(unit_code: str) -> Envelope[Any]:
    due = ReminderDue(
        round_id="r", form_id="f", unit_code=unit_code, due_on=T0.date(), days_overdue=0, slot=0
    )
    return make_envelope(due, producer="monitoring", correlation_id=f"reminder-{unit_code}")


async def test_of_two_holders_only_one_acquires(db: AsyncDatabase[dict[str, Any]]) -> None:
    a, b = lease(db, "a"), lease(db, "b")
    assert await a.acquire(T0)
    assert not await b.acquire(T0 + timedelta(seconds=1))
    assert await a.holder(T0 + timedelta(seconds=1)) == "a"
    assert await b.holder(T0 + timedelta(seconds=1)) == "a"


async def test_the_holder_renews_and_the_other_waits_for_expiry(
    db: AsyncDatabase[dict[str, Any]],
) -> None:
    a, b = lease(db, "a"), lease(db, "b")
    assert await a.acquire(T0)
    assert await a.acquire(T0 + timedelta(seconds=20))  # renewed: now lasts until T0 + 50 s
    assert not await b.acquire(T0 + timedelta(seconds=40))  # would have expired unrenewed
    assert not await b.acquire(T0 + timedelta(seconds=50))  # `until` itself is still held
    assert await b.holder(T0 + timedelta(seconds=51)) is None  # expired: nobody holds it
    assert await b.acquire(T0 + timedelta(seconds=51))
    assert not await a.acquire(T0 + timedelta(seconds=52))  # the old holder lost it
    assert await a.holder(T0 + timedelta(seconds=52)) == "b"


async def test_release_frees_the_lease_only_for_its_holder(
    db: AsyncDatabase[dict[str, Any]],
) -> None:
    a, b = lease(db, "a"), lease(db, "b")
    assert await a.holder(T0) is None
    assert await a.acquire(T0)
    await b.release()  # not b's to release
    assert await a.holder(T0) == "a"
    await a.release()
    assert await a.holder(T0) is None
    assert await b.acquire(T0 + timedelta(seconds=1))


async def test_of_twenty_concurrent_takers_exactly_one_wins(
    db: AsyncDatabase[dict[str, Any]],
) -> None:
    holders = [lease(db, new_holder_id()) for _ in range(20)]
    won = await asyncio.gather(*(h.acquire(T0) for h in holders))
    assert sum(won) == 1
    winner = holders[won.index(True)].holder_id
    assert await holders[0].holder(T0) == winner
    # And again once it expired: one of the others (or the winner) takes it, only one.
    later = T0 + TTL + timedelta(seconds=1)
    again = await asyncio.gather(*(h.acquire(later) for h in holders))
    assert sum(again) == 1


async def test_a_lease_time_must_be_timezone_aware(db: AsyncDatabase[dict[str, Any]]) -> None:
    with pytest.raises(ValueError):
        await lease(db, "a").acquire(datetime(2027, 1, 15, 2, 0))


async def test_of_twenty_concurrent_claims_of_a_reminder_exactly_one_wins(
    db: AsyncDatabase[dict[str, Any]],
) -> None:
    log = ClaimLog(db, "reminder_log")
    await log.create_indexes()
    key = "2570-Q1:action-plan-progress:8401000001:0"
    claimed = await asyncio.gather(*(log.claim(key, reminder(f"u{n}")) for n in range(20)))
    assert sum(claimed) == 1
    assert not await log.claim(key, reminder("u99"))


async def test_a_claim_left_unpublished_is_found_by_the_relay(
    db: AsyncDatabase[dict[str, Any]],
) -> None:
    log = ClaimLog(db, "reminder_log")
    await log.create_indexes()
    second = reminder("u2")
    assert await log.claim("r:f:u1:0", reminder("u1"), now=T0)
    assert await log.claim("r:f:u2:0", second, now=T0 + timedelta(seconds=1))
    assert await log.claim("r:f:u3:0", reminder("u3"), now=T0 + timedelta(seconds=50))
    await log.outbox.announced("r:f:u2:0", str(second.event_id))

    found = await log.outbox.unannounced(timedelta(seconds=30), now=T0 + timedelta(seconds=60))
    assert [(key, event.data["unit_code"]) for key, event in found] == [("r:f:u1:0", "u1")]
    everything = await log.outbox.unannounced(timedelta(0), now=T0 + timedelta(seconds=60))
    assert [key for key, _ in everything] == ["r:f:u1:0", "r:f:u3:0"]
