"""The console assembled: `assemble(runtime, ports)` wires the ports to the kit; `bootstrap`
builds the real adapters from settings and assembles them."""

import logging
from pathlib import Path

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from services.console.adapters.drafts import MongoDrafts
from services.console.adapters.live import Broadcast
from services.console.adapters.mongo import MongoAccounts
from services.console.adapters.operations import BrokerOperations, watched_services
from services.console.adapters.passwords import Argon2Passwords
from services.console.adapters.services import ServiceClient
from services.console.entrypoints.amqp import CONSUMES, PUBLISHES
from services.console.entrypoints.http_auth import auth_router
from services.console.entrypoints.http_bulk import bulk_router
from services.console.entrypoints.http_evaluation import evaluation_router
from services.console.entrypoints.http_follow_up import follow_up_router
from services.console.entrypoints.http_forms import forms_router
from services.console.entrypoints.http_operator import operator_router
from services.console.entrypoints.http_pages import pages_router
from services.console.entrypoints.http_plans import plans_router
from services.console.entrypoints.http_reporter import reporter_router
from services.console.entrypoints.http_reports import reports_router
from services.console.entrypoints.http_review import review_router
from services.console.entrypoints.http_rounds import rounds_router
from services.console.entrypoints.http_setup import setup_router
from services.console.entrypoints.http_users import users_router
from services.console.entrypoints.web import (
    BadCsrf,
    NotAllowed,
    SignInNeeded,
    render,
    speech_of,
    to_signin,
)
from services.console.handlers.operations import Operations
from services.console.handlers.ports import ConsolePorts
from services.console.handlers.reporting import NotYours
from shared.platform.identity import IdentitySigner, signing_key
from shared.platform.kit import Service, assemble_service
from shared.platform.replica import SetupReplica, request_setup
from shared.platform.service import Runtime, build_runtime
from shared.platform.settings import Settings

NAME = "console"
log = logging.getLogger("tidtam.console")
STATIC = Path(__file__).resolve().parent / "static"


def assemble(
    runtime: Runtime, ports: ConsolePorts, operations: Operations | None = None
) -> FastAPI:
    """The console's app from its ports: pages, static assets, the two tables (and the
    operator's page when `operations` reaches the broker and the services)."""
    app = assemble_service(
        runtime,
        Service(
            name=NAME,
            title="Tidtam console",
            description="The office's web app (Thai): the round at a glance, chasing, set-up, "
            "reports and staff. Pages only; every figure comes from the other services' APIs.",
            consumes=CONSUMES,
            publishes=PUBLISHES,
            ports=ports,
            stores=[ports.accounts, ports.setup, *([ports.drafts] if ports.drafts else [])],
            routers=[
                auth_router(ports),
                pages_router(ports),
                setup_router(ports),
                rounds_router(ports),
                plans_router(ports),
                forms_router(ports),
                reports_router(ports),
                users_router(ports),
                review_router(ports),
                evaluation_router(ports),
                follow_up_router(ports),
                *([operator_router(ports, operations)] if operations else []),
                reporter_router(ports),
                bulk_router(ports),
            ],
            before_consume=lambda: request_setup(NAME, ports.setup, ports.publish),
        ),
    )
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.exception_handler(SignInNeeded)
    async def sign_in_first(request: Request, _: SignInNeeded) -> Response:
        return to_signin(request)

    @app.exception_handler(NotAllowed)
    async def not_allowed(request: Request, _: NotAllowed) -> HTMLResponse:
        return _refusal_page(request, 403, "forbidden")

    @app.exception_handler(httpx.HTTPError)
    async def service_unavailable(request: Request, error: httpx.HTTPError) -> HTMLResponse:
        # A service that does not answer in time, or answers 5xx: say so, never a bare 500.
        log.warning("a service did not answer the console: %r", error)
        return _refusal_page(request, 503, "unavailable")

    @app.exception_handler(NotYours)
    async def not_yours(request: Request, _: NotYours) -> HTMLResponse:
        return _refusal_page(request, 404, "not_found")

    @app.exception_handler(BadCsrf)
    async def bad_csrf(request: Request, _: BadCsrf) -> HTMLResponse:
        return _refusal_page(request, 403, "csrf")

    return app


def _refusal_page(request: Request, status: int, key: str) -> HTMLResponse:
    speech = speech_of(request)
    return render(request, "error.html", None, status, title=str(status), message=speech.t(key))


def key_file(settings: Settings) -> Path:
    return settings.identity_private_key_file or Path(".local/identity/console.key")


def bootstrap(settings: Settings) -> FastAPI:
    """The real adapters (MongoDB, RabbitMQ, the other services' HTTP APIs) assembled."""
    runtime = build_runtime(NAME, settings)
    signer = IdentitySigner(signing_key(key_file(settings)))
    return assemble(
        runtime,
        ConsolePorts(
            accounts=MongoAccounts(runtime.db),
            passwords=Argon2Passwords(),
            setup=SetupReplica(runtime.db),
            publish=runtime.publisher.publish,
            live=Broadcast(),
            monitoring=ServiceClient("monitoring", settings.monitoring_url, signer),
            intake=ServiceClient("intake", settings.intake_url, signer),
            evaluation=ServiceClient("evaluation", settings.evaluation_url, signer),
            reporting=ServiceClient("reporting", settings.reporting_url, signer),
            drafts=MongoDrafts(runtime.db),
        ),
        BrokerOperations(settings, watched_services(settings), settings.local_dir / "purged"),
    )
