"""The live round page: each unit's received, late and rejected counts as they arrive,
re-rendered as HTML on every progress update (the formal round report, with rates against
who is expected, is `reports.round_report`)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from shared.thai.calendar import format_long


@dataclass(frozen=True)
class UnitLine:
    unit_code: str
    received: int
    rejected: int
    late: int


@dataclass(frozen=True)
class RoundPage:
    """What the round's HTML page shows."""

    round_id: str
    lines: tuple[UnitLine, ...]
    made_at: datetime

    @property
    def units_reported(self) -> int:
        return sum(1 for line in self.lines if line.received > 0)

    @property
    def made_on(self) -> str:
        """The Thai long date, as reports print it."""
        return format_long(self.made_at.date())


def round_page(round_id: str, rows: list[dict[str, Any]], made_at: datetime) -> RoundPage:
    """Lines sorted by unit code from the rows reporting keeps of each unit's counts."""
    lines = tuple(
        UnitLine(
            unit_code=row["unit_code"],
            received=row.get("received", 0),
            rejected=row.get("rejected", 0),
            late=row.get("late", 0),
        )
        for row in sorted(rows, key=lambda r: r["unit_code"])
    )
    return RoundPage(round_id, lines, made_at)
