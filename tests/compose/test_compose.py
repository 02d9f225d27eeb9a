"""deploy/compose.yaml, run for real: six containers healthy, a round reported through them.

The production compose file as shipped plus `compose.test.yaml` (the stand-in MongoDB has
no authentication; no host ports). Through the containers' own HTTP ports a sample office
is loaded, a unit submits, the dashboard counts it, a report renders and downloads; then a
restart of the broker and of one service loses nothing already accepted; then `down -v`.

Needs a Docker engine with `docker compose` and the base images (on our machines:
`../shared/tools/docker-standins/build.sh`); where none answers, it skips and says why.
"""

import itertools
import json
import os
import random
import secrets
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from samples.demo import ROUND
from samples.load import load
from samples.office import generate_office
from samples.progress import progress_values
from tests.support import eventually

pytestmark = pytest.mark.compose

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILES = [ROOT / "deploy/compose.yaml", Path(__file__).with_name("compose.test.yaml")]
PORTS = {"console": 8000, "intake": 8001, "monitoring": 8002, "evaluation": 8003, "reporting": 8004}
UP_TIMEOUT_S = 600  # a first build installs the locked dependencies from PyPI
KIT_TIMEOUT_S = 1200


def _wait_for_the_kit() -> str | None:
    """When CI builds the stand-in kit in the background, wait for it; its failure, if any."""
    done = os.environ.get("TIDTAM_DOCKER_KIT_DONE")
    if not done:
        return None
    marker, deadline = Path(done), time.monotonic() + KIT_TIMEOUT_S
    print(f"\ncompose: waiting for the Docker stand-in kit ({marker.name})", flush=True)
    while not marker.exists():
        if time.monotonic() > deadline:
            return f"the Docker stand-in kit did not finish within {KIT_TIMEOUT_S} s"
        time.sleep(2)
    status = marker.read_text().strip()
    if status != "0":
        log = marker.with_suffix(".log")
        tail = log.read_text(errors="replace")[-1500:] if log.exists() else ""
        return f"the Docker stand-in kit failed (exit {status}): {tail}"
    return None


def _docker_problem() -> str | None:
    """Why the compose test cannot run here, or None."""
    kit = _wait_for_the_kit()
    if kit:
        return kit
    if shutil.which("docker") is None:
        return "no docker client on this machine"
    for command, what in (
        (["docker", "info"], "no Docker engine answers"),
        (["docker", "compose", "version"], "no docker compose v2 plugin"),
    ):
        done = subprocess.run(command, capture_output=True, text=True, timeout=30)
        if done.returncode != 0:
            return f"{what} ({done.stderr.strip().splitlines()[-1:] or ''})"
    return None


@dataclass
class Deployment:
    project: str
    env_file: Path
    admin_token: str

    def compose(self, *args: str, timeout: float = 300) -> str:
        command = ["docker", "compose", "-p", self.project, "--env-file", str(self.env_file)]
        for file in COMPOSE_FILES:
            command += ["-f", str(file)]
        done = subprocess.run(
            [*command, *args], capture_output=True, text=True, timeout=timeout, cwd=ROOT
        )
        if done.returncode != 0:
            raise AssertionError(f"docker compose {' '.join(args)}: {done.stderr[-3000:]}")
        return done.stdout

    def url(self, service: str) -> str:
        """The service's HTTP address on the compose network (no host ports in the test)."""
        container = self.compose("ps", "-q", service).strip()
        inspected = subprocess.run(
            ["docker", "inspect", container], capture_output=True, text=True, check=True
        )
        networks = json.loads(inspected.stdout)[0]["NetworkSettings"]["Networks"]
        address = next(n["IPAddress"] for n in networks.values() if n["IPAddress"])
        return f"http://{address}:{PORTS[service]}"

    def logs(self) -> str:
        try:
            return self.compose("logs", "--no-color", "--tail", "40", timeout=60)
        except AssertionError as error:
            return str(error)


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    problem = _docker_problem()
    if problem:
        pytest.skip(f"compose test not run: {problem} (../shared/tools/docker-standins/build.sh)")
    admin_token = secrets.token_urlsafe(24)
    env_file = tmp_path_factory.mktemp("compose") / ".env"
    env_file.write_text(
        "\n".join(
            [
                "RABBITMQ_USER=tidtam",
                f"RABBITMQ_PASSWORD={secrets.token_urlsafe(16)}",
                "MONGO_USER=tidtam",
                f"MONGO_PASSWORD={secrets.token_urlsafe(16)}",
                f"TIDTAM_ADMIN_TOKEN={admin_token}",
            ]
        )
        + "\n"
    )
    found = Deployment(f"tidtam-test-{secrets.token_hex(4)}", env_file, admin_token)
    started = time.monotonic()
    try:
        found.compose(
            "up",
            "-d",
            "--build",
            "--wait",
            "--wait-timeout",
            str(UP_TIMEOUT_S),
            timeout=UP_TIMEOUT_S + 60,
        )
        containers = len(found.compose("ps", "-q").split())
        print(f"\ncompose: {containers} containers healthy in {time.monotonic() - started:.0f} s")
        yield found
    except BaseException:
        print(found.logs())
        raise
    finally:
        found.compose("down", "-v", "--remove-orphans", timeout=180)


