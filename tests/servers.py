"""Where the tests find RabbitMQ and MongoDB.

1. `AMQP_URL` and `MONGODB_URL`, when both are set;
2. testcontainers (RabbitMQ 4 and real MongoDB 7) when `TIDTAM_TEST_SERVERS=containers`
   (it needs a Docker engine and a registry; our machines' stand-in images cannot do it:
   their MongoDB has no authentication);
3. else local servers: the machine's RabbitMQ (`deploy/local/servers up rabbitmq` installs
   and starts it, or finds it already running, e.g. for another checkout's system) and a
   throw-away in-memory mongo-java-server of this test run on a free port, so a system
   running on 27017 (this checkout's or another's) is neither touched nor in the way.

Every test works in a namespace of its own (exchanges, queues and databases), so sharing
one RabbitMQ with a running system is safe.
"""

import contextlib
import os
import socket
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

from shared.platform.mongo import make_client
from shared.platform.settings import Settings
from shared.platform.topology import Topology, declare_topology, delete_topology

ROOT = Path(__file__).resolve().parent.parent
SERVERS_SCRIPT = ROOT / "deploy/local/servers"
LAUNCHER = ROOT / "deploy/local/mongo/Launcher.java"
LOCAL_AMQP_URL = "amqp://guest:guest@127.0.0.1:5672/"


@dataclass(frozen=True)
class Servers:
    amqp_url: str
    mongodb_url: str
    source: str


@contextlib.contextmanager
def _containers() -> Iterator[Servers]:
    from testcontainers.mongodb import MongoDbContainer
    from testcontainers.rabbitmq import RabbitMqContainer

    with RabbitMqContainer("rabbitmq:4-management") as rabbit, MongoDbContainer("mongo:7") as mongo:
        params = rabbit.get_connection_params()
        amqp = f"amqp://{rabbit.username}:{rabbit.password}@{params.host}:{params.port}/"
        yield Servers(amqp, mongo.get_connection_url(), "testcontainers")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _accepts(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
        return True
    return False


@contextlib.contextmanager
def mongo_server(
    log_dir: Path, heap: str = "2g", store: Path | None = None
) -> Iterator[tuple[str, int]]:
    """A mongo-java-server of our own on a free loopback port, its Java heap bounded; in
    memory unless given an H2 `store` file: (url, pid). Stopped and its log removed after."""
    classpath = subprocess.run(
        [str(SERVERS_SCRIPT), "mongo-classpath"], check=True, capture_output=True, text=True
    ).stdout.strip()
    port = free_port()
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"test-mongo-{port}.log"
    stored = ["--store", str(store)] if store else ["--memory"]
    java = ["java", f"-Xmx{heap}", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"]
    launch = ["-cp", classpath, str(LAUNCHER), "--host", "127.0.0.1", "--port", str(port)]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*java, *launch, *stored],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
    try:
        deadline = time.monotonic() + 60
        while not _accepts(port):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"test MongoDB did not start: {log_path.read_text()[-2000:]}")
            time.sleep(0.1)
        yield f"mongodb://127.0.0.1:{port}", process.pid
    finally:
        process.terminate()
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()
        log_path.unlink(missing_ok=True)


@contextlib.contextmanager
def test_mongo(log_dir: Path) -> Iterator[str]:
    """A throw-away in-memory mongo-java-server for this test run only (the whole run's
    databases live in its 2 GB heap)."""
    with mongo_server(log_dir) as (url, _):
        yield url


@contextlib.contextmanager
def servers() -> Iterator[Servers]:
    amqp, mongo = os.environ.get("AMQP_URL"), os.environ.get("MONGODB_URL")
    if amqp and mongo:
        yield Servers(amqp, mongo, "environment")
    elif os.environ.get("TIDTAM_TEST_SERVERS") == "containers":
        with _containers() as found:
            yield found
    else:
        subprocess.run([str(SERVERS_SCRIPT), "up", "tools", "rabbitmq"], check=True)
        local = Path(os.environ.get("TIDTAM_LOCAL_DIR", ROOT / ".local"))
        with test_mongo(local / "test") as mongodb_url:
            yield Servers(LOCAL_AMQP_URL, mongodb_url, "local")


@contextlib.asynccontextmanager
async def namespaced(live_servers: Servers) -> AsyncIterator[Settings]:
    """Settings in a fresh namespace, deleted (queues, exchanges, databases) afterwards."""
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
    for service in ("console", "intake", "monitoring", "evaluation", "reporting", "notifier"):
        await client.drop_database(made.database_of(service))
    await client.close()
