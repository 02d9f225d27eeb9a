"""A synthetic educational service area office, and a nation of them, for trying Tidtam.

`generate_office()` gives one office: its units (office, groups, schools), the reporting
rounds of FY 2570, OBEC's strategies, the office's plans, projects with their indicators
and targets, and the action-plan progress form. `generate_nation()` yields offices one by
one, so ~30,000 schools never need to be held at once. Everything is synthetic and
deterministic for a seed; every entity is a validated `shared.contracts.setup` model.

National entities (the OBEC unit, rounds, strategies and the form) have one key across the
nation, so they come only with office 0 unless `include_shared` says otherwise.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from shared.contracts.setup import (
    CrossFieldRule,
    Form,
    FormField,
    Indicator,
    Plan,
    Project,
    Round,
    RoundType,
    SetupModel,
    Strategy,
    Unit,
)
from shared.thai.calendar import Period, fiscal_year_period, quarter_period

from .thai_words import (
    FORM_FIELDS,
    FORM_RULES,
    FORM_TITLE,
    GROUPS,
    LEVELS,
    PROJECTS,
    STRATEGIES,
    Area,
    IndicatorTemplate,
    ProjectTemplate,
    office_area,
    school_names,
)

FISCAL_YEAR = 2570
OBEC_CODE = "OBEC"
FORM_ID = "action-plan-progress"
QUARTERS = tuple(f"{FISCAL_YEAR}-Q{q}" for q in (1, 2, 3, 4))
KINDS = ("units", "rounds", "strategies", "plans", "projects", "indicators", "forms")


@dataclass
class SampleOffice:
    """One office's set-up, as lists of the shared models."""

    office_code: str
    units: list[Unit] = field(default_factory=list)
    rounds: list[Round] = field(default_factory=list)
    strategies: list[Strategy] = field(default_factory=list)
    plans: list[Plan] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    forms: list[Form] = field(default_factory=list)

    @property
    def schools(self) -> list[Unit]:
        return [u for u in self.units if u.unit_type == "school"]

    def kinds(self) -> dict[str, list[SetupModel]]:
        """Entities by kind, in dependency order; each kind's list has parents first."""
        return {kind: list(getattr(self, kind)) for kind in KINDS}

    def all_entities(self) -> list[SetupModel]:
        """Every entity, each after what it refers to (parents before children)."""
        return [entity for entities in self.kinds().values() for entity in entities]

    def counts(self) -> dict[str, int]:
        return {kind: len(entities) for kind, entities in self.kinds().items()}


def generate_office(
    seed: int = 2570,
    schools: int = 120,
    office_index: int = 0,
    *,
    include_shared: bool | None = None,
) -> SampleOffice:
    """One synthetic office. `include_shared` (default: office 0 only) adds OBEC, rounds,
    strategies and the form, which the whole nation shares."""
    rng = random.Random(f"tidtam-samples:{seed}:{office_index}")
    area = office_area(office_index)
    shared = office_index == 0 if include_shared is None else include_shared
    office = SampleOffice(office_code=area.code)
    if shared:
        office.units.append(_obec())
        office.rounds = build_rounds()
        office.strategies = build_strategies()
        office.forms = [build_form()]
    office.units += _office_units(area)
    office.units += _schools(rng, area, schools)
    office.plans = _plans(area)
    pairs = _projects(rng, area, office.plans[0].plan_id)
    office.projects = [project for project, _ in pairs]
    for project, template in pairs:
        for number, indicator in enumerate(template.indicators, start=1):
            code = f"{project.code}-I{number}"
            office.indicators.append(_indicator(rng, code, project.code, indicator, schools))
    return office


def generate_nation(
    offices: int = 245, schools_per_office: int = 122, seed: int = 2570
) -> Iterator[SampleOffice]:
    """Offices one at a time, codes unique across them; national entities come with the first."""
    for office_index in range(offices):
        yield generate_office(seed=seed, schools=schools_per_office, office_index=office_index)


