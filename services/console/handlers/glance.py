"""The officer's home and the director's summary, from monitoring's API and the console's
copy of the set-up (names, groups, projects)."""

from datetime import date
from typing import Any

from services.console.domain.accounts import Account
from services.console.domain.glance import Glance, UnitName, current_round, glance
from services.console.handlers.accounts import person_of
from services.console.handlers.ports import ConsolePorts, SetupCopy
from shared.contracts.refusals import Refusal
from shared.contracts.setup import Project, Round, Unit


async def names(setup: SetupCopy) -> dict[str, UnitName]:
    return {
        u.code: UnitName(
            u.code, u.name_th, u.unit_type, u.parent_code, getattr(u, "contact", None), u.province
        )
        for u in await setup.search("unit")
        if isinstance(u, Unit)
    }


async def project_names(setup: SetupCopy) -> dict[str, str]:
    return {p.code: p.name_th for p in await setup.search("project") if isinstance(p, Project)}


async def rounds(setup: SetupCopy) -> list[Round]:
    found = [r for r in await setup.search("round") if isinstance(r, Round)]
    return sorted(found, key=lambda r: (r.opens_on, r.round_id))


async def round_at_a_glance(
    ports: ConsolePorts, account: Account, round_id: str | None, today: date
) -> Glance | None:
    """The glance of `round_id` (default: the current round); None if there is no round."""
    if round_id is None:
        held = [r.model_dump(mode="json") for r in await rounds(ports.setup)]
        round_id = current_round(held, today)
        if round_id is None:
            return None
    answer = await ports.monitoring.request(
        "GET", f"/dashboard/rounds/{round_id}", person_of(account)
    )
    if answer.status_code == 404:
        raise Refusal.of("round", "not_found", f"no round {round_id}", "not_found")
    answer.raise_for_status()
    overview = answer.json()
    rows: list[dict[str, Any]] = []
    grouped = any(g["rates"]["expected"] for g in overview.get("groups", []))
    if not grouped and overview.get("offices"):
        listed = await ports.monitoring.request(
            "GET",
            f"/dashboard/rounds/{round_id}/units",
            person_of(account),
            params={"form_id": overview["offices"][0]["form_id"]},
        )
        rows = listed.json() if listed.is_success else []
    return glance(overview, await names(ports.setup), await project_names(ports.setup), today, rows)


async def unit_in_round(
    ports: ConsolePorts, account: Account, round_id: str, unit_code: str
) -> dict[str, Any]:
    """One unit in a round: who it is, its report's state per form, its problems."""
    unit = (await names(ports.setup)).get(unit_code)
    if unit is None:
        raise Refusal.of("unit_code", "not_found", f"no unit {unit_code}", "not_found")
    person = person_of(account)
    overview = await ports.monitoring.request("GET", f"/dashboard/rounds/{round_id}", person)
    overview.raise_for_status()
    reports = []
    for form_id in sorted({o["form_id"] for o in overview.json().get("offices", [])}):
        rows = await ports.monitoring.request(
            "GET",
            f"/dashboard/rounds/{round_id}/units",
            person,
            params={"form_id": form_id, "scope": unit.parent_code or unit_code},
        )
        rows.raise_for_status()
        reports += [r for r in rows.json() if r["unit_code"] == unit_code]
    problems = [p for p in overview.json().get("problems", []) if p["unit_code"] == unit_code]
    group = (await names(ports.setup)).get(unit.parent_code or "")
    return {
        "unit": unit,
        "group": group,
        "round_id": round_id,
        "reports": reports,
        "problems": problems,
    }
