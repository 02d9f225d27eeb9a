"""Reminders and escalations: who is reminded, in which slot, and never twice."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from services.monitoring.domain.reminders import ReminderPolicy, due_escalations, due_reminders
from shared.contracts.setup import Assignment, Round
from shared.thai.calendar import thai_today

FORM = "action-plan-progress"
DUE = date(2027, 1, 15)
CLOSES = date(2027, 1, 30)
UNITS = ("8401000001", "8401000002", "8401000003")
POLICY = ReminderPolicy()  # remind every 3 days from the due date, escalate at 7 days


def make_round(
    round_id: str = "2570-Q1", due_on: date = DUE, closes_on: date = CLOSES, opens_on: date = DUE
) -> Round:
    return Round.model_validate(
        {
            "round_id": round_id,
            "fiscal_year": 2570,
            "round_type": "quarter",
            "name_th": "ไตรมาสที่ 1",
            "period_start": date(2026, 10, 1),
            "period_end": date(2026, 12, 31),
            "opens_on": min(opens_on, due_on),
            "due_on": due_on,
            "closes_on": closes_on,
        }
    )


def assign(unit_code: str, round_id: str = "2570-Q1", form_id: str = FORM) -> Assignment:
    return Assignment(round_id=round_id, form_id=form_id, unit_code=unit_code)


ROUNDS = [make_round()]
ASSIGNMENTS = [assign(code) for code in UNITS]


def reminded(today: date, received: set[tuple[str, str, str]] | None = None) -> list[str]:
    return [r.key for r in due_reminders(ROUNDS, ASSIGNMENTS, received or set(), today, POLICY)]


def test_only_units_without_a_submission_are_reminded() -> None:
    received = {("2570-Q1", FORM, UNITS[1])}
    reminders = due_reminders(ROUNDS, ASSIGNMENTS, received, DUE, POLICY)
    assert [r.unit_code for r in reminders] == [UNITS[0], UNITS[2]]


def test_a_submission_for_another_form_or_round_does_not_count() -> None:
    received = {("2570-Q1", "other-form", UNITS[0]), ("2570-Q2", FORM, UNITS[0])}
    assert [r.unit_code for r in due_reminders(ROUNDS, ASSIGNMENTS, received, DUE, POLICY)] == [
        *UNITS
    ]


def test_no_reminder_the_day_before_the_due_date() -> None:
    assert reminded(DUE - timedelta(days=1)) == []


def test_the_first_reminder_is_on_the_due_date_in_slot_zero() -> None:
    reminders = due_reminders(ROUNDS, ASSIGNMENTS, set(), DUE, POLICY)
    assert {(r.slot, r.days_overdue, r.due_on) for r in reminders} == {(0, 0, DUE)}
    assert reminders[0].key == f"2570-Q1:{FORM}:{UNITS[0]}:0"


@pytest.mark.parametrize(
    ("days_late", "slot"), [(0, 0), (1, 0), (2, 0), (3, 1), (5, 1), (6, 2), (15, 5)]
)
def test_the_slot_advances_every_cadence(days_late: int, slot: int) -> None:
    reminders = due_reminders(ROUNDS, ASSIGNMENTS, set(), DUE + timedelta(days=days_late), POLICY)
    assert {(r.slot, r.days_overdue) for r in reminders} == {(slot, days_late)}


def test_reminders_stop_after_the_round_closes_unless_the_policy_says_otherwise() -> None:
    assert reminded(CLOSES) != []
    assert reminded(CLOSES + timedelta(days=1)) == []
    keep_going = ReminderPolicy(stop_after_close=False)
    after = due_reminders(ROUNDS, ASSIGNMENTS, set(), CLOSES + timedelta(days=1), keep_going)
    assert len(after) == len(UNITS)


def test_a_scheduler_running_daily_sends_one_reminder_per_slot() -> None:
    keys: set[str] = set()
    for day in range(-3, 25):
        keys.update(reminded(DUE + timedelta(days=day)))
    slots = (CLOSES - DUE).days // POLICY.cadence_days + 1  # days 0..15: slots 0..5
    assert len(keys) == slots * len(UNITS)


def test_a_scheduler_down_for_days_sends_only_the_current_slot() -> None:
    assert reminded(DUE + timedelta(days=10)) == [f"2570-Q1:{FORM}:{u}:3" for u in UNITS]


def test_a_submitted_unit_is_never_reminded_on_any_day() -> None:
    received = {("2570-Q1", FORM, UNITS[0])}
    for day in range(-5, 30):
        today = DUE + timedelta(days=day)
        policy = ReminderPolicy(stop_after_close=False)
        assert all(
            r.unit_code != UNITS[0]
            for r in due_reminders(ROUNDS, ASSIGNMENTS, received, today, policy)
        )
        assert all(
            UNITS[0] not in e.units
            for e in due_escalations(ROUNDS, ASSIGNMENTS, received, today, policy)
        )


def test_escalation_starts_exactly_at_the_threshold() -> None:
    received = {("2570-Q1", FORM, UNITS[1])}
    assert due_escalations(ROUNDS, ASSIGNMENTS, received, DUE + timedelta(days=6), POLICY) == []
    [escalation] = due_escalations(ROUNDS, ASSIGNMENTS, received, DUE + timedelta(days=7), POLICY)
    assert escalation.units == (UNITS[0], UNITS[2])
    assert escalation.days_overdue == 7
    assert escalation.key == f"2570-Q1:{FORM}:escalation:2"


def test_escalations_are_one_per_round_and_form_per_slot() -> None:
    rounds = [*ROUNDS, make_round("2570-Q2", DUE - timedelta(days=3), CLOSES)]
    assignments = [
        *ASSIGNMENTS,
        assign(UNITS[0], form_id="other-form"),
        assign(UNITS[2], "2570-Q2"),
    ]
    keys: set[str] = set()
    for day in range(0, 20):
        today = DUE + timedelta(days=day)
        found = due_escalations(rounds, assignments, set(), today, POLICY)
        assert len({(e.round_id, e.form_id) for e in found}) == len(found)
        keys.update(e.key for e in found)
    # escalation from day 7 (slot 2) to the close: day 15 for Q1 (slot 5), day 18 for Q2 (slot 6)
    assert keys == {
        *(
            f"2570-Q1:{form}:escalation:{slot}"
            for form in (FORM, "other-form")
            for slot in (2, 3, 4, 5)
        ),
        *(f"2570-Q2:{FORM}:escalation:{slot}" for slot in (2, 3, 4, 5, 6)),
    }


def test_nobody_is_escalated_when_everyone_reported() -> None:
    received = {("2570-Q1", FORM, u) for u in UNITS}
    assert due_escalations(ROUNDS, ASSIGNMENTS, received, DUE + timedelta(days=9), POLICY) == []


def test_thai_today_is_the_date_in_bangkok() -> None:
    assert thai_today(datetime(2027, 1, 14, 16, 59, tzinfo=UTC)) == date(2027, 1, 14)
    assert thai_today(datetime(2027, 1, 14, 17, 0, tzinfo=UTC)) == date(2027, 1, 15)
    with pytest.raises(ValueError):
        thai_today(datetime(2027, 1, 14, 17, 0))


def test_the_policy_is_frozen_and_checked() -> None:
    with pytest.raises(ValidationError):
        ReminderPolicy(cadence_days=0)
    with pytest.raises(ValidationError):
        POLICY.cadence_days = 5  # type: ignore[misc]


ROUND_IDS = ("2570-Q1", "2570-Q2", "2570-H1")
FORMS = (FORM, "other-form")
CODES = ("8401000001", "8401000002", "8401000003", "8401000004")
TRIPLES = st.tuples(st.sampled_from(ROUND_IDS), st.sampled_from(FORMS), st.sampled_from(CODES))


@given(
    due_offsets=st.lists(st.integers(0, 30), min_size=3, max_size=3),
    close_after=st.lists(st.integers(0, 20), min_size=3, max_size=3),
    assigned=st.lists(TRIPLES, max_size=25),
    received=st.sets(TRIPLES, max_size=15),
    today_offset=st.integers(-5, 70),
    cadence=st.integers(1, 7),
    escalate=st.integers(0, 14),
    stop_after_close=st.booleans(),
)
def test_any_day_reminds_each_missing_assigned_unit_once(
    due_offsets: list[int],
    close_after: list[int],
    assigned: list[tuple[str, str, str]],
    received: set[tuple[str, str, str]],
    today_offset: int,
    cadence: int,
    escalate: int,
    stop_after_close: bool,
) -> None:
    start = date(2027, 1, 1)
    rounds = [
        make_round(rid, start + timedelta(days=d), start + timedelta(days=d + c))
        for rid, d, c in zip(ROUND_IDS, due_offsets, close_after, strict=True)
    ]
    assignments = [assign(u, r, f) for r, f, u in assigned]  # duplicates on purpose
    today = start + timedelta(days=today_offset)
    policy = ReminderPolicy(
        cadence_days=cadence, escalate_after_days=escalate, stop_after_close=stop_after_close
    )

    reminders = due_reminders(rounds, assignments, received, today, policy)
    keys = [r.key for r in reminders]
    assert len(keys) == len(set(keys))
    by_id = {r.round_id: r for r in rounds}
    live = {
        rid
        for rid, r in by_id.items()
        if r.due_on <= today and (not stop_after_close or today <= r.closes_on)
    }
    expected = {t for t in assigned if t[0] in live} - received
    assert {(r.round_id, r.form_id, r.unit_code) for r in reminders} == expected
    for r in reminders:
        assert r.days_overdue == (today - by_id[r.round_id].due_on).days >= 0
        assert r.slot == r.days_overdue // cadence

    escalations = due_escalations(rounds, assignments, received, today, policy)
    assert len({e.key for e in escalations}) == len(escalations)
    for e in escalations:
        assert e.days_overdue >= escalate
        assert e.units == tuple(sorted(e.units))
        assert {(e.round_id, e.form_id, u) for u in e.units} <= expected
