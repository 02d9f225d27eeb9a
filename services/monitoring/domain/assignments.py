"""Who is expected to report which form in which round (แผนกำกับติดตาม), derived from the set-up.

The default is project × reporting unit × round. For each round, every project of a
published plan whose fiscal years include the round's year and whose period overlaps the
round's period is reported on by its responsible unit, its named reporting units and every
unit of its reporting unit types under the plan's office. Assignments are grouped by
(round, form, unit), then the officer's overrides are applied in the order given.

Mid-year rule: a unit is expected in a round only if it is active on the round's
`period_end`. A school that closed mid-year is not expected in any round ending after it
closed (including the round it closed in); one that opened mid-year is expected from the
first round whose period ends on or after the day it opened. The rule holds for "add"
overrides too: they never make a closed or not-yet-open unit report.

Units referenced but unknown are skipped here; set-up validation reports them.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.contracts.setup import CODE, Assignment, Plan, Project, Round, Unit, UnitType

AssignmentKey = tuple[str, str, str]  # (round_id, form_id, unit_code)
# (office_code, unit_type) -> units under that office of that type, at any depth
OfficeIndex = dict[tuple[str, str], list[Unit]]


class AssignmentOverride(BaseModel):
    """An officer's correction of the derived assignments for the rounds it overlaps."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    override_id: str = Field(min_length=1, max_length=64)
    action: Literal["add", "remove"]
    unit_code: str = Field(pattern=CODE)
    form_id: str = Field(pattern=CODE)
    project_codes: tuple[Annotated[str, Field(pattern=CODE)], ...] = Field(
        (), description="Projects added or removed; () on remove drops the whole assignment."
    )
    effective_from: date
    effective_to: date | None = Field(None, description="None = open-ended.")
    reason_th: str = Field(min_length=1, max_length=500, examples=["โรงเรียนถูกยุบรวม"])

    @model_validator(mode="after")
    def _dates(self) -> "AssignmentOverride":
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValueError("effective_to is before effective_from")
        return self

    def applies_to(self, rnd: Round) -> bool:
        """The round's reporting period overlaps [effective_from, effective_to]."""
        ends_after_start = rnd.period_end >= self.effective_from
        return ends_after_start and (
            self.effective_to is None or rnd.period_start <= self.effective_to
        )


def derive_assignments(
    units: Iterable[Unit],
    rounds: Iterable[Round],
    plans: Iterable[Plan],
    projects: Iterable[Project],
    overrides: Sequence[AssignmentOverride] = (),
) -> list[Assignment]:
    """The expected (round, form, unit) assignments, overrides applied, sorted by key."""
    units_by_code = {unit.code: unit for unit in units}
    round_list = list(rounds)
    office_index = _office_index(units_by_code)
    published = [plan for plan in plans if plan.status == "published"]
    projects_by_plan: dict[str, list[Project]] = defaultdict(list)
    for project in projects:
        projects_by_plan[project.plan_id].append(project)

    found: dict[AssignmentKey, set[str]] = {}
    for rnd in round_list:
        _derive_round(rnd, published, projects_by_plan, units_by_code, office_index, found)
    origins: dict[AssignmentKey, Literal["derived", "override"]] = dict.fromkeys(found, "derived")
    for override in overrides:
        _apply_override(override, round_list, units_by_code, found, origins)

    made = [
        Assignment(
            round_id=key[0],
            form_id=key[1],
            unit_code=key[2],
            project_codes=tuple(sorted(codes)),
            origin=origins[key],
        )
        for key, codes in found.items()
    ]
    return sorted(made, key=lambda assignment: assignment.key)


def expected_count(assignments: Iterable[Assignment], round_id: str) -> int:
    """How many (form, unit) assignments a round expects."""
    return sum(1 for assignment in assignments if assignment.round_id == round_id)


def _ancestors(unit: Unit, units_by_code: dict[str, Unit]) -> list[str]:
    """Codes up the parent chain; stops at an unknown parent or a cycle in bad data."""
    chain: list[str] = []
    parent = unit.parent_code
    while parent is not None and parent not in chain and parent != unit.code:
        chain.append(parent)
        above = units_by_code.get(parent)
        parent = above.parent_code if above else None
    return chain


def _office_index(units_by_code: dict[str, Unit]) -> OfficeIndex:
    """Built once so each project looks its units up instead of walking the tree."""
    index: OfficeIndex = defaultdict(list)
    for unit in units_by_code.values():
        for ancestor in _ancestors(unit, units_by_code):
            index[(ancestor, unit.unit_type)].append(unit)
    return index


def _overlaps(project: Project, rnd: Round) -> bool:
    return project.starts_on <= rnd.period_end and rnd.period_start <= project.ends_on


def _derive_round(
    rnd: Round,
    plans: list[Plan],
    projects_by_plan: dict[str, list[Project]],
    units_by_code: dict[str, Unit],
    office_index: OfficeIndex,
    found: dict[AssignmentKey, set[str]],
) -> None:
    """Add one round's derived assignments to `found`."""
    day = rnd.period_end
    # Projects reporting by unit type share their unit list, so units are visited once per
    # (form, office, types) group rather than once per project.
    by_type: dict[tuple[str, str, frozenset[UnitType]], list[str]] = defaultdict(list)
    for plan in plans:
        if not plan.first_fiscal_year <= rnd.fiscal_year <= plan.last_fiscal_year:
            continue
        for project in projects_by_plan.get(plan.plan_id, ()):
            form_id = project.form_id or plan.form_id
            if form_id is None or not _overlaps(project, rnd):
                continue
            for code in (project.responsible_unit, *project.reporting_units):
                unit = units_by_code.get(code)
                if unit is not None and unit.active_on(day):
                    found.setdefault((rnd.round_id, form_id, code), set()).add(project.code)
            if project.reporting_unit_types:
                group = (form_id, plan.office_code, frozenset(project.reporting_unit_types))
                by_type[group].append(project.code)

    for (form_id, office_code, unit_types), codes in by_type.items():
        for unit_type in unit_types:
            for unit in office_index.get((office_code, unit_type), ()):
                if unit.active_on(day):
                    found.setdefault((rnd.round_id, form_id, unit.code), set()).update(codes)


def _apply_override(
    override: AssignmentOverride,
    rounds: list[Round],
    units_by_code: dict[str, Unit],
    found: dict[AssignmentKey, set[str]],
    origins: dict[AssignmentKey, Literal["derived", "override"]],
) -> None:
    """Apply one override, in place, to every round it overlaps."""
    unit = units_by_code.get(override.unit_code)
    for rnd in rounds:
        if not override.applies_to(rnd):
            continue
        key = (rnd.round_id, override.form_id, override.unit_code)
        if override.action == "add":
            if unit is None or not unit.active_on(rnd.period_end):
                continue
            if key not in found:
                found[key] = set()
                origins[key] = "override"
            found[key].update(override.project_codes)
        elif key in found:
            _remove(key, override.project_codes, found, origins)


def _remove(
    key: AssignmentKey,
    project_codes: tuple[str, ...],
    found: dict[AssignmentKey, set[str]],
    origins: dict[AssignmentKey, Literal["derived", "override"]],
) -> None:
    codes = found[key]
    had_projects = bool(codes)
    codes.difference_update(project_codes)
    # A form-only assignment is untouched by removing projects it never had.
    if not project_codes or (had_projects and not codes):
        del found[key]
        del origins[key]
