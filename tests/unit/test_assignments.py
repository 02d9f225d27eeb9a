"""Deriving who reports which form in which round, with mid-year changes and overrides."""

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from services.monitoring.domain.assignments import (
    AssignmentOverride,
    derive_assignments,
    expected_count,
)
from shared.contracts.setup import Assignment, Plan, Project, Round, Unit
from shared.thai.calendar import quarter_period

FORM = "action-plan-progress"
OFFICE = "sec-srt"
GROUP = "srt-plan"
OPEN_SCHOOL = "8401000001"
CLOSED_SCHOOL = "8401000002"  # closed 15 Feb 2027, in Q2
NEW_SCHOOL = "8401000003"  # opened 1 Feb 2027, in Q2
OTHER_SCHOOL = "8601000001"  # under another office


def unit(code: str, unit_type: str, parent: str | None, **extra: Any) -> Unit:
    return Unit.model_validate(
        {"code": code, "unit_type": unit_type, "name_th": f"หน่วยงาน {code}", "parent_code": parent}
        | extra
    )


UNITS = (
    unit("obec", "obec", None),
    unit(OFFICE, "office", "obec"),
    unit("sec-other", "office", "obec"),
    unit(GROUP, "group", OFFICE),
    unit(OPEN_SCHOOL, "school", OFFICE),
    unit(CLOSED_SCHOOL, "school", OFFICE, active_to=date(2027, 2, 15)),
    unit(NEW_SCHOOL, "school", OFFICE, active_from=date(2027, 2, 1)),
    unit(OTHER_SCHOOL, "school", "sec-other"),
)


def quarter(q: int, fy: int = 2570) -> Round:
    period = quarter_period(fy, q)
    return Round(
        round_id=f"{fy}-Q{q}",
        fiscal_year=fy,
        round_type="quarter",
        name_th=f"ไตรมาสที่ {q}",
        period_start=period.start,
        period_end=period.end,
        opens_on=period.end - timedelta(days=9),
        due_on=period.end + timedelta(days=15),
        closes_on=period.end + timedelta(days=30),
    )


ROUNDS = tuple(quarter(q) for q in (1, 2, 3, 4))


def plan(status: str = "published", **extra: Any) -> Plan:
    fields = {
        "plan_id": "AP2570",
        "plan_type": "action_plan",
        "name_th": "แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2570",
        "office_code": OFFICE,
        "first_fiscal_year": 2570,
        "last_fiscal_year": 2570,
        "form_id": FORM,
        "status": status,
    }
    return Plan.model_validate(fields | extra)


def project(code: str, **extra: Any) -> Project:
    fields = {
        "code": code,
        "plan_id": "AP2570",
        "name_th": f"โครงการพัฒนาคุณภาพผู้เรียน {code}",
        "responsible_unit": GROUP,
        "budget_satang": 50_000_00,
        "starts_on": date(2026, 10, 1),
        "ends_on": date(2027, 9, 30),
    }
    return Project.model_validate(fields | extra)


def override(action: str, unit_code: str, start: date, **extra: Any) -> AssignmentOverride:
    fields = {
        "override_id": f"o-{action}-{unit_code}",
        "action": action,
        "unit_code": unit_code,
        "form_id": FORM,
        "effective_from": start,
        "reason_th": "ปรับตามคำสั่งสำนักงานเขตพื้นที่การศึกษา",
    }
    return AssignmentOverride.model_validate(fields | extra)


def rounds_of(assignments: list[Assignment], unit_code: str) -> list[str]:
    return [a.round_id for a in assignments if a.unit_code == unit_code]


def by_key(assignments: list[Assignment]) -> dict[str, Assignment]:
    return {a.key: a for a in assignments}


SCHOOLS_PROJECT = project("P01", reporting_unit_types=("school",))


def test_a_school_is_expected_only_while_open_at_the_round_end() -> None:
    found = derive_assignments(UNITS, ROUNDS, [plan()], [SCHOOLS_PROJECT])
    assert rounds_of(found, OPEN_SCHOOL) == ["2570-Q1", "2570-Q2", "2570-Q3", "2570-Q4"]
    # Closed on 15 Feb: open on 31 Dec (Q1 end), not on 31 Mar (Q2 end).
    assert rounds_of(found, CLOSED_SCHOOL) == ["2570-Q1"]
    # Opened on 1 Feb: open on 31 Mar, so expected from Q2.
    assert rounds_of(found, NEW_SCHOOL) == ["2570-Q2", "2570-Q3", "2570-Q4"]


