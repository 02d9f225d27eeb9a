"""The whole RabbitMQ topology, declared in one place.

- `<ns>.events`: durable topic exchange; every domain event is published here with its
  routing key `<entity>.<event>.v<N>`.
- one quorum queue per consumer, `<ns>.<service>.<event>`, bound to the one routing key
  it consumes, with an explicit delivery limit and a dead-letter exchange;
- `<ns>.dead`: direct exchange; each consumer queue dead-letters into `<queue>.dlq`
  (the broker's `x-death` header says why; our consumers add `x-tidtam-reason`);
- `<queue>.retry`: classic queue whose messages expire back into `<queue>` (backoff).

Every service declares the whole topology at start, so whoever starts first creates it
and a producer never publishes into a queue that does not exist yet. Redeclaring with the
same arguments is harmless.
"""

import logging
from dataclasses import dataclass
from typing import Any

import aio_pika
import aiormq
from aio_pika.abc import AbstractChannel, ExchangeType
from faststream.rabbit import ExchangeType as RabbitExchangeType
from faststream.rabbit import RabbitExchange, RabbitQueue

from shared.contracts import evaluation, intake, monitoring, notifier, reporting, setup

# A poison message that crashes its consumer every time is dead-lettered by the broker
# after this many deliveries. RabbitMQ 3.10 has no default; 4.x defaults to 20.
DELIVERY_LIMIT = 10


@dataclass(frozen=True)
class Consumer:
    """One subscriber of one service to one event."""

    service: str
    routing_key: str

    @property
    def event(self) -> str:
        """`submission.accepted.v1` -> `submission-accepted-v1`."""
        return self.routing_key.replace(".", "-")


CONSUMERS: tuple[Consumer, ...] = (
    Consumer("intake", intake.SubmissionSubmitted.ROUTING_KEY),
    Consumer("monitoring", intake.SubmissionAccepted.ROUTING_KEY),
    Consumer("monitoring", intake.SubmissionRejected.ROUTING_KEY),
    Consumer("monitoring", intake.SubmissionReviewed.ROUTING_KEY),
    Consumer("reporting", monitoring.RoundProgressUpdated.ROUTING_KEY),
    Consumer("monitoring", setup.SetupResendRequested.ROUTING_KEY),
    Consumer("intake", setup.SetupChanged.ROUTING_KEY),
    Consumer("evaluation", setup.SetupChanged.ROUTING_KEY),
    Consumer("reporting", setup.SetupChanged.ROUTING_KEY),
    Consumer("intake", intake.ReplayRequested.ROUTING_KEY),
    Consumer("reporting", monitoring.RatesUpdated.ROUTING_KEY),
    Consumer("reporting", monitoring.ProjectProgressUpdated.ROUTING_KEY),
    Consumer("reporting", monitoring.ProblemUpdated.ROUTING_KEY),
    Consumer("evaluation", monitoring.ProjectProgressUpdated.ROUTING_KEY),
    Consumer("reporting", evaluation.EvaluationFinalised.ROUTING_KEY),
    Consumer("reporting", evaluation.EvaluationReopened.ROUTING_KEY),
    Consumer("reporting", evaluation.InspectionReportUpdated.ROUTING_KEY),
    Consumer("reporting", reporting.ReportRequested.ROUTING_KEY),
    Consumer("monitoring", monitoring.ProgressCopiesRequested.ROUTING_KEY),
    Consumer("evaluation", evaluation.EvaluationCopiesRequested.ROUTING_KEY),
    Consumer("console", monitoring.RatesUpdated.ROUTING_KEY),
    Consumer("console", monitoring.ProjectProgressUpdated.ROUTING_KEY),
    Consumer("console", setup.SetupChanged.ROUTING_KEY),
    # The notifier: what reaches people (e-mail, LINE), and its own deliveries (retried).
    Consumer("notifier", monitoring.ReminderDue.ROUTING_KEY),
    Consumer("notifier", monitoring.EscalationDue.ROUTING_KEY),
    Consumer("notifier", evaluation.RecommendationOverdue.ROUTING_KEY),
    Consumer("notifier", intake.SubmissionReviewed.ROUTING_KEY),
    Consumer("notifier", reporting.ReportRendered.ROUTING_KEY),
    Consumer("notifier", reporting.ReportFailed.ROUTING_KEY),
    Consumer("notifier", setup.SetupChanged.ROUTING_KEY),
    Consumer("notifier", notifier.DeliveryDue.ROUTING_KEY),
)

