"""Where the tests find RabbitMQ and MongoDB.

1. `AMQP_URL` and `MONGODB_URL`, when both are set;
2. else testcontainers (RabbitMQ and real MongoDB 7), when a Docker engine answers;
3. else the local servers of `deploy/local/servers up` (installed and started on demand).
"""

import contextlib
import os
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Servers:
    amqp_url: str
    mongodb_url: str
    source: str


def _docker_answers() -> bool:
    try:
        import docker

        docker.from_env(timeout=3).ping()
    except Exception:
        return False
    return True


@contextlib.contextmanager
def _containers() -> Iterator[Servers]:
    from testcontainers.mongodb import MongoDbContainer
    from testcontainers.rabbitmq import RabbitMqContainer

    with RabbitMqContainer("rabbitmq:4-management") as rabbit, MongoDbContainer("mongo:7") as mongo:
        params = rabbit.get_connection_params()
        amqp = f"amqp://{rabbit.username}:{rabbit.password}@{params.host}:{params.port}/"
        yield Servers(amqp, mongo.get_connection_url(), "testcontainers")


@contextlib.contextmanager
def servers() -> Iterator[Servers]:
    amqp, mongo = os.environ.get("AMQP_URL"), os.environ.get("MONGODB_URL")
    if amqp and mongo:
        yield Servers(amqp, mongo, "environment")
    elif _docker_answers():
        with _containers() as found:
            yield found
    else:
        env = {**os.environ, "TIDTAM_MONGO_BACKEND": os.environ.get("TIDTAM_MONGO_BACKEND", "h2")}
        subprocess.run([str(ROOT / "deploy/local/servers"), "up"], check=True, env=env)
        yield Servers("amqp://guest:guest@127.0.0.1:5672/", "mongodb://127.0.0.1:27017", "local")
