"""Operators issue and revoke reporting's API keys (officers) from a shell on the server.

    python -m services.reporting.credentials issue --unit SESA-84 --label "เจ้าหน้าที่ติดตาม"
    python -m services.reporting.credentials revoke CREDENTIAL_ID

Writes to reporting's own database (MONGODB_URL, TIDTAM_NAMESPACE). The key is printed
once; only its SHA-256 is stored.
"""

import sys

from services.reporting.entrypoints.http import ROLES
from shared.platform.credentials import credentials_cli


def main(argv: list[str] | None = None) -> int:
    return credentials_cli("reporting", ROLES, argv)


if __name__ == "__main__":
    sys.exit(main())
