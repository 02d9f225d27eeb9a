"""How set-up errors look over HTTP: FastAPI's own 422 shape, so clients parse one format."""

from fastapi import HTTPException

from services.monitoring.handlers.setup import SetupRejected


def http_error(rejected: SetupRejected) -> HTTPException:
    return HTTPException(
        rejected.status,
        detail=[
            {"loc": ["body", *v.field.split(".")], "msg": v.message, "type": v.code}
            for v in rejected.violations
        ],
    )
