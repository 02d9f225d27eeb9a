"""How evaluation's errors look over HTTP: FastAPI's own 422 shape, so clients parse one format."""

from fastapi import HTTPException

from services.evaluation.handlers.frameworks import FrameworkRejected


def http_error(rejected: FrameworkRejected) -> HTTPException:
    return HTTPException(
        rejected.status,
        detail=[
            {
                "loc": ["body", *(v.field.split(".") if v.field else [])],
                "msg": v.message,
                "type": v.code,
            }
            for v in rejected.violations
        ],
    )
