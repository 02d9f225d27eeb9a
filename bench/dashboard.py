"""How fast monitoring's dashboard answers once a round is in, with 1 and 20 clients.

Run from the repository root (RabbitMQ up: `deploy/local/servers up rabbitmq`):

    .venv/bin/python -m bench.dashboard                  # 2 offices, 1 and 20 clients
    .venv/bin/python -m bench.dashboard --offices 1 8 --requests 400

For each size: a database server of its own, intake and monitoring as processes, the
offices loaded and their round reported (with corrections); then each dashboard route is
asked `--requests` times by 1 and by 20 concurrent clients: p50 / p99 ms and requests/s,
beside monitoring's `/healthz` (the HTTP stack with no work: the floor in the same run).
Goal (issue 20): p99 <= 50 ms at 20 concurrent clients after the national round. Only prints.
"""

import argparse
import asyncio
import statistics
import time

import httpx

from bench.round import System, publish_round, system
from samples.demo import ROUND
from samples.office import generate_nation


def routes(found: System) -> dict[str, str]:
    """The dashboard's routes an officer's pages call, on units of every type."""
    units = [code for code, _, _ in found.reports]
    office = next(iter(generate_nation(1))).office_code
    school, form = units[len(units) // 2], found.reports[0][1]
    return {
        "floor: /healthz": "/healthz",
        "the round, every office": f"/dashboard/rounds/{ROUND}",
        "an office's units": f"/dashboard/rounds/{ROUND}/units?form_id={form}&scope={office}",
        "one school": f"/dashboard/rounds/{ROUND}/units/{school}",
        "one office": f"/dashboard/rounds/{ROUND}/units/{office}",
        "the round's projects": f"/dashboard/rounds/{ROUND}/projects",
        "the round's problems": f"/dashboard/rounds/{ROUND}/problems",
    }


async def timed(api: httpx.AsyncClient, path: str, requests: int, clients: int) -> list[float]:
    """ms of each of `requests` GETs of `path`, `clients` at a time."""
    spent: list[float] = []
    left = iter(range(requests))

    async def client() -> None:
        for _ in left:
            started = time.perf_counter()
            answer = await api.get(path)
            spent.append((time.perf_counter() - started) * 1000)
            if answer.status_code != 200:
                raise RuntimeError(f"{path}: {answer.status_code} {answer.text[:200]}")

    await asyncio.gather(*(client() for _ in range(clients)))
    return sorted(spent)


async def one_size(offices: int, requests: int, heap_mb: int, limit_s: float) -> None:
    async with system(offices, heap_mb) as found:
        await publish_round(found, round(len(found.reports) * 1.5), limit_s)
        monitoring = found.services["monitoring"]
        limits = httpx.Limits(max_connections=20)
        async with httpx.AsyncClient(
            base_url=monitoring.url, headers=monitoring.officer, timeout=60, limits=limits
        ) as api:
            for clients in (1, 20):
                print(f"  {clients} client{'s' if clients > 1 else ''}:")
                for name, path in routes(found).items():
                    await timed(api, path, 10, 1)  # warm
                    started = time.perf_counter()
                    spent = await timed(api, path, requests, clients)
                    rate = requests / (time.perf_counter() - started)
                    p99 = spent[max(0, round(0.99 * len(spent)) - 1)]
                    print(
                        f"    {name:<26} p50 {statistics.median(spent):6.1f} ms  "
                        f"p99 {p99:6.1f} ms  {rate:6.0f}/s"
                    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.dashboard")
    parser.add_argument("--offices", type=int, nargs="+", default=[2])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--heap", type=int, default=2048)
    parser.add_argument("--timeout", type=float, default=900)
    args = parser.parse_args()
    for offices in args.offices:
        asyncio.run(one_size(offices, args.requests, args.heap, args.timeout))


if __name__ == "__main__":
    main()
