"""Passwords hashed with argon2id (argon2-cffi's defaults: RFC 9106's low-memory profile)."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


class Argon2Passwords:
    def __init__(self) -> None:
        self.hasher = PasswordHasher()
        # Checked when the username is unknown, so the time taken tells nothing.
        self.decoy = self.hasher.hash("not-a-password-of-anyone")

    def hash(self, password: str) -> str:
        return self.hasher.hash(password)

    def verify(self, password_hash: str | None, password: str) -> bool:
        try:
            return self.hasher.verify(password_hash or self.decoy, password) and bool(password_hash)
        except (VerificationError, InvalidHashError):
            return False
