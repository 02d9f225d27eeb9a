"""The notifier assembled: `assemble(runtime, ports)` wires the ports to the kit; `bootstrap`
builds the real adapters (MongoDB, SMTP, LINE) from settings and assembles them."""

import ssl

from fastapi import FastAPI

from services.notifier.adapters.email import SmtpSender
from services.notifier.adapters.legacy import drain_retired_outbound
from services.notifier.adapters.line import LinePush
from services.notifier.adapters.mongo import MongoDeliveries, MongoDigests, MongoNotices
from services.notifier.entrypoints.amqp import CONSUMES, PUBLISHES
from services.notifier.handlers.digests import make_digests
from services.notifier.handlers.ports import NAME, Delivering, NotifierPorts, Sender
from services.notifier.settings import NotifierSettings
from shared.contracts.notifier import Channel
from shared.platform.kit import Job, Service, assemble_service, relay_job
from shared.platform.replica import SetupReplica, request_setup
from shared.platform.service import Runtime, build_runtime
from shared.platform.settings import Settings

__all__ = ["NAME", "assemble", "bootstrap", "senders_from"]


def assemble(runtime: Runtime, ports: NotifierPorts, every_s: float = 30.0) -> FastAPI:
    """The notifier's app from its ports: the two tables, the set-up copy asked for at start,
    the digests made every `every_s` seconds, and the outbox relay."""

    async def before_consume() -> None:
        await drain_retired_outbound(runtime.settings.amqp_url, runtime.topology)
        await request_setup(NAME, ports.setup, ports.publish)

    return assemble_service(
        runtime,
        Service(
            name=NAME,
            title="Tidtam notifier",
            description="Delivers reminders, escalations, overdue recommendations, returned "
            "reports and rendered reports to units' contacts by e-mail and LINE, as one "
            "digest per unit per day.",
            consumes=CONSUMES,
            publishes=PUBLISHES,
            ports=ports,
            stores=[ports.setup, ports.notices, ports.digests, ports.deliveries],
            jobs=[
                relay_job(ports.publish, [ports.digests.outbox]),
                Job("digests", lambda: make_digests(ports), every_s),
            ],
            before_consume=before_consume,
        ),
    )


def senders_from(notifier: NotifierSettings) -> dict[Channel, Sender]:
    """The channels that are switched on: e-mail with an SMTP host, LINE with a token."""
    senders: dict[Channel, Sender] = {}
    if notifier.smtp_host:
        senders["email"] = SmtpSender(
            host=notifier.smtp_host,
            port=notifier.smtp_port,
            sender=notifier.smtp_from,
            security=notifier.smtp_security,
            username=notifier.smtp_username or None,
            password=(notifier.smtp_password.get_secret_value() or None)
            if notifier.smtp_password
            else None,
            tls_context=ssl.create_default_context(cafile=notifier.smtp_ca_file)
            if notifier.smtp_ca_file
            else None,
        )
    if notifier.line_channel_token and notifier.line_channel_token.get_secret_value():
        senders["line"] = LinePush(
            notifier.line_api_url, notifier.line_channel_token.get_secret_value()
        )
    return senders


def bootstrap(settings: Settings, notifier: NotifierSettings | None = None) -> FastAPI:
    """The real adapters assembled; the notifier's settings from the environment if not given."""
    notifier = notifier or NotifierSettings()
    runtime = build_runtime(NAME, settings)
    db = runtime.db
    ports = NotifierPorts(
        setup=SetupReplica(db),
        notices=MongoNotices(db),
        digests=MongoDigests(db),
        deliveries=MongoDeliveries(db),
        senders=senders_from(notifier),
        publish=runtime.publisher.publish,
        delivering=Delivering(
            console_url=notifier.console_public_url,
            digests_per_day=notifier.digests_per_day,
            gather_s=notifier.gather_s,
            lease_s=notifier.send_lease_s,
            max_attempts=settings.max_attempts,
        ),
    )
    return assemble(runtime, ports, notifier.digest_interval_s)
