"""(d) The evaluation report per framework (รายงานผลการประเมิน).

Seven numbered sections, one builder per section or table, with a section per subject
after the third."""

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
    file_stem,
    fy_text,
    latest_evaluations,
    level_th,
    numbered,
    report_document,
    sheet_title,
    titled,
)
from shared.contracts.evaluation import EvaluationFinalised, SubjectOut
from shared.thai.numbers import natural_key


def _evaluation(data: ReportData, evaluation_id: str) -> EvaluationFinalised:
    found = latest_evaluations(e for e in data.evaluations if e.evaluation_id == evaluation_id)
    if not found:
        raise KeyError(evaluation_id)
    return found[0]


def _kind_th(e: EvaluationFinalised) -> str:
    """What the subjects are, in Thai (projects, units)."""
    return SUBJECT_KIND_TH.get(e.subject_kind, "ผู้รับการประเมิน")


def _subjects(e: EvaluationFinalised) -> list[SubjectOut]:
    return sorted(e.subjects, key=lambda s: natural_key(s.subject))


def _summary(e: EvaluationFinalised) -> Figures:
    kind_th = _kind_th(e)
    return Figures(
        items=(
            Figure(label_th="การประเมิน", value=e.title_th),
            Figure(label_th="ปีงบประมาณ", value=str(e.fiscal_year)),
            Figure(label_th="กรอบการประเมิน", value=e.framework_title_th),
            Figure(label_th="กรอบการประเมินฉบับที่", value=e.framework_version, cell_kind="integer"),
            Figure(
                label_th="วิธีสรุปผลจากผู้ประเมิน",
                value=AGGREGATION_TH.get(e.aggregation, e.aggregation),
            ),
            Figure(label_th=f"จำนวน{kind_th}ที่ประเมิน", value=len(e.subjects), cell_kind="integer"),
            Figure(label_th="คะแนนรวม", value=e.total, cell_kind="decimal"),
            Figure(label_th="ระดับคุณภาพ", value=level_th(e.level)),
        )
    )


def _scale(e: EvaluationFinalised) -> Table:
    return Table(
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


def _totals(e: EvaluationFinalised) -> Table:
    """Each subject's total and level, and the whole's."""
    kind_th, subjects = _kind_th(e), _subjects(e)
    return Table(
        title_th=f"ผลการประเมินราย{kind_th}",
        sheet_th=f"ผลการประเมินราย{kind_th}",
        columns=(
            Column(title_th="รหัส"),
            Column(title_th=f"ชื่อ{kind_th}"),
            Column(title_th="คะแนนรวม", kind="decimal"),
            Column(title_th="ระดับคุณภาพ"),
        ),
        rows=tuple((s.subject, s.name_th, s.total, level_th(s.level)) for s in subjects),
        empty_th=f"ไม่มี{kind_th}ที่ประเมิน",
        total_row=("ภาพรวม", None, e.total, level_th(e.level)) if subjects else None,
    )


def _subject_section(s: SubjectOut) -> Section:
    """A subject's result per topic and criterion, as a section under the third."""
    nodes = sorted(s.nodes, key=lambda n: natural_key(n.path))
    table = Table(
        title_th=f"ผลการประเมินรายประเด็น: {s.name_th}",
        sheet_th=sheet_title(s.subject),
        columns=(
            Column(title_th="ลำดับ"),
            Column(title_th="ประเด็น/เกณฑ์การประเมิน"),
            Column(title_th="น้ำหนัก", kind="decimal"),
            Column(title_th="คะแนน", kind="decimal"),
            Column(title_th="ระดับคุณภาพ"),
        ),
        rows=tuple((n.path, n.title_th, n.weight, n.score, level_th(n.level)) for n in nodes),
        empty_th="ไม่มีผลการประเมินรายประเด็น",
    )
    return Section(heading_th=f"{s.subject} {s.name_th}", level=2, blocks=(table,))


def _criteria(e: EvaluationFinalised) -> Table:
    """How far the assessors' levels spread on each criterion."""
    return Table(
        title_th="ความสอดคล้องของผลการประเมินระหว่างผู้ประเมิน",
        sheet_th="ความสอดคล้องของผู้ประเมิน",
        columns=(
            Column(title_th=_kind_th(e)),
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
                level_th(c.proposed_level),
            )
            for s in _subjects(e)
            for c in sorted(s.criteria, key=lambda c: natural_key(c.path))
        ),
        empty_th="ไม่มีข้อมูลผลการประเมินรายเกณฑ์",
    )


