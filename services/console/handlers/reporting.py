"""A unit's reporter: what is due, the form, its draft, submitting, evidence, the sheet.

Everything comes from the services on the person's behalf (their signed token): rounds,
assignments, forms, projects and indicators from monitoring; submissions, evidence and
every check of a value from intake. Only the draft is the console's own.
"""

import asyncio
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from services.console.domain.accounts import Account
from services.console.domain.reporting import (
    DueItem,
    FormLayout,
    days_left,
    due_status,
    errors_by_input,
    files_from_values,
    layout,
    open_rounds,
    typed_from_values,
    values_of,
)
from services.console.handlers.accounts import person_of
from services.console.handlers.ports import ConsolePorts, DraftStore
from shared.contracts.setup import Assignment, Form, Indicator, Project, Round


class NotYours(Exception):
    """No such round or form assigned to the viewer's unit (404)."""


@dataclass
class Report:
    """The form page of one unit's report in one round."""

    round: Round
    assignment: Assignment
    layout: FormLayout
    draft: dict[str, Any]
    submission: dict[str, Any] | None
    item: DueItem
    errors: dict[str, str] = field(default_factory=dict)
    outcome: str | None = None  # accepted, repeat, rejected, conflict, saved, attached

    @property
    def key(self) -> str:
        return f"{self.round.round_id}/{self.assignment.form_id}"


def drafts_of(ports: ConsolePorts) -> DraftStore:
    assert ports.drafts is not None, "the console's bootstrap sets the draft store"
    return ports.drafts


async def _json(
    ports: ConsolePorts, service: str, path: str, account: Account, **options: Any
) -> Any:
    api = getattr(ports, service)
    answer = await api.request("GET", path, person_of(account), **options)
    if answer.status_code == 404:
        raise NotYours(path)
    answer.raise_for_status()
    return answer.json()


async def _rounds(ports: ConsolePorts, account: Account) -> list[Round]:
    return [Round.model_validate(r) for r in await _json(ports, "monitoring", "/rounds", account)]


async def _assignments(ports: ConsolePorts, account: Account) -> list[Assignment]:
    found = await _json(
        ports,
        "monitoring",
        "/assignments",
        account,
        params={"unit_code": account.unit_code, "limit": 10000},
    )
    return [Assignment.model_validate(a) for a in found]


async def _published(ports: ConsolePorts, account: Account, form_id: str) -> Form:
    """The form's newest published version."""
    versions = await _json(ports, "monitoring", f"/forms/{form_id}/versions", account)
    published = [Form.model_validate(f) for f in versions if f.get("status") == "published"]
    if not published:
        raise NotYours(form_id)
    return max(published, key=lambda f: f.version)


async def _version(ports: ConsolePorts, account: Account, form_id: str, version: int) -> Form:
    found = await _json(ports, "monitoring", f"/forms/{form_id}/versions/{version}", account)
    return Form.model_validate(found)


async def _submissions(
    ports: ConsolePorts, account: Account, form_id: str, round_ids: list[str]
) -> dict[str, dict[str, Any]]:
    """The unit's submissions of a form, by round."""
    if not round_ids:
        return {}
    found = await _json(
        ports,
        "intake",
        "/submissions",
        account,
        params={"form_id": form_id, "round_id": round_ids},
    )
    return {s["round_id"]: s for s in found if s.get("unit_code") == account.unit_code}


