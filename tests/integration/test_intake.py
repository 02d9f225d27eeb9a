"""Intake over HTTP and AMQP against real RabbitMQ and MongoDB, with monitoring's set-up."""

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from typing import Any

import aio_pika
import httpx
import pytest
from pydantic import SecretStr

from services.intake.bootstrap import bootstrap as intake
from shared.platform.settings import Settings
from shared.platform.topology import Topology
from tests.office import GROUP, OFFICE, SCHOOLS, copy_holds_assignments, set_up, values
from tests.support import (
    amqp_channel,
    eventually,
    listen,
    monitoring_api,
    publish,
    queue_depth,
    running,
    submitted,
    take_all,
)

pytestmark = pytest.mark.integration

ADMIN = "admin-secret-for-tests"


@contextlib.asynccontextmanager
async def office(settings: Settings) -> AsyncIterator[tuple[httpx.AsyncClient, dict[str, str]]]:
    """Monitoring and intake in this process, the office set up, intake's copy converged."""
    settings = settings.model_copy(update={"admin_token": SecretStr(ADMIN)})
    async with monitoring_api(settings) as setup_api, running(intake(settings)) as api:
        rounds = await set_up(setup_api)
        await copy_holds_assignments(settings)
        yield api, rounds


async def key(api: httpx.AsyncClient, unit: str, role: str = "reporter") -> dict[str, str]:
    issued = await api.post(
        "/credentials",
        json={"unit_code": unit, "role": role, "label": f"ผู้รายงาน {unit}"},
        headers={"X-Admin-Token": ADMIN},
    )
    assert issued.status_code == 201, issued.text
    return {"Authorization": f"Bearer {issued.json()['key']}"}


def report(round_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "round_id": round_id,
        "form_id": "progress",
        "form_version": 1,
        "values": values(),
        **extra,
    }


def codes(response: httpx.Response) -> dict[str, str]:
    return {r["field"]: r["code"] for r in response.json()["reasons"]}


async def test_submit_repeat_conflict_and_correct(settings: Settings) -> None:
    async with office(settings) as (api, rounds):
        school = await key(api, SCHOOLS[0])
        first = await api.post(
            "/submissions", json=report(rounds["open"], submission_key="k1"), headers=school
        )
        assert first.status_code == 201 and first.json()["outcome"] == "accepted"
        again = await api.post(
            "/submissions", json=report(rounds["open"], submission_key="k1"), headers=school
        )
        assert (
            again.status_code == 200 and again.json()["accepted_at"] == first.json()["accepted_at"]
        )
        other = report(rounds["open"], submission_key="k1", values=values(status="done"))
        assert (await api.post("/submissions", json=other, headers=school)).status_code == 409
        fixed = report(rounds["open"], submission_key="k2", values=values(status="done"))
        correction = await api.post("/submissions", json=fixed, headers=school)
        assert correction.status_code == 201 and correction.json()["version"] == 2
        history = (
            await api.get(f"/submissions/{first.json()['submission_id']}", headers=school)
        ).json()
        assert [v["values"]["projects"]["P01"]["activity_status"] for v in history["versions"]] == [
            "in_progress",
            "done",
        ]
        assert history["versions"][0]["values"]["projects"]["P01"]["budget_spent"] == 125050
        late = await api.post("/submissions", json=report(rounds["late"]), headers=school)
        assert late.status_code == 201 and late.json()["late"] is True


