"""Every route's OpenAPI declares the errors it can answer, with the error body."""

import importlib
from typing import Any

import pytest

from shared.platform.settings import Settings

SERVICES = ("intake", "monitoring", "evaluation", "reporting")


def openapi(service: str) -> dict[str, Any]:
    bootstrap = importlib.import_module(f"services.{service}.bootstrap").bootstrap
    document: dict[str, Any] = bootstrap(Settings(TIDTAM_NAMESPACE="openapi")).openapi()
    return document


@pytest.mark.parametrize("service", SERVICES)
def test_every_route_declares_what_it_can_answer(service: str) -> None:
    document = openapi(service)
    assert {"Error", "ErrorItem", "HTTPValidationError"} <= set(document["components"]["schemas"])
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    missing = []
    for path, methods in document["paths"].items():
        for method, operation in methods.items():
            wanted = set()
            if operation.get("security"):
                wanted |= {"401", "403"}
            if "{" in path:
                wanted.add("404")
            if method in ("post", "put", "patch", "delete"):
                wanted |= {"404", "409", "422"}
            if path not in ("/healthz", "/metrics", "/asyncapi.json"):
                wanted.add("503")
            if not wanted <= set(operation["responses"]):
                missing.append(f"{method.upper()} {path}: {wanted - set(operation['responses'])}")
            for status, response in operation["responses"].items():
                if status.startswith(("4", "5")) and status not in ("422",) and path != "/readyz":
                    content = response.get("content", {}).get("application/json", {})
                    if content and (path, status) != ("/submissions", "409"):
                        assert content["schema"] == {"$ref": "#/components/schemas/Error"}
    assert missing == []
    assert any(o.get("security") for m in document["paths"].values() for o in m.values())
    assert all(
        p.get("name", "").lower() != "authorization"
        for m in document["paths"].values()
        for o in m.values()
        for p in o.get("parameters", [])
    ), "the key is the bearer scheme, not a header parameter to fill in"
