"""HTTP entrypoint: the set-up's entities, one uniform set of routes per kind."""

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request, status
from pydantic import TypeAdapter, ValidationError

from services.monitoring.handlers import setup as handlers
from services.monitoring.handlers.ports import MonitoringPorts
from shared.contracts.refusals import Problem, Refusal
from shared.contracts.setup import (
    Indicator,
    Plan,
    Project,
    Round,
    SetupChanged,
    SetupModel,
    Strategy,
    Unit,
)
from shared.platform.http_bodies import body_of, strictly
from shared.platform.limits import FiscalYearPath, SkipQuery

Limit = Annotated[int, Query(ge=1, le=5000)]
Skip = SkipQuery


def entity_routes(
    ports: MonitoringPorts,
    model: type[SetupModel],
    path: str,
    key_name: str,
    filters: tuple[str, ...] = (),
    tag: str = "set-up",
) -> APIRouter:
    """List, read, create and replace one kind of set-up entity."""
    kind = model.model_fields["entity"].default
    routes = APIRouter(prefix=path, tags=[tag])

    async def list_entities(request: Request, skip: Skip = 0, limit: Limit = 500) -> list[Any]:
        where = _filters(model, filters, request)
        return await ports.setup.search(kind, where, skip, limit)

    async def read(key: str) -> Any:
        entity = await ports.setup.get(kind, key)
        if entity is None:
            raise HTTPException(404, f"no {kind} {key!r}")
        return entity

    async def create(request: Request) -> SetupChanged:
        entity = await strictly(request, model)
        return await handlers.save_entity(entity, ports, creating=True)

    async def replace(key: str, request: Request) -> SetupChanged:
        entity = await strictly(request, model)
        if getattr(entity, "key", None) != key:
            raise Refusal.of(
                key_name,
                "key_mismatch",
                f"the body's {key_name} must be {key!r}, as in the path",
                message_th=f"รหัสในข้อมูลต้องเป็น {key} ตามที่อยู่ที่เรียก",
            )
        return await handlers.save_entity(entity, ports, creating=False)

    filter_doc = f" Filters: {', '.join(filters)}." if filters else ""
    routes.add_api_route(
        "",
        list_entities,
        methods=["GET"],
        response_model=list[model],  # type: ignore[valid-type]
        summary=f"List {kind} entities",
        description=f"Sorted by key.{filter_doc}",
        openapi_extra={"parameters": [_filter_parameter(model, name) for name in filters]},
    )
    routes.add_api_route(
        "/{key}", read, methods=["GET"], response_model=model, summary=f"Read a {kind}"
    )
    routes.add_api_route(
        "",
        create,
        methods=["POST"],
        status_code=status.HTTP_201_CREATED,
        summary=f"Create a {kind}",
        openapi_extra=body_of(model),
    )
    routes.add_api_route(
        "/{key}",
        replace,
        methods=["PUT"],
        summary=f"Replace a {kind}",
        openapi_extra=body_of(model),
    )
    return routes


def _filter_parameter(model: type[SetupModel], name: str) -> dict[str, Any]:
    """A filter in the OpenAPI: the entity's field, with its type and bounds."""
    schema = TypeAdapter(_field_type(model, name)).json_schema()
    return {"name": name, "in": "query", "required": False, "schema": schema}


def _filters(model: type[SetupModel], filters: tuple[str, ...], request: Request) -> dict[str, Any]:
    """The filters given, each validated as the entity's field is (a fiscal year is a
    number in 2500–2800, a code matches its pattern): a bad one is a 422 at its name."""
    where: dict[str, Any] = {}
    problems: list[Problem] = []
    for name in filters:
        if name not in request.query_params:
            continue
        try:
            where[name] = TypeAdapter(_field_type(model, name)).validate_strings(
                request.query_params[name]
            )
        except ValidationError as error:
            problems += [
                Problem(field=name, code=e["type"], message=e["msg"], location="query")
                for e in error.errors(include_url=False)
            ]
    if problems:
        raise Refusal(problems)
    return where


def _field_type(model: type[SetupModel], name: str) -> Any:
    """The field's type with its bounds and pattern."""
    field = model.model_fields[name]
    return Annotated[field.annotation, *field.metadata] if field.metadata else field.annotation


def setup_router(ports: MonitoringPorts) -> APIRouter:
    """Units, rounds, strategies, plans, projects and indicators."""
    router = APIRouter()
    specs: tuple[tuple[type[SetupModel], str, str, tuple[str, ...]], ...] = (
        (Unit, "/units", "code", ("unit_type", "parent_code", "province")),
        (Round, "/rounds", "round_id", ("fiscal_year", "round_type")),
        (Strategy, "/strategies", "code", ("issued_by",)),
        (Plan, "/plans", "plan_id", ("plan_type", "status", "office_code")),
        (Project, "/projects", "code", ("plan_id", "responsible_unit", "parent_code")),
        (Indicator, "/indicators", "code", ("project_code", "indicator_type")),
    )
    for model, path, key_name, filters in specs:
        router.include_router(entity_routes(ports, model, path, key_name, filters))

    @router.post("/plans/{plan_id}/publish", tags=["set-up"], summary="Publish a plan")
    async def publish_plan(plan_id: str) -> SetupChanged:
        return await handlers.publish_plan(plan_id, ports)

    @router.post(
        "/fiscal-years/{fiscal_year}/standard-rounds",
        tags=["set-up"],
        status_code=201,
        summary="Create Q1–Q4, the 6-month and the 12-month rounds (existing ones are kept)",
    )
    async def standard_rounds(fiscal_year: FiscalYearPath) -> list[Round]:
        from services.monitoring.domain.calendar import standard_rounds

        created = []
        for made in standard_rounds(fiscal_year):
            if await ports.setup.get("round", made.round_id) is None:
                await handlers.save_entity(made, ports, creating=True)
                created.append(made)
        return created

    @router.post("/setup/resend", tags=["set-up"], summary="Republish the set-up to every copy")
    async def resend(after_revision: SkipQuery = 0) -> dict[str, int]:
        return {"resent": await handlers.resend(after_revision, ports, "resend-http")}

    return router
