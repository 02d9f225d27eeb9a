"""Operators issue and revoke API keys from a shell on the server.

    python -m services.intake.credentials issue --unit 1084200101 --label "ครูผู้รายงาน"
    python -m services.intake.credentials issue --unit SESA-84 --role reviewer --label "ผู้ตรวจ"
    python -m services.intake.credentials revoke CREDENTIAL_ID

Writes to intake's own database (MONGODB_URL, TIDTAM_NAMESPACE). The key is printed once;
only its SHA-256 is stored.
"""

import argparse
import asyncio
import sys

from services.intake.adapters.credentials import MongoCredentialStore
from shared.mongo import make_client
from shared.settings import Settings


async def _run(args: argparse.Namespace) -> int:
    settings = Settings()
    client = make_client(settings.mongodb_url)
    try:
        store = MongoCredentialStore(client[settings.database_of("intake")])
        if args.command == "issue":
            key, made = await store.issue(args.unit, args.role, args.label)
            print(f"credential {made.credential_id} for {made.unit_code} ({made.role})")
            print(f"key (shown once): {key}")
            return 0
        if await store.revoke(args.credential_id):
            print(f"revoked {args.credential_id}")
            return 0
        print(f"no credential {args.credential_id}", file=sys.stderr)
        return 1
    finally:
        await client.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.intake.credentials")
    commands = parser.add_subparsers(dest="command", required=True)
    issue = commands.add_parser("issue", help="issue a new API key")
    issue.add_argument("--unit", required=True, help="the unit the key reports for")
    issue.add_argument("--role", choices=("reporter", "reviewer"), default="reporter")
    issue.add_argument("--label", required=True, help="who holds it, shown in reviews")
    revoke = commands.add_parser("revoke", help="revoke a key by its credential id")
    revoke.add_argument("credential_id")
    return asyncio.run(_run(parser.parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