def build_rounds(fiscal_year: int = FISCAL_YEAR) -> list[Round]:
    """Four quarters, the 6-month and the 12-month round. A round opens in the last ten days
    of its period, is due 15 days after the period and closes 30 days after it."""
    whole = fiscal_year_period(fiscal_year)
    first_half = Period(whole.start, quarter_period(fiscal_year, 2).end)
    specs: list[tuple[str, RoundType, str, Period]] = [
        (f"Q{q}", "quarter", f"ไตรมาสที่ {q}", quarter_period(fiscal_year, q)) for q in (1, 2, 3, 4)
    ]
    specs += [
        ("H1", "half_year", "รอบ 6 เดือน", first_half),
        ("Y", "full_year", "รอบ 12 เดือน", whole),
    ]
    return [
        Round(
            round_id=f"{fiscal_year}-{suffix}",
            fiscal_year=fiscal_year,
            round_type=round_type,
            name_th=f"{label} ปีงบประมาณ พ.ศ. {fiscal_year}",
            period_start=period.start,
            period_end=period.end,
            opens_on=period.end - timedelta(days=9),
            due_on=period.end + timedelta(days=15),
            closes_on=period.end + timedelta(days=30),
        )
        for suffix, round_type, label, period in specs
    ]


def build_strategies() -> list[Strategy]:
    """MOE's policy, then OBEC's strategies under it."""
    return [
        Strategy(code=code, name_th=name, issued_by=issuer, parent_code=parent)
        for code, name, issuer, parent in STRATEGIES
    ]


def build_form() -> Form:
    """The published action-plan progress form, version 1."""
    keys = ("key", "label_th", "field_type", "scope", "required", "minimum")
    fields = tuple(
        FormField.model_validate(dict(zip(keys, row, strict=True))) for row in FORM_FIELDS
    )
    rules = tuple(
        CrossFieldRule(left=left, op="<=", right=right, message_th=message)
        for left, right, message in FORM_RULES
    )
    return Form(
        form_id=FORM_ID,
        version=1,
        status="published",
        title_th=FORM_TITLE,
        fields=fields,
        rules=rules,
        published_at=datetime(2026, 9, 25, 9, 0, tzinfo=UTC),
    )


def _obec() -> Unit:
    return Unit(
        code=OBEC_CODE,
        unit_type="obec",
        name_th="สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน",
        name_en="Office of the Basic Education Commission",
    )


def _office_units(area: Area) -> list[Unit]:
    province = area.provinces[0].name_th
    office = Unit(
        code=area.code,
        unit_type="office",
        name_th=area.name_th,
        name_en=area.name_en,
        parent_code=OBEC_CODE,
        province=province,
        # synthetic people: the names are made up, like every name in the samples
        head_name_th="นายสมมุติ ตัวอย่างดี",
        head_position_th=f"ผู้อำนวยการ{area.name_th}",
        # Synthetic addresses on the reserved .example domain: the notifier's demo recipients.
        contact_emails=(f"monitoring@{area.code.lower()}.example",),
        head_emails=(f"director@{area.code.lower()}.example",),
    )
    heads = {"PLAN": ("นางสาวจำลอง ทดสอบยิ่ง", "ผู้อำนวยการกลุ่มนโยบายและแผน")}
    groups = [
        Unit(
            code=f"{area.code}-{suffix}",
            unit_type="group",
            name_th=name_th,
            name_en=name_en,
            parent_code=area.code,
            province=province,
            head_name_th=heads.get(suffix, (None, None))[0],
            head_position_th=heads.get(suffix, (None, None))[1],
        )
        for suffix, name_th, name_en in GROUPS
    ]
    return [office, *groups]


