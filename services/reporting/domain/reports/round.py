"""(b) The monitoring round report (รายงานผลการติดตามความก้าวหน้า)."""

from services.reporting.domain.document import (
    Block,
    Cell,
    Column,
    Document,
    Figures,
    Paragraph,
    Table,
)
from services.reporting.domain.report_data import ReportData
from services.reporting.domain.reports.common import (
    LAGGING_STATUSES,
    NO_PROGRESS_ROUND_TH,
    NO_RATES_TH,
    NO_REPORTS_TH,
    _document,
    _Groups,
    _numbered,
    _round_figures,
    _round_progress,
    _round_title,
    _rounds_of_year,
    _top_level,
    _year_projects,
    file_stem,
    status_th,
)
from services.reporting.domain.reports.problems import (
    _round_problems,
)
from services.reporting.domain.reports.tables import (
    _achievement,
    _achievement_chart,
    _group_chart,
    _group_rate_table,
    _indicator_lines,
    _indicator_table,
    _office_figures,
    _project_table,
    _rate_scopes,
    _unit_list_table,
    _unit_rate_table,
)
from shared.thai.calendar import format_long


def round_report(data: ReportData, round_id: str, *, thai_digits: bool = False) -> Document:
    """รายงานผลการติดตามความก้าวหน้า: reporting rate and timeliness, missing and late
    units, progress per project and indicator, lagging projects, recurring problems."""
    round_ = data.round(round_id)
    if round_ is None:
        raise KeyError(round_id)
    fiscal_year = round_.fiscal_year
    scopes = _rate_scopes(data, round_id)
    groups = _Groups(data.units, data.office)
    everything = _year_projects(data, fiscal_year)
    projects = _top_level(everything)
    progress = _round_progress(data, round_id)
    has_rates = bool(scopes.offices or scopes.groups or scopes.units)
    has_progress = any(p.code in progress for p in everything)

    # 1 overview
    overview: list[Block] = []
    if not has_rates and not has_progress:
        overview.append(Paragraph(text_th=NO_REPORTS_TH))
    elif not has_rates:
        overview.append(Paragraph(text_th=NO_RATES_TH))
    overview.append(Figures(items=(*_round_figures(round_), *_office_figures(data, scopes))))

    # 2 groups
    group_blocks: list[Block] = [_group_rate_table(data, scopes)]
    chart = _group_chart(data, scopes)
    if chart is not None:
        group_blocks.append(chart)

    # 3 units, 4 missing, 5 late
    unit_table = _unit_rate_table(data, scopes, groups)
    every = [*scopes.offices, *scopes.groups, *scopes.units]
    missing = ((u.form_id, code) for u in every for code in u.missing_units)
    late = ((u.form_id, code) for u in every for code in u.late_units)
    missing_table = _unit_list_table(
        data,
        missing,
        groups,
        several_forms=scopes.several_forms,
        title="รายชื่อหน่วยงานที่ยังไม่ส่งรายงาน",
        sheet="ยังไม่ส่งรายงาน",
        empty="ไม่มีหน่วยงานที่ยังไม่ส่งรายงาน" if has_rates else NO_RATES_TH,
    )
    late_table = _unit_list_table(
        data,
        late,
        groups,
        several_forms=scopes.several_forms,
        title="รายชื่อหน่วยงานที่ส่งรายงานล่าช้า",
        sheet="ส่งรายงานล่าช้า",
        empty="ไม่มีหน่วยงานที่ส่งรายงานล่าช้า" if has_rates else NO_RATES_TH,
    )

    # 6 projects, 7 indicators
    project_blocks: list[Block] = []
    if not has_progress:
        project_blocks.append(Paragraph(text_th=NO_PROGRESS_ROUND_TH))
    project_table = _project_table(
        data,
        projects if has_progress else [],
        progress,
        title=f"ความก้าวหน้าของโครงการ {_round_title(round_)}",
        sheet="ความก้าวหน้าโครงการ",
    )
    project_blocks.append(
        project_table
        if has_progress
        else project_table.model_copy(update={"empty_th": NO_PROGRESS_ROUND_TH})
    )
    if any(p.code in progress for p in projects):
        project_blocks.append(_achievement_chart(projects, progress))
    lines = _indicator_lines(data, everything, progress) if has_progress else []
    indicator_table = _indicator_table(
        lines,
        with_round_actual=True,
        title="ผลการดำเนินงานตามตัวชี้วัดเทียบกับค่าเป้าหมาย",
        empty=NO_PROGRESS_ROUND_TH,
    )

    # 8 lagging projects
    lagging_rows = tuple(
        (
            p.code,
            p.name_th,
            data.unit_name(p.responsible_unit),
            progress[p.code].disbursement_rate,
            progress[p.code].expected_disbursement,
            _achievement(progress[p.code]),
            status_th(progress[p.code].status),
        )
        for p in projects
        if p.code in progress and progress[p.code].status in LAGGING_STATUSES
    )
    lagging = Table(
        title_th="โครงการที่มีความเสี่ยงหรือล่าช้ากว่าแผน",
        sheet_th="โครงการที่ล่าช้า",
        columns=(
            Column(title_th="รหัสโครงการ"),
            Column(title_th="ชื่อโครงการ"),
            Column(title_th="หน่วยงานรับผิดชอบ"),
            Column(title_th="ร้อยละการเบิกจ่าย", kind="percent"),
            Column(title_th="เป้าหมายการเบิกจ่าย", kind="percent"),
            Column(title_th="ร้อยละความสำเร็จเฉลี่ย", kind="percent"),
            Column(title_th="สถานะ"),
        ),
        rows=lagging_rows,
        empty_th="ไม่มีโครงการที่มีความเสี่ยงหรือล่าช้ากว่าแผน" if has_progress else NO_PROGRESS_ROUND_TH,
    )

    # 9 recurring problems
    earlier = [
        r.round_id
        for r in _rounds_of_year(data, fiscal_year)
        if r.period_end < round_.period_end and r.round_id != round_id
    ]
    earlier_progress = {rid: _round_progress(data, rid) for rid in earlier}
    recurring_rows: list[tuple[Cell, ...]] = []
    for p in projects:
        now = progress.get(p.code)
        if now is None or now.units_with_problems <= 0:
            continue
        before = [
            rid
            for rid in earlier
            if (got := earlier_progress[rid].get(p.code)) is not None
            and got.units_with_problems > 0
        ]
        if before:
            recurring_rows.append(
                (
                    p.code,
                    p.name_th,
                    now.units_with_problems,
                    len(before) + 1,
                    ", ".join([*before, round_id]),
                )
            )
    recurring = Table(
        title_th="โครงการที่พบปัญหาอุปสรรคซ้ำหลายรอบ",
        sheet_th="ปัญหาที่พบซ้ำ",
        columns=(
            Column(title_th="รหัสโครงการ"),
            Column(title_th="ชื่อโครงการ"),
            Column(title_th="หน่วยงานที่รายงานปัญหาในรอบนี้", kind="integer"),
            Column(title_th="จำนวนรอบที่พบปัญหา", kind="integer"),
            Column(title_th="รอบที่พบปัญหา"),
        ),
        rows=tuple(recurring_rows),
        empty_th="ไม่พบปัญหาอุปสรรคที่เกิดซ้ำ" if has_progress else NO_PROGRESS_ROUND_TH,
    )

    problem_list, problem_units = _round_problems(data, round_)
    sections = _numbered(
        [
            ("ภาพรวมการส่งรายงาน", overview),
            ("อัตราการส่งรายงานจำแนกตามกลุ่ม/เครือข่าย", group_blocks),
            ("อัตราการส่งรายงานและความตรงเวลารายหน่วยงาน", [unit_table]),
            ("หน่วยงานที่ยังไม่ส่งรายงาน", [missing_table]),
            ("หน่วยงานที่ส่งรายงานล่าช้า", [late_table]),
            ("ความก้าวหน้าของโครงการ", project_blocks),
            ("ผลการดำเนินงานตามตัวชี้วัด", [indicator_table]),
            ("โครงการที่มีความเสี่ยงหรือล่าช้ากว่าแผน", [lagging]),
            ("ปัญหาอุปสรรคและข้อเสนอแนะ", [problem_list]),
            ("ปัญหาอุปสรรคที่พบซ้ำ", [problem_units, recurring]),
        ]
    )
    return _document(
        data,
        report_type="round",
        title=f"รายงานผลการติดตามความก้าวหน้า {_round_title(round_)}",
        subtitle=f"ระยะเวลารายงาน {format_long(round_.period_start)} – "
        f"{format_long(round_.period_end)}",
        sections=sections,
        stem=file_stem("รายงานผลการติดตาม", round_id),
        digits_th=thai_digits,
    )
