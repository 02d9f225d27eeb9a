"""Schemathesis against every service's OpenAPI, with valid credentials, on the processes.

Each operation gets `TIDTAM_FUZZ_EXAMPLES` generated requests (30 by default; valid and
invalid ones) and fails on any 5xx, any status its OpenAPI does not declare, a content
type it does not declare, a body that breaks its declared schema, or a silent accept: a
request its OpenAPI says is invalid answered with a success (negative data must be
refused with a 4xx). The documents are the ones the services serve, drawn from the same
code at collection.
"""

import importlib
import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from shared.platform.settings import Settings
from tests.fuzz.conftest import FuzzSystem
from tests.office import SCHOOLS

pytestmark = pytest.mark.e2e

EXAMPLES = int(os.environ.get("TIDTAM_FUZZ_EXAMPLES", "30"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
# What refusing invalid input may answer: Schemathesis' defaults and 413 (over the size).
REFUSED = ["400", "401", "403", "404", "405", "406", "409", "413", "415", "422", "428", "429"]
CONFIG = {"checks": {"negative_data_rejection": {"expected-statuses": REFUSED}}}
BOUNDED = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure is shown as found
    suppress_health_check=list(HealthCheck),
)


def caller(system: FuzzSystem, service: str, path: str) -> dict[str, str]:
    """The most able valid credential for the route: an officer's; for intake, a school's
    reporter, or the office's reviewer where reviewers act."""
    if service != "intake":
        return system.key(service, "officer")
    if path.endswith(("/review", "/bulk")):
        return system.key("intake", "reviewer")
    return system.key("intake", "reporter", SCHOOLS[0])


def call(case: Any, system: FuzzSystem, service: str) -> None:
    headers = caller(system, service, case.operation.path)
    if _credential_negated(case):
        headers = {}  # the invalid part is the missing credential: send none, expect a 401
    case.call_and_validate(
        base_url=system.services[service].url, headers=headers, checks=CHECKS, timeout=30
    )


def _credential_negated(case: Any) -> bool:
    """A negative case whose headers lack the Authorization its security requires: adding
    the harness's credential would make it valid and its accept look silent."""
    negative = case.meta is not None and case.meta.is_negative_at(ParameterLocation.HEADER)
    sent = {name.lower() for name in (case.headers or {})}
    return negative and "authorization" not in sent


def openapi_of(service: str) -> Any:
    """The OpenAPI document the service serves, drawn from the same code, so each operation
    is a test of its own (the processes it calls are started by the fixture)."""
    bootstrap = importlib.import_module(f"services.{service}.bootstrap").bootstrap
    document = bootstrap(Settings(TIDTAM_NAMESPACE="fuzz-collect")).openapi()
    return schemathesis.openapi.from_dict(document, config=SchemathesisConfig.from_dict(CONFIG))


INTAKE = openapi_of("intake")
MONITORING = openapi_of("monitoring")
EVALUATION = openapi_of("evaluation")
REPORTING = openapi_of("reporting")


@INTAKE.parametrize()
@BOUNDED
def test_intake(case: Any, fuzz_system: FuzzSystem) -> None:
    call(case, fuzz_system, "intake")


@MONITORING.parametrize()
@BOUNDED
def test_monitoring(case: Any, fuzz_system: FuzzSystem) -> None:
    call(case, fuzz_system, "monitoring")


@EVALUATION.parametrize()
@BOUNDED
def test_evaluation(case: Any, fuzz_system: FuzzSystem) -> None:
    call(case, fuzz_system, "evaluation")


@REPORTING.parametrize()
@BOUNDED
def test_reporting(case: Any, fuzz_system: FuzzSystem) -> None:
    call(case, fuzz_system, "reporting")
