"""Contracts of the monitoring service."""

from datetime import datetime

from pydantic import Field

from shared.contracts.base import Contract


class RoundProgressUpdated(Contract):
    """What a unit has reported in a round so far; counts only ever grow."""

    ROUTING_KEY = "progress.updated.v1"

    round_id: str
    unit_code: str
    received: int = Field(ge=0, description="Distinct accepted submissions.")
    rejected: int = Field(ge=0, description="Rejected attempts.")
    late: int = Field(ge=0, description="Accepted after the due date.")
    updated_at: datetime
