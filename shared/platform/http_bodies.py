"""Request bodies read strictly: one way for every service's HTTP entrypoints.

Readers of events ignore unknown fields, but a client that sends one to a write has made a
mistake: `strictly` refuses it, at any depth, and lists every problem at once in FastAPI's
own 422 shape, so clients parse one format.
"""

import json
from typing import Any, TypeVar

from fastapi import FastAPI, HTTPException, Request
from pydantic import BaseModel, ValidationError
from pydantic.json_schema import models_json_schema

from shared.thai.validation import thai_reason

M = TypeVar("M", bound=BaseModel)

REF_TEMPLATE = "#/components/schemas/{model}"
# The models `body_of` has pointed at: FastAPI puts in the document only the schemas its
# own parameters use, so `document_bodies` adds these.
_BODY_MODELS: dict[str, type[BaseModel]] = {}


def body_of(model: type[BaseModel]) -> dict[str, Any]:
    """OpenAPI for a route that reads its body with `strictly` (the schema is `model`)."""
    known = _BODY_MODELS.setdefault(model.__name__, model)
    if known is not model:
        raise ValueError(f"two request body models are named {model.__name__}")
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}}
            },
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
        used = [
            m
            for name, m in _BODY_MODELS.items()
            if f'"{REF_TEMPLATE.format(model=name)}"' in wanted
        ]
        if used:
            _, defs = models_json_schema(
                [(m, "validation") for m in used], ref_template=REF_TEMPLATE
            )
            schemas = document.setdefault("components", {}).setdefault("schemas", {})
            for name, schema in defs.get("$defs", {}).items():
                schemas.setdefault(name, schema)
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]


async def strictly(request: Request, model: type[M], **overrides: Any) -> M:
    """Validate the raw body with unknown fields forbidden, at every depth.

    Readers of set-up events ignore unknown fields, but a writer that sends one has made a
    mistake. Routes read their body here (not through FastAPI's parameter) so a client gets
    one list of every problem.
    """
    try:
        body = json.loads(await request.body())
        if isinstance(body, dict):
            body.update(overrides)
        return model.model_validate(body, extra="forbid")
    except ValidationError as error:
        raise HTTPException(
            422,
            detail=[
                {"loc": ["body", *e["loc"]], "msg": e["msg"], "type": e["type"]}
                | {"msg_th": thai_reason(e)}
                for e in error.errors(include_url=False, include_input=False)
            ],
        ) from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise HTTPException(
            422, detail=[{"loc": ["body"], "msg": f"not JSON: {error}", "type": "json_invalid"}]
        ) from error
