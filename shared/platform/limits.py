"""The input boundary: what every body must be before anything parses it, on every transport.

One table of limits (`Limits`, from the settings) and one reader (`read_json`) used by the
HTTP middleware (`shared.platform.http_boundary`) and by every AMQP subscriber (the kit's
decoder), so a body refused over HTTP is refused over AMQP with the same code:

| code | HTTP | what |
|---|---|---|
| `too_large` | 413 | the body is over `max_body_bytes` |
| `unsupported_media_type` | 415 | a body that is not `application/json` |
| `json_invalid` | 422 | not UTF-8, not JSON, or NaN/Infinity |
| `too_deep` | 422 | arrays and objects nested deeper than `max_depth` (scanned before parsing) |
| `integer_too_long` | 422 | an integer of more than `max_integer_digits` digits |
| `number_out_of_range` | 422 | a number outside int64 (MongoDB's widest integer) |
| `date_out_of_range` | 422 | an ISO date or date-time outside `earliest_year`–`latest_year` |

Unknown fields are refused by the models themselves (`extra="forbid"` on what a client
writes), with pydantic's `extra_forbidden`.
"""

import json
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from itertools import accumulate
from typing import Annotated, Any

from fastapi import Path, Query

from shared.contracts.base import INT64_MAX, INT64_MIN
from shared.contracts.refusals import problem_item
from shared.platform.settings import Settings

# Query and path integers: bounded in every route's OpenAPI schema, so 10^30 is a 422
# rather than an OverflowError when it reaches MongoDB.
QueryInt = Annotated[int, Query(ge=INT64_MIN, le=INT64_MAX)]
PathInt = Annotated[int, Path(ge=INT64_MIN, le=INT64_MAX)]
# A fiscal year is a Buddhist Era year, bounded as the set-up contracts bound it.
FiscalYearPath = Annotated[int, Path(ge=2500, le=2800, description="Fiscal year (BE).")]
FiscalYearQuery = Annotated[
    int | None, Query(ge=2500, le=2800, description="Only this fiscal year (BE).")
]
# A version or a step number: positive, and an int64.
NumberPath = Annotated[int, Path(ge=1, le=INT64_MAX)]
SkipQuery = Annotated[int, Query(ge=0, le=INT64_MAX)]

STATUS = {
    "too_large": 413,
    "unsupported_media_type": 415,
    "json_invalid": 422,
    "too_deep": 422,
    "integer_too_long": 422,
    "number_out_of_range": 422,
    "date_out_of_range": 422,
}

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_BRACKETS = bytes(range(256)).translate(None, b"[]{}")
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")
_DATE_IN_RAW = re.compile(rb'"(\d{4})-\d{2}-\d{2}')


@dataclass(frozen=True)
class Limits:
    """The one table of input limits (README: "The input boundary")."""

    max_body_bytes: int = 1_000_000
    max_depth: int = 64
    max_integer_digits: int = 19
    earliest_year: int = 1900
    latest_year: int = 2999

    @classmethod
    def of(cls, settings: Settings) -> "Limits":
        return cls(
            max_body_bytes=settings.max_body_bytes,
            max_depth=settings.max_json_depth,
            max_integer_digits=settings.max_integer_digits,
        )


class InputRefused(Exception):
    """A body refused at the boundary: a stable code, where, and why (English and Thai)."""

    def __init__(self, code: str, message: str, message_th: str, field: str = "") -> None:
        self.code = code
        self.message = message
        self.message_th = message_th
        self.field = field
        # Set by the consumer that can answer this input (intake answers a submission with
        # submission.rejected.v1); without one, the message is dead-lettered at once.
        self.answer: Callable[[], Awaitable[None]] | None = None
        super().__init__(f"{code}: {message}" + (f" at {field}" if field else ""))

    @property
    def status(self) -> int:
        return STATUS[self.code]

    def detail(self) -> list[dict[str, Any]]:
        """FastAPI's 422 shape, as every refusal reads over HTTP."""
        loc = ["body", *(self.field.split(".") if self.field else [])]
        return [problem_item(loc, self.code, self.message, self.message_th)]


def is_json(content_type: str | None) -> bool:
    media = (content_type or "").split(";")[0].strip().lower()
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def check_media_type(content_type: str | None) -> None:
    if not is_json(content_type):
        raise InputRefused(
            "unsupported_media_type",
            f"the body must be sent as application/json, not {content_type or 'nothing'!r}",
            "ต้องส่งข้อมูลเป็น application/json",
        )


