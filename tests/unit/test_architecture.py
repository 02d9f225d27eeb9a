"""The house's shape as the imports draw it, checked on every run.

- a service's `domain/` imports the standard library, pydantic, the contracts, the Thai
  rules and its own domain only (no framework, no database, no platform);
- no service imports another service;
- `shared.contracts` and `shared.thai` are pure: they import nothing else of the project,
  and no framework;
- `shared` never imports a service.
"""

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = sorted(p.name for p in (ROOT / "services").iterdir() if (p / "__init__.py").exists())
PURE_THIRD_PARTY = {"pydantic", "pydantic_core", "typing_extensions"}


def modules(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def imports(path: Path) -> Iterator[tuple[int, str]]:
    """Every module `path` imports (absolute names), with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module


def is_stdlib(name: str) -> bool:
    return name.split(".")[0] in sys.stdlib_module_names


def breaches(path: Path, allowed_project: tuple[str, ...], third_party: set[str]) -> list[str]:
    found = []
    for line, name in imports(path):
        top = name.split(".")[0]
        if is_stdlib(name) or top in third_party:
            continue
        if top in ("shared", "services") and name.startswith(allowed_project):
            continue
        found.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    return found


@pytest.mark.parametrize("service", SERVICES)
def test_a_domain_imports_only_contracts_thai_rules_and_itself(service: str) -> None:
    allowed = ("shared.contracts", "shared.thai", f"services.{service}.domain")
    found = [
        breach
        for path in modules(ROOT / "services" / service / "domain")
        for breach in breaches(path, allowed, PURE_THIRD_PARTY)
    ]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("service", SERVICES)
def test_no_service_imports_another(service: str) -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in modules(ROOT / "services" / service)
        for line, name in imports(path)
        if name.startswith("services.") and not name.startswith(f"services.{service}")
    ]
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    ("package", "allowed"),
    [("contracts", ("shared.contracts", "shared.thai")), ("thai", ("shared.thai",))],
)
def test_contracts_and_thai_rules_are_pure(package: str, allowed: tuple[str, ...]) -> None:
    found = [
        breach
        for path in modules(ROOT / "shared" / package)
        for breach in breaches(path, allowed, PURE_THIRD_PARTY)
    ]
    assert not found, "\n".join(found)


def test_shared_never_imports_a_service() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in modules(ROOT / "shared")
        for line, name in imports(path)
        if name.split(".")[0] == "services"
    ]
    assert not found, "\n".join(found)
