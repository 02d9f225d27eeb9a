"""Staff accounts: the first officer, signing in and out, adding and changing staff."""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from services.console.domain.accounts import ROLES, Account, check_new_account, password_problems
from services.console.handlers.ports import AccountStore, ConsolePorts, Passwords
from shared.contracts.refusals import Refusal
from shared.platform.identity import Person

SYSTEM = "system"


def person_of(account: Account) -> Person:
    """The identity the console vouches for when it calls a service for this account."""
    return Person(
        person_id=account.username,
        name=account.display_name,
        role=account.role,
        unit_code=account.unit_code,
    )


async def create_account(
    accounts: AccountStore,
    passwords: Passwords,
    now: datetime,
    *,
    username: str,
    display_name: str,
    role: str,
    unit_code: str,
    password: str,
    by: str,
) -> Account:
    """A new account; refused with every problem of the form, or if the username exists."""
    username = username.strip().lower()
    check_new_account(username, display_name, role, unit_code, password)
    account = Account(
        username=username,
        display_name=display_name.strip(),
        role=role,  # type: ignore[arg-type]  # checked against ROLES above
        unit_code=unit_code.strip(),
        active=True,
        created_at=now,
        created_by=by,
    )
    if not await accounts.add(account, passwords.hash(password)):
        raise Refusal.of(
            "username",
            "taken",
            f"{username} is taken",
            "conflict",
            message_th="มีผู้ใช้ชื่อนี้แล้ว",
        )
    return account


@dataclass(frozen=True)
class SignedIn:
    account: Account
    cookie: str
    csrf: str


@dataclass(frozen=True)
class SignInRefused:
    wait: timedelta | None  # None: wrong username or password; else throttled


async def sign_in(
    ports: ConsolePorts, username: str, password: str, address: str
) -> SignedIn | SignInRefused:
    """Check the password (argon2) unless the attempts are throttled; open a session."""
    username = username.strip().lower()
    now = ports.clock()
    failures = await ports.accounts.failures(username, address, now - ports.throttle.window)
    wait = ports.throttle.wait(failures, now)
    if wait is not None:
        return SignInRefused(wait)
    found = await ports.accounts.get(username)
    # An unknown username is checked too (against a decoy), so timing tells nothing.
    matches = ports.passwords.verify(found[1] if found else None, password)
    if not matches or found is None or not found[0].active:
        await ports.accounts.record_failure(username, address, now)
        return SignInRefused(None)
    await ports.accounts.clear_failures(username, address)
    cookie, csrf = await ports.accounts.open_session(username, now)
    return SignedIn(found[0], cookie, csrf)


async def session_of(ports: ConsolePorts, cookie: str | None) -> tuple[Account, str] | None:
    """The signed-in account of a session cookie and its CSRF token, if still valid."""
    if not cookie:
        return None
    found = await ports.accounts.session(cookie, ports.clock())
    if found is None:
        return None
    username, csrf = found
    account = await ports.accounts.get(username)
    if account is None or not account[0].active:
        return None
    return account[0], csrf


async def change_account(
    ports: ConsolePorts,
    by: Account,
    username: str,
    *,
    role: str | None = None,
    unit_code: str | None = None,
    active: bool | None = None,
    password: str | None = None,
) -> Account:
    """Re-role, move, disable or enable an account, or set a new password."""
    found = await ports.accounts.get(username)
    if found is None:
        raise Refusal.of("username", "not_found", f"no account {username}", "not_found")
    account = found[0]
    if role is not None and role not in ROLES:
        raise Refusal.of("role", "unknown_role", f"one of {', '.join(ROLES)}")
    if username == by.username and (active is False or (role and role != "officer")):
        raise Refusal.of(
            "username",
            "self",
            "an officer cannot disable or re-role themselves",
            "conflict",
            message_th="ไม่สามารถปิดบัญชีหรือเปลี่ยนบทบาทของตนเองได้",
        )
    changed = replace(
        account,
        role=role or account.role,
        unit_code=unit_code or account.unit_code,
        active=account.active if active is None else active,
    )
    check_new_account(changed.username, changed.display_name, changed.role, changed.unit_code, None)
    fields = {"role": changed.role, "unit_code": changed.unit_code, "active": changed.active}
    what = ", ".join(f"{k}={v}" for k, v in fields.items() if getattr(account, k) != v)
    if password is not None:
        if problems := password_problems(password):
            raise Refusal(problems)
        await ports.accounts.set_password_hash(username, ports.passwords.hash(password))
        what = ", ".join(w for w in (what, "password") if w)
    await ports.accounts.change(username, fields, by.username, what or "nothing")
    if not changed.active or password is not None or changed.role != account.role:
        await ports.accounts.close_sessions_of(username)
    return changed
