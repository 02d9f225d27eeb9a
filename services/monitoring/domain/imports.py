"""Bulk import of the monitoring set-up from a sheet: every problem, by row and column, first.

A dry run and a real import parse alike: `parse_rows` turns one sheet (one kind of set-up
entity) into set-up models and lists every problem it finds. If there is any problem the
caller writes nothing. Row numbers are the spreadsheet's as the officer sees them: the
header is row 1 and the first data row is row 2; a column is named as in the file's header.
"""

import re
from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from typing import Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from services.monitoring.domain import cells
from shared.contracts.setup import ROUND_ID, Indicator, Plan, Project, Unit, UnitType

ImportKind = Literal["units", "plans", "projects", "indicators", "assignments"]
ProblemCode = Literal[
    "required", "invalid", "duplicate", "unknown_column", "missing_column", "unknown_reference"
]
RefKind = Literal["unit", "plan", "project", "form", "round", "strategy"]


class Problem(BaseModel):
    """One thing wrong with an imported sheet, where the officer will find it."""

    model_config = ConfigDict(frozen=True)

    row: int | None = Field(description="Spreadsheet row: the header is 1, data starts at 2.")
    column: str | None = Field(description="The header as written in the file.")
    code: ProblemCode
    message: str
    message_th: str


@dataclass(frozen=True)
class Column:
    """A column of an import sheet and the model field it fills."""

    name: str
    label_th: str
    convert: cells.Converter = cells.text
    required: bool = False
    field: str | None = None  # the model field, when it is not `name`
    ref: RefKind | None = None  # what its codes must name
    choices: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # more Thai headers accepted for it
    round_id: str | None = None  # set on an indicator's target_<round_id> column

    @property
    def target(self) -> str:
        return self.field or self.name


@dataclass(frozen=True)
class KnownRefs:
    """Keys that exist: in the database plus, for a workbook, those of its other sheets.

    `parse_rows` adds the keys of the sheet itself (a unit's parent may be a row below).
    Strategies are checked only when `strategy_codes` is given.
    """

    unit_codes: AbstractSet[str] = frozenset()
    plan_ids: AbstractSet[str] = frozenset()
    project_codes: AbstractSet[str] = frozenset()
    form_ids: AbstractSet[str] = frozenset()
    round_ids: AbstractSet[str] = frozenset()
    strategy_codes: AbstractSet[str] | None = None

    def keys(self, ref: RefKind) -> AbstractSet[str] | None:
        """The keys a reference of kind `ref` may name; None: not checked."""
        keys: AbstractSet[str] | None = getattr(self, _REF_KEYS[ref])
        return keys

    def with_keys(self, kind: ImportKind, keys: Iterable[str]) -> "KnownRefs":
        """These refs plus the keys of a sheet of `kind` (e.g. `ImportResult.keys`)."""
        attribute = _OWN_KEYS.get(kind)
        if attribute is None:
            return self
        return replace(self, **{attribute: frozenset(getattr(self, attribute)) | set(keys)})


@dataclass(frozen=True)
class ImportResult:
    """The valid rows as set-up models, every problem, and the keys the sheet names."""

    kind: ImportKind
    entities: list[BaseModel]
    problems: list[Problem]
    rows_read: int
    keys: frozenset[str] = field(default_factory=frozenset)  # of every row, valid or not
    rows: list[int] = field(default_factory=list)  # the row number of each entity
    headers: dict[str, str] = field(default_factory=dict)  # field name -> header as written

    @property
    def ok(self) -> bool:
        return not self.problems


def _indicator(name: str) -> tuple[str, ...]:
    return get_args(Indicator.model_fields[name].annotation)


