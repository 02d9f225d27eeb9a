"""The sample office reports a round; monitoring's rates, lists and reminders are exact.

The expectations are computed here from the generated office and the generated
submissions, independently of the services' code: who is expected (project × reporting
unit, units open at the round's end), who reported on time or late, who is missing.
Two monitoring processes run at once; reminders go once each, to missing units only.
"""

import asyncio
import csv
import io
import json
import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest

from samples.load import load, send
from samples.office import SampleOffice, generate_office
from services.monitoring.replay import replay
from shared.platform.mongo import make_client
from shared.platform.settings import Settings
from shared.platform.topology import Consumer, Topology
from tests.processes import SERVICES, ServiceProcess
from tests.support import amqp_channel, eventually, key_for, publish, submitted, take_all

pytestmark = pytest.mark.e2e

ROUND = "2570-T1"  # a custom round over quarter 2, open now; due tomorrow, then moved back
PERIOD = (date(2027, 1, 1), date(2027, 3, 31))


@pytest.fixture
def office_system(settings: Settings, tmp_path: Path) -> Iterator[dict[str, ServiceProcess]]:
    """Intake, evaluation, reporting and TWO monitoring processes, reminders every second."""
    fast = {"TIDTAM_REMINDER_INTERVAL_S": "1"}
    running = {name: ServiceProcess(name, settings, tmp_path, env=fast) for name in SERVICES}
    running["monitoring-2"] = ServiceProcess(
        "monitoring", settings, tmp_path, env=fast, label="monitoring-2"
    )
    for service in running.values():
        service.start()
    try:
        for service in running.values():
            service.wait_ready()
        yield running
    finally:
        for service in running.values():
            service.stop()


def expected_units(office: SampleOffice) -> set[str]:
    """Project × reporting unit for the round, only units open on the period's last day."""
    end = PERIOD[1]
    units = {u.code: u for u in office.units}

    def open_at_end(code: str) -> bool:
        unit = units.get(code)
        return (
            unit is not None and (unit.active_from or end) <= end and end <= (unit.active_to or end)
        )

    plans = {
        p.plan_id: p
        for p in office.plans
        if p.status == "published"
        and p.form_id
        and p.first_fiscal_year <= 2570 <= p.last_fiscal_year
    }
    expected: set[str] = set()
    for project in office.projects:
        if project.plan_id not in plans or project.ends_on < PERIOD[0] or project.starts_on > end:
            continue
        reporters = {project.responsible_unit, *project.reporting_units}
        reporters |= {u.code for u in office.units if u.unit_type in project.reporting_unit_types}
        expected |= {code for code in reporters if open_at_end(code)}
    return expected


def projects_of(office: SampleOffice, unit: Any) -> list[str]:
    return sorted(
        p.code
        for p in office.projects
        if unit.code in (p.responsible_unit, *p.reporting_units)
        or unit.unit_type in p.reporting_unit_types
    )


