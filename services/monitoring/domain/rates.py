"""Reporting rates (อัตราการรายงาน) of a round: who was expected, who reported, who is late.

One `UnitReport` stands for one (round, form, unit): whether the unit was expected (an
assignment exists), whether it reported, and where its report stands in review. `rollup`
counts any set of them — a round, a form, a group, an office — by these rules:

- The rate counts only expected units. `received`, `on_time`, `late`, `approved`,
  `returned` and `pending_review` are counts of *expected* units; a report from a unit
  nobody expected is counted in `unexpected` (shown, so the officer can fix the plan or
  the unit) and nowhere else. So the rate can never exceed 100%, and
  `received + missing == expected`, `on_time + late == received`,
  `approved + returned + pending_review == received`.
- `rate` = expected units that reported / expected units × 100; `on_time_rate` = expected
  units that reported by the due date / expected units × 100. Both are Decimal
  percentages rounded half-up (as people round, not banker's rounding) to 2 decimals,
  and None when nobody was expected — 0 of 0 is no rate, not 0% or 100%.
- `pending_review` is a report submitted, or reopened, and waiting for a reviewer.

`ancestors` gives the units a unit's report rolls up to: its group (if its parent is a
group) and its office, never OBEC.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.contracts.setup import Unit
from shared.thai.numbers import percent

ReportStatus = Literal["missing", "submitted", "approved", "returned", "reopened"]


@dataclass(frozen=True)
class UnitReport:
    """Where one unit stands on one form in one round."""

    round_id: str
    form_id: str
    unit_code: str
    expected: bool  # an assignment exists
    received: bool
    on_time: bool
    late: bool
    status: ReportStatus
    first_received_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.received:
            if self.on_time == self.late:
                raise ValueError("a received report is either on time or late")
            if self.status == "missing":
                raise ValueError("a received report is not missing")
        elif self.on_time or self.late or self.status != "missing":
            raise ValueError("a report not received is missing, neither on time nor late")

    @property
    def counted(self) -> bool:
        """Received from a unit that was expected: what the rate counts."""
        return self.expected and self.received


class Rates(BaseModel):
    """Reporting counts and rates of a set of (round, form, unit) reports."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    expected: int = Field(0, ge=0, description="Units expected to report.")
    received: int = Field(0, ge=0, description="Expected units that reported.")
    on_time: int = Field(0, ge=0, description="Expected units that reported by the due date.")
    late: int = Field(0, ge=0, description="Expected units that reported after the due date.")
    missing: int = Field(0, ge=0, description="Expected units that have not reported.")
    approved: int = Field(0, ge=0, description="Expected units whose report is approved.")
    returned: int = Field(0, ge=0, description="Expected units whose report was returned.")
    pending_review: int = Field(
        0, ge=0, description="Expected units whose report is submitted or reopened."
    )
    unexpected: int = Field(
        0, ge=0, description="Reports from units not expected; never counted in the rate."
    )
    rate: Decimal | None = Field(
        None,
        ge=0,
        le=100,
        description="received / expected × 100, 2 dp; None if 0 expected.",
        examples=["66.67"],
    )
    on_time_rate: Decimal | None = Field(
        None, ge=0, le=100, description="on_time / expected × 100, 2 dp; None if 0 expected."
    )


def rollup(reports: Iterable[UnitReport]) -> Rates:
    """Count reports and compute the reporting rates (see the module's rules)."""
    counts: dict[str, int] = defaultdict(int)
    for report in reports:
        if not report.expected:
            counts["unexpected"] += report.received
            continue
        counts["expected"] += 1
        if not report.received:
            counts["missing"] += 1
            continue
        counts["received"] += 1
        counts["on_time" if report.on_time else "late"] += 1
        if report.status in ("approved", "returned"):
            counts[report.status] += 1
        else:
            counts["pending_review"] += 1
    return Rates(
        **counts,
        rate=percent(counts["received"], counts["expected"]),
        on_time_rate=percent(counts["on_time"], counts["expected"]),
    )


def ancestors(unit_code: str, units_by_code: Mapping[str, Unit]) -> list[str]:
    """The parent chain of a unit, parent first, up to and including its office.

    Never includes OBEC, nor the unit itself; stops at an unknown parent or a cycle.
    """
    chain: list[str] = []
    seen = {unit_code}
    unit = units_by_code.get(unit_code)
    while unit is not None and unit.unit_type != "office":
        parent_code = unit.parent_code
        if parent_code is None or parent_code in seen:
            break
        unit = units_by_code.get(parent_code)
        if unit is None or unit.unit_type == "obec":
            break
        chain.append(parent_code)
        seen.add(parent_code)
    return chain


def rollup_by_unit(
    reports: Iterable[UnitReport], units_by_code: Mapping[str, Unit]
) -> dict[str, Rates]:
    """Rates of each unit, each of its groups and its office, from the units' own reports."""
    by_unit: dict[str, list[UnitReport]] = defaultdict(list)
    for report in reports:
        for code in (report.unit_code, *ancestors(report.unit_code, units_by_code)):
            by_unit[code].append(report)
    return {code: rollup(items) for code, items in sorted(by_unit.items())}


def late_list(reports: Iterable[UnitReport]) -> list[str]:
    """Expected units that reported after the due date, sorted, each once."""
    return sorted({r.unit_code for r in reports if r.counted and r.late})


def missing_list(reports: Iterable[UnitReport]) -> list[str]:
    """Expected units that have not reported, sorted, each once."""
    return sorted({r.unit_code for r in reports if r.expected and not r.received})
