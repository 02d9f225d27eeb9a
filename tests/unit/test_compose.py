"""deploy/compose.yaml matches the code: services, health checks, ports and environment.

Reads the files only; no Docker and no servers are needed.
"""

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from shared.platform.settings import DEFAULT_PORTS, Settings

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
COMPOSE = DEPLOY / "compose.yaml"
ENV_EXAMPLE = DEPLOY / ".env.example"
DOCKERFILE = DEPLOY / "Dockerfile"

APP_SERVICES = ("intake", "monitoring", "evaluation", "reporting", "notifier")
SERVERS = ("rabbitmq", "mongodb")
REQUIRED_VARIABLES = {"AMQP_URL", "MONGODB_URL", "TIDTAM_HTTP_HOST", "TIDTAM_HTTP_PORT"}

# ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error}, ${NAME?error}
INTERPOLATION = re.compile(r"\$\{(?P<name>\w+)(?P<operator>:?[-?])?[^}]*\}")
READYZ_PORT = re.compile(r"http://127\.0\.0\.1:(\d+)/readyz")


def variables_the_code_reads() -> set[str]:
    """The environment variable behind every field of Settings."""
    from services.notifier.settings import NotifierSettings

    names = set()
    fields = {**Settings.model_fields, **NotifierSettings.model_fields}
    for field_name, field in fields.items():
        alias = field.validation_alias
        assert isinstance(alias, str), f"Settings.{field_name} has no plain-string alias"
        names.add(alias)
    return names


@pytest.fixture(scope="module")
def compose_text() -> str:
    return COMPOSE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def compose(compose_text: str) -> dict[str, Any]:
    """The compose file with anchors and `<<` merges resolved."""
    loaded = yaml.safe_load(compose_text)
    assert isinstance(loaded, dict), "compose.yaml is not a mapping"
    return loaded


@pytest.fixture(scope="module")
def services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    found = compose.get("services")
    assert isinstance(found, dict), "compose.yaml has no services"
    return found


def environment_of(service: dict[str, Any]) -> dict[str, str]:
    """A service's environment as a mapping, whichever form compose.yaml uses."""
    raw = service.get("environment") or {}
    if isinstance(raw, list):
        raw = dict(item.split("=", 1) if "=" in item else (item, "") for item in raw)
    return {str(name): str(value) for name, value in raw.items()}


def test_all_six_services_exist(services: dict[str, dict[str, Any]]) -> None:
    missing = set(SERVERS + APP_SERVICES) - set(services)
    assert not missing, f"services missing from compose.yaml: {sorted(missing)}"


def test_every_service_has_a_healthcheck(services: dict[str, dict[str, Any]]) -> None:
    without = [name for name, service in services.items() if not service.get("healthcheck")]
    assert not without, f"services without a healthcheck: {without}"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_waits_for_healthy_servers(
    services: dict[str, dict[str, Any]], name: str
) -> None:
    depends_on = services[name].get("depends_on")
    assert isinstance(depends_on, dict), f"{name}: depends_on must be a mapping with conditions"
    for server in SERVERS:
        condition = (depends_on.get(server) or {}).get("condition")
        assert condition == "service_healthy", (
            f"{name} must depend on {server} with condition service_healthy, not {condition!r}"
        )


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_runs_its_own_module(services: dict[str, dict[str, Any]], name: str) -> None:
    command = services[name].get("command")
    words = command.split() if isinstance(command, str) else list(command or [])
    assert words[-2:] == ["-m", f"services.{name}"], (
        f"{name}: command should run `python -m services.{name}`, not {command!r}"
    )


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_sets_the_variables_the_code_reads(
    services: dict[str, dict[str, Any]], name: str
) -> None:
    environment = environment_of(services[name])
    known = variables_the_code_reads()
    assert known >= REQUIRED_VARIABLES, (
        "shared.platform.settings no longer reads a required variable"
    )
    missing = REQUIRED_VARIABLES - environment.keys()
    assert not missing, f"{name}: environment lacks {sorted(missing)}"
    stray = environment.keys() - known
    assert not stray, f"{name}: sets variables no code reads: {sorted(stray)}"
    assert environment["TIDTAM_HTTP_HOST"] == "0.0.0.0", (
        f"{name}: TIDTAM_HTTP_HOST must be 0.0.0.0 or the published port cannot reach it"
    )


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_port_is_consistent(services: dict[str, dict[str, Any]], name: str) -> None:
    service = services[name]
    port = int(environment_of(service)["TIDTAM_HTTP_PORT"])
    assert port == DEFAULT_PORTS[name], (
        f"{name}: TIDTAM_HTTP_PORT {port} differs from DEFAULT_PORTS[{name!r}]"
    )
    probe = " ".join(map(str, service["healthcheck"]["test"]))
    probed = READYZ_PORT.findall(probe)
    assert probed == [str(port)], (
        f"{name}: healthcheck should request http://127.0.0.1:{port}/readyz, found {probe!r}"
    )
    published = [str(mapping) for mapping in service.get("ports", [])]
    assert published == [f"127.0.0.1:{port}:{port}"], (
        f"{name}: should publish only 127.0.0.1:{port}:{port}, found {published}"
    )


