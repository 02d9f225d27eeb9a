"""Monitoring's read models written in one command each, against the real MongoDB: a
rollup's unit entries and a submission's latest version and status; the newest wins."""

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pymongo.asynchronous.database import AsyncDatabase

from services.monitoring.adapters.read_models import MongoReadModels
from services.monitoring.handlers.refresh import scope_rates
from shared.contracts.intake import SubmissionAccepted, SubmissionReviewed
from shared.platform.mongo import make_client
from shared.platform.settings import Settings
from tests.support import accepted_event

pytestmark = pytest.mark.integration

T0 = datetime(2027, 1, 15, 2, 0, tzinfo=UTC)
OFFICE = "SESA.99"  # a code with a dot: not a field name as it is


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator[AsyncDatabase[dict[str, Any]]]:
    client = make_client(settings.mongodb_url)
    name = f"rollups_{uuid.uuid4().hex[:8]}"
    try:
        yield client[name]
    finally:
        await client.drop_database(name)
        await client.close()


def row(unit: str, sequence: int, *, received: bool = False, late: bool = False) -> dict[str, Any]:
    return {
        "round_id": "2570-Q1",
        "form_id": "F1",
        "unit_code": unit,
        "kind": "unit",
        "ancestors": [OFFICE],
        "sequence": sequence,
        "expected": True,
        "received": received,
        "on_time": received and not late,
        "late": late,
        "status": "submitted" if received else "missing",
    }


async def put(reads: MongoReadModels, *rows: dict[str, Any]) -> dict[str, Any]:
    return await reads.put_rollup_units("2570-Q1", "F1", OFFICE, "office", list(rows))


async def test_the_newest_entry_of_each_unit_wins_whatever_the_order(
    db: AsyncDatabase[dict[str, Any]],
) -> None:
    reads = MongoReadModels(db)
    await put(reads, row("1084200101", 1), row("1084200102", 1), row("1084.03", 1))
    # Two events for one unit at once, the later read's written first; one for another unit.
    await asyncio.gather(
        put(reads, row("1084200101", 7, received=True, late=True)),
        put(reads, row("1084.03", 5, received=True)),
    )
    rollup = await put(reads, row("1084200101", 6, received=True))  # older: changes nothing
    rates = scope_rates(rollup)
    assert rates.rates.expected == 3
    assert (rates.rates.received, rates.rates.late, rates.rates.on_time) == (2, 1, 1)
    assert rates.late_units == ("1084200101",)
    assert rates.missing_units == ("1084200102",)
    assert [r["unit_code"] for r in rollup["rows"]] == ["1084.03", "1084200101", "1084200102"]
    assert [scope_rates(r) for r in await reads.rollups("2570-Q1")] == [rates]


async def test_a_unit_that_left_the_scope_leaves_its_rollup(
    db: AsyncDatabase[dict[str, Any]],
) -> None:
    reads = MongoReadModels(db)
    await put(reads, row("1084200101", 1), row("1084.03", 2, received=True))
    rollup = await reads.drop_rollup_units("2570-Q1", "F1", OFFICE, ["1084.03"])
    assert [r["unit_code"] for r in rollup["rows"]] == ["1084200101"]
    assert scope_rates(rollup).rates.received == 0


async def test_a_rollup_stored_before_entries_gets_them_from_its_unit_rows(
    db: AsyncDatabase[dict[str, Any]],
) -> None:
    reads = MongoReadModels(db)
    await db["rates"].insert_many(
        [
            {"_id": "unit:2570-Q1:F1:1084200101", **row("1084200101", 3, received=True)},
            {"_id": "unit:2570-Q1:F1:1084200102", **row("1084200102", 3)},
            {
                "_id": f"rollup:2570-Q1:F1:{OFFICE}",
                "kind": "rollup",
                "sequence": 4,
                "round_id": "2570-Q1",
                "form_id": "F1",
                "scope_code": OFFICE,
                "scope_type": "office",
                "rates": {"expected": 2, "received": 1},
                "missing_units": ["1084200102"],
            },
        ]
    )
    await reads.create_indexes()
    [rollup] = await reads.rollups("2570-Q1", "F1")
    rates = scope_rates(rollup)
    assert (rates.rates.expected, rates.rates.received) == (2, 1)
    assert rates.missing_units == ("1084200102",)
    held = await db["rates"].find_one({"_id": f"rollup:2570-Q1:F1:{OFFICE}"})
    assert held is not None and "rates" not in held and "sequence" not in held


def accepted(version: int, at: datetime, values: dict[str, Any]) -> SubmissionAccepted:
    event = accepted_event("s-1", "1084200101", "F1", at).data
    return event.model_copy(update={"version": version, "values": values})


