"""Use cases for frameworks as versioned data: draft, edit a draft, publish (then frozen)."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from services.evaluation.domain.frameworks import (
    SEED_SCALES,
    Framework,
    Problem,
    Scale,
    validate_framework,
)


class FrameworkStore(Protocol):
    async def get(self, framework_id: str, version: int) -> Framework | None: ...
    async def versions(self, framework_id: str) -> list[Framework]: ...
    async def put(self, framework: Framework) -> bool: ...
    async def add(self, framework: Framework) -> bool: ...
    async def all(self) -> list[Framework]: ...


@dataclass(frozen=True)
class Violation:
    """One reason a write was refused, at the dotted field of the body at fault."""

    field: str
    code: str
    message: str


class FrameworkRejected(Exception):
    """The write breaks a rule; nothing was stored. `status` is the HTTP status it maps to."""

    def __init__(self, violations: list[Violation], status: int = 422) -> None:
        super().__init__("; ".join(f"{v.field}: {v.message}" for v in violations))
        self.violations = violations
        self.status = status


# Framework-wide problems belong to a field of the body rather than to a node.
_FRAMEWORK_FIELD = {"unknown_scale": "scale_id", "no_nodes": "nodes"}


def violation_of(problem: Problem) -> Violation:
    """A domain problem as a field of the body: a node's path is under `nodes`."""
    if problem.path:
        return Violation(f"nodes.{problem.path}", problem.code, problem.message)
    return Violation(_FRAMEWORK_FIELD.get(problem.code, ""), problem.code, problem.message)


def _refused(field: str, code: str, message: str, status: int) -> FrameworkRejected:
    return FrameworkRejected([Violation(field, code, message)], status)


async def draft_framework(framework: Framework, store: FrameworkStore) -> Framework:
    """Start the next version of a framework as a draft; one draft at a time."""
    versions = await store.versions(framework.framework_id)
    if versions and versions[-1].status == "draft":
        message = f"version {versions[-1].version} is a draft still"
        raise _refused("framework_id", "draft_exists", message, 409)
    number = versions[-1].version + 1 if versions else 1
    draft = framework.model_copy(update={"version": number, "status": "draft"})
    if not await store.add(draft):
        raise _refused("version", "draft_exists", f"version {number} was just drafted", 409)
    return draft


async def edit_draft(framework: Framework, store: FrameworkStore) -> Framework:
    """Replace a draft; a published version never changes (draft a new version instead)."""
    existing = await store.get(framework.framework_id, framework.version)
    if existing is None:
        key = f"{framework.framework_id}@{framework.version}"
        raise _refused("version", "not_found", f"no framework {key}", 404)
    draft = framework.model_copy(update={"status": "draft"})
    if existing.status == "published" or not await store.put(draft):
        message = "a published version never changes: draft a new version"
        raise _refused("version", "immutable", message, 409)
    return draft


async def publish(
    framework_id: str,
    version: int,
    store: FrameworkStore,
    scales: Mapping[str, Scale] = SEED_SCALES,
) -> Framework:
    """Freeze a valid draft; scores name the version they were given against."""
    existing = await store.get(framework_id, version)
    if existing is None:
        raise _refused("version", "not_found", f"no framework {framework_id}@{version}", 404)
    if existing.status == "published":
        raise _refused("version", "already_published", "already published", 409)
    if problems := validate_framework(existing, scales):
        raise FrameworkRejected([violation_of(problem) for problem in problems])
    published = existing.model_copy(update={"status": "published"})
    if not await store.put(published):
        raise _refused("version", "already_published", "already published", 409)
    return published
