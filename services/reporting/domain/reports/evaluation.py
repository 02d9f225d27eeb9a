"""(d) The evaluation report per framework (รายงานผลการประเมิน)."""

from collections.abc import Sequence

from services.reporting.domain.document import (
    Block,
    Column,
    Document,
    Figure,
    Figures,
    Paragraph,
    Section,
    Table,
)
from services.reporting.domain.report_data import ReportData
from services.reporting.domain.reports.common import (
    AGGREGATION_TH,
    SUBJECT_KIND_TH,
    _document,
    _fy_text,
    _latest_evaluations,
    _level_th,
    _numbered,
    _sheet,
    _titled,
    file_stem,
)
from shared.contracts.evaluation import (
    EvaluationFinalised,
)
from shared.thai.numbers import natural_key


def _evaluation(data: ReportData, evaluation_id: str) -> EvaluationFinalised:
    found = _latest_evaluations(e for e in data.evaluations if e.evaluation_id == evaluation_id)
    if not found:
        raise KeyError(evaluation_id)
    return found[0]


def evaluation_report(
    data: ReportData, evaluation_id: str, *, thai_digits: bool = False
) -> Document:
    """รายงานผลการประเมิน: totals and levels per subject and criterion, agreement between
    assessors, strengths, improvements and recommendations."""
    e = _evaluation(data, evaluation_id)
    kind_th = SUBJECT_KIND_TH.get(e.subject_kind, "ผู้รับการประเมิน")
    subjects = sorted(e.subjects, key=lambda s: natural_key(s.subject))

    summary = Figures(
        items=(
            Figure(label_th="การประเมิน", value=e.title_th),
            Figure(label_th="ปีงบประมาณ", value=str(e.fiscal_year)),
            Figure(label_th="กรอบการประเมิน", value=e.framework_title_th),
            Figure(label_th="กรอบการประเมินฉบับที่", value=e.framework_version, cell_kind="integer"),
            Figure(
                label_th="วิธีสรุปผลจากผู้ประเมิน",
                value=AGGREGATION_TH.get(e.aggregation, e.aggregation),
            ),
            Figure(label_th=f"จำนวน{kind_th}ที่ประเมิน", value=len(subjects), cell_kind="integer"),
            Figure(label_th="คะแนนรวม", value=e.total, cell_kind="decimal"),
            Figure(label_th="ระดับคุณภาพ", value=_level_th(e.level)),
        )
    )
    scale = Table(
        title_th="เกณฑ์ระดับคุณภาพ",
        sheet_th="ระดับคุณภาพ",
        columns=(
            Column(title_th="ระดับ", kind="integer"),
            Column(title_th="ระดับคุณภาพ"),
            Column(title_th="คะแนน", kind="decimal"),
        ),
        rows=tuple(
            (level.position, level.label_th, level.score)
            for level in sorted(e.scale, key=lambda x: x.position)
        ),
    )
    totals = Table(
        title_th=f"ผลการประเมินราย{kind_th}",
        sheet_th=f"ผลการประเมินราย{kind_th}",
        columns=(
            Column(title_th="รหัส"),
            Column(title_th=f"ชื่อ{kind_th}"),
            Column(title_th="คะแนนรวม", kind="decimal"),
            Column(title_th="ระดับคุณภาพ"),
        ),
        rows=tuple((s.subject, s.name_th, s.total, _level_th(s.level)) for s in subjects),
        empty_th=f"ไม่มี{kind_th}ที่ประเมิน",
        total_row=("ภาพรวม", None, e.total, _level_th(e.level)) if subjects else None,
    )
    detail_sections: list[Section] = []
    for s in subjects:
        nodes = sorted(s.nodes, key=lambda n: natural_key(n.path))
        detail_sections.append(
            Section(
                heading_th=f"{s.subject} {s.name_th}",
                level=2,
                blocks=(
                    Table(
                        title_th=f"ผลการประเมินรายประเด็น: {s.name_th}",
                        sheet_th=_sheet(s.subject),
                        columns=(
                            Column(title_th="ลำดับ"),
                            Column(title_th="ประเด็น/เกณฑ์การประเมิน"),
                            Column(title_th="น้ำหนัก", kind="decimal"),
                            Column(title_th="คะแนน", kind="decimal"),
                            Column(title_th="ระดับคุณภาพ"),
                        ),
                        rows=tuple(
                            (n.path, n.title_th, n.weight, n.score, _level_th(n.level))
                            for n in nodes
                        ),
                        empty_th="ไม่มีผลการประเมินรายประเด็น",
                    ),
                ),
            )
        )
    criteria = Table(
        title_th="ความสอดคล้องของผลการประเมินระหว่างผู้ประเมิน",
        sheet_th="ความสอดคล้องของผู้ประเมิน",
        columns=(
            Column(title_th=kind_th),
            Column(title_th="ลำดับ"),
            Column(title_th="เกณฑ์การประเมิน"),
            Column(title_th="จำนวนผู้ประเมิน", kind="integer"),
            Column(title_th="ช่วงห่างของระดับ", kind="integer"),
            Column(title_th="ส่วนเบี่ยงเบนมาตรฐาน", kind="decimal"),
            Column(title_th="ระดับที่เสนอ"),
        ),
        rows=tuple(
            (
                s.subject,
                c.path,
                c.title_th,
                c.assessors,
                c.spread,
                c.stdev,
                _level_th(c.proposed_level),
            )
            for s in subjects
            for c in sorted(s.criteria, key=lambda c: natural_key(c.path))
        ),
        empty_th="ไม่มีข้อมูลผลการประเมินรายเกณฑ์",
    )
    overrides = Table(
        title_th="เหตุผลของผู้ประเมินที่ให้ระดับต่างจากระดับที่เสนอจากผลการติดตาม",
        sheet_th="เหตุผลที่ต่างจากระดับที่เสนอ",
        columns=(
            Column(title_th=kind_th),
            Column(title_th="ลำดับ"),
            Column(title_th="ระดับที่เสนอ"),
            Column(title_th="ผู้ประเมิน"),
            Column(title_th="ระดับที่ให้", kind="integer"),
            Column(title_th="เหตุผล"),
        ),
        rows=tuple(
            (
                s.subject,
                c.path,
                _level_th(c.proposed_level),
                assessor,
                c.levels.get(assessor),
                reason,
            )
            for s in subjects
            for c in sorted(s.criteria, key=lambda c: natural_key(c.path))
            for assessor, reason in sorted(c.overrides.items())
        ),
        empty_th="ผู้ประเมินให้ระดับตามที่เสนอทุกเกณฑ์",
    )
    discussed = Table(
        title_th="เกณฑ์ที่ผู้ประเมินได้อภิปรายเพื่อหาข้อสรุป",
        sheet_th="เกณฑ์ที่อภิปราย",
        columns=(
            Column(title_th=kind_th),
            Column(title_th="เกณฑ์"),
            Column(title_th="ช่วงห่างของระดับ", kind="integer"),
            Column(title_th="บันทึก"),
        ),
        rows=tuple(
            (d.subject, d.criterion_code, d.spread, d.note_th)
            for d in sorted(
                e.discussed, key=lambda d: (natural_key(d.subject), natural_key(d.criterion_code))
            )
        ),
        empty_th="ไม่มีเกณฑ์ที่ต้องอภิปราย",
    )

    def listed(items: Sequence[str], empty: str) -> list[Block]:
        if not items:
            return [Paragraph(text_th=empty)]
        return [Paragraph(text_th=f"{n}. {text}") for n, text in enumerate(items, start=1)]

    recommendations = Table(
        title_th="ข้อเสนอแนะจำแนกตามหน่วยงาน",
        sheet_th="ข้อเสนอแนะ",
        columns=(
            Column(title_th="รหัสหน่วยงาน"),
            Column(title_th="หน่วยงาน"),
            Column(title_th="ข้อเสนอแนะ"),
        ),
        rows=tuple(
            (r.unit_code, r.unit_name_th or data.unit_name(r.unit_code), r.text_th)
            for r in sorted(e.recommendations, key=lambda r: natural_key(r.unit_code))
        ),
        empty_th="ไม่มีข้อเสนอแนะ",
    )
    level_one = _numbered(
        [
            ("สรุปผลการประเมิน", [summary, scale]),
            (f"ผลการประเมินราย{kind_th}", [totals]),
            (
                "ผลการประเมินจำแนกตามประเด็นการประเมิน",
                [] if subjects else [Paragraph(text_th=f"ไม่มี{kind_th}ที่ประเมิน")],
            ),
            ("ความสอดคล้องของผลการประเมินระหว่างผู้ประเมิน", [criteria, overrides, discussed]),
            ("จุดเด่น", listed(e.strengths_th, "ไม่มีการระบุจุดเด่น")),
            ("จุดที่ควรพัฒนา", listed(e.improvements_th, "ไม่มีการระบุจุดที่ควรพัฒนา")),
            ("ข้อเสนอแนะ", [recommendations]),
        ]
    )
    sections = [*level_one[:3], *detail_sections, *level_one[3:]]
    return _document(
        data,
        report_type="evaluation",
        title=_titled("รายงานผลการประเมิน", e.title_th, starts=("การประเมิน",)),
        subtitle=e.framework_title_th
        if _fy_text(e.fiscal_year) in e.title_th
        else f"{e.framework_title_th} {_fy_text(e.fiscal_year)}",
        sections=sections,
        stem=file_stem("รายงานผลการประเมิน", evaluation_id),
        digits_th=thai_digits,
    )
