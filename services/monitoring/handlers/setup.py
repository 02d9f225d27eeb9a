"""The officer's set-up: create, update, publish; every change announced to other services.

A shared change is stored with its `setup.changed.v1` in the entity's outbox, then
announced; whatever a crash or a broker outage leaves there, the outbox relay publishes.
"""

from collections.abc import Sequence
from datetime import UTC, datetime

from services.monitoring.domain import setup_rules
from services.monitoring.domain.setup_rules import Violation
from services.monitoring.handlers.ports import MonitoringPorts
from services.monitoring.handlers.refresh import refresh_round
from shared.contracts import Envelope, derived_event_id, make_envelope
from shared.contracts.refusals import Kind, Problem, Refusal
from shared.contracts.setup import Form, Plan, Round, SetupChanged, SetupModel
from shared.platform.outbox import announce

PRODUCER = "monitoring"


def refused(violations: Sequence[Violation], kind: Kind = "invalid") -> Refusal:
    """The set-up's rule violations as the platform's one refusal."""
    return Refusal(
        [Problem(field=v.field, code=v.code, message=v.message) for v in violations], kind
    )


def setup_event(change: SetupChanged, correlation_id: str) -> Envelope[SetupChanged]:
    """The event announcing a change; its id follows from the revision, so a resend or a
    relay of the same revision is the same event."""
    return make_envelope(
        change,
        producer=PRODUCER,
        correlation_id=correlation_id,
        event_id=derived_event_id("setup", change.entity.entity, change.key, str(change.revision)),
    )


async def write(
    entity: SetupModel,
    ports: MonitoringPorts,
    correlation_id: str,
    *,
    deleted: bool = False,
    shared: bool = True,
) -> SetupChanged:
    """Store the entity's new revision with its event, then announce it.

    `shared=False` keeps it to monitoring (a form draft): never announced or resent."""
    store = ports.setup
    change = SetupChanged(
        revision=await store.next_revision(), key=entity.key, deleted=deleted, entity=entity
    )
    event = setup_event(change, correlation_id) if shared else None
    await store.save(change, event)
    if event is not None:
        await announce(
            ports.publish, store.outbox, store.document_id(entity.entity, entity.key), event
        )
    return change


async def violations_of(entity: SetupModel, ports: MonitoringPorts) -> list[Violation]:
    """Look up what the entity refers to and check it against the rules."""
    found: dict[tuple[str, str], SetupModel] = {}
    for refs in (setup_rules.references(entity), None):
        if refs is None:
            refs = setup_rules.indirect_references(entity, found)
        by_kind: dict[str, set[str]] = {}
        for ref in refs:
            by_kind.setdefault(ref.kind, set()).add(ref.key)
        for kind, keys in by_kind.items():
            found.update(await ports.setup.find(kind, keys))
    return setup_rules.check(entity, found)


async def save_entity(
    entity: SetupModel, ports: MonitoringPorts, *, creating: bool, correlation_id: str = "setup"
) -> SetupChanged:
    """Create (the key must be new) or replace (it must exist) one entity, then announce it.

    A round's dates move its late flags: its rates are recomputed after it changes."""
    kind, key = entity.entity, entity.key
    if isinstance(entity, Form):
        raise refused([Violation("entity", "use_forms_api", "forms change through versions")])
    current = await ports.setup.current(kind, key)
    exists = current is not None and not current.deleted
    if creating and exists:
        raise refused([Violation("key", "duplicate", f"{kind} {key!r} exists")], "conflict")
    if not creating and not exists:
        raise refused([Violation("key", "not_found", f"no {kind} {key!r}")], "not_found")
    if current is not None and exists and current.entity == entity:
        return current  # nothing changed: no new revision, nothing to announce
    if violations := await violations_of(entity, ports):
        raise refused(violations)
    change = await write(entity, ports, correlation_id)
    if isinstance(entity, Round):
        await refresh_round(entity.round_id, ports)
    return change


async def publish_plan(plan_id: str, ports: MonitoringPorts) -> SetupChanged:
    """A published plan's projects start to be expected in rounds."""
    plan = await ports.setup.get("plan", plan_id)
    if not isinstance(plan, Plan):
        raise refused([Violation("plan_id", "not_found", f"no plan {plan_id!r}")], "not_found")
    published = plan.model_copy(update={"status": "published"})
    return await write(published, ports, f"publish-plan-{plan_id}")


async def form_versions(form_id: str, ports: MonitoringPorts) -> list[Form]:
    forms = await ports.setup.search("form", {"form_id": form_id})
    return sorted((f for f in forms if isinstance(f, Form)), key=lambda f: f.version)


async def draft_form(form: Form, ports: MonitoringPorts) -> Form:
    """Start the next version of a form as a draft (kept to monitoring until published)."""
    versions = await form_versions(form.form_id, ports)
    if versions and versions[-1].status == "draft":
        still = f"version {versions[-1].version} is a draft still"
        raise refused([Violation("form_id", "draft_exists", still)], "conflict")
    draft = form.model_copy(
        update={
            "version": versions[-1].version + 1 if versions else 1,
            "status": "draft",
            "published_at": None,
        }
    )
    await write(Form.model_validate(draft.model_dump()), ports, "draft-form", shared=False)
    return draft


async def edit_form_draft(form: Form, ports: MonitoringPorts) -> Form:
    """Change a draft; a published version is immutable."""
    existing = await ports.setup.get("form", form.key)
    if not isinstance(existing, Form):
        raise refused([Violation("version", "not_found", f"no form {form.key!r}")], "not_found")
    if existing.status == "published":
        never = "a published version never changes: draft a new one"
        raise refused([Violation("version", "immutable", never)], "conflict")
    draft = form.model_copy(update={"status": "draft", "published_at": None})
    await write(draft, ports, "edit-form", shared=False)
    return draft


async def publish_form(form_id: str, version: int, ports: MonitoringPorts) -> SetupChanged:
    """Freeze a draft and announce it; submissions name the version they answer."""
    existing = await ports.setup.get("form", f"{form_id}@{version}")
    if not isinstance(existing, Form):
        missing = f"no form {form_id}@{version}"
        raise refused([Violation("version", "not_found", missing)], "not_found")
    if existing.status == "published":
        again = "already published"
        raise refused([Violation("version", "already_published", again)], "conflict")
    published = existing.model_copy(
        update={"status": "published", "published_at": datetime.now(UTC)}
    )
    return await write(published, ports, f"publish-form-{form_id}-{version}")


async def resend(after_revision: int, ports: MonitoringPorts, correlation_id: str) -> int:
    """Announce again every shared entity changed after `after_revision`; how many."""
    store, sent = ports.setup, 0
    async for change in store.changed_after(after_revision):
        document_id = store.document_id(change.entity.entity, change.key)
        await announce(
            ports.publish, store.outbox, document_id, setup_event(change, correlation_id)
        )
        sent += 1
    return sent