async def test_every_bad_input_is_answered_clearly(settings: Settings) -> None:
    async with office(settings) as (api, rounds):
        school, other = await key(api, SCHOOLS[0]), await key(api, SCHOOLS[1])
        stranger = await key(api, "8499999999")
        good = report(rounds["open"])
        post = api.post

        async def sent(
            body: Any, headers: dict[str, str] = school, raw: bytes | None = None
        ) -> httpx.Response:
            content = raw if raw is not None else json.dumps(body).encode()
            return await post(
                "/submissions",
                content=content,
                headers={**headers, "Content-Type": "application/json"},
            )

        assert (await sent(None, raw=b"{not json")).status_code == 422
        assert (await sent(None, raw=b'{"round_id": "\xff"}')).status_code == 422
        assert (await sent(None, raw=b"[" * 100_000 + b"]" * 100_000)).status_code in (413, 422)
        assert (await sent(None, raw=b'{"a":' * 5000 + b"1" + b"}" * 5000)).status_code == 422
        assert codes(await sent({**good, "form_version": "two"})) == {"form_version": "int_parsing"}
        digits = json.dumps(good).replace('"form_version": 1', '"form_version": ' + "7" * 5000)
        refused = await sent(None, raw=digits.encode())
        assert refused.status_code == 422
        assert refused.json()["detail"][0]["type"] == "integer_too_long"
        plain = await post(
            "/submissions",
            content=json.dumps(good),
            headers={**school, "Content-Type": "text/plain"},
        )
        assert plain.status_code == 415
        assert codes(await sent({**good, "colour": "red"})) == {"colour": "extra_forbidden"}
        missing = codes(await sent({**good, "values": {"projects": {"P01": {}}}}))
        assert missing == {"values.projects.P01.activity_status": "required"}
        too_much = values(spent="600000")
        assert codes(await sent({**good, "values": too_much})) == {
            "values.projects.P01.budget_spent": "rule_failed"
        }
        negative = values(spent="-1")
        assert codes(await sent({**good, "values": negative})) == {
            "values.projects.P01.budget_spent": "below_minimum"
        }
        dollar = {**values(), "$where": 1}
        assert "values.$where" in codes(await sent({**good, "values": dollar}))
        huge = {**good, "values": {"problems": "ก" * 2_000_000}}
        assert (await sent(huge)).status_code == 413
        assert codes(await sent(good, stranger)) == {"unit_code": "not_assigned"}
        assert codes(await sent(report(rounds["closed"]))) == {"round_id": "round_closed"}
        assert codes(await sent(report(rounds["future"]))) == {"round_id": "round_not_open"}
        assert codes(await sent({**good, "form_version": 9})) == {
            "form_version": "unknown_form_version"
        }
        assert (await sent({**good, "unit_code": SCHOOLS[1]})).status_code == 403
        assert (await sent(good, {})).status_code == 401
        assert (await sent(good, {"Authorization": "Bearer nope"})).status_code == 401
        reviewer = await key(api, GROUP, role="reviewer")
        assert (await sent(good, reviewer)).status_code == 403
        assert (await sent(good, other)).status_code == 201, "after all that, a good one passes"


async def test_concurrent_duplicates_are_stored_once(settings: Settings) -> None:
    async with office(settings) as (api, rounds):
        school = await key(api, SCHOOLS[2])
        body = report(rounds["open"], submission_key="same")
        answers = await asyncio.gather(
            *(api.post("/submissions", json=body, headers=school) for _ in range(20))
        )
        assert sorted(a.status_code for a in answers) == [200] * 19 + [201]
        history = (
            await api.get(f"/submissions/{answers[0].json()['submission_id']}", headers=school)
        ).json()
        assert history["latest_version"] == 1


async def test_the_review_cycle(settings: Settings) -> None:
    async with office(settings) as (api, rounds):
        school, reviewer = await key(api, SCHOOLS[3]), await key(api, GROUP, role="reviewer")
        sid = (await api.post("/submissions", json=report(rounds["open"]), headers=school)).json()[
            "submission_id"
        ]
        review = f"/submissions/{sid}/review"
        assert (
            await api.post(review, json={"action": "returned"}, headers=reviewer)
        ).status_code == 409
        returned = await api.post(
            review, json={"action": "returned", "comment": "แนบหลักฐานด้วย"}, headers=reviewer
        )
        assert returned.json()["status"] == "returned"
        assert (
            await api.post(review, json={"action": "approved"}, headers=school)
        ).status_code == 403
        fixed = report(rounds["open"], values=values(status="done"))
        assert (await api.post("/submissions", json=fixed, headers=school)).json()["version"] == 2
        assert (await api.post(review, json={"action": "approved"}, headers=reviewer)).json()[
            "status"
        ] == "approved"
        after = report(rounds["open"], values=values(status="cancelled"))
        refused = await api.post("/submissions", json=after, headers=school)
        assert codes(refused) == {"submission_key": "approved"}
        assert (
            await api.post(review, json={"action": "reopened"}, headers=reviewer)
        ).status_code == 200
        assert (await api.post("/submissions", json=after, headers=school)).json()["version"] == 3
        history = (await api.get(f"/submissions/{sid}", headers=reviewer)).json()
        assert [r["action"] for r in history["reviews"]] == ["returned", "approved", "reopened"]
        assert [r["reviewer"] for r in history["reviews"]] == [f"ผู้รายงาน {GROUP}"] * 3


