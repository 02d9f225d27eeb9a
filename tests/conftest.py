"""Fixtures shared by every tier. Servers are started only for tests that ask for them."""

import uuid
from collections.abc import AsyncIterator, Iterator

import pytest

from shared.platform.mongo import make_client
from shared.platform.settings import Settings
from shared.platform.topology import Topology, declare_topology, delete_topology
from tests.servers import Servers, servers


@pytest.fixture(scope="session")
def live_servers() -> Iterator[Servers]:
    with servers() as found:
        yield found


@pytest.fixture
async def settings(live_servers: Servers) -> AsyncIterator[Settings]:
    """Settings in a namespace of this test's own: its exchanges, queues and databases."""
    namespace = f"t{uuid.uuid4().hex[:10]}"
    made = Settings(
        AMQP_URL=live_servers.amqp_url,
        MONGODB_URL=live_servers.mongodb_url,
        TIDTAM_NAMESPACE=namespace,
        TIDTAM_RETRY_DELAY_MS=100,
        TIDTAM_MAX_ATTEMPTS=3,
    )
    topology = Topology(namespace)
    await declare_topology(made.amqp_url, topology)
    yield made
    await delete_topology(made.amqp_url, topology)
    client = make_client(made.mongodb_url)
    for service in ("intake", "monitoring", "evaluation", "reporting"):
        await client.drop_database(made.database_of(service))
    await client.close()
