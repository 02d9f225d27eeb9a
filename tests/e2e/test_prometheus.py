"""A real Prometheus (Debian's package) scrapes every service, as processes, with
`deploy/prometheus.yml` (its targets rewritten to the ports the test started them on), and
its HTTP API shows the counters that moved after a school's report: intake's HTTP request
and monitoring's consumed message."""

import asyncio
import random
import shutil
import subprocess
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from samples.demo import ROUND
from samples.load import load
from samples.office import generate_office
from samples.progress import progress_values
from tests.processes import ROOT, ServiceProcess, five_services, free_port
from tests.servers import Servers, namespaced
from tests.support import eventually

pytestmark = pytest.mark.e2e

CONFIG = ROOT / "deploy/prometheus.yml"
PROMETHEUS = "/usr/bin/prometheus"


def scraping(urls: dict[str, str], every: str = "1s") -> dict[str, Any]:
    """deploy/prometheus.yml with each job's target at the port its service runs on."""
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    config["global"]["scrape_interval"] = config["global"]["evaluation_interval"] = every
    for job in config["scrape_configs"]:
        job["static_configs"] = [{"targets": [urls[job["job_name"]].removeprefix("http://")]}]
    return config


@pytest.fixture(scope="module")
def prometheus_binary() -> str:
    if shutil.which(PROMETHEUS) is None:  # `make tools` installs it; a bare pytest run may not
        subprocess.run([str(ROOT / "deploy/local/servers"), "up", "prometheus"], check=True)
    return PROMETHEUS


@pytest.fixture(scope="module")
async def services(
    live_servers: Servers, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[dict[str, ServiceProcess]]:
    folder = tmp_path_factory.mktemp("prometheus")
    async with namespaced(live_servers) as settings:
        notifier = ServiceProcess("notifier", settings, folder).start()
        processes: dict[str, ServiceProcess] = {"notifier": notifier}
        try:
            notifier.wait_ready(120)
            processes |= five_services(settings, folder)
            yield processes
        finally:
            for process in processes.values():
                process.stop()


@pytest.fixture
def prometheus(
    prometheus_binary: str, services: dict[str, ServiceProcess], tmp_path: Path
) -> Iterator[str]:
    config = tmp_path / "prometheus.yml"
    urls = {name: process.url for name, process in services.items()}
    config.write_text(yaml.safe_dump(scraping(urls)), encoding="utf-8")
    port = free_port()
    log = (tmp_path / "prometheus.log").open("wb")
    process = subprocess.Popen(
        [prometheus_binary, f"--config.file={config}", f"--storage.tsdb.path={tmp_path / 'data'}",
         f"--web.listen-address=127.0.0.1:{port}"],
        stdout=log, stderr=log,
    )  # fmt: skip
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(30)
        log.close()


async def query(api: httpx.AsyncClient, promql: str) -> float:
    """An instant query's single value (0 when the series does not exist yet)."""
    answer = (await api.get("/api/v1/query", params={"query": promql})).json()
    assert answer["status"] == "success", answer
    result = answer["data"]["result"]
    return float(result[0]["value"][1]) if result else 0.0


async def ready(api: httpx.AsyncClient) -> bool:
    try:
        return (await api.get("/-/ready")).status_code == 200
    except httpx.HTTPError:
        return False


async def test_prometheus_scrapes_every_service_and_sees_a_report_counted(
    services: dict[str, ServiceProcess], prometheus: str
) -> None:
    async with httpx.AsyncClient(base_url=prometheus, timeout=10) as api:
        await eventually(lambda: ready(api), bool, 60, 0.5)

        async def targets() -> dict[str, str]:
            found = (await api.get("/api/v1/targets")).json()["data"]["activeTargets"]
            return {t["labels"]["job"]: t["health"] for t in found}

        everyone = {name: "up" for name in services}
        assert await eventually(targets, lambda seen: seen == everyone, 60, 1) == everyone

        monitoring = services["monitoring"]
        office = generate_office(schools=4)
        await load(office, monitoring.url, demo_round=True, headers=monitoring.officer)
        consumed = 'sum(tidtam_messages_total{job="monitoring",queue=~".*submission-accepted-v1",outcome="acked"})'  # noqa: E501
        posted = 'sum(tidtam_http_requests_total{job="intake",route="/submissions",method="POST",status="201"})'  # noqa: E501
        before = await query(api, consumed), await query(api, posted)

        school = next(u.code for u in office.units if u.unit_type == "school")
        async with httpx.AsyncClient(base_url=monitoring.url, headers=monitoring.officer) as m:
            listed = (
                await m.get("/assignments", params={"round_id": ROUND, "unit_code": school})
            ).json()
        values = progress_values(office, listed, random.Random(3))[school]
        intake = services["intake"]
        body = {"round_id": ROUND, "form_id": listed[0]["form_id"], "form_version": 1,
                "values": values}  # fmt: skip
        key = await asyncio.to_thread(intake.key, "reporter", school)
        async with httpx.AsyncClient(base_url=intake.url, headers=key, timeout=30) as client:
            answer = await client.post("/submissions", json=body)
        assert answer.status_code == 201, answer.text

        after = await eventually(
            lambda: asyncio.gather(query(api, consumed), query(api, posted)),
            lambda seen: seen[0] > before[0] and seen[1] > before[1],
            60,
            1,
        )
        assert after[1] - before[1] == 1, "one report posted, counted once"
