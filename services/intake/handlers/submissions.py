"""Take a submission in by any channel: validate against the set-up, store once, answer.

One path for HTTP, AMQP and bulk. A repeat of a stored (unit, round, form, key) is answered
with the first answer; the same key with other content is a conflict; a new key for the
same (unit, round, form) is a correction, stored as the next version.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from pydantic import ValidationError

from services.intake.domain.review import may_correct
from services.intake.domain.submission import (
    check_values,
    fingerprint,
    reasons_from_validation,
    submission_id,
    version_id,
)
from services.intake.domain.validation import FormContext, validate_values
from services.intake.domain.window import timing
from services.intake.handlers.ports import IntakePorts
from shared.contracts import Envelope, derived_event_id, make_envelope
from shared.contracts.intake import (
    Channel,
    Reason,
    SubmissionAccepted,
    SubmissionRejected,
    SubmissionSubmitted,
)
from shared.contracts.setup import Assignment, Form, Indicator, Project, Round
from shared.platform.limits import InputRefused
from shared.platform.messaging import TransientError
from shared.platform.outbox import announce

PRODUCER = "intake"
ATTEMPTS = 5

Outcome = Literal["accepted", "repeat", "rejected", "conflict"]


@dataclass(frozen=True)
class Answer:
    """The answer given (and published), and what it means for an HTTP client."""

    outcome: Outcome
    envelope: Envelope[Any]


@dataclass(frozen=True)
class Checked:
    """A candidate submission after every check: its normalised values, or the reasons."""

    submitted: SubmissionSubmitted | None
    values: dict[str, Any]
    late: bool
    reasons: list[Reason]


async def check_submission(
    candidate: dict[str, Any], moment: datetime, ports: IntakePorts
) -> Checked:
    """Every check, against intake's copy of the set-up; nothing is stored or published."""
    try:
        # Unknown fields refused, as over HTTP: a publisher that sends one has made a mistake.
        submitted = SubmissionSubmitted.model_validate(candidate, extra="forbid")
    except ValidationError as error:
        return Checked(None, {}, False, reasons_from_validation(error))
    reasons = check_values(submitted.values)
    if reasons:
        return Checked(submitted, {}, False, reasons)
    context, late, reasons = await _context(submitted, moment, ports)
    if context is None:
        return Checked(submitted, {}, late, reasons)
    values, reasons = validate_values(submitted.values, context)
    if not reasons:
        reasons = await _evidence_reasons(values, submitted.unit_code, ports)
    return Checked(submitted, values, late, reasons)


async def _evidence_reasons(
    values: Any, unit_code: str, ports: IntakePorts, path: str = "values"
) -> list[Reason]:
    """Evidence ids must name files this unit uploaded."""
    if ports.evidence is None:
        return []
    reasons: list[Reason] = []
    if isinstance(values, dict):
        evidence_id = values.get("evidence_id")
        if isinstance(evidence_id, str):
            found = await ports.evidence.info(evidence_id)
            if found is None or found.unit_code != unit_code:
                reasons.append(
                    _reason(
                        path,
                        "unknown_evidence",
                        "ไม่พบไฟล์หลักฐานนี้ของหน่วยงาน",
                        "no such evidence file of this unit",
                    )
                )
        for name, value in values.items():
            reasons += await _evidence_reasons(value, unit_code, ports, f"{path}.{name}")
    elif isinstance(values, list):
        for index, item in enumerate(values):
            reasons += await _evidence_reasons(item, unit_code, ports, f"{path}[{index}]")
    return reasons


async def receive_submission(
    candidate: dict[str, Any],
    *,
    channel: Channel,
    correlation_id: str,
    cause: str,
    ports: IntakePorts,
    moment: datetime | None = None,
) -> Answer:
    """Validate, store and answer one submission; `cause` makes a rejection's id stable."""
    moment = moment or ports.clock()
    checked = await check_submission(candidate, moment, ports)
    if checked.reasons or checked.submitted is None:
        return await _reject(candidate, channel, correlation_id, cause, checked.reasons, ports)
    return await _store(
        checked.submitted, checked.values, checked.late, channel, correlation_id, moment, ports
    )


