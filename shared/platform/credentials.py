"""API keys and the roles they speak for, one scheme for every service.

Keys are random (256-bit) and stored only as their SHA-256, in the service's own database.
A credential names its role and unit; an assessor's key also names the assessor. Each
service says which roles it issues (intake: reporter, reviewer; evaluation: officer,
assessor, unit). Operators issue keys from a shell (`credentials_cli`) or over HTTP with the
`X-Admin-Token` of `TIDTAM_ADMIN_TOKEN` (`credentials_router`); callers send
`Authorization: Bearer <key>`.
"""

import argparse
import asyncio
import hashlib
import secrets
import sys
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Protocol

from fastapi import APIRouter, Depends, Header, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field, SecretStr
from pymongo.asynchronous.database import AsyncDatabase

from shared.contracts.setup import CODE
from shared.platform.identity import IdentityVerifier, Person, looks_like_token, verifying_key
from shared.platform.mongo import make_client
from shared.platform.settings import Settings


class Credential(BaseModel):
    """Who a key speaks for: a role, the unit it acts for and, for an assessor, who."""

    credential_id: str
    unit_code: str
    role: str
    label: str
    assessor_id: str | None = None
    created_at: datetime


class CredentialIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unit_code: str = Field(pattern=CODE)
    role: str = Field(examples=["reporter"])
    label: str = Field(min_length=1, max_length=200)
    assessor_id: str | None = Field(None, pattern=CODE, description="Required for an assessor.")


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class CredentialStore(Protocol):
    """What routes need of the keys (MongoCredentialStore, or a fake in unit tests)."""

    async def issue(
        self, unit_code: str, role: str, label: str, assessor_id: str | None = None
    ) -> tuple[str, Credential]: ...
    async def authenticate(self, key: str) -> Credential | None: ...