async def test_evidence_upload_and_download(settings: Settings) -> None:
    pdf = b"%PDF-1.4\n" + b"0" * 300_000 + b"\n%%EOF\n"
    async with office(settings) as (api, rounds):
        school, other = await key(api, SCHOOLS[4]), await key(api, SCHOOLS[5])
        files = {"file": ("รายงานผลโครงการ.pdf", pdf, "application/pdf")}
        uploaded = await api.post("/evidence", files=files, headers=school)
        assert uploaded.status_code == 201, uploaded.text
        evidence_id = uploaded.json()["evidence_id"]
        downloaded = await api.get(f"/evidence/{evidence_id}", headers=school)
        assert downloaded.content == pdf and downloaded.headers["content-type"] == "application/pdf"
        assert "filename*=UTF-8''" in downloaded.headers["content-disposition"]
        assert (await api.get(f"/evidence/{evidence_id}", headers=other)).status_code == 404
        fake = {"file": ("virus.pdf", b"MZ\x90\x00" * 100, "application/pdf")}
        assert (await api.post("/evidence", files=fake, headers=school)).status_code == 422
        linked = values(
            evidence=[{"evidence_id": evidence_id}, {"url": "https://example.org/ผลงาน"}]
        )
        body = report(rounds["open"], values=linked)
        assert (await api.post("/submissions", json=body, headers=school)).status_code == 201
        borrowed = report(rounds["open"], values=values(evidence=[{"evidence_id": evidence_id}]))
        refused = await api.post("/submissions", json=borrowed, headers=other)
        assert codes(refused) == {"values.evidence[0]": "unknown_evidence"}


async def test_amqp_answers_and_dead_letters_poison(settings: Settings) -> None:
    topology = Topology(settings.namespace)
    queue = f"{settings.namespace}.intake.submission-submitted-v1"
    async with office(settings) as (_, rounds), amqp_channel(settings.amqp_url) as channel:
        accepted = await listen(channel, topology.events_exchange, "submission.accepted.v1")
        rejected = await listen(channel, topology.events_exchange, "submission.rejected.v1")
        good = submitted(SCHOOLS[6], rounds["open"], key="amqp-1")
        bad = submitted(SCHOOLS[6], rounds["open"], key="amqp-2", values={"projects": {"P01": {}}})
        no_envelope = {"type": "submission.submitted.v1", "data": good["data"]}
        for body in (b"\x00not json", no_envelope, good, bad, good):
            await publish(channel, topology.events_exchange, "submission.submitted.v1", body)
        got = await eventually(lambda: take_all(channel, accepted), lambda m: len(m) > 0)
        await asyncio.sleep(0.5)
        got += await take_all(channel, accepted)
        answers = await eventually(lambda: take_all(channel, rejected), lambda m: len(m) == 2)
        dead = await eventually(
            lambda: take_all(channel, topology.dead_letter_queue(queue)), lambda m: len(m) == 1
        )
    answers_to_good = [json.loads(m.body) for m in got]
    assert [a["data"]["submission_key"] for a in answers_to_good] == ["amqp-1", "amqp-1"]
    assert answers_to_good[0]["event_id"] == answers_to_good[1]["event_id"], "a repeat, same answer"
    reasons = [r for m in answers for r in json.loads(m.body)["data"]["reasons"]]
    assert sorted((r["field"], r["code"]) for r in reasons) == [
        ("(body)", "json_invalid"),
        ("values.projects.P01.activity_status", "required"),
    ]
    # Without an envelope there is no one to answer: dead-lettered at once, not retried.
    assert str(dead[0].headers["x-tidtam-reason"]).startswith("malformed:")
    assert dead[0].headers["x-tidtam-attempt"] == 1


