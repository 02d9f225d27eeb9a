"""Synthetic states for reports: what monitoring and evaluation would have announced.

`report_data(office)` gives a `ReportData` for a sample office: rates of every unit and of
the office in the first `rounds_done` rounds, each project's cumulative progress per round,
one finalised action-plan evaluation and one inspection with its follow-up. Deterministic
for a seed; everything is synthetic. Tests compute their expectations from these models;
the benchmark and the sample pages in docs/samples use them too.
"""

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from itertools import pairwise

from samples.office import FORM_ID, SampleOffice, build_rounds, build_strategies
from services.reporting.domain.report_data import ReportData
from shared.contracts.evaluation import (
    CriterionOut,
    EvaluationFinalised,
    InspectionIssueOut,
    InspectionRecommendationOut,
    InspectionReportUpdated,
    LevelOut,
    NodeOut,
    RecommendationOut,
    SubjectOut,
)
from shared.contracts.monitoring import (
    IndicatorProgress,
    ProblemUpdated,
    ProjectProgressUpdated,
    Rates,
    RatesUpdated,
)
from shared.contracts.setup import Round, Unit
from shared.thai.numbers import percent

TWO = Decimal("0.01")
FIVE_LEVELS = tuple(
    LevelOut(position=i, label_th=th, label_en=en, score=Decimal(i))
    for i, (th, en) in enumerate(
        (
            ("กำลังพัฒนา", "developing"),
            ("ปานกลาง", "fair"),
            ("ดี", "good"),
            ("ดีเลิศ", "very good"),
            ("ยอดเยี่ยม", "excellent"),
        ),
        start=1,
    )
)


def _at(day: date) -> datetime:
    return datetime.combine(day, time(3, 0), tzinfo=UTC)


def _rates(
    rng: random.Random, round_: Round, units: list[Unit]
) -> tuple[list[RatesUpdated], RatesUpdated]:
    """One row per reporting unit (expected, reported on time, late or missing) and the office."""
    rows = []
    totals = {"expected": 0, "received": 0, "on_time": 0, "late": 0, "missing": 0}
    late_units, missing_units = [], []
    for unit in units:
        draw = rng.random()
        received, late = (1, 0) if draw < 0.78 else (1, 1) if draw < 0.9 else (0, 0)
        on_time = received - late
        missing = 1 - received
        for name, value in (
            ("expected", 1),
            ("received", received),
            ("on_time", on_time),
            ("late", late),
            ("missing", missing),
        ):
            totals[name] += value
        if late:
            late_units.append(unit.code)
        if missing:
            missing_units.append(unit.code)
        rows.append(
            RatesUpdated(
                round_id=round_.round_id,
                form_id=FORM_ID,
                scope_code=unit.code,
                scope_type=unit.unit_type,
                rates=Rates(
                    expected=1,
                    received=received,
                    on_time=on_time,
                    late=late,
                    missing=missing,
                    approved=received,
                    returned=0,
                    pending_review=0,
                    rate=percent(received, 1),
                    on_time_rate=percent(on_time, 1),
                ),
                late_units=(unit.code,) if late else (),
                missing_units=(unit.code,) if missing else (),
                updated_at=_at(round_.due_on),
            )
        )
    office = RatesUpdated(
        round_id=round_.round_id,
        form_id=FORM_ID,
        scope_code=units[0].parent_code or "",
        scope_type="office",
        rates=Rates(
            **totals,
            approved=totals["received"],
            returned=0,
            pending_review=0,
            rate=percent(totals["received"], totals["expected"]),
            on_time_rate=percent(totals["on_time"], totals["expected"]),
        ),
        late_units=tuple(late_units),
        missing_units=tuple(missing_units),
        updated_at=_at(round_.due_on),
    )
    return rows, office


