"""The report builders: every report as a `Document` from a synthetic office's snapshot.

The expected figures are computed here from the generated data, independently of the
builders; the renderers are tried once per report on a smaller snapshot.
"""

import io
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest

from samples.office import FORM_ID, SampleOffice, generate_office
from services.reporting.domain.document import (
    BarChart,
    Document,
    Figures,
    Paragraph,
    Table,
    format_cell,
)
from services.reporting.domain.report_data import ReportData
from services.reporting.domain.reports import (
    NO_REPORTS_TH,
    QUARTER_EXPORT_COLUMNS,
    annual_report,
    evaluation_report,
    inspection_report,
    quarter_export,
    rates_report,
    round_report,
)
from shared.contracts.evaluation import (
    CriterionOut,
    DiscussedOut,
    EvaluationFinalised,
    InspectionIssueOut,
    InspectionRecommendationOut,
    InspectionReportUpdated,
    LevelOut,
    NodeOut,
    ProgressNoteOut,
    RecommendationOut,
    SubjectOut,
)
from shared.contracts.monitoring import (
    IndicatorProgress,
    ProjectProgressUpdated,
    Rates,
    RatesUpdated,
)
from shared.contracts.setup import Project, Unit
from shared.thai.calendar import thai_digits

FY = 2570
MADE_ON = date(2027, 5, 10)
AT = datetime(2027, 4, 20, 3, 0, tzinfo=UTC)
CENT = Decimal("0.01")
STATUSES = ("on_track", "at_risk", "off_track")
STATUS_TH = {
    "on_track": "เป็นไปตามแผน",
    "at_risk": "มีความเสี่ยง",
    "off_track": "ล่าช้ากว่าแผน",
    "no_data": "ยังไม่มีข้อมูล",
}
SECOND_FORM = "school-quality"


def pct(part: int | Decimal, whole: int | Decimal) -> Decimal:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(CENT, ROUND_HALF_UP)


def baht(satang: int) -> Decimal:
    return (Decimal(satang) / 100).quantize(CENT)


# ---------------------------------------------------------------- synthetic snapshot


def top_level(office: SampleOffice) -> list[Project]:
    return sorted((p for p in office.projects if p.parent_code is None), key=lambda p: p.code)


def spent_share(round_id: str, n: int) -> int:
    """Per cent of the budget spent to date in a round (whole per cents, by design)."""
    return {"2570-Q1": 10 + n, "2570-H1": 20 + n, "2570-Q2": 30 + 2 * n}[round_id]


def problems_in(round_id: str, n: int) -> int:
    if round_id == "2570-Q1":
        return 2 if n % 2 == 0 else 0
    if round_id == "2570-Q2":
        return 1 if n % 3 == 0 else 0
    return 0


def achievement(round_id: str, n: int, k: int) -> Decimal:
    base = {"2570-Q1": 30, "2570-H1": 45, "2570-Q2": 60}[round_id]
    return Decimal(f"{base + 7 * n + 11 * k}.25")


def progress(
    office: SampleOffice, project: Project, round_id: str, n: int
) -> ProjectProgressUpdated:
    indicators = sorted(
        (i for i in office.indicators if i.project_code == project.code), key=lambda i: i.code
    )
    spent = project.budget_satang * spent_share(round_id, n) // 100
    return ProjectProgressUpdated(
        project_code=project.code,
        round_id=round_id,
        units_reporting=5 + n,
        activity_counts={"in_progress": 3, "done": 2},
        units_with_problems=problems_in(round_id, n),
        units_with_suggestions=n % 4,
        allocated_satang=project.budget_satang,
        spent_satang=spent,
        disbursement_rate=pct(spent, project.budget_satang),
        expected_disbursement=Decimal("25.00") if round_id == "2570-Q1" else Decimal("50.00"),
        budget_status=STATUSES[n % 3],
        indicators=tuple(
            IndicatorProgress(
                code=i.code,
                name_th=i.name_th,
                unit_of_measure=i.unit_of_measure,
                direction=i.direction,
                round_actual=Decimal(k + 1),
                cumulative_actual=Decimal(k + 2),
                target=Decimal(10),
                achievement=achievement(round_id, n, k),
                status=STATUSES[(n + k) % 3],
            )
            for k, i in enumerate(indicators)
        ),
        status=STATUSES[n % 3],
        updated_at=AT,
    )


def rate_update(
    round_id: str,
    form_id: str,
    code: str,
    scope_type: str,
    expected: int,
    received: int,
    late: int,
    missing_units: tuple[str, ...] = (),
    late_units: tuple[str, ...] = (),
) -> RatesUpdated:
    return RatesUpdated(
        round_id=round_id,
        form_id=form_id,
        scope_code=code,
        scope_type=scope_type,
        rates=Rates(
            expected=expected,
            received=received,
            on_time=received - late,
            late=late,
            missing=expected - received,
            approved=0,
            returned=0,
            pending_review=received,
            rate=pct(received, expected) if expected else None,
            on_time_rate=pct(received - late, expected) if expected else None,
        ),
        late_units=late_units,
        missing_units=missing_units,
        updated_at=AT,
    )


def school_status(index: int) -> tuple[bool, bool]:
    """(received, late) of the index-th school."""
    received = index % 5 != 0
    return received, received and index % 4 == 0


