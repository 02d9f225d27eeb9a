"""The input boundary: the same limits and codes for every body, over HTTP and AMQP."""

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request

from shared.platform.http_boundary import InputBoundary
from shared.platform.limits import InputRefused, Limits, depth_of, read_json

LIMITS = Limits(max_body_bytes=100_000, max_depth=16)

POISON = {
    "too_large": json.dumps({"problems": "ก" * 60_000}).encode(),
    "too_deep": b"[" * 40_000 + b"]" * 40_000,
    "integer_too_long": b'{"form_version": ' + b"7" * 5000 + b"}",
    "number_out_of_range": b'{"version": 9223372036854775808}',  # 2**63
    "date_out_of_range": b'{"data": {"submitted_at": "9999-12-31T23:00:00-14:00"}}',
    "json_invalid": b'{"a": NaN}',
}


@pytest.mark.parametrize("code", sorted(POISON))
def test_every_kind_of_poison_is_refused_with_its_code(code: str) -> None:
    with pytest.raises(InputRefused) as refused:
        read_json(POISON[code], LIMITS)
    assert refused.value.code == code
    assert refused.value.detail()[0]["type"] == code and refused.value.detail()[0]["msg_th"]


def test_the_field_of_a_date_out_of_range_is_named() -> None:
    with pytest.raises(InputRefused) as refused:
        read_json(POISON["date_out_of_range"], LIMITS)
    assert refused.value.field == "data.submitted_at"
    hidden = b'{"at": ["\\u0039999-12-31T23:00:00-14:00"]}'
    with pytest.raises(InputRefused, match="date_out_of_range"):
        read_json(hidden, LIMITS)


def test_brackets_in_strings_do_not_count_as_depth() -> None:
    assert depth_of(b'[{"a": "[[[[[[\\"[[[["}]') == 2
    assert read_json(b'{"a": "' + b"[" * 1000 + b'"}', LIMITS) == {"a": "[" * 1000}
    assert read_json(b'{"n": -9223372036854775808, "d": "2570-10-01"}', LIMITS)["n"] == -(2**63)


def test_a_body_that_is_not_json_is_unsupported() -> None:
    with pytest.raises(InputRefused, match="unsupported_media_type"):
        read_json(b"{}", LIMITS, "text/plain")
    with pytest.raises(InputRefused, match="unsupported_media_type"):
        read_json(b"{}", LIMITS, None)
    assert read_json(b"{}", LIMITS, "application/json; charset=utf-8") == {}


def app() -> FastAPI:
    api = FastAPI()

    @api.post("/things")
    async def things(request: Request) -> dict[str, Any]:
        return {"got": len(await request.body())}

    api.add_middleware(InputBoundary, limits=LIMITS, upload_limit=200_000)
    return api


async def test_over_http_each_poison_gets_its_status_and_the_detail_array() -> None:
    status = {"too_large": 413}
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app()), base_url="http://t") as api:
        for code, raw in POISON.items():
            answer = await api.post(
                "/things", content=raw, headers={"Content-Type": "application/json"}
            )
            assert answer.status_code == status.get(code, 422), code
            assert answer.json()["detail"][0]["type"] == code
        plain = await api.post("/things", content=b"{}", headers={"Content-Type": "text/plain"})
        assert plain.status_code == 415
        assert plain.json()["detail"][0]["type"] == "unsupported_media_type"
        assert (await api.post("/things")).json() == {"got": 0}, "no body, nothing to check"
        assert (await api.post("/things", json={"a": 1})).json() == {"got": 7}
        form = await api.post("/things", data={"name": "ก"})
        assert form.status_code == 200, "a page's form is only measured"
        upload = await api.post("/things", files={"file": ("a.pdf", b"0" * 150_000)})
        assert upload.status_code == 200, "uploads have their own limit"


