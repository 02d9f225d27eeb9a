"""Set-up pages: units (search, edit), rounds (dates), imports (dry run, then confirm)."""

import base64
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from services.console.entrypoints.web import Viewer, check_csrf, field_errors, render, viewer_of
from services.console.handlers.accounts import person_of
from services.console.handlers.ports import ConsolePorts
from services.console.handlers.setup import IMPORT_KINDS, import_sheet, read, replace, search_units
from shared.thai.input import arabic_digits

MAX_SHEET = 5 * 1024 * 1024


def _edited(
    held: dict[str, Any], form: dict[str, Any], fields: tuple["Field", ...]
) -> dict[str, Any]:
    """The entity with the form's fields; an empty field is None, a list field its items
    between commas (Thai digits read)."""
    body = dict(held)
    for name, _, kind in fields:
        if name in form:
            value = arabic_digits(str(form[name]).strip())
            if kind == "list":
                body[name] = [item.strip() for item in value.split(",") if item.strip()]
            else:
                body[name] = value or None
    return body


Field = tuple[str, str, str]  # name, Thai label, input type


@dataclass(frozen=True)
class Editing:
    """One kind of set-up entity the officer edits on a page: monitoring's `/<kind>/{key}`."""

    kind: str  # the API path: units, rounds, projects…
    page: str  # the page permission (domain.accounts.PAGES)
    noun_th: str
    fields: tuple[Field, ...]
    done: Callable[[str], str]  # where to go after a save, with its message
    hint_th: str = ""


EDITING = (
    Editing(
        "units",
        "units",
        "หน่วยงาน",
        (
            ("name_th", "ชื่อหน่วยงาน (ไทย)", "text"),
            ("name_en", "ชื่อหน่วยงาน (อังกฤษ)", "text"),
            ("parent_code", "รหัสหน่วยงานต้นสังกัด", "text"),
            ("province", "จังหวัด", "text"),
            ("active_from", "เปิดทำการเมื่อ", "date"),
            ("active_to", "ปิดทำการหลังวันที่", "date"),
            ("head_name_th", "ชื่อผู้บริหารหน่วยงาน (ลงนามในรายงาน)", "text"),
            ("head_position_th", "ตำแหน่งผู้บริหารหน่วยงาน", "text"),
            ("contact_emails", "อีเมลผู้ประสานงาน (คั่นด้วยจุลภาค)", "list"),
            ("contact_line_ids", "LINE user ID ผู้ประสานงาน (คั่นด้วยจุลภาค)", "list"),
            ("head_emails", "อีเมลผู้บริหาร (คั่นด้วยจุลภาค)", "list"),
            ("head_line_ids", "LINE user ID ผู้บริหาร (คั่นด้วยจุลภาค)", "list"),
        ),
        lambda key: f"/units?q={key}&m=บันทึก {key} แล้ว",
        "ระบบส่งการแจ้งเตือนทางอีเมลและ LINE ถึงผู้ประสานงานและผู้บริหารตามที่กรอกไว้",
    ),
    Editing(
        "rounds",
        "rounds",
        "รอบ",
        (
            ("name_th", "ชื่อรอบ", "text"),
            ("opens_on", "วันเปิดรับรายงาน", "date"),
            ("due_on", "กำหนดส่ง", "date"),
            ("closes_on", "วันปิดรับรายงาน", "date"),
        ),
        lambda key: f"/rounds?m=บันทึกรอบ {key} แล้ว",
        "เลื่อนกำหนดส่งแล้ว ระบบจะคำนวณใหม่ว่าหน่วยใดส่งล่าช้า",
    ),
    Editing(
        "strategies",
        "plans",
        "นโยบาย/กลยุทธ์",
        (("name_th", "ชื่อนโยบายหรือกลยุทธ์", "text"),),
        lambda key: f"/plans?m=บันทึก {key} แล้ว",
    ),
    Editing(
        "projects",
        "plans",
        "โครงการ",
        (
            ("name_th", "ชื่อโครงการ/กิจกรรม", "text"),
            ("responsible_unit", "หน่วยงานที่รับผิดชอบ", "text"),
            ("starts_on", "วันเริ่มโครงการ", "date"),
            ("ends_on", "วันสิ้นสุดโครงการ", "date"),
        ),
        lambda key: f"/plans?q={key}&m=บันทึกโครงการ {key} แล้ว",
    ),
    Editing(
        "indicators",
        "plans",
        "ตัวชี้วัด",
        (
            ("name_th", "ชื่อตัวชี้วัด", "text"),
            ("unit_of_measure", "หน่วยนับ", "text"),
            ("baseline", "ค่าฐาน", "text"),
            ("year_target", "ค่าเป้าหมายทั้งปี", "text"),
        ),
        lambda key: f"/plans?m=บันทึกตัวชี้วัด {key} แล้ว",
        "พิมพ์เลขไทยหรือเลขอารบิกก็ได้",
    ),
)


