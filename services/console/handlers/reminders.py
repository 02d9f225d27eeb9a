"""Remind now: through monitoring, so each reminder's claim and log stay in one place."""

from services.console.domain.accounts import Account
from services.console.handlers.accounts import person_of
from services.console.handlers.ports import ConsolePorts
from shared.contracts.refusals import Refusal


async def remind_now(
    ports: ConsolePorts, account: Account, round_id: str, unit_code: str | None
) -> int:
    """Ask monitoring to remind one unit, or every unit still missing; how many reminded."""
    body = {"unit_codes": [unit_code]} if unit_code else {}
    answer = await ports.monitoring.request(
        "POST", f"/dashboard/rounds/{round_id}/reminders", person_of(account), json=body
    )
    if answer.status_code in (404, 409, 422):
        detail = answer.json().get("detail")
        raise Refusal.of("round_id", "refused", str(detail), "invalid")
    answer.raise_for_status()
    return int(answer.json()["reminded"])
