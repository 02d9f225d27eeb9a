"""In-memory fakes of the platform's ports, for handler unit tests (no servers)."""

from datetime import UTC, datetime, timedelta
from typing import Any

from shared.contracts import Envelope
from shared.platform.outbox import OUTBOX, OUTBOX_AT, RELAY_AFTER


class FakeOutbox:
    """The platform's outbox over a dict of documents, each with an `outbox` list."""

    def __init__(self, documents: dict[Any, dict[str, Any]], name: str = "fake") -> None:
        self.documents = documents
        self.name = name

    async def unannounced(
        self, older_than: timedelta = RELAY_AFTER, limit: int = 500, now: datetime | None = None
    ) -> list[tuple[Any, Envelope[dict[str, Any]]]]:
        cutoff = (now or datetime.now(UTC)) - older_than
        return [
            (key, Envelope[dict[str, Any]].model_validate(event))
            for key, document in sorted(self.documents.items())
            if document.get(OUTBOX) and document.get(OUTBOX_AT, cutoff) <= cutoff
            for event in document[OUTBOX]
        ][:limit]

    async def backlog(self, now: datetime | None = None) -> tuple[int, float]:
        held = [d for d in self.documents.values() if d.get(OUTBOX)]
        if not held:
            return 0, 0.0
        oldest = min(d.get(OUTBOX_AT, datetime.now(UTC)) for d in held)
        return len(held), ((now or datetime.now(UTC)) - oldest).total_seconds()

    async def announced(self, document_id: Any, event_id: str) -> None:
        held = self.documents[document_id]
        held[OUTBOX] = [e for e in held.get(OUTBOX, []) if e["event_id"] != event_id]


def stored(*events: Envelope[Any]) -> dict[str, Any]:
    """The outbox fields of a fake document holding these events."""
    return {OUTBOX: [e.model_dump(mode="json") for e in events], OUTBOX_AT: datetime.now(UTC)}


class FakeCredentials:
    """API keys by their text: `{key: (role, unit_code)}`."""

    def __init__(self, keys: dict[str, tuple[str, str]] | None = None) -> None:
        self.keys = keys or {"officer-key": ("officer", "SESA-84")}

    async def issue(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    async def authenticate(self, key: str) -> Any:
        from shared.platform.credentials import Credential

        if key not in self.keys:
            return None
        role, unit_code = self.keys[key]
        return Credential(
            credential_id=f"key:{key}",
            unit_code=unit_code,
            role=role,
            label=f"{role} (fake)",
            created_at=datetime.now(UTC),
        )


OFFICER = {"Authorization": "Bearer officer-key"}
