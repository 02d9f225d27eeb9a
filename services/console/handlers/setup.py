"""Set-up through monitoring's API: units, rounds, imports. Monitoring checks every rule;
the console shows its answers (one validation path)."""

from typing import Any

import httpx

from services.console.domain.accounts import Account
from services.console.handlers.accounts import person_of
from services.console.handlers.ports import ConsolePorts

IMPORT_KINDS = {
    "units": "หน่วยงาน",
    "plans": "แผน",
    "projects": "โครงการ",
    "indicators": "ตัวชี้วัด",
    "assignments": "การกำหนดผู้รายงานเพิ่มเติม",
}


async def search_units(
    ports: ConsolePorts, account: Account, query: str, limit: int = 200
) -> list[dict[str, Any]]:
    """Units from monitoring whose code or Thai name holds `query` (all when empty)."""
    answer = await ports.monitoring.request(
        "GET", "/units", person_of(account), params={"limit": 5000}
    )
    answer.raise_for_status()
    wanted = query.strip().lower()
    found = [
        u
        for u in answer.json()
        if not wanted or wanted in u["code"].lower() or wanted in u["name_th"].lower()
    ]
    return found[:limit]


async def read(ports: ConsolePorts, account: Account, path: str) -> dict[str, Any] | None:
    answer = await ports.monitoring.request("GET", path, person_of(account))
    if answer.status_code == 404:
        return None
    answer.raise_for_status()
    found: dict[str, Any] = answer.json()
    return found


async def replace(
    ports: ConsolePorts, account: Account, path: str, body: dict[str, Any]
) -> httpx.Response:
    return await ports.monitoring.request("PUT", path, person_of(account), json=body)


async def import_sheet(
    ports: ConsolePorts,
    account: Account,
    kind: str,
    file_name: str,
    content: bytes,
    dry_run: bool,
) -> httpx.Response:
    return await ports.monitoring.request(
        "POST",
        f"/imports/{kind}",
        person_of(account),
        params={"dry_run": str(dry_run).lower()},
        files={"file": (file_name, content)},
    )
