"""Monitoring, evaluation and reporting handlers with fakes; pure rules."""

from datetime import UTC, datetime
from typing import Any

from services.monitoring.domain.progress import Tally, progress_id
from services.monitoring.handlers.ports import MonitoringPorts
from services.monitoring.handlers.progress import record_accepted, record_rejected
from services.reporting.adapters.html import render_round
from services.reporting.domain.round_page import round_page
from shared.contracts import Envelope, SubmissionAccepted, SubmissionRejected, make_envelope
from shared.contracts.intake import Reason
from shared.platform.topology import CONSUMERS, Topology
from tests.support import accepted_event
from tests.unit.test_monitoring_wiring import monitoring_ports

NOW = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)


class FakeProgress:
    def __init__(self) -> None:
        self.rows: dict[str, dict[str, Any]] = {}
        self.counted: set[str] = set()
        self.statuses: dict[str, str] = {}

    async def track_submission(self, event: Any, at: datetime) -> None:
        self.statuses[event.submission_id] = getattr(event, "action", "submitted")

    async def count(self, tally: Tally) -> dict[str, Any]:
        row = self.rows.setdefault(progress_id(tally.round_id, tally.unit_code), {})
        if tally.item not in self.counted:
            self.counted.add(tally.item)
            for name, value in tally.increments.items():
                row[name] = row.get(name, 0) + value
        return row


def monitoring() -> tuple[MonitoringPorts, list[Envelope[Any]]]:
    return monitoring_ports(progress=FakeProgress())  # no set-up: nothing to rate against


def accepted(submission_id: str, late: bool = False) -> Envelope[SubmissionAccepted]:
    return accepted_event(submission_id, "u1", "f", NOW, late)


async def test_monitoring_counts_a_redelivered_event_once() -> None:
    ports, published = monitoring()
    event = accepted("s-1", late=True)
    await record_accepted(event, ports)
    second = await record_accepted(event, ports)
    await record_accepted(accepted("s-2"), ports)
    assert published[-1].data.received == 2 and published[-1].data.late == 1
    assert second.event_id == published[0].event_id, "a redelivery republishes the same id"


async def test_a_rejection_without_unit_is_not_counted() -> None:
    ports, published = monitoring()
    rejected = make_envelope(
        SubmissionRejected(
            submission_key=None,
            rejected_at=NOW,
            channel="amqp",
            reasons=[Reason(field="unit_code", code="missing", message="ไม่มีรหัสหน่วย")],
        ),
        producer="intake",
        correlation_id="c",
    )
    assert await record_rejected(rejected, ports) is None
    assert published == []


def test_the_round_page_is_thai_and_escaped() -> None:
    rows = [
        {"unit_code": "<b>2</b>", "received": 1},
        {"unit_code": "1", "received": 0, "score": 60, "level": "ดี"},
    ]
    html = render_round(round_page("2570-Q1", rows, NOW))
    assert "รายงานผลการติดตาม รอบ 2570-Q1" in html
    assert "24 พฤศจิกายน 2569" in html
    assert "&lt;b&gt;2&lt;/b&gt;" in html and "<b>2</b>" not in html
    assert html.index("<td>1</td>") < html.index("&lt;b&gt;")


def test_every_consumer_has_its_own_queue_in_the_namespace() -> None:
    topology = Topology("x")
    names = topology.consumer_queues()
    assert len(set(names)) == len(CONSUMERS)
    assert all(name.startswith("x.") for name in names)
    arguments = topology.queue_arguments(names[0])
    assert arguments["x-queue-type"] == "quorum"
    assert arguments["x-delivery-limit"] == 10
    assert arguments["x-dead-letter-exchange"] == "x.dead"
