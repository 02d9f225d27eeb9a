"""HTTP entrypoint: units submit and correct; reviewers review; keys are issued."""

import hashlib
import json
import uuid
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, HTTPException, Query, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError

from services.intake.adapters.bulk_template import bulk_template
from services.intake.credentials import ROLES
from services.intake.domain.submission import reasons_from_validation, submission_id
from services.intake.handlers.bulk import XLSX, BulkReport, bulk_sheet_of, receive_bulk
from services.intake.handlers.ports import IntakePorts
from services.intake.handlers.review import review_submission
from services.intake.handlers.submissions import receive_submission
from shared.contracts.intake import (
    ROUND_ID,
    UNIT_CODE,
    ReviewAction,
    SubmissionAccepted,
    SubmissionRejected,
)
from shared.contracts.refusals import Refusal, problem_item
from shared.contracts.setup import CODE
from shared.platform.credentials import (
    Credential,
    CredentialStore,
    authenticator,
    credentials_router,
)
from shared.platform.limits import INT64_MAX, NumberPath
from shared.platform.tables import MAX_BYTES, TableError, read_table

STATUS = {"accepted": 201, "repeat": 200, "rejected": 422, "conflict": 409}


class SubmissionIn(BaseModel):
    """A progress report as a unit sends it; the unit is the credential's, never the body's."""

    model_config = ConfigDict(extra="forbid")

    submission_key: str | None = Field(
        None,
        min_length=1,
        max_length=128,
        description="Your key for this report; the same key twice is stored once. "
        "Default: derived from the content, so an accidental double send is one report.",
    )
    unit_code: str | None = Field(None, description="Optional; must be your own unit.")
    round_id: str = Field(examples=["2570-Q1"])
    form_id: str = Field(examples=["action-plan-progress"])
    form_version: int = Field(ge=1, le=INT64_MAX, examples=[1])
    submitter: str | None = Field(None, max_length=200, examples=["ครูสมศรี ใจดี"])
    values: dict[str, Any]


class Accepted(SubmissionAccepted):
    """The answer to an accepted submission (or to its repeat), as submission.accepted.v1
    says it over AMQP."""

    outcome: Literal["accepted", "repeat"]


class Rejection(SubmissionRejected):
    """The answer to a rejected submission, as submission.rejected.v1 says it over AMQP;
    `detail` lists the same problems as every refusal over HTTP does."""

    outcome: Literal["rejected", "conflict"]
    detail: list[dict[str, Any]] = Field(
        description="The reasons as `ErrorItem`s: `loc`, `msg`, `type`, `field`, `code`, `message`."
    )


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: ReviewAction
    comment: str | None = Field(None, max_length=2000)


def http_router(
    ports: IntakePorts, credentials: CredentialStore, admin_token: SecretStr | None
) -> APIRouter:
    routes = APIRouter()
    Caller = Annotated[Credential, Depends(authenticator(credentials))]

    @routes.post(
        "/submissions",
        tags=["submissions"],
        summary="Submit (or correct) a progress report",
        responses={
            201: {"description": "accepted", "model": Accepted},
            200: {"description": "a repeat: the first answer again", "model": Accepted},
            409: {"description": "key reused with other content", "model": Rejection},
            422: {
                "description": "rejected, with reasons per field (or refused at the input "
                "boundary, `detail` only)",
                "content": {
                    "application/json": {
                        "schema": {
                            "anyOf": [
                                {"$ref": "#/components/schemas/Rejection"},
                                {"$ref": "#/components/schemas/HTTPValidationError"},
                            ]
                        }
                    }
                },
            },
        },
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": SubmissionIn.model_json_schema()}},
            }
        },
    )
    async def submit(request: Request, caller: Caller) -> JSONResponse:
        if caller.role != "reporter":
            raise HTTPException(403, "only a unit's reporter key submits")
        body = _parse(await request.body())
        try:
            sent = SubmissionIn.model_validate(body)
        except ValidationError as error:
            return _invalid(error)
        if sent.unit_code is not None and sent.unit_code != caller.unit_code:
            raise HTTPException(
                403, f"this key reports for {caller.unit_code}, not {sent.unit_code}"
            )
        candidate = {
            **sent.model_dump(exclude={"submission_key", "submitter"}),
            "unit_code": caller.unit_code,
            "submission_key": sent.submission_key or _content_key(sent),
            "submitter": sent.submitter or caller.label,
            "submitted_at": ports.clock().isoformat(),
        }
        answer = await receive_submission(
            candidate,
            channel="http",
            correlation_id=f"http-{uuid.uuid4().hex[:12]}",
            cause=uuid.uuid4().hex,
            ports=ports,
        )
        data = answer.envelope.data.model_dump(mode="json")
        body = {"outcome": answer.outcome, **data}
        if "reasons" in data:  # a refusal lists its problems under `detail`, as every one does
            body["detail"] = [_problem(r) for r in data["reasons"]]
        return JSONResponse(body, status_code=STATUS[answer.outcome])

    @routes.get("/submissions/{submission_id}", tags=["submissions"], summary="Status and history")
    async def read(submission_id: str, caller: Caller) -> dict[str, Any]:
        found = await ports.store.history(submission_id)
        if found is None or (caller.role == "reporter" and found["unit_code"] != caller.unit_code):
            raise HTTPException(404, f"no submission {submission_id!r} of yours")
        return _public(found)

    @routes.get(
        "/submissions",
        tags=["submissions"],
        summary="A unit's submissions of a form, by round",
        description="Each round's submission with every version and review; rounds with "
        "none are left out. A reporter reads only its own unit.",
    )
    async def of_unit(
        caller: Caller,
        form_id: Annotated[str, Query(pattern=CODE)],
        round_id: Annotated[list[Annotated[str, Field(pattern=ROUND_ID)]], Query(max_length=50)],
        unit_code: Annotated[str | None, Query(pattern=UNIT_CODE)] = None,
    ) -> list[dict[str, Any]]:
        unit = unit_code or caller.unit_code
        if caller.role == "reporter" and unit != caller.unit_code:
            raise HTTPException(403, f"this key reads {caller.unit_code} only")
        found = [await ports.store.history(submission_id(unit, r, form_id)) for r in round_id]
        return [_public(history) for history in found if history is not None]

    @routes.post(
        "/submissions/{submission_id}/review", tags=["review"], summary="Approve, return or reopen"
    )
    async def review(submission_id: str, body: ReviewIn, caller: Caller) -> dict[str, Any]:
        if caller.role != "reviewer":
            raise HTTPException(403, "only a reviewer's key reviews")
        updated = await review_submission(
            submission_id, body.action, caller.label, body.comment, ports, f"review-{submission_id}"
        )
        return _public(updated)

    routes.include_router(credentials_router(credentials, admin_token, ROLES))

    return routes


