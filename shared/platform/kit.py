"""The service kit: a service is two tables, its ports and its routes; the kit wires the rest.

Each service declares, in its `entrypoints/amqp.py`,

- `CONSUMES`: `{Contract: handler}`, a handler being `async (envelope, ports) -> None`
  whose docstring documents the subscription;
- `PUBLISHES`: the contracts it publishes (events it owns, requests it sends);
- optionally `REFUSALS`: `{Contract: answer}` for requests it can answer even when the body
  is refused at the input boundary (`async (refusal, delivery, ports) -> None`); other
  refused bodies are dead-lettered at once with the reason;

and its `bootstrap.py` has `assemble(runtime, ports) -> FastAPI`, which hands a `Service`
to `assemble_service`, and `bootstrap(settings)`, which builds the real adapters and calls
`assemble`. Unit tests call `assemble` with in-memory fakes of the ports (and FastStream's
in-memory broker), so they drive the wiring the process runs.

`assemble_service` registers one subscriber per `CONSUMES` row on the queue the topology
declares for it, one publisher per `PUBLISHES` row (so `/asyncapi.json` documents both
directions), the routes, the start-up steps, and the jobs — the outbox relay among them.
"""

import asyncio
import functools
import inspect
import logging
import typing
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any, Generic, TypeVar

from fastapi import APIRouter, Depends, FastAPI
from faststream.message import StreamMessage
from pydantic import TypeAdapter

from shared.contracts.base import Contract, Envelope
from shared.platform.asyncapi import asyncapi_document
from shared.platform.audit import AuditTrail, AuditWrites
from shared.platform.http_bodies import known_query
from shared.platform.limits import InputRefused, Limits, read_json
from shared.platform.metrics import OUTBOX_AGE, OUTBOX_PENDING
from shared.platform.outbox import Outbox, Publish, relay
from shared.platform.service import HasIndexes, Runtime, create_app

log = logging.getLogger("tidtam.kit")

P = TypeVar("P")
Handler = Callable[[Envelope[Any], P], Awaitable[None]]
Consumes = Mapping[type[Contract], Handler[P]]
Publishes = Sequence[type[Contract]]


@dataclass(frozen=True)
class Delivery:
    """What a refused message still tells: its raw body and its AMQP properties."""

    body: bytes
    correlation_id: str | None
    message_id: str | None


Answer = Callable[[InputRefused, Delivery, P], Awaitable[None]]
Refusals = Mapping[type[Contract], Answer[P]]


@dataclass(frozen=True)
class Job:
    """A background job of the service: `run` every `every_s` seconds, from start to stop.

    A failing pass is logged and the job goes on at its next pass."""

    name: str
    run: Callable[[], Awaitable[Any]]
    every_s: float

    async def forever(self) -> None:
        while True:
            try:
                await self.run()
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("job %s failed; next pass in %ss", self.name, self.every_s)
            await asyncio.sleep(self.every_s)


def relay_job(publish: Publish, outboxes: Sequence[Outbox], every_s: float = 5.0) -> Job:
    """The outbox relay: publish what a crash or a broker outage left unannounced, then
    measure each outbox's backlog (`tidtam_outbox_pending`, `…_oldest_age_seconds`)."""

    async def relay_and_measure() -> None:
        await relay(publish, outboxes)
        for outbox in outboxes:
            pending, age = await outbox.backlog()
            OUTBOX_PENDING.labels(outbox.name).set(pending)
            OUTBOX_AGE.labels(outbox.name).set(age)

    return Job("outbox relay", relay_and_measure, every_s)


@dataclass
class Service(Generic[P]):
    """Everything a service is, declared where it is assembled."""

    name: str
    title: str
    description: str
    consumes: Consumes[P]
    publishes: Publishes
    ports: P
    stores: Sequence[object] = ()  # those with create_indexes() get their indexes at start
    routers: Sequence[APIRouter] = ()
    jobs: Sequence[Job] = ()
    # Runs once connected, before any message is taken (ask for copies, say).
    before_consume: Callable[[], Awaitable[None]] | None = None
    loops: Sequence[Callable[[], Awaitable[None]]] = field(default=())  # own-paced workers
    audit: AuditTrail | None = None  # every write attributed (None in unit tests)
    # Dependencies every route of `routers` runs first (who may call, say); `extra_routers`
    # go without them (issuing keys with the admin token, say).
    guards: Sequence[Any] = ()
    extra_routers: Sequence[APIRouter] = ()
    refusals: Refusals[P] = field(default_factory=dict)  # the REFUSALS table