PROBLEMS = (
    ("ครูไม่เพียงพอต่อการจัดการเรียนการสอน", "ขอรับการจัดสรรอัตรากำลังเพิ่มเติม"),
    ("งบประมาณได้รับการจัดสรรล่าช้า", "ขอให้แจ้งกรอบงบประมาณล่วงหน้า"),
    ("สัญญาณอินเทอร์เน็ตไม่เสถียร", None),
    ("ผู้ปกครองมีส่วนร่วมน้อย", "จัดประชุมเครือข่ายผู้ปกครองทุกภาคเรียน"),
)


def _problems(rng: random.Random, units: list[Unit], rounds: list[Round]) -> list[ProblemUpdated]:
    """About one unit in eight reports a problem each round; most keep it, some get it
    resolved by the officer."""
    found = []
    troubled = [u for u in units if rng.random() < 0.125]
    for number, round_ in enumerate(rounds):
        for unit in troubled:
            if number and rng.random() < 0.3:
                continue  # nothing to report this round
            problem, suggestion = PROBLEMS[rng.randrange(len(PROBLEMS))]
            resolved = number == 0 and rng.random() < 0.25
            at = _at(round_.due_on)
            found.append(
                ProblemUpdated(
                    problem_id=f"{round_.round_id}:{FORM_ID}:{unit.code}",
                    round_id=round_.round_id,
                    form_id=FORM_ID,
                    unit_code=unit.code,
                    fiscal_year=round_.fiscal_year,
                    problems=problem,
                    suggestions=suggestion,
                    raised_at=at,
                    resolved_at=at + timedelta(days=20) if resolved else None,
                    resolved_by="เจ้าหน้าที่ติดตามและประเมินผล" if resolved else None,
                    updated_at=at + timedelta(days=20) if resolved else at,
                )
            )
    return found


def _status(achievement: Decimal | None) -> str:
    if achievement is None:
        return "no_data"
    return "on_track" if achievement >= 80 else "at_risk" if achievement >= 50 else "off_track"


def _progress(
    rng: random.Random, office: SampleOffice, rounds: list[Round]
) -> list[ProjectProgressUpdated]:
    """Each project's cumulative progress per round: indicators rise toward their targets."""
    found = []
    reporting = len(office.schools) + 10
    for project in office.projects:
        indicators = [i for i in office.indicators if i.project_code == project.code]
        pace = Decimal(rng.randrange(55, 115)) / 100
        spent_share = Decimal(rng.randrange(40, 105)) / 100
        for number, round_ in enumerate(rounds, start=1):
            share = Decimal(number) / 4
            shown = []
            for indicator in indicators:
                target = indicator.year_target or Decimal(100)
                actual = (target * pace * share).quantize(TWO, rounding=ROUND_HALF_UP)
                achievement = percent(actual, target) if target else None
                shown.append(
                    IndicatorProgress(
                        code=indicator.code,
                        name_th=indicator.name_th,
                        unit_of_measure=indicator.unit_of_measure,
                        direction=indicator.direction,
                        round_actual=actual,
                        cumulative_actual=actual,
                        target=target,
                        achievement=achievement,
                        status=_status(achievement),
                    )
                )
            spent = int(project.budget_satang * spent_share * share)
            with_problems = rng.randrange(0, 6)
            found.append(
                ProjectProgressUpdated(
                    project_code=project.code,
                    round_id=round_.round_id,
                    units_reporting=reporting - rng.randrange(0, 8),
                    activity_counts={"in_progress": 20, "done": 5 * number},
                    units_with_problems=with_problems,
                    units_with_suggestions=rng.randrange(0, 4),
                    allocated_satang=project.budget_satang,
                    spent_satang=spent,
                    disbursement_rate=percent(spent, project.budget_satang),
                    expected_disbursement=Decimal(25 * number),
                    budget_status="on_track" if spent_share * 100 >= 80 else "at_risk",
                    indicators=tuple(shown),
                    status=_status(pace * 100),
                    updated_at=_at(round_.due_on),
                )
            )
    return found


