"""The console's rules and its assembled app, with in-memory fakes of its ports."""

import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

from services.console.bootstrap import assemble
from services.console.domain.accounts import Account, check_new_account
from services.console.domain.glance import UnitName, current_round, glance
from services.console.domain.signin import Throttle
from services.console.domain.text import Speech
from services.console.handlers.ports import ConsolePorts
from shared.contracts.refusals import Refusal
from shared.contracts.setup import SetupModel
from shared.platform.identity import Person
from shared.platform.service import build_runtime
from shared.platform.settings import Settings

NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)


def test_the_sixth_attempt_in_fifteen_minutes_waits() -> None:
    throttle = Throttle()
    failures = [NOW - timedelta(minutes=m) for m in (1, 2, 3, 4)]
    assert throttle.wait(failures, NOW) is None
    wait = throttle.wait([*failures, NOW - timedelta(minutes=10)], NOW)
    assert wait == timedelta(minutes=5)
    assert throttle.wait([NOW - timedelta(minutes=20)] * 9, NOW) is None, "old failures expire"


def test_a_new_account_lists_every_problem_in_thai() -> None:
    with pytest.raises(Refusal) as refused:
        check_new_account("A", "", "king", "", "short")
    fields = {p.field: p.message_th for p in refused.value.problems}
    assert set(fields) == {"username", "display_name", "role", "unit_code", "password"}
    assert all(fields.values())


def test_speech_writes_buddhist_era_dates_and_thai_digits_on_request() -> None:
    assert Speech().date(date(2026, 11, 24)) == "24 พ.ย. 2569"
    assert Speech(language="en").date(date(2026, 11, 24)) == "24 Nov 2569"
    assert Speech(thai_digits=True).percent(Decimal("66.67")) == "๖๖.๖๗%"
    assert Speech(language="en").t("missing") == "Not reported"


OVERVIEW: dict[str, Any] = {
    "round": {
        "round_id": "2570-Q1",
        "name_th": "ไตรมาสที่ 1",
        "due_on": "2026-12-25",
        "phase": "open",
    },
    "offices": [
        {
            "scope_code": "SESA-84",
            "rates": {
                "expected": 3,
                "received": 1,
                "on_time": 1,
                "late": 0,
                "missing": 2,
                "rate": "33.33",
                "on_time_rate": "33.33",
            },
        }
    ],
    "groups": [
        {
            "scope_code": "G1",
            "rates": {
                "expected": 3,
                "received": 1,
                "on_time": 1,
                "late": 0,
                "missing": 2,
                "rate": "33.33",
                "on_time_rate": "33.33",
            },
        }
    ],
    "late_units": [],
    "missing_units": ["1084000001", "1084000002"],
    "lagging_projects": [{"project_code": "P01", "status": "off_track", "indicators": []}],
    "problems": [],
}
NAMES = {
    "SESA-84": UnitName("SESA-84", "สพม.ทดลอง", "office", "OBEC"),
    "G1": UnitName("G1", "กลุ่มนโยบายและแผน", "group", "SESA-84"),
    "1084000001": UnitName("1084000001", "โรงเรียนบ้านทดลอง", "school", "G1", "ครูสมศรี 081"),
    "1084000002": UnitName("1084000002", "โรงเรียนวัดตัวอย่าง", "school", "G1"),
}


def test_the_glance_names_every_missing_school_and_its_group() -> None:
    seen = glance(OVERVIEW, NAMES, {"P01": "โครงการพัฒนาคุณภาพ"}, date(2026, 12, 2))
    assert [(m.name_th, m.group_th) for m in seen.missing] == [
        ("โรงเรียนบ้านทดลอง", "กลุ่มนโยบายและแผน"),
        ("โรงเรียนวัดตัวอย่าง", "กลุ่มนโยบายและแผน"),
    ]
    assert seen.office is not None and seen.office.rate == Decimal("33.33")
    assert [(p.name_th, p.status_th) for p in seen.lagging] == [("โครงการพัฒนาคุณภาพ", "ล่าช้ากว่าแผน")]


def test_the_current_round_is_the_one_open_today() -> None:
    rounds = [
        {
            "round_id": "2570-Q1",
            "opens_on": "2026-10-01",
            "due_on": "2026-12-25",
            "closes_on": "2027-01-15",
        },
        {
            "round_id": "2570-Y",
            "opens_on": "2027-09-01",
            "due_on": "2027-09-30",
            "closes_on": "2027-10-15",
        },
    ]
    assert current_round(rounds, date(2026, 12, 2)) == "2570-Q1"
    assert current_round(rounds, date(2026, 9, 1)) is None


# --- the assembled app, with fakes


