"""Whether a round takes submissions: before it opens and after it closes it does not;
after the due date it does, flagged late. Dates are Thai dates (Asia/Bangkok)."""

from datetime import date, datetime
from typing import Literal

from shared.contracts.setup import Round
from shared.thai.calendar import BANGKOK

Timing = Literal["not_open", "on_time", "late", "closed"]


def thai_date(moment: datetime) -> date:
    """The calendar date in Thailand at `moment` (an aware datetime)."""
    return moment.astimezone(BANGKOK).date()


def timing(round_: Round, moment: datetime) -> Timing:
    """Where `moment` falls in the round's open – due – close window (inclusive days)."""
    day = thai_date(moment)
    if day < round_.opens_on:
        return "not_open"
    if day > round_.closes_on:
        return "closed"
    return "late" if day > round_.due_on else "on_time"
