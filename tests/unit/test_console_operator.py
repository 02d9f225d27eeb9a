"""The operator's page, assembled with in-memory fakes: only operators open it; dead letters
are shown decoded, replayed one or all (with the CSRF token), purged only when the queue's
name is typed; no other queue is reachable through it."""

from pathlib import Path
from typing import Any

import httpx
import pytest

from services.console.adapters.operations import outboxes_of
from services.console.bootstrap import assemble
from services.console.domain.accounts import Account
from services.console.domain.english import ENGLISH
from services.console.domain.operations import OutboxBacklog, ServiceHealth, age_th
from services.console.domain.text import Speech
from services.console.handlers.ports import ConsolePorts
from shared.platform.dead_letters import DeadLetter
from shared.platform.queues import QueueFigures
from shared.platform.service import build_runtime
from shared.platform.settings import Settings
from tests.unit.test_console import (
    NOW,
    FakeAccounts,
    FakeCopy,
    FakeLive,
    FakeMonitoring,
    PlainPasswords,
    sign_in,
)

NS = "wiring"
DLQ = f"{NS}.intake.submission-submitted-v1.dlq"
LETTER = DeadLetter(
    message_id="m-1",
    event_type="submission.submitted.v1",
    ids={"event_id": "e-1", "unit_code": "1084000001"},
    correlation_id="c-7",
    reason="failed 5 times: ServerSelectionTimeoutError",
    attempts=5,
    died_in=f"{NS}.intake.submission-submitted-v1",
    dead_at="2026-12-02 03:00:00",
    body=b"{}",
    headers={},
)


class FakeOperations:
    namespace = NS

    def __init__(self) -> None:
        self.replayed: list[tuple[str, str | None]] = []
        self.purged: list[str] = []

    async def queues(self) -> list[QueueFigures]:
        return [
            QueueFigures(DLQ, 1, 0, 0, 0.0, 0.0),
            QueueFigures(f"{NS}.intake.submission-submitted-v1", 0, 0, 1, 2.5, 2.5),
        ]

    async def health(self) -> list[ServiceHealth]:
        return [
            ServiceHealth(
                "intake", True, True, {"broker": True}, (OutboxBacklog("submissions", 3, 125.0),)
            ),
            ServiceHealth("notifier", False, False),
        ]

    async def dead_letters(self, queue: str) -> list[DeadLetter]:
        return [LETTER]

    async def replay(self, queue: str, wanted: str | None) -> int:
        self.replayed.append((queue, wanted))
        return 1

    async def purge(self, queue: str) -> tuple[int, Path]:
        self.purged.append(queue)
        return 1, Path("/tmp/purged.jsonl")


def operator_console() -> tuple[httpx.AsyncClient, FakeAccounts, FakeOperations]:
    accounts, monitoring, ops = FakeAccounts(), FakeMonitoring(), FakeOperations()

    async def publish(envelope: Any) -> None:
        pass

    ports = ConsolePorts(accounts=accounts, passwords=PlainPasswords(), setup=FakeCopy(),
                         publish=publish, monitoring=monitoring, intake=monitoring,
                         evaluation=monitoring, reporting=monitoring, live=FakeLive(),
                         clock=lambda: NOW)  # fmt: skip
    for username, role in (("ops.a", "operator"), ("officer.a", "officer")):
        account = Account(username, "ทดสอบ", role, "SESA-84", True, NOW, "test")  # type: ignore[arg-type]
        accounts.accounts[username] = (account, "plain:correct-horse-9")
    app = assemble(build_runtime("console", Settings(TIDTAM_NAMESPACE=NS)), ports, ops)
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://console")
    return client, accounts, ops


async def test_only_an_operator_opens_the_page_and_sees_dead_letters_first() -> None:
    client, _, _ = operator_console()
    async with client:
        await sign_in(client, "officer.a", "correct-horse-9")
        assert (await client.get("/operator")).status_code == 403
        dead = await client.get("/operator/dlq/intake.submission-submitted-v1.dlq")
        assert dead.status_code == 403
        await client.post("/signout")
        await sign_in(client, "ops.a", "correct-horse-9")
        page = await client.get("/operator")
    assert page.status_code == 200, page.text
    assert 'data-testid="dead-queues"' in page.text and "ค้าง 1 ข้อความ" in page.text
    assert "พร้อมทำงาน" in page.text and "ไม่ตอบสนอง" in page.text and "2 นาที" in page.text


async def test_dead_letters_replayed_with_csrf_and_purged_only_when_the_name_is_typed() -> None:
    client, accounts, ops = operator_console()
    queue = "intake.submission-submitted-v1.dlq"
    async with client:
        await sign_in(client, "ops.a", "correct-horse-9")
        csrf = next(iter(accounts.sessions.values()))[1]
        shown = await client.get(f"/operator/dlq/{queue}")
        assert "ServerSelectionTimeoutError" in shown.text and "c-7" in shown.text
        no_token = await client.post(f"/operator/dlq/{queue}/replay", data={"id": "m-1"})
        assert no_token.status_code == 403 and ops.replayed == []
        one = await client.post(f"/operator/dlq/{queue}/replay", data={"csrf": csrf, "id": "m-1"})
        assert one.status_code == 303 and ops.replayed == [(DLQ, "m-1")]
        every = await client.post(f"/operator/dlq/{queue}/replay", data={"csrf": csrf, "all": "1"})
        assert every.status_code == 303 and ops.replayed[-1] == (DLQ, None)
        nothing = await client.post(f"/operator/dlq/{queue}/replay", data={"csrf": csrf})
        assert nothing.status_code == 422 and len(ops.replayed) == 2, "no id: not everything"
        wrong = await client.post(f"/operator/dlq/{queue}/purge",
                                  data={"csrf": csrf, "confirm": "intake"})  # fmt: skip
        assert wrong.status_code == 422 and ops.purged == [] and "ไม่ตรงกัน" in wrong.text
        right = await client.post(f"/operator/dlq/{queue}/purge",
                                  data={"csrf": csrf, "confirm": queue})  # fmt: skip
        assert right.status_code == 303 and ops.purged == [DLQ]
        other = await client.get(f"/operator/dlq/{NS}.intake.submission-submitted-v1")
        assert other.status_code == 404, "only the namespace's dead-letter queues"


def test_outbox_backlog_is_read_from_the_services_metrics() -> None:
    text = (
        "# TYPE tidtam_outbox_pending gauge\n"
        'tidtam_outbox_pending{outbox="submissions"} 4.0\n'
        "# TYPE tidtam_outbox_oldest_age_seconds gauge\n"
        'tidtam_outbox_oldest_age_seconds{outbox="submissions"} 61.5\n'
    )
    assert outboxes_of(text) == (OutboxBacklog("submissions", 4, 61.5),)


@pytest.mark.parametrize("seconds", [5, 300, 7200, 200000])
def test_the_page_words_have_english(seconds: float) -> None:
    english = Speech(language="en")
    words = [age_th(seconds), *(ServiceHealth("x", a, r).status_th for a, r in
                                 ((True, True), (True, False), (False, False)))]  # fmt: skip
    assert all(english.tr(w) != w for w in words), words
    assert "ค้าง {n} ข้อความ" in ENGLISH
