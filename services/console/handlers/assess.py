"""The assessor's scoring page and the officer's evaluation page, through evaluation's
API on the person's behalf."""

from typing import Any

import httpx

from services.console.domain.accounts import Account
from services.console.domain.assess import (
    assignments_from,
    cards,
    lines_of,
    officer_rows,
    score_body,
)
from services.console.domain.refusals import refusal_texts
from services.console.handlers.accounts import person_of
from services.console.handlers.glance import names, project_names
from services.console.handlers.ports import ConsolePorts


async def _get(ports: ConsolePorts, account: Account, path: str) -> Any:
    answer = await ports.evaluation.request("GET", path, person_of(account))
    answer.raise_for_status()
    return answer.json()


async def _subject_names(ports: ConsolePorts) -> dict[str, str]:
    units = {code: u.name_th for code, u in (await names(ports.setup)).items()}
    return units | await project_names(ports.setup)


async def _framework_and_scale(
    ports: ConsolePorts, account: Account, evaluation: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    framework = await _get(
        ports,
        account,
        f"/frameworks/{evaluation['framework_id']}/versions/{evaluation['framework_version']}",
    )
    scales = await _get(ports, account, "/scales")
    scale = next(s for s in scales if s["scale_id"] == framework["scale_id"])
    return framework, scale


async def evaluations(ports: ConsolePorts, account: Account) -> list[dict[str, Any]]:
    """Every evaluation the person may see (an assessor: those assigned to them)."""
    found: list[dict[str, Any]] = await _get(ports, account, "/evaluations")
    return sorted(found, key=lambda e: (-int(e["fiscal_year"]), e["evaluation_id"]))


async def assessor_page(ports: ConsolePorts, account: Account) -> list[dict[str, Any]]:
    """Each evaluation assigned to the assessor with its cards, open ones first."""
    shown = []
    subject_names = await _subject_names(ports)
    for evaluation in await evaluations(ports, account):
        path = f"/evaluations/{evaluation['evaluation_id']}"
        framework, scale = await _framework_and_scale(ports, account, evaluation)
        results = await _get(ports, account, f"{path}/results")
        mine = await _get(ports, account, f"{path}/scores/mine")
        found = cards(framework, scale, results, mine, evaluation["assignments"], subject_names)
        shown.append({"evaluation": evaluation, "cards": found, "scale": scale})
    return sorted(shown, key=lambda e: e["evaluation"]["status"] != "open")


async def save_scores(
    ports: ConsolePorts, account: Account, evaluation_id: str, form: dict[str, Any], status: str
) -> tuple[int, dict[str, dict[str, tuple[str, str]]]]:
    """Every card with a level chosen, as a draft or submitted; how many were saved and
    evaluation's refusals by card number."""
    saved, refused = 0, {}
    count = int(str(form.get("cards") or "0"))
    for index in range(count):
        body = score_body(str(form.get(f"c{index}-key") or "|"), form, index, status)
        if body is None:
            if status == "submitted":
                refused[str(index)] = {"level_position": ("กรุณาเลือกระดับ", "choose a level")}
            continue
        answer = await ports.evaluation.request(
            "PUT", f"/evaluations/{evaluation_id}/scores", person_of(account), json=body
        )
        if answer.is_success:
            saved += 1
        else:
            refused[str(index)] = refusal_texts(answer.json(), answer.status_code)
    return saved, refused


async def officer_page(ports: ConsolePorts, account: Account, evaluation_id: str) -> dict[str, Any]:
    """One evaluation as the officer runs it."""
    path = f"/evaluations/{evaluation_id}"
    evaluation = await _get(ports, account, path)
    framework, scale = await _framework_and_scale(ports, account, evaluation)
    results = await _get(ports, account, f"{path}/results")
    subject_names = await _subject_names(ports)
    assessors = sorted(
        a.username for a in await ports.accounts.all() if a.role == "assessor" and a.active
    )
    assessors += sorted({a["assessor_id"] for a in evaluation["assignments"]} - set(assessors))
    units = sorted(
        (u for u in (await names(ports.setup)).values() if u.unit_type in ("office", "group")),
        key=lambda u: u.code,
    )
    return {
        "evaluation": evaluation,
        "framework": framework,
        "scale": scale,
        "results": results,
        "rows": officer_rows(framework, evaluation, results, subject_names),
        "assessors": assessors,
        "subject_names": subject_names,
        "units": units,
    }


async def assign(
    ports: ConsolePorts, account: Account, evaluation_id: str, form: dict[str, Any]
) -> httpx.Response:
    """Replace who scores what (every assessor on everything, when asked)."""
    listed = assignments_from(form)
    if form.get("everyone"):
        seen = await officer_page(ports, account, evaluation_id)
        listed = [
            {"criterion_code": row.criterion.code, "subject": row.subject, "assessor_id": who}
            for row in seen["rows"]
            for who in seen["assessors"]
        ]
    return await ports.evaluation.request(
        "PUT", f"/evaluations/{evaluation_id}/assignments", person_of(account), json=listed
    )


def finalise_body(form: dict[str, Any]) -> dict[str, Any]:
    """The finalise request from the page: notes on what was discussed, strengths,
    improvements, and recommendations per unit."""
    discussed = []
    for name, note in sorted(form.items()):
        parts = name.split(":")
        if len(parts) == 3 and parts[0] == "d":
            discussed.append(
                {"criterion_code": parts[1], "subject": parts[2], "note_th": str(note).strip()}
            )
    recommendations = []
    for index in range(int(str(form.get("recommendations") or "0"))):
        unit = str(form.get(f"r{index}-unit") or "").strip()
        text = str(form.get(f"r{index}-text") or "").strip()
        if unit and text:
            recommendations.append({"unit_code": unit, "text_th": text})
    return {
        "discussed": [d for d in discussed if d["note_th"]],
        "strengths_th": lines_of(form.get("strengths")),
        "improvements_th": lines_of(form.get("improvements")),
        "recommendations": recommendations,
    }


async def finalise(
    ports: ConsolePorts, account: Account, evaluation_id: str, form: dict[str, Any]
) -> httpx.Response:
    return await ports.evaluation.request(
        "POST",
        f"/evaluations/{evaluation_id}/finalise",
        person_of(account),
        json=finalise_body(form),
    )


async def reopen(
    ports: ConsolePorts, account: Account, evaluation_id: str, reason: str
) -> httpx.Response:
    return await ports.evaluation.request(
        "POST",
        f"/evaluations/{evaluation_id}/reopen",
        person_of(account),
        json={"reason_th": reason.strip()},
    )