def check_size(size: int, limits: Limits) -> None:
    if size > limits.max_body_bytes:
        raise InputRefused(
            "too_large",
            f"the body is over {limits.max_body_bytes} bytes",
            f"ข้อมูลยาวเกิน {limits.max_body_bytes} ไบต์",
        )


def depth_of(raw: bytes) -> int:
    """How deeply arrays and objects nest, from the raw bytes (strings skipped), without
    parsing: a parser recurses, so 100,000 brackets would raise before any check ran."""
    brackets = _STRING.sub(b"", raw).translate(None, _BRACKETS)
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0)


def read_json(raw: bytes, limits: Limits, content_type: str | None = "application/json") -> Any:
    """The body as JSON, or `InputRefused` naming the first limit it breaks."""
    check_media_type(content_type)
    check_size(len(raw), limits)
    # No deeper than its opening brackets are many (those in strings counted too): most
    # bodies are told at C speed, the rest scanned.
    opening = raw.count(b"{") + raw.count(b"[")
    if opening > limits.max_depth and depth_of(raw) > limits.max_depth:
        raise InputRefused(
            "too_deep",
            f"arrays and objects nested deeper than {limits.max_depth} levels",
            f"ข้อมูลซ้อนกันลึกเกิน {limits.max_depth} ชั้น",
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputRefused(
            "json_invalid",
            f"the body is not valid UTF-8 (byte {error.start})",
            "ข้อมูลไม่ใช่ UTF-8",
        ) from error
    try:
        document = json.loads(
            text,
            parse_int=lambda digits: _integer(digits, limits),
            parse_float=_float,
            parse_constant=_constant,
        )
    except json.JSONDecodeError as error:
        raise InputRefused(
            "json_invalid",
            f"malformed JSON: {error.msg} at line {error.lineno} column {error.colno}",
            "ข้อมูลไม่ใช่ JSON ที่ถูกต้อง",
        ) from error
    # A regex over the bytes finds the years at C speed; a string with \u escapes could
    # hide one from it, so such a body is walked too.
    if b"\\u" in raw or any(
        not limits.earliest_year <= int(year) <= limits.latest_year
        for year in _DATE_IN_RAW.findall(raw)
    ):
        _check_dates(document, limits, "")  # walked only to name the field
    return document


def _integer(digits: str, limits: Limits) -> int:
    # Checked before int(): Python refuses more than 4,300 digits with a ValueError.
    if len(digits.lstrip("-")) > limits.max_integer_digits:
        raise InputRefused(
            "integer_too_long",
            f"an integer of more than {limits.max_integer_digits} digits",
            f"ตัวเลขยาวเกิน {limits.max_integer_digits} หลัก",
        )
    value = int(digits)
    if not INT64_MIN <= value <= INT64_MAX:
        raise _out_of_range()
    return value


def _float(text: str) -> float:
    value = float(text)
    if not INT64_MIN <= value <= INT64_MAX:  # inf too; beyond int64 nothing here is meant
        raise _out_of_range()
    return value


def _constant(name: str) -> Any:
    raise InputRefused("json_invalid", f"{name} is not JSON", "ข้อมูลไม่ใช่ JSON ที่ถูกต้อง")


def _out_of_range() -> InputRefused:
    return InputRefused(
        "number_out_of_range",
        f"a number outside {INT64_MIN}…{INT64_MAX}",
        "ตัวเลขเกินช่วงที่เก็บได้",
    )


def _check_dates(node: Any, limits: Limits, path: str) -> None:
    """Dates far out (year 9999 at UTC−14 overflows when made UTC) are refused here, once,
    rather than raising wherever a model, a comparison or MongoDB meets them."""
    if isinstance(node, str):
        found = _DATE.match(node)
        if found and not limits.earliest_year <= int(found[1]) <= limits.latest_year:
            raise InputRefused(
                "date_out_of_range",
                f"a date outside the years {limits.earliest_year}–{limits.latest_year}",
                f"วันที่อยู่นอกช่วงปี ค.ศ. {limits.earliest_year}–{limits.latest_year}",
                path,
            )
    elif isinstance(node, dict):
        for key, value in node.items():
            _check_dates(value, limits, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            _check_dates(item, limits, f"{path}.{index}" if path else str(index))
