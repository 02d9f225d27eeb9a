"""Operators issue and revoke intake's API keys from a shell on the server.

    python -m services.intake.credentials issue --unit 1084200101 --label "ครูผู้รายงาน"
    python -m services.intake.credentials issue --unit SESA-84 --role reviewer --label "ผู้ตรวจ"
    python -m services.intake.credentials revoke CREDENTIAL_ID

Writes to intake's own database (MONGODB_URL, TIDTAM_NAMESPACE). The key is printed once;
only its SHA-256 is stored.
"""

import sys

from shared.platform.credentials import credentials_cli

ROLES = ("reporter", "reviewer")


def main(argv: list[str] | None = None) -> int:
    return credentials_cli("intake", ROLES, argv)


if __name__ == "__main__":
    sys.exit(main())
