"""The fuzz and conformance tier: the four services as processes in one namespace, a small
office set up through monitoring, and every message published meanwhile captured."""

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aio_pika
import httpx
import pytest

from shared.platform.settings import Settings
from shared.platform.topology import Topology
from tests.office import OFFICE, copy_holds_assignments, set_up
from tests.processes import SERVICES, ServiceProcess
from tests.servers import Servers, namespaced

pytestmark = pytest.mark.e2e


@dataclass
class Captured:
    """Every message published on the namespace's events exchange, as a client receives it."""

    messages: list[aio_pika.abc.AbstractIncomingMessage] = field(default_factory=list)

    def bodies(self, routing_key: str) -> list[dict[str, Any]]:
        return [json.loads(m.body) for m in self.messages if m.routing_key == routing_key]


@dataclass
class FuzzSystem:
    settings: Settings
    services: dict[str, ServiceProcess]
    rounds: dict[str, str]
    captured: Captured
    keys: dict[tuple[str, str, str], dict[str, str]] = field(default_factory=dict)

    def key(self, service: str, role: str, unit_code: str = OFFICE) -> dict[str, str]:
        """An Authorization header of `role` for `service`, issued once over HTTP."""
        if (service, role, unit_code) not in self.keys:
            made = self.services[service].key(role, unit_code)
            self.keys[(service, role, unit_code)] = made
        return self.keys[(service, role, unit_code)]

    def document(self, service: str) -> dict[str, Any]:
        response = httpx.get(f"{self.services[service].url}/asyncapi.json", timeout=10)
        response.raise_for_status()
        document: dict[str, Any] = response.json()
        return document


@pytest.fixture(scope="package")
async def fuzz_settings(live_servers: Servers) -> AsyncIterator[Settings]:
    async with namespaced(live_servers) as made:
        yield made


@pytest.fixture(scope="package")
async def captured(fuzz_settings: Settings) -> AsyncIterator[Captured]:
    """A queue of our own bound to every routing key, declared before anything publishes."""
    found = Captured()
    connection = await aio_pika.connect_robust(fuzz_settings.amqp_url)
    async with connection:
        channel = await connection.channel()
        queue = await channel.declare_queue(exclusive=True, auto_delete=True)
        await queue.bind(Topology(fuzz_settings.namespace).events_exchange, routing_key="#")

        async def keep(message: aio_pika.abc.AbstractIncomingMessage) -> None:
            found.messages.append(message)
            await message.ack()

        await queue.consume(keep)
        yield found
    # the connection may have been reset meanwhile: nothing to cancel then


@pytest.fixture(scope="package")
async def fuzz_system(
    fuzz_settings: Settings, captured: Captured, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[FuzzSystem]:
    folder: Path = tmp_path_factory.mktemp("fuzz")
    running = {name: ServiceProcess(name, fuzz_settings, folder) for name in SERVICES}
    try:
        for process in running.values():
            process.start()
        for process in running.values():
            await asyncio.to_thread(process.wait_ready, 90)
        system = FuzzSystem(fuzz_settings, running, {}, captured)
        officer = await asyncio.to_thread(system.key, "monitoring", "officer")
        async with httpx.AsyncClient(
            base_url=running["monitoring"].url, headers=officer, timeout=60
        ) as api:
            system.rounds = await set_up(api)
        await copy_holds_assignments(fuzz_settings)
        yield system
    finally:
        for process in running.values():
            process.stop()
