"""What every service process does the same way: start-up, health, shutdown.

A service is a FastAPI app served by uvicorn. Its lifespan connects to RabbitMQ and
MongoDB with retry and backoff (in the background, so `/healthz` answers at once), declares
the topology, creates the service's indexes, then starts consuming. `/readyz` answers 200
only once all that is done and both servers still answer. On SIGTERM, uvicorn ends the
lifespan: the broker stops taking messages and waits for in-flight ones to finish; any
not acked go back to their queue.
"""

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

from fastapi import FastAPI, HTTPException, Request, Response
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi_offline import FastAPIOffline
from faststream.rabbit import RabbitBroker
from pymongo import AsyncMongoClient
from pymongo.asynchronous.database import AsyncDatabase
from pymongo.errors import ConnectionFailure

from shared.contracts.refusals import Kind, Refusal, problem_item
from shared.platform.http_bodies import document_bodies
from shared.platform.http_boundary import InputBoundary
from shared.platform.http_errors import document_errors
from shared.platform.limits import Limits
from shared.platform.messaging import EventPublisher, make_broker
from shared.platform.metrics import instrument
from shared.platform.mongo import make_client, ping
from shared.platform.settings import Settings
from shared.platform.topology import Topology, declare_topology
from shared.thai.validation import thai_reason

log = logging.getLogger("tidtam.service")

MAX_BACKOFF_S = 10.0
# How a refusal's kind reads over HTTP: the one place a use case's "no" becomes a status.
REFUSAL_STATUS: dict[Kind, int] = {
    "invalid": 422,
    "not_found": 404,
    "conflict": 409,
    "forbidden": 403,
}


@dataclass
class Runtime:
    """The connections of one service process, built once at start."""

    name: str
    settings: Settings
    topology: Topology
    broker: RabbitBroker
    mongo: AsyncMongoClient[dict[str, Any]]
    publisher: EventPublisher
    started: asyncio.Event = field(default_factory=asyncio.Event)

    @property
    def db(self) -> AsyncDatabase[dict[str, Any]]:
        return self.mongo[self.settings.database_of(self.name)]


def build_runtime(name: str, settings: Settings) -> Runtime:
    """Create (not connect) the broker, the Mongo client and the publisher."""
    topology = Topology(settings.namespace)
    broker = make_broker(settings, topology, name)
    return Runtime(
        name=name,
        settings=settings,
        topology=topology,
        broker=broker,
        mongo=make_client(settings.mongodb_url, appname=f"tidtam-{name}"),
        publisher=EventPublisher(broker, topology, name),
    )


async def _with_backoff(what: str, attempt: Callable[[], Awaitable[object]]) -> None:
    delay = 0.5
    while True:
        try:
            await attempt()
            return
        except Exception as error:
            log.warning("%s not reachable yet (%s); retrying in %.1fs", what, error, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, MAX_BACKOFF_S)


@runtime_checkable
class HasIndexes(Protocol):
    async def create_indexes(self) -> None: ...


async def start(
    runtime: Runtime,
    stores: Sequence[HasIndexes],
    before_consume: Callable[[Runtime], Awaitable[None]] | None = None,
) -> None:
    """Connect, declare, create the stores' indexes, run `before_consume`, then consume."""
    await _with_backoff("MongoDB", lambda: ping(runtime.mongo))
    await _with_backoff(
        "RabbitMQ", lambda: declare_topology(runtime.settings.amqp_url, runtime.topology)
    )
    for store in stores:
        await store.create_indexes()
    await _with_backoff("RabbitMQ broker", runtime.broker.connect)
    if before_consume is not None:
        await before_consume(runtime)
    await runtime.broker.start()
    runtime.started.set()
    log.info("ready", extra={"database": runtime.settings.database_of(runtime.name)})


