"""How fast intake answers submissions over AMQP, and whether it stays as fast as they pile up.

Run from the repository root (RabbitMQ up: `deploy/local/servers up rabbitmq`):

    .venv/bin/python -m bench.intake                       # 20,000 submissions
    .venv/bin/python -m bench.intake --submissions 100000  # the goal's size
    .venv/bin/python -m bench.intake --store h2            # the local system's file store

It starts a mongo-java-server of its own (Java heap bounded by `--heap`), declares a
namespace on the machine's RabbitMQ and starts intake as a process. The set-up (synthetic
offices: schools, projects, indicators, the form, a round open today and the derived
assignments) reaches intake as monitoring announces it, `setup.changed.v1` events. Then
it publishes N `submission.submitted.v1` as a real round would bring them — most units once,
a fifth of them 2–5 times (corrections) — and counts intake's answers. It prints:

- throughput per 10% slice of the answers (a decline shows), and the last slice / the first;
- CPU ms per submission of intake, the database server, the broker and the bench itself;
  RSS before and after;
- Mongo commands per submission (intake's own client counts them);
- in the same run, the ceilings: the same submissions answered at once by `bench.echo` in
  intake's place (a service of the kit that neither validates nor stores, then aio-pika
  alone), the broker's consume+ack of 1 KB persistent messages on a quorum queue, and the
  database server's inserts, upserts and finds by `_id`.

Goals (issue 20): ≥ 2,000 accepted/s over 100,000, the last 10% ≥ 90% of the first; ≤ 0.5 ms
intake CPU and ≤ 3 Mongo commands per submission. It only prints, and deletes what it made.
"""

import argparse
import asyncio
import itertools
import json
import math
import os
import random
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from tempfile import TemporaryDirectory
from typing import Any

import aio_pika

from bench.harness import (
    Usage,
    broker_pid,
    commands_of,
    difference,
    mongo_ceiling,
    mongo_server,
    publish_many,
    queues_empty,
    raw_broker,
)
from samples.load import open_round
from samples.office import SampleOffice, generate_nation
from samples.progress import progress_values
from services.monitoring.domain.assignments import derive_assignments
from shared.contracts import make_envelope
from shared.contracts.setup import Assignment, SetupChanged, SetupModel
from shared.platform.settings import Settings
from shared.platform.topology import Topology, declare_topology, delete_topology
from tests.processes import ServiceProcess

SCHOOLS_PER_OFFICE = 122


@dataclass
class Round:
    """A synthetic round's set-up and what its units would send."""

    entities: list[SetupModel] = field(default_factory=list)
    reports: list[tuple[str, str, dict[str, Any]]] = field(default_factory=list)


def setup_of(offices: int) -> Round:
    """The offices' set-up, a round open today, its assignments and each unit's values."""
    made = Round()
    today = (datetime.now(UTC) + timedelta(hours=7)).date()
    round_ = open_round(today)
    for index, office in enumerate(generate_nation(offices, SCHOOLS_PER_OFFICE)):
        if index == 0:
            made.entities += [round_, *office.forms]
        made.entities += _own(office)
        assignments = derive_assignments(office.units, [round_], office.plans, office.projects)
        made.entities += assignments
        values = progress_values(office, _as_listed(assignments), random.Random(index))
        forms = {a.unit_code: a.form_id for a in assignments}
        made.reports += [(unit, forms[unit], values[unit]) for unit in sorted(values)]
    return made


def _own(office: SampleOffice) -> list[SetupModel]:
    return [*office.units, *office.strategies, *office.plans, *office.projects, *office.indicators]


def _as_listed(assignments: list[Assignment]) -> list[dict[str, Any]]:
    return [a.model_dump(mode="json") for a in assignments]


def setup_events(entities: list[SetupModel]) -> Iterator[tuple[str, bytes]]:
    for revision, entity in enumerate(entities, start=1):
        change = SetupChanged(revision=revision, key=entity.key, entity=entity)
        envelope = make_envelope(change, producer="monitoring", correlation_id="bench-setup")
        yield SetupChanged.ROUTING_KEY, envelope.model_dump_json().encode()


def submissions(reports: list[tuple[str, str, dict[str, Any]]], count: int) -> list[bytes]:
    """`count` submissions: every unit once, then corrections (2–5 versions for a fifth of the
    units), shuffled as a round brings them."""
    rng = random.Random(20)
    keys: list[tuple[int, int]] = [(i, 1) for i in range(len(reports))]
    while len(keys) < count:
        corrected = rng.randrange(len(reports))
        for version in range(2, rng.randint(2, 5) + 1):
            keys.append((corrected, version))
    keys = keys[:count]
    rng.shuffle(keys)
    now = datetime.now(UTC).isoformat()
    bodies = []
    for unit_index, version in keys:
        unit, form_id, values = reports[unit_index]
        key = f"bench-{unit}-{version}-{rng.randrange(10**9)}"
        data = {
            "submission_key": key,
            "unit_code": unit,
            "round_id": "2570-DEMO",
            "form_id": form_id,
            "form_version": 1,
            "submitted_at": now,
            "submitter": "ระบบทดสอบความเร็ว",
            "values": values,
        }
        envelope = {
            "event_id": str(uuid.uuid4()),
            "type": "submission.submitted.v1",
            "schema_version": 1,
            "occurred_at": now,
            "correlation_id": key,
            "producer": "bench",
            "data": data,
        }
        bodies.append(json.dumps(envelope, ensure_ascii=False).encode())
    return bodies


