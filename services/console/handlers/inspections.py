"""A unit's inspection recommendations and the officer's register, through evaluation's
API on the person's behalf (a unit's reporter sees and changes only its own); evidence
files go to intake's evidence store."""

from datetime import date
from typing import Any

import httpx
from starlette.datastructures import UploadFile

from services.console.domain.accounts import Account
from services.console.domain.follow_up import EVIDENCE, Followed, followed
from services.console.domain.refusals import refusal_texts
from services.console.handlers.accounts import person_of
from services.console.handlers.glance import names
from services.console.handlers.ports import ConsolePorts

Refused = dict[str, tuple[str, str]]


async def _json(ports: ConsolePorts, account: Account, path: str) -> Any:
    answer = await ports.evaluation.request("GET", path, person_of(account))
    answer.raise_for_status()
    return answer.json()


async def recommendations(
    ports: ConsolePorts, account: Account, today: date, with_issues: bool
) -> list[Followed]:
    """Every recommendation the person may see (a unit: its own), overdue first; the
    issues' titles when the person may read the inspections' reports (officers)."""
    inspections = await _json(ports, account, "/inspections")
    titles = {i["inspection_id"]: i["title_th"] for i in inspections}
    recs: list[dict[str, Any]] = []
    issues: dict[tuple[str, str], str] = {}
    for inspection in inspections:
        inspection_id = inspection["inspection_id"]
        recs += await _json(ports, account, f"/inspections/{inspection_id}/recommendations")
        if with_issues:
            report = await _json(ports, account, f"/inspections/{inspection_id}/report")
            issues |= {(inspection_id, i["issue_code"]): i["title_th"] for i in report["issues"]}
    units = {code: u.name_th for code, u in (await names(ports.setup)).items()}
    return followed(recs, titles, issues, units, today)


async def _upload(ports: ConsolePorts, account: Account, file: UploadFile) -> httpx.Response:
    content = await file.read()
    files = {"file": (file.filename or "evidence", content, file.content_type or "")}
    return await ports.intake.request("POST", "/evidence", person_of(account), files=files)


async def note_progress(
    ports: ConsolePorts, account: Account, recommendation_id: str, form: dict[str, Any]
) -> Refused:
    """A progress note with its evidence (an uploaded file, a link); evaluation's or
    intake's refusals, if any."""
    evidence = []
    file = form.get("file")
    if isinstance(file, UploadFile) and file.filename:
        stored = await _upload(ports, account, file)
        if not stored.is_success:
            refused = refusal_texts(stored.json(), stored.status_code)
            return {"file": next(iter(refused.values()))}
        evidence.append(EVIDENCE + str(stored.json()["evidence_id"]))
    link = str(form.get("link") or "").strip()
    if link:
        evidence.append(link)
    body = {
        "by": account.display_name,
        "note_th": str(form.get("note") or ""),
        "evidence": evidence,
    }
    answer = await ports.evaluation.request(
        "POST", f"/recommendations/{recommendation_id}/progress", person_of(account), json=body
    )
    return {} if answer.is_success else refusal_texts(answer.json(), answer.status_code)


async def change_status(
    ports: ConsolePorts, account: Account, recommendation_id: str, form: dict[str, Any]
) -> Refused:
    body: dict[str, Any] = {"to": str(form.get("to") or ""), "by": account.display_name}
    if str(form.get("reason") or "").strip():
        body["reason_th"] = str(form["reason"]).strip()
    if str(form.get("done_on") or "").strip():
        body["done_on"] = str(form["done_on"]).strip()
    answer = await ports.evaluation.request(
        "POST", f"/recommendations/{recommendation_id}/status", person_of(account), json=body
    )
    return {} if answer.is_success else refusal_texts(answer.json(), answer.status_code)


async def evidence_file(ports: ConsolePorts, account: Account, evidence_id: str) -> httpx.Response:
    return await ports.intake.request("GET", f"/evidence/{evidence_id}", person_of(account))