def percent(part: int, whole: int) -> str:
    value = (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return str(value)


async def test_a_round_of_the_sample_office(
    settings: Settings, office_system: dict[str, ServiceProcess]
) -> None:
    office = generate_office(seed=2570)
    monitoring = office_system["monitoring"].url
    monitoring_officer = office_system["monitoring"].officer
    await load(office, monitoring, headers=monitoring_officer)
    today = (datetime.now(UTC) + timedelta(hours=7)).date()
    async with httpx.AsyncClient(
        base_url=monitoring, headers=monitoring_officer, timeout=120
    ) as api:
        body = {
            "round_id": ROUND,
            "fiscal_year": 2570,
            "round_type": "custom",
            "name_th": "รอบทดสอบไตรมาส 2",
            "period_start": str(PERIOD[0]),
            "period_end": str(PERIOD[1]),
            "opens_on": str(today - timedelta(days=20)),
            "due_on": str(today + timedelta(days=1)),
            "closes_on": str(today + timedelta(days=10)),
        }
        assert (await send(api, "POST", "/rounds", json=body)).status_code == 201
        derived = await send(api, "POST", "/fiscal-years/2570/assignments/derive")
        assert derived.status_code == 200

    expected = expected_units(office)
    closed = next(u.code for u in office.units if u.active_to is not None)
    opened = next(u.code for u in office.units if u.active_from is not None)
    assert closed not in expected and opened in expected, "the sample's mid-year schools"
    rng = random.Random(7)
    reporters = sorted(expected)
    rng.shuffle(reporters)
    on_time = set(reporters[: len(reporters) * 6 // 10])
    late = set(reporters[len(on_time) : len(reporters) * 8 // 10])
    missing = expected - on_time - late
    units = {u.code: u for u in office.units}

    def report(code: str, key: str, status: str, occurred: datetime) -> dict[str, Any]:
        values = {
            "problems": f"ปัญหาของ {code}",
            "projects": {
                p: {"activity_status": status, "budget_spent": "1000"}
                for p in projects_of(office, units[code])
            },
        }
        event = submitted(code, ROUND, key=key, values=values, form_id="action-plan-progress")
        event["occurred_at"] = occurred.isoformat()
        return event

    now = datetime.now(UTC)
    before_due = now - timedelta(days=3)
    events = [report(c, f"{c}-1", "in_progress", before_due) for c in sorted(on_time)]
    events += [report(c, f"{c}-1", "in_progress", now) for c in sorted(late)]
    corrections = sorted(on_time)[:10]  # corrected after the due date: still on time
    events += [report(c, f"{c}-2", "done", now) for c in corrections]
    events += events[:15]  # exact duplicates
    events.append(report(closed, f"{closed}-1", "done", before_due))  # closed: refused
    topology = Topology(settings.namespace)
    async with amqp_channel(settings.amqp_url) as channel:
        for event in events:
            await publish(channel, topology.events_exchange, "submission.submitted.v1", event)

    async def overview() -> dict[str, Any]:
        async with httpx.AsyncClient(
            base_url=monitoring, headers=monitoring_officer, timeout=60
        ) as api:
            response = await api.get(f"/dashboard/rounds/{ROUND}")
            return response.json() if response.status_code == 200 else {}  # 503: retry

    def settled(seen: dict[str, Any]) -> bool:
        offices = seen.get("offices") or [{}]
        rates = offices[0].get("rates", {})
        reported = {p["unit_code"] for p in seen.get("problems", [])}
        return rates.get("late") == len(late) and reported == on_time | late

    def all_in(seen: dict[str, Any]) -> bool:
        rates = (seen.get("offices") or [{}])[0].get("rates", {})
        return rates.get("on_time") == len(on_time | late)  # nothing is late before the due date

    await eventually(overview, all_in, timeout=180, every=1.0)
    # The officer moves the due date back two days: who reported after it is now late, and
    # the round is due, so the missing units get reminders.
    async with httpx.AsyncClient(
        base_url=monitoring, headers=monitoring_officer, timeout=120
    ) as api:
        moved = {**body, "due_on": str(today - timedelta(days=2))}
        assert (await send(api, "PUT", f"/rounds/{ROUND}", json=moved)).status_code == 200
    seen = await eventually(overview, settled, timeout=180, every=1.0)
    rates = seen["offices"][0]["rates"]
    assert (rates["expected"], rates["on_time"], rates["late"], rates["missing"]) == (
        len(expected),
        len(on_time),
        len(late),
        len(missing),
    )
    assert rates["rate"] == percent(len(on_time | late), len(expected))
    assert seen["late_units"] == sorted(late)
    assert seen["missing_units"] == sorted(missing)
    assert rates["unexpected"] == 0, "intake refused the closed school: it is not assigned"
    assert {p["unit_code"] for p in seen["problems"]} == on_time | late

    officer = await key_for(settings, "reporting", "officer")

    # The officer asks reporting for the round's rates as CSV: rendered from reporting's
    # own copy of what monitoring announced, downloaded with the same late and missing units.
    async def rates_csv() -> dict[str, set[str]]:
        content = await _report(
            office_system["reporting"].url,
            officer,
            {"report_type": "rates", "round_id": ROUND, "format": "csv"},
        )
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))[1:]
        return {
            "late": {row[0] for row in rows if row[6] == "1"},
            "missing": {row[0] for row in rows if row[7] == "1"},
        }

    groups = {u.code for u in office.units if u.unit_type == "group"}  # in the group table
    wanted = {"late": late - groups, "missing": missing - groups}
    await eventually(rates_csv, lambda found: found == wanted, 90, every=1.0)

    # …and the round report lists every unit's problems, as monitoring announced them.
    async def problems_listed() -> dict[str, str]:
        content = await _report(
            office_system["reporting"].url,
            officer,
            {"report_type": "round", "round_id": ROUND, "format": "xlsx"},
        )
        sheet = openpyxl.load_workbook(io.BytesIO(content))["ปัญหาอุปสรรคและข้อเสนอแนะ"]
        return {str(r[0]): str(r[3]) for r in sheet.iter_rows(min_row=2, values_only=True)}

    said = {code: f"ปัญหาของ {code}" for code in on_time | late}
    await eventually(problems_listed, lambda found: found == said, 90, every=1.0)

    async with amqp_channel(settings.amqp_url) as channel:
        # No notifier runs here: the reminders wait in its queue.
        notifications = Topology(settings.namespace).queue(Consumer("notifier", "reminder.due.v1"))

        async def reminded() -> list[dict[str, Any]]:
            return [json.loads(m.body)["data"] for m in await take_all(channel, notifications)]

        sent: list[dict[str, Any]] = []
        await eventually(lambda: _extend(sent, reminded()), lambda n: n >= len(missing), timeout=30)
        await asyncio.sleep(3)  # both monitoring processes have run several passes by now
        sent += await reminded()
    ours = [r for r in sent if r.get("round_id") == ROUND and "unit_code" in r]
    assert sorted(r["unit_code"] for r in ours) == sorted(missing), (
        "once each, to missing units only"
    )

    async with httpx.AsyncClient(
        base_url=monitoring, headers=monitoring_officer, timeout=60
    ) as api:
        year = (await send(api, "GET", "/dashboard/fiscal-years/2570/rounds")).json()
    rounds = {r["round"]["round_id"]: r for r in year}
    assert rounds[ROUND]["offices"][0]["rates"] == rates, "the year view shows the same rates"

    before = await _read_models(settings)
    assert await replay(settings, 180, out=_Quiet()) > 0
    after = await _read_models(settings)
    for name, rows in before.items():
        changed = [(b, a) for b, a in zip(rows, after[name], strict=False) if a != b]
        assert len(after[name]) == len(rows) and not changed, (name, changed[:1])


async def _report(reporting: str, key: dict[str, str], body: dict[str, Any]) -> bytes:
    """Request a report with an officer's key, wait for the worker, download it."""
    async with httpx.AsyncClient(base_url=reporting, timeout=60, headers=key) as api:
        asked = await api.post("/reports", json=body)
        assert asked.status_code == 202, asked.text
        request_id = asked.json()["request_id"]

        async def status() -> str:
            return str((await api.get(f"/reports/{request_id}")).json()["status"])

        assert await eventually(status, lambda s: s in ("rendered", "failed"), 60) == "rendered"
        download = await api.get(f"/reports/{request_id}/download")
        assert download.status_code == 200
        return download.content


async def _extend(into: list[dict[str, Any]], more: Any) -> int:
    into.extend(await more)
    return len(into)


async def _read_models(settings: Settings) -> dict[str, list[Any]]:
    """The read models without the moments they were computed at."""
    volatile = {"updated_at", "at", "sequence"}
    client = make_client(settings.mongodb_url)
    db = client[settings.database_of("monitoring")]
    try:
        found = {}
        for name in ("rates", "project_progress", "submissions", "problems", "round_progress"):
            # round_progress is not rebuilt but must come through the replay unchanged
            documents = await db[name].find().sort("_id").to_list()
            found[name] = [_steady(d, volatile) for d in documents]
    finally:
        await client.close()
    return found


def _steady(document: dict[str, Any], volatile: set[str]) -> dict[str, Any]:
    """A document without its volatile fields, at any depth (a rollup's unit entries, a
    row's computed part)."""
    return {
        k: _steady(v, volatile) if isinstance(v, dict) else v
        for k, v in document.items()
        if k not in volatile
    }


class _Quiet:
    def write(self, _: str) -> int:
        return 0

    def flush(self) -> None:
        pass
