"""HTTP entrypoint: bulk import of the set-up from XLSX or CSV, and blank templates."""

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, HTTPException, Query, Request, Response, UploadFile

from services.monitoring.adapters.tabular import write_template
from services.monitoring.domain.imports import ImportKind
from services.monitoring.handlers.imports import ImportReport, import_table
from services.monitoring.handlers.ports import MonitoringPorts
from shared.contracts.refusals import Refusal
from shared.platform.tables import MAX_BYTES, TableError, read_table

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def imports_router(ports: MonitoringPorts) -> APIRouter:
    routes = APIRouter(prefix="/imports", tags=["imports"])

    @routes.post(
        "/{kind}",
        summary="Import a sheet of units, plans, projects, indicators or assignment overrides",
        description="Every problem is listed by row and column. With problems, or with "
        "`dry_run=true` (the default), nothing is written. Existing keys are replaced.",
    )
    async def import_sheet(
        kind: ImportKind,
        file: UploadFile,
        request: Request,
        dry_run: Annotated[bool, Query()] = True,
        sheet: str | None = None,
    ) -> ImportReport:
        declared = int(request.headers.get("content-length") or 0)
        if declared > MAX_BYTES + 64 * 1024:
            raise HTTPException(413, f"a file of at most {MAX_BYTES // 1_000_000} MB")
        content = await file.read(MAX_BYTES + 1)
        if len(content) > MAX_BYTES:
            raise HTTPException(413, f"a file of at most {MAX_BYTES // 1_000_000} MB")
        try:
            header, rows = read_table(file.filename or "", content, sheet)
        except TableError as error:
            raise Refusal.of("file", "unreadable_table", error.message) from error
        return await import_table(kind, header, rows, dry_run=dry_run, ports=ports)

    @routes.get(
        "/{kind}/template",
        summary="A blank XLSX with the columns of a kind",
        responses={200: {"content": {XLSX: {"schema": {"type": "string", "format": "binary"}}}}},
    )
    async def template(kind: ImportKind) -> Response:
        rounds = sorted(await ports.setup.keys("round")) if kind == "indicators" else []
        name = f"tidtam-{kind}-แม่แบบ.xlsx"
        return Response(
            write_template(kind, rounds),
            media_type=XLSX,
            headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"},
        )

    return routes
