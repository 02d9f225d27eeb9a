"""Inspection follow-up register (การตรวจราชการ): rounds, issues, recommendations, overdue.

Inspectors of the MOE and the Prime Minister's Office inspect the office once or twice a
fiscal year on set issues (ประเด็นการตรวจราชการ), write findings (ข้อค้นพบ) and leave
recommendations (ข้อเสนอแนะ), each followed up by a responsible unit to closure. Rules answer
with all their problems at once; `make_*`, `transition` and the report raise them together.
An overdue recommendation is announced once per (recommendation, due date): see `Overdue.key`.
"""

from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, ValidationError
from pydantic_core import ErrorDetails

from shared.thai.calendar import fiscal_year
from shared.thai.numbers import natural_key

InspectionKind = Literal["moe_policy", "pmo_integrated"]
Status = Literal["open", "in_progress", "done", "not_applicable"]
ProblemCode = Literal[
    "required",
    "invalid",
    "duplicate",
    "wrong_inspection",
    "unknown_issue",
    "unknown_unit",
    "outside_fiscal_year",
    "due_before_inspection",
    "reason_required",
    "done_on_required",
    "done_on_not_done",
    "done_on_in_future",
    "done_on_before_inspection",
    "transition_not_allowed",
]

PROBLEMS_TH: Mapping[ProblemCode, str] = {
    "required": "ต้องระบุ",
    "invalid": "ค่าไม่ถูกต้อง",
    "duplicate": "ระบุซ้ำ",
    "wrong_inspection": "ไม่ใช่รอบการตรวจราชการเดียวกัน",
    "unknown_issue": "ไม่พบประเด็นการตรวจราชการนี้",
    "unknown_unit": "ไม่พบหน่วยงานนี้ในข้อมูลพื้นฐาน",
    "outside_fiscal_year": "วันที่ตรวจไม่อยู่ในปีงบประมาณที่ระบุ",
    "due_before_inspection": "กำหนดแล้วเสร็จก่อนวันตรวจราชการ",
    "reason_required": "ต้องระบุเหตุผล",
    "done_on_required": "ต้องระบุวันที่ดำเนินการแล้วเสร็จ",
    "done_on_not_done": "ระบุวันที่แล้วเสร็จได้เฉพาะข้อเสนอแนะที่ดำเนินการแล้วเสร็จ",
    "done_on_in_future": "วันที่แล้วเสร็จเป็นวันในอนาคต",
    "done_on_before_inspection": "วันที่แล้วเสร็จก่อนวันตรวจราชการ",
    "transition_not_allowed": "เปลี่ยนสถานะเช่นนี้ไม่ได้",
}
INSPECTION_KINDS_TH: Mapping[InspectionKind, str] = {
    "moe_policy": "การตรวจราชการตามนโยบายของกระทรวงศึกษาธิการ",
    "pmo_integrated": "การตรวจราชการแบบบูรณาการของสำนักนายกรัฐมนตรี",
}
STATUSES: tuple[Status, ...] = ("open", "in_progress", "done", "not_applicable")
STATUSES_TH: Mapping[Status, str] = {
    "open": "ยังไม่ดำเนินการ",
    "in_progress": "อยู่ระหว่างดำเนินการ",
    "done": "ดำเนินการแล้วเสร็จ",
    "not_applicable": "ไม่เกี่ยวข้อง",
}
CLOSED: frozenset[Status] = frozenset({"done", "not_applicable"})

# Which status may follow which, and whether the change needs a reason (True). Work once
# started is not "open" again: it is finished or judged not applicable. A closed one is
# reopened only with a reason: done back to in progress, not applicable back to open.
TRANSITIONS: Mapping[Status, Mapping[Status, bool]] = {
    "open": {"in_progress": False, "done": False, "not_applicable": True},
    "in_progress": {"done": False, "not_applicable": True},
    "done": {"in_progress": True},
    "not_applicable": {"open": True},
}

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


class Problem(BaseModel):
    """One thing wrong with an inspection record, and the field at fault."""

    model_config = ConfigDict(frozen=True)

    field: str
    code: ProblemCode
    message: str
    message_th: str


class InspectionError(ValueError):
    """Refused: every problem found, not only the first."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in self.problems))


class _Record(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class InspectionRound(_Record):
    """One inspection (รอบการตรวจราชการ) of the office: round 1 or 2 of a fiscal year."""

    inspection_id: Text
    fiscal_year: int = Field(ge=2500, le=2800, description="Fiscal year, Buddhist Era (e.g. 2570).")
    kind: InspectionKind
    round_no: int = Field(ge=1, le=2, description="Round 1 or 2 of the fiscal year.")
    title_th: Text
    inspected_on: date
    inspectors_th: tuple[Text, ...] = ()


class InspectionIssue(_Record):
    """An inspection issue (ประเด็นการตรวจราชการ) and the inspectors' findings (ข้อค้นพบ)."""

    issue_code: Text
    inspection_id: Text
    title_th: Text
    findings_th: str | None = None