async def test_a_crash_between_storing_and_publishing_ends_in_one_effect(
    settings: Settings,
) -> None:
    """Stored, then the process dies before publishing: the relay publishes it, once."""
    from datetime import timedelta

    from services.intake.adapters.mongo import MongoSubmissionStore
    from services.intake.entrypoints.amqp import PUBLISHES
    from services.intake.handlers.ports import IntakePorts
    from services.intake.handlers.submissions import receive_submission
    from shared.platform.messaging import EventPublisher, make_broker
    from shared.platform.mongo import make_client
    from shared.platform.outbox import relay
    from shared.platform.replica import SetupReplica

    async with office(settings) as (_, rounds):
        client = make_client(settings.mongodb_url)
        db = client[settings.database_of("intake")]
        broker = make_broker(settings, Topology(settings.namespace), "test")
        await broker.connect()
        publisher = EventPublisher(broker, Topology(settings.namespace), "intake")
        publisher.declare(PUBLISHES)

        async def crash(envelope: Any) -> None:
            raise SystemError(f"killed before publishing {envelope.model_dump_json()}")

        crashing = IntakePorts(
            store=MongoSubmissionStore(db), setup=SetupReplica(db), publish=crash
        )
        event = submitted(SCHOOLS[7], rounds["open"], key="crash-1")
        with pytest.raises(SystemError, match="accepted"):
            await receive_submission(
                event["data"],
                channel="amqp",
                correlation_id="c",
                cause=event["event_id"],
                ports=crashing,
            )
        healthy = IntakePorts(
            store=MongoSubmissionStore(db), setup=SetupReplica(db), publish=publisher.publish
        )
        outbox = healthy.store.outboxes
        assert await relay(publisher.publish, outbox, older_than=timedelta(0)) == 1
        assert await relay(publisher.publish, outbox, older_than=timedelta(0)) == 0, "sent once"
        # The broker redelivers the unacked original too: a repeat, answered with the same id.
        await receive_submission(
            event["data"],
            channel="amqp",
            correlation_id="c",
            cause=event["event_id"],
            ports=healthy,
        )
        progress = client[settings.database_of("monitoring")]["round_progress"]
        row = await eventually(
            lambda: progress.find_one({"unit_code": SCHOOLS[7]}), lambda r: r is not None
        )
        await asyncio.sleep(0.5)
        row = await progress.find_one({"unit_code": SCHOOLS[7]})
        await broker.stop()
        await client.close()
    assert row is not None and row["received"] == 1


async def test_a_head_changed_by_another_process_is_found_by_the_writes(
    settings: Settings,
) -> None:
    """Each process remembers the heads it wrote and takes a head it has not seen for new;
    a correction or an approval by another process (or a restart) is found by the guarded
    writes: the right version number, and no correction of an approved submission."""
    from services.intake.adapters.mongo import MongoSubmissionStore
    from services.intake.bootstrap import WHOLE
    from services.intake.domain.submission import submission_id
    from services.intake.handlers.ports import IntakePorts
    from services.intake.handlers.review import review_submission
    from services.intake.handlers.submissions import receive_submission
    from shared.platform.mongo import make_client
    from shared.platform.replica import SetupReplica

    async with office(settings) as (_, rounds):
        client = make_client(settings.mongodb_url)
        db = client[settings.database_of("intake")]
        published: list[Any] = []

        async def keep(envelope: Any) -> None:
            published.append(envelope)

        def process() -> IntakePorts:
            return IntakePorts(
                store=MongoSubmissionStore(db), setup=SetupReplica(db, whole=WHOLE), publish=keep
            )

        async def send(ports: IntakePorts, key: str) -> Any:
            event = submitted(SCHOOLS[9], rounds["open"], key=key)
            answer = await receive_submission(
                event["data"], channel="amqp", correlation_id=key, cause=key, ports=ports
            )
            return answer.envelope.data

        one, other = process(), process()
        assert (await send(one, "one-1")).version == 1
        assert (await send(other, "other-1")).version == 2  # `one` still remembers 1
        assert (await send(one, "one-2")).version == 3
        sid = submission_id(SCHOOLS[9], rounds["open"], "progress")
        await review_submission(sid, "approved", "ผู้ตรวจ", None, other, "review-1")
        refused = await send(one, "one-3")  # `one` remembers it submitted
        assert [r.code for r in refused.reasons] == ["approved"]
        restarted = process()  # remembers nothing: takes it for new
        refused = await send(restarted, "restarted-1")
        assert [r.code for r in refused.reasons] == ["approved"]
        head = await db["submissions"].find_one({"_id": sid})
        stored = await db["submission_versions"].count_documents({"submission_id": sid})
        await client.close()
    assert head is not None and head["status"] == "approved" and head["version_count"] == 3
    assert stored == 3