def title_of(handler: Callable[..., Any]) -> str:
    return handler.__name__ if handler.__name__.startswith("on_") else f"on_{handler.__name__}"


def envelope_type(handler: Callable[..., Any], contract: type[Contract]) -> Any:
    """What the handler takes: its first parameter's annotation (`Envelope[dict[str, Any]]`
    where the handler validates the payload itself and answers bad input), else the
    envelope of the row's contract."""
    first = next(iter(inspect.signature(handler).parameters))
    hints = typing.get_type_hints(handler)
    return hints.get(first, Envelope[contract])  # type: ignore[valid-type]


def with_correlation(body: Any, property_id: str | None) -> Any:
    """An envelope without `correlation_id` takes the AMQP property's.

    Publishers set it in either place (AsyncAPI says so); the envelope's wins when both are
    set, so what a handler sees is what the payload says."""
    if isinstance(body, dict) and not body.get("correlation_id") and property_id:
        return {**body, "correlation_id": property_id}
    return body


def boundary_decoder(
    limits: Limits, answer: Answer[P] | None, ports: P
) -> Callable[[StreamMessage[Any]], Awaitable[Any]]:
    """FastStream's decoder for one subscriber: the body through the input boundary (the
    same limits as HTTP), before any parser recurses into it or any model sees it."""

    async def decode(message: StreamMessage[Any]) -> Any:
        try:
            body = read_json(message.body, limits, message.content_type)
        except InputRefused as refused:
            if answer is not None:
                delivery = Delivery(message.body, message.correlation_id, message.message_id)
                refused.answer = partial(answer, refused, delivery, ports)
            raise
        return with_correlation(body, message.correlation_id)

    return decode


def subscribe(
    runtime: Runtime, consumes: Consumes[P], ports: P, refusals: Refusals[P] | None = None
) -> None:
    """One subscriber per row, on the queue the topology declares for this service."""
    topology, broker = runtime.topology, runtime.broker
    limits = Limits.of(runtime.settings)
    for contract, handler in consumes.items():
        consumer = topology.consumer(runtime.name, contract.ROUTING_KEY)

        def bind(handle: Handler[P], envelope_type: Any) -> Callable[..., Awaitable[None]]:
            envelope_of = TypeAdapter(envelope_type).validate_python

            async def on_message(body: Any) -> None:
                await handle(envelope_of(body), ports)

            # The envelope of this row's contract, made by the adapter above from what the
            # boundary decoded (the broker injects nothing: `make_broker`); the annotation
            # documents it.
            on_message.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
                [inspect.Parameter("body", inspect.Parameter.POSITIONAL_OR_KEYWORD,
                                   annotation=envelope_type)],
                return_annotation=None,
            )  # fmt: skip
            on_message.__annotations__ = {"body": envelope_type, "return": None}
            on_message.__name__ = title_of(handle)
            return on_message

        broker.subscriber(
            topology.rabbit_queue(consumer),
            topology.rabbit_exchange(),
            title=f"{runtime.name}: {title_of(handler)}",
            description=inspect.getdoc(handler) or contract.__doc__,
            decoder=boundary_decoder(limits, (refusals or {}).get(contract), ports),
        )(bind(handler, envelope_type(handler, contract)))


def assemble_service(runtime: Runtime, service: Service[P]) -> FastAPI:
    """The service's app: subscriptions, publications, routes, start-up and jobs."""
    assert runtime.name == service.name, f"{runtime.name} assembled as {service.name}"
    runtime.publisher.declare(service.publishes)
    subscribe(runtime, service.consumes, service.ports, service.refusals)

    async def before_consume(_: Runtime) -> None:
        if service.before_consume is not None:
            await service.before_consume()

    app = create_app(
        runtime,
        stores=[
            store for store in (*service.stores, service.audit) if isinstance(store, HasIndexes)
        ],
        title=service.title,
        description=service.description,
        before_consume=before_consume,
        background=[*(job.forever for job in service.jobs), *service.loops],
        asyncapi=functools.cache(
            lambda: asyncapi_document(
                service=service.name,
                title=service.title,
                description=service.description,
                consumes=service.consumes,
                publishes=service.publishes,
                topology=runtime.topology,
                settings=runtime.settings,
            )
        ),
    )
    # An unknown query parameter is refused, as an unknown body field is.
    for router in service.routers:
        app.include_router(router, dependencies=[*service.guards, Depends(known_query)])
    for router in service.extra_routers:
        app.include_router(router, dependencies=[Depends(known_query)])
    if service.audit is not None:
        app.add_middleware(AuditWrites, trail=service.audit)
    return app
