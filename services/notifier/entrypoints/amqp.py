"""AMQP entrypoint: what the notifier consumes and publishes, as two tables.

It turns what should reach people into notices, keeps a copy of the set-up for the units'
names and contacts, and sends itself one delivery request per address of each digest."""

from services.notifier.handlers import notices
from services.notifier.handlers.deliveries import deliver
from services.notifier.handlers.ports import NotifierPorts
from shared.contracts import Envelope
from shared.contracts.evaluation import RecommendationOverdue
from shared.contracts.intake import SubmissionReviewed
from shared.contracts.monitoring import EscalationDue, ReminderDue
from shared.contracts.notifier import DeliveryDue
from shared.contracts.reporting import ReportFailed, ReportRendered
from shared.contracts.setup import SetupChanged, SetupResendRequested
from shared.platform.kit import Consumes, Publishes
from shared.platform.replica import on_setup_changed


async def on_reminder_due(envelope: Envelope[ReminderDue], ports: NotifierPorts) -> None:
    """A reminder for the unit's contact, in its next digest."""
    await notices.remind(envelope.data, ports)


async def on_escalation_due(envelope: Envelope[EscalationDue], ports: NotifierPorts) -> None:
    """The units still missing, for the director of their office."""
    await notices.escalate(envelope.data, ports)


async def on_recommendation_overdue(
    envelope: Envelope[RecommendationOverdue], ports: NotifierPorts
) -> None:
    """An overdue inspection recommendation, for the head of the responsible unit."""
    await notices.follow_up(envelope.data, ports)


async def on_submission_reviewed(
    envelope: Envelope[SubmissionReviewed], ports: NotifierPorts
) -> None:
    """A report returned for correction, for the unit's contact."""
    await notices.returned(envelope.data, ports)


async def on_report_rendered(envelope: Envelope[ReportRendered], ports: NotifierPorts) -> None:
    """A report ready to download, for the office's officer."""
    await notices.report_outcome(envelope.data, ports)


async def on_report_failed(envelope: Envelope[ReportFailed], ports: NotifierPorts) -> None:
    """A report that could not be made, for the office's officer."""
    await notices.report_outcome(envelope.data, ports)


async def on_delivery_due(envelope: Envelope[DeliveryDue], ports: NotifierPorts) -> None:
    """Sends one digest to one address (retried with backoff, then dead-lettered)."""
    await deliver(envelope.data, ports)


CONSUMES: Consumes[NotifierPorts] = {
    ReminderDue: on_reminder_due,
    EscalationDue: on_escalation_due,
    RecommendationOverdue: on_recommendation_overdue,
    SubmissionReviewed: on_submission_reviewed,
    ReportRendered: on_report_rendered,
    ReportFailed: on_report_failed,
    SetupChanged: on_setup_changed,
    DeliveryDue: on_delivery_due,
}

PUBLISHES: Publishes = (DeliveryDue, SetupResendRequested)
