"""Bad input at every service's HTTP door is a 4xx naming the limit, never a 500; over
AMQP it is answered or dead-lettered on its first delivery, never retried."""

import asyncio
import json

import aio_pika
import httpx
import pytest

from services.evaluation.bootstrap import bootstrap as evaluation
from shared.platform.settings import Settings
from shared.platform.topology import Topology
from tests.integration.test_intake import key, office, report
from tests.integration.test_monitoring import ACCEPTED, accepted
from tests.office import SCHOOLS, values
from tests.support import (
    amqp_channel,
    eventually,
    key_for,
    listen,
    monitoring_api,
    publish,
    queue_depth,
    running,
    submitted,
    take_all,
)

pytestmark = pytest.mark.integration

HUGE = str(10**30)
# Text that pydantic would turn into an int wider than int64 (MongoDB's widest): the
# boundary sees a string, so the models and the domain bound it.
HUGE_TEXT = "99999999999999999999"
JSON = {"Content-Type": "application/json"}


def deep(levels: int) -> bytes:
    return b"[" * levels + b"]" * levels


def digits(field: str, n: int = 5000) -> bytes:
    return b'{"' + field.encode() + b'": ' + b"7" * n + b"}"


def codes(answer: httpx.Response) -> list[str]:
    detail = answer.json()["detail"]
    assert isinstance(detail, list), detail
    return [d["type"] for d in detail]


async def test_monitoring_refuses_each_bad_input_with_a_4xx(settings: Settings) -> None:
    async with monitoring_api(settings) as api:
        for url in (
            f"/setup/resend?after_revision={HUGE}",
            f"/dashboard/fiscal-years/{HUGE}/rounds",
            f"/fiscal-years/{HUGE}/work-calendar",
            f"/units?skip={HUGE}",
        ):
            answer = await api.request("POST" if "resend" in url else "GET", url)
            assert answer.status_code == 422, (url, answer.text)
        for body, code in (
            (digits("code"), "integer_too_long"),
            (deep(50_000), "too_deep"),
            (deep(100_000), "too_deep"),
            (b'{"active_from": "9999-12-31T23:00:00-14:00"}', "date_out_of_range"),
        ):
            answer = await api.post("/units", content=body, headers=JSON)
            assert answer.status_code == 422 and codes(answer) == [code], answer.text
        plain = await api.post("/units", content=b"{}", headers={"Content-Type": "text/plain"})
        assert plain.status_code == 415 and codes(plain) == ["unsupported_media_type"]
        big = await api.post("/units", content=b'"' + b"x" * 1_100_000 + b'"', headers=JSON)
        assert big.status_code == 413 and codes(big) == ["too_large"]
        mismatch = await api.put("/units/SESA-T9", json={"code": "SESA-T8"})
        assert mismatch.status_code == 422 and isinstance(mismatch.json()["detail"], list)
        # Unknown query parameters are refused as unknown body fields are; filters are
        # validated as the entity's fields.
        for url, loc, code in (
            ("/units?colour=red", ["query", "colour"], "extra_forbidden"),
            (f"/rounds?fiscal_year={HUGE_TEXT}", ["query", "fiscal_year"], "less_than_equal"),
            ("/rounds?round_type=weekly", ["query", "round_type"], "literal_error"),
            ("/assignments?round_id=false", ["query", "round_id"], "string_pattern_mismatch"),
        ):
            answer = await api.get(url)
            assert answer.status_code == 422, (url, answer.text)
            assert [(d["loc"], d["type"]) for d in answer.json()["detail"]] == [(loc, code)]
        assert (await api.get("/rounds?fiscal_year=2570&round_type=quarter")).status_code == 200


async def test_evaluation_refuses_each_bad_input_with_a_4xx(settings: Settings) -> None:
    async with running(evaluation(settings)) as api:
        api.headers.update(await key_for(settings, "evaluation", "officer"))
        for url in (f"/evaluations?fiscal_year={HUGE}", f"/inspections?fiscal_year={HUGE}"):
            answer = await api.get(url)
            assert answer.status_code == 422, (url, answer.text)
        for levels in (50_000, 100_000):
            answer = await api.post("/frameworks", content=deep(levels), headers=JSON)
            assert answer.status_code == 422 and codes(answer) == ["too_deep"], answer.text
        answer = await api.post("/frameworks", content=digits("version"), headers=JSON)
        assert codes(answer) == ["integer_too_long"]


