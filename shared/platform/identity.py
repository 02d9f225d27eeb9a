"""One identity across the services: the person who acts, signed by the console.

A person signs in to the console only. For each call it makes to a service on that
person's behalf, the console signs a short-lived token (compact JWS, EdDSA over Ed25519)
naming the person, their role and their unit; every service verifies it with the console's
public key (`TIDTAM_IDENTITY_PUBLIC_KEY_FILE`) and checks the role and unit itself, as it
does for an API key. No service can mint a token (it has only the public key); a token
lives `TOKEN_TTL` and names the service it is for (`aud`), so a token sent to one service is
refused by another. API keys stay for other systems.
"""

import base64
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

ISSUER = "tidtam-console"
TOKEN_TTL_S = 300
_HEADER = {"alg": "EdDSA", "typ": "JWT"}


@dataclass(frozen=True)
class Person:
    """Who acts, as the console vouches for them."""

    person_id: str
    name: str
    role: str  # officer, director, reviewer, assessor, reporter, operator
    unit_code: str  # the office, group or unit the role is scoped to


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def looks_like_token(credential: str) -> bool:
    """A signed token (three dot-separated parts) rather than an API key."""
    return credential.count(".") == 2


class IdentitySigner:
    """The console's side: signs tokens for a person and a service."""

    def __init__(self, key: Ed25519PrivateKey) -> None:
        self.key = key

    def token(self, person: Person, audience: str, now: float | None = None) -> str:
        issued = int(now if now is not None else time.time())
        claims = {
            "iss": ISSUER,
            "aud": audience,
            "sub": person.person_id,
            "name": person.name,
            "role": person.role,
            "unit": person.unit_code,
            "iat": issued,
            "exp": issued + TOKEN_TTL_S,
        }
        signing_input = ".".join(
            _b64(json.dumps(part, separators=(",", ":"), ensure_ascii=False).encode())
            for part in (_HEADER, claims)
        )
        return f"{signing_input}.{_b64(self.key.sign(signing_input.encode()))}"


class IdentityVerifier:
    """A service's side: the person a token names, or None if it is not valid here."""

    def __init__(self, key: Ed25519PublicKey, audience: str) -> None:
        self.key = key
        self.audience = audience

    def person(self, token: str, now: float | None = None) -> Person | None:
        try:
            header, claims, signature = token.split(".")
            self.key.verify(_unb64(signature), f"{header}.{claims}".encode())
            found: dict[str, Any] = json.loads(_unb64(claims))
            if json.loads(_unb64(header)).get("alg") != "EdDSA":
                return None
        except (ValueError, InvalidSignature, UnicodeDecodeError):
            return None
        moment = now if now is not None else time.time()
        if found.get("iss") != ISSUER or found.get("aud") != self.audience:
            return None
        if not isinstance(found.get("exp"), int) or found["exp"] < moment:
            return None
        return Person(
            person_id=str(found["sub"]),
            name=str(found["name"]),
            role=str(found["role"]),
            unit_code=str(found["unit"]),
        )


def signing_key(path: Path) -> Ed25519PrivateKey:
    """The console's key at `path`, created (with `<path>.pub`) on first use."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as out:
            out.write(pem)
        public_path(path).write_bytes(
            key.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
        )
    loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(loaded, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    return loaded


def public_path(private_path: Path) -> Path:
    return private_path.with_name(private_path.name + ".pub")


def verifying_key(path: Path) -> Ed25519PublicKey:
    loaded = serialization.load_pem_public_key(path.read_bytes())
    if not isinstance(loaded, Ed25519PublicKey):
        raise ValueError(f"{path} is not an Ed25519 public key")
    return loaded


def main(argv: list[str] | None = None) -> int:
    """`python -m shared.platform.identity ensure <private key file>`: make the console's key
    pair if missing (deploy scripts run it before any service starts)."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or args[0] != "ensure":
        print("usage: python -m shared.platform.identity ensure <private key file>")
        return 2
    path = Path(args[1])
    signing_key(path)
    print(f"identity keys: {path} and {public_path(path)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