async def test_a_submission_keeps_its_highest_version_and_latest_status_whatever_the_order(
    db: AsyncDatabase[dict[str, Any]],
) -> None:
    reads = MongoReadModels(db)
    review = SubmissionReviewed(
        submission_id="s-1",
        unit_code="1084200101",
        round_id="2570-Q1",
        form_id="F1",
        version=2,
        action="approved",
        reviewer="นางสาวทดสอบ ใจดี",
        reviewed_at=T0 + timedelta(hours=2),
    )
    assert not await reads.record_review(review)  # overtook its acceptance
    await reads.record_version(accepted(2, T0 + timedelta(hours=1), {"ok": 2}))
    await reads.record_version(accepted(1, T0, {"ok": 1}))  # an older version, late
    held = await reads.submission("s-1")
    assert held is not None
    assert (held["values"], held["values_version"], held["status"]) == ({"ok": 2}, 2, "approved")
    assert held["first_accepted_at"].replace(tzinfo=UTC) == T0
    assert await reads.record_review(review)  # known now


async def test_a_submission_stored_in_the_old_shape_is_moved_once(
    db: AsyncDatabase[dict[str, Any]],
) -> None:
    old = {"round_id": "2570-Q1", "unit_code": "1084200101", "form_id": "F1"}
    await db["submissions"].insert_one(
        {
            "_id": "s-1",
            **old,
            "first_accepted_at": T0,
            "latest_version": 3,
            "values": {"ok": 3},
            "values_version": 3,
            "status": "returned",
            "status_at": T0,
        }
    )
    reads = MongoReadModels(db)
    await reads.create_indexes()
    await reads.record_version(accepted(2, T0 - timedelta(hours=1), {"ok": 2}))  # older
    held = await reads.submission("s-1")
    assert held is not None
    assert (held["values"], held["values_version"], held["status"]) == ({"ok": 3}, 3, "returned")
    assert [s["values"] for s in await reads.submissions_of(["2570-Q1"], "F1")] == [{"ok": 3}]


async def test_unit_rows_and_problems_keep_the_newest_whatever_the_order(
    db: AsyncDatabase[dict[str, Any]],
) -> None:
    reads = MongoReadModels(db)
    newer = {"_id": "unit:2570-Q1:F1:1084200101", **row("1084200101", 9, received=True)}
    older = {"_id": newer["_id"], **row("1084200101", 4)}
    await reads.put_unit_rows([newer, {"_id": "unit:2570-Q1:F1:1084.03", **row("1084.03", 2)}])
    await reads.put_unit_rows([older])
    [found] = await reads.unit_rows_by_id(["unit:2570-Q1:F1:1084200101"])
    assert (found["sequence"], found["received"], found["status"]) == (9, True, "submitted")
    scoped = await reads.unit_rows("2570-Q1", "F1", OFFICE)
    assert [r["unit_code"] for r in scoped] == ["1084.03", "1084200101"]

    problem = {
        "_id": "2570-Q1:F1:1084200101",
        "round_id": "2570-Q1",
        "form_id": "F1",
        "unit_code": "1084200101",
        "fiscal_year": 2570,
        "raised_at": T0,
    }
    await reads.put_problem({**problem, "version": 2, "problems": "ครูไม่พอ", "suggestions": None})
    await reads.put_problem({**problem, "version": 1, "problems": "เก่า", "suggestions": None})
    [held] = await reads.problems_of(2570)
    assert (held["version"], held["problems"]) == (2, "ครูไม่พอ")
    assert await reads.problem(problem["_id"]) == held


async def test_unit_rows_and_problems_stored_in_the_old_shape_are_moved_once(
    db: AsyncDatabase[dict[str, Any]],
) -> None:
    await db["rates"].insert_one({"_id": "unit:2570-Q1:F1:1084200101", **row("1084200101", 5)})
    await db["problems"].insert_one(
        {"_id": "p", "fiscal_year": 2570, "version": 3, "problems": "เดิม", "suggestions": None}
    )
    reads = MongoReadModels(db)
    await reads.create_indexes()
    await reads.put_unit_rows([{"_id": "unit:2570-Q1:F1:1084200101", **row("1084200101", 4)}])
    await reads.put_problem({"_id": "p", "fiscal_year": 2570, "version": 2, "problems": "x"})
    [found] = await reads.unit_rows_by_id(["unit:2570-Q1:F1:1084200101"])
    assert found["sequence"] == 5
    assert (await reads.problem("p") or {}).get("problems") == "เดิม"
    stored = await db["rates"].find_one({"_id": "unit:2570-Q1:F1:1084200101"})
    assert stored is not None and "sequence" not in stored and stored["state"]["sequence"] == 5