class FakeAccounts:
    def __init__(self) -> None:
        self.accounts: dict[str, tuple[Account, str]] = {}
        self.sessions: dict[str, tuple[str, str]] = {}
        self.failed: list[tuple[str, str, datetime]] = []

    async def add(self, account: Account, password_hash: str) -> bool:
        if account.username in self.accounts:
            return False
        self.accounts[account.username] = (account, password_hash)
        return True

    async def get(self, username: str) -> tuple[Account, str] | None:
        return self.accounts.get(username)

    async def all(self) -> list[Account]:
        return [a for a, _ in self.accounts.values()]

    async def count(self) -> int:
        return len(self.accounts)

    async def change(self, username: str, fields: dict[str, Any], by: str, what: str) -> bool:
        return True

    async def set_password_hash(self, username: str, password_hash: str) -> None:
        pass

    async def open_session(self, username: str, now: datetime) -> tuple[str, str]:
        cookie, csrf = f"cookie-{len(self.sessions)}", f"csrf-{len(self.sessions)}"
        self.sessions[cookie] = (username, csrf)
        return cookie, csrf

    async def session(self, cookie: str, now: datetime) -> tuple[str, str] | None:
        return self.sessions.get(cookie)

    async def close_session(self, cookie: str) -> None:
        self.sessions.pop(cookie, None)

    async def close_sessions_of(self, username: str) -> None:
        pass

    async def failures(self, username: str, address: str, since: datetime) -> list[datetime]:
        return [at for u, a, at in self.failed if (u, a) == (username, address) and at > since]

    async def record_failure(self, username: str, address: str, now: datetime) -> None:
        self.failed.append((username, address, now))

    async def clear_failures(self, username: str, address: str) -> None:
        self.failed = [f for f in self.failed if f[:2] != (username, address)]


class PlainPasswords:
    def hash(self, password: str) -> str:
        return f"plain:{password}"

    def verify(self, password_hash: str | None, password: str) -> bool:
        return password_hash == f"plain:{password}"


class FakeMonitoring:
    def __init__(self) -> None:
        self.calls: list[tuple[str, str, Person]] = []

    async def request(self, method: str, path: str, person: Person, **options: Any) -> Any:
        self.calls.append((method, path, person))
        request = httpx.Request(method, f"http://monitoring{path}")
        if path.startswith("/dashboard/rounds/"):
            return httpx.Response(200, json=OVERVIEW, request=request)
        return httpx.Response(404, json={"detail": "no"}, request=request)


class FakeCopy:
    async def apply(self, change: Any) -> bool:
        return True

    async def latest_revision(self) -> int:
        return 0

    async def get(self, kind: str, key: str) -> SetupModel | None:
        return None

    async def search(self, kind: str, where: dict[str, Any] | None = None) -> list[SetupModel]:
        return []


class FakeLive:
    def notify(self, topic: str) -> None:
        pass

    async def listen(self) -> Any:
        yield "round:2570-Q1"


def console() -> tuple[httpx.AsyncClient, FakeAccounts, FakeMonitoring]:
    accounts, monitoring = FakeAccounts(), FakeMonitoring()

    async def publish(envelope: Any) -> None:
        pass

    ports = ConsolePorts(
        accounts=accounts,
        passwords=PlainPasswords(),
        setup=FakeCopy(),
        publish=publish,
        monitoring=monitoring,
        intake=monitoring,
        evaluation=monitoring,
        reporting=monitoring,
        live=FakeLive(),
        clock=lambda: NOW,
    )
    staff = (
        ("officer.a", "officer"),
        ("school.b", "reporter"),
        ("ops.c", "operator"),
        ("assessor.d", "assessor"),
    )
    for username, role in staff:
        account = Account(username, "ทดสอบ", role, "SESA-84", True, NOW, "test")  # type: ignore[arg-type]
        accounts.accounts[username] = (account, "plain:correct-horse-9")
    app = assemble(build_runtime("console", Settings(TIDTAM_NAMESPACE="wiring")), ports)
    transport = httpx.ASGITransport(app=app)
    return httpx.AsyncClient(transport=transport, base_url="http://console"), accounts, monitoring


