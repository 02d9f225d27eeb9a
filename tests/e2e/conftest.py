from collections.abc import Iterator
from pathlib import Path

import pytest

from shared.platform.settings import Settings
from tests.processes import SERVICES, ServiceProcess


@pytest.fixture
def system(settings: Settings, tmp_path: Path) -> Iterator[dict[str, ServiceProcess]]:
    """All four services as processes in this test's namespace, ready."""
    running = {name: ServiceProcess(name, settings, tmp_path).start() for name in SERVICES}
    try:
        for service in running.values():
            service.wait_ready()
        yield running
    finally:
        for service in running.values():
            service.stop()
        unclean = [name for name, service in running.items() if not service.stopped_cleanly()]
        assert not unclean, f"no clean shutdown: {unclean}"
