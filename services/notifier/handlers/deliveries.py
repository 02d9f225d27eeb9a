"""Use case: send one delivery of a digest, claimed first, every attempt recorded."""

import logging

from services.notifier.domain.deliveries import DeliveryFailed, idempotency_key
from services.notifier.domain.digests import Address, addresses_of, compose
from services.notifier.handlers.ports import NotifierPorts
from shared.contracts.notifier import DeliveryDue
from shared.contracts.setup import Unit
from shared.platform.messaging import PermanentError, TransientError
from shared.platform.metrics import NOTIFICATIONS

log = logging.getLogger("tidtam.notifier.deliveries")


async def deliver(due: DeliveryDue, ports: NotifierPorts) -> None:
    """Send the digest to one address. A failure the provider may get over is raised for the
    platform to retry with backoff; a refusal, or the last attempt, is given up and
    dead-lettered with the provider's answer, to be replayed once the cause is fixed."""
    sender = ports.senders.get(due.channel)
    if sender is None:
        raise PermanentError(f"the {due.channel} channel is not switched on")
    now = ports.clock()
    started = await ports.deliveries.start(due, now, ports.delivering.lease_s)
    if started == "already_sent":
        return
    if started == "busy":
        raise TransientError(f"{due.delivery_id} is being sent by another notifier process")
    unit = await ports.setup.get("unit", due.unit_code)
    name = unit.name_th if isinstance(unit, Unit) else due.unit_code
    address = _address_of(unit if isinstance(unit, Unit) else None, due)
    notices = await ports.notices.of_digest(due.digest_id)
    message = compose(name, due.day, notices, address.audiences, ports.delivering.console_url)
    if message is None:
        await ports.deliveries.sent(due.delivery_id, "nothing to say: no notice for it", now)
        return
    try:
        sent = await sender.send(due.address, message, idempotency_key(due.delivery_id))
    except DeliveryFailed as failure:
        NOTIFICATIONS.labels(due.channel, "failed").inc()
        limit = 1 if failure.permanent else ports.delivering.max_attempts
        gave_up = await ports.deliveries.failed(
            due.delivery_id, failure.answer, ports.clock(), limit
        )
        if gave_up:
            NOTIFICATIONS.labels(due.channel, "given_up").inc()
            raise PermanentError(f"given up: {failure.answer}") from failure
        raise TransientError(f"not delivered yet: {failure.answer}") from failure
    await ports.deliveries.sent(due.delivery_id, sent.answer, ports.clock())
    NOTIFICATIONS.labels(due.channel, "sent").inc()


def _address_of(unit: Unit | None, due: DeliveryDue) -> Address:
    """The audiences this address speaks for, as the unit's set-up now says (both, if the
    address was removed since: the digest was made for it)."""
    for address in addresses_of(unit, {"contact", "head"}, {due.channel}):
        if address.address == due.address:
            return address
    return Address(due.channel, due.address, frozenset({"contact", "head"}))
