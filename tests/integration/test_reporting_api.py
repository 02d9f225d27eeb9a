"""Reports requested over HTTP and AMQP, rendered by the worker, downloaded: every report in
every format, for the sample office, on the real local servers.

Reporting's copies are seeded as its consumers would keep them (set-up replica and latest
copies) from `samples.reports`, and the expected figures are computed here from those
generated states, not through the report builders.
"""

import asyncio
import csv
import hashlib
import io
import json
import subprocess
import threading
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any
from urllib.parse import quote

import docx
import httpx
import openpyxl
import pytest
from pymongo.errors import AutoReconnect

from samples.office import generate_office
from samples.reports import report_data
from services.reporting.adapters.artifacts import MongoArtifactStore
from services.reporting.bootstrap import RENDERERS, bootstrap
from services.reporting.domain.document import Document
from services.reporting.domain.report_data import ReportData
from services.reporting.domain.reports import QUARTER_EXPORT_COLUMNS
from shared.contracts import make_envelope
from shared.contracts.monitoring import ProjectProgressUpdated
from shared.contracts.reporting import ReportRequested
from shared.contracts.setup import SetupChanged
from shared.platform.mongo import make_client
from shared.platform.replica import LatestCopies, SetupReplica
from shared.platform.settings import Settings
from shared.platform.topology import Topology
from tests.support import (
    amqp_channel,
    eventually,
    key_for,
    listen,
    pdf_text,
    plain,
    publish,
    running,
)

pytestmark = pytest.mark.integration

FY = 2570
ROUND = "2570-Q1"


async def seed(settings: Settings, data: ReportData) -> None:
    """Reporting's copies, as its consumers keep them."""
    client = make_client(settings.mongodb_url)
    db = client[settings.database_of("reporting")]
    replica = SetupReplica(db)
    entities = [
        *data.units.values(),
        *data.rounds,
        *data.strategies,
        *data.plans,
        *data.projects,
        *data.indicators,
    ]
    for revision, entity in enumerate(entities, start=1):
        await replica.apply(SetupChanged(revision=revision, key=entity.key, entity=entity))
    rates, progress = LatestCopies(db, "rates"), LatestCopies(db, "project_progress")
    for r in data.rates:
        key = f"{r.round_id}:{r.form_id}:{r.scope_code}"
        await rates.keep(key, r.model_dump(mode="json"), r.updated_at)
    for p in data.progress:
        await progress.keep(
            f"{p.round_id}:{p.project_code}", p.model_dump(mode="json"), p.updated_at
        )
    for problem in data.problems:
        await LatestCopies(db, "problems").keep(
            problem.problem_id, problem.model_dump(mode="json"), problem.updated_at
        )
    for e in data.evaluations:
        state = {**e.model_dump(mode="json"), "final": True}
        await LatestCopies(db, "evaluations").keep(e.evaluation_id, state, e.finalised_at)
    for i in data.inspections:
        await LatestCopies(db, "inspections").keep(
            i.inspection_id, i.model_dump(mode="json"), i.updated_at
        )
    await client.close()


@dataclass
class Office:
    data: ReportData

    def baht(self, satang: int) -> str:
        return f"{(Decimal(satang) / 100).quantize(Decimal('0.01')):,.2f}"

    @property
    def budget_total(self) -> int:
        return sum(p.budget_satang for p in self.data.projects if p.parent_code is None)

    @property
    def spent_in_latest_rounds(self) -> int:
        """Spent to date by the projects, each as of its latest round by period end."""
        ends = {r.round_id: r.period_end for r in self.data.rounds}
        latest: dict[str, ProjectProgressUpdated] = {}
        for p in self.data.progress:
            held = latest.get(p.project_code)
            if p.units_reporting and (held is None or ends[held.round_id] < ends[p.round_id]):
                latest[p.project_code] = p
        tops = {p.code for p in self.data.projects if p.parent_code is None}
        return sum(p.spent_satang or 0 for code, p in latest.items() if code in tops)

    def office_rate(self, round_id: str) -> Decimal:
        office = next(
            r for r in self.data.rates if r.round_id == round_id and r.scope_type == "office"
        )
        assert office.rates.rate is not None
        return office.rates.rate

    def unit_codes(self, round_id: str) -> list[str]:
        """Units (not groups or the office) with rates in the round."""
        rates = self.data.rates
        return sorted(
            r.scope_code
            for r in rates
            if r.round_id == round_id and r.scope_type not in ("office", "group")
        )