def schema_nodes(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every object of a JSON schema, with its path."""
    if isinstance(node, dict):
        yield path, node
        for key, value in node.items():
            yield from schema_nodes(value, f"{path}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from schema_nodes(value, f"{path}/{index}")


def unbounded_integers(schema: Any, path: str = "") -> list[str]:
    """Where a JSON schema allows an integer without both bounds."""
    return [
        where
        for where, node in schema_nodes(schema, path)
        if node.get("type") == "integer" and not ("minimum" in node and "maximum" in node)
    ]


def test_every_integer_of_every_contract_is_an_int64() -> None:
    """Text like "99999999999999999999" becomes an int in pydantic: each contract bounds
    its integers, so such a value is refused at its field, never an OverflowError."""
    from shared.contracts import ALL_CONTRACTS
    from shared.contracts.__main__ import schema_of

    found = [p for c in ALL_CONTRACTS for p in unbounded_integers(schema_of(c), c.__name__)]
    assert not found, found


def unbounded_decimals(schema: Any, path: str = "") -> list[str]:
    """Where a JSON schema allows a decimal (a number or its text) without both bounds."""
    found = []
    for where, node in schema_nodes(schema, path):
        kinds = [n for n in node.get("anyOf", []) if isinstance(n, dict)]
        numbers = [n for n in kinds if n.get("type") == "number"]
        decimal = numbers and any(n.get("type") == "string" for n in kinds)
        if decimal and not all("minimum" in n and "maximum" in n for n in numbers):
            found.append(where)
    return found


def written_by_clients(service: str) -> list[tuple[str, Any]]:
    """Every request body of every route of the service, and every schema it refers to."""
    import importlib

    from shared.platform.settings import Settings

    bootstrap = importlib.import_module(f"services.{service}.bootstrap").bootstrap
    spec = bootstrap(Settings()).openapi()
    schemas = spec.get("components", {}).get("schemas", {})
    reached: set[str] = set()

    def reach(schema: Any) -> None:
        for _, node in schema_nodes(schema):
            ref = node.get("$ref", "")
            name = ref.removeprefix("#/components/schemas/")
            if ref and name not in reached:
                reached.add(name)
                reach(schemas[name])

    bodies = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if "requestBody" in operation:
                reach(operation["requestBody"])
                bodies.append((f"{method} {path}", operation["requestBody"]))
    return bodies + [(name, schemas[name]) for name in sorted(reached)]


SERVICES = ["intake", "monitoring", "evaluation", "reporting"]


@pytest.mark.parametrize("service", SERVICES)
def test_every_integer_a_client_writes_is_an_int64(service: str) -> None:
    """The same for every request body of every route (and the schemas it refers to)."""
    found = [
        p for name, node in written_by_clients(service) for p in unbounded_integers(node, name)
    ]
    assert not found, found


@pytest.mark.parametrize("service", SERVICES)
def test_every_decimal_a_client_writes_is_one_the_rules_compute_with(service: str) -> None:
    """A decimal is bounded (±10^15, and 28 digits in the model): "1e999999", a few bytes
    that are a million digits, is refused at its field, never expanded or overflowed."""
    found = [
        p for name, node in written_by_clients(service) for p in unbounded_decimals(node, name)
    ]
    assert not found, found


def test_a_decimal_of_a_million_digits_is_refused_at_its_field() -> None:
    from pydantic import ValidationError

    from shared.contracts.setup import Indicator

    indicator = {
        "code": "P01-I1",
        "project_code": "P01",
        "name_th": "ร้อยละของนักเรียนที่อ่านออกเขียนได้",
        "unit_of_measure": "ร้อยละ",
        "indicator_type": "number",
    }
    for typed, code in (("1e999999", "decimal_max_digits"), ("1e16", "less_than_equal")):
        with pytest.raises(ValidationError) as refused:
            Indicator.model_validate_json(json.dumps(indicator | {"year_target": typed}))
        assert [(e["loc"], e["type"]) for e in refused.value.errors()] == [(("year_target",), code)]
