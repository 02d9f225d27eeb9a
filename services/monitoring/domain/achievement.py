"""Progress of a project against its targets (ค่าเป้าหมาย) and budget, from units' reports.

- **Round actual** (`aggregate_round`), across the units that reported: number → sum;
  percent → sum(numerator) / sum(denominator) × 100 when every reporting unit gave both,
  else the mean of the actuals; yes/no → percentage of units answering yes; level → the
  lower median of the positions reported (0-based on the indicator's scale).
- **Cumulative actual** (`cumulative`) over the fiscal year's rounds up to now, by the
  indicator's accumulation (sum, latest, average). The rounds up to now never overlap
  (`rounds_up_to`), so a 6-month round is never added to its own quarters.
- **Target** (`target_for`): the current round's target if set (summed over the rounds up
  to now for a "sum" indicator), else the year target. Yes/no targets (0 or 1) become 0
  or 100, like the yes/no actual, a percentage of units.
- **Achievement**: percent of target reached, capped at 999.99; lower-is-better is the
  mirror image (target / actual). Levels compare as 1-based ranks, so the lowest level is
  not a zero target. Negative values have no achievement.
- **Budget**: spent is the sum of `budget_spent` in the current round's reports, because
  units report spending *to date* (a unit that skipped the round adds nothing). The
  disbursement rate is set against the share the Cabinet expects spent by the end of the
  round's fiscal quarter (`budget`).

Means and ratios are rounded half-up to 2 decimals where they are made, so an officer
checking a report by hand from its printed figures gets the same answer. Thresholds,
disbursement targets and the form's field keys are data, not code.
"""

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, Literal

from pydantic import Field

from services.monitoring.domain.budget import (
    DEFAULT_DISBURSEMENT,
    DEFAULT_THRESHOLDS,
    ExpectedDisbursement,
    Status,
    Thresholds,
    _Data,
    _grade,
    budget_status,
    disbursement,
    expected_by,
)
from shared.contracts.setup import ACTIVITY_STATUSES, Indicator, Project, Round
from shared.thai.numbers import half_up, percent

_WORST_FIRST: tuple[Status, ...] = ("off_track", "at_risk", "on_track")
ACHIEVEMENT_CAP = Decimal("999.99")
_FULL = Decimal("100.00")


class ValueKeys(_Data):
    """Where a form keeps what progress reads; the conventional field keys by default."""

    projects: str = "projects"
    indicators: str = "indicators"
    activity_status: str = "activity_status"
    budget_spent: str = "budget_spent"
    actual: str = "actual"
    numerator: str = "numerator"
    denominator: str = "denominator"
    problems: str = "problems"
    suggestions: str = "suggestions"


DEFAULT_KEYS = ValueKeys()


