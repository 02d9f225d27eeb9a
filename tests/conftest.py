"""Fixtures shared by every tier. Servers are started only for tests that ask for them."""

from collections.abc import AsyncIterator, Iterator

import pytest

from shared.platform.settings import Settings
from tests.servers import Servers, namespaced, servers


@pytest.fixture(scope="session")
def live_servers() -> Iterator[Servers]:
    with servers() as found:
        yield found


@pytest.fixture
async def settings(live_servers: Servers) -> AsyncIterator[Settings]:
    """Settings in a namespace of this test's own: its exchanges, queues and databases."""
    async with namespaced(live_servers) as made:
        yield made
