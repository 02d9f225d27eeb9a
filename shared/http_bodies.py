"""Request bodies read strictly: one way for every service's HTTP entrypoints.

Readers of events ignore unknown fields, but a client that sends one to a write has made a
mistake: `strictly` refuses it, at any depth, and lists every problem at once in FastAPI's
own 422 shape, so clients parse one format.
"""

import json
from typing import Any, TypeVar

from fastapi import HTTPException, Request
from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


def body_of(model: type[BaseModel]) -> dict[str, Any]:
    """OpenAPI for a route that reads its body with `strictly` (the schema is `model`)."""
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {"$ref": f"#/components/schemas/{model.__name__}"}}
            },
        }
    }


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
                for e in error.errors(include_url=False, include_context=False, include_input=False)
            ],
        ) from error
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise HTTPException(
            422, detail=[{"loc": ["body"], "msg": f"not JSON: {error}", "type": "json_invalid"}]
        ) from error
