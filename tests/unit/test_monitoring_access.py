"""Monitoring's routes need a credential; officers write, reporters read their own; the
officer's "remind now" reaches each missing unit once a day."""

from datetime import timedelta

import httpx

from services.monitoring.bootstrap import assemble
from shared.platform.service import build_runtime
from shared.platform.settings import Settings
from shared.thai.calendar import thai_today
from tests.fakes import OFFICER, FakeCredentials
from tests.unit.test_monitoring_wiring import NOW, SCHOOL, monitoring_ports, office, wired

REPORTER = {"Authorization": "Bearer reporter-key"}
OTHER_SCHOOL = "8401000002"


def client_of(app: object) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    return httpx.AsyncClient(transport=transport, base_url="http://monitoring")


async def test_no_route_takes_a_write_or_a_read_without_credentials() -> None:
    ports, _ = monitoring_ports(*office(thai_today(NOW)))
    ports.credentials = FakeCredentials(
        {"officer-key": ("officer", "SESA"), "reporter-key": ("reporter", SCHOOL)}
    )
    app = assemble(build_runtime("monitoring", Settings(TIDTAM_NAMESPACE="wiring")), ports)
    obec = {"code": "OBEC2", "unit_type": "obec", "name_th": "สพฐ."}
    async with client_of(app) as api:
        assert (await api.post("/units", json=obec)).status_code == 401
        assert (await api.get("/units")).status_code == 401
        assert (await api.post("/units", json=obec, headers=REPORTER)).status_code == 403
        own = await api.get("/assignments", params={"unit_code": SCHOOL}, headers=REPORTER)
        other = await api.get("/assignments", params={"unit_code": OTHER_SCHOOL}, headers=REPORTER)
        board = await api.get("/dashboard/rounds/2570-Q1", headers=REPORTER)
        health = await api.get("/healthz")
    assert own.status_code == 200 and other.status_code == 403 and board.status_code == 403
    assert health.status_code == 200, "health stays open for the orchestrator"


async def test_remind_now_reaches_each_missing_unit_once_a_day() -> None:
    app, _, _, published = wired(*office(thai_today(NOW) - timedelta(days=2)))
    async with client_of(app) as api:
        first = await api.post("/dashboard/rounds/2570-Q1/reminders", json={}, headers=OFFICER)
        again = await api.post("/dashboard/rounds/2570-Q1/reminders", json={}, headers=OFFICER)
        unknown = await api.post("/dashboard/rounds/2570-Q9/reminders", json={}, headers=OFFICER)
    assert first.json() == {"reminded": 1, "already_today": 0}
    assert again.json() == {"reminded": 0, "already_today": 1}, "a second click sends nothing"
    assert unknown.status_code == 404
    reminded = [e for e in published if e.type == "reminder.due.v1"]
    assert [(e.data.unit_code, e.data.days_overdue) for e in reminded] == [(SCHOOL, 2)]
