"""`python -m services.reporting` starts the reporting service."""

from services.reporting.bootstrap import NAME, bootstrap
from shared.platform.service import run_service


def main() -> None:
    run_service(NAME, bootstrap)


if __name__ == "__main__":
    main()
