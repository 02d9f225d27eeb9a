"""A fiscal year's standard reporting rounds: four quarters, the 6-month and 12-month rounds."""

from datetime import date, timedelta

from shared.contracts.setup import Round
from shared.thai.calendar import fiscal_year_period, quarter_period

DUE_AFTER_DAYS = 15  # reports are due 15 days after the period ends…
CLOSE_AFTER_DAYS = 30  # …and accepted (flagged late) until 30 days after
OPEN_BEFORE_DAYS = 10  # the form opens in the period's last days


def _round(
    fy: int,
    suffix: str,
    kind: str,
    name_th: str,
    start: date,
    end: date,
    due_days: int,
    close_days: int,
) -> Round:
    return Round.model_validate(
        {
            "round_id": f"{fy}-{suffix}",
            "fiscal_year": fy,
            "round_type": kind,
            "name_th": name_th,
            "period_start": start,
            "period_end": end,
            "opens_on": end - timedelta(days=OPEN_BEFORE_DAYS - 1),
            "due_on": end + timedelta(days=due_days),
            "closes_on": end + timedelta(days=close_days),
        }
    )


def standard_rounds(
    fy: int, due_after_days: int = DUE_AFTER_DAYS, close_after_days: int = CLOSE_AFTER_DAYS
) -> list[Round]:
    """Q1–Q4, H1 (รอบ 6 เดือน) and Y (รอบ 12 เดือน) of fiscal year `fy` (BE)."""
    rounds = [
        _round(
            fy,
            f"Q{q}",
            "quarter",
            f"ไตรมาสที่ {q} ปีงบประมาณ {fy}",
            (p := quarter_period(fy, q)).start,
            p.end,
            due_after_days,
            close_after_days,
        )
        for q in (1, 2, 3, 4)
    ]
    year = fiscal_year_period(fy)
    rounds.append(
        _round(
            fy,
            "H1",
            "half_year",
            f"รอบ 6 เดือน ปีงบประมาณ {fy}",
            year.start,
            quarter_period(fy, 2).end,
            due_after_days,
            close_after_days,
        )
    )
    rounds.append(
        _round(
            fy,
            "Y",
            "full_year",
            f"รอบ 12 เดือน ปีงบประมาณ {fy}",
            year.start,
            year.end,
            due_after_days,
            close_after_days,
        )
    )
    return rounds