_UNITS: tuple[str, ...] = get_args(UnitType)
_PLANS: tuple[str, ...] = get_args(Plan.model_fields["plan_type"].annotation)
_BUDGET = ("งบประมาณ",)
_C, _D, _CL, _CH = cells.code, cells.to_date, cells.code_list, cells.choice
COLUMNS: dict[ImportKind, tuple[Column, ...]] = {
    "units": (
        Column("code", "รหัสหน่วยงาน", _C, True, aliases=("รหัส",)),
        Column("unit_type", "ประเภทหน่วยงาน", _CH, True, choices=_UNITS),
        Column("name_th", "ชื่อหน่วยงาน", required=True, aliases=("ชื่อ", "ชื่อภาษาไทย")),
        Column("name_en", "ชื่อภาษาอังกฤษ"),
        Column("parent_code", "รหัสหน่วยงานต้นสังกัด", _C, ref="unit", aliases=("ต้นสังกัด",)),
        Column("province", "จังหวัด"),
        Column("active_from", "วันที่เปิด", _D),
        Column("active_to", "วันที่ปิด", _D),
        Column("contact_emails", "อีเมลผู้ติดต่อ", cells.text_list),
        Column("contact_line_ids", "LINE ผู้ติดต่อ", cells.text_list),
        Column("head_emails", "อีเมลผู้บริหาร", cells.text_list),
        Column("head_line_ids", "LINE ผู้บริหาร", cells.text_list),
    ),
    "plans": (
        Column("plan_id", "รหัสแผน", _C, True, aliases=("รหัส",)),
        Column("plan_type", "ประเภทแผน", _CH, True, choices=_PLANS),
        Column("name_th", "ชื่อแผน", required=True, aliases=("ชื่อ",)),
        Column("office_code", "รหัสสำนักงานเขตพื้นที่", _C, True, ref="unit"),
        Column("first_fiscal_year", "ปีงบประมาณแรก", cells.integer, True),
        Column("last_fiscal_year", "ปีงบประมาณสุดท้าย", cells.integer, True),
        Column("strategy_codes", "รหัสกลยุทธ์", _CL, ref="strategy"),
        Column("form_id", "รหัสแบบรายงาน", _C, ref="form"),
    ),
    "projects": (
        Column("code", "รหัสโครงการ", _C, True, aliases=("รหัส",)),
        Column("plan_id", "รหัสแผน", _C, True, ref="plan"),
        Column("parent_code", "รหัสโครงการหลัก", _C, ref="project"),
        Column("name_th", "ชื่อโครงการ/กิจกรรม", required=True, aliases=("ชื่อ", "ชื่อโครงการ")),
        Column("responsible_unit", "หน่วยงานรับผิดชอบ", _C, True, ref="unit"),
        Column(
            "budget_baht", "งบประมาณ (บาท)", cells.satang, True, "budget_satang", aliases=_BUDGET
        ),
        Column("starts_on", "วันที่เริ่ม", _D, True),
        Column("ends_on", "วันที่สิ้นสุด", _D, True),
        Column("strategy_codes", "รหัสกลยุทธ์", _CL, ref="strategy"),
        Column("reporting_units", "หน่วยงานที่รายงาน", _CL, ref="unit"),
        Column("reporting_unit_types", "ประเภทหน่วยงานที่รายงาน", cells.choice_list, choices=_UNITS),
        Column("form_id", "รหัสแบบรายงาน", _C, ref="form"),
    ),
    "indicators": (
        Column("code", "รหัสตัวชี้วัด", _C, True, aliases=("รหัส",)),
        Column("project_code", "รหัสโครงการ", _C, True, ref="project"),
        Column("name_th", "ชื่อตัวชี้วัด", required=True, aliases=("ชื่อ",)),
        Column("unit_of_measure", "หน่วยนับ", required=True),
        Column("indicator_type", "ประเภทตัวชี้วัด", _CH, True, choices=_indicator("indicator_type")),
        Column("direction", "ทิศทาง", _CH, choices=_indicator("direction")),
        Column("accumulation", "การสะสมผล", _CH, choices=_indicator("accumulation")),
        Column("baseline", "ค่าฐาน", cells.decimal),
        Column("year_target", "ค่าเป้าหมายทั้งปี", cells.decimal),
        Column("levels", "ระดับ", cells.text_list),
        Column("numerator_label", "ชื่อตัวตั้ง"),
        Column("denominator_label", "ชื่อตัวหาร"),
    ),
    "assignments": (
        Column("override_id", "รหัสรายการ", _C, True, aliases=("รหัส",)),
        Column("action", "การดำเนินการ", _CH, True, choices=("add", "remove")),
        Column("unit_code", "รหัสหน่วยงาน", _C, True, ref="unit"),
        Column("form_id", "รหัสแบบรายงาน", _C, True, ref="form"),
        Column("project_codes", "รหัสโครงการ", _CL, ref="project"),
        Column("effective_from", "มีผลตั้งแต่", _D, True),
        Column("effective_to", "มีผลถึง", _D),
        Column("reason_th", "เหตุผล", required=True),
    ),
}
_REF_KEYS: dict[RefKind, str] = {
    "unit": "unit_codes",
    "plan": "plan_ids",
    "project": "project_codes",
    "form": "form_ids",
    "round": "round_ids",
    "strategy": "strategy_codes",
}
_OWN_KEYS: dict[ImportKind, str] = {
    "units": "unit_codes",
    "plans": "plan_ids",
    "projects": "project_codes",
}
_TARGET = re.compile(r"(?:target|ค่าเป้าหมาย|เป้าหมาย)[\s_]*(\S+)", re.IGNORECASE)
_ROUND_ID = re.compile(ROUND_ID)


