"""Use cases: an event that should reach people becomes a notice for its unit."""

from services.notifier.domain import notices
from services.notifier.domain.notices import Names, Notice
from services.notifier.handlers.ports import NotifierPorts
from shared.contracts.evaluation import RecommendationOverdue
from shared.contracts.intake import SubmissionReviewed
from shared.contracts.monitoring import EscalationDue, ReminderDue
from shared.contracts.reporting import ReportFailed, ReportRendered
from shared.contracts.setup import Form, Round, Unit


async def names_for(
    ports: NotifierPorts, units: list[str], round_id: str | None = None, form_id: str | None = None
) -> Names:
    """The Thai names a notice mentions, from the notifier's copy of the set-up."""
    found_units = {}
    for code in units:
        unit = await ports.setup.get("unit", code)
        if isinstance(unit, Unit):
            found_units[code] = unit.name_th
    rounds = {}
    if round_id is not None:
        found = await ports.setup.get("round", round_id)
        if isinstance(found, Round):
            rounds[round_id] = found.name_th
    forms = {}
    if form_id is not None:
        versions = [f for f in await ports.setup.search("form", {"form_id": form_id})]
        titled = [f for f in versions if isinstance(f, Form)]
        if titled:
            forms[form_id] = max(titled, key=lambda f: f.version).title_th
    return Names(found_units, rounds, forms)


async def office_of(ports: NotifierPorts, unit_code: str | None) -> str | None:
    """The office (สพม./สพป.) a unit belongs to: itself or its nearest office ancestor."""
    seen: set[str] = set()
    code = unit_code
    while code is not None and code not in seen:
        seen.add(code)
        unit = await ports.setup.get("unit", code)
        if not isinstance(unit, Unit):
            break
        if unit.unit_type == "office":
            return unit.code
        code = unit.parent_code
    offices = [u for u in await ports.setup.search("unit", {"unit_type": "office"})]
    return offices[0].key if len(offices) == 1 else None


async def keep(notice: Notice | None, ports: NotifierPorts) -> None:
    if notice is not None:
        await ports.notices.add(notice)


async def remind(event: ReminderDue, ports: NotifierPorts) -> None:
    """A reminder for the unit's contact (once per reminder key)."""
    names = await names_for(ports, [event.unit_code], event.round_id, event.form_id)
    await keep(notices.reminder(event, names, ports.clock()), ports)


async def escalate(event: EscalationDue, ports: NotifierPorts) -> None:
    """The list of units still missing, for the head of their office."""
    office = await office_of(ports, event.units[0] if event.units else None)
    if office is None or not event.units:
        return
    names = await names_for(ports, list(event.units), event.round_id, event.form_id)
    await keep(notices.escalation(event, office, names, ports.clock()), ports)


async def follow_up(event: RecommendationOverdue, ports: NotifierPorts) -> None:
    """An overdue inspection recommendation, for the head of the unit responsible."""
    names = await names_for(ports, [event.responsible_unit])
    await keep(notices.recommendation_overdue(event, names, ports.clock()), ports)


async def returned(event: SubmissionReviewed, ports: NotifierPorts) -> None:
    """A report returned for correction, for the unit's contact (approvals say nothing)."""
    if event.action != "returned":
        return
    names = await names_for(ports, [event.unit_code], event.round_id, event.form_id)
    await keep(notices.submission_returned(event, names, ports.clock()), ports)


async def report_outcome(event: ReportRendered | ReportFailed, ports: NotifierPorts) -> None:
    """A report rendered or failed, for the office's monitoring officer."""
    office = await office_of(ports, None)
    if office is not None:
        await keep(notices.report_outcome(event, office, ports.clock()), ports)