async def test_bulk_sheet_dry_run_then_store(settings: Settings) -> None:
    import csv
    import io

    def sheet(spent_third: str) -> dict[str, Any]:
        text = io.StringIO()
        rows = [
            ["unit_code", "problems", "P01:activity_status", "P01:budget_spent"],
            [SCHOOLS[0], "ขาดครูวิทยาศาสตร์", "ดำเนินการแล้ว", "๑,๐๐๐"],
            [SCHOOLS[1], "", "in_progress", "2500.50"],
            [SCHOOLS[2], "", "done", spent_third],
        ]
        csv.writer(text).writerows(rows)
        return {"file": ("รายงาน.csv", text.getvalue().encode("utf-8-sig"))}

    async with office(settings) as (api, rounds):
        reviewer, school = await key(api, GROUP, role="reviewer"), await key(api, SCHOOLS[0])
        url = f"/rounds/{rounds['open']}/forms/progress/versions/1/bulk"
        assert (await api.post(url, files=sheet("1"), headers=school)).status_code == 403
        checked = (await api.post(url, files=sheet("999999"), headers=reviewer)).json()
        assert checked["outcome"] == "refused"
        assert [(p["row"], p["column"], p["code"]) for p in checked["problems"]] == [
            (4, "P01:budget_spent", "rule_failed")
        ]
        dry = (await api.post(url, files=sheet("100"), headers=reviewer)).json()
        assert dry["outcome"] == "checked" and dry["stored"] == 0
        stored = await api.post(
            url, files=sheet("100"), headers=reviewer, params={"dry_run": "false"}
        )
        assert stored.json()["stored"] == 3
        again = await api.post(
            url, files=sheet("100"), headers=reviewer, params={"dry_run": "false"}
        )
        assert again.json()["repeats"] == 3, "the same sheet twice is stored once"


