"""Evaluation's MongoDB for the inspection follow-up register: rounds, issues, recommendations.

Documents are the domain records dumped as JSON (dates as ISO strings, which sort and compare
as dates); `_id` is the domain id. An issue's id is its code within its inspection.

`inspection_changes` (`{_id: inspection_id, changes, dirty}`) marks the inspections whose
report changed since it was last announced. It is not an outbox: the report is the whole
register of an inspection (its round, issues and recommendations, overdue as of the day),
computed when it is announced, so a later announcement carries every earlier change and
only the newest state need go out; `changes` names the version announced (its event id).
"""

from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from services.evaluation.domain.inspections import (
    InspectionIssue,
    InspectionRound,
    Recommendation,
    natural_key,
)

Document = dict[str, Any]


def issue_id(inspection_id: str, issue_code: str) -> str:
    """An issue's `_id`: codes repeat across inspections, so the inspection is part of it."""
    return f"{inspection_id}:{issue_code}"


def _document(record: InspectionRound | InspectionIssue | Recommendation, _id: str) -> Document:
    return {"_id": _id, **record.model_dump(mode="json")}


def _fields(doc: Document) -> Document:
    return {k: v for k, v in doc.items() if k != "_id"}


class MongoInspectionStore:
    """Rounds, issues and recommendations of inspections, mapped to domain records here only."""

    def __init__(self, db: AsyncDatabase[Document]) -> None:
        self.rounds = db["inspection_rounds"]
        self.issues = db["inspection_issues"]
        self.recommendations = db["inspection_recommendations"]
        self.changes = db["inspection_changes"]

    async def create_indexes(self) -> None:
        """Indexes for listing by year, by inspection, by unit, and for finding overdue ones."""
        await self.rounds.create_index([("fiscal_year", 1), ("inspected_on", 1)])
        await self.issues.create_index([("inspection_id", 1), ("issue_code", 1)], unique=True)
        await self.recommendations.create_index([("inspection_id", 1)])
        await self.recommendations.create_index([("responsible_unit", 1), ("due_on", 1)])
        await self.recommendations.create_index([("status", 1), ("due_on", 1)])

    # Rounds

    async def add_round(self, round_: InspectionRound) -> bool:
        """Store a new round; False if one with its id is already there."""
        return await self._changed(
            round_.inspection_id,
            await _insert(self.rounds, _document(round_, round_.inspection_id)),
        )

    async def round(self, inspection_id: str) -> InspectionRound | None:
        doc = await self.rounds.find_one({"_id": inspection_id})
        return None if doc is None else InspectionRound.model_validate(_fields(doc))

    async def rounds_in(self, fiscal_year: int | None = None) -> list[InspectionRound]:
        """Rounds of a fiscal year (all when None), in the order they happened."""
        where = {} if fiscal_year is None else {"fiscal_year": fiscal_year}
        cursor = self.rounds.find(where).sort([("inspected_on", 1), ("_id", 1)])
        return [InspectionRound.model_validate(_fields(d)) async for d in cursor]

    # Issues

    async def add_issue(self, issue: InspectionIssue) -> bool:
        """Store a new issue; False if its inspection already has one with that code."""
        added = await _insert(
            self.issues, _document(issue, issue_id(issue.inspection_id, issue.issue_code))
        )
        return await self._changed(issue.inspection_id, added)

    async def issues_of(self, inspection_id: str) -> list[InspectionIssue]:
        """An inspection's issues in code order ('1.2' before '1.10')."""
        cursor = self.issues.find({"inspection_id": inspection_id})
        found = [InspectionIssue.model_validate(_fields(d)) async for d in cursor]
        return sorted(found, key=lambda i: natural_key(i.issue_code))

    # Recommendations

    async def add_recommendation(self, rec: Recommendation) -> bool:
        """Store a new recommendation; False if one with its id is already there."""
        added = await _insert(self.recommendations, _document(rec, rec.recommendation_id))
        return await self._changed(rec.inspection_id, added)

    async def recommendation(self, recommendation_id: str) -> Recommendation | None:
        doc = await self.recommendations.find_one({"_id": recommendation_id})
        return None if doc is None else Recommendation.model_validate(_fields(doc))

    async def put_recommendation(self, rec: Recommendation, previous: Recommendation) -> bool:
        """Replace `previous` by `rec`; False if someone changed it meanwhile (read it again).

        The status and the number of changes and notes identify the version that was read,
        so two units updating at once cannot lose each other's change.
        """
        where = {
            "_id": previous.recommendation_id,
            "status": previous.status,
            "history": {"$size": len(previous.history)},
            "progress": {"$size": len(previous.progress)},
        }
        done = await self.recommendations.replace_one(where, _document(rec, rec.recommendation_id))
        return await self._changed(rec.inspection_id, done.matched_count == 1)

    # What changed since its report was last announced

    async def _changed(self, inspection_id: str, written: bool) -> bool:
        """After a write, mark the inspection's report to be announced again."""
        if written:
            await self.changes.update_one(
                {"_id": inspection_id},
                {"$inc": {"changes": 1}, "$set": {"dirty": True}},
                upsert=True,
            )
        return written

    async def unannounced(self) -> list[tuple[str, int]]:
        """Inspections changed since their report was announced, with their change count."""
        cursor = self.changes.find({"dirty": True}).sort("_id", 1)
        return [(doc["_id"], doc["changes"]) async for doc in cursor]

    async def announced(self, inspection_id: str, changes: int) -> None:
        """The report as of `changes` changes was announced (a later change stays dirty)."""
        await self.changes.update_one(
            {"_id": inspection_id, "changes": changes}, {"$set": {"dirty": False}}
        )

    async def mark_all_unannounced(self) -> None:
        """Announce every report again (a consumer rebuilding its copy asked)."""
        await self.changes.update_many({}, {"$set": {"dirty": True}})

    async def recommendations_of(
        self, inspection_id: str, responsible_unit: str | None = None
    ) -> list[Recommendation]:
        """An inspection's recommendations, optionally only those of one unit, in id order."""
        where: Document = {"inspection_id": inspection_id}
        if responsible_unit is not None:
            where["responsible_unit"] = responsible_unit
        return await self._recommendations(where)

    async def recommendations_of_unit(self, responsible_unit: str) -> list[Recommendation]:
        """Every recommendation a unit is responsible for, across inspections."""
        return await self._recommendations({"responsible_unit": responsible_unit})

    async def recommendations_all(self) -> list[Recommendation]:
        """Every recommendation of every inspection (the overdue check reads them all)."""
        return await self._recommendations({})

    async def _recommendations(self, where: Document) -> list[Recommendation]:
        cursor = self.recommendations.find(where)
        found = [Recommendation.model_validate(_fields(d)) async for d in cursor]
        return sorted(found, key=lambda r: natural_key(r.recommendation_id))


async def _insert(collection: Any, doc: Document) -> bool:
    try:
        await collection.insert_one(doc)
    except DuplicateKeyError:
        return False
    return True
