"""The reviewer's queue and a report's page, through monitoring's rows and intake's review
API, on the reviewer's behalf."""

from typing import Any

import httpx

from services.console.domain.accounts import Account
from services.console.domain.review import awaiting, lines, previous_round
from services.console.handlers.accounts import person_of
from services.console.handlers.glance import names, project_names, rounds
from services.console.handlers.ports import ConsolePorts
from shared.contracts.refusals import Refusal
from shared.contracts.setup import Form, Indicator, Round


async def _forms_of(ports: ConsolePorts, account: Account, round_id: str) -> list[str]:
    overview = await ports.monitoring.request(
        "GET", f"/dashboard/rounds/{round_id}", person_of(account)
    )
    if overview.status_code == 404:
        return []
    overview.raise_for_status()
    return sorted({o["form_id"] for o in overview.json().get("offices", [])})


async def _unit_rows(
    ports: ConsolePorts, account: Account, round_id: str, scope: str | None
) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    for form_id in await _forms_of(ports, account, round_id):
        params = {"form_id": form_id, **({"scope": scope} if scope else {})}
        answer = await ports.monitoring.request(
            "GET", f"/dashboard/rounds/{round_id}/units", person_of(account), params=params
        )
        answer.raise_for_status()
        found += answer.json()
    return found


async def review_queue(
    ports: ConsolePorts, account: Account, round_id: str | None, group: str | None, late: bool
) -> dict[str, Any]:
    """Reports awaiting review in a round (default: the latest opened), of one group if
    chosen, only late ones if asked; with the groups to choose from."""
    held = await rounds(ports.setup)
    chosen = next((r for r in held if r.round_id == round_id), None) or (held[-1] if held else None)
    units = await names(ports.setup)
    groups = sorted((u for u in units.values() if u.unit_type == "group"), key=lambda u: u.code)
    queue: list[dict[str, Any]] = []
    if chosen is not None:
        for row in awaiting(await _unit_rows(ports, account, chosen.round_id, group), late):
            unit = units.get(row["unit_code"])
            parent = units.get(unit.parent_code or "") if unit else None
            queue.append(
                {
                    **row,
                    "name_th": unit.name_th if unit else row["unit_code"],
                    "group_th": parent.name_th if parent else "",
                }
            )
    return {
        "rounds": held,
        "round": chosen,
        "groups": groups,
        "group": group or "",
        "late": late,
        "queue": queue,
    }


async def _submission(
    ports: ConsolePorts, account: Account, submission_id: str
) -> dict[str, Any] | None:
    answer = await ports.intake.request("GET", f"/submissions/{submission_id}", person_of(account))
    if answer.status_code == 404:
        return None
    answer.raise_for_status()
    found: dict[str, Any] = answer.json()
    return found


async def _previous(
    ports: ConsolePorts, account: Account, round_: Round, unit_code: str, form_id: str
) -> tuple[Round | None, dict[str, Any] | None]:
    """The unit's report of the previous round, if it sent one."""
    earlier = previous_round(await rounds(ports.setup), round_)
    if earlier is None:
        return None, None
    parent = (await names(ports.setup)).get(unit_code)
    scope = (parent.parent_code if parent else None) or unit_code
    answer = await ports.monitoring.request(
        "GET",
        f"/dashboard/rounds/{earlier.round_id}/units",
        person_of(account),
        params={"form_id": form_id, "scope": scope},
    )
    if not answer.is_success:
        return earlier, None
    row = next((r for r in answer.json() if r["unit_code"] == unit_code), None)
    if row is None or not row.get("submission_id"):
        return earlier, None
    return earlier, await _submission(ports, account, row["submission_id"])


async def submission_page(
    ports: ConsolePorts, account: Account, submission_id: str
) -> dict[str, Any]:
    """A report's latest version beside the unit's previous round, its reviews and versions."""
    found = await _submission(ports, account, submission_id)
    if found is None:
        raise Refusal.of("submission_id", "not_found", f"no report {submission_id}", "not_found")
    round_ = await ports.setup.get("round", found["round_id"])
    if not isinstance(round_, Round):
        raise Refusal.of("round_id", "not_found", f"no round {found['round_id']}", "not_found")
    latest = found["versions"][-1]
    form = await ports.setup.get("form", f"{found['form_id']}@{latest['form_version']}")
    earlier, before = await _previous(ports, account, round_, found["unit_code"], found["form_id"])
    labels = await project_names(ports.setup)
    labels |= {
        i.code: i.name_th for i in await ports.setup.search("indicator") if isinstance(i, Indicator)
    }
    compared = (
        lines(form, latest["values"], before["versions"][-1]["values"] if before else None, labels)
        if isinstance(form, Form)
        else []
    )
    unit = (await names(ports.setup)).get(found["unit_code"])
    return {
        "submission": found,
        "latest": latest,
        "round": round_,
        "previous": earlier,
        "previous_found": before is not None,
        "lines": compared,
        "unit": unit,
        "returned": next(
            (r for r in reversed(found["reviews"]) if r["action"] == "returned"), None
        ),
    }


async def review(
    ports: ConsolePorts, account: Account, submission_id: str, action: str, comment: str
) -> httpx.Response:
    """Approve, return (with the comment) or reopen, as intake decides."""
    body = {"action": action, "comment": comment.strip() or None}
    return await ports.intake.request(
        "POST", f"/submissions/{submission_id}/review", person_of(account), json=body
    )
