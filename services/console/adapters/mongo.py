"""The console's own database: accounts, sessions and sign-in attempts.

- `accounts`: `{_id: username, display_name, role, unit_code, active, password_hash,
  created_at, created_by, changed: [{at, by, what}]}`;
- `sessions`: `{_id: sha256(session cookie), username, csrf, created_at, expires_at}` — the
  cookie itself is never stored; expiry is compared by the console (no TTL index reliance);
- `signin_attempts`: `{username, address, at}` failures, for the throttle.
"""

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import DuplicateKeyError

from services.console.domain.accounts import Account

SESSION_TTL = timedelta(hours=10)


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _account(document: dict[str, Any]) -> Account:
    return Account(
        username=document["_id"],
        display_name=document["display_name"],
        role=document["role"],
        unit_code=document["unit_code"],
        active=document["active"],
        created_at=document["created_at"],
        created_by=document["created_by"],
    )


class MongoAccounts:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.accounts = db["accounts"]
        self.sessions = db["sessions"]
        self.attempts = db["signin_attempts"]

    async def create_indexes(self) -> None:
        await self.attempts.create_index([("username", ASCENDING), ("address", ASCENDING)])
        await self.sessions.create_index([("username", ASCENDING)])

    async def add(self, account: Account, password_hash: str) -> bool:
        try:
            await self.accounts.insert_one(
                {
                    "_id": account.username,
                    "display_name": account.display_name,
                    "role": account.role,
                    "unit_code": account.unit_code,
                    "active": account.active,
                    "password_hash": password_hash,
                    "created_at": account.created_at,
                    "created_by": account.created_by,
                    "changed": [],
                }
            )
        except DuplicateKeyError:
            return False
        return True

    async def get(self, username: str) -> tuple[Account, str] | None:
        found = await self.accounts.find_one({"_id": username})
        return (_account(found), found["password_hash"]) if found else None

    async def all(self) -> list[Account]:
        return [_account(d) async for d in self.accounts.find().sort("_id", ASCENDING)]

    async def count(self) -> int:
        return await self.accounts.count_documents({})

    async def change(self, username: str, fields: dict[str, Any], by: str, what: str) -> bool:
        result = await self.accounts.update_one(
            {"_id": username},
            {
                "$set": fields,
                "$push": {"changed": {"at": datetime.now(UTC), "by": by, "what": what}},
            },
        )
        return result.matched_count == 1

    async def set_password_hash(self, username: str, password_hash: str) -> None:
        await self.accounts.update_one(
            {"_id": username}, {"$set": {"password_hash": password_hash}}
        )

    # sessions

    async def open_session(self, username: str, now: datetime) -> tuple[str, str]:
        """A new session: (cookie value, CSRF token)."""
        cookie, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
        await self.sessions.insert_one(
            {
                "_id": _digest(cookie),
                "username": username,
                "csrf": csrf,
                "created_at": now,
                "expires_at": now + SESSION_TTL,
            }
        )
        return cookie, csrf

    async def session(self, cookie: str, now: datetime) -> tuple[str, str] | None:
        """(username, CSRF token) of a live session, or None."""
        found = await self.sessions.find_one({"_id": _digest(cookie)})
        if found is None or found["expires_at"].replace(tzinfo=UTC) <= now:
            return None
        return found["username"], found["csrf"]

    async def close_session(self, cookie: str) -> None:
        await self.sessions.delete_one({"_id": _digest(cookie)})

    async def close_sessions_of(self, username: str) -> None:
        await self.sessions.delete_many({"username": username})

    # sign-in attempts

    async def failures(self, username: str, address: str, since: datetime) -> list[datetime]:
        cursor = self.attempts.find({"username": username, "address": address})
        return [
            d["at"].replace(tzinfo=UTC) async for d in cursor if d["at"].replace(tzinfo=UTC) > since
        ]

    async def record_failure(self, username: str, address: str, now: datetime) -> None:
        await self.attempts.insert_one({"username": username, "address": address, "at": now})

    async def clear_failures(self, username: str, address: str) -> None:
        await self.attempts.delete_many({"username": username, "address": address})