def test_unit_types_pick_only_the_plan_office_units() -> None:
    found = derive_assignments(UNITS, ROUNDS[:1], [plan()], [SCHOOLS_PROJECT])
    assert [a.unit_code for a in found] == [OPEN_SCHOOL, CLOSED_SCHOOL, GROUP]
    assert all(a.project_codes == ("P01",) and a.origin == "derived" for a in found)


def test_units_below_the_office_at_any_depth_belong_to_it() -> None:
    units = (*UNITS, unit("srt-plan-team", "other", GROUP))
    found = derive_assignments(
        units, ROUNDS[:1], [plan()], [project("P01", reporting_unit_types=("other",))]
    )
    assert [a.unit_code for a in found] == [GROUP, "srt-plan-team"]


def test_a_draft_plan_gives_nothing() -> None:
    assert derive_assignments(UNITS, ROUNDS, [plan("draft")], [SCHOOLS_PROJECT]) == []


def test_a_plan_of_another_year_gives_nothing() -> None:
    other_year = plan(first_fiscal_year=2571, last_fiscal_year=2571)
    assert derive_assignments(UNITS, ROUNDS, [other_year], [SCHOOLS_PROJECT]) == []


def test_a_project_reports_only_in_rounds_its_period_overlaps() -> None:
    spring = project("P02", starts_on=date(2027, 3, 31), ends_on=date(2027, 4, 1))
    found = derive_assignments(UNITS, ROUNDS, [plan()], [spring])
    assert [a.round_id for a in found] == ["2570-Q2", "2570-Q3"]


def test_the_project_form_wins_and_a_project_without_form_is_skipped() -> None:
    own_form = project("P02", form_id="special-form")
    found = derive_assignments(UNITS, ROUNDS[:1], [plan(form_id=None)], [project("P01"), own_form])
    assert [(a.form_id, a.project_codes) for a in found] == [("special-form", ("P02",))]


def test_duplicates_merge_into_one_assignment_per_round_form_and_unit() -> None:
    projects = [
        project("P03", reporting_units=(OPEN_SCHOOL, OPEN_SCHOOL)),
        project("P01", reporting_unit_types=("school",), reporting_units=(OPEN_SCHOOL,)),
        project("P02", responsible_unit=OPEN_SCHOOL),
    ]
    found = by_key(derive_assignments(UNITS, ROUNDS[:1], [plan()], projects))
    assert found[f"2570-Q1:{FORM}:{OPEN_SCHOOL}"].project_codes == ("P01", "P02", "P03")
    assert found[f"2570-Q1:{FORM}:{GROUP}"].project_codes == ("P01", "P03")


def test_unknown_units_are_skipped() -> None:
    ghost = project("P01", responsible_unit="no-such-unit", reporting_units=("9999999999",))
    assert derive_assignments(UNITS, ROUNDS, [plan()], [ghost]) == []


def test_a_cycle_in_parent_codes_does_not_hang() -> None:
    looped = (*UNITS, unit("loop-a", "other", "loop-b"), unit("loop-b", "other", "loop-a"))
    found = derive_assignments(looped, ROUNDS[:1], [plan()], [SCHOOLS_PROJECT])
    assert len(found) == 3


def test_an_add_override_applies_from_its_effective_date() -> None:
    add = override("add", OTHER_SCHOOL, date(2027, 5, 1), project_codes=("P09",))
    found = derive_assignments(UNITS, ROUNDS, [plan()], [SCHOOLS_PROJECT], [add])
    added = [a for a in found if a.unit_code == OTHER_SCHOOL]
    assert [(a.round_id, a.project_codes, a.origin) for a in added] == [
        ("2570-Q3", ("P09",), "override"),
        ("2570-Q4", ("P09",), "override"),
    ]