def rates_of_round(
    round_id: str, form_id: str, office_code: str, schools: list[Unit], groups: list[Unit]
) -> list[RatesUpdated]:
    """Each school and group reports itself; the office counts them all."""
    updates = []
    missing: list[str] = []
    late: list[str] = []
    received_total = late_total = 0
    members = [(u, *school_status(i)) for i, u in enumerate(schools)]
    members += [(g, i % 2 == 0, False) for i, g in enumerate(groups)]
    for unit, received, is_late in members:
        updates.append(
            rate_update(
                round_id,
                form_id,
                unit.code,
                unit.unit_type,
                1,
                int(received),
                int(is_late),
                () if received else (unit.code,),
                (unit.code,) if is_late else (),
            )
        )
        received_total += received
        late_total += is_late
        if not received:
            missing.append(unit.code)
        if is_late:
            late.append(unit.code)
    office = rate_update(
        round_id,
        form_id,
        office_code,
        "office",
        len(members),
        received_total,
        late_total,
        tuple(sorted(missing)),
        tuple(sorted(late)),
    )
    return [office, *updates]


LEVELS = tuple(
    LevelOut(position=p, label_th=th, label_en=en, score=Decimal(p))
    for p, th, en in (
        (1, "กำลังพัฒนา", "developing"),
        (2, "ปานกลาง", "fair"),
        (3, "ดี", "good"),
        (4, "ดีเลิศ", "very good"),
        (5, "ยอดเยี่ยม", "excellent"),
    )
)


def evaluation(projects: list[Project], groups: list[Unit]) -> EvaluationFinalised:
    def subject(project: Project, total: str, level: int) -> SubjectOut:
        return SubjectOut(
            subject=project.code,
            name_th=project.name_th,
            total=Decimal(total),
            level=LEVELS[level],
            nodes=(
                NodeOut(
                    code="D1",
                    path="1",
                    title_th="ด้านผลผลิต",
                    depth=0,
                    weight=Decimal("0.60"),
                    score=Decimal(total),
                    level=LEVELS[level],
                ),
                NodeOut(
                    code="C10",
                    path="1.10",
                    title_th="ผลผลิตตรงตามเป้าหมาย",
                    depth=1,
                    weight=Decimal("0.30"),
                    score=None,
                    level=None,
                ),
                NodeOut(
                    code="C2",
                    path="1.2",
                    title_th="ความทันเวลา",
                    depth=1,
                    weight=Decimal("0.70"),
                    score=Decimal(total),
                    level=LEVELS[level],
                ),
            ),
            criteria=(
                CriterionOut(
                    code="C2",
                    path="1.2",
                    title_th="ความทันเวลา",
                    levels={"assessor-a": level, "assessor-b": level + 1},
                    score=Decimal(total),
                    level=LEVELS[level],
                    assessors=2,
                    spread=1,
                    stdev=Decimal("0.71"),
                    proposed_level=LEVELS[level],
                ),
            ),
        )

    return EvaluationFinalised(
        evaluation_id="EV-2570-AP",
        evaluation_type="action_plan",
        fiscal_year=FY,
        title_th="การประเมินผลแผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2570",
        framework_id="FW-AP",
        framework_version=2,
        framework_title_th="กรอบการประเมินโครงการตามแผนปฏิบัติการ",
        aggregation="median",
        scale=LEVELS,
        subject_kind="project",
        subjects=(subject(projects[1], "3.50", 2), subject(projects[0], "4.25", 3)),
        total=Decimal("3.88"),
        level=LEVELS[3],
        discussed=(
            DiscussedOut(
                criterion_code="C2", subject=projects[0].code, spread=2, note_th="ตกลงร่วมกัน"
            ),
        ),
        strengths_th=("มีการกำกับติดตามอย่างสม่ำเสมอ",),
        improvements_th=("ควรเบิกจ่ายงบประมาณให้เป็นไปตามแผน", "ควรรายงานผลให้ตรงเวลา"),
        recommendations=(
            RecommendationOut(
                unit_code=groups[1].code, unit_name_th=groups[1].name_th, text_th="เร่งรัดการเบิกจ่าย"
            ),
            RecommendationOut(
                unit_code=groups[0].code, unit_name_th=groups[0].name_th, text_th="จัดทำแผนสำรอง"
            ),
        ),
        finalisation=1,
        finalised_by="officer-01",
        finalised_at=AT,
    )


def recommendation(
    rid: str, unit: str, due: date, status: str, **more: object
) -> InspectionRecommendationOut:
    labels = {
        "open": "ยังไม่ดำเนินการ",
        "in_progress": "อยู่ระหว่างดำเนินการ",
        "done": "ดำเนินการแล้วเสร็จ",
        "not_applicable": "ไม่เกี่ยวข้อง",
    }
    return InspectionRecommendationOut.model_validate(
        {
            "recommendation_id": rid,
            "text_th": f"ข้อเสนอแนะ {rid}",
            "responsible_unit": unit,
            "due_on": due,
            "status": status,
            "status_th": labels[status],
            **more,
        }
    )


