"""Evaluation's MongoDB: framework versions, one document per `framework_id@version`."""

from typing import Any

from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from services.evaluation.domain.frameworks import Framework


def framework_key(framework_id: str, version: int) -> str:
    return f"{framework_id}@{version}"


def _document(framework: Framework) -> dict[str, Any]:
    return {
        "_id": framework_key(framework.framework_id, framework.version),
        "framework_id": framework.framework_id,
        "version": framework.version,
        "status": framework.status,
        "state": framework.model_dump(mode="json"),
    }


def _framework(document: dict[str, Any]) -> Framework:
    return Framework.model_validate(document["state"])


class MongoFrameworkStore:
    """Framework versions; a published version is never replaced (the filter guards it)."""

    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.frameworks = db["frameworks"]

    async def create_indexes(self) -> None:
        await self.frameworks.create_index([("framework_id", 1), ("version", 1)], unique=True)

    async def get(self, framework_id: str, version: int) -> Framework | None:
        document = await self.frameworks.find_one({"_id": framework_key(framework_id, version)})
        return _framework(document) if document is not None else None

    async def versions(self, framework_id: str) -> list[Framework]:
        """Every version of one framework, oldest first."""
        cursor = self.frameworks.find({"framework_id": framework_id}).sort("version", 1)
        return [_framework(document) async for document in cursor]

    async def put(self, framework: Framework) -> bool:
        """Insert a version or replace its draft; False when that version is published."""
        document = _document(framework)
        try:
            await self.frameworks.replace_one(
                {"_id": document["_id"], "status": "draft"}, document, upsert=True
            )
        except DuplicateKeyError:
            return False  # the version exists and is not a draft: it stays as published
        return True

    async def add(self, framework: Framework) -> bool:
        """Insert a new version; False if that version exists (two drafts raced)."""
        try:
            await self.frameworks.insert_one(_document(framework))
        except DuplicateKeyError:
            return False
        return True

    async def all(self) -> list[Framework]:
        """Every version of every framework, by framework then version."""
        cursor = self.frameworks.find().sort([("framework_id", 1), ("version", 1)])
        return [_framework(document) async for document in cursor]
