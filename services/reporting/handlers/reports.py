"""Requesting and rendering reports, asynchronously.

A request (HTTP, or `report.requested.v1` from another system) is checked against
reporting's copies and stored as queued; it is idempotent on its request id. A worker loop
claims queued requests one at a time, builds the report from a snapshot of the copies,
renders it in a thread (so the consumers and the HTTP API keep answering meanwhile), stores
the artifact with its size, checksum and content type, and announces `report.rendered.v1`
— or `report.failed.v1` with the reason. A request is never lost: a render that raises ends
as failed; a worker that dies leaves a lease that runs out, and another worker takes it.
"""

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pymongo.errors import PyMongoError

from services.reporting.domain import reports
from services.reporting.domain.document import Document
from services.reporting.domain.report_data import ReportData
from services.reporting.handlers.ports import NAME, ReportingPorts
from shared.contracts import Envelope, derived_event_id, make_envelope
from shared.contracts.refusals import Problem, Refusal
from shared.contracts.reporting import (
    ReportFailed,
    ReportFormat,
    ReportRendered,
    ReportRequested,
    ReportType,
)
from shared.contracts.setup import CODE
from shared.platform.outbox import announce
from shared.thai.calendar import BANGKOK

RENDER_LEASE = timedelta(minutes=5)
MAX_RENDER_ATTEMPTS = 3  # a render that kills its worker every time ends as failed
log = logging.getLogger(__name__)

CONTENT_TYPES: Mapping[str, str] = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv; charset=utf-8",
}
# Which parameter each report type needs; CSV only where one table says it all (the
# rates report's per-unit table, the export's only table).
NEEDS: Mapping[str, tuple[str, ...]] = {
    "annual": ("fiscal_year",),
    "round": ("round_id",),
    "rates": ("round_id",),
    "evaluation": ("evaluation_id",),
    "inspection": ("inspection_id",),
    "quarter_export": ("fiscal_year", "quarter"),
}
CSV_TYPES = ("rates", "quarter_export")


class ReportRequestIn(BaseModel):
    """A report to render; the same `request_id` twice gives the same artifact."""

    model_config = ConfigDict(extra="forbid")

    request_id: str | None = Field(
        None, pattern=CODE, description="Your key for this request; default: a new one."
    )
    report_type: ReportType
    format: ReportFormat
    fiscal_year: int | None = Field(None, ge=2500, le=2800)
    round_id: str | None = None
    evaluation_id: str | None = None
    inspection_id: str | None = None
    quarter: int | None = Field(None, ge=1, le=4)
    thai_digits: bool = False


def today() -> date:
    return datetime.now(UTC).astimezone(BANGKOK).date()


def _problem(field: str, message: str) -> Problem:
    # Every problem reads as `invalid` in the answer's body, whatever its kind.
    return Problem(field=field, code="invalid", message=message)


async def check(ports: ReportingPorts, request: ReportRequested) -> Refusal | None:
    """What is wrong with a request: a missing parameter or a format the type lacks
    (invalid), or something the copies lack (not found); None if nothing."""
    problems = [
        _problem(name, f"a {request.report_type} report needs {name}")
        for name in NEEDS[request.report_type]
        if getattr(request, name) is None
    ]
    if request.format == "csv" and request.report_type not in CSV_TYPES:
        message = f"CSV is for one-table reports ({', '.join(CSV_TYPES)}); use xlsx"
        problems.append(_problem("format", message))
    if problems:
        return Refusal(problems, "invalid")
    needs = NEEDS[request.report_type]
    if "round_id" in needs and not await ports.copies.has_round(str(request.round_id)):
        problems.append(_problem("round_id", f"no round {request.round_id}"))
    if "fiscal_year" in needs and not await ports.copies.has_fiscal_year(
        int(str(request.fiscal_year))
    ):
        problems.append(_problem("fiscal_year", f"no rounds in fiscal year {request.fiscal_year}"))
    if request.report_type == "evaluation" and not await ports.copies.has_final_evaluation(
        str(request.evaluation_id)
    ):
        message = f"no finalised evaluation {request.evaluation_id}"
        problems.append(_problem("evaluation_id", message))
    if request.report_type == "inspection" and not await ports.copies.has_inspection(
        str(request.inspection_id)
    ):
        problems.append(_problem("inspection_id", f"no inspection {request.inspection_id}"))
    return Refusal(problems, "not_found") if problems else None


def reasons(refusal: Refusal) -> str:
    """A refusal as the reason of `report.failed.v1`."""
    return "; ".join(f"{p.field}: {p.message}" for p in refusal.problems)


def _queued(request: ReportRequested) -> dict[str, Any]:
    return {
        "_id": request.request_id,
        "request": request.model_dump(mode="json"),
        "status": "queued",
        "queued_at": datetime.now(UTC),
        "attempts": 0,
    }


async def request_over_http(
    ports: ReportingPorts, body: ReportRequestIn, request_id: str, by: str
) -> tuple[dict[str, Any], bool]:
    """Queue a request checked now (refused: invalid, or not found); a known id gives what
    is held, or is refused as a conflict if it was asked with other parameters."""
    held = await ports.artifacts.get(request_id)
    if held is not None:
        asked = body.model_dump(exclude={"request_id"})
        kept = {name: held["request"].get(name) for name in asked}
        if kept != ReportRequestIn.model_validate(asked).model_dump(exclude={"request_id"}):
            message = f"request id {request_id} was used for another report"
            raise Refusal([_problem("request_id", message)], "conflict")
        return held, False
    request = ReportRequested(
        **body.model_dump(exclude={"request_id"}),
        request_id=request_id,
        requested_by=by,
        requested_at=datetime.now(UTC),
    )
    if refusal := await check(ports, request):
        raise refusal
    stored, created = await ports.artifacts.add(_queued(request))
    ports.wake.set()
    return stored, created


