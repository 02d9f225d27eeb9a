"""What every report shares: Thai labels, lookups in the snapshot, and the assembly of a
`Document` (the tables and charts several reports print are in `project_tables` and
`rate_tables`, the problem lists in `problems`).

The office's reports as `Document`s: pure functions of a `ReportData` snapshot.

One builder per report type (annual, round, rates, evaluation, inspection, quarter export),
each made of one builder per section; the renderers turn any of them into PDF, XLSX, DOCX
or CSV.

Decisions:
- Stable: everything is ordered by code or id, compared naturally ("I2" before "I10"), and
  every number comes from the data or from Decimal/Fraction arithmetic rounded half-up to
  two decimals; no float anywhere. The same snapshot gives an equal `Document`.
- Projects in project tables, budget totals and charts are the top-level projects
  (`parent_code` None) of the fiscal year's action plan(s): an activity's budget is part of
  its project's, so adding both would count it twice. Indicator tables list the indicators
  of projects and activities alike. Allocated budget comes from the set-up (the project's
  `budget_satang`); spent, disbursement and status from monitoring's progress.
- The annual report takes each project's latest round of the fiscal year that has data
  (a unit reported), "latest" by the rounds' period end (`round_order`), never by round id:
  a round not yet open never hides one that has reports; the report says which round and
  date its figures are as of. The round report takes the round's own progress; "earlier
  rounds" (recurring problems) end before it ends.
- Missing data never raises: a section says so in a paragraph ("ยังไม่มีข้อมูล...") and its
  tables stay empty, showing their `empty_th` (a round with nothing reported says
  `NO_REPORTS_TH`). The annual report still lists the planned projects and indicators
  with their budgets and targets, marked "ยังไม่มีข้อมูล". An unknown round, evaluation or
  inspection id raises KeyError; the handler checks first.
- The quarter export takes, per project, the latest round of the year ending within the
  quarter (on a tie the narrowest: the quarter before the 6-month round); only if no
  round of the year ends within the quarter, the latest one ending before it.
- Cells always hold Arabic digits (CSV never has Thai digits); with `thai_digits` the
  renderers convert cells, and the builders convert the text they print themselves
  (title, headings, paragraphs, captions, figure and chart labels) — never column titles,
  sheet names or the file stem.
- A unit's "group" is its nearest ancestor of type group, else its parent unless that is
  the report's own office (named in every page header), found once per parent, so a
  table of 30,000 schools is one pass with dict lookups.
- Column widths are left to the renderers (content-based in XLSX, automatic in the PDF):
  fixed widths made ten-column tables overflow A4.
"""

import re
from collections.abc import Iterable, Mapping, Sequence

from services.reporting.domain.document import (
    Block,
    Document,
    Figure,
    Figures,
    Paragraph,
    Section,
    Table,
)
from services.reporting.domain.report_data import ReportData
from shared.contracts.evaluation import (
    EvaluationFinalised,
    InspectionRecommendationOut,
    InspectionReportUpdated,
    LevelOut,
)
from shared.contracts.monitoring import (
    ProjectProgressUpdated,
    RatesUpdated,
)
from shared.contracts.setup import Project, Round, Unit
from shared.thai.calendar import format_long, thai_digits
from shared.thai.numbers import natural_key

STATUS_TH: Mapping[str, str] = {
    "on_track": "เป็นไปตามแผน",
    "at_risk": "มีความเสี่ยง",
    "off_track": "ล่าช้ากว่าแผน",
    "no_data": "ยังไม่มีข้อมูล",
}

AGGREGATION_TH: Mapping[str, str] = {
    "mean": "ค่าเฉลี่ย",
    "median": "มัธยฐาน",
    "consensus": "ฉันทามติ",
}

SUBJECT_KIND_TH: Mapping[str, str] = {"project": "โครงการ", "unit": "หน่วยงาน"}

RECOMMENDATION_STATUS_TH: Mapping[str, str] = {
    "open": "ยังไม่ดำเนินการ",
    "in_progress": "อยู่ระหว่างดำเนินการ",
    "done": "ดำเนินการแล้วเสร็จ",
    "not_applicable": "ไม่เกี่ยวข้อง",
}

CLOSED_STATUSES = frozenset({"done", "not_applicable"})

LAGGING_STATUSES = ("at_risk", "off_track")

NO_REPORTS_TH = "ยังไม่มีข้อมูลการรายงานในรอบนี้"

NO_PROJECTS_TH = "ยังไม่มีข้อมูลโครงการของปีงบประมาณนี้"

NO_PROGRESS_YEAR_TH = "ยังไม่มีข้อมูลการรายงานความก้าวหน้าโครงการในปีงบประมาณนี้"

