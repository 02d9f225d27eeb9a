"""`python -m services.console` starts the console (http://127.0.0.1:8000 by default)."""

from services.console.bootstrap import bootstrap
from shared.platform.service import run_service


def main() -> None:
    run_service("console", bootstrap)


if __name__ == "__main__":
    main()
