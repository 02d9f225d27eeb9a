"""Who reports what (assignments) and the officer's yearly work calendar (processes)."""

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from services.monitoring.domain.assignments import AssignmentOverride, derive_assignments
from services.monitoring.domain.setup_rules import Violation
from services.monitoring.handlers.ports import MonitoringPorts
from services.monitoring.handlers.refresh import refresh
from services.monitoring.handlers.setup import refused, write
from shared.contracts.setup import Assignment, Plan, Project, Round, Unit
from shared.thai.work_manual import (
    SEED_TEMPLATES,
    ProcessInstance,
    instantiate,
    step_status,
    update_step,
)


@dataclass(frozen=True)
class DerivationSummary:
    fiscal_year: int
    expected: int
    added: int
    changed: int
    removed: int


async def derive(fiscal_year: int, ports: MonitoringPorts) -> DerivationSummary:
    """Recompute the fiscal year's assignments; store and announce only what changed."""
    store = ports.setup
    rounds = [
        r for r in await store.search("round", {"fiscal_year": fiscal_year}) if isinstance(r, Round)
    ]
    units = [u for u in await store.search("unit") if isinstance(u, Unit)]
    plans = [p for p in await store.search("plan", {"status": "published"}) if isinstance(p, Plan)]
    projects = [
        p
        for p in await store.search("project", {"plan_id": {"$in": [p.plan_id for p in plans]}})
        if isinstance(p, Project)
    ]
    overrides = await ports.planning.overrides_in_order()
    wanted = {a.key: a for a in derive_assignments(units, rounds, plans, projects, overrides)}
    held = {
        a.key: a
        for a in await store.search(
            "assignment", {"round_id": {"$in": [r.round_id for r in rounds]}}
        )
        if isinstance(a, Assignment)
    }
    added = changed = removed = 0
    for key, assignment in wanted.items():
        if key not in held:
            added += 1
        elif held[key] != assignment:
            changed += 1
        else:
            continue
        await write(assignment, ports, f"derive-{fiscal_year}")
    for key in held.keys() - wanted.keys():
        removed += 1
        await write(held[key], ports, f"derive-{fiscal_year}", deleted=True)
    if added or changed or removed:
        forms = {a.form_id for a in (*wanted.values(), *held.values())}
        for round_ in rounds:
            for form_id in sorted(forms):
                await refresh(round_.round_id, form_id, None, ports, f"derive-{fiscal_year}")
    return DerivationSummary(fiscal_year, len(wanted), added, changed, removed)


async def add_override(override: AssignmentOverride, ports: MonitoringPorts) -> None:
    """Record an override; the next derivation applies it."""
    found = await ports.setup.find("unit", [override.unit_code])
    problems = (
        []
        if found
        else [Violation("unit_code", "unknown_reference", f"no unit {override.unit_code!r}")]
    )
    if not await ports.setup.find("form", [override.form_id]):
        problems.append(Violation("form_id", "unknown_reference", f"no form {override.form_id!r}"))
    if problems:
        raise refused(problems)
    if not await ports.planning.add_override(override):
        exists = "this override id exists"
        raise refused([Violation("override_id", "duplicate", exists)], "conflict")


StepView = dict[str, Any]


def process_view(instance: ProcessInstance, today: date) -> dict[str, Any]:
    """An instance with each step's title, window and status as of `today` (late included)."""
    template = next(t for t in SEED_TEMPLATES if t.template_id == instance.template_id)
    steps: list[StepView] = []
    for step, state in zip(template.steps, instance.steps, strict=True):
        steps.append(
            {
                **state.model_dump(mode="json"),
                "title_th": step.title_th,
                "title_en": step.title_en,
                "windows": [w.model_dump() for w in step.windows],
                "quality_standard_th": step.quality_standard_th,
                "responsible_th": step.responsible_th,
                "status": step_status(step, state, instance.fiscal_year, today),
            }
        )
    return {
        "instance_id": instance.instance_id,
        "template_id": instance.template_id,
        "title_th": template.title_th,
        "fiscal_year": instance.fiscal_year,
        "steps": steps,
    }


async def open_work_calendar(fiscal_year: int, ports: MonitoringPorts) -> list[ProcessInstance]:
    """Instantiate every process template for the year (those already there are kept)."""
    for template in SEED_TEMPLATES:
        await ports.planning.add_process(instantiate(template, fiscal_year))
    return await ports.planning.processes_of(fiscal_year)


async def record_step(
    instance_id: str,
    number: int,
    status: Literal["not_started", "in_progress", "done"],
    done_on: date | None,
    evidence_note: str | None,
    updated_by: str | None,
    ports: MonitoringPorts,
) -> ProcessInstance:
    """The officer records a step's progress."""
    instance = await ports.planning.process(instance_id)
    if instance is None:
        missing = f"no process {instance_id!r}"
        raise refused([Violation("instance_id", "not_found", missing)], "not_found")
    try:
        updated = update_step(instance, number, status, done_on, evidence_note, updated_by)
    except ValueError as error:
        raise refused([Violation("step", "invalid", str(error))]) from error
    await ports.planning.save_process(updated)
    return updated