def _schools(rng: random.Random, area: Area, count: int) -> list[Unit]:
    """Schools with unique names and codes ("10" + province + zone + 5 digits); one closes
    and one opens in quarter 2."""
    names = school_names(rng, count)
    serials = rng.sample(range(1, 100_000), count)
    weights = [3] + [2] * (len(area.provinces) - 1)
    provinces = rng.choices(area.provinces, weights=weights, k=count)
    closed, opened = rng.sample(range(count), 2) if count >= 2 else (-1, -1)
    q2 = quarter_period(FISCAL_YEAR, 2)
    q2_days = (q2.end - q2.start).days
    schools = []
    rows = zip(names, serials, provinces, strict=True)
    for at, ((name_th, name_en), serial, province) in enumerate(rows):
        day = q2.start + timedelta(days=rng.randrange(q2_days))
        schools.append(
            Unit(
                code=f"10{province.code}{area.zone}{serial:05d}",
                unit_type="school",
                name_th=name_th,
                name_en=name_en,
                parent_code=area.code,
                province=province.name_th,
                active_from=day if at == opened else None,
                active_to=day if at == closed else None,
                contact_emails=(f"saraban.{province.code}{area.zone}{serial:05d}@school.example",),
                head_emails=(f"director.{province.code}{area.zone}{serial:05d}@school.example",),
            )
        )
    return schools


def _plans(area: Area) -> list[Plan]:
    strategy_codes = tuple(code for code, _, issuer, _ in STRATEGIES if issuer == "obec")
    action = Plan(
        plan_id=f"AP{FISCAL_YEAR}-{area.code}",
        plan_type="action_plan",
        name_th=f"แผนปฏิบัติการประจำปีงบประมาณ พ.ศ. {FISCAL_YEAR}",
        office_code=area.code,
        first_fiscal_year=FISCAL_YEAR,
        last_fiscal_year=FISCAL_YEAR,
        strategy_codes=strategy_codes,
        form_id=FORM_ID,
        status="published",
    )
    development = Plan(
        plan_id=f"DP2566-{area.code}",
        plan_type="development_plan",
        name_th="แผนพัฒนาการศึกษาขั้นพื้นฐาน พ.ศ. 2566–2570",
        office_code=area.code,
        first_fiscal_year=2566,
        last_fiscal_year=2570,
        strategy_codes=strategy_codes,
        status="published",
    )
    return [action, development]


def _projects(
    rng: random.Random, area: Area, plan_id: str
) -> list[tuple[Project, ProjectTemplate]]:
    """Projects of the action plan, each followed by its activities."""
    made: list[tuple[Project, ProjectTemplate]] = []
    for number, template in enumerate(PROJECTS, start=1):
        code = f"{area.code}-P{FISCAL_YEAR}-{number:02d}"
        project = _project(rng, area, plan_id, code, template, None)
        made.append((project, template))
        for sub, activity in enumerate(template.activities, start=1):
            made.append(
                (_project(rng, area, plan_id, f"{code}-A{sub}", activity, project), activity)
            )
    return made