def target_column(round_id: str) -> Column:
    """The indicator column `target_<round_id>` holding the target for that round."""
    name, label = f"target_{round_id}", f"ค่าเป้าหมาย {round_id}"
    return Column(name, label, cells.decimal, field="round_targets", ref="round", round_id=round_id)


def model_of(kind: ImportKind) -> type[BaseModel]:
    """The model each row of a sheet of `kind` becomes."""
    if kind == "assignments":
        # Imported here so that a change in the assignment rules never breaks other kinds.
        from services.monitoring.domain.assignments import AssignmentOverride

        return AssignmentOverride
    models: dict[str, type[BaseModel]] = {"units": Unit, "plans": Plan, "projects": Project}
    return models.get(kind, Indicator)


@dataclass
class _Row:
    number: int
    data: dict[str, object]
    problems: list[Problem]


_Bound = tuple[int, Column, str]  # (position in the row, column, header as written)


def parse_rows(
    kind: ImportKind,
    header: Sequence[object],
    rows: Sequence[Sequence[object]],
    known: KnownRefs | None = None,
) -> ImportResult:
    """Parse one sheet of `kind`; `known=None` skips the checks of references."""
    model = model_of(kind)
    bound, problems = _read_header(kind, header)
    absent = {p.column for p in problems if p.code == "missing_column"}
    parsed: list[_Row] = []
    entities: dict[int, BaseModel] = {}
    for number, row in enumerate(rows, start=2):
        if all(cells.text(row[at]) is None for at, _, _ in bound if at < len(row)):
            continue  # blank, or data only under no header (reported once per column below)
        parsed_row = _convert(bound, row, number)
        entity = _validate(model, parsed_row, bound, COLUMNS[kind], absent)
        if entity is not None:
            entities[number] = entity
        parsed.append(parsed_row)
    problems += _stray_cells(header, rows)
    shown = {column.name: written for _, column, written in bound}
    key = COLUMNS[kind][0]  # the first column is the sheet's key
    keys = {r.number: str(r.data[key.target]) for r in parsed if key.target in r.data}
    problems += _duplicates(keys, shown.get(key.name, key.name))
    if known is not None:
        if kind in _OWN_KEYS:
            known = known.with_keys(kind, keys.values())
        problems += _header_references(bound, known)
        problems += [p for r in parsed for p in _references(r, bound, known)]
    problems += [p for r in parsed for p in r.problems]
    at = {written: position for position, _, written in bound}
    problems.sort(key=lambda p: (p.row or 0, at.get(p.column or "", len(at))))
    flagged = {p.row for p in problems}
    valid = {number: entity for number, entity in entities.items() if number not in flagged}
    headers = {column.target: written for _, column, written in bound}
    return ImportResult(
        kind,
        list(valid.values()),
        problems,
        len(parsed),
        frozenset(keys.values()),
        rows=list(valid),
        headers=headers,
    )


def _lookup(kind: ImportKind, shown: str) -> Column | None:
    for column in COLUMNS[kind]:
        names = (column.name, column.label_th, *column.aliases)
        if cells.header_key(shown) in {cells.header_key(name) for name in names}:
            return column
    match = _TARGET.fullmatch(shown) if kind == "indicators" else None
    return target_column(match[1]) if match else None


def _read_header(kind: ImportKind, header: Sequence[object]) -> tuple[list[_Bound], list[Problem]]:
    """Which column is where; unknown, repeated and missing columns are problems of row 1."""
    bound: list[_Bound] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for position, raw in enumerate(header):
        shown = cells.text(raw)
        if shown is None:
            continue
        column = _lookup(kind, shown)
        if column is None:
            en, th = f"unknown column {shown!r} for {kind}", f"ไม่รู้จักคอลัมน์ “{shown}”"
            problems.append(_problem(1, shown, "unknown_column", en, th))
        elif column.name in seen:
            en = f"{shown!r} repeats column {seen[column.name]!r}"
            th = f"คอลัมน์ “{shown}” ซ้ำกับคอลัมน์ “{seen[column.name]}”"
            problems.append(_problem(1, shown, "duplicate", en, th))
        elif column.round_id is not None and not _ROUND_ID.fullmatch(column.round_id):
            en = f"{column.round_id!r} is not a round id (e.g. target_2570-Q2)"
            th = f"“{column.round_id}” ไม่ใช่รหัสรอบ (เช่น target_2570-Q2)"
            problems.append(_problem(1, shown, "invalid", en, th))
        else:
            seen[column.name] = shown
            bound.append((position, column, shown))
    for column in COLUMNS[kind]:
        if column.required and column.name not in seen:
            en = f"required column {column.name!r} is missing"
            th = f"ไม่มีคอลัมน์ “{column.name}” ({column.label_th}) ซึ่งจำเป็น"
            problems.append(_problem(1, column.name, "missing_column", en, th))
    return bound, problems


