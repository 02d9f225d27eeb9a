"""Evaluation's MongoDB: evaluations and their assessors' scores.

- `evaluations`: `{_id: evaluation_id, fiscal_year, revision, state, outbox, outbox_at}`;
  every change replaces the state, guarded by the revision read, so two officers'
  concurrent changes never merge silently (the second gets a conflict). The events
  announcing a change go into the platform's outbox (`shared.platform.outbox`) in the same
  update; events still unannounced from an earlier change stay there.
- `evaluation_scores`: `{_id: "<evaluation>:<assessor>:<criterion>:<subject>", evaluation_id,
  assessor_id, state, override_reason_th, updated_at}`: one score per assessor, criterion
  and subject, replaced as the assessor edits it.
"""

from datetime import datetime
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from services.evaluation.domain.aggregation import Score
from services.evaluation.domain.evaluations import Evaluation
from shared.contracts import Envelope
from shared.platform.outbox import Outbox, merged, outbox_fields, outbox_push


def score_key(evaluation_id: str, score: Score) -> str:
    return f"{evaluation_id}:{score.assessor_id}:{score.criterion_code}:{score.subject}"


class MongoEvaluationStore:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.evaluations = db["evaluations"]
        self.scores = db["evaluation_scores"]
        self.outbox = Outbox(self.evaluations)

    async def create_indexes(self) -> None:
        await self.evaluations.create_index([("fiscal_year", ASCENDING)])
        await self.outbox.create_indexes()
        await self.scores.create_index([("evaluation_id", ASCENDING), ("assessor_id", ASCENDING)])

    async def add(self, evaluation: Evaluation) -> bool:
        """Insert a new evaluation; False if its id is taken."""
        try:
            await self.evaluations.insert_one(
                {
                    "_id": evaluation.evaluation_id,
                    "fiscal_year": evaluation.fiscal_year,
                    "revision": evaluation.revision,
                    "state": evaluation.model_dump(mode="json"),
                    **outbox_fields(),
                }
            )
        except DuplicateKeyError:
            return False
        return True

    async def get(self, evaluation_id: str) -> Evaluation | None:
        found = await self.evaluations.find_one({"_id": evaluation_id})
        return None if found is None else Evaluation.model_validate(found["state"])

    async def replace(
        self, evaluation: Evaluation, read_revision: int, *events: Envelope[Any]
    ) -> bool:
        """Store a changed evaluation, with the events announcing it, if nobody changed it
        since `read_revision` was read."""
        update: dict[str, Any] = {
            "$set": {
                "fiscal_year": evaluation.fiscal_year,
                "revision": evaluation.revision,
                "state": evaluation.model_dump(mode="json"),
            }
        }
        result = await self.evaluations.update_one(
            {"_id": evaluation.evaluation_id, "revision": read_revision},
            merged(update, outbox_push(*events)) if events else update,
        )
        return result.matched_count == 1

    async def touch(self, evaluation_id: str) -> bool:
        """Move an open evaluation's revision on (its scores changed); False once final."""
        result = await self.evaluations.update_one(
            {"_id": evaluation_id, "state.status": "open"},
            {"$inc": {"revision": 1, "state.revision": 1}},
        )
        return result.matched_count == 1

    async def all(self, fiscal_year: int | None = None) -> list[Evaluation]:
        where = {} if fiscal_year is None else {"fiscal_year": fiscal_year}
        cursor = self.evaluations.find(where).sort("_id", ASCENDING)
        return [Evaluation.model_validate(found["state"]) async for found in cursor]

    async def put_score(
        self, evaluation_id: str, score: Score, override_reason_th: str | None, at: datetime
    ) -> None:
        await self.scores.replace_one(
            {"_id": score_key(evaluation_id, score)},
            {
                "evaluation_id": evaluation_id,
                "assessor_id": score.assessor_id,
                "state": score.model_dump(mode="json"),
                "override_reason_th": override_reason_th,
                "updated_at": at,
            },
            upsert=True,
        )

    async def scores_of(
        self, evaluation_id: str, assessor_id: str | None = None
    ) -> list[tuple[Score, str | None]]:
        """The evaluation's scores (one assessor's, if named) with their override reasons."""
        where: dict[str, Any] = {"evaluation_id": evaluation_id}
        if assessor_id is not None:
            where["assessor_id"] = assessor_id
        cursor = self.scores.find(where).sort("_id", ASCENDING)
        return [
            (Score.model_validate(found["state"]), found.get("override_reason_th"))
            async for found in cursor
        ]
