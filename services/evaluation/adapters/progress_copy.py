"""Evaluation's copy of monitoring's project progress (`project_progress`), newest state
per round and project, from which criteria linked to indicators propose levels."""

from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from shared.platform.replica import LatestCopies


class ProjectProgressCopy(LatestCopies):
    """`{_id: "<round>:<project>", ...ProjectProgressUpdated, at}` in `project_progress`."""

    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        super().__init__(db, "project_progress")

    async def empty(self) -> bool:
        """Nothing copied yet (a new or emptied database): monitoring is asked for it all."""
        return await self.documents.find_one({}, projection={"_id": True}) is None
