"""The services' CONSUMES and PUBLISHES tables agree with the topology, the contracts'
owners and the architecture page (services/catalogue.py)."""

import inspect
import typing
from pathlib import Path
from typing import Any

import pytest

from services.catalogue import (
    SERVICES,
    consumers_of,
    markdown,
    owner,
    publishers_of,
    tables,
)
from shared.contracts import ALL_CONTRACTS, Contract, Envelope
from shared.platform.topology import CONSUMERS

ROOT = Path(__file__).resolve().parents[2]
EVERY = tables()
EVENTS = [c for c in ALL_CONTRACTS if c.KIND == "event"]
REQUESTS = [c for c in ALL_CONTRACTS if c.KIND == "request"]


@pytest.mark.parametrize("service", SERVICES)
def test_every_queue_of_the_topology_has_a_handler_and_no_handler_lacks_a_queue(
    service: str,
) -> None:
    declared = {c.routing_key for c in CONSUMERS if c.service == service}
    handled = {contract.ROUTING_KEY for contract in EVERY[service].consumes}
    assert declared == handled, (
        f"{service}: queues without a handler {sorted(declared - handled)}, "
        f"handlers without a queue {sorted(handled - declared)}"
    )


@pytest.mark.parametrize("service", SERVICES)
def test_every_handler_documents_itself_and_takes_its_contract(service: str) -> None:
    for contract, handler in EVERY[service].consumes.items():
        assert inspect.getdoc(handler), f"{service}: {handler.__name__} has no docstring"
        first = next(iter(inspect.signature(handler).parameters))
        taken = typing.get_type_hints(handler)[first]
        allowed = {Envelope[contract], Envelope[dict[str, Any]]}  # type: ignore[valid-type]
        assert taken in allowed, f"{service}: {handler.__name__} takes {taken}"


@pytest.mark.parametrize("contract", EVENTS, ids=lambda c: c.ROUTING_KEY)
def test_an_event_has_exactly_one_publisher_its_owner(contract: type[Contract]) -> None:
    assert publishers_of(contract, EVERY) == [owner(contract)]


@pytest.mark.parametrize("contract", REQUESTS, ids=lambda c: c.ROUTING_KEY)
def test_a_request_has_exactly_one_answerer_its_owner(contract: type[Contract]) -> None:
    assert consumers_of(contract, EVERY) == [owner(contract)]


def test_every_contract_is_in_some_table() -> None:
    used = {c for t in EVERY.values() for c in (*t.consumes, *t.publishes)}
    assert set(ALL_CONTRACTS) - used == set()
    assert used - set(ALL_CONTRACTS) == set(), "a table names a contract ALL_CONTRACTS lacks"


def test_the_architecture_page_is_drawn_from_the_tables() -> None:
    committed = (ROOT / "docs/architecture.md").read_text(encoding="utf-8")
    assert committed == markdown(), "run: python -m services.catalogue > docs/architecture.md"
