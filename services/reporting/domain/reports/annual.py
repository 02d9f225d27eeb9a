"""(a) The annual report of the office to its area committee (รายงานผลการดำเนินงานประจำปี).

A cover, the contents, six numbered sections (an executive summary in prose and figures,
then `annual_sections`) over what the year holds (`annual_year.Year`), and the signatures
of the reporter (the head of the Policy and Planning group) and the director (the office's
head), with their names and positions from the set-up, or dotted lines without them."""

from collections import Counter
from decimal import Decimal

from services.reporting.domain.document import (
    Block,
    Cover,
    Document,
    Figure,
    Figures,
    Paragraph,
    Section,
    Signature,
    format_cell,
)
from services.reporting.domain.report_data import ReportData
from services.reporting.domain.reports import annual_sections as sections
from services.reporting.domain.reports.annual_budget import expected_disbursement
from services.reporting.domain.reports.annual_year import (
    Year,
    as_of_text,
    office_rate_in_latest_round,
    year_of,
)
from services.reporting.domain.reports.common import (
    CLOSED_STATUSES,
    NO_PROGRESS_YEAR_TH,
    NO_PROJECTS_TH,
    file_stem,
    level_th,
    report_document,
)
from shared.thai.calendar import thai_digits as in_thai_digits

PLANNING_GROUP_TH = "กลุ่มนโยบายและแผน"  # owns the monitoring unit that writes the report


def _money(value: Decimal | None) -> str:
    return format_cell(value, "baht")


def _percent(value: Decimal | None) -> str:
    return format_cell(value, "decimal")


def _plan_text(year: Year) -> str:
    strategies = {c for p in year.projects for c in p.strategy_codes}
    return (
        f"ใน{year.fy} {year.data.office_name} ดำเนินงานตามแผนปฏิบัติการประจำปี"
        f" จำนวน {len(year.projects)} โครงการ ภายใต้ {len(strategies)} กลยุทธ์"
        f" งบประมาณที่ได้รับจัดสรรรวม {_money(year.budget.allocated)} บาท"
    )


def _budget_text(year: Year) -> str | None:
    budget = year.budget
    if budget.spent is None:
        return None
    text = (
        f"การใช้จ่ายงบประมาณ ใช้ไปแล้ว {_money(budget.spent)} บาท"
        f" คิดเป็นร้อยละ {_percent(budget.disbursement)} ของงบประมาณที่ได้รับจัดสรร"
    )
    target = expected_disbursement(year.reported, year.progress)
    if target is not None and budget.disbursement is not None:
        side = "สูงกว่า" if budget.disbursement >= target else "ต่ำกว่า"
        text += f" {side}เป้าหมายการเบิกจ่ายตามมติคณะรัฐมนตรีซึ่งกำหนดไว้ร้อยละ {_percent(target)}"
    return text


def _indicator_text(year: Year) -> str | None:
    if not year.lines:
        return None
    counts = Counter(line.status for line in year.lines)
    lagging = [p for p in year.reported if year.progress[p.code].status == "off_track"]
    text = (
        f"ผลการดำเนินงานตามตัวชี้วัด จากตัวชี้วัดทั้งหมด {len(year.lines)} ตัวชี้วัด"
        f" เป็นไปตามแผน {counts['on_track']} ตัวชี้วัด มีความเสี่ยง {counts['at_risk']} ตัวชี้วัด"
        f" ล่าช้ากว่าแผน {counts['off_track']} ตัวชี้วัด และยังไม่มีข้อมูล {counts['no_data']} ตัวชี้วัด"
    )
    if lagging:
        text += f" มีโครงการที่ล่าช้ากว่าแผนและควรเร่งรัด {len(lagging)} โครงการ"
    return text


def _rate_text(year: Year) -> str | None:
    office_rate = office_rate_in_latest_round(year.data, year.fiscal_year)
    if office_rate is None or office_rate[1] is None:
        return None
    name, rate = office_rate
    return f"หน่วยงานในสังกัดส่งรายงานผลการดำเนินงาน{name} ร้อยละ {_percent(rate)}"


def _follow_up_text(year: Year) -> str | None:
    parts = []
    for e in year.evaluations:
        level = level_th(e.level)
        parts.append(
            f"ผล{e.title_th} ได้คะแนนรวม {_percent(e.total)}"
            + (f" อยู่ในระดับ{level}" if level else "")
        )
    recs = [r for i in year.inspections for issue in i.issues for r in issue.recommendations]
    if year.inspections:
        done = sum(1 for r in recs if r.status in CLOSED_STATUSES)
        parts.append(
            f"ได้รับการตรวจราชการ {len(year.inspections)} ครั้ง มีข้อเสนอแนะ {len(recs)} ข้อ"
            f" ดำเนินการแล้วเสร็จ {done} ข้อ อยู่ระหว่างติดตาม {len(recs) - done} ข้อ"
        )
    return " ".join(parts) or None


