"""Operators issue and revoke evaluation's API keys from a shell on the server.

    python -m services.evaluation.credentials issue --unit SESA-84 --role officer --label "เจ้าหน้าที่"
    python -m services.evaluation.credentials issue --unit SESA-84 --role assessor \\
        --assessor A1 --label "ผู้ประเมินคนที่ 1"
    python -m services.evaluation.credentials issue --unit SESA-84-PLAN --role unit \
        --label "กลุ่มนโยบายและแผน"
    python -m services.evaluation.credentials revoke CREDENTIAL_ID

Writes to evaluation's own database (MONGODB_URL, TIDTAM_NAMESPACE). The key is printed
once; only its SHA-256 is stored.
"""

import sys

from services.evaluation.entrypoints.http_evaluations import ROLES
from shared.platform.credentials import credentials_cli


def main(argv: list[str] | None = None) -> int:
    return credentials_cli("evaluation", ROLES, argv)


if __name__ == "__main__":
    sys.exit(main())
