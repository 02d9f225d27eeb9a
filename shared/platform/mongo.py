"""The MongoDB client every service uses (PyMongo's async API; Motor is end-of-life)."""

import json
import logging
import os
import threading
from collections import Counter
from pathlib import Path
from typing import Any

from pymongo import ASCENDING, AsyncMongoClient, monitoring
from pymongo.asynchronous.collection import AsyncCollection
from pymongo.errors import DuplicateKeyError

log = logging.getLogger("tidtam.mongo")


class _HealthLog(
    monitoring.ServerHeartbeatListener,
    monitoring.ConnectionPoolListener,
    monitoring.CommandListener,
):
    """Log why the driver lost the server or cleared its pool: operators need the cause."""

    def __init__(self) -> None:
        self._commands: dict[int, Any] = {}

    def started(self, event: Any) -> None:
        if isinstance(event, monitoring.CommandStartedEvent):
            # Kept briefly, so a failed command can be logged with what it asked (made text
            # only then: most commands succeed, and an insert's text is its whole document).
            self._commands[event.request_id] = event.command
            if len(self._commands) > 1000:
                self._commands.pop(next(iter(self._commands)))

    def succeeded(self, event: Any) -> None:
        if isinstance(event, monitoring.CommandSucceededEvent):
            self._commands.pop(event.request_id, None)

    def failed(self, event: Any) -> None:
        if isinstance(event, monitoring.ServerHeartbeatFailedEvent):
            log.warning("MongoDB heartbeat failed: %r", event.reply)
        elif isinstance(event, monitoring.CommandFailedEvent):
            asked = self._commands.pop(event.request_id, "")
            if _expected(event.failure):
                return
            command = str(asked)[:500]
            log.warning("MongoDB %s failed: %r (%s)", event.command_name, event.failure, command)

    def pool_cleared(self, event: monitoring.PoolClearedEvent) -> None:
        log.warning("MongoDB connection pool cleared (%s)", event.address)

    def connection_closed(self, event: monitoring.ConnectionClosedEvent) -> None:
        if event.reason not in ("stale", "idle", "poolClosed"):
            log.warning("MongoDB connection closed: %s", event.reason)

    def pool_created(self, event: Any) -> None:
        pass

    def pool_ready(self, event: Any) -> None:
        pass

    def pool_closed(self, event: Any) -> None:
        pass

    def connection_created(self, event: Any) -> None:
        pass

    def connection_ready(self, event: Any) -> None:
        pass

    def connection_check_out_started(self, event: Any) -> None:
        pass

    def connection_check_out_failed(self, event: Any) -> None:
        pass

    def connection_checked_out(self, event: Any) -> None:
        pass

    def connection_checked_in(self, event: Any) -> None:
        pass


def _expected(failure: Any) -> bool:
    """Duplicate keys are how idempotent writes learn of a repeat: not worth a warning."""
    return isinstance(failure, dict) and failure.get("code") == 11000


class CommandCounts(monitoring.CommandListener):
    """Counts of the commands a process sends, by name, written to a file every half second.

    On only when `TIDTAM_MONGO_COMMANDS_FILE` is set: the benchmarks read it to report
    Mongo commands per submission, from outside the service's process."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._writer = threading.Thread(target=self._write_forever, daemon=True)
        self._writer.start()

    def started(self, event: monitoring.CommandStartedEvent) -> None:
        with self._lock:
            self.counts[event.command_name] += 1

    def succeeded(self, event: monitoring.CommandSucceededEvent) -> None:
        pass

    def failed(self, event: monitoring.CommandFailedEvent) -> None:
        pass

    def _write_forever(self) -> None:
        stop = threading.Event()
        while not stop.wait(0.5):
            with self._lock:
                text = json.dumps(dict(self.counts))
            # Replaced whole: a reader never sees the file half written.
            partial = self.path.with_name(self.path.name + ".part")
            partial.write_text(text)
            partial.replace(self.path)


_COUNTS: CommandCounts | None = None


def _listeners() -> list[Any]:
    global _COUNTS
    wanted = os.environ.get("TIDTAM_MONGO_COMMANDS_FILE")
    if wanted and _COUNTS is None:
        _COUNTS = CommandCounts(Path(wanted))
    return [_HealthLog(), *([_COUNTS] if _COUNTS else [])]


def make_client(url: str, **options: Any) -> AsyncMongoClient[dict[str, Any]]:
    """A client returning timezone-aware datetimes, failing fast when the server is away."""
    return AsyncMongoClient(
        url,
        tz_aware=True,
        uuidRepresentation="standard",
        serverSelectionTimeoutMS=options.pop("serverSelectionTimeoutMS", 5000),
        appname=options.pop("appname", "tidtam"),
        event_listeners=_listeners(),
        **options,
    )


async def ping(client: AsyncMongoClient[dict[str, Any]]) -> None:
    """Raise unless the server answers."""
    await client.admin.command("ping")


async def put_newer(
    collection: AsyncCollection[dict[str, Any]],
    document_id: Any,
    fields: dict[str, Any],
    by: str,
    *,
    replace_equal: bool,
) -> bool:
    """`$set` `fields` on the document unless it holds a newer `by` (an equal one too,
    unless `replace_equal`); created if missing. True if written.

    Read by `_id`, then written only if `by` is still what was read: both use an index on
    mongo-java-server (which scans for `{_id: x, by: {"$lt": …}}`), given the compound
    unique index `(_id, by)` that `newer_index` makes. Another writer in between: read again.
    """
    wanted = fields[by]
    for _ in range(8):
        held = await collection.find_one({"_id": document_id}, projection={by: True})
        if held is None:
            try:
                await collection.insert_one({"_id": document_id, **fields})
                return True
            except DuplicateKeyError:
                continue
        present = held.get(by)
        if present is not None and (present > wanted or (present == wanted and not replace_equal)):
            return False
        written = await collection.update_one({"_id": document_id, by: present}, {"$set": fields})
        if written.matched_count:
            return True
    return False


async def newer_index(collection: AsyncCollection[dict[str, Any]], by: str) -> None:
    """The index `put_newer` writes through."""
    await collection.create_index([("_id", ASCENDING), (by, ASCENDING)], unique=True)
