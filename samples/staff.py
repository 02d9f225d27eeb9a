"""The demo office's staff in the console: one account per role, synthetic Thai names.

    python -m samples.staff [--out .local/demo-accounts.txt]

Run by `deploy/local/demo`: each run gives every demo account a fresh random password and
writes the list (0600) for the start-up summary. Names are made up; no real person's data.
"""

import argparse
import asyncio
import os
import secrets
import sys
from datetime import UTC, datetime
from pathlib import Path

from samples.office import SampleOffice, generate_office
from services.console.adapters.mongo import MongoAccounts
from services.console.adapters.passwords import Argon2Passwords
from services.console.handlers.accounts import SYSTEM, create_account
from shared.platform.mongo import make_client
from shared.platform.settings import Settings

# The assessor the demo's mid-year evaluation waits for (samples.demo).
ASSESSOR = "assessor"
# (username, Thai name, role, unit: "office" or "school")
STAFF = (
    ("officer", "นางสาวพิมพ์ชนก ทดลองงาน", "officer", "office"),
    ("director", "นายสมเกียรติ ตัวอย่างดี", "director", "office"),
    ("reviewer", "นางวิไลวรรณ ตรวจสอบดี", "reviewer", "office"),
    (ASSESSOR, "นายประเสริฐ ประเมินผล", "assessor", "office"),
    ("school", "นางสาวกัลยา รายงานครบ", "reporter", "school"),
    ("operator", "นายธนากร ดูแลระบบ", "operator", "office"),
)


async def ensure_staff(
    settings: Settings, out: Path, office: SampleOffice
) -> list[tuple[str, str, str]]:
    """Every demo account of `office` (the one `samples.load` loaded) with a new password."""
    school = next(u.code for u in office.units if u.unit_type == "school")
    units = {"office": office.office_code, "school": school}
    client = make_client(settings.mongodb_url)
    passwords = Argon2Passwords()
    shown = []
    try:
        accounts = MongoAccounts(client[settings.database_of("console")])
        for username, name, role, unit in STAFF:
            password = f"demo-{secrets.token_urlsafe(9)}"
            if await accounts.get(username) is None:
                await create_account(
                    accounts,
                    passwords,
                    datetime.now(UTC),
                    username=username,
                    display_name=name,
                    role=role,
                    unit_code=units[unit],
                    password=password,
                    by=SYSTEM,
                )
            else:
                await accounts.set_password_hash(username, passwords.hash(password))
            shown.append((username, password, role))
    finally:
        await client.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.writelines(f"{u}\t{p}\t{r}\n" for u, p, r in shown)
    return shown


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m samples.staff")
    parser.add_argument("--out", type=Path, default=Path(".local/demo-accounts.txt"))
    parser.add_argument("--seed", type=int, default=2570)
    parser.add_argument("--schools", type=int, default=120, help="as given to samples.load")
    args = parser.parse_args(argv)
    office = generate_office(seed=args.seed, schools=args.schools)
    for username, password, role in asyncio.run(ensure_staff(Settings(), args.out, office)):
        print(f"staff: {username:<9} {password}  ({role})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
