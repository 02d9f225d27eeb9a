"""How fast monitoring catches up after being down: 30,000 events queued, then started.

Run from the repository root (RabbitMQ up: `deploy/local/servers up rabbitmq`):

    .venv/bin/python -m bench.catchup                    # 30,000 events on 2 offices
    .venv/bin/python -m bench.catchup --events 3000 30000 --offices 8

For each size: a database server of its own, intake and monitoring as processes, the
offices loaded and their round reported once; then monitoring is stopped while intake
answers `--events` more submissions (corrections, new keys), and started again: the time
from its readiness until its queues are empty, beside the raw broker's consume rate in the
same run (so the ratio shows what the service costs over the broker). Goal (issue 20):
30,000 queued events drained in <= 30 s. Only prints.
"""

import argparse
import asyncio

from bench.harness import raw_broker
from bench.intake import submissions
from bench.round import catch_up, publish_round, system


async def one_size(offices: int, events: int, heap_mb: int, limit_s: float) -> None:
    async with system(offices, heap_mb) as found:
        await publish_round(found, len(found.reports), limit_s)
        bodies = [
            body.replace(b'"bench-', b'"queued-')
            for body in submissions(found.reports, len(found.reports) + events)
        ][len(found.reports) :]
        rate = await catch_up(found, bodies, limit_s)
        _, raw_rate = await raw_broker(found.settings.amqp_url, 20_000)
        print(f"  raw broker consume+ack {raw_rate:,.0f}/s; monitoring at {rate / raw_rate:.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.catchup")
    parser.add_argument("--offices", type=int, default=2)
    parser.add_argument("--events", type=int, nargs="+", default=[30_000])
    parser.add_argument("--heap", type=int, default=2048)
    parser.add_argument("--timeout", type=float, default=1800)
    args = parser.parse_args()
    for events in args.events:
        asyncio.run(one_size(args.offices, events, args.heap, args.timeout))


if __name__ == "__main__":
    main()
