"""Forms: every version, a new draft from a version, a draft's fields edited, publication.

Monitoring holds the drafts and judges them; the console shows its problems next to the
field they concern (domain.form_draft puts `fields.2.label_th` on input `f2.label_th`).
"""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.console.domain.form_draft import (
    FIELD_TYPES_TH,
    OPS,
    SCOPES_TH,
    Draft,
    errors_by_input,
)
from services.console.entrypoints.web import Viewer, check_csrf, field_errors, render, viewer_of
from services.console.handlers.accounts import person_of
from services.console.handlers.ports import ConsolePorts

# A new form starts with one field, since a form has at least one.
FIRST_FIELD = {"key": "progress_note", "label_th": "ผลการดำเนินงาน", "field_type": "text"}


def forms_router(ports: ConsolePorts) -> APIRouter:
    routes = APIRouter(include_in_schema=False)

    @routes.get("/forms", response_class=HTMLResponse)
    async def forms(request: Request) -> HTMLResponse:
        viewer = await viewer_of(request, ports, "forms")
        return _listed(request, viewer, await _versions(ports, viewer), {})

    @routes.post("/forms", response_class=HTMLResponse)
    async def new_form(request: Request) -> Response:
        """A new form's first draft, with one field to start from."""
        viewer = await viewer_of(request, ports, "forms")
        form = await check_csrf(request, viewer)
        body = {
            "form_id": str(form.get("form_id") or "").strip(),
            "title_th": str(form.get("title_th") or "").strip(),
            "fields": [FIRST_FIELD],
        }
        answer = await ports.monitoring.request(
            "POST", "/forms", person_of(viewer.account), json=body
        )
        if answer.status_code >= 400:
            errors = field_errors(answer.json(), viewer.speech)
            return _listed(request, viewer, await _versions(ports, viewer), errors, 422, body)
        return _made(answer.json())

    @routes.post("/forms/{form_id}/versions/{version}/draft", response_class=HTMLResponse)
    async def draft(request: Request, form_id: str, version: int) -> Response:
        """The next version as a draft, from this one (its fields, rules and title)."""
        viewer = await viewer_of(request, ports, "forms")
        form = await check_csrf(request, viewer)
        person = person_of(viewer.account)
        held = await ports.monitoring.request("GET", f"/forms/{form_id}/versions/{version}", person)
        if held.status_code == 404:
            return _not_found(request, viewer, form_id, version)
        body = {
            k: v for k, v in held.json().items() if k not in ("version", "status", "published_at")
        }
        if str(form.get("title_th") or "").strip():
            body["title_th"] = str(form["title_th"]).strip()
        answer = await ports.monitoring.request("POST", "/forms", person, json=body)
        if answer.status_code >= 400:
            errors = field_errors(answer.json(), viewer.speech)
            return _listed(request, viewer, await _versions(ports, viewer), errors, 422)
        made = answer.json()
        message = f"สร้างฉบับร่าง {made['form_id']} ฉบับที่ {made['version']} แล้ว"
        return RedirectResponse(
            f"/forms/{made['form_id']}/versions/{made['version']}?m={message}", 303
        )

    @routes.post("/forms/{form_id}/versions/{version}/publish", response_class=HTMLResponse)
    async def publish(request: Request, form_id: str, version: int) -> Response:
        viewer = await viewer_of(request, ports, "forms")
        await check_csrf(request, viewer)
        answer = await _publish(ports, viewer, form_id, version)
        if answer is not None:
            return _listed(request, viewer, await _versions(ports, viewer), answer, 422)
        return RedirectResponse(f"/forms?m=เผยแพร่แบบ {form_id} ฉบับที่ {version} แล้ว", 303)

    @routes.get("/forms/{form_id}/versions/{version}", response_class=HTMLResponse)
    async def version_page(request: Request, form_id: str, version: int) -> Response:
        """A version's fields and rules: editable while it is a draft."""
        viewer = await viewer_of(request, ports, "forms")
        held = await ports.monitoring.request(
            "GET", f"/forms/{form_id}/versions/{version}", person_of(viewer.account)
        )
        if held.status_code == 404:
            return _not_found(request, viewer, form_id, version)
        form = held.json()
        return _editor(
            request, viewer, Draft.of(form), form["status"], {}, request.query_params.get("m")
        )

    @routes.post("/forms/{form_id}/versions/{version}", response_class=HTMLResponse)
    async def edit(request: Request, form_id: str, version: int) -> Response:
        """Arrange the rows (redrawn, not saved), or save the draft (and publish it)."""
        viewer = await viewer_of(request, ports, "forms")
        form = await check_csrf(request, viewer)
        draft = Draft.posted(form_id, version, form)
        action = str(form.get("action") or "save")
        publishing = action == "publish"
        if not (draft.apply(action) or publishing):
            return _editor(request, viewer, draft, "draft", {}, None, unsaved=True)
        answer = await ports.monitoring.request(
            "PUT",
            f"/forms/{form_id}/versions/{version}",
            person_of(viewer.account),
            json=draft.body(),
        )
        if answer.status_code == 404:
            return _not_found(request, viewer, form_id, version)
        if answer.status_code >= 400:
            errors = errors_by_input(field_errors(answer.json(), viewer.speech))
            return _editor(request, viewer, draft, "draft", errors, None, 422, unsaved=True)
        if publishing:
            refused = await _publish(ports, viewer, form_id, version)
            if refused is not None:
                return _editor(request, viewer, draft, "draft", refused, "บันทึกฉบับร่างแล้ว", 422)
            return RedirectResponse(f"/forms?m=เผยแพร่แบบ {form_id} ฉบับที่ {version} แล้ว", 303)
        saved = f"บันทึกฉบับร่าง {form_id} ฉบับที่ {version} แล้ว"
        return RedirectResponse(f"/forms/{form_id}/versions/{version}?m={saved}", 303)

    return routes


