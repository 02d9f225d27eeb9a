"""`known_query`: the query parameters a documented route takes, each given once unless it
takes several values."""

from typing import Annotated, Any

import pytest
from fastapi import APIRouter, Query
from fastapi.routing import APIRoute
from starlette.requests import Request

from shared.contracts.refusals import Refusal
from shared.platform.http_bodies import known_query

router = APIRouter()


@router.get("/units", openapi_extra={"parameters": [{"name": "province", "in": "query"}]})
async def units(
    parent_code: str | None = None,
    round_id: Annotated[list[str] | None, Query()] = None,
) -> list[Any]:
    return []


@router.get("/page", include_in_schema=False)
async def page() -> str:
    return ""


def route(path: str) -> APIRoute:
    return next(r for r in router.routes if isinstance(r, APIRoute) and r.path == path)


async def problems(path: str, query: str) -> list[tuple[str, str]]:
    scope = {"type": "http", "route": route(path), "query_string": query.encode(), "headers": []}
    try:
        await known_query(Request(scope))
    except Refusal as refusal:
        return [(p.field, p.code) for p in refusal.problems]
    return []


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("parent_code=SESA-84&province=ลำปาง&round_id=2570-Q1&round_id=2570-Q2", []),
        ("parent_cod=SESA-84", [("parent_cod", "extra_forbidden")]),
        ("province=ลำปาง&province=แพร่", [("province", "repeated")]),  # declared by hand
        ("parent_code=A&parent_code=B", [("parent_code", "repeated")]),
    ],
)
async def test_a_documented_route_takes_what_it_declares_once(
    query: str, found: list[tuple[str, str]]
) -> None:
    assert await problems("/units", query) == found


async def test_a_page_reads_its_own_links() -> None:
    assert await problems("/page", "m=บันทึกแล้ว&m=again") == []