async def due_items(ports: ConsolePorts, account: Account, today: date) -> list[DueItem]:
    """Every form assigned to the unit in each open round, with its status and days left."""
    rounds, assignments = await asyncio.gather(
        _rounds(ports, account), _assignments(ports, account)
    )
    opened = {r.round_id: r for r in open_rounds(rounds, today)}
    mine = [a for a in assignments if a.round_id in opened]
    forms = sorted({a.form_id for a in mine})
    held = dict(
        zip(
            forms,
            await asyncio.gather(
                *(
                    _submissions(ports, account, f, [a.round_id for a in mine if a.form_id == f])
                    for f in forms
                )
            ),
            strict=True,
        )
    )
    versions = dict(
        zip(
            forms,
            await asyncio.gather(*(_published(ports, account, f) for f in forms)),
            strict=True,
        )
    )
    items = []
    for a in mine:
        round_ = opened[a.round_id]
        draft = await drafts_of(ports).get(account.unit_code, a.round_id, a.form_id)
        submission = held[a.form_id].get(a.round_id)
        status, comment, late = due_status(
            round_, submission, bool(draft and draft.get("dirty")), today
        )
        items.append(
            DueItem(
                round_,
                a.form_id,
                draft["form_version"] if draft else versions[a.form_id].version,
                status,
                days_left(round_, today),
                comment,
                late,
                draft is not None and bool(draft.get("dirty")),
            )
        )
    return sorted(items, key=lambda i: (i.round.due_on, i.round.round_id, i.form_id))


async def open_report(
    ports: ConsolePorts, account: Account, round_id: str, form_id: str, today: date
) -> Report:
    """The form page: the layout, the draft (made now if there is none), the history."""
    rounds, assignments = await asyncio.gather(
        _rounds(ports, account), _assignments(ports, account)
    )
    round_ = next((r for r in rounds if r.round_id == round_id), None)
    assignment = next(
        (a for a in assignments if a.round_id == round_id and a.form_id == form_id), None
    )
    if round_ is None or assignment is None:
        raise NotYours(f"{round_id}/{form_id}")
    draft = await drafts_of(ports).get(account.unit_code, round_id, form_id)
    form = (
        await _version(ports, account, form_id, draft["form_version"])
        if draft
        else await _published(ports, account, form_id)
    )
    earlier_rounds = sorted(
        (
            r
            for r in rounds
            if r.fiscal_year == round_.fiscal_year and r.period_end < round_.period_end
        ),
        key=lambda r: r.period_end,
    )
    projects, indicators, held = await asyncio.gather(
        _projects(ports, account, assignment.project_codes),
        _indicators(ports, account, assignment.project_codes),
        _submissions(ports, account, form_id, [round_id, *(r.round_id for r in earlier_rounds)]),
    )
    plain = layout(form, round_id, assignment.project_codes, projects, indicators)
    earlier = _earlier(plain, earlier_rounds, held)
    shaped = layout(form, round_id, assignment.project_codes, projects, indicators, earlier)
    submission = held.get(round_id)
    if draft is None:
        start: dict[str, Any] = {"form_version": form.version, "typed": {}, "files": {}}
        if submission is not None:  # a correction starts from what intake holds
            values = submission["versions"][-1]["values"]
            start |= {
                "typed": typed_from_values(shaped, values),
                "files": files_from_values(shaped, values),
            }
        draft = await drafts_of(ports).open(
            account.unit_code, round_id, form_id, start, ports.clock()
        )
    status, comment, late = due_status(round_, submission, bool(draft.get("dirty")), today)
    item = DueItem(
        round_,
        form_id,
        form.version,
        status,
        days_left(round_, today),
        comment,
        late,
        bool(draft.get("dirty")),
    )
    return Report(round_, assignment, shaped, draft, submission, item)


async def _projects(
    ports: ConsolePorts, account: Account, codes: tuple[str, ...]
) -> dict[str, Project]:
    found = await asyncio.gather(
        *(_json(ports, "monitoring", f"/projects/{code}", account) for code in codes)
    )
    return {p["code"]: Project.model_validate(p) for p in found}


async def _indicators(
    ports: ConsolePorts, account: Account, codes: tuple[str, ...]
) -> dict[str, list[Indicator]]:
    found = await asyncio.gather(
        *(
            _json(ports, "monitoring", "/indicators", account, params={"project_code": code})
            for code in codes
        )
    )
    return {
        code: [Indicator.model_validate(i) for i in listed]
        for code, listed in zip(codes, found, strict=True)
    }