async def test_intake_answers_integers_in_text_beyond_int64_at_once(settings: Settings) -> None:
    """An int64-overflowing number given as text is a reason at its field: over AMQP a
    submission.rejected.v1 on the first delivery (nothing retried or dead-lettered), over
    HTTP a 422, never a 500 or an OverflowError when MongoDB meets it."""
    topology = Topology(settings.namespace)
    queue = f"{settings.namespace}.intake.submission-submitted-v1"
    async with office(settings) as (api, rounds), amqp_channel(settings.amqp_url) as channel:
        rejected = await listen(channel, topology.events_exchange, "submission.rejected.v1")
        version = submitted(SCHOOLS[9], rounds["open"], key="huge-version")
        version["data"]["form_version"] = HUGE_TEXT
        money = submitted(SCHOOLS[9], rounds["open"], key="huge-money")
        money["data"]["values"] = values(spent=HUGE_TEXT)
        for event in (version, money):
            await publish(channel, topology.events_exchange, "submission.submitted.v1", event)
        answers: list[aio_pika.abc.AbstractIncomingMessage] = []

        async def more() -> list[aio_pika.abc.AbstractIncomingMessage]:
            answers.extend(await take_all(channel, rejected))
            return answers

        await eventually(more, lambda got: len(got) >= 2)
        await asyncio.sleep(0.5)
        dead = await take_all(channel, topology.dead_letter_queue(queue))
        retried = await queue_depth(channel, topology.retry_queue(queue))
        school = await key(api, SCHOOLS[9])
        over_http = [
            await api.post("/submissions", json=body, headers=school)
            for body in (
                report(rounds["open"], form_version=HUGE_TEXT),
                report(rounds["open"], values=values(spent=HUGE_TEXT)),
            )
        ]
    reasons = {
        json.loads(m.body)["data"]["submission_key"]: [
            (r["field"], r["code"]) for r in json.loads(m.body)["data"]["reasons"]
        ]
        for m in answers
    }
    assert reasons == {
        "huge-version": [("form_version", "less_than_equal")],
        "huge-money": [("values.projects.P01.budget_spent", "number_out_of_range")],
    }
    assert dead == [] and retried == 0, "input errors are answered, never retried"
    assert [a.status_code for a in over_http] == [422, 422], [a.text for a in over_http]
    assert [r["code"] for a in over_http for r in a.json()["reasons"]] == [
        "less_than_equal",
        "number_out_of_range",
    ]


async def test_monitoring_refuses_integers_in_text_beyond_int64(settings: Settings) -> None:
    """An event carrying one is dead-lettered on its first delivery with the field in the
    reason; a set-up write carrying one is a 422."""
    topology = Topology(settings.namespace)
    queue = f"{settings.namespace}.monitoring.submission-accepted-v1"
    forged = accepted("1084200106", "forged-text")
    forged["data"]["version"] = str(2**70)
    async with monitoring_api(settings) as api, amqp_channel(settings.amqp_url) as channel:
        await publish(channel, topology.events_exchange, ACCEPTED, forged)
        dead = await eventually(
            lambda: take_all(channel, topology.dead_letter_queue(queue)), lambda got: len(got) == 1
        )
        project = {
            "code": "P-HUGE",
            "plan_id": "PLAN",
            "name_th": "โครงการทดสอบ",
            "responsible_unit": "OFFICE",
            "budget_satang": HUGE_TEXT,
            "starts_on": "2026-10-01",
            "ends_on": "2027-09-30",
        }
        answer = await api.post("/projects", json=project)
    reason = str(dead[0].headers["x-tidtam-reason"])
    assert reason.startswith("malformed: ValidationError") and "version" in reason, reason
    assert dead[0].headers["x-tidtam-attempt"] == 1, "never retried"
    assert answer.status_code == 422, answer.text
    # Over HTTP a body is read strictly as JSON: text is not an integer, whatever its size.
    assert [d["type"] for d in answer.json()["detail"] if d["loc"][-1] == "budget_satang"] == [
        "int_type"
    ]


async def test_intake_states_a_problem_the_same_way_over_http_and_amqp(
    settings: Settings,
) -> None:
    """One refusal shape: a reason of submission.rejected.v1 and an item of an HTTP
    refusal's `detail` carry the same field, code and message, whether the input boundary
    or intake's validation refused (and a rejection over HTTP lists both)."""
    topology = Topology(settings.namespace)
    async with office(settings) as (api, rounds), amqp_channel(settings.amqp_url) as channel:
        rejected = await listen(channel, topology.events_exchange, "submission.rejected.v1")
        digits = submitted(SCHOOLS[9], rounds["open"], key="same-digits")
        colour = submitted(SCHOOLS[9], rounds["open"], key="same-colour")
        colour["data"]["colour"] = "red"
        long_number = json.dumps(digits).replace('"form_version": 1', '"form_version": ' + "7" * 50)
        await publish(
            channel, topology.events_exchange, "submission.submitted.v1", long_number.encode()
        )
        await publish(channel, topology.events_exchange, "submission.submitted.v1", colour)
        answers: list[aio_pika.abc.AbstractIncomingMessage] = []

        async def more() -> list[aio_pika.abc.AbstractIncomingMessage]:
            answers.extend(await take_all(channel, rejected))
            return answers

        await eventually(more, lambda got: len(got) >= 2)
        school = await key(api, SCHOOLS[9])
        body = json.dumps(report(rounds["open"])).replace(
            '"form_version": 1', '"form_version": ' + "7" * 50
        )
        too_long = await api.post("/submissions", content=body, headers={**school, **JSON})
        extra = await api.post(
            "/submissions", json=report(rounds["open"], colour="red"), headers=school
        )

    def said(items: list[dict[str, str]]) -> list[tuple[str, str, str]]:
        return [(i["field"], i["code"], i["message"]) for i in items]

    # The refused body was never read: its answer has no key, the other its own.
    over_amqp = {
        json.loads(m.body)["data"]["submission_key"] or "same-digits": json.loads(m.body)["data"][
            "reasons"
        ]
        for m in answers
    }
    assert too_long.status_code == 422 and extra.status_code == 422
    assert said(too_long.json()["detail"]) == said(over_amqp["same-digits"])
    assert said(over_amqp["same-digits"])[0][:2] == ("(body)", "integer_too_long")
    assert said(extra.json()["detail"]) == said(extra.json()["reasons"])
    assert said(extra.json()["reasons"]) == said(over_amqp["same-colour"])
    assert said(over_amqp["same-colour"])[0][:2] == ("colour", "extra_forbidden")
