"""Which figures the annual report takes: each project's latest round of the year by the
rounds' period end among rounds with reports, never the highest round id.

The rounds' ids sort against their dates: "2570-Y" (the 12-month round, not yet open,
announced with nothing reported) sorts after "2570-Q1", which sorts after "2570-DEMO",
whose period ends last of those with reports.
"""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from samples.office import FORM_ID, generate_office
from services.reporting.domain.document import Document, Figures, Paragraph
from services.reporting.domain.report_data import ReportData
from services.reporting.domain.reports import annual_report
from shared.contracts.monitoring import ProjectProgressUpdated, Rates, RatesUpdated
from shared.contracts.setup import Project, Round

FY = 2570
AT = datetime(2027, 4, 20, 3, 0, tzinfo=UTC)


def demo_round() -> Round:
    """A custom round over Q1 and Q2, its id sorting before every standard one."""
    return Round(
        round_id=f"{FY}-DEMO",
        fiscal_year=FY,
        round_type="custom",
        name_th="รอบสาธิต",
        period_start=date(2026, 10, 1),
        period_end=date(2027, 3, 31),
        opens_on=date(2027, 3, 25),
        due_on=date(2027, 4, 15),
        closes_on=date(2027, 4, 30),
    )


def progress(
    project: Project, round_id: str, units: int, spent_share: int
) -> ProjectProgressUpdated:
    spent = project.budget_satang * spent_share // 100 if units else None
    return ProjectProgressUpdated(
        project_code=project.code,
        round_id=round_id,
        units_reporting=units,
        activity_counts={},
        allocated_satang=project.budget_satang,
        spent_satang=spent,
        disbursement_rate=Decimal(spent_share) if units else None,
        expected_disbursement=Decimal(55),
        budget_status="on_track" if units else "no_data",
        status="on_track" if units else "no_data",
        updated_at=AT,
    )


def office_rates(round_id: str, office_code: str, received: int) -> RatesUpdated:
    rate = Decimal(received * 10).quantize(Decimal("0.01"))
    return RatesUpdated(
        round_id=round_id,
        form_id=FORM_ID,
        scope_code=office_code,
        scope_type="office",
        rates=Rates(
            expected=10,
            received=received,
            on_time=received,
            late=0,
            missing=10 - received,
            approved=0,
            returned=0,
            pending_review=received,
            rate=rate,
            on_time_rate=rate,
        ),
        updated_at=AT,
    )


@pytest.fixture(scope="module")
def data() -> ReportData:
    office = generate_office(schools=3)
    projects = sorted((p for p in office.projects if p.parent_code is None), key=lambda p: p.code)
    records = [progress(p, f"{FY}-Q1", 2, 10) for p in projects]
    records += [progress(p, f"{FY}-DEMO", 3, 40) for p in projects[1:]]
    records += [progress(p, f"{FY}-Y", 0, 0) for p in projects]  # announced, nothing reported
    rates = [
        office_rates(f"{FY}-Q1", office.office_code, 6),
        office_rates(f"{FY}-DEMO", office.office_code, 8),
        office_rates(f"{FY}-Y", office.office_code, 0),
    ]
    return ReportData(
        made_on=date(2027, 4, 20),
        units={u.code: u for u in office.units},
        rounds=(*office.rounds, demo_round()),
        plans=tuple(office.plans),
        projects=tuple(office.projects),
        indicators=tuple(office.indicators),
        rates=tuple(rates),
        progress=tuple(records),
    )


def project_rows(document: Document) -> list[tuple[object, ...]]:
    """The rows of every strategy's project table, in project code order."""
    tables = [t for t in document.tables() if t.sheet_th.startswith("โครงการ")]
    return sorted((row for t in tables for row in t.rows), key=lambda row: str(row[0]))


def texts(document: Document) -> list[str]:
    return [b.text_th for s in document.sections for b in s.blocks if isinstance(b, Paragraph)]


def test_each_project_takes_its_latest_round_with_reports_by_period_end(
    data: ReportData,
) -> None:
    rows = project_rows(annual_report(data, FY))
    spent_share = [row[5] for row in rows]
    # the first project reported only in Q1; the others in DEMO too, which ends later
    assert spent_share[0] == Decimal("10.00")
    assert set(spent_share[1:]) == {Decimal("40.00")}


def test_the_report_says_which_round_and_date_the_figures_come_from(data: ReportData) -> None:
    stated = [t for t in texts(annual_report(data, FY)) if "ผลสะสมตั้งแต่ต้นปีงบประมาณ" in t]
    assert len(stated) == 1
    assert "31 มีนาคม 2570" in stated[0] and "รอบสาธิต" in stated[0]
    assert "แสดงผลจากรอบล่าสุดที่รายงาน" in stated[0]  # the first project's come from Q1


def test_the_office_rate_is_the_latest_round_with_reports(data: ReportData) -> None:
    document = annual_report(data, FY)
    figures = {
        item.label_th: item.value
        for s in document.sections
        for b in s.blocks
        if isinstance(b, Figures)
        for item in b.items
    }
    assert figures["อัตราการส่งรายงานของสำนักงาน (รอบสาธิต)"] == Decimal("80.00")


def test_a_year_whose_rounds_have_no_reports_says_so(data: ReportData) -> None:
    empty = ReportData(
        made_on=data.made_on,
        units=data.units,
        rounds=data.rounds,
        plans=data.plans,
        projects=data.projects,
        indicators=data.indicators,
        rates=tuple(r for r in data.rates if r.round_id == f"{FY}-Y"),
        progress=tuple(p for p in data.progress if p.round_id == f"{FY}-Y"),
    )
    document = annual_report(empty, FY)
    assert not any("ผลสะสมตั้งแต่ต้นปีงบประมาณ" in t for t in texts(document))
    assert all(row[4] is None for row in project_rows(document))