def _summary_figures(year: Year) -> Figures:
    budget = year.budget
    rate_label = "อัตราการส่งรายงานของสำนักงาน"
    rate_value: Decimal | None = None
    office_rate = office_rate_in_latest_round(year.data, year.fiscal_year)
    if office_rate is not None:
        name, rate_value = office_rate
        rate_label = f"{rate_label} ({name})"
    on_track = sum(1 for line in year.lines if line.status == "on_track")
    as_of = year.as_of
    return Figures(
        items=(
            Figure(
                label_th="ผลการดำเนินงาน ณ วันที่",
                value=as_of.period_end if as_of else None,
                cell_kind="date",
            ),
            Figure(label_th="จำนวนโครงการ", value=len(year.projects), cell_kind="integer"),
            Figure(
                label_th="งบประมาณที่ได้รับจัดสรรทั้งสิ้น (บาท)",
                value=budget.allocated,
                cell_kind="baht",
            ),
            Figure(label_th="งบประมาณที่ใช้ไป (บาท)", value=budget.spent, cell_kind="baht"),
            Figure(
                label_th="ร้อยละการเบิกจ่ายงบประมาณ",
                value=budget.disbursement,
                cell_kind="percent",
            ),
            Figure(label_th="ตัวชี้วัดที่เป็นไปตามแผน", value=on_track, cell_kind="integer"),
            Figure(label_th="ตัวชี้วัดทั้งหมด", value=len(year.lines), cell_kind="integer"),
            Figure(label_th=rate_label, value=rate_value, cell_kind="percent"),
        )
    )


def _summary(year: Year) -> list[Block]:
    """1 executive summary: the year in prose, then its key figures."""
    if not year.projects:
        return [Paragraph(text_th=NO_PROJECTS_TH), _summary_figures(year)]
    texts = [
        _plan_text(year),
        as_of_text(year) or NO_PROGRESS_YEAR_TH,
        _budget_text(year),
        _indicator_text(year),
        _rate_text(year),
        _follow_up_text(year),
    ]
    blocks: list[Block] = [Paragraph(text_th=t) for t in texts if t]
    blocks.append(_summary_figures(year))
    return blocks


def _signatures(data: ReportData) -> tuple[Signature, ...]:
    """The reporter (head of the Policy and Planning group) and the director."""
    office = data.office
    planning = next(
        (
            u
            for u in sorted(data.units.values(), key=lambda u: u.code)
            if u.unit_type == "group"
            and u.name_th.startswith(PLANNING_GROUP_TH)
            and (office is None or u.parent_code == office.code)
        ),
        None,
    )
    return (
        Signature(
            role_th="ผู้รายงาน",
            name_th=planning.head_name_th if planning else None,
            position_th=(planning.head_position_th if planning else None)
            or f"ผู้อำนวยการ{PLANNING_GROUP_TH}",
        ),
        Signature(
            role_th="ผู้เห็นชอบ",
            name_th=office.head_name_th if office else None,
            position_th=(office.head_position_th if office else None)
            or f"ผู้อำนวยการ{data.office_name}",
        ),
    )


def _numbered(year: Year) -> list[Section]:
    strategies_blocks, strategies = sections.strategies_and_projects(year, 2)
    top = [
        ("บทสรุปผู้บริหาร", _summary(year)),
        ("กลยุทธ์และโครงการตามแผนปฏิบัติการ", strategies_blocks),
        ("ผลการดำเนินงานตามตัวชี้วัด", sections.indicators(year)),
        ("งบประมาณและการเบิกจ่าย", sections.budget(year)),
        ("ปัญหาอุปสรรคและข้อเสนอแนะ", sections.problems(year)),
        ("ผลการประเมินและการติดตามผลการตรวจราชการ", sections.follow_up(year)),
    ]
    found: list[Section] = []
    for number, (heading, blocks) in enumerate(top, start=1):
        found.append(Section(heading_th=f"{number}. {heading}", blocks=tuple(blocks)))
        if number == 2:
            found += strategies
    return found


def annual_report(data: ReportData, fiscal_year: int, *, thai_digits: bool = False) -> Document:
    """รายงานผลการดำเนินงานประจำปีงบประมาณ: the office's annual report for the committee."""
    year = year_of(data, fiscal_year)
    title = f"รายงานผลการดำเนินงานประจำ{year.fy}"
    cover_title = "รายงานผลการดำเนินงานประจำปี"
    document = report_document(
        data,
        report_type="annual",
        title=title,
        subtitle=data.office_name,
        sections=_numbered(year),
        stem=file_stem("รายงานผลการดำเนินงานประจำปี", fiscal_year),
        digits_th=thai_digits,
    )

    def text(value: str) -> str:
        return in_thai_digits(value) if thai_digits else value

    cover = Cover(
        title_th=cover_title,
        office_th=data.office_name,
        year_th=text(year.fy),
        note_th="เสนอคณะกรรมการเขตพื้นที่การศึกษา",
    )
    return document.model_copy(
        update={"cover": cover, "contents": True, "signatures": _signatures(data)}
    )
