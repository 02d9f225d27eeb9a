"""Every status a route can answer, in its OpenAPI, with the error body: one place for all.

FastAPI documents a route's success and, where it validates parameters, 422. The kit's
routes can answer more, always for the same reasons, so the statuses follow from what a
route is:

- it needs a credential (`security`): 401 without a valid one, 403 for a role or unit
  that may not (an `X-Admin-Token` route: 403);
- it has path parameters: 404 for an entity that does not exist;
- it writes (POST, PUT, PATCH, DELETE): 404 (a reference to nothing), 409 (a conflict with
  what is stored) and 422 (every problem found); with a body, also 400 (a body FastAPI
  cannot parse: malformed JSON or multipart), 413 (over `TIDTAM_MAX_BODY_BYTES`) and 415
  (not JSON);
- it has parameters: 422;
- it reads the database (every route but `/healthz`, `/metrics` and the documents): 503
  while the database is briefly away (`Retry-After`).

A route's own declaration of a status wins. The body of every error is FastAPI's own
shape: `{"detail": "<text>"}` or, for every refusal of the input (400, 413, 415, 422),
`{"detail": [<ErrorItem>, ...]}`, each item also stating `field`, `code` and `message` as an
AMQP rejection's reasons do.
"""

from typing import Any

from fastapi import FastAPI

WRITES = {"post", "put", "patch", "delete"}
NO_DATABASE = {"/healthz", "/metrics", "/asyncapi.json", "/openapi.json"}
VALIDATION = "HTTPValidationError"
REASONS = {
    400: "The request cannot be parsed: malformed HTTP (a header such as a bad "
    "`Content-Length`, answered by the server before any route) or a malformed body",
    401: "No credential, or one that is unknown or revoked (`WWW-Authenticate: Bearer`)",
    403: "The credential's role or unit may not do this",
    404: "What the path or the body names does not exist",
    409: "In conflict with what is stored (a duplicate key, a state that forbids it)",
    413: "The request body is over the limit (`TIDTAM_MAX_BODY_BYTES`)",
    415: "The body is not `application/json`",
    422: "Every problem found, each at its field",
    503: "The database is briefly unavailable; retry after `Retry-After` seconds",
}
_PROBLEM = {
    "title": "ErrorItem",
    "type": "object",
    "description": "One problem (`shared.contracts.refusals.problem_item`): FastAPI's `loc`, "
    "`msg` and `type`, and the same problem as a `submission.rejected.v1` reason states it "
    "over AMQP (`field`, `code`, `message`).",
    "required": ["loc", "msg", "type", "field", "code", "message"],
    "properties": {
        "loc": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
        "msg": {"type": "string"},
        "type": {"type": "string", "description": "A stable code, e.g. `duplicate`."},
        "msg_th": {"type": "string", "description": "The message in Thai, where there is one."},
        "field": {
            "type": "string",
            "description": "The dotted field at fault, without `loc`'s first part; "
            "`(body)` (or `(query)`…) for the request as a whole.",
        },
        "code": {"type": "string", "description": "The same as `type`."},
        "message": {"type": "string", "description": "Thai first, English in parentheses."},
    },
}
_ERROR = {
    "title": "Error",
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {
            "anyOf": [
                {"type": "string"},
                {"type": "array", "items": {"$ref": "#/components/schemas/ErrorItem"}},
            ]
        }
    },
}
_VALIDATION = {
    "title": VALIDATION,
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {"type": "array", "items": {"$ref": "#/components/schemas/ValidationError"}}
    },
}
_VALIDATION_ITEM = {**_PROBLEM, "title": "ValidationError"}


def statuses(path: str, method: str, operation: dict[str, Any]) -> set[int]:
    """What a route can answer besides its successes, from what it is."""
    found: set[int] = {400}  # any request: the HTTP server refuses malformed HTTP itself
    parameters = operation.get("parameters", [])
    if operation.get("security"):
        found |= {401, 403}
    if any(p.get("in") == "header" and p.get("name") == "x-admin-token" for p in parameters):
        found.add(403)
    if any(p.get("in") == "path" for p in parameters):
        found.add(404)
    if method in WRITES:
        found |= {404, 409, 422}
    if "requestBody" in operation:
        found |= {413, 422}
        if "application/json" in operation["requestBody"].get("content", {}):
            found.add(415)
    if parameters:
        found.add(422)
    if path not in NO_DATABASE and not path.startswith(("/docs", "/redoc", "/static-offline")):
        found.add(503)
    return found


def document_errors(app: FastAPI) -> None:
    """Make `app.openapi()` declare, on every operation, the error statuses it can answer."""
    generate = app.openapi
    done: list[int] = []  # ids of the documents already completed (FastAPI caches one)

    def openapi() -> dict[str, Any]:
        document = generate()
        if id(document) in done:
            return document
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        schemas.setdefault("ErrorItem", _PROBLEM)
        schemas.setdefault("Error", _ERROR)
        schemas[VALIDATION] = _VALIDATION  # what is really sent, not FastAPI's own
        schemas["ValidationError"] = _VALIDATION_ITEM
        for path, methods in document.get("paths", {}).items():
            for method, operation in methods.items():
                responses = operation.setdefault("responses", {})
                for status in sorted(statuses(path, method, operation)):
                    responses.setdefault(str(status), _response(status))
        done.append(id(document))
        return document

    app.openapi = openapi  # type: ignore[method-assign]


def _response(status: int) -> dict[str, Any]:
    schema = VALIDATION if status == 422 else "Error"
    response: dict[str, Any] = {
        "description": REASONS[status],
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }
    if status == 400:  # the HTTP server's own answer to malformed HTTP is plain text
        response["content"]["text/plain"] = {"schema": {"type": "string"}}
    if status == 401:
        response["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}}}
    if status == 503:
        response["headers"] = {"Retry-After": {"schema": {"type": "integer"}}}
    return response
