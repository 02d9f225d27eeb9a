"""Bad input at every service's HTTP door is a 4xx naming the limit, never a 500."""

import httpx
import pytest

from services.evaluation.bootstrap import bootstrap as evaluation
from shared.platform.settings import Settings
from tests.support import key_for, monitoring_api, running

pytestmark = pytest.mark.integration

HUGE = str(10**30)
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
