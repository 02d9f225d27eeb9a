"""The input boundary over HTTP: an ASGI middleware every service's app runs first.

A body is read (at most the limit, counted as it streams) and checked by
`shared.platform.limits.read_json` before any route parses it: 413 over the size, 415 for
a body that is not JSON, 422 (FastAPI's `detail` array) for depth, integers and dates.
Uploads (multipart) have their own, larger limit and are checked by their routes; a form
(`application/x-www-form-urlencoded`, the console's pages) only for its size.
"""

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.platform.limits import InputRefused, Limits, check_size, read_json


class InputBoundary:
    """ASGI middleware: refuse a bad body before the app sees it, in the boundary's terms."""

    def __init__(self, app: ASGIApp, limits: Limits, upload_limit: int) -> None:
        self.app = app
        self.limits = limits
        self.upload_limit = upload_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        content_type = headers.get(b"content-type", b"").decode("latin-1") or None
        media = (content_type or "").split(";")[0].strip().lower()
        if media.startswith("multipart/"):
            limit = self.upload_limit + 64 * 1024
        else:
            limit = self.limits.max_body_bytes
        try:
            declared = headers.get(b"content-length")
            if declared is not None and declared.isdigit():
                check_size(int(declared), _at_most(self.limits, limit))
            if media.startswith("multipart/"):
                await self.app(scope, _counted(receive, self.limits, limit), send)
                return
            raw, rest = await _read(receive, _at_most(self.limits, limit))
            if raw and media != "application/x-www-form-urlencoded":
                read_json(raw, self.limits, content_type)
        except InputRefused as refusal:
            await _refuse(send, refusal)
            return
        await self.app(scope, _replay(raw, rest, receive), send)


def _at_most(limits: Limits, limit: int) -> Limits:
    return Limits(**{**limits.__dict__, "max_body_bytes": limit})


async def _read(receive: Receive, limits: Limits) -> tuple[bytes, list[Message]]:
    """The whole body (refused once over the limit), and anything else received."""
    chunks: list[bytes] = []
    seen = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return b"".join(chunks), [message]
        chunk = message.get("body", b"")
        seen += len(chunk)
        check_size(seen, limits)
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), []


def _replay(raw: bytes, rest: list[Message], receive: Receive) -> Receive:
    """The body read, then the client's own messages (a disconnect, say)."""
    pending: list[Message] = [{"type": "http.request", "body": raw, "more_body": False}, *rest]

    async def replayed() -> Message:
        return pending.pop(0) if pending else await receive()

    return replayed


def _counted(receive: Receive, limits: Limits, limit: int) -> Receive:
    seen = 0

    async def counted() -> Message:
        nonlocal seen
        message = await receive()
        seen += len(message.get("body", b""))
        check_size(seen, _at_most(limits, limit))
        return message

    return counted


async def _refuse(send: Send, refusal: InputRefused) -> None:
    body: dict[str, Any] = {"detail": refusal.detail()}
    await send(
        {
            "type": "http.response.start",
            "status": refusal.status,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send(
        {"type": "http.response.body", "body": json.dumps(body, ensure_ascii=False).encode()}
    )
