"""Monitoring-only records: the officer's assignment overrides and process instances."""

from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from services.monitoring.domain.assignments import AssignmentOverride
from shared.thai.work_manual import ProcessInstance


class MongoPlanningStore:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.overrides = db["assignment_overrides"]
        self.processes = db["process_instances"]

    async def create_indexes(self) -> None:
        await self.overrides.create_index([("seq", ASCENDING)])
        await self.processes.create_index([("fiscal_year", ASCENDING)])

    async def add_override(self, override: AssignmentOverride) -> bool:
        """False if an override with this id exists."""
        count = await self.overrides.count_documents({})
        try:
            await self.overrides.insert_one(
                {"_id": override.override_id, "seq": count, **override.model_dump(mode="json")}
            )
        except DuplicateKeyError:
            return False
        return True

    async def remove_override(self, override_id: str) -> bool:
        return (await self.overrides.delete_one({"_id": override_id})).deleted_count == 1

    async def overrides_in_order(self) -> list[AssignmentOverride]:
        cursor = self.overrides.find({}, projection={"_id": False, "seq": False}).sort("seq")
        return [AssignmentOverride.model_validate(doc) async for doc in cursor]

    async def add_process(self, instance: ProcessInstance) -> bool:
        try:
            await self.processes.insert_one(
                {"_id": instance.instance_id, **instance.model_dump(mode="json")}
            )
        except DuplicateKeyError:
            return False
        return True

    async def save_process(self, instance: ProcessInstance) -> None:
        await self.processes.replace_one(
            {"_id": instance.instance_id}, instance.model_dump(mode="json"), upsert=True
        )

    async def process(self, instance_id: str) -> ProcessInstance | None:
        doc = await self.processes.find_one({"_id": instance_id}, projection={"_id": False})
        return ProcessInstance.model_validate(doc) if doc else None

    async def processes_of(self, fiscal_year: int) -> list[ProcessInstance]:
        cursor = self.processes.find({"fiscal_year": fiscal_year}, projection={"_id": False})
        return [ProcessInstance.model_validate(doc) async for doc in cursor.sort("template_id")]
