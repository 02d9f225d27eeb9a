"""Budget disbursement (การเบิกจ่ายงบประมาณ) of a project: the share of its allocation spent,
the share the Cabinet expects spent by the end of the round's fiscal quarter, and the status of
one against the other; with the statuses and thresholds that achievement grades by as well.
The Cabinet's quarterly targets are cumulative percentages of the year's budget, a common set
by default (`CABINET_DISBURSEMENT_TARGETS`) that an office may replace with the year's own
(`ExpectedDisbursement`); rates are rounded half-up to 2 decimals.
"""

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from shared.thai.calendar import fiscal_year_period, quarter_of
from shared.thai.numbers import percent

Status = Literal["on_track", "at_risk", "off_track", "no_data"]

# The Cabinet (คณะรัฐมนตรี) sets each fiscal year's cumulative disbursement targets
# (เป้าหมายการเบิกจ่ายงบประมาณ) by the end of each quarter; these are a common set. Offices
# enter the year's own figures as an `ExpectedDisbursement`.
Quarterly = tuple[Decimal, Decimal, Decimal, Decimal]
CABINET_DISBURSEMENT_TARGETS: Quarterly = (Decimal(30), Decimal(55), Decimal(80), Decimal(100))


class _Data(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Thresholds(_Data):
    """Achievement (% of target) at or above which a project is on track, or at risk."""

    on_track: Decimal = Field(Decimal(80), ge=0)
    at_risk: Decimal = Field(Decimal(50), ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> "Thresholds":
        if self.at_risk > self.on_track:
            raise ValueError("at_risk is above on_track")
        return self


class ExpectedDisbursement(_Data):
    """Percent of the year's budget expected spent by the end of each fiscal quarter."""

    fiscal_year: int | None = Field(None, ge=2500, le=2800, description="None = any year.")
    by_quarter: Quarterly = Field(
        CABINET_DISBURSEMENT_TARGETS, description="Cumulative targets for Q1–Q4, in percent."
    )

    @model_validator(mode="after")
    def _cumulative(self) -> "ExpectedDisbursement":
        quarters = list(self.by_quarter)
        if quarters != sorted(quarters) or not 0 <= quarters[0] <= quarters[-1] <= 100:
            raise ValueError("disbursement targets are cumulative percentages: 0–100, rising")
        return self


DEFAULT_THRESHOLDS = Thresholds()
DEFAULT_DISBURSEMENT = ExpectedDisbursement()


def _grade(value: Fraction, on_track_from: Fraction, at_risk_from: Fraction) -> Status:
    if value >= on_track_from:
        return "on_track"
    return "at_risk" if value >= at_risk_from else "off_track"


def expected_by(
    period_end: date, fiscal_year: int, table: ExpectedDisbursement = DEFAULT_DISBURSEMENT
) -> Decimal:
    """The percent expected spent by the end of the fiscal quarter containing `period_end`.

    0 before the fiscal year, the Q4 target after it; a table set for another year is refused.
    """
    if table.fiscal_year is not None and table.fiscal_year != fiscal_year:
        raise ValueError(f"the disbursement targets are for {table.fiscal_year}, not {fiscal_year}")
    year = fiscal_year_period(fiscal_year)
    if period_end < year.start:
        return Decimal(0)
    if period_end > year.end:
        return table.by_quarter[-1]
    return table.by_quarter[quarter_of(period_end) - 1]


def disbursement(allocated_satang: int, spent_satang: int | None) -> Decimal | None:
    """Percent of the allocation spent, half-up to 2 decimals; None with nothing allocated."""
    if spent_satang is None or allocated_satang <= 0:
        return None
    return percent(spent_satang, allocated_satang)


def budget_status(
    rate: Decimal | None, expected: Decimal, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> Status:
    """Spending against the expected share: on_track at rate ≥ expected × on_track / 100."""
    if rate is None:
        return "no_data"
    share = Fraction(expected) / 100
    on_track, at_risk = share * Fraction(thresholds.on_track), share * Fraction(thresholds.at_risk)
    return _grade(Fraction(rate), on_track, at_risk)
