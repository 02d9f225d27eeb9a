"""HTTP entrypoint: monitoring forms and their versions."""

from fastapi import APIRouter, HTTPException, Request, status

from services.monitoring.handlers import setup as handlers
from services.monitoring.handlers.ports import MonitoringPorts
from shared.contracts.setup import Form, SetupChanged
from shared.platform.http_bodies import body_of, strictly
from shared.platform.limits import NumberPath


def forms_router(ports: MonitoringPorts) -> APIRouter:
    routes = APIRouter(prefix="/forms", tags=["forms"])

    @routes.get("", summary="Every version of every form")
    async def list_forms() -> list[Form]:
        return [f for f in await ports.setup.search("form") if isinstance(f, Form)]

    @routes.get("/{form_id}/versions", summary="A form's versions, oldest first")
    async def versions(form_id: str) -> list[Form]:
        return await handlers.form_versions(form_id, ports)

    @routes.get("/{form_id}/versions/{version}", summary="One version of a form")
    async def version(form_id: str, version: NumberPath) -> Form:
        form = await ports.setup.get("form", f"{form_id}@{version}")
        if not isinstance(form, Form):
            raise HTTPException(404, f"no form {form_id}@{version}")
        return form

    @routes.post(
        "",
        status_code=status.HTTP_201_CREATED,
        summary="Draft the next version of a form",
        description="`version` and `status` are set by the server; a draft is not yet "
        "visible to other services.",
        openapi_extra=body_of(Form, ("version", "status", "published_at"), "FormDraft"),
    )
    async def draft(request: Request) -> Form:
        form = await strictly(request, Form, version=1, status="draft", published_at=None)
        return await handlers.draft_form(form, ports)

    @routes.put(
        "/{form_id}/versions/{version}",
        summary="Change a draft version",
        openapi_extra=body_of(Form, ("form_id", "version"), "FormChange"),
    )
    async def edit(form_id: str, version: NumberPath, request: Request) -> Form:
        form = await strictly(request, Form, form_id=form_id, version=version)
        return await handlers.edit_form_draft(form, ports)

    @routes.post("/{form_id}/versions/{version}/publish", summary="Publish a draft: it is frozen")
    async def publish(form_id: str, version: NumberPath) -> SetupChanged:
        return await handlers.publish_form(form_id, version, ports)

    return routes
