"""Builds reporting's adapters from settings and wires them to its entrypoints."""

import uuid

from fastapi import FastAPI

from services.reporting.adapters.artifacts import MongoArtifactStore
from services.reporting.adapters.copies import ReportCopies
from services.reporting.adapters.docx import render_docx
from services.reporting.adapters.html import render_round
from services.reporting.adapters.mongo import MongoReportStore
from services.reporting.adapters.pdf import render_pdf
from services.reporting.adapters.xlsx import render_csv, render_xlsx
from services.reporting.domain.document import Document
from services.reporting.entrypoints import amqp, http
from services.reporting.handlers.copies import ReportingPorts
from services.reporting.handlers.reports import Renderers, ReportPorts, run_worker
from shared.contracts import CopiesResendRequested, make_envelope
from shared.platform.credentials import MongoCredentialStore, authenticator, credentials_router
from shared.platform.replica import LatestCopies, SetupReplica, keep_setup_copy, request_setup
from shared.platform.service import Runtime, build_runtime, create_app
from shared.platform.settings import Settings

NAME = "reporting"


def detail_table_csv(document: Document) -> bytes:
    """CSV is offered for the rates report and the export: their detail (last) table."""
    return render_csv(document.tables()[-1])


RENDERERS: Renderers = {
    "pdf": render_pdf,
    "xlsx": render_xlsx,
    "docx": render_docx,
    "csv": detail_table_csv,
}


async def request_copies(runtime: Runtime, setup: SetupReplica) -> None:
    """Before consuming: ask for the set-up after the revision held, and for every other
    copy again (rates, project progress, evaluations, inspections), so an emptied database
    converges; copies keep the newest state, so repeats are harmless."""
    await request_setup(runtime, setup)
    request_id = uuid.uuid4().hex
    await runtime.publisher.publish(
        make_envelope(
            CopiesResendRequested(requested_by=NAME, request_id=request_id),
            producer=NAME,
            correlation_id=f"copies-{request_id}",
        )
    )


def bootstrap(settings: Settings) -> FastAPI:
    runtime = build_runtime(NAME, settings)
    reports = MongoReportStore(runtime.db)
    setup = SetupReplica(runtime.db)
    rates = LatestCopies(runtime.db, "rates")
    projects = LatestCopies(runtime.db, "project_progress")
    problems = LatestCopies(runtime.db, "problems")
    evaluations = LatestCopies(runtime.db, "evaluations")
    inspections = LatestCopies(runtime.db, "inspections")
    artifacts = MongoArtifactStore(runtime.db)
    credentials = MongoCredentialStore(runtime.db)
    report_ports = ReportPorts(
        artifacts=artifacts,
        copies=ReportCopies(setup, rates, projects, problems, evaluations, inspections),
        publish=runtime.publisher.publish,
        renderers=RENDERERS,
    )
    amqp.subscribe(
        runtime,
        ReportingPorts(
            reports=reports,
            render_round=render_round,
            rates=rates,
            projects=projects,
            problems=problems,
            evaluations=evaluations,
            inspections=inspections,
        ),
        report_ports,
    )
    keep_setup_copy(runtime, setup)
    app = create_app(
        runtime,
        stores=[
            reports,
            setup,
            rates,
            projects,
            problems,
            evaluations,
            inspections,
            artifacts,
            credentials,
        ],
        before_consume=lambda rt: request_copies(rt, setup),
        background=[lambda: run_worker(report_ports)],
        title="Tidtam reporting",
        description="Renders the officer's reports (PDF, XLSX, DOCX) and the e-MES / eMENSCR "
        "exports (XLSX, CSV) in the background, from reporting's own copies.",
    )
    app.include_router(credentials_router(credentials, settings.admin_token, http.ROLES))
    app.include_router(http.router(reports, report_ports, authenticator(credentials)))
    return app