class ProgressNote(_Record):
    """What a unit did about a recommendation, with evidence references (files or links)."""

    at: AwareDatetime
    by: Text
    note_th: Text
    evidence: tuple[Text, ...] = ()


class StatusChange(_Record):
    """One status transition, kept so a reopened recommendation shows its history."""

    on: date
    by: Text
    from_status: Status
    to_status: Status
    reason_th: str | None = None


class Recommendation(_Record):
    """An inspector's recommendation (ข้อเสนอแนะ) on an issue, followed up to closure."""

    recommendation_id: Text
    inspection_id: Text
    issue_code: Text
    text_th: Text
    responsible_unit: Text
    due_on: date
    status: Status = "open"
    status_reason_th: str | None = None  # why this status: needed for not_applicable, reopening
    progress: tuple[ProgressNote, ...] = ()
    done_on: date | None = None
    history: tuple[StatusChange, ...] = ()


def _problem(field: str, code: ProblemCode, message: str) -> Problem:
    return Problem(field=field, code=code, message=message, message_th=PROBLEMS_TH[code])


M = TypeVar("M", bound=_Record)


def _parse(model: type[M], data: Mapping[str, Any] | M) -> M:
    """Check the shape (types, required fields); each pydantic error becomes a Problem."""
    try:
        return model.model_validate(data.model_dump() if isinstance(data, BaseModel) else data)
    except ValidationError as error:
        raise InspectionError([_shape_problem(e) for e in error.errors()]) from None


def _shape_problem(error: ErrorDetails) -> Problem:
    code: ProblemCode = "required" if error["type"] == "missing" else "invalid"
    return _problem(".".join(str(part) for part in error["loc"]), code, error["msg"])


def _blank(text: str | None) -> bool:
    return text is None or not text.strip()


def check_round(round_: InspectionRound) -> list[Problem]:
    """An inspection happens within the fiscal year it is filed under."""
    if fiscal_year(round_.inspected_on) == round_.fiscal_year:
        return []
    message = f"{round_.inspected_on} is not in fiscal year {round_.fiscal_year}"
    return [_problem("inspected_on", "outside_fiscal_year", message)]


def check_issue(issue: InspectionIssue, inspection: InspectionRound) -> list[Problem]:
    """An issue belongs to the inspection it is filed under."""
    if issue.inspection_id == inspection.inspection_id:
        return []
    return [_wrong_inspection(issue.inspection_id, inspection.inspection_id)]


def _wrong_inspection(given: str, expected: str) -> Problem:
    message = f"{given!r} is not the inspection {expected!r}"
    return _problem("inspection_id", "wrong_inspection", message)


def _done_on_problems(
    status: Status, done_on: date | None, today: date, inspected_on: date | None
) -> list[Problem]:
    """Done, and only done, has a date done: not in the future, not before the inspection."""
    checks: list[tuple[bool, ProblemCode, str]] = [
        (status == "done" and done_on is None, "done_on_required", "done needs the date done"),
        (status != "done" and done_on is not None, "done_on_not_done", "only done has a date"),
        (done_on is not None and done_on > today, "done_on_in_future", f"{done_on} is future"),
        (
            done_on is not None and inspected_on is not None and done_on < inspected_on,
            "done_on_before_inspection",
            f"{done_on} is before the inspection on {inspected_on}",
        ),
    ]
    return [_problem("done_on", code, message) for failed, code, message in checks if failed]


def _placement_problems(
    rec: Recommendation, inspection_id: str, issue_codes: AbstractSet[str]
) -> list[Problem]:
    """The recommendation is on an issue of its own inspection."""
    problems = []
    if rec.inspection_id != inspection_id:
        problems.append(_wrong_inspection(rec.inspection_id, inspection_id))
    if rec.issue_code not in issue_codes:
        message = f"{rec.recommendation_id!r} is on {rec.issue_code!r}, not an issue here"
        problems.append(_problem("issue_code", "unknown_issue", message))
    return problems


