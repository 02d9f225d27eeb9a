"""The synthetic sample office and nation: sizes, unique codes, references, targets."""

import csv
import json
from pathlib import Path

import pytest

from samples.__main__ import main
from samples.office import FORM_ID, QUARTERS, SampleOffice, generate_nation, generate_office
from shared.contracts.setup import ENTITY_TYPES
from shared.thai.calendar import quarter_period


@pytest.fixture(scope="module")
def office() -> SampleOffice:
    return generate_office()


def test_an_office_has_the_expected_size(office: SampleOffice) -> None:
    counts = office.counts()
    assert len(office.schools) == 120
    assert len([u for u in office.units if u.unit_type == "group"]) >= 6
    assert [u.code for u in office.units if u.unit_type in ("obec", "office")] == [
        "OBEC",
        office.office_code,
    ]
    assert 25 <= counts["projects"] <= 35
    assert 70 <= counts["indicators"] <= 90
    assert counts["rounds"] == 6 and counts["strategies"] >= 5 and counts["forms"] == 1
    assert {plan.plan_type for plan in office.plans} == {"action_plan", "development_plan"}


def test_school_codes_are_unique_and_ten_digits(office: SampleOffice) -> None:
    codes = [school.code for school in office.schools]
    assert len(set(codes)) == len(codes)
    assert all(code.isdigit() and len(code) == 10 for code in codes)
    assert len({school.name_th for school in office.schools}) == len(codes)


def test_every_reference_resolves(office: SampleOffice) -> None:
    units = {u.code for u in office.units}
    plans = {p.plan_id for p in office.plans}
    projects = {p.code for p in office.projects}
    strategies = {s.code for s in office.strategies}
    assert all(u.parent_code in units for u in office.units if u.unit_type != "obec")
    assert all(s.parent_code in strategies for s in office.strategies if s.parent_code)
    for plan in office.plans:
        assert plan.office_code in units and set(plan.strategy_codes) <= strategies
        assert plan.form_id in (None, *(f.form_id for f in office.forms))
    for project in office.projects:
        assert project.plan_id in plans and project.responsible_unit in units
        assert set(project.reporting_units) <= units and set(project.strategy_codes) <= strategies
        assert project.parent_code is None or project.parent_code in projects
    assert all(i.project_code in projects for i in office.indicators)
    assert any(p.parent_code for p in office.projects)


def test_entities_come_parents_first(office: SampleOffice) -> None:
    seen: set[str] = set()
    for entity in office.all_entities():
        key = entity.key  # type: ignore[attr-defined]  # every set-up kind has a key
        parent = getattr(entity, "parent_code", None) or getattr(entity, "project_code", None)
        assert parent is None or parent in seen, key
        seen.add(key)
    assert {type(e) for e in office.all_entities()} <= set(ENTITY_TYPES)


def test_about_a_third_of_projects_are_reported_by_every_school(office: SampleOffice) -> None:
    by_schools = [p for p in office.projects if p.reporting_unit_types == ("school",)]
    assert len(office.projects) // 4 <= len(by_schools) <= len(office.projects) // 2


def test_budgets_are_whole_baht_or_carry_satang_within_their_parent(office: SampleOffice) -> None:
    projects = {p.code: p for p in office.projects}
    assert all(p.budget_satang > 0 for p in office.projects)
    assert any(p.budget_satang % 100 for p in office.projects)
    for project in office.projects:
        if project.parent_code:
            parent = projects[project.parent_code]
            assert parent.starts_on <= project.starts_on <= project.ends_on <= parent.ends_on
            children = [p for p in office.projects if p.parent_code == parent.code]
            assert sum(p.budget_satang for p in children) <= parent.budget_satang


def test_generation_is_deterministic_for_a_seed() -> None:
    assert generate_office(seed=7, schools=30) == generate_office(seed=7, schools=30)
    assert generate_office(seed=7, schools=30) != generate_office(seed=8, schools=30)


def test_one_school_closes_and_one_opens_in_quarter_two(office: SampleOffice) -> None:
    q2 = quarter_period(2570, 2)
    closed = [s for s in office.schools if s.active_to is not None]
    opened = [s for s in office.schools if s.active_from is not None]
    assert len(closed) == 1 and closed[0].active_to in q2
    assert len(opened) == 1 and opened[0].active_from in q2
    assert not closed[0].active_on(q2.end) and not opened[0].active_on(q2.start)


def test_the_nation_has_unique_codes_and_one_obec() -> None:
    offices = list(generate_nation(offices=3, schools_per_office=40))
    assert len({o.office_code for o in offices}) == 3
    keys = {
        "units": [u.code for o in offices for u in o.units],
        "plans": [p.plan_id for o in offices for p in o.plans],
        "projects": [p.code for o in offices for p in o.projects],
        "indicators": [i.code for o in offices for i in o.indicators],
    }
    for kind, codes in keys.items():
        assert len(codes) == len(set(codes)), kind
    assert [len([u for u in o.units if u.unit_type == "obec"]) for o in offices] == [1, 0, 0]
    assert [len(o.rounds) for o in offices] == [6, 0, 0]
    assert offices[0] == generate_office(schools=40)


def test_summed_round_targets_add_up_to_the_year_target(office: SampleOffice) -> None:
    summed = [i for i in office.indicators if i.accumulation == "sum"]
    assert summed
    for indicator in summed:
        assert list(indicator.round_targets) == list(QUARTERS)
        assert sum(indicator.round_targets.values()) == indicator.year_target, indicator.code


def test_latest_round_targets_move_toward_the_year_target(office: SampleOffice) -> None:
    kinds = {(i.indicator_type, i.accumulation) for i in office.indicators}
    assert {("percent", "latest"), ("level", "latest"), ("yes_no", "latest")} <= kinds
    for indicator in (i for i in office.indicators if i.accumulation == "latest"):
        targets = [indicator.round_targets[q] for q in QUARTERS]
        assert targets[-1] == indicator.year_target
        if indicator.direction == "lower_is_better":
            targets.reverse()
        assert targets == sorted(targets), indicator.code


def test_the_form_is_published_with_its_rules(office: SampleOffice) -> None:
    form = office.forms[0]
    assert (form.form_id, form.version, form.status) == (FORM_ID, 1, "published")
    assert {(r.left, r.right) for r in form.rules} == {
        ("budget_spent", "project.budget_satang"),
        ("numerator", "denominator"),
    }


def test_the_command_writes_jsonl_and_csv(tmp_path: Path) -> None:
    main(["office", "--out", str(tmp_path), "--schools", "12"])
    units = (tmp_path / "units.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(units[0])["code"] == "OBEC"
    with (tmp_path / "projects.csv").open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    assert rows and "budget_baht" in rows[0] and "budget_satang" not in rows[0]
    with (tmp_path / "indicators.csv").open(encoding="utf-8-sig", newline="") as file:
        indicator = next(csv.DictReader(file))
    assert indicator["target_2570-Q4"] and "round_targets" not in indicator
    assert (tmp_path / "forms.jsonl").exists()


def test_the_demo_framework_is_valid() -> None:
    from samples.demo import framework
    from services.evaluation.domain.frameworks import SEED_SCALES, Framework, validate_framework

    demo = Framework.model_validate({**framework(), "version": 1})
    assert validate_framework(demo, SEED_SCALES) == []
