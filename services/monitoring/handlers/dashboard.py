"""What the officer sees first: who has not reported, who is late, what lags, what recurs.

Served from the read models (kept by consumers), never aggregated from submissions here.
"""

from datetime import date
from typing import Any

from services.monitoring.domain.achievement import rounds_up_to
from services.monitoring.handlers.ports import MonitoringPorts
from services.monitoring.handlers.refresh import problem_id, row_id, scope_rates
from shared.contracts.refusals import Refusal
from shared.contracts.setup import Form, Round

LAGGING = ("off_track", "at_risk")


async def round_of(round_id: str, ports: MonitoringPorts) -> Round:
    """The round, or a refusal (404) naming it."""
    found = await ports.setup.get("round", round_id)
    if not isinstance(found, Round):
        raise Refusal.of(
            "round_id", "not_found", f"no round {round_id!r}", "not_found", location="path"
        )
    return found


def round_phase(round_: Round, today: date) -> str:
    """Where the round stands today: not open, open, overdue (past due), closed."""
    if today < round_.opens_on:
        return "not_open"
    if today > round_.closes_on:
        return "closed"
    return "overdue" if today > round_.due_on else "open"


async def overview(
    round_id: str, form_id: str | None, ports: MonitoringPorts, today: date
) -> dict[str, Any]:
    """The office overview of a round: rates by office and group, lists, lagging, problems."""
    round_ = await round_of(round_id, ports)
    rollups = [rates_shown(r) for r in await ports.read.rollups(round_id, form_id)]
    projects = [public(p) for p in await ports.read.projects_of(round_id)]
    lagging = sorted(
        (p for p in projects if p["status"] in LAGGING),
        key=lambda p: (LAGGING.index(p["status"]), p["project_code"]),
    )
    offices = [r for r in rollups if r["scope_type"] == "office"]
    return {
        "round": {**round_.model_dump(mode="json"), "phase": round_phase(round_, today)},
        "offices": offices,
        "groups": [r for r in rollups if r["scope_type"] == "group"],
        "late_units": sorted({u for r in offices for u in r["late_units"]}),
        "missing_units": sorted({u for r in offices for u in r["missing_units"]}),
        "lagging_projects": lagging,
        "problems": await problems(round_, ports),
    }


async def problems(
    round_: Round, ports: MonitoringPorts, unit_code: str | None = None
) -> list[dict[str, Any]]:
    """Problems raised this round, and those raised before that nobody has marked resolved
    (with a `unit_code`, that unit's: read by `_id`, the same cost in any size of round)."""
    reads = ports.read
    year = [
        r
        for r in await ports.setup.search("round", {"fiscal_year": round_.fiscal_year})
        if isinstance(r, Round)
    ]
    chain = [r.round_id for r in rounds_up_to(round_, year)]
    if unit_code is None:
        held = [p for p in await reads.problems_of(round_.fiscal_year) if p["round_id"] in chain]
    else:
        forms = await form_ids(ports)
        held = await reads.problems_by_id(problem_id(r, f, unit_code) for r in chain for f in forms)
    raised = [p for p in held if p.get("problems") or p.get("suggestions")]
    resolved = await reads.resolved([p["_id"] for p in raised])
    shown = []
    for found in raised:
        here = found["round_id"] == round_.round_id
        if not here and found["_id"] in resolved:
            continue
        shown.append(
            {
                **public(found),
                "problem_id": found["_id"],
                "carried_from": None if here else found["round_id"],
                "resolution": public(resolved[found["_id"]]) if found["_id"] in resolved else None,
            }
        )
    return sorted(shown, key=lambda p: (p["carried_from"] is None, p["unit_code"], p["round_id"]))


async def form_ids(ports: MonitoringPorts) -> list[str]:
    """Every form's id (of any version): what a unit's rows and rollups may be kept under."""
    return sorted({f.form_id for f in await ports.setup.search("form") if isinstance(f, Form)})


async def unit_detail(round_: Round, unit_code: str, ports: MonitoringPorts) -> dict[str, Any]:
    """One unit in a round: its own report per form (a school, a group or the office), the
    rates of the units under it (a group or the office), and its problems; 404 if the
    round neither expects nor has a report from it. Everything read by `_id`."""
    forms = await form_ids(ports)
    rows = await ports.read.unit_rows_by_id(row_id(round_.round_id, f, unit_code) for f in forms)
    reports = [public(r) for r in sorted(rows, key=lambda r: r["form_id"])]
    rates = [
        rates_shown(r) for r in await ports.read.rollups_of_scope(round_.round_id, unit_code, forms)
    ]
    if not reports and not rates:
        raise Refusal.of(
            "unit_code",
            "not_found",
            f"no report or assignment of {unit_code!r} in {round_.round_id!r}",
            "not_found",
            message_th=f"ไม่พบรายงานหรือการมอบหมายของหน่วยงาน {unit_code} ในรอบนี้",
            location="path",
        )
    found = await problems(round_, ports, unit_code)
    return {"unit_code": unit_code, "reports": reports, "rates": rates, "problems": found}


def rates_shown(rollup: dict[str, Any]) -> dict[str, Any]:
    """A group's or office's rates as a response shows them (as `rates.updated.v1` does)."""
    return scope_rates(rollup).model_dump(mode="json")


# What the read models keep for themselves: ids, kinds, the guards of newer-wins writes.
INTERNAL = ("_id", "kind", "at", "sequence", "due_at")


def public(document: dict[str, Any]) -> dict[str, Any]:
    """A read-model row as a response shows it: no Mongo `_id`, nothing internal."""
    return {k: v for k, v in document.items() if k not in INTERNAL}
