"""Open pages waiting for news: each listener gets every topic notified while it listens.

In-process: a page holds a server-sent-events stream to this console process; the console
consumes monitoring's events (entrypoints/amqp.py) and notifies. A slow listener drops
news rather than holding anyone up (it refreshes what it shows anyway)."""

import asyncio
from collections.abc import AsyncIterator

QUEUE = 100


class Broadcast:
    def __init__(self) -> None:
        self.listeners: set[asyncio.Queue[str]] = set()

    def notify(self, topic: str) -> None:
        for queue in list(self.listeners):
            if queue.qsize() < QUEUE:
                queue.put_nowait(topic)

    async def listen(self) -> AsyncIterator[str]:
        queue: asyncio.Queue[str] = asyncio.Queue()
        self.listeners.add(queue)
        try:
            while True:
                yield await queue.get()
        finally:
            self.listeners.discard(queue)