def _project(
    rng: random.Random,
    area: Area,
    plan_id: str,
    code: str,
    template: ProjectTemplate,
    parent: Project | None,
) -> Project:
    if parent is None:
        budget = rng.randrange(30, 1500) * 1000 * 100
        if rng.random() < 0.25:
            budget += rng.randrange(1, 100)  # some budgets carry satang
        year = fiscal_year_period(FISCAL_YEAR)
        starts_on = year.start + timedelta(days=rng.choice((0, 0, 31, 61, 95)))
        ends_on = year.end - timedelta(days=rng.choice((0, 0, 30, 61, 92)))
    else:
        budget = parent.budget_satang // 100 * rng.randrange(15, 40) // 100 * 100  # whole baht
        span = (parent.ends_on - parent.starts_on).days
        starts_on = parent.starts_on + timedelta(days=rng.randrange(span // 3))
        ends_on = parent.ends_on - timedelta(days=rng.randrange(span // 3))
    return Project(
        code=code,
        plan_id=plan_id,
        parent_code=parent.code if parent else None,
        name_th=template.name_th,
        responsible_unit=f"{area.code}-{template.group}",
        budget_satang=budget,
        starts_on=starts_on,
        ends_on=ends_on,
        strategy_codes=tuple(f"OBEC-S{n}" for n in template.strategies),
        reporting_units=tuple(f"{area.code}-{group}" for group in template.also),
        reporting_unit_types=("school",) if template.schools_report else (),
    )


def _indicator(
    rng: random.Random, code: str, project_code: str, template: IndicatorTemplate, schools: int
) -> Indicator:
    baseline, year_target, rounds = _targets(rng, template, schools)
    return Indicator(
        code=code,
        project_code=project_code,
        name_th=template.name_th,
        unit_of_measure=template.unit,
        indicator_type=template.indicator_type,
        direction="lower_is_better" if template.lower_is_better else "higher_is_better",
        accumulation=template.accumulation,
        baseline=baseline,
        year_target=year_target,
        round_targets=dict(zip(QUARTERS, rounds, strict=True)),
        levels=LEVELS if template.indicator_type == "level" else (),
        numerator_label=template.numerator,
        denominator_label=template.denominator,
    )


def _targets(
    rng: random.Random, template: IndicatorTemplate, schools: int
) -> tuple[Decimal | None, Decimal, list[Decimal]]:
    """Baseline, year target and quarter targets. Summed indicators' quarters add up to the
    year; the latest value moves toward the year target; an average holds it every quarter."""
    one, tenth, cent = Decimal(1), Decimal("0.1"), Decimal("0.01")
    if template.accumulation == "sum":
        total = _count_target(rng, template.unit, schools)
        return None, Decimal(total), _split(rng, total)
    if template.accumulation == "average":
        top = template.top or Decimal(100)
        base = (top * Decimal(rng.uniform(0.62, 0.85))).quantize(cent)
        year = min(top, base + (top * Decimal(rng.uniform(0.02, 0.06))).quantize(cent))
        return base, year, [year] * 4
    if template.indicator_type == "yes_no":
        return Decimal(0), one, _toward(Decimal(0), one, one)
    if template.indicator_type == "level":
        base = Decimal(rng.randint(1, 2))
        return base, (year := base + rng.randint(1, 2)), _toward(base, year, one)
    if template.indicator_type == "percent" and template.lower_is_better:
        base = Decimal(rng.uniform(2, 10)).quantize(tenth)
        year = (base * Decimal(rng.uniform(0.4, 0.7))).quantize(tenth)
        return base, year, _toward(base, year, tenth)
    if template.indicator_type == "percent":
        base = Decimal(rng.randint(45, 85))
        year = min(Decimal(100), base + rng.randint(3, 12))
        return base, year, _toward(base, year, one)
    year = Decimal(_count_target(rng, template.unit, schools))
    base = (year * Decimal(rng.uniform(0.3, 0.7))).quantize(one)
    return base, year, _toward(base, year, one)


def _toward(baseline: Decimal, target: Decimal, quantum: Decimal) -> list[Decimal]:
    """Quarter targets moving evenly from the baseline; the fourth is the year target."""
    steps = [baseline + (target - baseline) * k / 4 for k in (1, 2, 3)]
    return [step.quantize(quantum, ROUND_HALF_UP) for step in steps] + [target]


def _split(rng: random.Random, total: int) -> list[Decimal]:
    """`total` in four whole parts that add up to it."""
    weights = [rng.uniform(0.5, 1.5) for _ in range(4)]
    parts = [int(total * w / sum(weights)) for w in weights[:3]]
    return [Decimal(p) for p in [*parts, total - sum(parts)]]


def _count_target(rng: random.Random, unit: str, schools: int) -> int:
    schools = max(schools, 1)
    if unit == "โรงเรียน":
        return max(1, round(schools * rng.uniform(0.4, 0.9)))
    if unit == "คน":
        return max(10, rng.randint(schools * 2, schools * 12) // 10 * 10)
    if unit == "เล่ม":
        return rng.randint(schools * 20, schools * 60) // 10 * 10
    if unit == "ห้อง":
        return rng.randint(schools, schools * 4)
    return rng.randint(4, 40)
