"""What the director's summary needs from evaluation: overdue inspection recommendations."""

from datetime import date
from typing import Any

from services.console.domain.accounts import Account
from services.console.handlers.accounts import person_of
from services.console.handlers.ports import ConsolePorts


async def overdue_recommendations(
    ports: ConsolePorts, account: Account, today: date
) -> list[dict[str, Any]]:
    """Recommendations past due and not closed, oldest due first (empty if evaluation
    cannot answer: the summary still prints)."""
    try:
        answer = await ports.evaluation.request(
            "GET", "/recommendations/overdue", person_of(account)
        )
    except OSError:
        return []
    if not answer.is_success:
        return []
    found: list[dict[str, Any]] = answer.json()
    for row in found:
        row["days_overdue"] = (today - date.fromisoformat(str(row["due_on"]))).days
    return sorted(found, key=lambda r: (str(r["due_on"]), str(r.get("recommendation_id"))))