class MongoCredentialStore:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.credentials = db["credentials"]

    async def create_indexes(self) -> None:
        await self.credentials.create_index("unit_code")

    async def issue(
        self, unit_code: str, role: str, label: str, assessor_id: str | None = None
    ) -> tuple[str, Credential]:
        """A new key (shown once) and its credential."""
        key = f"tdt_{secrets.token_urlsafe(32)}"
        credential = Credential(
            credential_id=secrets.token_hex(8),
            unit_code=unit_code,
            role=role,
            label=label,
            assessor_id=assessor_id,
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


class KeyFileVerifier:
    """The console's public key, read from its file once it exists: the console makes the
    pair at its first start, which need not come before this service's."""

    def __init__(self, path: Path, audience: str) -> None:
        self.path = path
        self.audience = audience
        self.verifier: IdentityVerifier | None = None

    def person(self, token: str) -> Person | None:
        if self.verifier is None:
            if not self.path.exists():
                return None
            self.verifier = IdentityVerifier(verifying_key(self.path), self.audience)
        return self.verifier.person(token)


class PeopleAndKeys:
    """API keys, and people vouched for by the console's signed tokens: one store to the
    routes, so each service checks a person's role and unit as it checks a key's."""

    def __init__(self, keys: "MongoCredentialStore", verifier: "KeyFileVerifier | None") -> None:
        self.keys = keys
        self.verifier = verifier

    async def create_indexes(self) -> None:
        await self.keys.create_indexes()

    async def issue(
        self, unit_code: str, role: str, label: str, assessor_id: str | None = None
    ) -> tuple[str, Credential]:
        return await self.keys.issue(unit_code, role, label, assessor_id)

    async def authenticate(self, key: str) -> Credential | None:
        if not looks_like_token(key):
            return await self.keys.authenticate(key)
        person = self.verifier.person(key) if self.verifier else None
        if person is None:
            return None
        return Credential(
            credential_id=f"person:{person.person_id}",
            unit_code=person.unit_code,
            role=person.role,
            label=person.name,
            assessor_id=person.person_id if person.role == "assessor" else None,
            created_at=datetime.now(UTC),
        )


def people_and_keys(
    db: AsyncDatabase[dict[str, Any]], settings: Settings, service: str
) -> PeopleAndKeys:
    """The service's credential store: its API keys, and the console's people when the
    console's public key is configured (`TIDTAM_IDENTITY_PUBLIC_KEY_FILE`)."""
    path = settings.identity_public_key_file
    verifier = KeyFileVerifier(path, service) if path else None
    return PeopleAndKeys(MongoCredentialStore(db), verifier)


# The scheme in every service's OpenAPI (`security`), so a client, and the fuzz tier, know
# how to authenticate; missing or malformed, the route answers 401 itself.
BEARER = HTTPBearer(
    auto_error=False,
    scheme_name="bearer",
    description="An API key (`tdt_…`, issued per service) or a token the console signed for "
    "a person: `Authorization: Bearer <key>`.",
)


def authenticator(credentials: CredentialStore) -> Callable[..., Awaitable[Credential]]:
    """A FastAPI dependency: the credential of the `Authorization: Bearer <key>` header."""

    async def credential(
        request: Request, sent: Annotated[HTTPAuthorizationCredentials | None, Depends(BEARER)]
    ) -> Credential:
        challenge = {"WWW-Authenticate": "Bearer"}
        key = sent.credentials.strip() if sent is not None else ""
        if not key:
            raise HTTPException(
                401, "send your API key as 'Authorization: Bearer <key>'", headers=challenge
            )
        found = await credentials.authenticate(key)
        if found is None:
            raise HTTPException(401, "unknown or revoked API key", headers=challenge)
        request.state.caller = found  # for the audit trail
        return found

    return credential


def _field_error(field: str, message: str, code: str) -> HTTPException:
    return HTTPException(422, [{"loc": ["body", field], "msg": message, "type": code}])


def check_request(body: CredentialIn, roles: Sequence[str]) -> None:
    """422 for a role the service does not issue, or an assessor without an assessor id."""
    if body.role not in roles:
        raise _field_error("role", f"one of: {', '.join(roles)}", "unknown_role")
    if (body.role == "assessor") != (body.assessor_id is not None):
        raise _field_error(
            "assessor_id", "set for an assessor's key, and only for one", "assessor_id"
        )


def credentials_router(
    credentials: CredentialStore, admin_token: SecretStr | None, roles: Sequence[str]
) -> APIRouter:
    routes = APIRouter(tags=["credentials"])

    @routes.post(
        "/credentials",
        status_code=201,
        summary="Issue an API key",
        description=f"Roles: {', '.join(roles)}. Needs the `X-Admin-Token` header.",
    )
    async def issue(
        body: CredentialIn, x_admin_token: Annotated[str | None, Header()] = None
    ) -> dict[str, Any]:
        expected = admin_token.get_secret_value() if admin_token else None
        if not expected or not x_admin_token or not secrets.compare_digest(x_admin_token, expected):
            raise HTTPException(403, "issuing keys needs the X-Admin-Token of TIDTAM_ADMIN_TOKEN")
        check_request(body, roles)
        key, made = await credentials.issue(body.unit_code, body.role, body.label, body.assessor_id)
        return {
            "key": key,
            "note": "shown once; only its hash is kept",
            **made.model_dump(mode="json"),
        }

    return routes


async def _run(service: str, args: argparse.Namespace) -> int:
    settings = Settings()
    client = make_client(settings.mongodb_url)
    try:
        store = MongoCredentialStore(client[settings.database_of(service)])
        if args.command == "issue":
            key, made = await store.issue(args.unit, args.role, args.label, args.assessor)
            print(f"credential {made.credential_id} for {made.unit_code} ({made.role})")
            print(f"key (shown once): {key}")
            return 0
        if await store.revoke(args.credential_id):
            print(f"revoked {args.credential_id}")
            return 0
        print(f"no credential {args.credential_id}", file=sys.stderr)
        return 1
    finally:
        await client.close()


def credentials_cli(service: str, roles: Sequence[str], argv: list[str] | None = None) -> int:
    """`python -m services.<service>.credentials issue|revoke …` in the service's database."""
    parser = argparse.ArgumentParser(prog=f"python -m services.{service}.credentials")
    commands = parser.add_subparsers(dest="command", required=True)
    issue = commands.add_parser("issue", help="issue a new API key")
    issue.add_argument("--unit", required=True, help="the unit the key acts for")
    issue.add_argument("--role", choices=tuple(roles), default=roles[0])
    issue.add_argument("--label", required=True, help="who holds it, shown in histories")
    issue.add_argument("--assessor", default=None, help="the assessor id (assessor keys)")
    revoke = commands.add_parser("revoke", help="revoke a key by its credential id")
    revoke.add_argument("credential_id")
    args = parser.parse_args(argv)
    if args.command == "issue" and (args.role == "assessor") != (args.assessor is not None):
        parser.error("--assessor is required for an assessor's key, and only for one")
    return asyncio.run(_run(service, args))