def test_an_add_override_extends_a_derived_assignment_and_respects_closure() -> None:
    overrides = [
        override("add", OPEN_SCHOOL, date(2026, 10, 1), project_codes=("P00",)),
        override("add", CLOSED_SCHOOL, date(2026, 10, 1), effective_to=date(2027, 9, 30)),
    ]
    found = derive_assignments(UNITS, ROUNDS, [plan()], [SCHOOLS_PROJECT], overrides)
    extended = by_key(found)[f"2570-Q4:{FORM}:{OPEN_SCHOOL}"]
    assert (extended.project_codes, extended.origin) == (("P00", "P01"), "derived")
    assert rounds_of(found, CLOSED_SCHOOL) == ["2570-Q1"]


def test_a_remove_override_drops_projects_or_the_whole_assignment() -> None:
    projects = [SCHOOLS_PROJECT, project("P02", reporting_units=(OPEN_SCHOOL,))]
    overrides = [
        override("remove", OPEN_SCHOOL, date(2027, 1, 1), project_codes=("P02",)),
        override("remove", NEW_SCHOOL, date(2027, 4, 1), effective_to=date(2027, 6, 30)),
        override("remove", GROUP, date(2026, 10, 1), project_codes=("P01", "P02")),
    ]
    found = derive_assignments(UNITS, ROUNDS, [plan()], projects, overrides)
    codes = {a.key: a.project_codes for a in found if a.unit_code == OPEN_SCHOOL}
    assert codes == {
        f"2570-Q1:{FORM}:{OPEN_SCHOOL}": ("P01", "P02"),
        f"2570-Q2:{FORM}:{OPEN_SCHOOL}": ("P01",),
        f"2570-Q3:{FORM}:{OPEN_SCHOOL}": ("P01",),
        f"2570-Q4:{FORM}:{OPEN_SCHOOL}": ("P01",),
    }
    assert rounds_of(found, NEW_SCHOOL) == ["2570-Q2", "2570-Q4"]
    assert rounds_of(found, GROUP) == []


def test_overrides_apply_in_order() -> None:
    start = date(2026, 10, 1)
    remove_then_add = [override("remove", OPEN_SCHOOL, start), override("add", OPEN_SCHOOL, start)]
    found = derive_assignments(UNITS, ROUNDS[:1], [plan()], [SCHOOLS_PROJECT], remove_then_add)
    again = by_key(found)[f"2570-Q1:{FORM}:{OPEN_SCHOOL}"]
    assert (again.project_codes, again.origin) == ((), "override")
    add_then_remove = list(reversed(remove_then_add))
    found = derive_assignments(UNITS, ROUNDS[:1], [plan()], [SCHOOLS_PROJECT], add_then_remove)
    assert rounds_of(found, OPEN_SCHOOL) == []


def test_an_override_needs_a_reason_and_ordered_dates() -> None:
    with pytest.raises(ValidationError):
        override("add", OPEN_SCHOOL, date(2027, 1, 1), reason_th="")
    with pytest.raises(ValidationError, match="effective_to is before effective_from"):
        override("add", OPEN_SCHOOL, date(2027, 1, 1), effective_to=date(2026, 12, 31))


def test_expected_count_and_order() -> None:
    found = derive_assignments(UNITS, ROUNDS, [plan()], [SCHOOLS_PROJECT])
    assert [expected_count(found, r.round_id) for r in ROUNDS] == [3, 3, 3, 3]
    assert expected_count(found, "2570-H1") == 0
    assert [a.key for a in found] == sorted(a.key for a in found)


optional_day = st.none() | st.dates(min_value=date(2026, 6, 1), max_value=date(2027, 12, 31))


@given(st.lists(st.tuples(optional_day, optional_day), min_size=1, max_size=8))
def test_every_school_is_expected_exactly_when_open_at_the_round_end(
    spans: list[tuple[date | None, date | None]],
) -> None:
    schools = [
        unit(f"84010100{i:02d}", "school", OFFICE, active_from=start, active_to=end)
        for i, (start, end) in enumerate(spans)
        if not (start and end and end < start)
    ]
    found = derive_assignments((*UNITS[:4], *schools), ROUNDS, [plan()], [SCHOOLS_PROJECT])
    expected = {
        f"{r.round_id}:{FORM}:{s.code}"
        for r in ROUNDS
        for s in schools
        if s.active_on(r.period_end)
    }
    assert {a.key for a in found if a.unit_code != GROUP} == expected
