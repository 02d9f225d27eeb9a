"""The event envelope and the base class of every contract."""

import re
import uuid
from datetime import UTC, datetime
from decimal import Decimal
from typing import Annotated, Any, ClassVar, Generic, Literal, TypeVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

_ROUTING_KEY = re.compile(r"^[a-z][a-z-]*\.[a-z][a-z-]*\.v(?P<version>[1-9][0-9]*)$")

# Every integer a contract carries is one MongoDB can store (int64). The input boundary
# refuses wider JSON numbers, but pydantic turns the text "99999999999999999999" into an
# int: the models bound each integer too, so such a value is a validation error at its
# field (`less_than_equal`), answered or dead-lettered at once, never an OverflowError.
INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
Int64 = Annotated[int, Field(ge=INT64_MIN, le=INT64_MAX)]

# Every decimal a client writes is one the rules can compute with: within ±10^15 and of at
# most 28 digits (decimal's precision, so rounding half-up to 2 places never overflows it).
# Text such as "1e999999", a few bytes that are a million digits, is refused at its field.
DECIMAL_LIMIT = 10**15
DECIMAL_DIGITS = 28
Quantity = Annotated[Decimal, Field(ge=-DECIMAL_LIMIT, le=DECIMAL_LIMIT, max_digits=DECIMAL_DIGITS)]

# Derived event ids are stable: a redelivered message republishes the same event id.
_EVENT_NAMESPACE = uuid.UUID("6f1c1a9e-5a0e-4d55-9a3e-7d1f0b7c2a11")


class Contract(BaseModel):
    """A versioned message payload. Consumers ignore fields they do not know.

    Two kinds, and where each lives:
    - an **event** says what happened (`submission.accepted.v1`): exactly one service
      publishes it, and it lives in that service's module;
    - a **request** asks one service to do something (`setup.resend-requested.v1`): any
      service, or another system, may send it; exactly one service answers it, and it lives
      in that service's module, as an HTTP route lives with its service.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    ROUTING_KEY: ClassVar[str]
    KIND: ClassVar[Literal["event", "request"]] = "event"
    # A request's answers (routing keys) and how a requester matches one to its request:
    # the AsyncAPI documents state both.
    ANSWERED_BY: ClassVar[tuple[str, ...]] = ()
    MATCHED_BY: ClassVar[str] = "correlation_id"

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "ROUTING_KEY" in cls.__dict__ and not _ROUTING_KEY.match(cls.ROUTING_KEY):
            raise ValueError(
                f"{cls.__name__}: routing key {cls.ROUTING_KEY!r} is not <entity>.<event>.v<N>"
            )

    @classmethod
    def schema_version(cls) -> int:
        match = _ROUTING_KEY.match(cls.ROUTING_KEY)
        assert match is not None
        return int(match["version"])


# A payload is a contract, or a plain dict where the consumer validates it itself.
PayloadT = TypeVar("PayloadT")


class Envelope(BaseModel, Generic[PayloadT]):
    """What travels on the wire: metadata every event carries, and its payload."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    event_id: uuid.UUID = Field(description="Unique per event; stable across redelivery.")
    type: str = Field(description="The routing key, e.g. submission.accepted.v1.")
    schema_version: int = Field(ge=1, le=INT64_MAX, description="The N of the routing key's vN.")
    occurred_at: AwareDatetime = Field(description="When it happened, UTC.")
    correlation_id: str = Field(
        min_length=1, max_length=128, description="Follows one submission through every service."
    )
    producer: str = Field(min_length=1, max_length=64, description="Who published it.")
    data: PayloadT

    @model_validator(mode="after")
    def _type_matches_payload(self) -> "Envelope[PayloadT]":
        expected = getattr(type(self.data), "ROUTING_KEY", None)
        if expected is not None and expected != self.type:
            raise ValueError(f"type {self.type!r} does not match payload {expected!r}")
        return self


def derived_event_id(*parts: str) -> uuid.UUID:
    """An event id computed from what caused it, so a retry publishes the same id."""
    return uuid.uuid5(_EVENT_NAMESPACE, "\x1f".join(parts))


def make_envelope(
    data: Contract,
    *,
    producer: str,
    correlation_id: str,
    event_id: uuid.UUID | None = None,
    occurred_at: datetime | None = None,
) -> Envelope[Any]:
    """Wrap a payload for publishing."""
    return Envelope[type(data)](  # type: ignore[misc,operator]
        event_id=event_id or uuid.uuid4(),
        type=data.ROUTING_KEY,
        schema_version=data.schema_version(),
        occurred_at=occurred_at or datetime.now(UTC),
        correlation_id=correlation_id,
        producer=producer,
        data=data,
    )