def _overrides(e: EvaluationFinalised) -> Table:
    """Each assessor's reason for a level other than the one monitoring proposed."""
    return Table(
        title_th="เหตุผลของผู้ประเมินที่ให้ระดับต่างจากระดับที่เสนอจากผลการติดตาม",
        sheet_th="เหตุผลที่ต่างจากระดับที่เสนอ",
        columns=(
            Column(title_th=_kind_th(e)),
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
                level_th(c.proposed_level),
                assessor,
                c.levels.get(assessor),
                reason,
            )
            for s in _subjects(e)
            for c in sorted(s.criteria, key=lambda c: natural_key(c.path))
            for assessor, reason in sorted(c.overrides.items())
        ),
        empty_th="ผู้ประเมินให้ระดับตามที่เสนอทุกเกณฑ์",
    )


def _discussed(e: EvaluationFinalised) -> Table:
    """The criteria the assessors discussed to agree on a level."""
    return Table(
        title_th="เกณฑ์ที่ผู้ประเมินได้อภิปรายเพื่อหาข้อสรุป",
        sheet_th="เกณฑ์ที่อภิปราย",
        columns=(
            Column(title_th=_kind_th(e)),
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


def _listed(items: Sequence[str], empty: str) -> list[Block]:
    """Numbered paragraphs, or one saying there are none."""
    if not items:
        return [Paragraph(text_th=empty)]
    return [Paragraph(text_th=f"{n}. {text}") for n, text in enumerate(items, start=1)]


def _recommendations(data: ReportData, e: EvaluationFinalised) -> Table:
    return Table(
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


def evaluation_report(
    data: ReportData, evaluation_id: str, *, thai_digits: bool = False
) -> Document:
    """รายงานผลการประเมิน: totals and levels per subject and criterion, agreement between
    assessors, strengths, improvements and recommendations."""
    e = _evaluation(data, evaluation_id)
    kind_th = _kind_th(e)
    subjects = _subjects(e)
    level_one = numbered(
        [
            ("สรุปผลการประเมิน", [_summary(e), _scale(e)]),
            (f"ผลการประเมินราย{kind_th}", [_totals(e)]),
            (
                "ผลการประเมินจำแนกตามประเด็นการประเมิน",
                [] if subjects else [Paragraph(text_th=f"ไม่มี{kind_th}ที่ประเมิน")],
            ),
            (
                "ความสอดคล้องของผลการประเมินระหว่างผู้ประเมิน",
                [_criteria(e), _overrides(e), _discussed(e)],
            ),
            ("จุดเด่น", _listed(e.strengths_th, "ไม่มีการระบุจุดเด่น")),
            ("จุดที่ควรพัฒนา", _listed(e.improvements_th, "ไม่มีการระบุจุดที่ควรพัฒนา")),
            ("ข้อเสนอแนะ", [_recommendations(data, e)]),
        ]
    )
    per_subject = [_subject_section(s) for s in subjects]
    fy = fy_text(e.fiscal_year)
    return report_document(
        data,
        report_type="evaluation",
        title=titled("รายงานผลการประเมิน", e.title_th, starts=("การประเมิน",)),
        subtitle=e.framework_title_th if fy in e.title_th else f"{e.framework_title_th} {fy}",
        sections=[*level_one[:3], *per_subject, *level_one[3:]],
        stem=file_stem("รายงานผลการประเมิน", evaluation_id),
        digits_th=thai_digits,
    )