def edit_routes(routes: APIRouter, ports: ConsolePorts, editing: Editing) -> None:
    """The edit page of one entity and its save: monitoring checks every rule, the page
    shows its answer next to each field."""

    async def held_or_missing(request: Request, viewer: Viewer, key: str) -> Any:
        held = await read(ports, viewer.account, f"/{editing.kind}/{key}")
        if held is None:
            message = f"ไม่พบ{editing.noun_th} {key}"
            return render(request, "error.html", viewer, 404, title="404", message=message)
        return held  # the entity as monitoring holds it

    @routes.get(f"/{editing.kind}/{{key}}/edit", response_class=HTMLResponse)
    async def edit(request: Request, key: str) -> Response:
        viewer = await viewer_of(request, ports, editing.page)
        held = await held_or_missing(request, viewer, key)
        if isinstance(held, Response):
            return held
        return render(request, "entity_edit.html", viewer, entity=held, errors={}, editing=editing)

    @routes.post(f"/{editing.kind}/{{key}}/edit", response_class=HTMLResponse)
    async def save(request: Request, key: str) -> Response:
        viewer = await viewer_of(request, ports, editing.page)
        form = await check_csrf(request, viewer)
        held = await held_or_missing(request, viewer, key)
        if isinstance(held, Response):
            return held
        body = _edited(held, form, editing.fields)
        answer = await replace(ports, viewer.account, f"/{editing.kind}/{key}", body)
        if answer.status_code >= 400:
            errors = field_errors(answer.json(), viewer.speech)
            return render(
                request,
                "entity_edit.html",
                viewer,
                422,
                entity=body,
                errors=errors,
                editing=editing,
            )
        return RedirectResponse(editing.done(key), status_code=303)


def setup_router(ports: ConsolePorts) -> APIRouter:
    routes = APIRouter(include_in_schema=False)

    @routes.get("/units", response_class=HTMLResponse)
    async def units(request: Request, q: str = "") -> HTMLResponse:
        viewer = await viewer_of(request, ports, "units")
        found = await search_units(ports, viewer.account, q)
        return render(
            request, "units.html", viewer, units=found, q=q, message=request.query_params.get("m")
        )

    for editing in EDITING:
        edit_routes(routes, ports, editing)

    @routes.get("/imports", response_class=HTMLResponse)
    async def imports(request: Request) -> HTMLResponse:
        viewer = await viewer_of(request, ports, "imports")
        return render(request, "imports.html", viewer, kinds=IMPORT_KINDS, report=None)

    @routes.get("/imports/{kind}/template")
    async def template(request: Request, kind: str) -> Response:
        """A blank sheet with the columns monitoring reads, to fill in."""
        viewer = await viewer_of(request, ports, "imports")
        answer = await ports.monitoring.request(
            "GET", f"/imports/{kind}/template", person_of(viewer.account)
        )
        kept = ("content-type", "content-disposition")
        headers = {k: v for k, v in answer.headers.items() if k.lower() in kept}
        return Response(answer.content, status_code=answer.status_code, headers=headers)

    @routes.post("/imports", response_class=HTMLResponse)
    async def check(request: Request) -> HTMLResponse:
        """Step 1: a dry run; every problem by row and column. Step 2 (confirm) writes."""
        viewer = await viewer_of(request, ports, "imports")
        form = await check_csrf(request, viewer)
        kind = str(form.get("kind", ""))
        confirm = form.get("confirm") == "1"
        if confirm:
            name, content = str(form["file_name"]), base64.b64decode(str(form["content"]))
        else:
            upload = form.get("file")
            if not isinstance(upload, UploadFile) or not upload.filename:
                return render(
                    request,
                    "imports.html",
                    viewer,
                    422,
                    kinds=IMPORT_KINDS,
                    report=None,
                    error="กรุณาเลือกไฟล์ XLSX หรือ CSV",
                )
            name, content = upload.filename or "sheet.xlsx", await upload.read(MAX_SHEET + 1)
        if len(content) > MAX_SHEET:
            return render(
                request,
                "imports.html",
                viewer,
                413,
                kinds=IMPORT_KINDS,
                report=None,
                error="ไฟล์ใหญ่เกิน 5 MB",
            )
        answer = await import_sheet(ports, viewer.account, kind, name, content, not confirm)
        if answer.status_code >= 400:
            errors = field_errors(answer.json(), viewer.speech)
            return render(
                request,
                "imports.html",
                viewer,
                answer.status_code,
                kinds=IMPORT_KINDS,
                report=None,
                error="; ".join(errors.values()),
            )
        return render(
            request,
            "imports.html",
            viewer,
            kinds=IMPORT_KINDS,
            report=answer.json(),
            kind=kind,
            file_name=name,
            content=base64.b64encode(content).decode(),
        )

    return routes
