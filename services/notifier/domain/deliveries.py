"""A delivery's life: pending → sending → sent, or failed (retried) → given up (dead-lettered).

What "once" means. Each delivery is claimed (`sending`, with the claim's time) before it is
sent, so two notifier processes never send it at the same time, and a delivery recorded
`sent` is never sent again, however often its message comes back. A process killed between
the provider's acceptance and the record of it leaves a claim that runs out (the lease);
the next try sends again. For LINE that second push carries the same `X-Line-Retry-Key`, so
LINE accepts it only once (it answers 409 to the repeat, recorded as sent). SMTP has no
such key: the repeat reaches the mailbox a second time, with the same `Message-ID`, which
mail clients show as one. So: at most once while processes live, at least once across a
crash, never lost.
"""

import uuid
from dataclasses import dataclass
from typing import Literal

DeliveryState = Literal["pending", "sending", "sent", "failed", "given_up"]
Start = Literal["go", "already_sent", "busy"]
_KEYS = uuid.UUID("5b0f0d5e-8a59-4f62-9b0e-5a4f4f7f1d20")


class DeliveryFailed(Exception):
    """The provider did not take the message; `answer` is what it said."""

    def __init__(self, answer: str, *, permanent: bool) -> None:
        super().__init__(answer)
        self.answer = answer[:2000]
        self.permanent = permanent


@dataclass(frozen=True)
class Sent:
    """The provider took it; `answer` is its reply (SMTP's 250 line, LINE's request id)."""

    answer: str


def idempotency_key(delivery_id: str) -> str:
    """Stable per delivery: LINE's X-Line-Retry-Key and the e-mail's Message-ID."""
    return str(uuid.uuid5(_KEYS, delivery_id))