async def refuse_submission(
    refusal: InputRefused, *, correlation_id: str, cause: str, ports: IntakePorts
) -> Answer:
    """Answer a submission whose body the input boundary refused: nothing in it was read."""
    reason = Reason(
        field=refusal.field or "(body)",
        code=refusal.code,
        message=f"{refusal.message_th} ({refusal.message})",
    )
    return await _reject({}, "amqp", correlation_id, cause, [reason], ports)


async def _context(
    submitted: SubmissionSubmitted, moment: datetime, ports: IntakePorts
) -> tuple[FormContext | None, bool, list[Reason]]:
    """The round, form version and assignment a submission answers, from intake's copy."""
    reasons: list[Reason] = []
    round_ = await ports.setup.get("round", submitted.round_id)
    form = await ports.setup.get("form", f"{submitted.form_id}@{submitted.form_version}")
    assignment = await ports.setup.get(
        "assignment", f"{submitted.round_id}:{submitted.form_id}:{submitted.unit_code}"
    )
    late = False
    if not isinstance(round_, Round):
        reasons.append(_reason("round_id", "unknown_round", "ไม่พบรอบการรายงานนี้", "no such round"))
    else:
        when = timing(round_, moment)
        late = when == "late"
        if when in ("not_open", "closed"):
            th = "รอบการรายงานยังไม่เปิด" if when == "not_open" else "รอบการรายงานปิดแล้ว"
            reasons.append(
                _reason("round_id", f"round_{when}", th, f"the round is {when.replace('_', ' ')}")
            )
    if not isinstance(form, Form) or form.status != "published":
        reasons.append(
            _reason(
                "form_version",
                "unknown_form_version",
                "ไม่พบแบบรายงานฉบับนี้",
                "no such published form version",
            )
        )
    if not isinstance(assignment, Assignment):
        reasons.append(
            _reason(
                "unit_code",
                "not_assigned",
                "หน่วยงานนี้ไม่ได้รับมอบหมายให้รายงานแบบนี้ในรอบนี้",
                "this unit is not assigned this form in this round",
            )
        )
    if reasons or not isinstance(form, Form) or not isinstance(assignment, Assignment):
        return None, late, reasons
    codes = list(assignment.project_codes)
    projects = {
        p.code: p
        for p in await ports.setup.search("project", {"code": {"$in": codes}})
        if isinstance(p, Project)
    }
    indicators: dict[str, list[Indicator]] = {}
    for found in await ports.setup.search("indicator", {"project_code": {"$in": codes}}):
        if isinstance(found, Indicator):
            indicators.setdefault(found.project_code, []).append(found)
    context = FormContext(
        form=form,
        project_codes=tuple(codes),
        projects=projects,
        indicators={code: tuple(found) for code, found in indicators.items()},
    )
    return context, late, []


async def _store(
    submitted: SubmissionSubmitted,
    values: dict[str, Any],
    late: bool,
    channel: Channel,
    correlation_id: str,
    moment: datetime,
    ports: IntakePorts,
) -> Answer:
    sid = submission_id(submitted.unit_code, submitted.round_id, submitted.form_id)
    content = fingerprint(submitted)
    head = {
        "_id": sid,
        "unit_code": submitted.unit_code,
        "round_id": submitted.round_id,
        "form_id": submitted.form_id,
    }
    # The head as last seen (None: probably new); the writes check it, so only a refusal
    # needs it read first. After a write that found it changed, it is as read then.
    existing, fresh = ports.store.last_seen(sid), False
    for _ in range(ATTEMPTS):
        if existing is not None and not may_correct(existing["status"]) and not fresh:
            existing, fresh = await ports.store.get(sid), True
        if existing is not None and not may_correct(existing["status"]):
            earlier = await ports.store.version_of_key(sid, submitted.submission_key)
            if earlier is not None:
                return await _repeat(
                    sid, earlier, submitted, content, channel, correlation_id, ports
                )
            return await _reject(
                submitted.model_dump(mode="json"),
                channel,
                correlation_id,
                f"approved:{sid}:{content}",
                [APPROVED],
                ports,
            )
        number = 1 if existing is None else existing["version_count"] + 1
        accepted = _accepted(sid, submitted, values, late, channel, correlation_id, moment, number)
        version = {
            "version": number,
            "submission_key": submitted.submission_key,
            "fingerprint": content,
            "form_version": submitted.form_version,
            "values": values,
            "submitted_at": submitted.submitted_at,
            "received_at": moment,
            "submitter": submitted.submitter,
            "channel": channel,
            "late": late,
        }
        seen = None if existing is None else existing["status"]
        added = await ports.store.add_version(head, seen, version, accepted)
        if added == "stored":
            await announce(
                ports.publish, ports.store.version_outbox, version_id(sid, number), accepted
            )
            return Answer("accepted", accepted)
        if added == "repeat":
            earlier = await ports.store.version_of_key(sid, submitted.submission_key)
            if earlier is not None:
                return await _repeat(
                    sid, earlier, submitted, content, channel, correlation_id, ports
                )
        existing, fresh = ports.store.last_seen(sid), True
    raise TransientError(f"submission {sid} kept changing under us; will retry")


