"""Monitoring's read models: each submission's state, rates, project progress, problems.

All are kept by consumers and rebuilt by a replay; every write is an upsert keyed by what
it describes, guarded so that an older event never overwrites a newer one.

- `submissions`: one per (unit, round, form): first accepted, latest version and its values,
  review status.
- `rates`: one row per (round, form, unit) (`kind: unit`) and one per (round, form, scope)
  for the unit's group and office (`kind: rollup`). A rollup holds the state of each unit
  under it (`units.<code>`, with the sequence of the read it was computed from), written by
  `$max` so the newest state wins whatever the order: an event changes its unit's entry
  alone, in one command, however many units the office has; the rates and lists are
  counted from the entries when read.
- `project_progress`: one per (round, project).
- `problems`: problems and suggestions per (round, form, unit); `problem_resolutions` is
  the officer's own record (kept through a replay).
"""

import asyncio
import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pymongo import ASCENDING, DeleteOne, ReturnDocument
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from shared.contracts.intake import SubmissionAccepted, SubmissionReviewed
from shared.platform.mongo import newer_index, put_newer
from shared.platform.together import Together

# Rebuilt by a replay. `round_progress` is not: it counts rejected attempts too, and intake
# keeps only accepted submissions; its counting is idempotent, so a replay leaves it as is.
READ_MODELS = (
    "submissions",
    "rates",
    "project_progress",
    "problems",
    "read_model_sequences",
    "projects_due",
)