def _made(made: dict[str, Any]) -> RedirectResponse:
    """To the new draft's page, to edit its fields."""
    form_id, version = made["form_id"], made["version"]
    message = f"สร้างฉบับร่าง {form_id} ฉบับที่ {version} แล้ว"
    return RedirectResponse(f"/forms/{form_id}/versions/{version}?m={message}", 303)


def _editor(
    request: Request,
    viewer: Viewer,
    draft: Draft,
    status: str,
    errors: dict[str, str],
    message: str | None,
    status_code: int = 200,
    unsaved: bool = False,
) -> HTMLResponse:
    return render(
        request,
        "form_edit.html",
        viewer,
        status_code,
        draft=draft,
        status=status,
        editable=status == "draft",
        errors=errors,
        message=message,
        unsaved=unsaved,
        field_types=list(FIELD_TYPES_TH.items()),
        scopes=list(SCOPES_TH.items()),
        ops=[(op, op) for op in OPS],
    )


def _listed(
    request: Request,
    viewer: Viewer,
    forms: list[dict[str, Any]],
    errors: dict[str, str],
    status_code: int = 200,
    new: dict[str, Any] | None = None,
) -> HTMLResponse:
    message = request.query_params.get("m") if status_code == 200 else None
    return render(
        request,
        "forms.html",
        viewer,
        status_code,
        forms=forms,
        errors=errors,
        message=message,
        new=new or {},
    )


def _not_found(request: Request, viewer: Viewer, form_id: str, version: int) -> HTMLResponse:
    missing = f"ไม่พบแบบรายงาน {form_id} ฉบับที่ {version}"
    return render(request, "error.html", viewer, 404, title="404", message=missing)


async def _publish(
    ports: ConsolePorts, viewer: Viewer, form_id: str, version: int
) -> dict[str, str] | None:
    """Monitoring's problems with publishing the draft, or None once it is published."""
    answer = await ports.monitoring.request(
        "POST", f"/forms/{form_id}/versions/{version}/publish", person_of(viewer.account)
    )
    return field_errors(answer.json(), viewer.speech) if answer.status_code >= 400 else None


async def _versions(ports: ConsolePorts, viewer: Viewer) -> list[dict[str, Any]]:
    """Every version of every form, drafts too (only monitoring holds those)."""
    answer = await ports.monitoring.request("GET", "/forms", person_of(viewer.account))
    answer.raise_for_status()
    found: list[dict[str, Any]] = answer.json()
    return sorted(found, key=lambda f: (f["form_id"], f["version"]))
