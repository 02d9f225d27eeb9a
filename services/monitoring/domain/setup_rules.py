"""What makes a set-up entity consistent with the rest of the set-up (pure).

A handler asks `references(entity)` what the entity points at, looks those up, and hands
them to `check(entity, found)`; every problem is reported, each naming its field.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from shared.contracts.setup import (
    Indicator,
    Plan,
    Project,
    Round,
    SetupModel,
    Strategy,
    Unit,
)

# Which unit types may sit under which: the hierarchy OBEC → office → group / school.
PARENT_TYPES: dict[str, frozenset[str]] = {
    "office": frozenset({"obec"}),
    "group": frozenset({"office"}),
    "school": frozenset({"office"}),
    "other": frozenset({"office", "group"}),
}


@dataclass(frozen=True)
class Reference:
    """`field` of an entity names `key` of kind `kind` (a form by its form id)."""

    field: str
    kind: str
    key: str


@dataclass(frozen=True)
class Violation:
    field: str
    code: str
    message: str


def references(entity: SetupModel) -> list[Reference]:
    """Everything an entity refers to, by field."""
    found: list[Reference] = []

    def add(field: str, kind: str, keys: str | tuple[str, ...] | None) -> None:
        for key in (keys,) if isinstance(keys, str) else keys or ():
            found.append(Reference(field, kind, key))

    match entity:
        case Unit():
            add("parent_code", "unit", entity.parent_code)
        case Strategy():
            add("parent_code", "strategy", entity.parent_code)
        case Plan():
            add("office_code", "unit", entity.office_code)
            add("strategy_codes", "strategy", entity.strategy_codes)
            add("form_id", "form", entity.form_id)
        case Project():
            add("plan_id", "plan", entity.plan_id)
            add("parent_code", "project", entity.parent_code)
            add("responsible_unit", "unit", entity.responsible_unit)
            add("reporting_units", "unit", entity.reporting_units)
            add("strategy_codes", "strategy", entity.strategy_codes)
            add("form_id", "form", entity.form_id)
        case Indicator():
            add("project_code", "project", entity.project_code)
            for round_id in entity.round_targets:
                add(f"round_targets.{round_id}", "round", round_id)
    return found


def check(entity: SetupModel, found: Mapping[tuple[str, str], SetupModel]) -> list[Violation]:
    """Missing references, then the rules between an entity and what it refers to."""
    violations = [
        Violation(ref.field, "unknown_reference", f"no {ref.kind} {ref.key!r}")
        for ref in references(entity)
        if (ref.kind, ref.key) not in found
    ]
    match entity:
        case Unit(parent_code=str(parent_code)):
            parent = found.get(("unit", parent_code))
            allowed = PARENT_TYPES.get(entity.unit_type, frozenset())
            if isinstance(parent, Unit) and parent.unit_type not in allowed:
                violations.append(
                    Violation(
                        "parent_code",
                        "wrong_parent_type",
                        f"a {entity.unit_type} belongs under {' or '.join(sorted(allowed))}, "
                        f"not under a {parent.unit_type}",
                    )
                )
        case Plan():
            office = found.get(("unit", entity.office_code))
            if isinstance(office, Unit) and office.unit_type != "office":
                violations.append(
                    Violation(
                        "office_code", "not_an_office", f"{entity.office_code} is not an office"
                    )
                )
        case Project(parent_code=str(parent_code)):
            parent = found.get(("project", parent_code))
            if isinstance(parent, Project) and parent.plan_id != entity.plan_id:
                violations.append(
                    Violation(
                        "parent_code", "other_plan", "an activity belongs to its project's plan"
                    )
                )
        case Indicator():
            violations.extend(_target_rounds(entity, found))
    return violations


def _target_rounds(
    indicator: Indicator, found: Mapping[tuple[str, str], SetupModel]
) -> list[Violation]:
    """Round targets name rounds of the fiscal years of the indicator's plan."""
    project = found.get(("project", indicator.project_code))
    plan = found.get(("plan", project.plan_id)) if isinstance(project, Project) else None
    if not isinstance(plan, Plan):
        return []
    return [
        Violation(
            f"round_targets.{round_id}",
            "round_outside_plan",
            f"round {round_id} is not in the plan's fiscal years "
            f"{plan.first_fiscal_year}–{plan.last_fiscal_year}",
        )
        for round_id in indicator.round_targets
        if isinstance(r := found.get(("round", round_id)), Round)
        and not plan.first_fiscal_year <= r.fiscal_year <= plan.last_fiscal_year
    ]


def indirect_references(
    entity: SetupModel, found: Mapping[tuple[str, str], SetupModel]
) -> list[Reference]:
    """What `check` also needs once the direct references are found (an indicator's plan)."""
    if isinstance(entity, Indicator):
        project = found.get(("project", entity.project_code))
        if isinstance(project, Project):
            return [Reference("project_code", "plan", project.plan_id)]
    return []
