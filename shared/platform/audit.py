"""Every write is attributed: who (a person the console vouches for, or an API key), what
(method and path), when, and how it ended (status). One collection per service, `audit`.

The authenticator puts the caller on the request (`request.state.caller`); the middleware
records each write (POST, PUT, PATCH, DELETE) once it is answered, refused writes included.
"""

from datetime import UTC, datetime
from typing import Any, Protocol

from pymongo import ASCENDING
from pymongo.asynchronous.database import AsyncDatabase
from starlette.middleware.base import BaseHTTPMiddleware, RequestResponseEndpoint
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp

WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class AuditTrail(Protocol):
    async def record(self, entry: dict[str, Any]) -> None: ...


class MongoAuditTrail:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.entries = db["audit"]

    async def create_indexes(self) -> None:
        await self.entries.create_index([("at", ASCENDING)])

    async def record(self, entry: dict[str, Any]) -> None:
        await self.entries.insert_one(entry)

    async def latest(self, limit: int = 100) -> list[dict[str, Any]]:
        cursor = self.entries.find({}, projection={"_id": False}).sort("at", -1).limit(limit)
        return await cursor.to_list()


class AuditWrites(BaseHTTPMiddleware):
    def __init__(self, app: ASGIApp, trail: AuditTrail) -> None:
        super().__init__(app)
        self.trail = trail

    async def dispatch(self, request: Request, call_next: RequestResponseEndpoint) -> Response:
        response = await call_next(request)
        if request.method in WRITES and request.url.path != "/credentials":
            caller = getattr(request.state, "caller", None)
            await self.trail.record(
                {
                    "at": datetime.now(UTC),
                    "method": request.method,
                    "path": request.url.path,
                    "query": request.url.query or None,
                    "status": response.status_code,
                    "by": None
                    if caller is None
                    else {
                        "credential_id": caller.credential_id,
                        "role": caller.role,
                        "unit_code": caller.unit_code,
                        "label": caller.label,
                    },
                }
            )
        return response
