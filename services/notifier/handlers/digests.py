"""Use case: gather each unit's waiting notices into its digest and ask for its deliveries."""

import logging
from datetime import datetime, timedelta
from typing import Any

from services.notifier.domain.digests import addresses_of, digest_id, slot_of
from services.notifier.domain.notices import Audience
from services.notifier.handlers.ports import NAME, NotifierPorts
from shared.contracts import Envelope, derived_event_id, make_envelope
from shared.contracts.notifier import DeliveryDue
from shared.contracts.setup import Unit
from shared.platform.outbox import announce

log = logging.getLogger("tidtam.notifier.digests")


async def make_digests(ports: NotifierPorts) -> int:
    """One digest per unit with waiting notices, unless it had its digest of this slot;
    how many were made. Two notifier processes make each digest once (a claim per id)."""
    now = ports.clock()
    for digest in await ports.digests.unmarked():  # a crash between claim and marking
        await ports.notices.mark(digest["notice_keys"], digest["_id"])
        await ports.digests.marked(digest["_id"])
    made = 0
    cutoff = now - timedelta(seconds=ports.delivering.gather_s)
    for unit_code in await ports.notices.waiting_units(made_before=cutoff):
        made += await _digest_of(unit_code, now, ports)
    return made


async def _digest_of(unit_code: str, now: datetime, ports: NotifierPorts) -> int:
    day, slot = slot_of(now, ports.delivering.digests_per_day)
    made_id = digest_id(unit_code, day, slot)
    if await ports.digests.exists(made_id):
        return 0  # this slot's digest went out: the rest waits for the next one
    waiting = await ports.notices.waiting(unit_code)
    if not waiting:
        return 0
    unit = await ports.setup.get("unit", unit_code)
    audiences: set[Audience] = {n.audience for n in waiting}
    addresses = addresses_of(
        unit if isinstance(unit, Unit) else None, audiences, set(ports.senders)
    )
    events: list[Envelope[Any]] = [
        make_envelope(
            DeliveryDue(
                delivery_id=a.delivery_id(made_id),
                digest_id=made_id,
                unit_code=unit_code,
                channel=a.channel,
                address=a.address,
                day=day,
            ),
            producer=NAME,
            correlation_id=f"digest-{made_id}"[:128],
            event_id=derived_event_id("delivery", a.delivery_id(made_id)),
        )
        for a in addresses
    ]
    keys = [n.key for n in waiting]
    digest = {
        "_id": made_id,
        "unit_code": unit_code,
        "day": day.isoformat(),
        "slot": slot,
        "notice_keys": keys,
        "deliveries": [a.delivery_id(made_id) for a in addresses],
        # No address for its audience, or no channel switched on: recorded, not sent.
        "status": "delivering" if addresses else "no_address",
        "notices_marked": False,
    }
    if not await ports.digests.claim(digest, events, now):
        return 0  # another notifier process made it
    await ports.notices.mark(keys, made_id)
    await ports.digests.marked(made_id)
    if not addresses:
        log.warning("no address for unit %s: %d notices recorded, not sent", unit_code, len(keys))
    await announce(ports.publish, ports.digests.outbox, made_id, *events)
    return 1
