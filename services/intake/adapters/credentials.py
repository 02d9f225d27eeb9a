"""Credentials: API keys stored only as their SHA-256 (the keys are random, 256-bit)."""

import hashlib
import secrets
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel
from pymongo.asynchronous.database import AsyncDatabase

Role = Literal["reporter", "reviewer"]


class Credential(BaseModel):
    """Who a key speaks for: a reporter for its unit, or a reviewer (an office officer)."""

    credential_id: str
    unit_code: str
    role: Role
    label: str
    created_at: datetime


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class MongoCredentialStore:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.credentials = db["credentials"]

    async def create_indexes(self) -> None:
        await self.credentials.create_index("unit_code")

    async def issue(self, unit_code: str, role: Role, label: str) -> tuple[str, Credential]:
        """A new key (shown once) and its credential."""
        key = f"tdt_{secrets.token_urlsafe(32)}"
        credential = Credential(
            credential_id=secrets.token_hex(8),
            unit_code=unit_code,
            role=role,
            label=label,
            created_at=datetime.now(UTC),
        )
        await self.credentials.insert_one(
            {"_id": digest(key), "revoked": False, **credential.model_dump()}
        )
        return key, credential

    async def authenticate(self, key: str) -> Credential | None:
        found = await self.credentials.find_one({"_id": digest(key), "revoked": False})
        return Credential.model_validate(found) if found else None

    async def revoke(self, credential_id: str) -> bool:
        result = await self.credentials.update_one(
            {"credential_id": credential_id}, {"$set": {"revoked": True}}
        )
        return result.modified_count == 1
