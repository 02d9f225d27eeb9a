"""Pure rules of round progress: what is counted, keyed by what."""

from dataclasses import dataclass


def progress_id(round_id: str, unit_code: str) -> str:
    """One read-model row per (round, unit)."""
    return f"{round_id}:{unit_code}"


@dataclass(frozen=True)
class Tally:
    """What one event adds to a (round, unit) row; `item` makes counting it idempotent."""

    round_id: str
    unit_code: str
    item: str
    received: int = 0
    rejected: int = 0
    late: int = 0

    @property
    def increments(self) -> dict[str, int]:
        return {
            name: value
            for name, value in (
                ("received", self.received),
                ("rejected", self.rejected),
                ("late", self.late),
            )
            if value
        }
