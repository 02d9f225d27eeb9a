"""A unit's reporter: what is due, where each report stands, and the form as inputs.

The console only shapes what a person types into the values intake takes (and intake's
reasons back onto the inputs they name); every rule of a value is intake's. Inputs are
named `<scope>:<code>:<key>` (`s::problems`, `p:P01:budget_spent`, `i:P01-I1:actual`):
codes may hold dots, never a colon.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from shared.contracts.setup import Form, FormField, Indicator, Project, Round

Status = Literal["not_started", "draft", "submitted", "late", "returned", "approved"]
STATUS_TH: dict[str, str] = {
    "not_started": "ยังไม่เริ่ม",
    "draft": "ฉบับร่าง",
    "submitted": "ส่งแล้ว",
    "late": "เลยกำหนดส่ง",
    "returned": "ส่งกลับให้แก้ไข",
    "approved": "อนุมัติแล้ว",
}
ACTIVITY_TH: dict[str, str] = {
    "not_started": "ยังไม่ดำเนินการ",
    "in_progress": "กำลังดำเนินการ",
    "done": "ดำเนินการแล้ว",
    "cancelled": "ยกเลิก",
}
YES_NO_TH = ("ใช่", "ไม่ใช่")
SCOPE_PREFIX = {"submission": "s", "project": "p", "indicator": "i"}
CONTAINER = {"p": "projects", "i": "indicators"}
_ITEM = re.compile(r"\[\d+\]$")
_SAID = re.compile(r"^(?P<thai>.*[\u0e00-\u0e7f].*?) \((?P<english>[^()]*)\)$", re.S)


def input_name(scope: str, code: str, key: str) -> str:
    return f"{SCOPE_PREFIX[scope]}:{code}:{key}"


@dataclass(frozen=True)
class DueItem:
    """One form a unit reports in one open round, and where it stands."""

    round: Round
    form_id: str
    form_version: int
    status: Status
    days_left: int  # negative: days past the due date
    comment: str | None = None  # the reviewer's, when returned
    late_submission: bool = False
    has_draft: bool = False


def open_rounds(rounds: Sequence[Round], today: date) -> list[Round]:
    """Rounds taking reports today (opened, not closed), soonest due first."""
    found = [r for r in rounds if r.opens_on <= today <= r.closes_on]
    return sorted(found, key=lambda r: (r.due_on, r.round_id))


def due_status(
    round_: Round,
    submission: Mapping[str, Any] | None,
    draft_dirty: bool,
    today: date,
) -> tuple[Status, str | None, bool]:
    """The report's status, the reviewer's comment when returned, and whether it came late."""
    if submission is not None:
        versions = submission.get("versions") or [{}]
        late = bool(versions[-1].get("late"))
        held = submission.get("status")
        if held == "approved":
            return "approved", None, late
        if held == "returned":
            reviews = submission.get("reviews") or [{}]
            return "returned", reviews[-1].get("comment"), late
        return ("draft" if draft_dirty else "submitted"), None, late
    if today > round_.due_on:
        return "late", None, False
    return ("draft" if draft_dirty else "not_started"), None, False


def days_left(round_: Round, today: date) -> int:
    return (round_.due_on - today).days


def said(message: str, english: bool) -> str:
    """Intake's "Thai (English)" message in the reader's language (as intake wrote it)."""
    found = _SAID.match(message.strip())
    if not found:
        return message
    return found["english"] if english else found["thai"]


def name_of_reason(reason_field: str) -> str:
    """The input a reason names (values.projects.P01.budget_spent -> p:P01:budget_spent);
    "" for the report as a whole (round, unit, key); `p:P09:` for a project as a whole."""
    path = _ITEM.sub("", reason_field)
    if not path.startswith("values."):
        return ""
    path = path.removeprefix("values.")
    for prefix, container in CONTAINER.items():
        if path.startswith(f"{container}."):
            rest = path.removeprefix(f"{container}.")
            code, dot, key = rest.rpartition(".")
            if dot and re.fullmatch(r"[a-z][a-z0-9_]{0,39}", key):
                return f"{prefix}:{code}:{key}"
            return f"{prefix}:{rest}:"
    return f"s::{path}"


def errors_by_input(reasons: Sequence[Mapping[str, Any]], english: bool) -> dict[str, str]:
    """Intake's reasons by input name; several on one input are joined."""
    found: dict[str, str] = {}
    for reason in reasons:
        name = name_of_reason(str(reason.get("field", "")))
        text = said(str(reason.get("message", "")), english)
        found[name] = f"{found[name]}; {text}" if name in found else text
    return found


@dataclass(frozen=True)
class FormInput:
    """One input of the form page or the sheet."""

    name: str
    field: FormField
    earlier: tuple[tuple[str, str], ...] = ()  # (round's name, value shown) of earlier rounds


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    target: Decimal | None
    inputs: tuple[FormInput, ...]


@dataclass(frozen=True)
class ProjectBlock:
    project: Project
    is_activity: bool
    inputs: tuple[FormInput, ...]
    indicators: tuple[IndicatorRow, ...] = ()


@dataclass(frozen=True)
class FormLayout:
    """The published form version laid out for one unit's assignment."""

    form: Form
    general: tuple[FormInput, ...]
    projects: tuple[ProjectBlock, ...] = field(default=())

    def inputs(self) -> list[FormInput]:
        found = list(self.general)
        for block in self.projects:
            found += block.inputs
            for row in block.indicators:
                found += row.inputs
        return found


