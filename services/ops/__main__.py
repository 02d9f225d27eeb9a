"""`python -m services.ops`: what an operator does with Tidtam's queues.

    python -m services.ops queues                      every queue, DLQs with messages first
    python -m services.ops dlq show QUEUE              the dead messages, decoded
    python -m services.ops dlq replay QUEUE --all      back to their queue (or --id ID)
    python -m services.ops dlq purge QUEUE             after typing the queue's name; writes
                                                       what it purges to a file first

QUEUE may be given without the namespace (`notifier.reminder-due-v1.dlq`). The management
API is `--management-url` (http://127.0.0.1:15672, guest/guest by default; TIDTAM_MANAGEMENT_*)."""

import argparse
import asyncio
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from shared.platform import dead_letters, queues
from shared.platform.settings import Settings


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="python -m services.ops", description=__doc__,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    top.add_argument("--management-url", default=os.environ.get(
        "TIDTAM_MANAGEMENT_URL", "http://127.0.0.1:15672"))  # fmt: skip
    top.add_argument("--user", default=os.environ.get("TIDTAM_MANAGEMENT_USER", "guest"))
    top.add_argument("--password", default=os.environ.get("TIDTAM_MANAGEMENT_PASSWORD", "guest"))
    verbs = top.add_subparsers(dest="verb", required=True)
    verbs.add_parser("queues", help="every Tidtam queue: ready, unacked, consumers, rates")
    dlq = verbs.add_parser("dlq", help="dead-letter queues").add_subparsers(
        dest="action", required=True
    )
    dlq.add_parser("show", help="the dead messages, decoded").add_argument("queue")
    replay = dlq.add_parser("replay", help="back to the queue they died in")
    replay.add_argument("queue")
    which = replay.add_mutually_exclusive_group(required=True)
    which.add_argument("--id", help="the message id, event id or a business id it carries")
    which.add_argument("--all", action="store_true")
    purge = dlq.add_parser("purge", help="delete them, after a typed confirmation")
    purge.add_argument("queue")
    purge.add_argument("--into", type=Path, help="where to write them (default: ./purged-…)")
    purge.add_argument("--yes", metavar="QUEUE", help="the queue's name, typed in advance")
    return top


def full_name(queue: str, namespace: str) -> str:
    return queue if queue.startswith(f"{namespace}.") else f"{namespace}.{queue}"


async def show_queues(args: argparse.Namespace, settings: Settings, out: Console) -> int:
    figures = await queues.queue_figures(
        args.management_url, args.user, args.password, settings.namespace
    )
    table = Table(title=f"Queues of {settings.namespace}")
    for column in ("queue", "ready", "unacked", "consumers", "in /s", "out /s"):
        table.add_column(column, justify="left" if column == "queue" else "right")
    for q in figures:
        style = "bold red" if q.dead_letters and q.ready + q.unacked else None
        table.add_row(q.name, str(q.ready), str(q.unacked), str(q.consumers),
                      f"{q.publish_rate:.1f}", f"{q.deliver_rate:.1f}", style=style)  # fmt: skip
    out.print(table)
    return 0


async def show_dead(queue: str, settings: Settings, out: Console) -> int:
    letters = await dead_letters.show(settings.amqp_url, queue)
    table = Table(title=f"{queue}: {len(letters)} dead")
    for column in (
        "message",
        "event",
        "ids",
        "correlation",
        "reason",
        "attempts",
        "died in",
        "when",
    ):
        table.add_column(column, overflow="fold")
    for d in letters:
        ids = ", ".join(f"{k}={v}" for k, v in d.ids.items() if k != "event_id")
        table.add_row(d.message_id, d.event_type, ids, d.correlation_id, d.reason,
                      str(d.attempts or ""), d.died_in, d.dead_at)  # fmt: skip
    out.print(table)
    return 0


async def replay_dead(
    args: argparse.Namespace, queue: str, settings: Settings, out: Console
) -> int:
    with Progress(console=out) as progress:
        task = progress.add_task(f"replaying {queue}", total=None)
        count = await dead_letters.replay(
            settings.amqp_url, queue, None if args.all else args.id,
            on_each=lambda _: progress.advance(task),
        )  # fmt: skip
    out.print(f"replayed {count} message(s) from {queue}")
    return 0 if count or args.all else 1


async def purge_dead(args: argparse.Namespace, queue: str, settings: Settings, out: Console) -> int:
    typed = args.yes if args.yes is not None else out.input(f"type [bold]{queue}[/] to purge it: ")
    if typed.strip() != queue:
        out.print("not purged: the name typed does not match")
        return 1
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    into = args.into or Path(f"purged-{queue}-{stamp}.jsonl")
    count = await dead_letters.purge(settings.amqp_url, queue, into)
    out.print(f"purged {count} message(s) from {queue}; written to {into}")
    return 0


async def run(argv: list[str], out: Console | None = None) -> int:
    args = parser().parse_args(argv)
    out = out or Console()
    settings = Settings()
    if args.verb == "queues":
        return await show_queues(args, settings, out)
    queue = full_name(args.queue, settings.namespace)
    if args.action == "show":
        return await show_dead(queue, settings, out)
    if args.action == "replay":
        return await replay_dead(args, queue, settings, out)
    return await purge_dead(args, queue, settings, out)


def main() -> None:
    sys.exit(asyncio.run(run(sys.argv[1:])))


if __name__ == "__main__":
    main()