NO_PROGRESS_ROUND_TH = "ยังไม่มีข้อมูลการรายงานความก้าวหน้าโครงการในรอบนี้"

NO_RATES_TH = "ยังไม่มีข้อมูลการส่งรายงานในรอบนี้"

_UNSAFE_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\s]+')


def status_th(status: str | None) -> str:
    """A progress status in Thai; an unknown one as it is."""
    if status is None:
        return STATUS_TH["no_data"]
    return STATUS_TH.get(status, status)


def file_stem(*parts: object) -> str:
    """Parts joined by "-", with no slash, space or other character file names refuse."""
    text = "-".join(str(part) for part in parts)
    return _UNSAFE_IN_FILE_NAMES.sub("-", text).strip("-") or "รายงาน"


def fy_text(fiscal_year: int) -> str:
    """ "ปีงบประมาณ พ.ศ. 2570": the fiscal year as reports print it."""
    return f"ปีงบประมาณ พ.ศ. {fiscal_year}"


def level_th(level: LevelOut | None) -> str | None:
    """A quality level's Thai label (None for no level)."""
    return None if level is None else level.label_th


def sheet_title(name: str) -> str:
    """A sheet name within the 31 characters spreadsheets allow."""
    return name[:31]


def latest_rates(updates: Iterable[RatesUpdated]) -> list[RatesUpdated]:
    """One update per (form, scope), the newest, ordered by form then scope code."""
    kept: dict[tuple[str, str], RatesUpdated] = {}
    for update in updates:
        key = (update.form_id, update.scope_code)
        held = kept.get(key)
        if held is None or held.updated_at <= update.updated_at:
            kept[key] = update
    return [kept[key] for key in sorted(kept, key=lambda k: (k[0], natural_key(k[1])))]


def round_progress(data: ReportData, round_id: str) -> dict[str, ProjectProgressUpdated]:
    """Each project's progress in the round (the newest update if there are several)."""
    found: dict[str, ProjectProgressUpdated] = {}
    for progress in data.progress:
        if progress.round_id != round_id:
            continue
        held = found.get(progress.project_code)
        if held is None or held.updated_at <= progress.updated_at:
            found[progress.project_code] = progress
    return found


def year_projects(data: ReportData, fiscal_year: int) -> list[Project]:
    """Projects and activities of the year's action plan(s), in code order."""
    plans = {
        plan.plan_id
        for plan in data.plans
        if plan.plan_type == "action_plan"
        and plan.first_fiscal_year <= fiscal_year <= plan.last_fiscal_year
    }
    projects = {p.code: p for p in data.projects if p.plan_id in plans}
    return [projects[code] for code in sorted(projects, key=natural_key)]


def top_level(projects: Iterable[Project]) -> list[Project]:
    """The projects, not their activities (an activity's budget is its project's)."""
    return [p for p in projects if p.parent_code is None]


def rounds_of_year(data: ReportData, fiscal_year: int) -> list[Round]:
    """The year's rounds, the earliest ending first."""
    return sorted(
        (r for r in data.rounds if r.fiscal_year == fiscal_year),
        key=lambda r: (r.period_end, r.period_start, natural_key(r.round_id)),
    )


def round_order(data: ReportData, fiscal_year: int) -> dict[str, int]:
    """The position of each of the year's rounds, latest last: by period end, then the
    narrowest (the later start: the quarter after the 6-month round ending with it), then
    id. A round the set-up does not know, but whose id names the year, comes first."""
    known = [r.round_id for r in rounds_of_year(data, fiscal_year)]
    prefix = f"{fiscal_year}-"
    named = {p.round_id for p in data.progress} | {u.round_id for u in data.rates}
    unknown = sorted(
        (r for r in named if r.startswith(prefix) and r not in set(known)), key=natural_key
    )
    return {round_id: position for position, round_id in enumerate([*unknown, *known])}


class UnitGroups:
    """The group name of a unit: its nearest group ancestor; else its parent's name unless
    the parent is the report's own office (printed in every page's header already).

    Looked up once per parent, so a table of 30,000 schools is one pass over them.
    """

    def __init__(self, units: Mapping[str, Unit], own_office: Unit | None) -> None:
        self._units = units
        self._by_parent: dict[str | None, str | None] = {}
        if own_office is not None:
            self._by_parent[own_office.code] = None

    def of(self, code: str) -> str | None:
        unit = self._units.get(code)
        parent = unit.parent_code if unit is not None else None
        if parent not in self._by_parent:
            self._by_parent[parent] = self._resolve(parent)
        return self._by_parent[parent]

    def _resolve(self, code: str | None) -> str | None:
        seen: set[str] = set()
        first: str | None = None
        while code is not None and code not in seen:
            seen.add(code)
            unit = self._units.get(code)
            if unit is None:
                return first if first is not None else code
            if unit.unit_type == "obec":
                break
            if unit.unit_type == "group":
                return unit.name_th
            if first is None:
                first = unit.name_th
            code = unit.parent_code
        return first


