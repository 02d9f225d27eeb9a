"""Reporting assembled: `assemble(runtime, ports)` wires the ports to the kit; `bootstrap`
builds the real adapters from settings and assembles them."""

from fastapi import FastAPI

from services.reporting.adapters.artifacts import MongoArtifactStore
from services.reporting.adapters.copies import ReportCopies
from services.reporting.adapters.docx import render_docx
from services.reporting.adapters.html import render_round
from services.reporting.adapters.mongo import MongoReportStore
from services.reporting.adapters.pdf import render_pdf
from services.reporting.adapters.xlsx import render_csv, render_xlsx
from services.reporting.domain.document import Document
from services.reporting.entrypoints import http
from services.reporting.entrypoints.amqp import CONSUMES, PUBLISHES
from services.reporting.handlers.copies import request_copies
from services.reporting.handlers.ports import NAME, Renderers, ReportingPorts
from services.reporting.handlers.reports import run_worker
from shared.platform.audit import MongoAuditTrail
from shared.platform.credentials import authenticator, credentials_router, people_and_keys
from shared.platform.kit import Service, assemble_service, relay_job
from shared.platform.replica import LatestCopies, SetupReplica
from shared.platform.service import Runtime, build_runtime
from shared.platform.settings import Settings


def detail_table_csv(document: Document) -> bytes:
    """CSV is offered for the rates report and the export: their detail (last) table."""
    return render_csv(document.tables()[-1])


RENDERERS: Renderers = {
    "pdf": render_pdf,
    "xlsx": render_xlsx,
    "docx": render_docx,
    "csv": detail_table_csv,
}


def assemble(runtime: Runtime, ports: ReportingPorts) -> FastAPI:
    """Reporting's app from its ports: the two tables, the routes, the copies asked for at
    start, the outbox relay and the rendering worker."""
    assert ports.credentials is not None, "reporting's routes need the officers' keys"
    return assemble_service(
        runtime,
        Service(
            name=NAME,
            title="Tidtam reporting",
            description="Renders the officer's reports (PDF, XLSX, DOCX) and the e-MES / "
            "eMENSCR exports (XLSX, CSV) in the background, from reporting's own copies.",
            consumes=CONSUMES,
            publishes=PUBLISHES,
            ports=ports,
            audit=ports.audit,
            stores=[
                ports.reports,
                ports.setup,
                ports.rates,
                ports.projects,
                ports.problems,
                ports.evaluations,
                ports.inspections,
                ports.artifacts,
                ports.credentials,
            ],
            routers=[
                credentials_router(ports.credentials, runtime.settings.admin_token, http.ROLES),
                http.router(ports, authenticator(ports.credentials)),
            ],
            jobs=[relay_job(ports.publish, [ports.artifacts.outbox])],
            before_consume=lambda: request_copies(ports),
            loops=[lambda: run_worker(ports)],
        ),
    )


def bootstrap(settings: Settings) -> FastAPI:
    """The real adapters (MongoDB, RabbitMQ, the renderers) assembled."""
    runtime = build_runtime(NAME, settings)
    db = runtime.db
    setup = SetupReplica(db)
    rates = LatestCopies(db, "rates")
    projects = LatestCopies(db, "project_progress")
    problems = LatestCopies(db, "problems")
    evaluations = LatestCopies(db, "evaluations")
    inspections = LatestCopies(db, "inspections")
    return assemble(
        runtime,
        ReportingPorts(
            reports=MongoReportStore(db),
            render_round=render_round,
            setup=setup,
            rates=rates,
            projects=projects,
            problems=problems,
            evaluations=evaluations,
            inspections=inspections,
            copies=ReportCopies(setup, rates, projects, problems, evaluations, inspections),
            artifacts=MongoArtifactStore(db),
            publish=runtime.publisher.publish,
            renderers=RENDERERS,
            credentials=people_and_keys(db, settings, NAME),
            audit=MongoAuditTrail(db),
        ),
    )
