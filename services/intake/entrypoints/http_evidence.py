"""HTTP entrypoint: evidence files a unit attaches to its reports, and their download."""

from collections.abc import Awaitable, Callable
from dataclasses import asdict
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, UploadFile
from fastapi.responses import StreamingResponse

from services.intake.domain.evidence import (
    HEAD_BYTES,
    EvidenceNotFound,
    EvidenceTooLarge,
    check_upload,
    sniff,
)
from services.intake.handlers.ports import EvidenceStore
from shared.platform.credentials import Credential


def evidence_router(
    evidence: EvidenceStore,
    caller: Callable[..., Awaitable[Credential]],
    max_bytes: int,
) -> APIRouter:
    """Upload (a unit's reporter) and download (that unit, or a reviewer)."""
    Caller = Annotated[Credential, Depends(caller)]
    routes = APIRouter(prefix="/evidence", tags=["evidence"])

    @routes.post(
        "", status_code=201, summary="Upload an evidence file (PDF, image, office document)"
    )
    async def upload(file: UploadFile, who: Caller) -> dict[str, Any]:
        if who.role != "reporter":
            raise HTTPException(403, "only a unit's reporter key uploads evidence")
        name = file.filename or ""
        head = await file.read(HEAD_BYTES)
        await file.seek(0)
        problems = check_upload(
            name, file.content_type or "", head, file.size or len(head), max_bytes
        )
        if problems:
            raise HTTPException(
                422,
                [{"loc": ["body", "file"], "msg": p, "type": p.split(":")[0]} for p in problems],
            )
        kind = sniff(head, name)
        assert kind is not None
        try:
            stored = await evidence.put(
                who.unit_code, name, kind.content_type, file, max_bytes=max_bytes
            )
        except EvidenceTooLarge as error:
            raise HTTPException(413, f"evidence files are at most {max_bytes} bytes") from error
        return {**asdict(stored), "reference": {"evidence_id": stored.evidence_id}}

    @routes.get("/{evidence_id}", summary="Download an evidence file")
    async def download(evidence_id: str, who: Caller) -> StreamingResponse:
        found = await evidence.info(evidence_id)
        if found is None or (who.role == "reporter" and found.unit_code != who.unit_code):
            raise HTTPException(404, f"no evidence {evidence_id!r} of yours")
        try:
            chunks = await evidence.open(evidence_id)
        except EvidenceNotFound as error:
            raise HTTPException(404, f"no evidence {evidence_id!r}") from error
        disposition = f"attachment; filename*=UTF-8''{quote(found.filename)}"
        return StreamingResponse(
            chunks,
            media_type=found.content_type,
            headers={
                "Content-Disposition": disposition,
                "Content-Length": str(found.size),
                "X-Content-SHA256": found.sha256,
            },
        )

    return routes