def round_figures(round_: Round) -> list[Figure]:
    """The round's reporting period, due date and closing date."""
    return [
        Figure(
            label_th="ระยะเวลาที่รายงาน",
            value=f"{format_long(round_.period_start)} – {format_long(round_.period_end)}",
        ),
        Figure(label_th="กำหนดส่งรายงาน", value=format_long(round_.due_on)),
        Figure(label_th="วันปิดรับรายงาน", value=format_long(round_.closes_on)),
    ]


def round_name(data: ReportData, round_id: str) -> str:
    """The round's Thai name (its id if the set-up lacks it)."""
    round_ = data.round(round_id)
    return round_.name_th if round_ is not None else round_id


def round_title(round_: Round) -> str:
    """The round's name with its fiscal year, once."""
    fy = fy_text(round_.fiscal_year)
    return round_.name_th if fy in round_.name_th else f"{round_.name_th} {fy}"


def numbered(sections: Sequence[tuple[str, Sequence[Block]]]) -> list[Section]:
    """Top-level sections, their headings numbered from 1."""
    return [
        Section(heading_th=f"{number}. {heading}", blocks=tuple(blocks))
        for number, (heading, blocks) in enumerate(sections, start=1)
    ]


def _thai(text: str) -> str:
    return thai_digits(text)


def _block_in_thai_digits(block: Block) -> Block:
    if isinstance(block, Paragraph):
        return block.model_copy(update={"text_th": _thai(block.text_th)})
    if isinstance(block, Figures):
        items = tuple(
            item.model_copy(update={"label_th": _thai(item.label_th)}) for item in block.items
        )
        return block.model_copy(update={"items": items})
    if isinstance(block, Table):
        return block.model_copy(update={"title_th": _thai(block.title_th)})
    series = tuple(s.model_copy(update={"name_th": _thai(s.name_th)}) for s in block.series)
    return block.model_copy(
        update={
            "title_th": _thai(block.title_th),
            "labels": tuple(_thai(label) for label in block.labels),
            "series": series,
        }
    )


def report_document(
    data: ReportData,
    *,
    report_type: str,
    title: str,
    subtitle: str,
    sections: Sequence[Section],
    stem: str,
    digits_th: bool,
    landscape: bool = False,
) -> Document:
    """The document; with Thai digits, the builders' own text converted (cells are not:
    the renderers convert them, and CSV keeps Arabic digits)."""
    if digits_th:
        title, subtitle = _thai(title), _thai(subtitle)
        sections = [
            Section(
                heading_th=_thai(s.heading_th),
                level=s.level,
                blocks=tuple(_block_in_thai_digits(b) for b in s.blocks),
            )
            for s in sections
        ]
    return Document(
        report_type=report_type,
        title_th=title,
        subtitle_th=subtitle,
        office_th=data.office_name,
        made_on=data.made_on,
        sections=tuple(sections),
        thai_digits=digits_th,
        file_stem=stem,
        landscape=landscape,
    )


def latest_evaluations(items: Iterable[EvaluationFinalised]) -> list[EvaluationFinalised]:
    """One evaluation per id, the latest finalisation, in id order."""
    kept: dict[str, EvaluationFinalised] = {}
    for item in items:
        held = kept.get(item.evaluation_id)
        if held is None or (held.finalisation, held.finalised_at) <= (
            item.finalisation,
            item.finalised_at,
        ):
            kept[item.evaluation_id] = item
    return [kept[key] for key in sorted(kept, key=natural_key)]


def latest_inspections(items: Iterable[InspectionReportUpdated]) -> list[InspectionReportUpdated]:
    """One inspection per id, the newest update, in id order."""
    kept: dict[str, InspectionReportUpdated] = {}
    for item in items:
        held = kept.get(item.inspection_id)
        if held is None or held.updated_at <= item.updated_at:
            kept[item.inspection_id] = item
    return [kept[key] for key in sorted(kept, key=natural_key)]


def titled(prefix: str, title: str, *, starts: Sequence[str]) -> str:
    """`prefix` + title, without saying the same words twice."""
    if title.startswith("รายงาน"):
        return title
    if any(title.startswith(s) for s in starts):
        return f"รายงานผล{title}"
    return f"{prefix} {title}"


def recommendation_status_th(rec: InspectionRecommendationOut) -> str:
    """A recommendation's status in Thai, as evaluation named it or by its code."""
    return rec.status_th or RECOMMENDATION_STATUS_TH.get(rec.status, rec.status)
