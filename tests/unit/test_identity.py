"""The console's signed tokens: one identity every service verifies, none can mint."""

from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from shared.platform.identity import (
    TOKEN_TTL_S,
    IdentitySigner,
    IdentityVerifier,
    Person,
    looks_like_token,
    signing_key,
    verifying_key,
)

SOMCHAI = Person("somchai.s", "สมชาย ใจดี", "officer", "SESA-84")


def test_a_service_reads_the_person_a_token_names(tmp_path: Path) -> None:
    signer = IdentitySigner(signing_key(tmp_path / "console.key"))
    verifier = IdentityVerifier(verifying_key(tmp_path / "console.key.pub"), "monitoring")
    token = signer.token(SOMCHAI, "monitoring", now=1_000_000)
    assert looks_like_token(token) and not looks_like_token("tdt_abc")
    assert verifier.person(token, now=1_000_000 + TOKEN_TTL_S - 1) == SOMCHAI
    assert (tmp_path / "console.key").stat().st_mode & 0o077 == 0, "the key is the owner's only"


def test_expired_foreign_forged_or_misaddressed_tokens_are_refused(tmp_path: Path) -> None:
    signer = IdentitySigner(signing_key(tmp_path / "console.key"))
    verifier = IdentityVerifier(verifying_key(tmp_path / "console.key.pub"), "monitoring")
    token = signer.token(SOMCHAI, "monitoring", now=1_000_000)
    assert verifier.person(token, now=1_000_000 + TOKEN_TTL_S + 1) is None, "expired"
    assert verifier.person(signer.token(SOMCHAI, "intake", now=1_000_000), now=1_000_000) is None
    stranger = IdentitySigner(Ed25519PrivateKey.generate()).token(SOMCHAI, "monitoring", 1_000_000)
    assert verifier.person(stranger, now=1_000_000) is None, "not the console's key"
    header, claims, signature = token.split(".")
    assert verifier.person(f"{header}.{claims}x.{signature}", now=1_000_000) is None
    assert verifier.person("not.a.token", now=1_000_000) is None
