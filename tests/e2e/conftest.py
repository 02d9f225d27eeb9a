"""Fixtures of the end-to-end tier: the services as processes, and Chromium."""

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from playwright.async_api import Browser, BrowserContext

from shared.platform.settings import Settings
from tests.browser import chromium, unplugged
from tests.processes import SERVICES, ServiceProcess


@pytest.fixture
def system(settings: Settings, tmp_path: Path) -> Iterator[dict[str, ServiceProcess]]:
    """All four services as processes in this test's namespace, ready."""
    running = {name: ServiceProcess(name, settings, tmp_path).start() for name in SERVICES}
    try:
        for service in running.values():
            service.wait_ready()
        yield running
    finally:
        for service in running.values():
            service.stop()
        unclean = [name for name, service in running.items() if not service.stopped_cleanly()]
        assert not unclean, f"no clean shutdown: {unclean}"


@pytest.fixture(scope="module")
async def browser() -> AsyncIterator[Browser]:
    """Debian's Chromium, one for each test module."""
    async with chromium() as found:
        yield found


@pytest.fixture
async def context(browser: Browser) -> AsyncIterator[BrowserContext]:
    """A 1280 px browser context with the network unplugged; the test fails if a page
    tried to fetch from outside."""
    refused: list[str] = []
    made = await unplugged(browser, refused)
    yield made
    await made.close()
    assert refused == [], f"the console fetched from outside: {refused}"