def test_published_ports_are_loopback_only(services: dict[str, dict[str, Any]]) -> None:
    for name, service in services.items():
        for mapping in service.get("ports", []):
            assert str(mapping).startswith("127.0.0.1:"), (
                f"{name}: port {mapping!r} is published beyond 127.0.0.1"
            )


def test_no_guest_credentials(compose_text: str) -> None:
    assert "guest" not in compose_text.lower(), "compose.yaml must not use the guest account"


def test_required_variables_are_in_env_example(compose_text: str) -> None:
    example = ENV_EXAMPLE.read_text(encoding="utf-8")
    defined = {
        line.split("=", 1)[0].strip()
        for line in example.splitlines()
        if "=" in line and not line.lstrip().startswith("#")
    }
    without_default = {
        match["name"]
        for match in INTERPOLATION.finditer(compose_text)
        if match["operator"] not in ("-", ":-")
    }
    assert without_default, "expected compose.yaml to take credentials from the env file"
    missing = without_default - defined
    assert not missing, f"deploy/.env.example does not define {sorted(missing)}"


def test_servers_keep_their_data_in_named_volumes(compose: dict[str, Any]) -> None:
    volumes = compose.get("volumes") or {}
    for server, target in (("rabbitmq", "/var/lib/rabbitmq"), ("mongodb", "/data/db")):
        mounts = [str(mount) for mount in compose["services"][server].get("volumes", [])]
        sources = [mount.split(":", 1)[0] for mount in mounts if mount.endswith(f":{target}")]
        assert sources, f"{server}: no volume mounted on {target}"
        assert sources[0] in volumes, f"{server}: {sources[0]!r} is not a named volume"


def test_dockerfile_installs_the_locked_dependencies() -> None:
    assert DOCKERFILE.is_file(), f"{DOCKERFILE} is missing"
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert re.search(r"^COPY .*\buv\.lock\b", text, re.MULTILINE), "the image does not get uv.lock"
    assert "deploy/install" in text, "the image does not install with deploy/install (the lock)"
    assert re.search(r"^USER\s+(?!root\b)\S+", text, re.MULTILINE), (
        "the Dockerfile should switch to a non-root USER"
    )


def test_the_compose_test_overrides_every_app_service(services: dict[str, dict[str, Any]]) -> None:
    """The compose tier's stand-in MongoDB has no authentication: each service that
    connects to it needs the override (a new service without one fails only there)."""

    class Loader(yaml.SafeLoader):  # compose's `!reset` tag
        pass

    Loader.add_constructor("!reset", lambda loader, node: None)
    text = (DEPLOY.parent / "tests/compose/compose.test.yaml").read_text()
    override = yaml.load(text, Loader=Loader)  # a safe loader, taught one tag
    connecting = {n for n, s in services.items() if "MONGODB_URL" in s.get("environment", {})}
    missing = {
        name
        for name in connecting
        if "MONGODB_URL" not in override["services"].get(name, {}).get("environment", {})
    }
    assert not missing, f"tests/compose/compose.test.yaml lacks MONGODB_URL for {sorted(missing)}"