async def request_over_amqp(request: ReportRequested, ports: ReportingPorts) -> None:
    """Queue a request from another system; a bad one is kept as failed, and answered."""
    if await ports.artifacts.get(request.request_id) is not None:
        return  # a repeat: the first answer stands
    refusal = await check(ports, request)
    stored, created = await ports.artifacts.add(_queued(request))
    if created and refusal is not None:
        await _fail(ports, stored, reasons(refusal))
    ports.wake.set()


def build(data: ReportData, request: ReportRequested) -> Document:
    """The report's document from the snapshot (pure)."""
    digits = request.thai_digits
    if request.report_type == "annual":
        return reports.annual_report(data, int(str(request.fiscal_year)), thai_digits=digits)
    if request.report_type == "round":
        return reports.round_report(data, str(request.round_id), thai_digits=digits)
    if request.report_type == "rates":
        return reports.rates_report(data, str(request.round_id), thai_digits=digits)
    if request.report_type == "evaluation":
        return reports.evaluation_report(data, str(request.evaluation_id), thai_digits=digits)
    if request.report_type == "inspection":
        return reports.inspection_report(data, str(request.inspection_id), thai_digits=digits)
    return reports.quarter_export(
        data, int(str(request.fiscal_year)), int(str(request.quarter)), thai_digits=digits
    )


async def _finish(
    ports: ReportingPorts, request_id: str, fields: Mapping[str, Any], event: Envelope[Any]
) -> None:
    """Store the outcome with its event, then announce it (the relay retries a failure)."""
    await ports.artifacts.finish(request_id, fields, event)
    await announce(ports.publish, ports.artifacts.outbox, request_id, event)


async def _fail(ports: ReportingPorts, held: Mapping[str, Any], reason: str) -> None:
    request = ReportRequested.model_validate(held["request"])
    event = ReportFailed(
        request_id=request.request_id,
        report_type=request.report_type,
        format=request.format,
        reason=reason[:2000],
        failed_at=datetime.now(UTC),
    )
    envelope = make_envelope(
        event,
        producer=NAME,
        correlation_id=f"report-{request.request_id}",
        event_id=derived_event_id("report-failed", request.request_id),
    )
    fields = {"status": "failed", "reason": event.reason, "finished_at": event.failed_at}
    await _finish(ports, request.request_id, fields, envelope)


async def render_one(ports: ReportingPorts) -> bool:
    """Claim and render one request; False when none is waiting."""
    held = await ports.artifacts.claim(datetime.now(UTC), RENDER_LEASE)
    if held is None:
        return False
    request = ReportRequested.model_validate(held["request"])
    if held.get("attempts", 1) > MAX_RENDER_ATTEMPTS:
        reason = f"gave up after {MAX_RENDER_ATTEMPTS} attempts: the worker stopped each time"
        await _fail(ports, held, reason)
        return True
    try:
        data = await ports.copies.snapshot(today())
        render = ports.renderers[request.format]
        document, content = await asyncio.to_thread(_build_and_render, data, request, render)
        name = f"{document.file_stem}.{request.format}"
        stored = await ports.artifacts.put_artifact(
            request.request_id, content, name, CONTENT_TYPES[request.format]
        )
    except PyMongoError:
        # The database, not the report: queue it again for the next pass (if the database
        # is away, the lease runs out and the request is taken again all the same).
        log.exception("rendering %s waits for the database", request.request_id)
        await ports.artifacts.requeue(request.request_id)
        raise
    except Exception as error:  # any failure of a render ends as report.failed, never lost
        log.exception("rendering %s failed", request.request_id)
        await _fail(ports, held, f"{type(error).__name__}: {error}")
        return True
    event = ReportRendered(
        request_id=request.request_id,
        report_type=request.report_type,
        format=request.format,
        file_name=stored["file_name"],
        content_type=stored["content_type"],
        size=stored["size"],
        sha256=stored["sha256"],
        rendered_at=datetime.now(UTC),
    )
    envelope = make_envelope(
        event,
        producer=NAME,
        correlation_id=f"report-{request.request_id}",
        event_id=derived_event_id("report-rendered", request.request_id),
    )
    fields = {**stored, "status": "rendered", "finished_at": event.rendered_at}
    await _finish(ports, request.request_id, fields, envelope)
    return True


def _build_and_render(
    data: ReportData, request: ReportRequested, render: Callable[[Document], bytes]
) -> tuple[Document, bytes]:
    document = build(data, request)
    return document, render(document)


async def run_worker(ports: ReportingPorts, idle_seconds: float = 2.0) -> None:
    """Forever: render what is queued, one at a time; sleep until woken or `idle_seconds`.

    A background loop of the service (declared in `bootstrap.assemble`); outcomes a failure
    left unannounced are the outbox relay's."""
    while True:
        try:
            while await render_one(ports):
                pass
        except Exception:
            log.exception("report worker pass failed; trying again")
        ports.wake.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(ports.wake.wait(), idle_seconds)


def public(held: Mapping[str, Any]) -> dict[str, Any]:
    """A request's status as the API shows it."""
    request = held["request"]
    shown = {
        "request_id": held["_id"],
        "status": held["status"],
        "request": request,
        "queued_at": held.get("queued_at"),
        "finished_at": held.get("finished_at"),
    }
    for name in ("file_name", "content_type", "size", "sha256", "reason"):
        if name in held:
            shown[name] = held[name]
    if held["status"] == "rendered":
        shown["download"] = f"/reports/{held['_id']}/download"
    return shown
