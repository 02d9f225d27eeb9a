"""The officer's set-up: create, update, publish; every change announced to other services."""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from services.monitoring.domain import setup_rules
from services.monitoring.domain.setup_rules import Violation
from shared.contracts import Envelope, derived_event_id, make_envelope
from shared.contracts.setup import Form, Plan, Round, SetupChanged, SetupModel

PRODUCER = "monitoring"


class SetupStore(Protocol):
    async def save(
        self, entity: SetupModel, *, deleted: bool = False, shared: bool = True
    ) -> SetupChanged: ...
    async def mark_published(self, change: SetupChanged) -> None: ...
    async def current(self, kind: str, key: str) -> SetupChanged | None: ...
    async def get(self, kind: str, key: str) -> SetupModel | None: ...
    async def find(self, kind: str, keys: Any) -> dict[tuple[str, str], SetupModel]: ...
    async def keys(self, kind: str) -> set[str]: ...
    async def search(
        self, kind: str, where: dict[str, Any] | None = None, skip: int = 0, limit: int = 0
    ) -> list[SetupModel]: ...
    def changed_after(self, revision: int) -> AsyncIterator[SetupChanged]: ...
    async def pending(self, older_than: timedelta) -> list[SetupChanged]: ...


class Publish(Protocol):
    async def __call__(self, envelope: Envelope[Any], /) -> None: ...


@dataclass
class SetupPorts:
    store: SetupStore
    publish: Publish
    # Called with a round id after the round changes (its due date moves the late flags).
    round_changed: Callable[[str], Awaitable[None]] | None = None


class SetupRejected(Exception):
    """The write breaks a rule; nothing was stored. `status` is the HTTP status it maps to."""

    def __init__(self, violations: list[Violation], status: int = 422) -> None:
        super().__init__("; ".join(f"{v.field}: {v.message}" for v in violations))
        self.violations = violations
        self.status = status


async def announce(change: SetupChanged, ports: SetupPorts, correlation_id: str) -> None:
    """Publish a stored change, then clear its outbox flag."""
    await ports.publish(
        make_envelope(
            change,
            producer=PRODUCER,
            correlation_id=correlation_id,
            event_id=derived_event_id(
                "setup", change.entity.entity, change.key, str(change.revision)
            ),
        )
    )
    await ports.store.mark_published(change)


async def violations_of(entity: SetupModel, ports: SetupPorts) -> list[Violation]:
    """Look up what the entity refers to and check it against the rules."""
    found: dict[tuple[str, str], SetupModel] = {}
    for refs in (setup_rules.references(entity), None):
        if refs is None:
            refs = setup_rules.indirect_references(entity, found)
        by_kind: dict[str, set[str]] = {}
        for ref in refs:
            by_kind.setdefault(ref.kind, set()).add(ref.key)
        for kind, keys in by_kind.items():
            found.update(await ports.store.find(kind, keys))
    return setup_rules.check(entity, found)


async def save_entity(
    entity: SetupModel, ports: SetupPorts, *, creating: bool, correlation_id: str = "setup"
) -> SetupChanged:
    """Create (the key must be new) or replace (it must exist) one entity, then announce it."""
    kind, key = entity.entity, entity.key
    if isinstance(entity, Form):
        raise SetupRejected([Violation("entity", "use_forms_api", "forms change through versions")])
    current = await ports.store.current(kind, key)
    exists = current is not None and not current.deleted
    if creating and exists:
        raise SetupRejected([Violation("key", "duplicate", f"{kind} {key!r} exists")], status=409)
    if not creating and not exists:
        raise SetupRejected([Violation("key", "not_found", f"no {kind} {key!r}")], status=404)
    if current is not None and exists and current.entity == entity:
        return current  # nothing changed: no new revision, nothing to announce
    if violations := await violations_of(entity, ports):
        raise SetupRejected(violations)
    change = await ports.store.save(entity)
    await announce(change, ports, correlation_id)
    if isinstance(entity, Round) and ports.round_changed is not None:
        await ports.round_changed(entity.round_id)
    return change


async def publish_plan(plan_id: str, ports: SetupPorts) -> SetupChanged:
    """A published plan's projects start to be expected in rounds."""
    plan = await ports.store.get("plan", plan_id)
    if not isinstance(plan, Plan):
        raise SetupRejected([Violation("plan_id", "not_found", f"no plan {plan_id!r}")], 404)
    change = await ports.store.save(plan.model_copy(update={"status": "published"}))
    await announce(change, ports, f"publish-plan-{plan_id}")
    return change


async def form_versions(form_id: str, ports: SetupPorts) -> list[Form]:
    forms = await ports.store.search("form", {"form_id": form_id})
    return sorted((f for f in forms if isinstance(f, Form)), key=lambda f: f.version)


async def draft_form(form: Form, ports: SetupPorts) -> Form:
    """Start the next version of a form as a draft (kept to monitoring until published)."""
    versions = await form_versions(form.form_id, ports)
    if versions and versions[-1].status == "draft":
        raise SetupRejected(
            [
                Violation(
                    "form_id", "draft_exists", f"version {versions[-1].version} is a draft still"
                )
            ],
            409,
        )
    draft = form.model_copy(
        update={
            "version": versions[-1].version + 1 if versions else 1,
            "status": "draft",
            "published_at": None,
        }
    )
    await ports.store.save(Form.model_validate(draft.model_dump()), shared=False)
    return draft


async def edit_form_draft(form: Form, ports: SetupPorts) -> Form:
    """Change a draft; a published version is immutable."""
    existing = await ports.store.get("form", form.key)
    if not isinstance(existing, Form):
        raise SetupRejected([Violation("version", "not_found", f"no form {form.key!r}")], 404)
    if existing.status == "published":
        raise SetupRejected(
            [
                Violation(
                    "version", "immutable", "a published version never changes: draft a new one"
                )
            ],
            409,
        )
    draft = form.model_copy(update={"status": "draft", "published_at": None})
    await ports.store.save(draft, shared=False)
    return draft


async def publish_form(form_id: str, version: int, ports: SetupPorts) -> SetupChanged:
    """Freeze a draft and announce it; submissions name the version they answer."""
    existing = await ports.store.get("form", f"{form_id}@{version}")
    if not isinstance(existing, Form):
        raise SetupRejected(
            [Violation("version", "not_found", f"no form {form_id}@{version}")], 404
        )
    if existing.status == "published":
        raise SetupRejected([Violation("version", "already_published", "already published")], 409)
    published = existing.model_copy(
        update={"status": "published", "published_at": datetime.now(UTC)}
    )
    change = await ports.store.save(published)
    await announce(change, ports, f"publish-form-{form_id}-{version}")
    return change


async def resend(after_revision: int, ports: SetupPorts, correlation_id: str) -> int:
    """Publish every shared entity changed after `after_revision`; returns how many."""
    sent = 0
    async for change in ports.store.changed_after(after_revision):
        await announce(change, ports, correlation_id)
        sent += 1
    return sent


async def relay_pending(ports: SetupPorts, older_than: timedelta = timedelta(seconds=5)) -> int:
    """Publish what a crash between storing and publishing left in the outbox."""
    changes = await ports.store.pending(older_than)
    for change in changes:
        await announce(change, ports, "outbox-relay")
    return len(changes)


async def run_relay(ports: SetupPorts, every: float = 5.0) -> None:
    """Forever: relay the outbox every `every` seconds (a task of the service)."""
    while True:
        await relay_pending(ports)
        await asyncio.sleep(every)