def check_recommendation(
    rec: Recommendation,
    inspection: InspectionRound,
    issue_codes: AbstractSet[str],
    today: date,
    unit_known: bool = True,
) -> list[Problem]:
    """Every rule a recommendation must meet against its inspection and that one's issues;
    `unit_known` says whether the set-up knows its responsible unit."""
    problems = _placement_problems(rec, inspection.inspection_id, issue_codes)
    if not unit_known:
        message = f"no unit {rec.responsible_unit!r} in the set-up"
        problems.append(_problem("responsible_unit", "unknown_unit", message))
    if rec.due_on < inspection.inspected_on:
        message = f"due {rec.due_on}, before the inspection on {inspection.inspected_on}"
        problems.append(_problem("due_on", "due_before_inspection", message))
    if rec.status == "not_applicable" and _blank(rec.status_reason_th):
        message = "not applicable needs a reason"
        problems.append(_problem("status_reason_th", "reason_required", message))
    problems += _done_on_problems(rec.status, rec.done_on, today, inspection.inspected_on)
    return problems


def _valid(model: M, problems: list[Problem]) -> M:
    if problems:
        raise InspectionError(problems)
    return model


def make_round(data: Mapping[str, Any] | InspectionRound) -> InspectionRound:
    """A valid inspection round, or `InspectionError`."""
    round_ = _parse(InspectionRound, data)
    return _valid(round_, check_round(round_))


def make_issue(
    data: Mapping[str, Any] | InspectionIssue, inspection: InspectionRound
) -> InspectionIssue:
    """A valid issue of `inspection`, or `InspectionError`."""
    issue = _parse(InspectionIssue, data)
    return _valid(issue, check_issue(issue, inspection))


def make_recommendation(
    data: Mapping[str, Any] | Recommendation,
    inspection: InspectionRound,
    issue_codes: AbstractSet[str],
    today: date,
    unit_known: bool = True,
) -> Recommendation:
    """A valid recommendation (new, or edited: a moved due date) of `inspection`, or raises."""
    rec = _parse(Recommendation, data)
    return _valid(rec, check_recommendation(rec, inspection, issue_codes, today, unit_known))


def transition(
    rec: Recommendation,
    to: Status,
    *,
    by: str,
    today: date,
    reason_th: str | None = None,
    done_on: date | None = None,
    inspected_on: date | None = None,
) -> Recommendation:
    """The recommendation in status `to`, the change in its history; or `InspectionError`.

    Done without `done_on` is done today; given `inspected_on`, done before it is refused.
    """
    reason = None if _blank(reason_th) else (reason_th or "").strip()
    if to == "done" and done_on is None:
        done_on = today
    problems = []
    if _blank(by):
        problems.append(_problem("by", "required", "who changes the status"))
    if to not in TRANSITIONS[rec.status]:
        problems.append(_problem("status", "transition_not_allowed", f"{rec.status} → {to}"))
    elif TRANSITIONS[rec.status][to] and reason is None:
        message = f"{rec.status} → {to} needs a reason"
        problems.append(_problem("reason_th", "reason_required", message))
    problems += _done_on_problems(to, done_on, today, inspected_on)
    if problems:
        raise InspectionError(problems)
    change = StatusChange(on=today, by=by, from_status=rec.status, to_status=to, reason_th=reason)
    history = (*rec.history, change)
    update = {"status": to, "status_reason_th": reason, "done_on": done_on, "history": history}
    return rec.model_copy(update=update)


def add_progress(rec: Recommendation, note: ProgressNote) -> Recommendation:
    """With `note` among the progress notes, oldest first; a note already there changes nothing.

    Closed recommendations take notes too: evidence often arrives after the work is done.
    """
    if note in rec.progress:
        return rec
    progress = tuple(sorted((*rec.progress, note), key=lambda n: n.at))
    return rec.model_copy(update={"progress": progress})


@dataclass(frozen=True)
class Overdue:
    """A recommendation past its due date and not closed."""

    recommendation_id: str
    inspection_id: str
    responsible_unit: str
    due_on: date
    days_overdue: int

    @property
    def key(self) -> str:
        """Idempotency key: announced once per recommendation and due date, ever."""
        return f"{self.recommendation_id}:{self.due_on.isoformat()}"


def overdue(recommendations: Iterable[Recommendation], today: date) -> list[Overdue]:
    """Open or in-progress recommendations due before `today`, longest overdue first, once each."""
    found: dict[str, Overdue] = {}
    for rec in recommendations:
        if rec.status in CLOSED or rec.due_on >= today:
            continue
        days = (today - rec.due_on).days
        item = Overdue(
            rec.recommendation_id, rec.inspection_id, rec.responsible_unit, rec.due_on, days
        )
        found.setdefault(item.key, item)
    return sorted(found.values(), key=lambda o: (o.due_on, natural_key(o.recommendation_id)))