APPROVED = Reason(
    field="submission_key",
    code="approved",
    message="รายงานนี้ได้รับอนุมัติแล้ว ขอให้ผู้ตรวจเปิดแก้ไขก่อน "
    "(approved: ask the reviewer to reopen it before correcting)",
)


async def _repeat(
    sid: str,
    version: dict[str, Any],
    submitted: SubmissionSubmitted,
    content: str,
    channel: Channel,
    correlation_id: str,
    ports: IntakePorts,
) -> Answer:
    """The same key again: the first answer if the content is the same, else a conflict.

    The first answer is the same event (its id and data), sent again under the repeat's
    correlation id: a publisher matches answers by the id it sent this time."""
    if version["fingerprint"] == content:
        earlier: Envelope[Any] = Envelope[SubmissionAccepted].model_validate(version["answer"])
        again = earlier.model_copy(update={"correlation_id": correlation_id})
        await ports.publish(again)  # the publisher may have missed our first answer
        return Answer("repeat", again)
    conflict = _reason(
        "submission_key",
        "conflict",
        "รหัสการส่งนี้ถูกใช้กับข้อมูลอื่นแล้ว ข้อมูลเดิมยังคงอยู่",
        "this submission key was already used with other content; the original stands",
    )
    answer = await _reject(
        submitted.model_dump(mode="json"),
        channel,
        correlation_id,
        f"conflict:{sid}:{content}",
        [conflict],
        ports,
    )
    return Answer("conflict", answer.envelope)


def _accepted(
    sid: str,
    submitted: SubmissionSubmitted,
    values: dict[str, Any],
    late: bool,
    channel: Channel,
    correlation_id: str,
    moment: datetime,
    version: int,
) -> Envelope[Any]:
    return make_envelope(
        SubmissionAccepted(
            submission_id=sid,
            submission_key=submitted.submission_key,
            unit_code=submitted.unit_code,
            round_id=submitted.round_id,
            form_id=submitted.form_id,
            form_version=submitted.form_version,
            submitted_at=submitted.submitted_at,
            accepted_at=moment,
            channel=channel,
            late=late,
            version=version,
            submitter=submitted.submitter,
            values=values,
        ),
        producer=PRODUCER,
        correlation_id=correlation_id,
        event_id=derived_event_id("accepted", sid, submitted.submission_key),
    )


async def _reject(
    candidate: Any,
    channel: Channel,
    correlation_id: str,
    cause: str,
    reasons: list[Reason],
    ports: IntakePorts,
) -> Answer:
    """Publish (and return) a rejection; nothing else is stored."""
    data = candidate if isinstance(candidate, dict) else {}

    def text(key: str) -> str | None:
        value = data.get(key)
        return value if isinstance(value, str) else None

    envelope = make_envelope(
        SubmissionRejected(
            submission_key=text("submission_key"),
            unit_code=text("unit_code"),
            round_id=text("round_id"),
            form_id=text("form_id"),
            rejected_at=ports.clock(),
            channel=channel,
            reasons=reasons,
        ),
        producer=PRODUCER,
        correlation_id=correlation_id,
        event_id=derived_event_id("rejected", cause),
    )
    await ports.publish(envelope)
    return Answer("rejected", envelope)


def _reason(field: str, code: str, thai: str, english: str) -> Reason:
    return Reason(field=field, code=code, message=f"{thai} ({english})")
