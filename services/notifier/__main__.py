"""`python -m services.notifier` starts the notifier service."""

from services.notifier.bootstrap import NAME, bootstrap
from shared.platform.service import run_service


def main() -> None:
    run_service(NAME, bootstrap)


if __name__ == "__main__":
    main()
