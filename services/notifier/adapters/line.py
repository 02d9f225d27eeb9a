"""LINE through the Messaging API's push endpoint (LINE Notify closed in 2025)."""

from dataclasses import dataclass

import httpx

from services.notifier.domain.deliveries import DeliveryFailed, Sent
from services.notifier.domain.digests import Message, line_text

PUSH = "/v2/bot/message/push"


@dataclass(frozen=True)
class LinePush:
    """Pushes a digest as one text message to a LINE user id; raises DeliveryFailed.

    `X-Line-Retry-Key` is the delivery's own key: LINE accepts a key once (for 24 hours)
    and answers a repeat with 409, which means the first push was taken."""

    base_url: str
    token: str
    timeout_s: float = 30.0

    async def send(self, address: str, message: Message, key: str) -> Sent:
        body = {"to": address, "messages": [{"type": "text", "text": line_text(message)}]}
        headers = {"Authorization": f"Bearer {self.token}", "X-Line-Retry-Key": key}
        try:
            async with httpx.AsyncClient(base_url=self.base_url, timeout=self.timeout_s) as api:
                answer = await api.post(PUSH, json=body, headers=headers)
        except httpx.HTTPError as error:
            raise DeliveryFailed(f"{type(error).__name__}: {error}", permanent=False) from None
        request_id = answer.headers.get("x-line-request-id", "")
        if answer.status_code == 200:
            return Sent(f"200 request {request_id}".strip())
        if answer.status_code == 409 and answer.headers.get("x-line-accepted-request-id"):
            accepted = answer.headers["x-line-accepted-request-id"]
            return Sent(f"409 already accepted as request {accepted}")
        said = f"{answer.status_code} {answer.text[:1000]}"
        permanent = 400 <= answer.status_code < 500 and answer.status_code not in (408, 429)
        raise DeliveryFailed(said, permanent=permanent)
