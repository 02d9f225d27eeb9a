"""Use cases for frameworks as versioned data: draft, edit a draft, publish (then frozen)."""

from collections.abc import Mapping

from services.evaluation.domain import frameworks as domain
from services.evaluation.domain.frameworks import SEED_SCALES, Framework, Scale, validate_framework
from services.evaluation.handlers.ports import FrameworkStore
from shared.contracts.refusals import Problem, Refusal

# Framework-wide problems belong to a field of the body rather than to a node.
_FRAMEWORK_FIELD = {"unknown_scale": "scale_id", "no_nodes": "nodes"}


def problem_of(problem: domain.Problem) -> Problem:
    """A framework's problem as a field of the body: a node's path is under `nodes`."""
    if problem.path:
        return Problem(field=f"nodes.{problem.path}", code=problem.code, message=problem.message)
    field = _FRAMEWORK_FIELD.get(problem.code, "")
    return Problem(field=field, code=problem.code, message=problem.message)


async def draft_framework(framework: Framework, store: FrameworkStore) -> Framework:
    """Start the next version of a framework as a draft; one draft at a time."""
    versions = await store.versions(framework.framework_id)
    if versions and versions[-1].status == "draft":
        message = f"version {versions[-1].version} is a draft still"
        raise Refusal.of("framework_id", "draft_exists", message, "conflict")
    number = versions[-1].version + 1 if versions else 1
    draft = framework.model_copy(update={"version": number, "status": "draft"})
    if not await store.add(draft):
        raise Refusal.of(
            "version", "draft_exists", f"version {number} was just drafted", "conflict"
        )
    return draft


async def edit_draft(framework: Framework, store: FrameworkStore) -> Framework:
    """Replace a draft; a published version never changes (draft a new version instead)."""
    existing = await store.get(framework.framework_id, framework.version)
    if existing is None:
        key = f"{framework.framework_id}@{framework.version}"
        raise Refusal.of("version", "not_found", f"no framework {key}", "not_found")
    draft = framework.model_copy(update={"status": "draft"})
    if existing.status == "published" or not await store.put(draft):
        message = "a published version never changes: draft a new version"
        raise Refusal.of("version", "immutable", message, "conflict")
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
        message = f"no framework {framework_id}@{version}"
        raise Refusal.of("version", "not_found", message, "not_found")
    if existing.status == "published":
        raise Refusal.of("version", "already_published", "already published", "conflict")
    if problems := validate_framework(existing, scales):
        raise Refusal([problem_of(problem) for problem in problems])
    published = existing.model_copy(update={"status": "published"})
    if not await store.put(published):
        raise Refusal.of("version", "already_published", "already published", "conflict")
    return published