async def test_poison_over_amqp_is_answered_at_once_with_the_reason(settings: Settings) -> None:
    """Each kind of poison gets submission.rejected.v1 under its own correlation id, with
    the boundary's code, on the first delivery: none is retried or dead-lettered."""
    topology = Topology(settings.namespace)
    queue = f"{settings.namespace}.intake.submission-submitted-v1"

    def poison(rounds: dict[str, str], code: str, **data: Any) -> dict[str, Any]:
        event = submitted(SCHOOLS[8], rounds["open"], key=code)
        event["correlation_id"] = f"poison-{code}"  # the envelope's and the message's
        event["data"].update(data)
        return event

    async with office(settings) as (_, rounds), amqp_channel(settings.amqp_url) as channel:
        rejected = await listen(channel, topology.events_exchange, "submission.rejected.v1")
        deep = json.dumps(poison(rounds, "too_deep", values={"projects": "@"})).encode()
        kinds: dict[str, tuple[bytes, str]] = {
            "date_out_of_range": (
                json.dumps(
                    poison(rounds, "date_out_of_range", submitted_at="9999-12-31T23:00:00-14:00")
                ).encode(),
                "application/json",
            ),
            "integer_too_long": (
                json.dumps(poison(rounds, "integer_too_long", form_version=0))
                .replace('"form_version": 0', '"form_version": ' + "7" * 5000)
                .encode(),
                "application/json",
            ),
            "too_deep": (
                deep.replace(b'"@"', b"[" * 100_000 + b"]" * 100_000),
                "application/json",
            ),
            "too_large": (
                json.dumps(
                    poison(rounds, "too_large", values={"problems": "ก" * 700_000})
                ).encode(),
                "application/json",
            ),
            "extra_forbidden": (
                json.dumps(poison(rounds, "extra_forbidden", colour="red")).encode(),
                "",
            ),
            "unsupported_media_type": (
                json.dumps(poison(rounds, "unsupported_media_type")).encode(),
                "text/plain",
            ),
        }
        exchange = await channel.get_exchange(topology.events_exchange)
        for code, (body, content_type) in kinds.items():
            await exchange.publish(
                aio_pika.Message(
                    body,
                    content_type=content_type or "application/json",
                    correlation_id=f"poison-{code}",
                    delivery_mode=aio_pika.DeliveryMode.PERSISTENT,
                ),
                routing_key="submission.submitted.v1",
                mandatory=True,
            )
        answers = await eventually(
            lambda: take_all(channel, rejected), lambda m: len(m) >= len(kinds), 30
        )
        await asyncio.sleep(0.5)
        dead = await take_all(channel, topology.dead_letter_queue(queue))
        retried = await queue_depth(channel, topology.retry_queue(queue))
    by_correlation = {m.correlation_id: json.loads(m.body)["data"] for m in answers}
    for code in kinds:
        reasons = by_correlation[f"poison-{code}"]["reasons"]
        assert [r["code"] for r in reasons] == [code], (code, reasons)
    assert by_correlation["poison-date_out_of_range"]["reasons"][0]["field"] == (
        "data.submitted_at"
    )
    assert by_correlation["poison-extra_forbidden"]["reasons"][0]["field"] == "colour"
    assert dead == [] and retried == 0, "input errors are answered, never retried"


async def test_the_dashboard_shows_one_unit_of_every_type(settings: Settings) -> None:
    """A school and a group that reported, and the office above them, each by its code;
    no Mongo `_id` or internal field in any answer."""
    settings = settings.model_copy(update={"admin_token": SecretStr(ADMIN)})
    async with monitoring_api(settings) as board, running(intake(settings)) as api:
        rounds = await set_up(board)  # the group is assigned as P01's responsible unit
        await copy_holds_assignments(settings)
        school, group = await key(api, SCHOOLS[9]), await key(api, GROUP)
        for reporter in (school, group):
            sent = await api.post("/submissions", json=report(rounds["open"]), headers=reporter)
            assert sent.status_code == 201, sent.text

        async def unit(code: str) -> httpx.Response:
            return await board.get(f"/dashboard/rounds/{rounds['open']}/units/{code}")

        def reported(answer: httpx.Response) -> bool:
            reports = answer.json().get("reports", []) if answer.status_code == 200 else []
            return any(r["received"] for r in reports)

        def said(answer: httpx.Response) -> bool:  # its problems are written after its rates
            return reported(answer) and bool(answer.json().get("problems"))

        shown = {
            code: (await eventually(lambda c=code: unit(c), check)).json()
            for code, check in ((SCHOOLS[9], said), (GROUP, reported))
        }
        shown[OFFICE] = (await unit(OFFICE)).json()
        missing = await unit("8499999999")
    for code in (SCHOOLS[9], GROUP):
        [own] = shown[code]["reports"]
        assert own["unit_code"] == code and own["received"] and own["status"] == "submitted"
    office_rates = shown[OFFICE]["rates"]
    assert [r["scope_type"] for r in office_rates] == ["office"]
    assert office_rates[0]["rates"]["received"] >= 1
    assert shown[SCHOOLS[9]]["problems"][0]["problems"] == "ครูไม่เพียงพอ"
    for answer in shown.values():
        text = json.dumps(answer)
        assert '"_id"' not in text and '"sequence"' not in text and '"kind"' not in text
    assert missing.status_code == 404
    assert missing.json()["detail"][0]["loc"] == ["path", "unit_code"]