def inspection(groups: list[Unit]) -> InspectionReportUpdated:
    note = ProgressNoteOut(
        at=datetime(2027, 3, 1, 20, 0, tzinfo=UTC), by="officer-02", note_th="ประชุมชี้แจงแล้ว"
    )
    later = ProgressNoteOut(
        at=datetime(2027, 4, 1, 2, 0, tzinfo=UTC), by="officer-02", note_th="จัดอบรมครบแล้ว"
    )
    return InspectionReportUpdated(
        inspection_id="INS-2570-1",
        fiscal_year=FY,
        kind="moe_policy",
        kind_th="การตรวจราชการตามนโยบายของกระทรวงศึกษาธิการ",
        round_no=1,
        title_th="การตรวจราชการรอบที่ 1 ปีงบประมาณ พ.ศ. 2570",
        inspected_on=date(2027, 2, 3),
        inspectors_th=("ผู้ตรวจราชการ ก",),
        as_of=MADE_ON,
        issues=(
            InspectionIssueOut(
                issue_code="10",
                title_th="การพัฒนาครู",
                findings_th="ครูได้รับการพัฒนาร้อยละ 80",
                recommendations=(
                    recommendation("R-10-2", groups[1].code, date(2027, 9, 30), "in_progress"),
                    recommendation(
                        "R-10-1",
                        groups[0].code,
                        date(2027, 4, 30),
                        "done",
                        done_on=date(2027, 4, 1),
                        progress=(later, note),
                    ),
                ),
            ),
            InspectionIssueOut(
                issue_code="2",
                title_th="ความปลอดภัยในสถานศึกษา",
                findings_th=None,
                recommendations=(
                    recommendation(
                        "R-2-1", groups[2].code, date(2027, 3, 31), "open", progress=(note,)
                    ),
                    recommendation("R-2-2", groups[2].code, date(2027, 1, 31), "not_applicable"),
                ),
            ),
        ),
        counts={"open": 1, "in_progress": 1, "done": 1, "not_applicable": 1, "total": 4},
        complete=False,
        updated_at=AT,
    )


def snapshot(office: SampleOffice) -> ReportData:
    projects = top_level(office)
    groups = sorted((u for u in office.units if u.unit_type == "group"), key=lambda u: u.code)
    schools = sorted(office.schools, key=lambda u: u.code)
    reported = projects[:-1]  # the last project never reports
    records = [
        progress(office, project, round_id, n)
        for round_id in ("2570-Q1", "2570-H1", "2570-Q2")
        for n, project in enumerate(reported)
    ]
    activity = next(p for p in office.projects if p.parent_code is not None)
    records.append(progress(office, activity, "2570-Q2", 0))
    rates = rates_of_round("2570-Q1", FORM_ID, office.office_code, schools, groups)
    for form_id in (FORM_ID, SECOND_FORM):
        rates += rates_of_round("2570-Q2", form_id, office.office_code, schools, groups)
    return ReportData(
        made_on=MADE_ON,
        units={u.code: u for u in office.units},
        rounds=tuple(office.rounds),
        plans=tuple(office.plans),
        projects=tuple(office.projects),
        indicators=tuple(office.indicators),
        rates=tuple(rates),
        progress=tuple(records),
        evaluations=(evaluation(projects, groups),),
        inspections=(inspection(groups),),
    )


@pytest.fixture(scope="module")
def office() -> SampleOffice:
    return generate_office(schools=30)


@pytest.fixture(scope="module")
def data(office: SampleOffice) -> ReportData:
    return snapshot(office)


# ---------------------------------------------------------------- helpers


def table(document: Document, title_part: str) -> Table:
    found = [t for t in document.tables() if title_part in t.title_th]
    assert len(found) == 1, [t.title_th for t in document.tables()]
    return found[0]


def headings(document: Document) -> list[str]:
    return [s.heading_th for s in document.sections]


def paragraphs(document: Document) -> list[str]:
    return [b.text_th for s in document.sections for b in s.blocks if isinstance(b, Paragraph)]


def figures(document: Document) -> dict[str, object]:
    return {
        item.label_th: item.value
        for s in document.sections
        for b in s.blocks
        if isinstance(b, Figures)
        for item in b.items
    }


def charts(document: Document) -> list[BarChart]:
    return [b for s in document.sections for b in s.blocks if isinstance(b, BarChart)]


def all_builders(data: ReportData, *, digits: bool = False) -> list[Document]:
    return [
        annual_report(data, FY, thai_digits=digits),
        round_report(data, "2570-Q2", thai_digits=digits),
        rates_report(data, "2570-Q1", thai_digits=digits),
        evaluation_report(data, "EV-2570-AP", thai_digits=digits),
        inspection_report(data, "INS-2570-1", thai_digits=digits),
        quarter_export(data, FY, 2, thai_digits=digits),
    ]


# ---------------------------------------------------------------- annual