def _convert(bound: list[_Bound], row: Sequence[object], number: int) -> _Row:
    """The row's cells as model values; a cell that cannot convert is a problem."""
    parsed = _Row(number, {}, [])
    targets: dict[str, object] = {}
    for position, column, shown in bound:
        raw = row[position] if position < len(row) else None
        try:
            value = column.convert(raw)
        except cells.CellError as error:
            parsed.problems.append(
                _problem(number, shown, "invalid", error.message, error.message_th)
            )
            continue
        if value is not None and column.round_id is not None:
            targets[column.round_id] = value
        elif value is not None:
            parsed.data[column.target] = value
    if targets:
        parsed.data["round_targets"] = targets
    return parsed


def _validate(
    model: type[BaseModel],
    row: _Row,
    bound: list[_Bound],
    columns: Sequence[Column],
    absent: AbstractSet[str | None],
) -> BaseModel | None:
    """The model of a row, or None with its errors added to the row's problems."""
    try:
        return model.model_validate(row.data)
    except ValidationError as exc:
        errors = exc.errors()
    already = {p.column for p in row.problems} | absent  # reported once is enough
    for error in errors:
        code, message, message_th = cells.explain(error)
        column = _column_of(error["loc"], message, bound, columns)
        if column not in already:
            row.problems.append(_problem(row.number, column, code, message, message_th))
    return None


def _column_of(
    loc: tuple[int | str, ...], message: str, bound: list[_Bound], columns: Sequence[Column]
) -> str | None:
    """The column a pydantic error belongs to, as the file names it (or as it should)."""
    shown = {column.name: written for _, column, written in bound}
    if not loc:
        name = cells.rule_column(message, [column.name for column in columns])
    elif loc[0] == "round_targets" and len(loc) > 1:
        name = f"target_{loc[1]}"
    else:
        name = next((c.name for c in columns if c.target == loc[0]), str(loc[0]))
    return None if name is None else shown.get(name, name)


def _duplicates(keys: dict[int, str], column: str) -> list[Problem]:
    """Each repeat of a key within the sheet, naming the row it first appeared on."""
    first: dict[str, int] = {}
    problems: list[Problem] = []
    for number, key in keys.items():
        if key in first:
            en = f"{key!r} is on rows {first[key]} and {number}"
            th = f"“{key}” ซ้ำกันในแถว {first[key]} และแถว {number}"
            problems.append(_problem(number, column, "duplicate", en, th))
        else:
            first[key] = number
    return problems


def _header_references(bound: list[_Bound], known: KnownRefs) -> list[Problem]:
    """Target columns must name rounds that exist."""
    return [
        _problem(1, shown, "unknown_reference", f"no round {rid!r}", f"ไม่มีรอบการรายงาน “{rid}”")
        for _, column, shown in bound
        if (rid := column.round_id) is not None and rid not in known.round_ids
    ]


def _references(row: _Row, bound: list[_Bound], known: KnownRefs) -> list[Problem]:
    """Every code in the row that names nothing known."""
    problems: list[Problem] = []
    for _, column, shown in bound:
        if column.ref is None or column.round_id is not None:
            continue
        keys, value = known.keys(column.ref), row.data.get(column.target)
        if keys is None or value is None:
            continue
        for key in value if isinstance(value, tuple) else (value,):
            if key not in keys:
                en, th = f"no {column.ref} {key!r}", f"ไม่พบ{cells.REF_NAMES_TH[column.ref]} “{key}”"
                problems.append(_problem(row.number, shown, "unknown_reference", en, th))
    return problems


def _stray_cells(header: Sequence[object], rows: Sequence[Sequence[object]]) -> list[Problem]:
    """Data under a blank header: once per column, at the first row holding some."""
    named = {position for position, raw in enumerate(header) if cells.text(raw) is not None}
    problems: list[Problem] = []
    for number, row in enumerate(rows, start=2):
        for position, value in enumerate(row):
            if position in named or cells.text(value) is None:
                continue
            named.add(position)
            letter = cells.column_letter(position)
            en, th = f"column {letter} has data but no header", f"คอลัมน์ {letter} มีข้อมูลแต่ไม่มีหัวคอลัมน์"
            problems.append(_problem(number, None, "unknown_column", en, th))
    return problems


def _problem(
    row: int | None, column: str | None, code: ProblemCode, message: str, message_th: str
) -> Problem:
    return Problem(row=row, column=column, code=code, message=message, message_th=message_th)
