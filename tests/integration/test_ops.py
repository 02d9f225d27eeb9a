"""The operator's command line against the real broker: poison planted in a dead-letter
queue is listed first, shown decoded, and purged only after its name is typed, into a file."""

import json
from pathlib import Path

import aio_pika
import pytest
from rich.console import Console

from services.ops.__main__ import run
from shared.platform.messaging import ATTEMPT_HEADER, QUEUE_HEADER, REASON_HEADER
from shared.platform.settings import Settings
from shared.platform.topology import Consumer, Topology
from tests.support import amqp_channel, eventually, queue_depth

pytestmark = pytest.mark.integration


async def test_dead_letters_listed_shown_and_purged(
    settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AMQP_URL", settings.amqp_url)
    monkeypatch.setenv("TIDTAM_NAMESPACE", settings.namespace)
    topology = Topology(settings.namespace)
    queue = topology.queue(Consumer("intake", "submission.submitted.v1"))
    dlq = topology.dead_letter_queue(queue)
    async with amqp_channel(settings.amqp_url) as channel:
        dead = await channel.get_exchange(topology.dead_letter_exchange)
        reason = "malformed: JSONDecodeError: Expecting value"
        for body in (b"not json at all", json.dumps({"type": "submission.submitted.v1"}).encode()):
            await dead.publish(
                aio_pika.Message(body, message_id=f"m-{len(body)}", correlation_id="c-7",
                                 headers={REASON_HEADER: reason, QUEUE_HEADER: queue,
                                          ATTEMPT_HEADER: 1}),
                routing_key=queue,
            )  # fmt: skip

        async def first_row() -> str:
            printed = Console(record=True, width=250)
            assert await run(["queues"], printed) == 0
            rows = [
                line for line in printed.export_text().splitlines() if settings.namespace in line
            ]
            return rows[1] if len(rows) > 1 else ""  # rows[0] is the title

        # The management API's figures lag a few seconds behind the broker.
        assert dlq in await eventually(first_row, lambda row: dlq in row and " 2 " in row, 30, 1)

        printed = Console(record=True, width=250)
        assert await run(["dlq", "show", "intake.submission-submitted-v1.dlq"], printed) == 0
        shown = printed.export_text()
        assert "not JSON" in shown and "submission.submitted.v1" in shown and "c-7" in shown
        assert reason in shown and await queue_depth(channel, dlq) == 2, "shown, still there"

        into = tmp_path / "purged.jsonl"
        assert await run(["dlq", "purge", dlq, "--yes", "wrong", "--into", str(into)]) == 1
        assert await queue_depth(channel, dlq) == 2 and not into.exists()
        assert await run(["dlq", "purge", dlq, "--yes", dlq, "--into", str(into)]) == 0
        written = [json.loads(line) for line in into.read_text(encoding="utf-8").splitlines()]
        assert sorted(w["body"] for w in written)[0] == "not json at all"
        assert await queue_depth(channel, dlq) == 0