def _parse(raw: bytes) -> Any:
    """JSON from bytes, answering 422 for invalid UTF-8, bad JSON or absurd nesting."""
    try:
        return json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as error:
        raise HTTPException(422, f"the body is not valid UTF-8 (byte {error.start})") from error
    except json.JSONDecodeError as error:
        raise HTTPException(
            422, f"malformed JSON: {error.msg} at line {error.lineno} column {error.colno}"
        ) from error
    except RecursionError as error:
        raise HTTPException(422, "the JSON is nested too deeply") from error


def _invalid(error: ValidationError) -> JSONResponse:
    """The body is not a submission: its reasons as an AMQP rejection states them."""
    reasons = [r.model_dump() for r in reasons_from_validation(error)]
    detail = [_problem(r) for r in reasons]
    return JSONResponse(
        {"outcome": "rejected", "reasons": reasons, "detail": detail}, status_code=422
    )


def _problem(reason: dict[str, Any]) -> dict[str, Any]:
    """A rejection's reason as an item of `detail` (the same field, code and message)."""
    field = reason["field"]
    loc = ["body", *(field.split(".") if field != "(body)" else [])]
    return problem_item(loc, reason["code"], reason["message"])


def _content_key(sent: SubmissionIn) -> str:
    content = json.dumps(sent.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return f"http-{hashlib.sha256(content.encode()).hexdigest()[:32]}"


# What a version document holds for intake's own use, not for its reader.
PRIVATE = ("_id", "submission_id", "key_id", "answer", "fingerprint", "outbox", "outbox_at")


def _public(document: dict[str, Any]) -> dict[str, Any]:
    """A submission as its unit or a reviewer sees it: every version, every review."""
    versions = [
        {k: v for k, v in version.items() if k not in PRIVATE} for version in document["versions"]
    ]
    status: Literal["submitted", "approved", "returned", "reopened"] = document["status"]
    return {
        "submission_id": document["_id"],
        "unit_code": document["unit_code"],
        "round_id": document["round_id"],
        "form_id": document["form_id"],
        "status": status,
        "latest_version": document["version_count"],
        "versions": versions,
        "reviews": document["reviews"],
    }


def bulk_router(ports: IntakePorts, credentials: CredentialStore) -> APIRouter:
    """A reviewer uploads many units' reports for one round at once."""
    routes = APIRouter(tags=["bulk"])
    Caller = Annotated[Credential, Depends(authenticator(credentials))]

    @routes.post(
        "/rounds/{round_id}/forms/{form_id}/versions/{form_version}/bulk",
        summary="Submit a sheet (XLSX or CSV) of many units' reports for one round",
        description="One row per unit: `unit_code`, optional `submission_key`, then the "
        "form's fields by key (project fields as `P01:budget_spent`, indicator fields as "
        "`P01-I1:actual`). Every problem is listed by row and column; with problems, or with "
        "`dry_run=true` (the default), nothing is stored.",
    )
    async def bulk(
        round_id: str,
        form_id: str,
        form_version: NumberPath,
        file: UploadFile,
        caller: Caller,
        dry_run: Annotated[bool, Query()] = True,
    ) -> BulkReport:
        if caller.role not in ("reviewer", "officer"):
            raise HTTPException(403, "only a reviewer or an officer submits for many units")
        content = await file.read(MAX_BYTES + 1)
        if len(content) > MAX_BYTES:
            raise HTTPException(413, f"a sheet of at most {MAX_BYTES // (1024 * 1024)} MB")
        try:
            table = read_table(file.filename or "", content)
            return await receive_bulk(
                round_id,
                form_id,
                form_version,
                table,
                dry_run=dry_run,
                submitter=caller.label,
                ports=ports,
            )
        except TableError as error:
            raise Refusal.of("file", "unreadable_table", error.message) from error

    @routes.get(
        "/rounds/{round_id}/forms/{form_id}/versions/{form_version}/bulk/template",
        summary="The bulk sheet to fill in: one row per unit assigned the form in the round",
        response_class=Response,
        responses={200: {"content": {XLSX: {}}}},
    )
    async def template(
        round_id: str, form_id: str, form_version: NumberPath, caller: Caller
    ) -> Response:
        if caller.role == "reporter":
            raise HTTPException(403, "the bulk sheet is for many units: a reviewer's or officer's")
        content = bulk_template(*await bulk_sheet_of(round_id, form_id, form_version, ports))
        name = quote(f"รายงาน-{round_id}-{form_id}.xlsx")
        disposition = f"attachment; filename*=UTF-8''{name}"
        return Response(content, media_type=XLSX, headers={"Content-Disposition": disposition})

    return routes
