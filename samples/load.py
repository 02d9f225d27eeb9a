"""Load a sample office into a running monitoring service through its HTTP API.

    python -m samples.load [--url http://127.0.0.1:8002] [--key KEY] [--seed N] [--schools N]

Idempotent: what exists is replaced with the same state. Then the form is published, the
year's assignments derived and the work calendar opened, so the office is ready to report.
"""

import argparse
import asyncio
import os
import sys
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx

from samples.office import FISCAL_YEAR, SampleOffice, generate_office
from shared.contracts.setup import Form, Round, SetupModel
from shared.thai.calendar import quarter_period

PATHS = {
    "unit": "/units",
    "round": "/rounds",
    "strategy": "/strategies",
    "plan": "/plans",
    "project": "/projects",
    "indicator": "/indicators",
}


RETRIES = 10


class LoadError(RuntimeError):
    pass


async def send(api: httpx.AsyncClient, method: str, path: str, **options: Any) -> httpx.Response:
    """A request, tried again while the service answers 503 (its database briefly away)."""
    for _ in range(RETRIES):
        response = await api.request(method, path, **options)
        if response.status_code != 503:
            return response
        await asyncio.sleep(float(response.headers.get("Retry-After", "1")))
    return response


async def _put_entity(api: httpx.AsyncClient, entity: SetupModel) -> None:
    path = PATHS[entity.entity]
    body = entity.model_dump(mode="json")
    response = await send(api, "POST", path, json=body)
    if response.status_code == 409:
        response = await send(api, "PUT", f"{path}/{entity.key}", json=body)
    if response.status_code >= 400:
        raise LoadError(f"{path} {entity.key}: {response.status_code} {response.text}")


async def _put_form(api: httpx.AsyncClient, form: Form) -> None:
    versions = (await send(api, "GET", f"/forms/{form.form_id}/versions")).json()
    if any(v["status"] == "published" for v in versions):
        return
    body = form.model_dump(mode="json", exclude={"version", "status", "published_at"})
    if not versions:
        draft = await send(api, "POST", "/forms", json=body)
        if draft.status_code >= 400:
            raise LoadError(f"form {form.form_id}: {draft.status_code} {draft.text}")
        versions = [draft.json()]
    version = versions[-1]["version"]
    published = await send(api, "POST", f"/forms/{form.form_id}/versions/{version}/publish")
    if published.status_code >= 400:
        raise LoadError(f"publish {form.form_id}: {published.status_code} {published.text}")


def open_round(today: date) -> Round:
    """A round open today over quarter 1, so a newcomer can submit at once (a demo only)."""
    q1 = quarter_period(FISCAL_YEAR, 1)
    return Round(
        round_id=f"{FISCAL_YEAR}-DEMO",
        fiscal_year=FISCAL_YEAR,
        round_type="custom",
        name_th="รอบสาธิต (เปิดรับรายงานวันนี้)",
        period_start=q1.start,
        period_end=q1.end,
        opens_on=today - timedelta(days=7),
        due_on=today + timedelta(days=7),
        closes_on=today + timedelta(days=30),
    )


async def load(
    office: SampleOffice,
    url: str,
    *,
    demo_round: bool = False,
    headers: dict[str, str] | None = None,
    timeout: float = 120,  # noqa: ASYNC109 - each HTTP request's, not a cancellation
) -> dict[str, int]:
    """Put every entity of `office`, then derive assignments and open the work calendar.

    `headers` carry an officer's credential (monitoring's routes need one)."""
    if demo_round:
        office.rounds.append(open_round((datetime.now(UTC) + timedelta(hours=7)).date()))
    async with httpx.AsyncClient(base_url=url, timeout=timeout, headers=headers) as api:
        for kind in ("units", "rounds", "strategies"):
            for entity in office.kinds()[kind]:
                await _put_entity(api, entity)
        for form in office.forms:
            await _put_form(api, form)
        for kind in ("plans", "projects", "indicators"):
            for entity in office.kinds()[kind]:
                await _put_entity(api, entity)
        derived = await send(api, "POST", f"/fiscal-years/{FISCAL_YEAR}/assignments/derive")
        if derived.status_code >= 400:
            raise LoadError(f"derive: {derived.status_code} {derived.text}")
        await send(api, "POST", f"/fiscal-years/{FISCAL_YEAR}/work-calendar")
    return {**office.counts(), "assignments": derived.json()["expected"]}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--url", default="http://127.0.0.1:8002")
    parser.add_argument(
        "--key",
        default=os.environ.get("TIDTAM_MONITORING_KEY"),
        help="an officer's API key for monitoring (default: $TIDTAM_MONITORING_KEY)",
    )
    parser.add_argument("--seed", type=int, default=2570)
    parser.add_argument("--schools", type=int, default=120)
    parser.add_argument(
        "--demo-round", action="store_true", help="also a round open today, to try submitting"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    office = generate_office(seed=args.seed, schools=args.schools)
    try:
        headers = {"Authorization": f"Bearer {args.key}"} if args.key else None
        counts = asyncio.run(load(office, args.url, demo_round=args.demo_round, headers=headers))
    except (LoadError, httpx.HTTPError) as error:
        print(f"samples.load: {error}", file=sys.stderr)
        return 1
    summary = ", ".join(f"{n} {kind}" for kind, n in counts.items())
    took = time.perf_counter() - started
    print(f"loaded sample office {office.office_code}: {summary} ({took:.1f}s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
