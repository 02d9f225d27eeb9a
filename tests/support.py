"""Helpers for tests that talk to real servers, the way an outside system would."""

import asyncio
import contextlib
import json
import subprocess
import unicodedata
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import aio_pika
import httpx
from fastapi import FastAPI

from shared.contracts import Envelope, make_envelope
from shared.contracts.intake import SubmissionAccepted
from shared.platform.credentials import Credential, MongoCredentialStore
from shared.platform.mongo import make_client
from shared.platform.settings import Settings

T = TypeVar("T")


def submitted(
    unit_code: str = "8401000001",
    round_id: str = "2570-OPEN",
    key: str | None = None,
    values: dict[str, Any] | None = None,
    form_id: str = "progress",
) -> dict[str, Any]:
    """A `submission.submitted.v1` envelope as another system would publish it."""
    return {
        "event_id": str(uuid.uuid4()),
        "type": "submission.submitted.v1",
        "schema_version": 1,
        "occurred_at": datetime.now(UTC).isoformat(),
        "correlation_id": f"test-{uuid.uuid4().hex[:8]}",
        "producer": "school-system",
        "data": {
            "submission_key": key or uuid.uuid4().hex,
            "unit_code": unit_code,
            "round_id": round_id,
            "form_id": form_id,
            "form_version": 1,
            "submitted_at": datetime.now(UTC).isoformat(),
            "submitter": "ครูสมชาย ทดสอบ",
            "values": values
            if values is not None
            else {"projects": {"P01": {"activity_status": "in_progress", "budget_spent": "1250"}}},
        },
    }


async def publish(
    channel: aio_pika.abc.AbstractChannel,
    exchange: str,
    routing_key: str,
    body: dict[str, Any] | bytes,
) -> None:
    """Publish persistently with a confirm, as an outside system should."""
    target = await channel.get_exchange(exchange) if exchange else channel.default_exchange
    payload = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    await target.publish(
        aio_pika.Message(
            payload,
            content_type="application/json",
            delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
            correlation_id=body.get("correlation_id") if isinstance(body, dict) else None,
        ),
        routing_key=routing_key,
        mandatory=True,
    )


async def eventually(
    probe: Callable[[], Awaitable[T]],
    accept: Callable[[T], bool],
    timeout: float = 30.0,  # noqa: ASYNC109 - a polling deadline, not a cancellation
    every: float = 0.1,
) -> T:
    """Poll `probe` until `accept` holds; fail with the last value seen."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        value = await probe()
        if accept(value):
            return value
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"not reached within {timeout}s; last value: {value!r}")
        await asyncio.sleep(every)


async def queue_depth(channel: aio_pika.abc.AbstractChannel, queue: str) -> int:
    """Exact depth (ready messages) by a passive declare."""
    declared = await channel.declare_queue(queue, passive=True)
    return declared.declaration_result.message_count or 0


async def take_all(
    channel: aio_pika.abc.AbstractChannel, queue: str
) -> list[aio_pika.abc.AbstractIncomingMessage]:
    """Take (and ack) every message now in a queue."""
    declared = await channel.declare_queue(queue, passive=True)
    taken = []
    while (message := await declared.get(fail=False)) is not None:
        await message.ack()
        taken.append(message)
    return taken


async def listen(channel: aio_pika.abc.AbstractChannel, exchange: str, routing_key: str) -> str:
    """Bind a private queue to `routing_key`, as an outside system consuming answers would."""
    queue = await channel.declare_queue(exclusive=True, auto_delete=True)
    await queue.bind(exchange, routing_key=routing_key)
    return queue.name


@contextlib.asynccontextmanager
async def running(
    app: FastAPI,
    timeout: float = 60.0,  # noqa: ASYNC109
    headers: dict[str, str] | None = None,
) -> AsyncIterator[httpx.AsyncClient]:
    """Run a service app in this process (its lifespan included) until it is ready."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://service", headers=headers
        ) as client:
            await eventually(lambda: client.get("/readyz"), lambda r: r.status_code == 200, timeout)
            yield client


@contextlib.asynccontextmanager
async def monitoring_api(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """Monitoring in this process, called with an officer's key (its routes need one)."""
    from services.monitoring.bootstrap import bootstrap

    officer = await key_for(settings, "monitoring", "officer")
    async with running(bootstrap(settings), headers=officer) as api:
        yield api


@contextlib.asynccontextmanager
async def amqp_channel(url: str) -> AsyncIterator[aio_pika.abc.AbstractChannel]:
    connection = await aio_pika.connect(url)
    async with connection:
        yield await connection.channel(publisher_confirms=True, on_return_raises=True)


async def key_for(
    settings: Settings,
    service: str,
    role: str,
    unit_code: str = "SESA-84",
    assessor_id: str | None = None,
) -> dict[str, str]:
    """An Authorization header with a fresh API key of `role`, stored in `service`'s database."""
    client = make_client(settings.mongodb_url)
    try:
        store = MongoCredentialStore(client[settings.database_of(service)])
        key, _ = await store.issue(unit_code, role, f"{role} for tests", assessor_id)
    finally:
        await client.close()
    return {"Authorization": f"Bearer {key}"}


def as_caller(role: str, unit_code: str = "SESA-84", assessor_id: str | None = None) -> Any:
    """A stand-in for the API-key dependency: every request comes from this caller."""
    caller = Credential(
        credential_id="test",
        unit_code=unit_code,
        role=role,
        label=f"{role} (test)",
        assessor_id=assessor_id,
        created_at=datetime.now(UTC),
    )

    async def authenticate() -> Credential:
        return caller

    return authenticate


def plain(text: str) -> str:
    """Text as pdftotext reliably gives Thai back: no spaces, no vowel or tone marks."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not c.isspace() and unicodedata.category(c) != "Mn")


def pdf_text(content: bytes, folder: Path) -> str:
    """A PDF's text by poppler's pdftotext, `plain`."""
    path = folder / f"{uuid.uuid4().hex}.pdf"
    path.write_bytes(content)
    done = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True)
    return plain(done.stdout.decode())


async def add_staff(settings: Settings, password: str, *staff: tuple[str, str, str]) -> None:
    """Console accounts `(username, role, unit_code)`, all with `password`."""
    from services.console.adapters.mongo import MongoAccounts
    from services.console.adapters.passwords import Argon2Passwords
    from services.console.handlers.accounts import SYSTEM, create_account

    client = make_client(settings.mongodb_url)
    try:
        accounts = MongoAccounts(client[settings.database_of("console")])
        for username, role, unit_code in staff:
            await create_account(
                accounts,
                Argon2Passwords(),
                datetime.now(UTC),
                username=username,
                display_name=f"ผู้ทดสอบ {username}",
                role=role,
                unit_code=unit_code,
                password=password,
                by=SYSTEM,
            )
    finally:
        await client.close()


def accepted_event(
    submission_id: str,
    unit_code: str,
    form_id: str,
    at: datetime,
    late: bool = False,
    round_id: str = "2570-Q1",
) -> Envelope[SubmissionAccepted]:
    """A `submission.accepted.v1` as intake announces it, for handler unit tests."""
    return make_envelope(
        SubmissionAccepted(
            submission_id=submission_id,
            submission_key=submission_id,
            unit_code=unit_code,
            round_id=round_id,
            form_id=form_id,
            form_version=1,
            submitted_at=at,
            accepted_at=at,
            channel="amqp",
            late=late,
        ),
        producer="intake",
        correlation_id=f"c-{submission_id}",
    )