def _earlier(
    plain: FormLayout, rounds: list[Round], held: dict[str, dict[str, Any]]
) -> dict[str, list[tuple[str, str]]]:
    """Each input's values in the unit's earlier rounds of the year (latest version)."""
    earlier: dict[str, list[tuple[str, str]]] = {}
    for round_ in rounds:
        submission = held.get(round_.round_id)
        if submission is None:
            continue
        typed = typed_from_values(plain, submission["versions"][-1]["values"])
        for item in plain.inputs():
            if item.name in typed and item.field.field_type not in ("evidence", "text"):
                earlier.setdefault(item.name, []).append((round_.name_th, typed[item.name]))
    return earlier


def typed_of(report: Report, form: dict[str, Any]) -> dict[str, str]:
    """What the page sent for each of the form's inputs (Thai digits and all, as typed)."""
    names = {i.name for i in report.layout.inputs()}
    return {k: str(v) for k, v in form.items() if k in names and isinstance(v, str)}


async def keep_draft(
    ports: ConsolePorts, account: Account, report: Report, typed: dict[str, str]
) -> None:
    await drafts_of(ports).keep(
        report.draft["_id"], {"typed": typed, "dirty": True}, account.username, ports.clock()
    )
    report.draft |= {"typed": typed, "dirty": True}


async def submit(
    ports: ConsolePorts,
    account: Account,
    report: Report,
    typed: dict[str, str],
    english: bool = False,
    *,
    keep: bool = True,
) -> Report:
    """Keep what was typed (unless `keep` is false), then send it to intake under the
    draft's key.

    The same values as the last accepted ones go under that submission's key, so a retry
    after a lost answer is a repeat, never a second version."""
    if keep:
        await keep_draft(ports, account, report, typed)
    values = values_of(report.layout, typed, report.draft.get("files") or {})
    same = report.draft.get("submitted_values") == _canonical(values)
    key = report.draft["submitted_key"] if same else report.draft["submission_key"]
    answer = await ports.intake.request(
        "POST",
        "/submissions",
        person_of(account),
        json={
            "submission_key": key,
            "round_id": report.round.round_id,
            "form_id": report.assignment.form_id,
            "form_version": report.layout.form.version,
            "submitter": account.display_name,
            "values": values,
        },
    )
    if answer.status_code >= 500:
        answer.raise_for_status()
    body = answer.json()
    if answer.status_code in (200, 201):
        if not keep:
            await keep_draft(ports, account, report, typed)
        await drafts_of(ports).submitted(
            report.draft["_id"], key, _canonical(values), account.username, ports.clock()
        )
        report.outcome = body.get("outcome", "accepted")
        return report
    report.outcome = body.get("outcome", "rejected") if isinstance(body, dict) else "rejected"
    reasons = body.get("reasons") if isinstance(body, dict) else None
    if reasons is None:
        detail = body.get("detail") if isinstance(body, dict) else body
        reasons = [{"field": "", "message": str(detail)}]
    report.errors = errors_by_input(reasons, english)
    return report


def _canonical(values: dict[str, Any]) -> Any:
    """Values as JSON gives them back (what the draft keeps and compares)."""
    return json.loads(json.dumps(values, sort_keys=True, ensure_ascii=False))


def history(report: Report) -> list[dict[str, Any]]:
    """Every version intake holds, newest first, with the reviews of each."""
    if report.submission is None:
        return []
    reviews = report.submission.get("reviews") or []
    versions = []
    for version in reversed(report.submission["versions"]):
        number = version["version"]
        values = version.get("values") or {}
        versions.append(
            {
                **version,
                "reviews": [r for r in reviews if r.get("version") == number],
                "shown": typed_from_values(report.layout, values),
            }
        )
    return versions