# Consumers that no longer exist: their queues are deleted at start, so nothing piles up in
# them (what they held was for a consumer that is gone).
RETIRED: tuple[Consumer, ...] = (
    Consumer("evaluation", "progress.updated.v1"),  # the skeleton's placeholder score
    Consumer("reporting", "score.recorded.v1"),
    # one request answered by two services, split into one request per answering service
    Consumer("monitoring", "copies.resend-requested.v1"),
    Consumer("evaluation", "copies.resend-requested.v1"),
)

log = logging.getLogger("tidtam.topology")

# Queues that hold events for consumers outside Tidtam: declared here so such events are
# never unroutable, and operators can see them wait. No Tidtam service consumes them, so
# each is bounded: past OUTBOUND_MAX_LENGTH messages the oldest are dropped (an external
# system that stops reading cannot fill the broker; the operator's page shows the depth).
# Tidtam's own consumers read the same events from their own queues. A length, not a TTL:
# a slow reader still finds the latest answers however old they are.
OUTBOUND_MAX_LENGTH = 10_000
OUTBOUND: dict[str, tuple[str, ...]] = {
    # Answers to report requests, for the systems that asked (and for operators to see).
    "reports": (reporting.ReportRendered.ROUTING_KEY, reporting.ReportFailed.ROUTING_KEY),
}
# Outbound queues that a Tidtam service now consumes through its own queues: no longer
# declared; the notifier moves what `notifications` still holds back to the events exchange
# (so into its own queues), then deletes it.
RETIRED_OUTBOUND: dict[str, tuple[str, ...]] = {
    "notifications": (
        monitoring.ReminderDue.ROUTING_KEY,
        monitoring.EscalationDue.ROUTING_KEY,
        evaluation.RecommendationOverdue.ROUTING_KEY,
    ),
}