@pytest.fixture
async def office(settings: Settings) -> Office:
    data = report_data(generate_office(schools=40))
    await seed(settings, data)
    return Office(data)


@pytest.fixture
async def api(settings: Settings, office: Office) -> AsyncIterator[httpx.AsyncClient]:
    async with running(bootstrap(settings)) as client:
        client.headers.update(await key_for(settings, "reporting", "officer"))
        yield client


async def rendered(api: httpx.AsyncClient, body: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
    """Request a report, wait until it is rendered, download it; (status, content)."""
    asked = await api.post("/reports", json=body)
    assert asked.status_code in (200, 202), asked.text
    request_id = asked.json()["request_id"]
    done = await eventually(
        lambda: api.get(f"/reports/{request_id}"),
        lambda r: r.json()["status"] in ("rendered", "failed"),
        60,
    )
    shown = done.json()
    assert shown["status"] == "rendered", shown
    download = await api.get(f"/reports/{request_id}/download")
    assert download.status_code == 200
    assert download.headers["content-type"].startswith(shown["content_type"].split(";")[0])
    disposition = download.headers["content-disposition"]
    assert f"filename*=UTF-8''{quote(shown['file_name'])}" in disposition
    assert hashlib.sha256(download.content).hexdigest() == shown["sha256"]
    assert len(download.content) == shown["size"]
    return shown, download.content


def pdf_fonts(content: bytes, tmp_path: Path) -> str:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(content)
    return subprocess.run(
        ["pdffonts", str(path)], check=True, capture_output=True, text=True
    ).stdout


def percent_text(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,.2f}%"


REQUESTS: dict[str, dict[str, Any]] = {
    "annual": {"report_type": "annual", "fiscal_year": FY},
    "round": {"report_type": "round", "round_id": ROUND},
    "rates": {"report_type": "rates", "round_id": ROUND},
    "evaluation": {"report_type": "evaluation", "evaluation_id": f"AP{FY}-EVAL"},
    "inspection": {"report_type": "inspection", "inspection_id": f"MOE-{FY}-1"},
    "quarter_export": {"report_type": "quarter_export", "fiscal_year": FY, "quarter": 1},
}
HEADINGS = {
    "annual": "รายงานผลการดำเนินงานประจำปี",
    "round": "รายงานผลการติดตาม",
    "rates": "อัตราการส่งรายงาน",
    "evaluation": "รายงานผลการประเมิน",
    "inspection": "รายงานผลการตรวจราชการ",
    "quarter_export": "ไตรมาส",
}


@pytest.mark.parametrize("report", sorted(REQUESTS))
async def test_every_report_renders_as_pdf_with_its_figures_and_thai_font(
    api: httpx.AsyncClient, office: Office, report: str, tmp_path: Path
) -> None:
    _, content = await rendered(api, {**REQUESTS[report], "format": "pdf"})
    assert content.startswith(b"%PDF")
    text = pdf_text(content, tmp_path)
    assert plain(HEADINGS[report]) in text
    assert plain(office.data.office_name) in text
    first_numbered = 2 if report == "annual" else 1  # the annual report's cover has no number
    assert plain(f"หน้า {first_numbered} /") in text
    fonts = pdf_fonts(content, tmp_path)
    assert any("Laksaman" in line and " yes " in line for line in fonts.splitlines()), fonts
    if report == "annual":
        assert office.baht(office.budget_total) in text
        assert office.baht(office.spent_in_latest_rounds) in text
        for line in ("สารบัญ", office.data.strategies[1].name_th, "นายสมมุติ ตัวอย่างดี"):
            assert plain(line) in text, line
    if report in ("round", "rates"):
        assert percent_text(office.office_rate(ROUND)) in text
    if report == "round":
        assert plain("ปัญหาอุปสรรคและข้อเสนอแนะ") in text


@pytest.mark.parametrize("report", sorted(REQUESTS))
async def test_every_report_renders_as_xlsx_and_docx(
    api: httpx.AsyncClient, office: Office, report: str
) -> None:
    _, content = await rendered(api, {**REQUESTS[report], "format": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert len(book.sheetnames) >= 2
    for sheet in book.worksheets[1:]:
        assert sheet.freeze_panes == "A2"
    numbers = [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if isinstance(cell, int | float)
    ]
    if report == "annual":
        assert float(Decimal(office.budget_total) / 100) in numbers
    if report == "round":
        sheet = book["ปัญหาอุปสรรคและข้อเสนอแนะ"]
        listed = {(r[0], r[3]) for r in sheet.iter_rows(min_row=2, values_only=True)}
        said = {
            (p.unit_code, p.problems)
            for p in office.data.problems
            if p.round_id == ROUND and p.problems
        }
        assert listed == said
    if report == "rates":
        units = book.worksheets[-1]
        codes = [row[0] for row in units.iter_rows(min_row=2, values_only=True)]
        assert sorted(str(c) for c in codes if c) == office.unit_codes(ROUND)

    _, content = await rendered(api, {**REQUESTS[report], "format": "docx"})
    opened = docx.Document(io.BytesIO(content))
    assert opened.tables, "the DOCX holds the report's tables"
    text = "".join(p.text for p in opened.paragraphs)
    assert plain(HEADINGS[report]) in plain(text)


async def test_exports_come_as_csv_with_a_bom_for_excel(
    api: httpx.AsyncClient, office: Office
) -> None:
    _, content = await rendered(api, {**REQUESTS["quarter_export"], "format": "csv"})
    assert content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert tuple(rows[0]) == QUARTER_EXPORT_COLUMNS
    codes = sorted(p.code for p in office.data.projects if p.parent_code is None)
    assert [row[0] for row in rows[1:]] == codes
    budgets = {p.code: Decimal(p.budget_satang) / 100 for p in office.data.projects}
    for row in rows[1:]:
        assert Decimal(row[3]) == budgets[row[0]], "plain numbers, exactly the allocation"

    _, content = await rendered(api, {**REQUESTS["rates"], "format": "csv"})
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert sorted(row[0] for row in rows[1:]) == office.unit_codes(ROUND)


async def test_the_same_request_id_gives_the_same_artifact(
    api: httpx.AsyncClient,
) -> None:
    body = {**REQUESTS["round"], "format": "xlsx", "request_id": "same-twice"}
    first, content = await rendered(api, body)
    again = await api.post("/reports", json=body)
    assert again.status_code == 200
    assert again.json()["sha256"] == first["sha256"]
    _, repeated = await rendered(api, body)
    assert repeated == content
    other = await api.post("/reports", json={**body, "format": "pdf"})
    assert other.status_code == 409 and "request_id" in other.text


async def test_bad_requests_are_answered_with_the_field(api: httpx.AsyncClient) -> None:
    cases = [
        ({"report_type": "weekly", "format": "pdf"}, 422, "report_type"),
        ({"report_type": "round", "format": "pdf"}, 422, "round_id"),
        ({"report_type": "round", "format": "pdf", "round_id": "2570-Q9"}, 404, "round_id"),
        ({"report_type": "annual", "format": "pdf", "fiscal_year": 2599}, 404, "fiscal_year"),
        ({"report_type": "annual", "format": "csv", "fiscal_year": FY}, 422, "format"),
        (
            {"report_type": "evaluation", "format": "pdf", "evaluation_id": "X"},
            404,
            "evaluation_id",
        ),
    ]
    for body, status, field in cases:
        answer = await api.post("/reports", json=body)
        assert answer.status_code == status, (body, answer.text)
        assert field in json.dumps(answer.json()["detail"]), answer.text
    assert (await api.get("/reports/nothing-here")).status_code == 404


async def test_a_round_without_data_renders_a_no_data_report(
    api: httpx.AsyncClient, tmp_path: Path
) -> None:
    _, content = await rendered(
        api, {"report_type": "round", "round_id": "2570-Q4", "format": "pdf"}
    )
    assert plain("ไม่มีข้อมูล") in pdf_text(content, tmp_path)


async def test_requests_from_other_systems_are_answered_over_amqp(
    settings: Settings, api: httpx.AsyncClient
) -> None:
    topology = Topology(settings.namespace)
    async with amqp_channel(settings.amqp_url) as channel:
        exchange = topology.events_exchange
        rendered_queue = await listen(channel, exchange, "report.rendered.v1")
        failed_queue = await listen(channel, exchange, "report.failed.v1")
        now = datetime.now(UTC)
        for request_id, round_id in (("from-emes-1", ROUND), ("from-emes-2", "2570-Q9")):
            request = ReportRequested(
                request_id=request_id,
                report_type="rates",
                format="csv",
                round_id=round_id,
                requested_by="e-MES",
                requested_at=now,
            )
            envelope = make_envelope(request, producer="e-mes", correlation_id=request_id)
            await publish(
                channel, exchange, ReportRequested.ROUTING_KEY, envelope.model_dump(mode="json")
            )

        async def answers(queue: str) -> list[dict[str, Any]]:
            declared = await channel.declare_queue(queue, passive=True)
            found = []
            while (message := await declared.get(fail=False)) is not None:
                await message.ack()
                found.append(json.loads(message.body))
            return found

        got_rendered: list[dict[str, Any]] = []
        got_failed: list[dict[str, Any]] = []

        async def both() -> bool:
            got_rendered.extend(await answers(rendered_queue))
            got_failed.extend(await answers(failed_queue))
            return bool(got_rendered and got_failed)

        await eventually(both, lambda done: done, 60)
    assert got_rendered[0]["data"]["request_id"] == "from-emes-1"
    assert got_failed[0]["data"]["request_id"] == "from-emes-2"
    assert "round_id" in got_failed[0]["data"]["reason"]
    failed = (await api.get("/reports/from-emes-2")).json()
    assert failed["status"] == "failed"


async def test_a_failing_render_ends_as_failed_with_its_reason(
    settings: Settings, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(document: Document) -> bytes:
        raise RuntimeError(f"the printer caught fire on {document.file_stem}")

    monkeypatch.setitem(RENDERERS, "docx", broken)
    async with running(bootstrap(settings)) as api:
        api.headers.update(await key_for(settings, "reporting", "officer"))
        body = {**REQUESTS["round"], "format": "docx", "request_id": "will-fail"}
        assert (await api.post("/reports", json=body)).status_code == 202
        failed = await eventually(
            lambda: api.get("/reports/will-fail"), lambda r: r.json()["status"] == "failed", 30
        )
        assert "printer caught fire" in failed.json()["reason"]
        assert (await api.get("/reports/will-fail/download")).status_code == 409
        again = await api.post("/reports", json=body)
        assert again.status_code == 200 and again.json()["status"] == "failed", "kept, not lost"


async def test_a_long_render_does_not_hold_up_the_consumers(
    settings: Settings, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    started, release = threading.Event(), threading.Event()

    def slow(document: Document) -> bytes:
        started.set()
        release.wait(30)
        return b"slow but sure"

    monkeypatch.setitem(RENDERERS, "docx", slow)
    async with running(bootstrap(settings)) as api:
        api.headers.update(await key_for(settings, "reporting", "officer"))
        body = {**REQUESTS["round"], "format": "docx", "request_id": "slow-one"}
        assert (await api.post("/reports", json=body)).status_code == 202
        assert await asyncio.to_thread(started.wait, 30), "the render began"
        try:
            # While it renders, the service still answers and consumes: a rates update for
            # a new round reaches reporting's copy.
            sample = office.data.rates[0]
            update = sample.model_copy(update={"round_id": "2570-Q3"})
            envelope = make_envelope(update, producer="monitoring", correlation_id="c")
            async with amqp_channel(settings.amqp_url) as channel:
                exchange = Topology(settings.namespace).events_exchange
                await publish(
                    channel, exchange, update.ROUTING_KEY, envelope.model_dump(mode="json")
                )
            client = make_client(settings.mongodb_url)
            copies = client[settings.database_of("reporting")]["rates"]
            try:
                await eventually(
                    lambda: copies.count_documents({"round_id": "2570-Q3"}), lambda n: n == 1, 20
                )
            finally:
                await client.close()
            assert (await api.get("/reports/slow-one")).json()["status"] == "rendering"
        finally:
            release.set()
        await eventually(
            lambda: api.get("/reports/slow-one"), lambda r: r.json()["status"] == "rendered", 30
        )


async def test_a_database_failure_during_a_render_queues_it_again(
    settings: Settings, office: Office, monkeypatch: pytest.MonkeyPatch
) -> None:
    failures = [AutoReconnect("the database stepped away")]

    def flaky(document: Document) -> bytes:
        if failures:
            raise failures.pop()
        return b"rendered after all"

    monkeypatch.setitem(RENDERERS, "docx", flaky)
    async with running(bootstrap(settings)) as api:
        api.headers.update(await key_for(settings, "reporting", "officer"))
        body = {**REQUESTS["round"], "format": "docx", "request_id": "db-blip"}
        assert (await api.post("/reports", json=body)).status_code == 202
        done = await eventually(
            lambda: api.get("/reports/db-blip"),
            lambda r: r.json()["status"] in ("rendered", "failed"),
            30,
        )
        assert done.json()["status"] == "rendered" and not failures


async def test_a_request_whose_render_keeps_killing_the_worker_ends_as_failed(
    settings: Settings, office: Office
) -> None:
    client = make_client(settings.mongodb_url)
    try:
        store = MongoArtifactStore(client[settings.database_of("reporting")])
        request = ReportRequested(
            request_id="killer",
            report_type="round",
            format="pdf",
            round_id=ROUND,
            requested_by="test",
            requested_at=datetime.now(UTC),
        )
        # Three workers took it and died: its lease ran out each time.
        await store.add(
            {
                "_id": "killer",
                "request": request.model_dump(mode="json"),
                "status": "rendering",
                "queued_at": datetime.now(UTC),
                "attempts": 3,
                "lease_until": datetime.now(UTC) - timedelta(minutes=1),
            }
        )
    finally:
        await client.close()
    async with running(bootstrap(settings)) as api:
        api.headers.update(await key_for(settings, "reporting", "officer"))
        done = await eventually(
            lambda: api.get("/reports/killer"), lambda r: r.json()["status"] == "failed", 30
        )
        assert "gave up after 3 attempts" in done.json()["reason"]


async def test_reports_need_an_officers_key(settings: Settings) -> None:
    async with running(bootstrap(settings)) as api:
        body = {**REQUESTS["round"], "format": "pdf"}
        assert (await api.post("/reports", json=body)).status_code == 401
        assert (await api.get("/reports/anything")).status_code == 401
        someone = await key_for(settings, "reporting", "assessor", assessor_id="A1")
        assert (await api.get("/reports", headers=someone)).status_code == 403