class MongoReadModels:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.db = db
        self.submissions = db["submissions"]
        self.rates = db["rates"]
        self.projects = db["project_progress"]
        self.problems = db["problems"]
        self.resolutions = db["problem_resolutions"]
        self.sequences = db["read_model_sequences"]
        self.due = db["projects_due"]
        # The writes and reads by `_id` of the events handled at once, one command each.
        self._submissions = Together(self.submissions)
        self._rates = Together(self.rates)
        self._rollups = Together(self.rates, shape=rollup_of)  # made once for all who read
        self._problems = Together(self.problems)
        self._resolutions = Together(self.resolutions)
        self._sequences = Together(self.sequences)
        self._due = Together(self.due)

    async def create_indexes(self) -> None:
        await self.submissions.create_index([("round_id", ASCENDING), ("form_id", ASCENDING)])
        await self.rates.create_index(
            [("round_id", ASCENDING), ("form_id", ASCENDING), ("kind", ASCENDING)]
        )
        await self.rates.create_index([("ancestors", ASCENDING)])
        await self.projects.create_index([("round_id", ASCENDING)])
        await self.problems.create_index([("fiscal_year", ASCENDING), ("unit_code", ASCENDING)])
        for collection, by in (
            (self.projects, "sequence"),
            (self.due, "due_at"),
        ):
            await newer_index(collection, by)
        await self._fill_old_rollups()
        await self._move_old_submissions()
        await _move_old_rows(self.rates, UNIT_ROW, {"kind": "unit"})
        await _move_old_rows(self.problems, PROBLEM_ROW)

    async def _move_old_submissions(self) -> None:
        """Submissions stored before `latest` and `state` held their values and status."""
        old_shape = {"$or": [{name: {"$exists": True}} for name in ("values_version", "status_at")]}
        async for old in self.submissions.find(old_shape):
            moved: dict[str, Any] = {}
            if "values_version" in old:
                moved["latest"] = {"version": old["values_version"], "values": old.get("values")}
            if "status_at" in old:
                moved |= _status(old.get("status", "submitted"), old["status_at"])
            gone = dict.fromkeys(("values", "values_version", "status", "status_at"), "")
            await self.submissions.update_one({"_id": old["_id"]}, {"$max": moved, "$unset": gone})

    async def _fill_old_rollups(self) -> None:
        """Rollups stored before they held their units' entries get them, once, from the
        unit rows under them (which carry their sequences)."""
        async for old in self.rates.find({"kind": "rollup", "units": {"$exists": False}}):
            rows = await self.unit_rows(old["round_id"], old["form_id"], old["scope_code"])
            if rows:
                scope_type = old.get("scope_type", "unit")
                await self.put_rollup_units(
                    old["round_id"], old["form_id"], old["scope_code"], scope_type, rows
                )
            gone = {name: "" for name in ("rates", "late_units", "missing_units", "sequence")}
            await self.rates.update_one({"_id": old["_id"]}, {"$unset": gone})

    async def drop(self) -> None:
        """Empty every read model (the officer's resolutions stay), before a replay."""
        for name in READ_MODELS:
            await self.db[name].delete_many({})

    async def record_version(self, event: SubmissionAccepted) -> None:
        """Note a version in one write: the first acceptance, the latest version and its
        values (`$max`: the highest version wins, whatever the order), its status."""
        head = {"round_id": event.round_id, "unit_code": event.unit_code, "form_id": event.form_id}
        update = {
            "$set": head,
            "$min": {"first_accepted_at": event.accepted_at},
            "$max": {
                "latest_version": event.version,
                "latest": {"version": event.version, "values": event.values},
                **_status("submitted", event.accepted_at),
            },
        }
        for _ in range(3):  # two first versions racing to create the document
            try:
                await self._submissions.upsert({"_id": event.submission_id}, update)
                return
            except DuplicateKeyError:
                continue

    async def record_review(self, event: SubmissionReviewed) -> bool:
        """Note a review if the submission is known; False if its acceptance is yet to come
        (the newest status wins, whichever event arrives first: a review may overtake)."""
        held = await self.submissions.find_one_and_update(
            {"_id": event.submission_id},
            {"$max": _status(event.action, event.reviewed_at)},
            upsert=True,
            return_document=ReturnDocument.AFTER,
        )
        return held is not None and "first_accepted_at" in held

    async def submissions_by_id(self, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Submissions by id, those accepted (by `_id`: an index on every server)."""
        held = await self._submissions.find(ids)
        return {key: _flat(doc) for key, doc in sorted(held.items()) if "first_accepted_at" in doc}

    async def unit_rows_by_id(self, ids: Iterable[str]) -> list[dict[str, Any]]:
        rows = await self.rates.find({"_id": {"$in": sorted(set(ids))}}).to_list()
        return sorted((_flat_row(row, UNIT_ROW) for row in rows), key=lambda row: row["unit_code"])

    async def submissions_of(self, round_ids: Iterable[str], form_id: str) -> list[dict[str, Any]]:
        query = {
            "round_id": {"$in": list(round_ids)},
            "form_id": form_id,
            "first_accepted_at": {"$exists": True},
        }
        return [_flat(doc) for doc in await self.submissions.find(query).to_list()]

    async def received(self, round_ids: Iterable[str]) -> set[tuple[str, str, str]]:
        """(round, form, unit) of every submission received in these rounds."""
        query = {"round_id": {"$in": list(round_ids)}, "first_accepted_at": {"$exists": True}}
        cursor = self.submissions.find(
            query, projection={"round_id": 1, "form_id": 1, "unit_code": 1}
        )
        return {(d["round_id"], d["form_id"], d["unit_code"]) async for d in cursor}

    async def submission(self, submission_id: str) -> dict[str, Any] | None:
        held = await self.submissions.find_one({"_id": submission_id})
        return None if held is None else _flat(held)

    async def activity(self) -> tuple[int, int]:
        """How many submissions, and how many recomputations so far: a replay's progress."""
        submissions = await self.submissions.count_documents(
            {"first_accepted_at": {"$exists": True}}
        )
        counters = self.sequences.aggregate([{"$group": {"_id": None, "n": {"$sum": "$value"}}}])
        total = [doc async for doc in await counters]
        return submissions, int(total[0]["n"]) if total else 0

    async def sequence(self, key: str) -> int:
        """The next number for `key`: take it BEFORE reading what a row is computed from.

        Two processes may recompute the same row at once; each writes only if no row
        computed later (a higher number, so from a later read) is stored already.
        """
        return await self._sequences.increment(key, "value")

    async def _put_newer(self, collection: Any, row: dict[str, Any]) -> None:
        """Unless a row from a later read is stored."""
        fields = {k: v for k, v in row.items() if k != "_id"}
        await put_newer(collection, row["_id"], fields, "sequence", replace_equal=False)

    async def put_unit_rows(self, rows: list[dict[str, Any]]) -> None:
        """Each row unless one from a later read is stored (with the others' at once)."""
        await asyncio.gather(*(_upsert(self._rates, *_newest(row, UNIT_ROW)) for row in rows))

    async def unit_rows(
        self, round_id: str, form_id: str, scope: str | None = None
    ) -> list[dict[str, Any]]:
        query: dict[str, Any] = {"round_id": round_id, "form_id": form_id, "kind": "unit"}
        if scope is not None:
            query["ancestors"] = scope
        found = await self.rates.find(query).sort("unit_code").to_list()
        return [_flat_row(row, UNIT_ROW) for row in found]

    async def put_rollup_units(
        self, round_id: str, form_id: str, scope: str, scope_type: str, rows: list[dict[str, Any]]
    ) -> dict[str, Any]:
        """Each unit row's state into the scope's rollup unless a newer one is there (`$max`
        compares the entries' sequence first); the rollup as it now stands (`rollup_of`)."""
        if not rows:
            raise ValueError("a rollup is written with at least one unit's row")
        rollup_id = f"rollup:{round_id}:{form_id}:{scope}"
        update = {
            "$max": {f"units.{_unit_field(row['unit_code'])}": _entry(row) for row in rows},
            "$set": {
                "kind": "rollup",
                "round_id": round_id,
                "form_id": form_id,
                "scope_code": scope,
                "scope_type": scope_type,
                "updated_at": datetime.now(UTC),
            },
        }
        await _upsert(self._rates, {"_id": rollup_id}, update)
        return (await self._rollups.find([rollup_id]))[rollup_id]

    async def drop_rollup_units(
        self, round_id: str, form_id: str, scope: str, unit_codes: Iterable[str]
    ) -> dict[str, Any]:
        """Units no longer under the scope leave its rollup; the rollup as it now stands."""
        held = await self.rates.find_one_and_update(
            {"_id": f"rollup:{round_id}:{form_id}:{scope}"},
            {"$unset": {f"units.{_unit_field(code)}": "" for code in unit_codes}},
            return_document=ReturnDocument.AFTER,
        )
        return rollup_of(held or {"round_id": round_id, "form_id": form_id, "scope_code": scope})

    async def rollups(self, round_id: str, form_id: str | None = None) -> list[dict[str, Any]]:
        """Every scope's rollup in the round (`rollup_of`), by scope."""
        query: dict[str, Any] = {"round_id": round_id, "kind": "rollup"}
        if form_id is not None:
            query["form_id"] = form_id
        return [rollup_of(held) for held in await self.rates.find(query).sort("_id").to_list()]

    async def rollups_of_scope(
        self, round_id: str, scope: str, form_ids: Iterable[str]
    ) -> list[dict[str, Any]]:
        """A scope's rollups in the round, one per form that has one (by `_id`)."""
        ids = sorted({f"rollup:{round_id}:{form_id}:{scope}" for form_id in form_ids})
        found = self.rates.find({"_id": {"$in": ids}}).sort("_id")
        return [rollup_of(held) for held in await found.to_list()]

    async def mark_projects_due(self, round_id: str, form_id: str, codes: Iterable[str]) -> None:
        """These projects' progress is to be recomputed (by the job that does it in bulk)."""
        now = datetime.now(UTC)
        await asyncio.gather(
            *(
                _upsert(
                    self._due,
                    {"_id": f"{round_id}|{form_id}|{code}"},
                    {
                        "$set": {
                            "round_id": round_id,
                            "form_id": form_id,
                            "project_code": code,
                            "due_at": now,
                        }
                    },
                )
                for code in codes
            )
        )

    async def projects_due(self) -> list[dict[str, Any]]:
        return await self.due.find().to_list()

    async def projects_done(self, marks: Iterable[dict[str, Any]]) -> None:
        """Take out the marks recomputed (a mark made again since stays)."""
        done = [DeleteOne({"_id": m["_id"], "due_at": m["due_at"]}) for m in marks]
        if done:
            await self.due.bulk_write(done, ordered=False)

    async def put_project(self, row: dict[str, Any]) -> None:
        await self._put_newer(self.projects, row)

    async def projects_of(self, round_id: str) -> list[dict[str, Any]]:
        return await self.projects.find({"round_id": round_id}).sort("project_code").to_list()

    async def put_problem(self, row: dict[str, Any]) -> None:
        """Unless a newer version's is stored (one command)."""
        await _upsert(self._problems, *_newest(row, PROBLEM_ROW))

    async def problems_of(self, fiscal_year: int) -> list[dict[str, Any]]:
        found = self.problems.find({"fiscal_year": fiscal_year}).sort("_id")
        return [_flat_row(row, PROBLEM_ROW) async for row in found]

    async def problems_by_id(self, ids: Iterable[str]) -> list[dict[str, Any]]:
        found = self.problems.find({"_id": {"$in": sorted(set(ids))}}).sort("_id")
        return [_flat_row(row, PROBLEM_ROW) async for row in found]

    async def problem(self, problem_id: str) -> dict[str, Any] | None:
        held = await self.problems.find_one({"_id": problem_id})
        return None if held is None else _flat_row(held, PROBLEM_ROW)

    async def resolve(self, problem_id: str, resolution: dict[str, Any]) -> bool:
        if await self.problems.count_documents({"_id": problem_id}) == 0:
            return False
        await self.resolutions.update_one({"_id": problem_id}, {"$set": resolution}, upsert=True)
        return True

    async def resolved(self, problem_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
        return await self._resolutions.find(problem_ids)


async def _upsert(together: Together, where: dict[str, Any], update: dict[str, Any]) -> None:
    """An upsert with the others waiting now; one that lost a race to create its document
    (a duplicate key) goes once more, and then finds it."""
    for _ in range(2):
        with contextlib.suppress(DuplicateKeyError):
            await together.upsert(where, update)
            return
    await together.upsert(where, update)


STATE = ("expected", "received", "on_time", "late", "status")


def _unit_field(unit_code: str) -> str:
    """A unit code as a field name: codes may hold '.', which a field path cannot; ':' is
    never in a code."""
    return unit_code.replace(".", ":")


def _entry(row: dict[str, Any]) -> dict[str, Any]:
    """A unit's state in a rollup; its sequence first, so that `$max` compares it first."""
    return {"sequence": row["sequence"], **{name: row[name] for name in STATE}}


def rollup_of(held: dict[str, Any]) -> dict[str, Any]:
    """A stored rollup: its scope, and its units' rows (`unit_code` and the state), by code."""
    units = held.get("units") or {}
    rows = [
        {
            "round_id": held["round_id"],
            "form_id": held["form_id"],
            "unit_code": field.replace(":", "."),
            **{name: entry[name] for name in STATE},
        }
        for field, entry in units.items()
    ]
    return {
        "round_id": held["round_id"],
        "form_id": held["form_id"],
        "scope_code": held["scope_code"],
        "scope_type": held.get("scope_type", "unit"),
        "updated_at": _utc(held.get("updated_at")),
        "rows": sorted(rows, key=lambda row: row["unit_code"]),
    }


def _utc(at: Any) -> Any:
    return at.replace(tzinfo=UTC) if isinstance(at, datetime) and at.tzinfo is None else at


def _status(status: str, at: datetime) -> dict[str, Any]:
    """A submission's status as `$max` keeps it: the latest moment first, so it wins."""
    return {"state": {"at": at, "status": status}}


def _flat(held: dict[str, Any]) -> dict[str, Any]:
    """A stored submission as the handlers read it: `values`, `values_version`, `status`."""
    latest, state = held.get("latest") or {}, held.get("state") or {}
    flat = {k: v for k, v in held.items() if k not in ("latest", "state")}
    if latest:
        flat |= {"values": latest.get("values"), "values_version": latest.get("version")}
    if state:
        flat |= {"status": state.get("status"), "status_at": state.get("at")}
    return flat


@dataclass(frozen=True)
class NewestWins:
    """A row whose computed part is kept under one field by `$max`, its `by` field first (so
    the newest computation wins, whatever the order); the rest is `$set` as it is."""

    field: str
    by: str
    computed: tuple[str, ...]


UNIT_ROW = NewestWins(
    "state",
    "sequence",
    (
        "expected",
        "received",
        "on_time",
        "late",
        "status",
        "first_received_at",
        "submission_id",
    ),
)
PROBLEM_ROW = NewestWins("said", "version", ("problems", "suggestions"))


def _newest(row: dict[str, Any], shape: NewestWins) -> tuple[dict[str, Any], dict[str, Any]]:
    """The filter and update writing `row` unless a newer computation is stored."""
    computed = {shape.by: row[shape.by], **{name: row.get(name) for name in shape.computed}}
    kept = {shape.by, *shape.computed, "_id"}
    rest = {k: v for k, v in row.items() if k not in kept}
    return {"_id": row["_id"]}, {"$set": rest, "$max": {shape.field: computed}}


def _flat_row(held: dict[str, Any], shape: NewestWins) -> dict[str, Any]:
    """A stored row as the handlers read it: the computed part at the top."""
    return {k: v for k, v in held.items() if k != shape.field} | (held.get(shape.field) or {})


async def _move_old_rows(
    collection: Any, shape: NewestWins, where: dict[str, Any] | None = None
) -> None:
    """Rows stored before their computed part had a field of its own are moved, once."""
    old_shape = {**(where or {}), shape.by: {"$exists": True}, shape.field: {"$exists": False}}
    async for old in collection.find(old_shape):
        computed = {shape.by: old[shape.by], **{n: old.get(n) for n in shape.computed}}
        gone = dict.fromkeys((shape.by, *shape.computed), "")
        await collection.update_one(
            {"_id": old["_id"]}, {"$max": {shape.field: computed}, "$unset": gone}
        )
