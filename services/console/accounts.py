"""Staff accounts from a shell on the server: the first officer, or a lost password.

    python -m services.console.accounts create --username somchai.s --name "สมชาย ใจดี" \\
        --role officer --unit SESA-84 [--password ...]
    python -m services.console.accounts password --username somchai.s [--password ...]

Without --password a random one is made and printed once.
"""

import argparse
import asyncio
import secrets
import sys
from datetime import UTC, datetime

from services.console.adapters.mongo import MongoAccounts
from services.console.adapters.passwords import Argon2Passwords
from services.console.domain.accounts import ROLES
from services.console.handlers.accounts import SYSTEM, create_account
from shared.contracts.refusals import Refusal
from shared.platform.mongo import make_client
from shared.platform.settings import Settings


def new_password() -> str:
    return f"tdt-{secrets.token_urlsafe(12)}"


async def _run(args: argparse.Namespace) -> int:
    settings = Settings()
    client = make_client(settings.mongodb_url)
    try:
        accounts = MongoAccounts(client[settings.database_of("console")])
        passwords = Argon2Passwords()
        password = args.password or new_password()
        if args.command == "create":
            try:
                await create_account(
                    accounts,
                    passwords,
                    datetime.now(UTC),
                    username=args.username,
                    display_name=args.name,
                    role=args.role,
                    unit_code=args.unit,
                    password=password,
                    by=SYSTEM,
                )
            except Refusal as refusal:
                for problem in refusal.problems:
                    print(
                        f"{problem.field}: {problem.message_th or problem.message}", file=sys.stderr
                    )
                return 2
            print(f"account {args.username} ({args.role}, {args.unit}) created")
        else:
            if await accounts.get(args.username) is None:
                print(f"no account {args.username}", file=sys.stderr)
                return 2
            await accounts.set_password_hash(args.username, passwords.hash(password))
            await accounts.close_sessions_of(args.username)
        if not args.password:
            print(f"password (shown once): {password}")
        return 0
    finally:
        await client.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m services.console.accounts")
    commands = parser.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="add an account (the first officer, say)")
    create.add_argument("--username", required=True)
    create.add_argument("--name", required=True, help="the person's name, in Thai")
    create.add_argument("--role", required=True, choices=ROLES)
    create.add_argument("--unit", required=True, help="the office, group or unit code")
    create.add_argument("--password")
    password = commands.add_parser("password", help="set a new password")
    password.add_argument("--username", required=True)
    password.add_argument("--password")
    return asyncio.run(_run(parser.parse_args(argv)))


if __name__ == "__main__":
    sys.exit(main())
