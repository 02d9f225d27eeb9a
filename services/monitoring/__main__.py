"""`python -m services.monitoring` starts the monitoring service."""

from services.monitoring.bootstrap import NAME, bootstrap
from shared.platform.service import run_service


def main() -> None:
    run_service(NAME, bootstrap)


if __name__ == "__main__":
    main()