def layout(
    form: Form,
    round_id: str,
    project_codes: Sequence[str],
    projects: Mapping[str, Project],
    indicators: Mapping[str, Sequence[Indicator]],
    earlier: Mapping[str, Sequence[tuple[str, str]]] | None = None,
) -> FormLayout:
    """Every assigned project (activities after their parent) with its fields and
    indicators; `earlier` gives an input's earlier rounds' values by input name."""
    earlier = earlier or {}
    by_scope = {s: [f for f in form.fields if f.scope == s] for s in SCOPE_PREFIX}

    def inputs(scope: str, code: str) -> tuple[FormInput, ...]:
        return tuple(
            FormInput(name, f, tuple(earlier.get(name, ())))
            for f in by_scope[scope]
            for name in (input_name(scope, code, f.key),)
        )

    blocks = []
    for code in _parents_first(project_codes, projects):
        project = projects[code]
        rows = tuple(
            IndicatorRow(
                i, i.round_targets.get(round_id, i.year_target), inputs("indicator", i.code)
            )
            for i in sorted(indicators.get(code, ()), key=lambda i: i.code)
        )
        blocks.append(
            ProjectBlock(
                project,
                project.parent_code is not None and project.parent_code in project_codes,
                inputs("project", code),
                rows if by_scope["indicator"] else (),
            )
        )
    return FormLayout(form, inputs("submission", ""), tuple(blocks))


def _parents_first(codes: Sequence[str], projects: Mapping[str, Project]) -> list[str]:
    known = [c for c in dict.fromkeys(codes) if c in projects]
    ordered: list[str] = []
    for code in known:
        if projects[code].parent_code in known:
            continue
        ordered.append(code)
        ordered += [c for c in known if projects[c].parent_code == code]
    return ordered + [c for c in known if c not in ordered]


def values_of(
    form_layout: FormLayout,
    typed: Mapping[str, str],
    files: Mapping[str, Sequence[Mapping[str, str]]],
) -> dict[str, Any]:
    """What intake takes, from what was typed: blank inputs left out (intake says what is
    required); an evidence input's files then its links (one per line or between spaces)."""
    values: dict[str, Any] = {}
    for item in form_layout.inputs():
        prefix, code, key = item.name.split(":", 2)
        raw = str(typed.get(item.name) or "").strip()
        value: Any = raw
        if item.field.field_type == "evidence":
            links = [{"url": link} for link in raw.split() if link]
            attached = [{"evidence_id": f["evidence_id"]} for f in files.get(item.name, ())]
            value = attached + links
        if not value:
            continue
        if prefix == "s":
            values[key] = value
        else:
            values.setdefault(CONTAINER[prefix], {}).setdefault(code, {})[key] = value
    return values


def typed_from_values(form_layout: FormLayout, values: Mapping[str, Any]) -> dict[str, str]:
    """A stored version's values as a person would type them again: baht, not satang;
    activity statuses and yes/no in Thai; evidence links one per line."""
    typed: dict[str, str] = {}
    for item in form_layout.inputs():
        prefix, code, key = item.name.split(":", 2)
        holder = values if prefix == "s" else values.get(CONTAINER[prefix], {}).get(code, {})
        value = holder.get(key) if isinstance(holder, Mapping) else None
        if value is None:
            continue
        typed[item.name] = shown(item.field, value)
    return typed


def files_from_values(form_layout: FormLayout, values: Mapping[str, Any]) -> dict[str, list[Any]]:
    """The evidence files a stored version references, by input."""
    files: dict[str, list[Any]] = {}
    for item in form_layout.general:
        if item.field.field_type == "evidence":
            held = values.get(item.field.key) or []
            files[item.name] = [
                {"evidence_id": e["evidence_id"], "filename": e["evidence_id"]}
                for e in held
                if isinstance(e, Mapping) and "evidence_id" in e
            ]
    return files


def shown(form_field: FormField, value: Any) -> str:
    """A stored value as text for a person (money in baht)."""
    kind = form_field.field_type
    if kind == "money" and isinstance(value, int):
        return baht(value)
    if kind == "activity_status":
        return ACTIVITY_TH.get(str(value), str(value))
    if kind == "yes_no" and isinstance(value, bool):
        return YES_NO_TH[0] if value else YES_NO_TH[1]
    if kind == "choice":
        return next((c.label_th for c in form_field.choices if c.value == value), str(value))
    if kind == "evidence" and isinstance(value, list):
        return "\n".join(str(e["url"]) for e in value if isinstance(e, Mapping) and "url" in e)
    return str(value)


def baht(satang: int) -> str:
    """Satang as baht the way a form shows it: 1250000.5 baht -> "1,250,000.50"."""
    return f"{Decimal(satang) / 100:,.2f}"


def choices_th(form_field: FormField) -> tuple[str, ...]:
    """What a person picks from, in Thai (empty for a field typed freely)."""
    if form_field.field_type == "activity_status":
        return tuple(ACTIVITY_TH.values())
    if form_field.field_type == "choice":
        return tuple(c.label_th for c in form_field.choices)
    if form_field.field_type == "yes_no":
        return YES_NO_TH
    return ()
