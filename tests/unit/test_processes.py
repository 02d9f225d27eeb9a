"""The work manual's processes as data, their month windows and each year's instance."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from shared.thai.calendar import fiscal_year, fiscal_year_period
from shared.thai.work_manual import (
    SEED_TEMPLATES,
    MonthWindow,
    ProcessStep,
    ProcessTemplate,
    StepInstance,
    instantiate,
    step_status,
    update_step,
    window_dates,
)

FY = 2570
TEMPLATES = {template.template_id: template for template in SEED_TEMPLATES}


def window(start: int, end: int) -> MonthWindow:
    return MonthWindow(start_month=start, end_month=end)


def step(*windows: MonthWindow) -> ProcessStep:
    return ProcessStep(
        number=1,
        title_th="จัดทำแผนกำกับติดตาม",
        title_en="Make the monitoring plan",
        windows=windows,
        quality_standard_th=None,
        responsible_th="กลุ่มนโยบายและแผน",
    )


def test_the_seed_holds_the_five_processes_of_the_manual() -> None:
    assert list(TEMPLATES) == [
        "monitor-obec-policy",
        "inspection-follow-up",
        "obec-strategy-evaluation",
        "development-plan-evaluation",
        "action-plan-evaluation",
    ]
    assert [len(t.steps) for t in SEED_TEMPLATES] == [6, 6, 6, 5, 5]


@pytest.mark.parametrize("template", SEED_TEMPLATES, ids=lambda t: t.template_id)
def test_every_seed_step_is_numbered_in_order_with_valid_windows(template: ProcessTemplate) -> None:
    assert [s.number for s in template.steps] == list(range(1, len(template.steps) + 1))
    for seed_step in template.steps:
        assert seed_step.title_th and seed_step.title_en and seed_step.windows
        for month_window in seed_step.windows:
            start, end = window_dates(month_window, FY)
            assert fiscal_year(start) == FY + month_window.next_year and start <= end


def test_reporting_in_november_follows_the_september_evaluation() -> None:
    report = TEMPLATES["development-plan-evaluation"].steps[4]
    assert window_dates(report.windows[0], FY) == (date(2027, 11, 1), date(2027, 11, 30))


def test_the_seed_keeps_the_manual_windows_standards_and_owners() -> None:
    analyse = TEMPLATES["obec-strategy-evaluation"].steps[0]
    assert analyse.windows == (window(10, 2), window(3, 9))
    assert analyse.quality_standard_th == "รายงานเป็นไปตามกรอบการประเมินของ สพฐ."
    report = TEMPLATES["monitor-obec-policy"].steps[5]
    assert report.windows == (window(9, 9),)
    assert report.responsible_th is not None and "หัวหน้างานติดตามประเมินผล" in report.responsible_th
    # "2–5 build the form, evaluate, summarise, report" become four steps of one window.
    merged = TEMPLATES["action-plan-evaluation"].steps[1:]
    assert {s.windows for s in merged} == {(window(9, 10),)} and len(merged) == 4


def test_templates_reject_gaps_in_step_numbers() -> None:
    with pytest.raises(ValidationError, match=r"numbered 1\.\.n"):
        ProcessTemplate(
            template_id="gap", title_th="ทดสอบ", title_en="Gap", steps=(step(window(10, 11)),) * 2
        )
    with pytest.raises(ValidationError):
        window(0, 13)


@pytest.mark.parametrize(
    ("start", "end", "first", "last"),
    [
        (10, 11, date(2026, 10, 1), date(2026, 11, 30)),
        (9, 9, date(2027, 9, 1), date(2027, 9, 30)),
        (3, 4, date(2027, 3, 1), date(2027, 4, 30)),
        (10, 2, date(2026, 10, 1), date(2027, 2, 28)),
        (9, 10, date(2027, 9, 1), date(2027, 10, 31)),
        (11, 11, date(2026, 11, 1), date(2026, 11, 30)),
    ],
)
def test_window_dates_in_fiscal_year_2570(start: int, end: int, first: date, last: date) -> None:
    assert window_dates(window(start, end), FY) == (first, last)


def test_a_february_window_ends_on_the_leap_day() -> None:
    assert window_dates(window(2, 2), 2571) == (date(2028, 2, 1), date(2028, 2, 29))


@given(
    st.integers(1, 12),
    st.integers(1, 12),
    st.integers(2500, 2799),
)
def test_a_window_starts_in_its_year_and_lasts_at_most_a_year(
    start: int, end: int, fy: int
) -> None:
    first, last = window_dates(window(start, end), fy)
    assert first in fiscal_year_period(fy) and first.day == 1 and first.month == start
    assert last.month == end and (last + timedelta(days=1)).day == 1
    assert first < last < first.replace(year=first.year + 1)


def test_instantiate_starts_every_step() -> None:
    template = TEMPLATES["inspection-follow-up"]
    instance = instantiate(template, FY)
    assert instance.instance_id == "inspection-follow-up:2570"
    assert [(s.number, s.status) for s in instance.steps] == [
        (n, "not_started") for n in range(1, 7)
    ]


def test_a_step_is_late_the_day_after_its_window_ends() -> None:
    oct_nov = step(window(10, 11))
    waiting = StepInstance(number=1)
    working = StepInstance(number=1, status="in_progress")
    done = StepInstance(number=1, status="done", done_on=date(2026, 12, 20))
    assert step_status(oct_nov, waiting, FY, date(2026, 11, 30)) == "not_started"
    assert step_status(oct_nov, working, FY, date(2026, 11, 30)) == "in_progress"
    assert step_status(oct_nov, waiting, FY, date(2026, 12, 1)) == "late"
    assert step_status(oct_nov, working, FY, date(2026, 12, 1)) == "late"
    assert step_status(oct_nov, done, FY, date(2027, 6, 1)) == "done"


def test_a_step_with_two_windows_is_late_only_after_the_last() -> None:
    twice = step(window(10, 2), window(3, 9))
    waiting = StepInstance(number=1)
    assert step_status(twice, waiting, FY, date(2027, 3, 1)) == "not_started"
    assert step_status(twice, waiting, FY, date(2027, 9, 30)) == "not_started"
    assert step_status(twice, waiting, FY, date(2027, 10, 1)) == "late"


def test_step_status_refuses_a_mismatched_step() -> None:
    with pytest.raises(ValueError, match="not template step 1"):
        step_status(step(window(9, 9)), StepInstance(number=2), FY, date(2027, 1, 1))


def test_update_step_replaces_one_step() -> None:
    before = instantiate(TEMPLATES["action-plan-evaluation"], FY)
    after = update_step(
        before,
        1,
        "done",
        done_on=date(2027, 4, 20),
        evidence_note="บันทึกข้อความ ที่ 12/2570",
        updated_by="officer-1",
    )
    assert after.steps[0].status == "done" and after.steps[0].done_on == date(2027, 4, 20)
    assert after.steps[1:] == before.steps[1:]
    assert before.steps[0].status == "not_started"


def test_update_step_validates() -> None:
    instance = instantiate(TEMPLATES["action-plan-evaluation"], FY)
    with pytest.raises(ValueError, match="done step needs done_on"):
        update_step(instance, 2, "done")
    with pytest.raises(ValueError, match="has no step 9; its steps are 1–5"):
        update_step(instance, 9, "in_progress")
    with pytest.raises(ValueError, match="done_on is set only on a done step"):
        update_step(instance, 2, "in_progress", done_on=date(2027, 1, 1))