@dataclass(frozen=True)
class Topology:
    """Names and arguments of every exchange and queue in one namespace."""

    namespace: str = "tidtam"

    @property
    def events_exchange(self) -> str:
        return f"{self.namespace}.events"

    @property
    def dead_letter_exchange(self) -> str:
        return f"{self.namespace}.dead"

    def queue(self, consumer: Consumer) -> str:
        return f"{self.namespace}.{consumer.service}.{consumer.event}"

    def consumer(self, service: str, routing_key: str) -> Consumer:
        """The declared consumer of `routing_key` in `service` (a typo fails at start)."""
        wanted = Consumer(service, routing_key)
        if wanted not in CONSUMERS:
            raise LookupError(f"no consumer {wanted} in shared.platform.topology.CONSUMERS")
        return wanted

    @staticmethod
    def dead_letter_queue(queue: str) -> str:
        return f"{queue}.dlq"

    @staticmethod
    def retry_queue(queue: str) -> str:
        return f"{queue}.retry"

    def queue_arguments(self, queue: str) -> dict[str, Any]:
        return {
            "x-queue-type": "quorum",
            "x-delivery-limit": DELIVERY_LIMIT,
            "x-dead-letter-exchange": self.dead_letter_exchange,
            "x-dead-letter-routing-key": queue,
            # at-least-once dead-lettering needs reject-publish overflow (quorum queues).
            "x-dead-letter-strategy": "at-least-once",
            "x-overflow": "reject-publish",
        }

    def rabbit_queue(self, consumer: Consumer) -> RabbitQueue:
        """The consumer queue for a FastStream subscriber; declared here, not by FastStream
        (the routing key only documents the binding `declare` makes)."""
        return RabbitQueue(self.queue(consumer), routing_key=consumer.routing_key, declare=False)

    def rabbit_exchange(self) -> RabbitExchange:
        return RabbitExchange(self.events_exchange, type=RabbitExchangeType.TOPIC, declare=False)

    def consumer_queues(self) -> list[str]:
        return [self.queue(c) for c in CONSUMERS]

    def outbound_queue(self, name: str) -> str:
        return f"{self.namespace}.outbound.{name}"

    @staticmethod
    def outbound_arguments() -> dict[str, Any]:
        return {
            "x-queue-type": "quorum",
            "x-max-length": OUTBOUND_MAX_LENGTH,
            "x-overflow": "drop-head",
        }

    async def declare_outbound(self, channel: AbstractChannel, name: str) -> None:
        """Declare one bounded outbound queue. One declared unbounded (before the bound) is
        replaced when empty; when it still holds messages it is kept as it is (and said in
        the log) until an operator drains it: deleting it would lose another system's
        answers. The channel is reopened after each refusal, which closes it."""
        queue_name = self.outbound_queue(name)
        try:
            queue = await channel.declare_queue(
                queue_name, durable=True, arguments=self.outbound_arguments()
            )
        except aiormq.exceptions.ChannelPreconditionFailed:
            await channel.reopen()
            # Quorum queues refuse `queue.delete(if_empty)`: count, then delete. An answer
            # published between the two is lost; that can happen once, at the upgrade.
            queue = await channel.declare_queue(queue_name, passive=True)
            if queue.declaration_result.message_count:
                log.warning(
                    "%s was declared unbounded and still holds messages: it stays unbounded "
                    "until drained (python -m services.ops dlq purge %s)",
                    queue_name,
                    queue_name,
                )
            else:
                await channel.queue_delete(queue_name)
                queue = await channel.declare_queue(
                    queue_name, durable=True, arguments=self.outbound_arguments()
                )
        events = await channel.get_exchange(self.events_exchange)
        for routing_key in OUTBOUND[name]:
            await queue.bind(events, routing_key=routing_key)

    async def declare(self, channel: AbstractChannel) -> None:
        """Declare every exchange, queue and binding; idempotent."""
        events = await channel.declare_exchange(
            self.events_exchange, ExchangeType.TOPIC, durable=True
        )
        dead = await channel.declare_exchange(
            self.dead_letter_exchange, ExchangeType.DIRECT, durable=True
        )
        for consumer in CONSUMERS:
            name = self.queue(consumer)
            queue = await channel.declare_queue(
                name, durable=True, arguments=self.queue_arguments(name)
            )
            await queue.bind(events, routing_key=consumer.routing_key)
            dlq = await channel.declare_queue(
                self.dead_letter_queue(name),
                durable=True,
                arguments={"x-queue-type": "quorum"},
            )
            await dlq.bind(dead, routing_key=name)
            # Expired retries go back to this queue only, through the default exchange.
            await channel.declare_queue(
                self.retry_queue(name),
                durable=True,
                arguments={"x-dead-letter-exchange": "", "x-dead-letter-routing-key": name},
            )
        for retired in RETIRED:
            name = self.queue(retired)
            for queue_name in (name, self.dead_letter_queue(name), self.retry_queue(name)):
                await channel.queue_delete(queue_name)
        for outbound in OUTBOUND:  # last: a refusal here reopens the channel
            await self.declare_outbound(channel, outbound)


async def declare_topology(amqp_url: str, topology: Topology) -> None:
    """Open a short-lived connection and declare the topology."""
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        await topology.declare(channel)


async def delete_topology(amqp_url: str, topology: Topology) -> None:
    """Remove every queue and exchange of a namespace (tests and `servers reset` use it)."""
    connection = await aio_pika.connect(amqp_url)
    async with connection:
        channel = await connection.channel()
        for name in topology.consumer_queues():
            for queue in (name, topology.dead_letter_queue(name), topology.retry_queue(name)):
                await channel.queue_delete(queue)
        for outbound in (*OUTBOUND, *RETIRED_OUTBOUND):
            await channel.queue_delete(topology.outbound_queue(outbound))
        for exchange in (topology.events_exchange, topology.dead_letter_exchange):
            await channel.exchange_delete(exchange)
