"""Requests read strictly: one way for every service's HTTP entrypoints.

Readers of events ignore unknown fields, but a client that sends one to a write has made a
mistake: `strictly` refuses it, at any depth, and lists every problem at once in FastAPI's
own 422 shape, so clients parse one format. `known_query` does the same for a query
parameter the route does not take (a misspelt filter would otherwise be ignored, and the
answer look like what was asked).
"""

import json
from dataclasses import dataclass
from types import UnionType
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from fastapi import FastAPI, HTTPException, Request
from pydantic import BaseModel, ValidationError
from pydantic.json_schema import models_json_schema

from shared.contracts.refusals import Problem, Refusal, problem_item
from shared.thai.validation import thai_reason

M = TypeVar("M", bound=BaseModel)

REF_TEMPLATE = "#/components/schemas/{model}"
# The models `body_of` has pointed at: FastAPI puts in the document only the schemas its
# own parameters use, so `document_bodies` adds these.
_BODY_MODELS: dict[str, type[BaseModel]] = {}
# Bodies that are a model without the fields the server sets: name -> (model, fields).
_DRAFTS: dict[str, tuple[type[BaseModel], tuple[str, ...]]] = {}


def body_of(
    model: type[BaseModel], set_by_server: tuple[str, ...] = (), named: str = ""
) -> dict[str, Any]:
    """OpenAPI for a route that reads its body with `strictly` (the schema is `model`; with
    `set_by_server`, the schema `named`: `model` less those fields, which the route sets)."""
    known = _BODY_MODELS.setdefault(model.__name__, model)
    if known is not model:
        raise ValueError(f"two request body models are named {model.__name__}")
    name = model.__name__
    if set_by_server:
        name = named or f"{model.__name__}In"
        if _DRAFTS.setdefault(name, (model, set_by_server)) != (model, set_by_server):
            raise ValueError(f"two request bodies are named {name}")
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}},
        }
    }