async def _issue(client: httpx.AsyncClient, url: str, token: str, **body: Any) -> dict[str, str]:
    response = await client.post(f"{url}/credentials", json=body, headers={"X-Admin-Token": token})
    assert response.status_code == 201, response.text
    return {"Authorization": f"Bearer {response.json()['key']}"}


async def test_the_shipped_compose_file_runs_a_round(deployment: Deployment) -> None:
    urls = {name: deployment.url(name) for name in PORTS}
    office = generate_office()
    async with httpx.AsyncClient(timeout=60) as client:
        monitoring = await _issue(
            client,
            urls["monitoring"],
            deployment.admin_token,
            unit_code=office.office_code,
            role="officer",
            label="ตัวโหลดข้อมูล",
        )
        await load(office, urls["monitoring"], demo_round=True, headers=monitoring)
        listed = await client.get(
            f"{urls['monitoring']}/assignments",
            params={"round_id": ROUND, "limit": 10000},
            headers=monitoring,
        )
        assignments = listed.json()
        values = progress_values(office, assignments, random.Random(7))
        forms = {a["unit_code"]: a["form_id"] for a in assignments}
        units = sorted(values)[:3]

        async def submit(unit: str) -> None:
            key = await _issue(
                client,
                urls["intake"],
                deployment.admin_token,
                unit_code=unit,
                role="reporter",
                label="ครูผู้รายงาน (ทดสอบ)",
            )
            attempts = itertools.count()

            async def accepted() -> httpx.Response:
                # intake's copy of the set-up arrives by event: until it holds the assignment
                # the report is rejected (and a key's answer is kept), so each try has its own.
                body = {
                    "round_id": ROUND,
                    "form_id": forms[unit],
                    "form_version": 1,
                    "submission_key": f"compose-{unit}-{next(attempts)}",
                    "values": values[unit],
                }
                return await client.post(f"{urls['intake']}/submissions", json=body, headers=key)

            answer = await eventually(accepted, lambda r: r.status_code == 201, timeout=90, every=1)
            assert answer.json()["outcome"] == "accepted", answer.text

        async def received() -> int:
            board = await client.get(
                f"{urls['monitoring']}/dashboard/rounds/{ROUND}", headers=monitoring
            )
            if not board.is_success or not board.json()["offices"]:
                return -1
            return int(board.json()["offices"][0]["rates"]["received"])

        await submit(units[0])
        assert await eventually(received, lambda n: n == 1, timeout=60) == 1

        # A person signs in to the console, which reads monitoring on their behalf (a token
        # the console signs, verified by monitoring with the console's public key).
        deployment.compose(
            "exec",
            "-T",
            "console",
            "python",
            "-m",
            "services.console.accounts",
            "create",
            "--username",
            "officer",
            "--name",
            "เจ้าหน้าที่ทดสอบ",
            "--role",
            "officer",
            "--unit",
            office.office_code,
            "--password",
            "compose-test-password-1",
        )
        async with httpx.AsyncClient(base_url=urls["console"], timeout=60) as console:
            signed = await console.post(
                "/signin", data={"username": "officer", "password": "compose-test-password-1"}
            )
            assert signed.status_code == 303, signed.text
            home = await console.get(f"/?round={ROUND}")
        assert home.status_code == 200 and "ภาพรวมรอบรายงาน" in home.text, home.text[:500]
        assert 'data-testid="missing-list"' in home.text

        officer = await _issue(
            client,
            urls["reporting"],
            deployment.admin_token,
            unit_code=office.office_code,
            role="officer",
            label="เจ้าหน้าที่",
        )
        request = {
            "request_id": "compose-round",
            "report_type": "round",
            "round_id": ROUND,
            "format": "pdf",
        }
        queued = await client.post(f"{urls['reporting']}/reports", json=request, headers=officer)
        assert queued.status_code == 202, queued.text

        async def status() -> str:
            found = await client.get(f"{urls['reporting']}/reports/compose-round", headers=officer)
            return str(found.json().get("status"))

        assert await eventually(status, lambda s: s in ("rendered", "failed"), timeout=120) == (
            "rendered"
        )
        pdf = await client.get(
            f"{urls['reporting']}/reports/compose-round/download", headers=officer
        )
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF"), pdf.text[:300]

        # Accepted just before the broker and monitoring restart: counted once both are back.
        await submit(units[1])
        deployment.compose("restart", "rabbitmq", timeout=180)
        deployment.compose("restart", "monitoring", timeout=180)
        deployment.compose("up", "-d", "--wait", "--wait-timeout", "240", timeout=300)
        urls["monitoring"] = deployment.url("monitoring")
        await submit(units[2])
        assert await eventually(received, lambda n: n == 3, timeout=120) == 3