def _number(raw: Any) -> Decimal | None:
    """A reported number, or None when absent or not a finite number."""
    if not isinstance(raw, Decimal | int | float | str):
        return None
    try:
        number = Decimal(int(raw) if isinstance(raw, bool) else str(raw).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _level_position(indicator: Indicator, raw: Any) -> int | None:
    if isinstance(raw, str) and raw in indicator.levels:
        return indicator.levels.index(raw)
    number = None if isinstance(raw, bool) else _number(raw)
    if number is None or number != number.to_integral_value():
        return None
    return int(number) if 0 <= number < len(indicator.levels) else None


def _yes(raw: Any) -> bool | None:
    number = _number(raw)
    return None if number not in (0, 1) else number == 1


def _pooled_percent(reports: Sequence[Mapping[str, Any]], keys: ValueKeys) -> Decimal | None:
    numerators: list[Decimal] = []
    denominators: list[Decimal] = []
    actuals: list[Fraction] = []
    reporting = 0
    for report in reports:
        numerator = _number(report.get(keys.numerator))
        denominator = _number(report.get(keys.denominator))
        actual = _number(report.get(keys.actual))
        if actual is not None:
            actuals.append(Fraction(actual))
        if numerator is not None and denominator is not None:
            numerators.append(numerator)
            denominators.append(denominator)
            if actual is None and denominator != 0:
                actuals.append(Fraction(numerator) * 100 / Fraction(denominator))
        elif actual is None:
            continue
        reporting += 1
    if numerators and len(numerators) == reporting:
        pooled = percent(sum(numerators), sum(denominators))
        if pooled is not None:
            return pooled
    return half_up(sum(actuals, Fraction(0)) / len(actuals)) if actuals else None


def aggregate_round(
    indicator: Indicator,
    reports: Sequence[Mapping[str, Any]],
    *,
    keys: ValueKeys = DEFAULT_KEYS,
) -> Decimal | None:
    """The indicator's actual in one round across the units' values; None if nobody reported."""
    reports = [r for r in reports if isinstance(r, Mapping)]
    raws = [r.get(keys.actual) for r in reports]
    if indicator.indicator_type == "percent":
        return _pooled_percent(reports, keys)
    if indicator.indicator_type == "yes_no":
        answers = [a for a in map(_yes, raws) if a is not None]
        return percent(sum(answers), len(answers)) if answers else None
    if indicator.indicator_type == "level":
        positions = sorted(
            p for p in (_level_position(indicator, raw) for raw in raws) if p is not None
        )
        return Decimal(positions[(len(positions) - 1) // 2]) if positions else None
    numbers = [n for n in map(_number, raws) if n is not None]
    return sum(numbers, Decimal(0)) if numbers else None


def cumulative(
    indicator: Indicator, per_round: Sequence[tuple[str, Decimal | None]]
) -> Decimal | None:
    """The year's actual so far from round actuals in order, by the indicator's accumulation."""
    values = [value for _, value in per_round if value is not None]
    if not values:
        return None
    if indicator.accumulation == "sum":
        return sum(values, Decimal(0))
    if indicator.accumulation == "latest":
        return values[-1]
    return half_up(sum(map(Fraction, values), Fraction(0)) / len(values))


def target_for(indicator: Indicator, round_ids_up_to_now: Sequence[str]) -> Decimal | None:
    """The target to compare with the cumulative actual (the last round id is the current)."""
    targets = indicator.round_targets
    current = round_ids_up_to_now[-1] if round_ids_up_to_now else None
    target: Decimal | None
    if current is not None and current in targets:
        if indicator.accumulation == "sum":
            target = sum((targets[r] for r in round_ids_up_to_now if r in targets), Decimal(0))
        else:
            target = targets[current]
    else:
        target = indicator.year_target
    if target is not None and indicator.indicator_type == "yes_no":
        return target * 100
    return target


def achievement(
    indicator: Indicator, actual: Decimal | None, target: Decimal | None
) -> Decimal | None:
    """Percent of the target reached, half-up to 2 decimals, at most 999.99."""
    if actual is None or target is None:
        return None
    if indicator.indicator_type == "level":
        actual, target = actual + 1, target + 1
    if actual < 0 or target < 0:
        return None
    if indicator.direction == "higher_is_better":
        reached = percent(actual, target)
    elif actual == 0:
        reached = _FULL if target == 0 else ACHIEVEMENT_CAP
    else:
        reached = percent(target, actual)
    return None if reached is None else min(reached, ACHIEVEMENT_CAP)


def status_of(achievement: Decimal | None, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> Status:
    """on_track at or above `on_track`, at_risk at or above `at_risk`, else off_track."""
    if achievement is None:
        return "no_data"
    on_track, at_risk = Fraction(thresholds.on_track), Fraction(thresholds.at_risk)
    return _grade(Fraction(achievement), on_track, at_risk)


def worst(statuses: Iterable[Status]) -> Status:
    """The worst status, ignoring no_data; no_data if that is all there is."""
    present = set(statuses)
    return next((s for s in _WORST_FIRST if s in present), "no_data")


class ActivityCounts(_Data):
    """How many units report the activity not started, in progress, done or cancelled."""

    not_started: int = Field(0, ge=0)
    in_progress: int = Field(0, ge=0)
    done: int = Field(0, ge=0)
    cancelled: int = Field(0, ge=0)

    @classmethod
    def of(cls, statuses: Iterable[object]) -> "ActivityCounts":
        """Count known statuses; anything else (absent, unknown) is not counted."""
        counts = Counter(s for s in statuses if isinstance(s, str) and s in ACTIVITY_STATUSES)
        return cls(**counts)


class IndicatorProgress(_Data):
    """One indicator of a project in a round: actuals, target, achievement, status."""

    code: str
    name_th: str
    unit_of_measure: str
    direction: Literal["higher_is_better", "lower_is_better"]
    round_actual: Decimal | None = Field(description="This round, across the units.")
    cumulative_actual: Decimal | None = Field(description="The fiscal year so far.")
    target: Decimal | None = Field(description="What the cumulative actual is compared with.")
    achievement: Decimal | None = Field(description="Percent of the target reached, 2 dp.")
    status: Status


class ProjectProgress(_Data):
    """A project's progress in a round (ความก้าวหน้าโครงการ): activities, budget, indicators."""

    project_code: str
    round_id: str
    units_reporting: int = Field(ge=0, description="Units whose report covers the project.")
    activities: ActivityCounts
    units_with_problems: int = Field(0, ge=0, description="Reports naming problems (ปัญหาอุปสรรค).")
    units_with_suggestions: int = Field(0, ge=0, description="Reports with suggestions.")
    allocated_satang: int = Field(ge=0)
    spent_satang: int | None = Field(description="Spent to date; None if nobody reported it.")
    disbursement_rate: Decimal | None = Field(description="Percent of the allocation spent.")
    expected_disbursement: Decimal = Field(description="Percent expected spent by now.")
    budget_status: Status
    indicators: list[IndicatorProgress]
    status: Status = Field(description="The worst of the indicators' and the budget's.")


def rounds_up_to(current: Round, rounds_of_year: Iterable[Round]) -> list[Round]:
    """The year's rounds up to `current`, in order, never overlapping one another.

    Going back from `current`, each step takes the round ending latest before the earliest
    period taken so far, preferring `current`'s round type, then the shorter round: so
    Q3 → [Q1, Q2, Q3], H1 → [H1], Y → [Y].
    """

    def preference(r: Round) -> tuple[date, bool, date]:
        return r.period_end, r.round_type == current.round_type, r.period_start

    others = [r for r in rounds_of_year if r.fiscal_year == current.fiscal_year]
    chain = [current]
    while before := [r for r in others if r.period_end < chain[-1].period_start]:
        chain.append(max(before, key=preference))
    return chain[::-1]


def _entry(values: Mapping[str, Any], container: str, code: str) -> Mapping[str, Any] | None:
    items = values.get(container)
    entry = items.get(code) if isinstance(items, Mapping) else None
    return entry if isinstance(entry, Mapping) else None


def _entries(
    values: Iterable[Mapping[str, Any]], container: str, code: str
) -> list[Mapping[str, Any]]:
    """The entries for `code` in each unit's values that have one."""
    return [
        e
        for v in values
        if isinstance(v, Mapping) and (e := _entry(v, container, code)) is not None
    ]


def _has_text(values: Mapping[str, Any], entry: Mapping[str, Any] | None, key: str) -> bool:
    """The project's own field if the form has one there, else the submission's."""
    value = entry.get(key) if entry is not None and key in entry else values.get(key)
    return isinstance(value, str) and bool(value.strip())


def _spent(entries: Sequence[Mapping[str, Any]], key: str) -> int | None:
    amounts = [n for n in (_number(e.get(key)) for e in entries) if n is not None]
    return int(sum(amounts, Decimal(0))) if amounts else None


def _indicator_progress(
    indicator: Indicator,
    chain: Sequence[str],
    values_by_round: Mapping[str, Sequence[Mapping[str, Any]]],
    thresholds: Thresholds,
    keys: ValueKeys,
) -> IndicatorProgress:
    def actual_in(round_id: str) -> Decimal | None:
        reports = _entries(values_by_round.get(round_id, ()), keys.indicators, indicator.code)
        return aggregate_round(indicator, reports, keys=keys)

    per_round = [(round_id, actual_in(round_id)) for round_id in chain]
    cumulative_actual = cumulative(indicator, per_round)
    target = target_for(indicator, chain)
    reached = achievement(indicator, cumulative_actual, target)
    return IndicatorProgress(
        code=indicator.code,
        name_th=indicator.name_th,
        unit_of_measure=indicator.unit_of_measure,
        direction=indicator.direction,
        round_actual=per_round[-1][1],
        cumulative_actual=cumulative_actual,
        target=target,
        achievement=reached,
        status=status_of(reached, thresholds),
    )


def project_progress(
    project: Project,
    indicators: Iterable[Indicator],
    round_: Round,
    rounds_of_year: Iterable[Round],
    values_by_round: Mapping[str, Sequence[Mapping[str, Any]]],
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    disbursement_table: ExpectedDisbursement = DEFAULT_DISBURSEMENT,
    *,
    keys: ValueKeys = DEFAULT_KEYS,
) -> ProjectProgress:
    """A project's progress in `round_` from each unit's latest values, round by round."""
    chain = [r.round_id for r in rounds_up_to(round_, rounds_of_year)]
    own = [i for i in indicators if i.project_code == project.code]
    current = [v for v in values_by_round.get(round_.round_id, ()) if isinstance(v, Mapping)]
    entries = _entries(current, keys.projects, project.code)

    def project_entry(values: Mapping[str, Any]) -> Mapping[str, Any] | None:
        return _entry(values, keys.projects, project.code)

    reporting = [
        v
        for v in current
        if project_entry(v) is not None or any(_entry(v, keys.indicators, i.code) for i in own)
    ]
    rows = [_indicator_progress(i, chain, values_by_round, thresholds, keys) for i in own]
    spent = _spent(entries, keys.budget_spent)
    rate = disbursement(project.budget_satang, spent)
    expected = expected_by(round_.period_end, round_.fiscal_year, disbursement_table)
    budget = budget_status(rate, expected, thresholds)
    return ProjectProgress(
        project_code=project.code,
        round_id=round_.round_id,
        units_reporting=len(reporting),
        activities=ActivityCounts.of(e.get(keys.activity_status) for e in entries),
        units_with_problems=sum(_has_text(v, project_entry(v), keys.problems) for v in reporting),
        units_with_suggestions=sum(
            _has_text(v, project_entry(v), keys.suggestions) for v in reporting
        ),
        allocated_satang=project.budget_satang,
        spent_satang=spent,
        disbursement_rate=rate,
        expected_disbursement=expected,
        budget_status=budget,
        indicators=rows,
        status=worst([budget, *(row.status for row in rows)]),
    )