class Answers:
    """Counts intake's answers as they arrive, with the time each tenth completed."""

    def __init__(self, expected: int) -> None:
        self.expected = expected
        self.accepted = self.rejected = 0
        self.reasons: list[str] = []
        self.marks: list[float] = []
        self.done = asyncio.Event()

    async def take(self, message: aio_pika.abc.AbstractIncomingMessage) -> None:
        await message.ack()
        if message.routing_key == "submission.accepted.v1":
            self.accepted += 1
        else:
            self.rejected += 1
            if len(self.reasons) < 3:
                self.reasons.append(message.body.decode()[:400])
        answered = self.accepted + self.rejected
        if answered % max(1, self.expected // 10) == 0 or answered == self.expected:
            self.marks.append(time.perf_counter())
        if answered >= self.expected:
            self.done.set()


def slices(started: float, marks: list[float], expected: int) -> list[float]:
    """Answers per second in each tenth."""
    per = max(1, expected // 10)
    edges = [started, *marks[:10]]
    return [per / (b - a) for a, b in itertools.pairwise(edges) if b > a]


async def run(args: argparse.Namespace) -> None:
    settings = Settings()
    offices = math.ceil(args.submissions / 1.5 / (SCHOOLS_PER_OFFICE + 10))
    made = setup_of(offices)
    bodies = submissions(made.reports, args.submissions)
    print(
        f"{len(made.reports):,} units in {offices} offices, {len(made.entities):,} set-up "
        f"entities, {len(bodies):,} submissions ({len(bodies) - len(made.reports):,} corrections)"
    )
    with (
        TemporaryDirectory() as folder,
        mongo_server(Path(folder), args.heap, args.store) as (
            mongo_url,
            mongo_pid,
        ),
    ):
        namespace = f"b{uuid.uuid4().hex[:8]}"
        ours = Settings(
            AMQP_URL=settings.amqp_url, MONGODB_URL=mongo_url, TIDTAM_NAMESPACE=namespace
        )
        topology = Topology(namespace)
        await declare_topology(ours.amqp_url, topology)
        counts = Path(folder) / "intake-commands.json"
        intake = ServiceProcess(
            "intake", ours, Path(folder), env={"TIDTAM_MONGO_COMMANDS_FILE": str(counts)}
        )
        try:
            intake.start().wait_ready()
            started = time.perf_counter()
            await publish_many(
                ours.amqp_url, topology.events_exchange, list(setup_events(made.entities))
            )
            await queues_empty(ours, "intake", 1800)
            print(f"set-up held by intake in {time.perf_counter() - started:.0f} s")
            await measure(args, ours, topology, intake, mongo_pid, counts, bodies)
            intake.stop()
            print("the same submissions answered at once, without validating or storing:")
            for kind in ECHOES:
                await echo(kind, ours, topology, Path(folder), bodies)
            raw_publish, raw_consume = await raw_broker(ours.amqp_url, min(20_000, len(bodies)))
            ceiling = await mongo_ceiling(mongo_url, 20_000)
            print(
                f"raw broker, same run: publish+confirm {raw_publish:,.0f}/s, consume+ack "
                f"{raw_consume:,.0f}/s (quorum queue, 1 KB, prefetch 100)"
            )
            print(
                "database server, same run (32 in flight): "
                + ", ".join(f"{name} {rate:,.0f}/s" for name, rate in ceiling.items())
            )
        finally:
            intake.stop()
            await delete_topology(ours.amqp_url, topology)


@dataclass
class Answered:
    """One pass of the submissions through a consumer of intake's queue."""

    answers: "Answers"
    started: float
    elapsed: float
    published: float
    before: dict[str, Usage]
    after: dict[str, Usage]

    @property
    def count(self) -> int:
        return self.answers.accepted + self.answers.rejected

    def cpu_ms(self, name: str) -> float:
        return (self.after[name].cpu_s - self.before[name].cpu_s) * 1000 / max(1, self.count)


async def answer_all(
    settings: Settings,
    topology: Topology,
    pids: dict[str, int],
    bodies: list[bytes],
    timeout: float,  # noqa: ASYNC109
) -> Answered:
    """Publish the submissions while counting the answers; the processes' usage around it."""
    answers = Answers(len(bodies))
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel()
        await channel.set_qos(prefetch_count=500)
        queue = await channel.declare_queue(exclusive=True, auto_delete=True)
        for key in ("submission.accepted.v1", "submission.rejected.v1"):
            await queue.bind(topology.events_exchange, routing_key=key)
        await queue.consume(answers.take)
        await asyncio.sleep(1)
        before = {name: Usage.of(pid) for name, pid in pids.items()}
        started = time.perf_counter()
        publishing = asyncio.create_task(
            publish_many(
                settings.amqp_url,
                topology.events_exchange,
                [("submission.submitted.v1", body) for body in bodies],
                in_flight=200,
            )
        )
        try:
            await asyncio.wait_for(answers.done.wait(), timeout)
        except TimeoutError:
            print(f"!! only {answers.accepted + answers.rejected:,} answers in {timeout} s")
        elapsed = time.perf_counter() - started
        published = await publishing
        await asyncio.sleep(1)
        after = {name: Usage.of(pid) for name, pid in pids.items()}
    return Answered(answers, started, elapsed, published, before, after)


async def measure(
    args: argparse.Namespace,
    settings: Settings,
    topology: Topology,
    intake: ServiceProcess,
    mongo_pid: int,
    counts: Path,
    bodies: list[bytes],
) -> None:
    assert intake.process is not None
    pids = {"intake": intake.process.pid, "database server": mongo_pid}
    if (rabbit := broker_pid()) is not None:
        pids["broker"] = rabbit
    pids["this bench"] = os.getpid()  # publishes the submissions and counts the answers
    sent_before = commands_of(counts)
    run = await answer_all(settings, topology, pids, bodies, args.timeout)
    sent = difference(commands_of(counts), sent_before)
    answers, answered, elapsed = run.answers, run.count, run.elapsed
    print(
        f"\n{answered:,} answers ({answers.accepted:,} accepted, {answers.rejected:,} rejected) "
        f"in {elapsed:.1f} s: {answered / elapsed:,.0f}/s (published in {run.published:.1f} s)"
    )
    for reason in answers.reasons:
        print(f"  rejected: {reason}")
    rates = slices(run.started, answers.marks, len(bodies))
    print("per 10% slice: " + " ".join(f"{rate:,.0f}" for rate in rates) + " /s")
    if len(rates) >= 2:
        print(f"last slice / first: {rates[-1] / rates[0]:.2f} (goal >= 0.90)")
    for name in pids:
        print(
            f"{name:<16} CPU {run.cpu_ms(name):6.2f} ms/submission   RSS "
            f"{run.before[name].rss_mb:6.0f} -> {run.after[name].rss_mb:6.0f} MB"
        )
    total = sum(sent.values())
    print(
        f"intake's Mongo commands: {total / max(1, answered):.2f} per submission ("
        + ", ".join(f"{name} {n / max(1, answered):.2f}" for name, n in sorted(sent.items()))
        + "; goal <= 3)"
    )


ECHOES = {
    "kit": "the kit alone (FastStream, input boundary, consume policy, envelope out)",
    "raw": "aio-pika alone (the body published back, confirmed, acked)",
}


async def echo(
    kind: str, settings: Settings, topology: Topology, folder: Path, bodies: list[bytes]
) -> None:
    """The same submissions answered at once by `bench.echo`: what this broker and this
    framework allow an intake on this machine, in this run."""
    process = ServiceProcess(
        "intake", settings, folder, label=f"echo-{kind}", argv=("-m", "bench.echo", kind)
    )
    process.start()
    try:
        await consumed_by_one(settings, topology)
        assert process.process is not None
        pids = {"echo": process.process.pid, "this bench": os.getpid()}
        if (rabbit := broker_pid()) is not None:
            pids["broker"] = rabbit
        run = await answer_all(settings, topology, pids, bodies, 600)
        print(
            f"  {ECHOES[kind]}: {run.count / run.elapsed:,.0f}/s; CPU ms/submission: "
            + ", ".join(f"{name} {run.cpu_ms(name):.2f}" for name in pids)
        )
    finally:
        process.stop()


async def consumed_by_one(settings: Settings, topology: Topology, timeout: float = 60) -> None:  # noqa: ASYNC109
    """Until intake's submission queue has a consumer."""
    name = topology.queue(topology.consumer("intake", "submission.submitted.v1"))
    deadline = time.monotonic() + timeout
    connection = await aio_pika.connect(settings.amqp_url)
    async with connection:
        channel = await connection.channel()
        while time.monotonic() < deadline:
            declared = await channel.declare_queue(name, passive=True)
            if declared.declaration_result.consumer_count:
                return
            await asyncio.sleep(0.2)
    raise TimeoutError(f"nothing consumes {name} after {timeout} s")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.intake")
    parser.add_argument("--submissions", type=int, default=20_000)
    parser.add_argument("--heap", type=int, default=2048, help="the database server's -Xmx, MB")
    parser.add_argument("--store", choices=("memory", "h2"), default="memory")
    parser.add_argument("--timeout", type=float, default=900)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