def create_app(
    runtime: Runtime,
    *,
    stores: Sequence[HasIndexes],
    title: str,
    description: str = "",
    before_consume: Callable[[Runtime], Awaitable[None]] | None = None,
    background: Sequence[Callable[[], Awaitable[None]]] = (),
    asyncapi: Callable[[], dict[str, Any]] | None = None,
) -> FastAPI:
    """The service's HTTP app: health endpoints plus whatever routers the caller adds.

    `asyncapi` draws the document `/asyncapi.json` serves (the kit's, from the service's
    tables); without it, FastStream's own from the broker.

    `before_consume` runs once connected, before any message is taken (e.g. ask for the
    set-up changed after what the copy holds, before new changes arrive); `background` loops
    run from the start until shutdown.
    """

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        tasks: list[asyncio.Task[None]] = []

        async def start_then_loop() -> None:
            await start(runtime, stores, before_consume)
            tasks.extend(asyncio.create_task(_forever(loop)) for loop in background)

        starting = asyncio.create_task(start_then_loop())
        try:
            yield
        finally:
            for task in [starting, *tasks]:
                if not task.done():
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
            await runtime.broker.stop()
            await runtime.mongo.close()
            log.info("stopped")

    # /docs (Swagger UI) and /redoc from assets the service serves itself: offices and our
    # machines are often offline, and a CDN-loaded page is blank there.
    app = FastAPIOffline(title=title, description=description, lifespan=lifespan)
    document_bodies(app)
    document_errors(app)
    instrument(app)
    app.add_middleware(
        InputBoundary,
        limits=Limits.of(runtime.settings),
        upload_limit=runtime.settings.max_evidence_bytes,
    )

    @app.exception_handler(Refusal)
    async def refused(_: Request, refusal: Refusal) -> JSONResponse:
        detail = [p.item() for p in refusal.problems]
        return JSONResponse({"detail": detail}, status_code=REFUSAL_STATUS[refusal.kind])

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        # One 422 shape everywhere (a list of problems, as the OpenAPI says): a route that
        # refused with a sentence has it as the problem of the request as a whole.
        if error.status_code == 422 and isinstance(error.detail, str):
            problem = problem_item(["body"], "invalid", error.detail)
            error = HTTPException(422, [problem], headers=error.headers)
        elif isinstance(error.detail, list):  # FastAPI's item shape: completed to ours
            items = [_completed(item) for item in error.detail]
            error = HTTPException(error.status_code, items, headers=error.headers)
        return await http_exception_handler(request, error)

    @app.exception_handler(RequestValidationError)
    async def invalid_parameters(_: Request, error: RequestValidationError) -> JSONResponse:
        # FastAPI's own 422 in the one problem shape, without echoing the input back.
        detail = [
            problem_item(e["loc"], e["type"], e["msg"], thai_reason(e)) for e in error.errors()
        ]
        return JSONResponse({"detail": detail}, status_code=422)

    @app.exception_handler(ConnectionFailure)
    async def database_unavailable(_: Request, error: ConnectionFailure) -> JSONResponse:
        # A lost connection is the client's to retry, not a server bug.
        log.warning("database unavailable for a request: %s", error)
        return JSONResponse(
            {"detail": "the database is briefly unavailable; retry"},
            status_code=503,
            headers={"Retry-After": "1"},
        )

    @app.get(
        "/asyncapi.json",
        tags=["health"],
        summary="AsyncAPI: the messages this service consumes and publishes",
    )
    async def asyncapi_json() -> Response:
        if asyncapi is not None:
            return JSONResponse(asyncapi())
        from faststream.specification import AsyncAPI

        spec = AsyncAPI(runtime.broker, title=title, description=description).to_specification()
        return Response(spec.to_json(), media_type="application/json")

    @app.get("/healthz", tags=["health"], summary="The process is alive")
    async def healthz() -> dict[str, str]:
        return {"status": "alive", "service": runtime.name}

    @app.get(
        "/readyz",
        tags=["health"],
        summary="Broker and database reachable",
        responses={503: {"description": "Not ready: `checks` says which is not"}},
    )
    async def readyz(response: Response) -> dict[str, Any]:
        checks = {"started": runtime.started.is_set(), "broker": False, "database": False}
        if checks["started"]:
            checks["broker"] = await runtime.broker.ping(timeout=2.0)
            try:
                await asyncio.wait_for(ping(runtime.mongo), 2.0)
                checks["database"] = True
            except Exception:
                checks["database"] = False
        ready = all(checks.values())
        response.status_code = 200 if ready else 503
        return {
            "status": "ready" if ready else "not ready",
            "service": runtime.name,
            "checks": checks,
        }

    return app


def _completed(item: Any) -> Any:
    if isinstance(item, dict) and "field" not in item and {"loc", "msg", "type"} <= item.keys():
        return problem_item(item["loc"], item["type"], item["msg"], item.get("msg_th"))
    return item


async def _forever(loop: Callable[[], Awaitable[None]]) -> None:
    """Keep a background loop alive: log its failure, wait, run it again."""
    while True:
        try:
            await loop()
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("background loop failed; restarting it in 5 s")
        await asyncio.sleep(5)


def serve(app: FastAPI, service: str, settings: Settings) -> None:
    """Run the app under uvicorn until SIGTERM or SIGINT."""
    import uvicorn

    uvicorn.run(
        app,
        host=settings.http_host,
        port=settings.port_of(service),
        log_config=None,
        timeout_graceful_shutdown=35,
    )


def run_service(name: str, bootstrap: Callable[[Settings], FastAPI]) -> None:
    """What `python -m services.<name>` does: settings from the environment, logs, serve."""
    from shared.platform.logs import configure_logging

    settings = Settings()
    configure_logging(name, settings.log_level)
    serve(bootstrap(settings), name, settings)
