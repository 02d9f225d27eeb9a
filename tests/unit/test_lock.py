"""uv.lock matches pyproject.toml: what `make install` installs is what the project asks for.

`uv sync --locked` refuses a stale lock too; this says which requirement differs, without a
network or uv. `make lock` brings the lock up to date deliberately.
"""

import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]


def _canonical(requirement: Requirement, extra: str | None) -> tuple[str, str, str, str]:
    name = requirement.name.lower().replace("_", "-")
    return name, ",".join(sorted(requirement.extras)), str(requirement.specifier), extra or ""


def asked_for() -> set[tuple[str, str, str, str]]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    found = {_canonical(Requirement(r), None) for r in project["dependencies"]}
    for extra, requirements in project.get("optional-dependencies", {}).items():
        found |= {_canonical(Requirement(r), extra) for r in requirements}
    return found


def locked() -> set[tuple[str, str, str, str]]:
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    (root,) = [p for p in lock["package"] if p["name"] == "tidtam"]
    found = set()
    for entry in root["metadata"]["requires-dist"]:
        marker = entry.get("marker", "")
        extra = marker.split("==")[1].strip(" '\"") if marker.startswith("extra ==") else None
        requirement = Requirement(f"{entry['name']}{entry.get('specifier', '')}")
        requirement.extras = set(entry.get("extras", []))
        found.add(_canonical(requirement, extra))
    return found


def test_the_lock_holds_exactly_what_pyproject_asks_for() -> None:
    asked, held = asked_for(), locked()
    assert asked == held, (
        f"pyproject.toml and uv.lock disagree (run `make lock`): "
        f"only in pyproject {sorted(asked - held)}, only in the lock {sorted(held - asked)}"
    )


def test_every_locked_package_is_pinned_with_hashes() -> None:
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    for package in lock["package"]:
        if package["name"] == "tidtam":
            continue
        files = [*package.get("wheels", []), *([package["sdist"]] if "sdist" in package else [])]
        assert package.get("version") and files, f"{package['name']} is not pinned to files"
        assert all(f.get("hash", "").startswith("sha256:") for f in files), package["name"]


def _production_closure() -> set[str]:
    """Every distribution the image installs: the main dependencies and theirs (no extras)."""
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    packages = {p["name"]: p for p in lock["package"]}
    wanted = [
        d["name"]
        for d in packages["tidtam"]["metadata"]["requires-dist"]
        if "extra ==" not in d.get("marker", "")
    ]
    seen: set[str] = set()
    while wanted:
        name = wanted.pop()
        if name in seen or name not in packages:
            continue
        seen.add(name)
        held = packages[name]
        wanted += [d["name"] for d in held.get("dependencies", [])]
        for extra in ("rabbit", "cli"):  # the extras the project asks of faststream
            wanted += [d["name"] for d in held.get("optional-dependencies", {}).get(extra, [])]
    return seen


def test_what_the_services_import_is_installed_in_the_image() -> None:
    """A module only the test tools bring (httpx once) would fail in production."""
    import ast
    import sys
    from importlib.metadata import packages_distributions

    providers = packages_distributions()
    closure = _production_closure()
    missing = set()
    for path in [*(ROOT / "services").rglob("*.py"), *(ROOT / "shared").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top in ("services", "shared"):
                    continue
                dists = {d.lower().replace("_", "-") for d in providers.get(top, [top])}
                if not dists & closure:
                    missing.add(f"{top} ({path.relative_to(ROOT)})")
    assert not missing, f"imported by services but not a production dependency: {sorted(missing)}"
