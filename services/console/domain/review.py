"""The reviewer's view of a report: which rounds compare, and the report as lines of
Thai labels with this round's value beside the unit's previous round's."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from shared.contracts.setup import Form, FormField, Round

ACTIVITY_TH: Mapping[str, str] = {
    "not_started": "ยังไม่ดำเนินการ",
    "in_progress": "กำลังดำเนินการ",
    "done": "ดำเนินการแล้ว",
    "cancelled": "ยกเลิก",
}
# What a reviewer may do to a report in each status (intake decides; this only shows buttons).
ACTIONS: Mapping[str, tuple[str, ...]] = {
    "submitted": ("approved", "returned"),
    "approved": ("reopened",),
}
ACTION_TH: Mapping[str, str] = {
    "approved": "อนุมัติ",
    "returned": "ส่งกลับให้แก้ไข",
    "reopened": "เปิดให้แก้ไข",
}
DONE_TH: Mapping[str, str] = {
    "approved": "อนุมัติรายงานแล้ว",
    "returned": "ส่งรายงานกลับให้หน่วยงานแก้ไขแล้ว",
    "reopened": "เปิดรายงานให้แก้ไขแล้ว",
}


@dataclass(frozen=True)
class Line:
    """One value of the report: where it belongs (a project, an indicator), its label, now
    and in the previous round (as text to show)."""

    section: str
    label: str
    now: str
    before: str

    @property
    def changed(self) -> bool:
        return self.now != self.before


def previous_round(rounds: Sequence[Round], current: Round) -> Round | None:
    """The round whose period ended last before this one's began (a quarter's previous
    quarter, not a 6-month round that overlaps it)."""
    earlier = [r for r in rounds if r.period_end < current.period_start]
    return max(earlier, key=lambda r: (r.period_end, r.round_id), default=None)


def shown(field: FormField, value: Any) -> str:
    """A stored value as a person reads it: baht (never satang), Thai statuses and choices."""
    if value is None or value == "":
        return "–"
    if field.field_type == "money":
        return f"{Decimal(int(value)) / 100:,.2f}"
    if field.field_type == "activity_status":
        return ACTIVITY_TH.get(str(value), str(value))
    if field.field_type == "yes_no":
        return "ใช่" if value in (True, "true", "1", 1) else "ไม่"
    if field.field_type == "choice":
        return next((c.label_th for c in field.choices if c.value == value), str(value))
    if field.field_type == "evidence":
        items = value if isinstance(value, list) else [value]
        return ", ".join(
            str(i.get("url") or i.get("evidence_id")) if isinstance(i, dict) else str(i)
            for i in items
        )
    return str(value)


def lines(
    form: Form,
    now: Mapping[str, Any],
    before: Mapping[str, Any] | None,
    names: Mapping[str, str],
) -> list[Line]:
    """Every field of the form, per project and indicator the report holds, beside the
    previous round's value ("–" where it had none)."""
    before = before or {}
    found: list[Line] = []
    for field in (f for f in form.fields if f.scope == "submission"):
        found.append(
            Line(
                "",
                field.label_th,
                shown(field, now.get(field.key)),
                shown(field, before.get(field.key)),
            )
        )
    for scope, bucket in (("project", "projects"), ("indicator", "indicators")):
        fields = [f for f in form.fields if f.scope == scope]
        held: Mapping[str, Any] = now.get(bucket) or {}
        earlier: Mapping[str, Any] = before.get(bucket) or {}
        for code in sorted(held):
            section = f"{code} {names.get(code, '')}".strip()
            for field in fields:
                found.append(
                    Line(
                        section,
                        field.label_th,
                        shown(field, (held.get(code) or {}).get(field.key)),
                        shown(field, (earlier.get(code) or {}).get(field.key)),
                    )
                )
    return found


def awaiting(rows: Sequence[Mapping[str, Any]], late_only: bool) -> list[Mapping[str, Any]]:
    """Monitoring's unit rows whose report waits for a reviewer, oldest first."""
    waiting = [
        r
        for r in rows
        if r.get("status") == "submitted"
        and r.get("submission_id")
        and (r.get("late") or not late_only)
    ]
    return sorted(waiting, key=lambda r: (str(r.get("first_received_at") or ""), r["unit_code"]))