def test_annual_report_totals_projects_and_indicators(
    office: SampleOffice, data: ReportData
) -> None:
    document = annual_report(data, FY)
    projects = top_level(office)
    assert document.report_type == "annual"
    assert document.title_th == "รายงานผลการดำเนินงานประจำปีงบประมาณ พ.ศ. 2570"
    assert document.file_stem == "รายงานผลการดำเนินงานประจำปี-2570"
    assert document.office_th == data.office_name and document.made_on == MADE_ON
    assert [s.heading_th for s in document.sections if s.level == 1] == [
        "1. บทสรุปผู้บริหาร",
        "2. กลยุทธ์และโครงการตามแผนปฏิบัติการ",
        "3. ผลการดำเนินงานตามตัวชี้วัด",
        "4. งบประมาณและการเบิกจ่าย",
        "5. ปัญหาอุปสรรคและข้อเสนอแนะ",
        "6. ผลการประเมินและการติดตามผลการตรวจราชการ",
    ]
    first_strategies = sorted({min(p.strategy_codes) for p in projects if p.strategy_codes})
    assert [s.heading_th for s in document.sections if s.level == 2] == [
        f"2.{n} {code}" for n, code in enumerate(first_strategies, start=1)
    ]
    assert document.cover is not None and document.contents
    assert [s.role_th for s in document.signatures] == ["ผู้รายงาน", "ผู้เห็นชอบ"]
    # Q2 and H1 both end on 31 March; the narrower Q2 (the later start) is the latest
    allocated = sum(p.budget_satang for p in projects)
    spent = sum(
        p.budget_satang * spent_share("2570-Q2", n) // 100 for n, p in enumerate(projects[:-1])
    )
    project_tables = [t for t in document.tables() if t.sheet_th.startswith("โครงการ")]
    rows = sorted((row for t in project_tables for row in t.rows), key=lambda r: str(r[0]))
    assert [row[0] for row in rows] == [p.code for p in projects]
    first = projects[0]
    assert rows[0] == (
        first.code,
        first.name_th,
        data.units[first.responsible_unit].name_th,
        baht(first.budget_satang),
        baht(first.budget_satang * spent_share("2570-Q2", 0) // 100),
        pct(first.budget_satang * spent_share("2570-Q2", 0) // 100, first.budget_satang),
        STATUS_TH["on_track"],
    )
    assert rows[-1][4:] == (None, None, STATUS_TH["no_data"])
    by_strategy = table(document, "จำแนกตามกลยุทธ์")
    assert by_strategy.total_row is not None
    assert by_strategy.total_row[:5] == (
        "รวม",
        len(projects),
        baht(allocated),
        baht(spent),
        pct(spent, allocated),
    )
    assert sum(row[1] for row in by_strategy.rows) == len(projects)  # type: ignore[misc]
    figs = figures(document)
    assert figs["จำนวนโครงการ"] == len(projects)
    assert figs["งบประมาณที่ได้รับจัดสรรทั้งสิ้น (บาท)"] == baht(allocated)
    assert figs["งบประมาณที่ใช้ไป (บาท)"] == baht(spent)
    assert figs["ร้อยละการเบิกจ่ายงบประมาณ"] == pct(spent, allocated)
    q2_office = next(
        r
        for r in data.rates
        if r.round_id == "2570-Q2" and r.scope_type == "office" and r.form_id == FORM_ID
    )
    assert q2_office.rates.rate is not None
    pooled = pct(q2_office.rates.received * 2, q2_office.rates.expected * 2)
    assert figs["อัตราการส่งรายงานของสำนักงาน (ไตรมาสที่ 2 ปีงบประมาณ พ.ศ. 2570)"] == pooled

    # every indicator of the year's projects and activities; on track as reported in Q2
    codes = {p.code for p in office.projects}
    indicators = [i for i in office.indicators if i.project_code in codes]
    indicator_rows = table(document, "ตัวชี้วัดเทียบกับค่าเป้าหมาย").rows
    assert len(indicator_rows) == len(indicators)
    assert {row[0] for row in indicator_rows} == {i.code for i in indicators}
    on_track = sum(1 for row in indicator_rows if row[-1] == STATUS_TH["on_track"])
    activity = next(p for p in office.projects if p.parent_code is not None)
    reported = [*((p, n) for n, p in enumerate(projects[:-1])), (activity, 0)]
    expected_on_track = sum(
        1
        for p, n in reported
        for k in range(len([i for i in indicators if i.project_code == p.code]))
        if (n + k) % 3 == 0
    )
    assert figs["ตัวชี้วัดที่เป็นไปตามแผน"] == on_track == expected_on_track
    assert figs["ตัวชี้วัดทั้งหมด"] == len(indicators)

    achievement_chart, strategy_chart, group_chart = charts(document)
    assert achievement_chart.target == Decimal(100)
    assert achievement_chart.labels == tuple(p.name_th for p in projects)
    n_indicators = len([i for i in indicators if i.project_code == first.code])
    mean0 = sum((achievement("2570-Q2", 0, k) for k in range(n_indicators)), Decimal(0))
    mean0 /= n_indicators
    assert achievement_chart.series[0].values[0] == mean0.quantize(CENT, ROUND_HALF_UP)
    assert achievement_chart.series[0].values[-1] is None
    assert set(strategy_chart.series[1].values) == {Decimal("50.00")}  # Q2's target
    assert len(group_chart.labels) == len(table(document, "จำแนกตามหน่วยงานรับผิดชอบ").rows)

    problem_rows = table(document, "จำแนกตามโครงการ").rows
    assert problem_rows[0][2:] == (5, problems_in("2570-Q2", 0), 0)

    evaluation_recs = table(document, "ข้อเสนอแนะจากการประเมินผล").rows
    groups = sorted((u for u in office.units if u.unit_type == "group"), key=lambda u: u.code)
    assert [row[1] for row in evaluation_recs] == [groups[0].name_th, groups[1].name_th]
    open_recs = table(document, "ข้อเสนอแนะจากการตรวจราชการ").rows
    assert [row[1] for row in open_recs] == ["ข้อเสนอแนะ R-2-1", "ข้อเสนอแนะ R-10-2"]
    results = table(document, "ผลการประเมินที่สรุปแล้ว").rows
    assert results == (
        (
            "การประเมินผลแผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2570",
            "กรอบการประเมินโครงการตามแผนปฏิบัติการ",
            Decimal("3.88"),
            "ดีเลิศ",
        ),
    )


def test_annual_report_of_a_year_without_projects_says_so(data: ReportData) -> None:
    document = annual_report(data, 2571)
    assert "ยังไม่มีข้อมูลโครงการของปีงบประมาณนี้" in paragraphs(document)
    assert all(not t.rows for t in document.tables())
    assert figures(document)["จำนวนโครงการ"] == 0
    assert figures(document)["งบประมาณที่ใช้ไป (บาท)"] is None


# ---------------------------------------------------------------- round


def test_round_report_rates_lists_and_progress(office: SampleOffice, data: ReportData) -> None:
    document = round_report(data, "2570-Q1")
    schools = sorted(office.schools, key=lambda u: u.code)
    groups = sorted((u for u in office.units if u.unit_type == "group"), key=lambda u: u.code)
    assert document.title_th == "รายงานผลการติดตามความก้าวหน้า ไตรมาสที่ 1 ปีงบประมาณ พ.ศ. 2570"
    assert document.file_stem == "รายงานผลการติดตาม-2570-Q1"
    assert "1. ภาพรวมการส่งรายงาน" in headings(document)
    assert NO_REPORTS_TH not in paragraphs(document)

    statuses = [school_status(i) for i in range(len(schools))]
    received = sum(r for r, _ in statuses) + sum(1 for i in range(len(groups)) if i % 2 == 0)
    late = sum(lt for _, lt in statuses)
    expected = len(schools) + len(groups)
    figs = figures(document)
    assert figs["หน่วยงานที่ต้องรายงาน"] == expected
    assert figs["ส่งรายงานแล้ว"] == received
    assert figs["ส่งล่าช้า"] == late
    assert figs["อัตราการส่งรายงาน"] == pct(received, expected)
    assert figs["อัตราการส่งรายงานตรงเวลา"] == pct(received - late, expected)

    group_rows = table(document, "จำแนกตามกลุ่ม").rows
    assert [row[0] for row in group_rows] == [g.code for g in groups]
    assert group_rows[0][2:] == (1, 1, 1, 0, 0, Decimal("100.00"), Decimal("100.00"))
    chart = charts(document)[0]
    assert chart.title_th == "อัตราการรายงานจำแนกตามกลุ่ม/เครือข่าย"
    assert chart.labels == tuple(g.name_th for g in groups)

    unit_rows = table(document, "อัตราการส่งรายงานรายหน่วยงาน").rows
    assert [row[0] for row in unit_rows] == [s.code for s in schools]
    assert unit_rows[0][2] is None  # directly under the office the header names

    missing = [s.code for i, s in enumerate(schools) if not statuses[i][0]]
    missing += [g.code for i, g in enumerate(groups) if i % 2 == 1]
    missing_rows = table(document, "ยังไม่ส่งรายงาน").rows
    assert [row[0] for row in missing_rows] == sorted(missing)
    assert missing_rows[0][1] == data.unit_name(sorted(missing)[0])
    late_rows = table(document, "ส่งรายงานล่าช้า").rows
    assert [row[0] for row in late_rows] == sorted(
        s.code for i, s in enumerate(schools) if statuses[i][1]
    )

    projects = top_level(office)
    project_rows = table(document, "ความก้าวหน้าของโครงการ").rows
    assert [row[0] for row in project_rows] == [p.code for p in projects]
    assert project_rows[1][4] == baht(projects[1].budget_satang * spent_share("2570-Q1", 1) // 100)
    indicator_rows = table(document, "ตัวชี้วัดเทียบกับค่าเป้าหมาย").rows
    first_row = next(row for row in indicator_rows if row[0] == projects[0].code)
    assert first_row[4:] == (
        Decimal(10),
        Decimal(1),
        Decimal(2),
        achievement("2570-Q1", 0, 0),
        STATUS_TH["on_track"],
    )
    lagging = table(document, "มีความเสี่ยงหรือล่าช้า").rows
    assert [row[0] for row in lagging] == [
        p.code for n, p in enumerate(projects[:-1]) if STATUSES[n % 3] != "on_track"
    ]
    assert not table(document, "โครงการที่พบปัญหาอุปสรรคซ้ำ").rows  # Q1 is the year's first round


def test_round_report_recurring_problems_and_form_column(
    office: SampleOffice, data: ReportData
) -> None:
    document = round_report(data, "2570-Q2")
    projects = top_level(office)[:-1]
    recurring = table(document, "โครงการที่พบปัญหาอุปสรรคซ้ำ").rows
    expected = [
        p.code
        for n, p in enumerate(projects)
        if problems_in("2570-Q2", n) and problems_in("2570-Q1", n)
    ]
    assert expected and [row[0] for row in recurring] == expected
    assert all(row[3] == 2 and row[4] == "2570-Q1, 2570-Q2" for row in recurring)
    # two forms in Q2: the rate tables say which form each row is
    units = table(document, "อัตราการส่งรายงานรายหน่วยงาน")
    assert units.columns[0].title_th == "แบบรายงาน"
    assert {row[0] for row in units.rows} == {FORM_ID, SECOND_FORM}
    assert len(units.rows) == 2 * len(office.schools)
    assert len(charts(document)[0].series) == 2


def test_a_round_with_nothing_says_so(data: ReportData) -> None:
    for document in (round_report(data, "2570-Q4"), rates_report(data, "2570-Q4")):
        assert NO_REPORTS_TH in paragraphs(document)
        assert document.tables() and all(not t.rows for t in document.tables())
        assert all(t.empty_th for t in document.tables())
    export = quarter_export(data, FY, 4)
    assert "ยังไม่มีข้อมูลการรายงานความก้าวหน้าโครงการในไตรมาสนี้" in paragraphs(export)
    assert figures(export)["รอบการรายงานที่ใช้"] is None
    assert all(row[4:] == (None,) * 5 + ("ยังไม่มีข้อมูล",) for row in export.tables()[0].rows)


def test_unknown_ids_raise_key_error(data: ReportData) -> None:
    calls: list[Callable[[], Document]] = [
        lambda: round_report(data, "2570-Z9"),
        lambda: rates_report(data, "2570-Z9"),
        lambda: evaluation_report(data, "none"),
        lambda: inspection_report(data, "none"),
    ]
    for call in calls:
        with pytest.raises(KeyError):
            call()


# ---------------------------------------------------------------- rates


def test_rates_report_of_two_thousand_schools() -> None:
    obec = Unit(code="OBEC", unit_type="obec", name_th="สำนักงานคณะกรรมการการศึกษาขั้นพื้นฐาน")
    office = Unit(code="SESA-99", unit_type="office", name_th="สำนักงานเขตทดสอบ", parent_code="OBEC")
    groups = [
        Unit(code=f"NET-{n}", unit_type="group", name_th=f"เครือข่ายที่ {n}", parent_code="SESA-99")
        for n in range(1, 5)
    ]
    schools = [
        Unit(
            code=f"{1099000000 + n}",
            unit_type="school",
            name_th=f"โรงเรียนทดสอบ {n}",
            parent_code=groups[n % 4].code,
        )
        for n in range(2000)
    ]
    rounds = generate_office(schools=2).rounds
    updates = rates_of_round("2570-Q1", FORM_ID, office.code, schools, [])
    updates += [rate_update("2570-Q1", FORM_ID, g.code, "group", 500, 400, 100) for g in groups]
    data = ReportData(
        made_on=MADE_ON,
        units={u.code: u for u in (obec, office, *groups, *schools)},
        rounds=tuple(rounds),
        rates=tuple(reversed(updates)),
    )
    document = rates_report(data, "2570-Q1")
    assert document.report_type == "rates"
    assert document.title_th == "สรุปอัตราการส่งรายงาน ไตรมาสที่ 1 ปีงบประมาณ พ.ศ. 2570"
    assert document.file_stem == "สรุปอัตราการส่งรายงาน-2570-Q1"
    rows = table(document, "รายหน่วยงาน").rows
    assert len(rows) == 2000
    assert [row[0] for row in rows] == sorted(s.code for s in schools)
    assert rows[3] == (
        "1099000003",
        "โรงเรียนทดสอบ 3",
        "เครือข่ายที่ 4",
        1,
        1,
        1,
        0,
        0,
        Decimal("100.00"),
        Decimal("100.00"),
    )
    assert [row[1] for row in table(document, "กลุ่ม").rows] == [g.name_th for g in groups]
    received = sum(school_status(i)[0] for i in range(2000))
    assert figures(document)["อัตราการส่งรายงาน"] == pct(received, 2000)


# ---------------------------------------------------------------- evaluation


def test_evaluation_report(office: SampleOffice, data: ReportData) -> None:
    document = evaluation_report(data, "EV-2570-AP")
    projects = top_level(office)
    assert document.report_type == "evaluation"
    assert document.title_th == "รายงานผลการประเมินผลแผนปฏิบัติการประจำปีงบประมาณ พ.ศ. 2570"
    assert document.file_stem == "รายงานผลการประเมิน-EV-2570-AP"
    figs = figures(document)
    assert figs["วิธีสรุปผลจากผู้ประเมิน"] == "มัธยฐาน"
    assert figs["กรอบการประเมิน"] == "กรอบการประเมินโครงการตามแผนปฏิบัติการ"
    assert figs["กรอบการประเมินฉบับที่"] == 2
    assert figs["จำนวนโครงการที่ประเมิน"] == 2
    assert figs["คะแนนรวม"] == Decimal("3.88") and figs["ระดับคุณภาพ"] == "ดีเลิศ"
    totals = table(document, "ผลการประเมินรายโครงการ")
    assert totals.rows == (
        (projects[0].code, projects[0].name_th, Decimal("4.25"), "ดีเลิศ"),
        (projects[1].code, projects[1].name_th, Decimal("3.50"), "ดี"),
    )
    level_two = [s for s in document.sections if s.level == 2]
    assert [s.heading_th for s in level_two] == [f"{p.code} {p.name_th}" for p in projects[:2]]
    node_table = level_two[0].blocks[0]
    assert isinstance(node_table, Table)
    assert [row[0] for row in node_table.rows] == ["1", "1.2", "1.10"]
    agreement = table(document, "ความสอดคล้อง").rows
    assert agreement[0] == (projects[0].code, "1.2", "ความทันเวลา", 2, 1, Decimal("0.71"), "ดีเลิศ")
    assert "2. ควรรายงานผลให้ตรงเวลา" in paragraphs(document)
    assert [row[2] for row in table(document, "ข้อเสนอแนะจำแนกตามหน่วยงาน").rows] == [
        "จัดทำแผนสำรอง",
        "เร่งรัดการเบิกจ่าย",
    ]


# ---------------------------------------------------------------- inspection


def test_inspection_report_issues_follow_up_and_overdue(
    office: SampleOffice, data: ReportData
) -> None:
    document = inspection_report(data, "INS-2570-1")
    assert document.report_type == "inspection"
    assert document.title_th == "รายงานผลการตรวจราชการรอบที่ 1 ปีงบประมาณ พ.ศ. 2570"
    figs = figures(document)
    assert figs["วันที่ตรวจราชการ"] == "3 กุมภาพันธ์ 2570"
    assert figs["ข้อเสนอแนะที่ยังไม่ดำเนินการ"] == 1
    assert figs["ข้อเสนอแนะที่ดำเนินการแล้วเสร็จ"] == 1
    assert figs["ข้อเสนอแนะที่เกินกำหนด (ณ วันที่ 10 พฤษภาคม 2570)"] == 1
    issues = [s for s in document.sections if s.level == 2]
    assert [s.heading_th for s in issues] == [
        "ประเด็นที่ 2 ความปลอดภัยในสถานศึกษา",
        "ประเด็นที่ 10 การพัฒนาครู",
    ]
    first = issues[0].blocks
    assert isinstance(first[0], Paragraph) and "ยังไม่มีการบันทึกผลการตรวจ" in first[0].text_th
    assert isinstance(first[1], Table)
    groups = sorted((u for u in office.units if u.unit_type == "group"), key=lambda u: u.code)
    assert first[1].rows[0] == (
        "R-2-1",
        "ข้อเสนอแนะ R-2-1",
        groups[2].name_th,
        date(2027, 3, 31),
        "ยังไม่ดำเนินการ",
        None,
        "2 มีนาคม 2570: ประชุมชี้แจงแล้ว",  # 20:00 UTC is the next day in Thailand
        f"เกินกำหนด {(MADE_ON - date(2027, 3, 31)).days} วัน",
    )
    assert first[1].rows[1][-1] is None  # not applicable is never overdue
    second = issues[1].blocks[1]
    assert isinstance(second, Table)
    assert [row[0] for row in second.rows] == ["R-10-1", "R-10-2"]
    assert second.rows[0][5:] == (date(2027, 4, 1), "1 เมษายน 2570: จัดอบรมครบแล้ว", None)
    assert [row[1] for row in table(document, "เกินกำหนด ณ วันที่").rows] == ["R-2-1"]


# ---------------------------------------------------------------- quarter export


def test_quarter_export_layout_and_rows(office: SampleOffice, data: ReportData) -> None:
    document = quarter_export(data, FY, 2)
    assert document.report_type == "quarter_export"
    assert document.file_stem == "ส่งออกความก้าวหน้าโครงการ-2570-ไตรมาส2"
    (only,) = document.tables()
    assert tuple(c.title_th for c in only.columns) == QUARTER_EXPORT_COLUMNS
    assert only.sheet_th == "ไตรมาส2-2570" and only.total_row is None
    assert figures(document)["รอบการรายงานที่ใช้"] == "ไตรมาสที่ 2 ปีงบประมาณ พ.ศ. 2570"
    projects = top_level(office)
    assert [row[0] for row in only.rows] == [p.code for p in projects]
    first = projects[0]
    indicators = sorted(
        (i for i in office.indicators if i.project_code == first.code), key=lambda i: i.code
    )
    results = [achievement("2570-Q2", 0, k) for k in range(len(indicators))]
    spent = first.budget_satang * spent_share("2570-Q2", 0) // 100  # Q2 before H1 (same end)
    assert only.rows[0] == (
        first.code,
        first.name_th,
        data.units[first.responsible_unit].name_th,
        baht(first.budget_satang),
        baht(spent),
        pct(spent, first.budget_satang),
        (sum(results, Decimal(0)) / len(results)).quantize(CENT, ROUND_HALF_UP),
        "; ".join(f"I{k + 1}: {format_cell(v, 'percent')}" for k, v in enumerate(results)),
        "1 หน่วยงานรายงานปัญหา",
        STATUS_TH["on_track"],
    )
    assert only.rows[1][8] == ""  # no problems reported
    assert only.rows[-1][4:] == (None,) * 5 + ("ยังไม่มีข้อมูล",)


def test_quarter_export_falls_back_to_rounds_before_the_quarter(
    office: SampleOffice, data: ReportData
) -> None:
    # with no round ending within Q3, the export takes the latest round before it (Q2)
    rounds = tuple(r for r in data.rounds if r.round_id != "2570-Q3")
    document = quarter_export(replace(data, rounds=rounds), FY, 3)
    first = top_level(office)[0]
    spent = first.budget_satang * spent_share("2570-Q2", 0) // 100
    assert document.tables()[0].rows[0][4] == baht(spent)
    with_q3 = quarter_export(data, FY, 3)  # Q3 exists but has no progress
    assert with_q3.tables()[0].rows[0][4] is None


# ---------------------------------------------------------------- stability, digits


def test_same_data_gives_the_same_documents(data: ReportData) -> None:
    shuffled = replace(
        data,
        rounds=tuple(reversed(data.rounds)),
        projects=tuple(reversed(data.projects)),
        indicators=tuple(reversed(data.indicators)),
        rates=tuple(reversed(data.rates)),
        progress=tuple(reversed(data.progress)),
        units=dict(reversed(list(data.units.items()))),
    )
    assert all_builders(data) == all_builders(data)
    assert all_builders(data) == all_builders(shuffled)


def test_thai_digits_in_text_but_not_in_cells(data: ReportData) -> None:
    for plain, thai in zip(all_builders(data), all_builders(data, digits=True), strict=True):
        assert thai.thai_digits and thai.file_stem == plain.file_stem
        assert thai.title_th == thai_digits(plain.title_th)
        assert headings(thai) == [thai_digits(h) for h in headings(plain)]
        assert [t.rows for t in thai.tables()] == [t.rows for t in plain.tables()]
        assert [t.columns for t in thai.tables()] == [t.columns for t in plain.tables()]
    assert annual_report(data, FY, thai_digits=True).title_th.endswith("๒๕๗๐")


# ---------------------------------------------------------------- renderers


def small(data: ReportData, office: SampleOffice) -> ReportData:
    """Four projects, ten schools: enough to render every kind of block quickly."""
    keep = {p.code for p in top_level(office)[:3]} | {top_level(office)[-1].code}
    schools = {s.code for s in sorted(office.schools, key=lambda u: u.code)[10:]}
    return replace(
        data,
        projects=tuple(p for p in data.projects if p.code in keep),
        rates=tuple(r for r in data.rates if r.scope_code not in schools),
    )


@pytest.mark.parametrize("index", range(6), ids=lambda i: f"report{i}")
def test_every_report_renders_as_pdf_and_xlsx(
    office: SampleOffice, data: ReportData, index: int
) -> None:
    pdf = pytest.importorskip("services.reporting.adapters.pdf")
    xlsx = pytest.importorskip("services.reporting.adapters.xlsx")
    openpyxl = pytest.importorskip("openpyxl")
    document = all_builders(small(data, office))[index]
    assert pdf.render_pdf(document).startswith(b"%PDF")
    workbook = openpyxl.load_workbook(io.BytesIO(xlsx.render_xlsx(document)))
    assert len(workbook.sheetnames) == 1 + len(document.tables())
    if document.report_type == "quarter_export":
        header = next(workbook.worksheets[1].iter_rows(max_row=1, values_only=True))
        assert header == QUARTER_EXPORT_COLUMNS
        csv_text = xlsx.render_csv(document.tables()[0]).decode("utf-8-sig")
        assert csv_text.startswith(",".join(QUARTER_EXPORT_COLUMNS) + "\r\n")


def test_round_report_lists_problems_with_the_unresolved_ones_carried() -> None:
    from samples.office import generate_office as sample_office
    from samples.reports import report_data

    data = report_data(sample_office(schools=60))
    q1, q2 = "2570-Q1", "2570-Q2"
    carried = sorted(
        (p.unit_code, "ยกมาจากรอบก่อน ยังไม่ได้แก้ไข")
        for p in data.problems
        if p.round_id == q1 and p.resolved_at is None and p.problems
    )
    here = sorted((p.unit_code, "ยังไม่ได้แก้ไข") for p in data.problems if p.round_id == q2)
    tables = {t.sheet_th: t for t in round_report(data, q2).tables()}
    listed = tables["ปัญหาอุปสรรคและข้อเสนอแนะ"]
    assert sorted((str(row[0]), str(row[5])) for row in listed.rows) == sorted(carried + here)
    twice = {p.unit_code for p in data.problems if p.round_id == q1} & {
        p.unit_code for p in data.problems if p.round_id == q2
    }
    assert {row[0] for row in tables["หน่วยงานที่พบปัญหาซ้ำ"].rows} == twice
    open_in_year = {p.problem_id for p in data.problems if p.resolved_at is None}
    annual = {t.sheet_th: t for t in annual_report(data, 2570).tables()}
    assert len(annual["ปัญหาที่ยังไม่แก้ไข"].rows) == len(open_in_year)


def test_evaluation_report_gives_the_reasons_for_other_levels_than_proposed() -> None:
    from samples.office import generate_office as sample_office
    from samples.reports import report_data

    data = report_data(sample_office(schools=20))
    final = data.evaluations[0]
    expected = sorted(
        (s.subject, c.path, a, reason)
        for s in final.subjects
        for c in s.criteria
        for a, reason in c.overrides.items()
    )
    assert expected, "the sample has overrides"
    document = evaluation_report(data, final.evaluation_id)
    table = next(t for t in document.tables() if t.sheet_th == "เหตุผลที่ต่างจากระดับที่เสนอ")
    assert sorted((r[0], r[1], r[3], r[5]) for r in table.rows) == expected
