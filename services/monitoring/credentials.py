"""Operators issue and revoke monitoring's API keys from a shell on the server.

    python -m services.monitoring.credentials issue --unit SESA-84 --label "ระบบนำเข้าแผน"
    python -m services.monitoring.credentials revoke CREDENTIAL_ID

An officer's key (the only role keys have here) may change the set-up; people sign in to
the console, which calls monitoring on their behalf. The key is printed once.
"""

import sys

from shared.platform.credentials import credentials_cli

ROLES = ("officer",)


def main(argv: list[str] | None = None) -> int:
    return credentials_cli("monitoring", ROLES, argv)


if __name__ == "__main__":
    sys.exit(main())
