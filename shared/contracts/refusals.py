"""A use case says no: one type for every service, carrying every problem and a kind.

Domains and handlers raise `Refusal`; they never name an HTTP status. The platform maps the
kind to one (`shared.platform.service`), and the body is FastAPI's own validation shape,
so a client parses one format everywhere:
`{"detail": [{"loc": ["body", "field", ...], "msg": ..., "type": <code>, "msg_th"?: ...,
"field": "field....", "code": <code>, "message": "<Thai> (<English>)"}]}`.

`field`, `code` and `message` are what a `submission.rejected.v1` reason says over AMQP: one
refusal shape on both transports, every item made by `problem_item`.
"""

from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

Kind = Literal["invalid", "not_found", "conflict", "forbidden"]
Location = Literal["body", "path", "query"]


class Problem(BaseModel):
    """One reason, at the dotted field at fault ("" for the request as a whole)."""

    model_config = ConfigDict(frozen=True)

    field: str
    code: str
    message: str
    message_th: str | None = None
    location: Location = "body"

    def loc(self) -> list[str]:
        return [self.location, *(self.field.split(".") if self.field else [])]

    def item(self) -> dict[str, Any]:
        """The problem as every refusal lists it over HTTP."""
        return problem_item(self.loc(), self.code, self.message, self.message_th)


def problem_item(
    loc: Sequence[str | int], code: str, message: str, message_th: str | None = None
) -> dict[str, Any]:
    """One problem of a refusal: FastAPI's `loc`, `msg` and `type` (and `msg_th`), and the
    same problem as an AMQP reason states it: `field` (dotted, without the location;
    "(body)" for the body as a whole), `code` and `message` (Thai first, English after)."""
    field = ".".join(str(part) for part in loc[1:]) or f"({loc[0] if loc else 'body'})"
    item: dict[str, Any] = {"loc": list(loc), "msg": message, "type": code}
    if message_th is not None:
        item["msg_th"] = message_th
    said = f"{message_th} ({message})" if message_th and message_th != message else message
    return item | {"field": field, "code": code, "message": said}


class Refusal(Exception):
    """A write or a request refused, with every problem found; nothing was changed."""

    def __init__(self, problems: Sequence[Problem], kind: Kind = "invalid") -> None:
        self.problems = list(problems)
        self.kind: Kind = kind
        super().__init__(f"{kind}: " + "; ".join(f"{p.field}: {p.message}" for p in problems))

    @classmethod
    def of(
        cls,
        field: str,
        code: str,
        message: str,
        kind: Kind = "invalid",
        *,
        message_th: str | None = None,
        location: Location = "body",
    ) -> "Refusal":
        """A refusal for one problem."""
        problem = Problem(
            field=field, code=code, message=message, message_th=message_th, location=location
        )
        return cls([problem], kind)