def _evaluation(rng: random.Random, office: SampleOffice, fiscal_year: int) -> EvaluationFinalised:
    """A finalised action-plan evaluation of every project: two dimensions, three criteria."""
    criteria = (
        ("D1", "C1", "ผลผลิตตามเป้าหมาย"),
        ("D1", "C2", "ผลลัพธ์ตามเป้าหมาย"),
        ("D2", "C3", "ความคุ้มค่าของการใช้งบประมาณ"),
    )
    subjects = []
    totals = []
    for project in sorted(
        (p for p in office.projects if p.parent_code is None), key=lambda p: p.code
    ):
        lines, scores = [], {}
        for dimension, code, title in criteria:
            levels = {a: rng.randrange(3, 6) for a in ("A1", "A2", "A3")}
            score = (Decimal(sum(levels.values())) / 3).quantize(TWO, rounding=ROUND_HALF_UP)
            scores[code] = score
            spread = max(levels.values()) - min(levels.values())
            lines.append(
                CriterionOut(
                    code=code,
                    path=f"{dimension}.{code}",
                    title_th=title,
                    levels=levels,
                    score=score,
                    level=_level(score),
                    assessors=3,
                    spread=spread,
                    stdev=Decimal("0.47") if spread else Decimal("0.00"),
                    # C2 is scored from the project's indicators: a level is proposed (4),
                    # and who gave another one said why.
                    proposed_level=FIVE_LEVELS[3] if code == "C2" else None,
                    overrides={
                        a: "พิจารณาจากหลักฐานการดำเนินงานเพิ่มเติม"
                        for a, level in levels.items()
                        if code == "C2" and level != 4
                    },
                )
            )
        d1 = ((scores["C1"] + scores["C2"]) / 2).quantize(TWO, rounding=ROUND_HALF_UP)
        d2 = scores["C3"]
        total = (d1 * 60 / 100 + d2 * 40 / 100).quantize(TWO, rounding=ROUND_HALF_UP)
        totals.append(total)
        nodes = (
            NodeOut(
                code="D1",
                path="D1",
                title_th="ผลการดำเนินงาน",
                depth=1,
                weight=Decimal(60),
                score=d1,
                level=_level(d1),
            ),
            NodeOut(
                code="D2",
                path="D2",
                title_th="ประสิทธิภาพ",
                depth=1,
                weight=Decimal(40),
                score=d2,
                level=_level(d2),
            ),
        )
        subjects.append(
            SubjectOut(
                subject=project.code,
                name_th=project.name_th,
                total=total,
                level=_level(total),
                nodes=nodes,
                criteria=tuple(lines),
            )
        )
    overall = (sum(totals, Decimal(0)) / len(totals)).quantize(TWO, rounding=ROUND_HALF_UP)
    plan_group = f"{office.office_code}-PLAN"
    return EvaluationFinalised(
        evaluation_id=f"AP{fiscal_year}-EVAL",
        evaluation_type="action_plan",
        fiscal_year=fiscal_year,
        title_th=f"การประเมินผลแผนปฏิบัติการประจำปีงบประมาณ พ.ศ. {fiscal_year}",
        framework_id="ap-eval",
        framework_version=1,
        framework_title_th="กรอบการประเมินโครงการตามแผนปฏิบัติการประจำปี",
        aggregation="mean",
        scale=FIVE_LEVELS,
        subject_kind="project",
        subjects=tuple(subjects),
        total=overall,
        level=_level(overall),
        strengths_th=("C1 ผลผลิตตามเป้าหมาย",),
        improvements_th=("C3 ความคุ้มค่าของการใช้งบประมาณ",),
        recommendations=(
            RecommendationOut(
                unit_code=plan_group,
                unit_name_th="กลุ่มนโยบายและแผน",
                text_th="เร่งรัดการเบิกจ่ายงบประมาณให้เป็นไปตามเป้าหมายรายไตรมาส",
            ),
        ),
        finalisation=1,
        finalised_by="เจ้าหน้าที่ติดตามและประเมินผล",
        finalised_at=_at(date(fiscal_year - 543, 9, 30)),
    )


