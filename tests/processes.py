"""The services as separate processes, the way they run in production."""

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from shared.platform.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SERVICES = ("intake", "monitoring", "evaluation", "reporting")
# Lets a test issue API keys over HTTP (`POST /credentials`), as an operator would.
ADMIN_TOKEN = "admin-token-for-e2e-tests"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class ServiceProcess:
    name: str
    settings: Settings
    log_dir: Path
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None
    env: dict[str, str] = field(default_factory=dict)
    label: str = ""  # tells two processes of one service apart (their log files)
    argv: tuple[str, ...] = ()  # what runs instead of `python -m services.<name>`
    keys: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def log_path(self) -> Path:
        return self.log_dir / f"{self.label or self.name}.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "ServiceProcess":
        env = {
            **os.environ,
            "AMQP_URL": self.settings.amqp_url,
            "MONGODB_URL": self.settings.mongodb_url,
            "TIDTAM_NAMESPACE": self.settings.namespace,
            "TIDTAM_HTTP_PORT": str(self.port),
            "TIDTAM_RETRY_DELAY_MS": str(self.settings.retry_delay_ms),
            "LOG_LEVEL": "INFO",
            "TIDTAM_ADMIN_TOKEN": ADMIN_TOKEN,
            **self.env,
        }
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, *(self.argv or ("-m", f"services.{self.name}"))],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=log,
        )
        return self

    def wait_ready(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None and self.process.poll() is None, self.log_tail()
            try:
                if httpx.get(f"{self.url}/readyz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"{self.name} not ready in {timeout}s\n{self.log_tail()}")

    def key(self, role: str = "officer", unit_code: str = "SESA-84") -> dict[str, str]:
        """An Authorization header with a new API key of `role`, issued over HTTP."""
        answer = httpx.post(
            f"{self.url}/credentials",
            headers={"X-Admin-Token": ADMIN_TOKEN},
            json={"unit_code": unit_code, "role": role, "label": f"{role} (e2e)"},
            timeout=10,
        )
        answer.raise_for_status()
        return {"Authorization": f"Bearer {answer.json()['key']}"}

    @property
    def officer(self) -> dict[str, str]:
        """An officer's key for this service, issued once."""
        if "officer" not in self.keys:
            self.keys["officer"] = self.key("officer")
        return self.keys["officer"]

    def kill(self) -> None:
        """SIGKILL: no graceful anything, as a crash or an OOM kill would be."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> int:
        """SIGTERM and wait for a graceful exit; returns the exit code."""
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else 0
        self.process.terminate()
        try:
            return self.process.wait(45)
        except subprocess.TimeoutExpired:
            self.process.kill()
            raise

    def stopped_cleanly(self) -> bool:
        """Exited (uvicorn re-raises SIGTERM once done) after its shutdown completed."""
        finished = self.process is not None and self.process.returncode in (0, -signal.SIGTERM)
        return finished and '"msg": "stopped"' in self.log_tail(200)

    def log_tail(self, lines: int = 30) -> str:
        path = self.log_path
        text = path.read_text(errors="replace") if path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


@dataclass
class Started:
    """The services a test started: the console's address and an officer's API client."""

    settings: Settings
    processes: dict[str, ServiceProcess]

    @property
    def console(self) -> str:
        return self.processes["console"].url

    def api(self, service: str, headers: dict[str, str] | None = None) -> httpx.AsyncClient:
        """A client of `service` with its officer's key (or `headers`)."""
        return httpx.AsyncClient(
            base_url=self.processes[service].url,
            headers=headers or self.processes[service].officer,
            timeout=60,
        )


def five_services(settings: Settings, folder: Path, **env: str) -> dict[str, ServiceProcess]:
    """The four services, then the console pointed at them, sharing a fresh identity key
    pair in `folder`; all started and ready (the caller stops them)."""
    from shared.platform.identity import signing_key

    key = folder / "identity" / "console.key"
    signing_key(key)
    identity = {
        "TIDTAM_IDENTITY_PRIVATE_KEY_FILE": str(key),
        "TIDTAM_IDENTITY_PUBLIC_KEY_FILE": f"{key}.pub",
        **env,
    }
    processes = {name: ServiceProcess(name, settings, folder, env=identity) for name in SERVICES}
    try:
        for process in processes.values():
            process.start()
        for process in processes.values():
            process.wait_ready(120)
        urls = {f"TIDTAM_{name.upper()}_URL": p.url for name, p in processes.items()}
        console = ServiceProcess("console", settings, folder, env={**identity, **urls})
        processes["console"] = console.start()
        console.wait_ready(120)
    except BaseException:
        for process in processes.values():
            process.stop()
        raise
    return processes
