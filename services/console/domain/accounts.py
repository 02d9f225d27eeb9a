"""The office's people and what each may do in the console.

Six roles, each scoped to a unit (the office, one of its groups, or a school):

| role | Thai | does |
|---|---|---|
| officer | เจ้าหน้าที่งานติดตามฯ | sets up, chases, reports; manages staff |
| director | ผู้บริหาร | reads the round and the director's summary |
| reviewer | ผู้ตรวจรายงาน | approves or returns reports |
| assessor | ผู้ประเมิน | scores the evaluations assigned to them |
| reporter | ผู้รายงานของหน่วย | reports for their own unit |
| operator | ผู้ดูแลระบบ | watches queues and failures |

Pages name the roles they allow (`PAGES`); a page not allowed answers 403.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from shared.contracts.refusals import Problem, Refusal
from shared.contracts.setup import CODE

Role = Literal["officer", "director", "reviewer", "assessor", "reporter", "operator"]
ROLES: tuple[Role, ...] = ("officer", "director", "reviewer", "assessor", "reporter", "operator")
ROLE_TH: dict[str, str] = {
    "officer": "เจ้าหน้าที่งานติดตามและประเมินผล",
    "director": "ผู้บริหาร",
    "reviewer": "ผู้ตรวจรายงาน",
    "assessor": "ผู้ประเมิน",
    "reporter": "ผู้รายงานของหน่วยงาน",
    "operator": "ผู้ดูแลระบบ",
}
STAFF: frozenset[Role] = frozenset({"officer", "director", "reviewer", "assessor", "operator"})

# Which roles open which page (the officer's pages; the reporters' come in their issue).
PAGES: dict[str, frozenset[Role]] = {
    "home": frozenset({"officer", "director", "reviewer"}),
    "director": frozenset({"officer", "director"}),
    "units": frozenset({"officer"}),
    "rounds": frozenset({"officer"}),
    "plans": frozenset({"officer"}),
    "forms": frozenset({"officer"}),
    "imports": frozenset({"officer"}),
    "reports": frozenset({"officer", "director"}),
    "users": frozenset({"officer"}),
    "remind": frozenset({"officer"}),
    "project": frozenset({"officer", "director", "reviewer"}),
    "problems": frozenset({"officer"}),
    "operator": frozenset({"operator"}),
    # reviewing, scoring and following up (issue 16)
    "review": frozenset({"reviewer", "officer"}),
    "submission": frozenset({"reviewer", "officer", "reporter"}),
    "assess": frozenset({"assessor"}),
    "evaluations": frozenset({"officer"}),
    "recommendations": frozenset({"reporter"}),
    "register": frozenset({"officer", "director"}),
    "evidence": frozenset({"officer", "director", "reviewer", "reporter"}),
    "reporting": frozenset({"reporter"}),
    "bulk": frozenset({"officer", "reviewer"}),
}

USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,39}$")
MIN_PASSWORD = 10


@dataclass(frozen=True)
class Account:
    """A person who signs in. The password is kept only as its argon2 hash (elsewhere)."""

    username: str
    display_name: str
    role: Role
    unit_code: str
    active: bool
    created_at: datetime
    created_by: str

    def may_open(self, page: str) -> bool:
        return self.active and self.role in PAGES.get(page, frozenset())


def check_new_account(
    username: str, display_name: str, role: str, unit_code: str, password: str | None
) -> None:
    """Every problem of a new (or changed) account at once, as a Refusal."""
    problems = []
    if not USERNAME.match(username):
        problems.append(
            Problem(
                field="username",
                code="username",
                message="3–40 lower-case letters, digits, dot, dash or underscore",
                message_th="ชื่อผู้ใช้ 3–40 ตัว ใช้ตัวอักษรอังกฤษพิมพ์เล็ก ตัวเลข จุด ขีด หรือขีดล่าง",
            )
        )
    if not display_name.strip() or len(display_name) > 200:
        problems.append(
            Problem(
                field="display_name",
                code="required",
                message="the person's name, up to 200 characters",
                message_th="กรุณากรอกชื่อ–สกุล (ไม่เกิน 200 ตัวอักษร)",
            )
        )
    if role not in ROLES:
        problems.append(
            Problem(
                field="role",
                code="unknown_role",
                message=f"one of: {', '.join(ROLES)}",
                message_th="กรุณาเลือกบทบาท",
            )
        )
    if not re.match(CODE, unit_code):
        problems.append(
            Problem(
                field="unit_code",
                code="unit_code",
                message="the unit's code",
                message_th="กรุณาระบุรหัสหน่วยงาน",
            )
        )
    if password is not None:
        problems += password_problems(password)
    if problems:
        raise Refusal(problems)


def password_problems(password: str) -> list[Problem]:
    if len(password) < MIN_PASSWORD or password.isdigit() or password.isalpha():
        return [
            Problem(
                field="password",
                code="weak_password",
                message=f"at least {MIN_PASSWORD} characters, not only letters or only digits",
                message_th=f"รหัสผ่านอย่างน้อย {MIN_PASSWORD} ตัว และไม่ใช่ตัวอักษรหรือตัวเลขล้วน",
            )
        ]
    return []
