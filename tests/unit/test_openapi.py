"""Every service documents its HTTP API (OpenAPI builds without a server)."""

import json
import re

import pytest

from services.console.bootstrap import bootstrap as console
from services.evaluation.bootstrap import bootstrap as evaluation
from services.intake.bootstrap import bootstrap as intake
from services.monitoring.bootstrap import bootstrap as monitoring
from services.notifier.bootstrap import bootstrap as notifier
from services.reporting.bootstrap import bootstrap as reporting
from shared.platform.settings import Settings


@pytest.mark.parametrize("bootstrap", [intake, monitoring, evaluation, reporting])
async def test_openapi_builds(bootstrap: object) -> None:
    app = bootstrap(Settings())  # type: ignore[operator]
    spec = app.openapi()
    assert "/healthz" in spec["paths"] and "/readyz" in spec["paths"]


async def test_monitoring_documents_its_set_up() -> None:
    spec = monitoring(Settings()).openapi()
    for path in (
        "/units",
        "/units/{key}",
        "/forms/{form_id}/versions/{version}/publish",
        "/imports/{kind}",
        "/fiscal-years/{fiscal_year}/assignments/derive",
    ):
        assert path in spec["paths"], path
    create = spec["paths"]["/units"]["post"]["requestBody"]["content"]["application/json"]
    # What a body accepts (validation), beside what a response sends under `Unit`.
    assert create["schema"]["$ref"] == "#/components/schemas/Unit-Input"
    assert {"Unit", "Unit-Input"} <= set(spec["components"]["schemas"])


@pytest.mark.parametrize("bootstrap", [intake, monitoring, evaluation, reporting])
async def test_every_schema_reference_resolves(bootstrap: object) -> None:
    """A dangling `$ref` breaks ReDoc's whole page ("Invalid reference token")."""
    spec = bootstrap(Settings()).openapi()  # type: ignore[operator]
    refs = set(re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', json.dumps(spec)))
    missing = refs - set(spec.get("components", {}).get("schemas", {}))
    assert not missing, f"referenced but not in components: {sorted(missing)}"


@pytest.mark.parametrize(
    "bootstrap", [intake, monitoring, evaluation, reporting, notifier, console]
)
async def test_every_integer_parameter_is_bounded(bootstrap: object) -> None:
    """10^30 in a query or a path is a 422, never an OverflowError when MongoDB meets it."""
    spec = bootstrap(Settings()).openapi()  # type: ignore[operator]
    unbounded = []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema", {})
                options = [schema, *schema.get("anyOf", [])]
                for option in options:
                    if option.get("type") == "integer" and not (
                        "maximum" in option and "minimum" in option
                    ):
                        unbounded.append(f"{method.upper()} {path} {parameter['name']}")
    assert not unbounded, unbounded


async def test_a_body_documents_only_what_a_client_sends() -> None:
    """Fields the route sets itself (a draft's version, from the path) are not required of
    the client: the fuzz tier's negative data would otherwise be accepted silently."""
    for bootstrap, path, method, omitted in (
        (monitoring, "/forms", "post", {"version", "status", "published_at"}),
        (monitoring, "/forms/{form_id}/versions/{version}", "put", {"form_id", "version"}),
        (evaluation, "/frameworks", "post", {"version", "status"}),
    ):
        spec = bootstrap(Settings()).openapi()
        body = spec["paths"][path][method]["requestBody"]["content"]["application/json"]
        schema = spec["components"]["schemas"][body["schema"]["$ref"].split("/")[-1]]
        assert not omitted & set(schema["properties"]) and not omitted & set(schema["required"])
        assert {"title_th"} <= set(schema["required"])