def _level(score: Decimal) -> LevelOut:
    """The five-level scale's level of a score (midpoints go to the lower level)."""
    for lower, upper in pairwise(FIVE_LEVELS):
        if score <= (lower.score + upper.score) / 2:
            return lower
    return FIVE_LEVELS[-1]


def _inspection(office: SampleOffice, fiscal_year: int, made_on: date) -> InspectionReportUpdated:
    """One MOE policy inspection: three issues, their recommendations at various statuses."""
    inspected = date(fiscal_year - 543, 1, 20)
    plan, supv = f"{office.office_code}-PLAN", f"{office.office_code}-SUPV"
    statuses = (
        ("open", "ยังไม่ดำเนินการ", None),
        ("in_progress", "อยู่ระหว่างดำเนินการ", None),
        ("done", "ดำเนินการแล้ว", inspected + timedelta(days=60)),
    )
    texts = (
        ("1", "การพัฒนาคุณภาพการอ่านออกเขียนได้", "โรงเรียนขนาดเล็กยังขาดสื่อการอ่าน"),
        ("2", "ความปลอดภัยของผู้เรียน", "มีแผนเผชิญเหตุครบทุกโรงเรียน"),
        ("3", "การบริหารงบประมาณ", None),
    )
    issues = []
    for (code, title, findings), (status, status_th, done_on) in zip(texts, statuses, strict=True):
        due = inspected + timedelta(days=90)
        issues.append(
            InspectionIssueOut(
                issue_code=code,
                title_th=title,
                findings_th=findings,
                recommendations=(
                    InspectionRecommendationOut(
                        recommendation_id=f"R{fiscal_year}-1-{code}",
                        text_th=f"ให้สำนักงานเขตพื้นที่ติดตามและรายงานผลประเด็นที่ {code}",
                        responsible_unit=plan if code != "2" else supv,
                        due_on=due,
                        status=status,
                        status_th=status_th,
                        done_on=done_on,
                        overdue=status not in ("done", "not_applicable") and due < made_on,
                    ),
                ),
            )
        )
    return InspectionReportUpdated(
        inspection_id=f"MOE-{fiscal_year}-1",
        fiscal_year=fiscal_year,
        kind="moe_policy",
        kind_th="การตรวจราชการตามนโยบายกระทรวงศึกษาธิการ",
        round_no=1,
        title_th=f"การตรวจราชการตามนโยบาย รอบที่ 1 ปีงบประมาณ พ.ศ. {fiscal_year}",
        inspected_on=inspected,
        inspectors_th=("ผู้ตรวจราชการตัวอย่าง",),
        as_of=made_on,
        issues=tuple(issues),
        counts={"open": 1, "in_progress": 1, "done": 1, "not_applicable": 0, "total": 3},
        complete=False,
        updated_at=_at(made_on),
    )


def report_data(
    office: SampleOffice, *, seed: int = 2570, rounds_done: int = 2, made_on: date | None = None
) -> ReportData:
    """The states an office's reports are built from, after `rounds_done` quarters."""
    rng = random.Random(f"tidtam-reports:{seed}")
    rounds = office.rounds or build_rounds()
    done = rounds[:rounds_done]
    made_on = made_on or (done[-1].closes_on if done else rounds[0].opens_on)
    reporting_units = [u for u in office.units if u.unit_type in ("school", "group")]
    rates: list[RatesUpdated] = []
    for round_ in done:
        rows, total = _rates(rng, round_, reporting_units)
        rates += [*rows, total]
    fiscal_year = rounds[0].fiscal_year
    return ReportData(
        made_on=made_on,
        units={u.code: u for u in office.units},
        rounds=tuple(rounds),
        strategies=tuple(office.strategies or build_strategies()),
        plans=tuple(office.plans),
        projects=tuple(office.projects),
        indicators=tuple(office.indicators),
        rates=tuple(rates),
        progress=tuple(_progress(rng, office, done)),
        problems=tuple(_problems(rng, reporting_units, done)),
        evaluations=(_evaluation(rng, office, fiscal_year),),
        inspections=(_inspection(office, fiscal_year, made_on),),
    )
