"""Intake's reads for the console's reporter pages, through the assembled app: a unit's
submissions by round (its own only), and the bulk template refused to a unit's key."""

import httpx

from tests.support import submitted
from tests.unit.test_intake_wiring import wired


async def test_a_unit_reads_its_own_submissions_by_round_and_no_one_elses() -> None:
    app, _, _, _ = wired()
    data = submitted("8401000001", "2570-R1", key="k-3")["data"]
    body = {k: v for k, v in data.items() if k not in ("submitted_at", "unit_code")}
    reporter = {"Authorization": "Bearer reporter-key"}
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://intake") as api:
        assert (await api.post("/submissions", headers=reporter, json=body)).status_code == 201
        assert (await api.post("/submissions", headers=reporter, json=body)).status_code == 200
        mine = await api.get(
            "/submissions",
            headers=reporter,
            params={"form_id": data["form_id"], "round_id": ["2570-R1", "2570-R9"]},
        )
        other = await api.get(
            "/submissions",
            headers=reporter,
            params={"form_id": data["form_id"], "round_id": "2570-R1", "unit_code": "8401000002"},
        )
        template = await api.get(
            f"/rounds/2570-R1/forms/{data['form_id']}/versions/1/bulk/template", headers=reporter
        )
    assert mine.status_code == 200
    [found] = mine.json()
    assert found["unit_code"] == "8401000001" and found["round_id"] == "2570-R1"
    assert [v["submission_key"] for v in found["versions"]] == ["k-3"], "a repeat is one version"
    assert other.status_code == 403
    assert template.status_code == 403
