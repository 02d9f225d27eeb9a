"""Contracts of the notifier: one delivery of a unit's digest to one address, due now."""

from datetime import date
from typing import Literal

from pydantic import Field

from shared.contracts.base import Contract

Channel = Literal["email", "line"]


class DeliveryDue(Contract):
    """Send one digest (a unit's notices of a day) to one address over one channel.

    The notifier sends it to itself when it makes a digest, so each address is retried with
    backoff, dead-lettered when given up, and replayed from the dead-letter queue by an
    operator (`python -m services.ops dlq replay`) once the cause is fixed."""

    ROUTING_KEY = "notification.delivery-due.v1"
    KIND = "request"

    delivery_id: str = Field(
        max_length=400, examples=["1084000820:2026-12-02:0:email:saraban@school.example"]
    )
    digest_id: str = Field(max_length=200, examples=["1084000820:2026-12-02:0"])
    unit_code: str
    channel: Channel
    address: str = Field(min_length=1, max_length=254)
    day: date = Field(description="The Bangkok day of the digest.")
