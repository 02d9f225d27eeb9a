"""Contracts of the evaluation service."""

from datetime import datetime

from pydantic import Field

from shared.contracts.base import Contract


class ScoreRecorded(Contract):
    """A unit's score for a round was recorded (placeholder until frameworks land)."""

    ROUTING_KEY = "score.recorded.v1"

    round_id: str
    unit_code: str
    score: int = Field(ge=0, le=100)
    level: str = Field(examples=["ดี"])
    recorded_at: datetime