async def sign_in(client: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    return await client.post(
        "/signin", data={"username": username, "password": password, "next": "/"}
    )


async def test_an_officer_signs_in_and_sees_the_round_with_names() -> None:
    client, _, monitoring = console()
    async with client:
        assert (await client.get("/")).status_code == 303, "signed out: sent to sign in"
        signed = await sign_in(client, "officer.a", "correct-horse-9")
        assert signed.status_code == 303
        cookie = signed.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie
        home = await client.get("/?round=2570-Q1")
    assert home.status_code == 200, home.text
    assert "ไตรมาสที่ 1" in home.text and "33.33%" in home.text
    assert monitoring.calls[-1][2].role == "officer", "monitoring is called as the person"


async def test_wrong_passwords_are_refused_and_the_sixth_attempt_waits() -> None:
    client, _, _ = console()
    async with client:
        for _ in range(5):
            assert (await sign_in(client, "officer.a", "wrong-password-1")).status_code == 401
        sixth = await sign_in(client, "officer.a", "correct-horse-9")
    assert sixth.status_code == 429 and "กรุณารอ" in sixth.text


async def test_a_reporter_may_not_open_officer_pages() -> None:
    client, _, _ = console()
    async with client:
        await sign_in(client, "school.b", "correct-horse-9")
        refused = await client.get("/director")
        home = await client.get("/")
    assert refused.status_code == 403
    assert home.status_code == 303 and home.headers["location"] == "/reporting"


@pytest.mark.parametrize(("username", "start"), [("ops.c", "/operator"), ("assessor.d", "/assess")])
async def test_each_role_signing_in_lands_on_its_first_page(username: str, start: str) -> None:
    client, _, _ = console()
    async with client:
        await sign_in(client, username, "correct-horse-9")
        home = await client.get("/")
    assert home.status_code == 303 and home.headers["location"] == start


async def test_a_form_without_its_csrf_token_is_refused() -> None:
    client, accounts, _ = console()
    async with client:
        await sign_in(client, "officer.a", "correct-horse-9")
        refused = await client.post("/remind", data={"round_id": "2570-Q1"})
        csrf = next(iter(accounts.sessions.values()))[1]
        page = await client.get("/?round=2570-Q1")
    assert refused.status_code == 403
    assert re.search(rf'name="csrf-token" content="{csrf}"', page.text)


def test_without_groups_of_schools_the_rates_break_down_by_province_and_office_groups() -> None:
    names = {
        **NAMES,
        "1084000001": UnitName("1084000001", "ก", "school", "SESA-84", None, "สุราษฎร์ธานี"),
        "1086000001": UnitName("1086000001", "ข", "school", "SESA-84", None, "ชุมพร"),
    }
    rows = [
        {"unit_code": "1084000001", "expected": True, "received": True, "on_time": True},
        {"unit_code": "1086000001", "expected": True, "received": False, "on_time": False},
        {"unit_code": "G1", "expected": True, "received": True, "on_time": False, "late": True},
        {"unit_code": "1084000002", "expected": False, "received": True},
    ]
    seen = glance({**OVERVIEW, "groups": []}, names, {}, date(2026, 12, 2), rows)
    assert [(g.name_th, g.received, g.expected, g.rate) for g in seen.groups] == [
        ("โรงเรียน จ.ชุมพร", 0, 1, Decimal("0.00")),
        ("กลุ่มงานในสำนักงาน", 1, 1, Decimal("100.00")),
        ("โรงเรียน จ.สุราษฎร์ธานี", 1, 1, Decimal("100.00")),
    ]


def test_a_project_across_rounds_keeps_gaps_where_a_round_has_no_data() -> None:
    from services.console.domain.project import project_year

    indicator = {"code": "I1", "name_th": "ร้อยละนักเรียนอ่านออก", "unit_of_measure": "ร้อยละ"}
    q1 = {
        "indicators": [{**indicator, "cumulative_actual": "40", "target": "50"}],
        "disbursement_rate": "20.5",
        "expected_disbursement": "30",
        "status": "at_risk",
    }
    seen = project_year("P01", "โครงการ", [("ไตรมาส 1", q1), ("ไตรมาส 2", None)])
    assert seen.rounds == ("ไตรมาส 1", "ไตรมาส 2")
    assert seen.indicators[0].actual == (Decimal(40), None)
    assert seen.indicators[0].target == (Decimal(50), None)
    assert seen.disbursement == (Decimal("20.5"), None)
    assert seen.statuses == ("at_risk", "no_data")


async def test_the_home_page_reads_in_english_on_the_switch() -> None:
    client, _, _ = console()
    async with client:
        await sign_in(client, "officer.a", "correct-horse-9")
        client.cookies.set("lang", "en")
        home = await client.get("/?round=2570-Q1")
    assert "Round at a glance" in home.text and "Not reported" in home.text
    assert 'lang="en"' in home.text


async def test_a_service_that_does_not_answer_gives_a_thai_page_not_a_bare_500() -> None:
    client, _, monitoring = console()

    async def down(*args: Any, **kwargs: Any) -> Any:
        raise httpx.ConnectTimeout("monitoring is busy")

    monitoring.request = down  # type: ignore[method-assign]
    async with client:
        await sign_in(client, "officer.a", "correct-horse-9")
        page = await client.get("/?round=2570-Q1")
    assert page.status_code == 503 and "กรุณาลองใหม่" in page.text