def document_bodies(app: FastAPI) -> None:
    """Make `app.openapi()` hold the schema of every body `body_of` refers to."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = generate()
        wanted = json.dumps(document.get("paths", {}))

        def referred(name: str) -> bool:
            return f'"{REF_TEMPLATE.format(model=name)}"' in wanted

        drafts = {name: draft for name, draft in _DRAFTS.items() if referred(name)}
        used = {m for name, m in _BODY_MODELS.items() if referred(name)}
        used |= {model for model, _ in drafts.values()}
        if used:
            _, defs = models_json_schema(
                [(m, "validation") for m in sorted(used, key=lambda m: m.__name__)],
                ref_template=REF_TEMPLATE,
            )
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            found = defs.get("$defs", {})
            # A response may have put a model's output schema under its name (a Decimal as
            # text only): what a body accepts is then documented as `<name>-Input`.
            renamed = {n: f"{n}-Input" for n, d in found.items() if schemas.get(n, d) != d}
            found = _referring(found, renamed)
            for name, schema in found.items():
                schemas.setdefault(renamed.get(name, name), schema)
            for name, (model, omitted) in drafts.items():
                source = schemas[renamed.get(model.__name__, model.__name__)]
                schemas.setdefault(name, _without(source, name, omitted))
            for operations in document.get("paths", {}).values():
                for operation in operations.values():
                    if isinstance(operation, dict) and "requestBody" in operation:
                        operation["requestBody"] = _referring(operation["requestBody"], renamed)
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]


def _referring(node: Any, renamed: dict[str, str]) -> Any:
    """`node` with its references to renamed schemas pointing at their new names."""
    text = json.dumps(node)
    for old, new in renamed.items():
        text = text.replace(
            f'"{REF_TEMPLATE.format(model=old)}"', f'"{REF_TEMPLATE.format(model=new)}"'
        )
    return json.loads(text)


def _without(schema: dict[str, Any], title: str, omitted: tuple[str, ...]) -> dict[str, Any]:
    written = {
        **schema,
        "title": title,
        "properties": {k: v for k, v in schema["properties"].items() if k not in omitted},
        "required": [k for k in schema.get("required", []) if k not in omitted],
    }
    written["description"] = (
        f"{schema.get('description', '')} Set by the server: {', '.join(omitted)}."
    ).strip()
    return written


async def strictly(request: Request, model: type[M], **overrides: Any) -> M:
    """Validate the raw body with unknown fields forbidden, at every depth.

    Readers of set-up events ignore unknown fields, but a writer that sends one has made a
    mistake. Routes read their body here (not through FastAPI's parameter) so a client gets
    one list of every problem.
    """
    raw = await request.body()
    try:
        if overrides:
            body = json.loads(raw)
            if isinstance(body, dict):
                body.update(overrides)
            raw = json.dumps(body).encode()
        # Strict as JSON's types: a date as text, never a number of seconds; true/false,
        # never 0/1; an integer as a number, never text (a Decimal takes either).
        return model.model_validate_json(raw, strict=True, extra="forbid")
    except ValidationError as error:
        raise HTTPException(
            422,
            detail=[
                problem_item(["body", *e["loc"]], e["type"], e["msg"], thai_reason(e))
                for e in error.errors(include_url=False, include_input=False)
            ],
        ) from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:  # the overrides' parse
        raise HTTPException(
            422, detail=[problem_item(["body"], "json_invalid", f"not JSON: {error}")]
        ) from error


@dataclass(frozen=True)
class _Query:
    """The query parameters a route takes, and those of them that take several values."""

    names: frozenset[str]
    many: frozenset[str]


_KNOWN_QUERY: dict[int, _Query] = {}


def _query_of(route: Any) -> _Query:
    """Its own and its dependencies' parameters, and any its OpenAPI declares by hand
    (`openapi_extra`)."""
    known = _KNOWN_QUERY.get(id(route))
    if known is None:
        extra = (getattr(route, "openapi_extra", None) or {}).get("parameters", [])
        declared = [p for p in extra if p.get("in") == "query"]
        taken = _taken(route.dependant)
        known = _Query(
            names=frozenset([*(name for name, _ in taken), *(p["name"] for p in declared)]),
            many=frozenset(
                [
                    *(name for name, annotation in taken if _several(annotation)),
                    *(p["name"] for p in declared if p.get("schema", {}).get("type") == "array"),
                ]
            ),
        )
        _KNOWN_QUERY[id(route)] = known
    return known


def _taken(dependant: Any) -> list[tuple[str, Any]]:
    return [(p.alias, p.field_info.annotation) for p in dependant.query_params] + [
        taken for sub in dependant.dependencies for taken in _taken(sub)
    ]


def _several(annotation: Any) -> bool:
    """Whether a parameter of this type takes several values (a list, maybe optional)."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _several(get_args(annotation)[0])
    if origin in (Union, UnionType):
        return any(_several(arg) for arg in get_args(annotation))
    return origin in (list, tuple, set, frozenset)


async def known_query(request: Request) -> None:
    """A dependency of every route of the kit's services: refuse unknown query parameters."""
    route = request.scope.get("route")
    if route is None or not hasattr(route, "dependant"):
        return
    if not getattr(route, "include_in_schema", True):
        return  # a page, not in the OpenAPI document: it reads its own links' parameters
    known = _query_of(route)
    given = [name for name, _ in request.query_params.multi_items()]
    unknown = sorted({name for name in given if name not in known.names})
    repeated = sorted(
        {name for name in given if given.count(name) > 1 and name in known.names - known.many}
    )
    said = {
        "extra_forbidden": ("this route takes no query parameter {}", "ไม่มีพารามิเตอร์ {} สำหรับคำขอนี้"),
        "repeated": (
            "the query parameter {} takes one value, given several",
            "พารามิเตอร์ {} รับได้ค่าเดียว แต่ส่งมาหลายค่า",
        ),
    }
    problems = [
        Problem(
            field=name,
            code=code,
            message=said[code][0].format(repr(name)),
            message_th=said[code][1].format(repr(name)),
            location="query",
        )
        for code, names in (("extra_forbidden", unknown), ("repeated", repeated))
        for name in names
    ]
    if problems:
        raise Refusal(problems)
