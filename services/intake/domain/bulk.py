"""Many units' reports in one sheet (one round, one form version): one submission per row.

Columns: `unit_code` (required), `submission_key` (optional), the form's submission-scope
fields by key or Thai label, and `<code>:<field>` for project- and indicator-scope fields
(`P01:budget_spent`, `P01-I1:actual`). The header is row 1; data starts at row 2.

`parse_bulk` only finds where each cell goes: empty cells are left out, so whether a
field is required, and whether a project or indicator is the unit's, is decided by
`validation.validate_values`, whose reasons `column_of` maps back to a column. A row is
returned unless its unit code is missing, invalid or repeated; a problem of the header
(an unknown column, say) leaves the rows but must stop the import all the same.

An evidence cell holds links (http:// or https://) separated by spaces, commas or
semicolons; files are attached through the HTTP channel, not a sheet.
"""

import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from services.intake.domain.fields import describe_th, say
from shared.contracts.intake import UNIT_CODE as UNIT_CODE_PATTERN
from shared.contracts.setup import CODE, Assignment, Form, FormField, Indicator
from shared.thai.input import arabic_digits, code, decimal_text, normalise_text, text

UNIT_CODE = "unit_code"
SUBMISSION_KEY = "submission_key"
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    UNIT_CODE: ("รหัสหน่วยงาน", "รหัสโรงเรียน"),
    SUBMISSION_KEY: ("รหัสการส่ง",),
}
MAX_KEY = 128
_CONTAINERS = {"project": "projects", "indicator": "indicators"}
_SCOPES = ("submission", "project", "indicator")
_LINK_SEPARATORS = re.compile(r"[\s,;]+")
_ITEM_SUFFIX = re.compile(r"\[\d+\]$")
_FIELD_KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")


@dataclass(frozen=True)
class BulkRow:
    """One unit's report: its sheet row, unit, key and values shaped for `validate_values`."""

    row: int
    unit_code: str
    submission_key: str
    values: dict[str, Any]


@dataclass(frozen=True)
class BulkProblem:
    """Something wrong with the sheet; row 1 is the header; `column` as written in it."""

    row: int | None
    column: str | None
    code: str
    message: str


@dataclass(frozen=True)
class _Column:
    """Where the cells of one header column go."""

    position: int
    shown: str
    name: str  # unit_code, submission_key or a field key
    field: FormField | None = None
    code: str | None = None  # the project's or indicator's, for those scopes
    scope: str = "submission"

    @property
    def target(self) -> tuple[str, str | None, str]:
        return self.scope, self.code, self.name


def parse_bulk(
    header: Sequence[object],
    rows: Sequence[Sequence[object]],
    form: Form,
    *,
    round_id: str | None = None,
) -> tuple[list[BulkRow], list[BulkProblem]]:
    """Rows as submissions' values, and every problem of the header and of unit codes.

    An empty `submission_key` becomes `bulk-<hash>` of the round (when given), the form,
    its version, the unit and the row's values: the same row sent twice is one report.
    """
    columns, problems = _read_header(header, form)
    problems += _unnamed_data(header, rows)
    unit_column = next((c for c in columns if c.name == UNIT_CODE and c.field is None), None)
    if unit_column is None:
        return [], problems
    parsed: list[BulkRow] = []
    for number, row in enumerate(rows, start=2):
        if all(_at(row, c.position) is None for c in columns):
            continue  # blank, or data only under no header (reported once per column)
        found, row_problems = _read_row(number, row, columns, unit_column, (form, round_id))
        problems += row_problems
        if found is not None:
            parsed.append(found)
    repeated = _repeated_units(parsed, unit_column.shown)
    problems += repeated
    flagged = {p.row for p in repeated}
    problems.sort(key=lambda p: p.row or 0)
    return [r for r in parsed if r.row not in flagged], problems


def column_of(reason_field: str) -> str:
    """The sheet column of a reason's field: values.projects.P01.budget_spent -> P01:budget_spent.

    A project or indicator as a whole (one not assigned, say) is `<code>:*`.
    """
    path = _ITEM_SUFFIX.sub("", reason_field).removeprefix("values.")
    for container in _CONTAINERS.values():
        if path.startswith(f"{container}."):
            rest = path.removeprefix(f"{container}.")
            item, _, key = rest.rpartition(".")
            if item and _FIELD_KEY.fullmatch(key):
                return f"{item}:{key}"
            return f"{rest}:*"
    return path


TemplateColumn = tuple[str, str, FormField | None, str | None]  # header, comment, field, project


def column_letter(position: int) -> str:
    """The spreadsheet's name of a column: 1 -> A, 27 -> AA."""
    letters = ""
    while position > 0:
        position, rest = divmod(position - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def template_units(form: Form, assignments: Sequence[Assignment]) -> dict[str, list[str]]:
    """The units assigned `form`, each with the projects it reports on."""
    units: dict[str, list[str]] = {}
    for assignment in assignments:
        if assignment.form_id == form.form_id:
            units.setdefault(assignment.unit_code, []).extend(assignment.project_codes)
    return units


def template_columns(
    form: Form,
    project_codes: Sequence[str],
    indicators_by_project: Mapping[str, Sequence[Indicator]],
) -> list[TemplateColumn]:
    """unit_code, submission_key, the submission's fields, each project's, each indicator's."""
    columns: list[TemplateColumn] = [
        (UNIT_CODE, "รหัสหน่วยงาน (กรอกไว้แล้ว)", None, None),
        (SUBMISSION_KEY, "รหัสการส่ง: เว้นว่างได้ ระบบจะสร้างให้", None, None),
    ]

    def described(field: FormField, where: str = "") -> str:
        required = "\nจำเป็นต้องกรอก" if field.required else ""
        return f"{field.label_th}{where}\n{describe_th(field)}{required}"

    fields = {scope: [f for f in form.fields if f.scope == scope] for scope in _SCOPES}
    columns += [(f.key, described(f), f, None) for f in fields["submission"]]
    for project_code in project_codes:
        where = f"\nโครงการ {project_code}"
        columns += [
            (f"{project_code}:{f.key}", described(f, where), f, project_code)
            for f in fields["project"]
        ]
    for project_code in project_codes:
        for indicator in indicators_by_project.get(project_code, ()):
            where = f"\nตัวชี้วัด {indicator.code}: {indicator.name_th}"
            columns += [
                (f"{indicator.code}:{f.key}", described(f, where), f, project_code)
                for f in fields["indicator"]
            ]
    return columns


def _read_header(header: Sequence[object], form: Form) -> tuple[list[_Column], list[BulkProblem]]:
    """Which column is where; unknown, repeated, ambiguous and missing columns are row 1's."""
    candidates = [
        (position, shown, _match(position, shown, form))
        for position, raw in enumerate(header)
        if (shown := text(raw)) is not None
    ]
    scopes_of: dict[str | None, set[str]] = {}
    for _, _, found in candidates:
        if len(found) == 1:
            scopes_of.setdefault(found[0].code, set()).add(found[0].scope)
    columns: list[_Column] = []
    problems: list[BulkProblem] = []
    seen: dict[tuple[str, str | None, str], str] = {}
    for _, shown, readings in candidates:
        found = readings
        if len(readings) > 1:  # a key of both scopes: the code's other columns decide
            found = [c for c in readings if scopes_of.get(c.code) == {c.scope}]
        if len(found) != 1:
            problems.append(_unknown_column(shown, ambiguous=len(readings) > 1))
        elif found[0].target in seen:
            th = f"คอลัมน์ “{shown}” ซ้ำกับคอลัมน์ “{seen[found[0].target]}”"
            message = say(th, f"repeats column {seen[found[0].target]!r}")
            problems.append(BulkProblem(1, shown, "duplicate_column", message))
        else:
            seen[found[0].target] = shown
            columns.append(found[0])
    if not any(c.name == UNIT_CODE and c.field is None for c in columns):
        th = "ไม่มีคอลัมน์ unit_code (รหัสหน่วยงาน) ซึ่งจำเป็น"
        message = say(th, "the required column unit_code is missing")
        problems.append(BulkProblem(1, UNIT_CODE, "missing_column", message))
    return columns, problems


def _header_key(header: str) -> str:
    """What a header is matched by: "Unit  Code" and "unit_code" are the same column."""
    return "_".join(normalise_text(header).casefold().split())


def _match(position: int, shown: str, form: Form) -> list[_Column]:
    """Every reading of a header: none (unknown), one, or a project and an indicator one."""
    key = _header_key(shown)
    for name, aliases in HEADER_ALIASES.items():
        if key in {_header_key(n) for n in (name, *aliases)}:
            return [_Column(position, shown, name)]
    field = _field(form, "submission", key)
    if field is not None:
        return [_Column(position, shown, field.key, field)]
    typed_code, colon, rest = shown.partition(":")
    item_code = arabic_digits(typed_code.strip())
    if not colon or not re.fullmatch(CODE, item_code):
        return []
    return [
        _Column(position, shown, field.key, field, item_code, scope)
        for scope in _CONTAINERS
        if (field := _field(form, scope, _header_key(rest))) is not None
    ]


def _field(form: Form, scope: str, key: str) -> FormField | None:
    """The field of `scope` whose key or Thai label the header names."""
    for field in form.fields:
        if field.scope == scope and key in (_header_key(field.key), _header_key(field.label_th)):
            return field
    return None


def _unknown_column(shown: str, *, ambiguous: bool) -> BulkProblem:
    if ambiguous:
        th = f"ไม่ทราบว่า “{shown}” เป็นของโครงการหรือของตัวชี้วัด"
        message = say(th, "the field is both a project and an indicator field of this form")
        return BulkProblem(1, shown, "ambiguous_column", message)
    th = f"ไม่รู้จักคอลัมน์ “{shown}” ในแบบรายงานนี้"
    return BulkProblem(1, shown, "unknown_column", say(th, "unknown column"))


def _unnamed_data(header: Sequence[object], rows: Sequence[Sequence[object]]) -> list[BulkProblem]:
    """Data under a column with no header, once per column (named by its letter)."""
    named = {position for position, raw in enumerate(header) if text(raw) is not None}
    stray = sorted(
        {
            position
            for row in rows
            for position, value in enumerate(row)
            if position not in named and _at(row, position) is not None
        }
    )
    th, en = "มีข้อมูลในคอลัมน์ที่ไม่มีหัวคอลัมน์", "data under a column with no header"
    return [BulkProblem(1, column_letter(p + 1), "unknown_column", say(th, en)) for p in stray]


def _read_row(
    number: int,
    row: Sequence[object],
    columns: Sequence[_Column],
    unit_column: _Column,
    identity: tuple[Form, str | None],
) -> tuple[BulkRow | None, list[BulkProblem]]:
    """One row's unit, key and values; no row without a valid unit code."""
    problems: list[BulkProblem] = []
    unit_code = code(_at(row, unit_column.position))
    if unit_code is None:
        message = say("ต้องระบุรหัสหน่วยงาน", "unit_code is required")
        problems.append(BulkProblem(number, unit_column.shown, "required", message))
    elif not re.fullmatch(UNIT_CODE_PATTERN, unit_code):
        th = f"“{unit_code}” ไม่ใช่รหัสหน่วยงาน"
        message = say(th, "not a unit code (letters, digits, '.', '_' or '-'; at most 32)")
        problems.append(BulkProblem(number, unit_column.shown, "invalid", message))
    key_column = next((c for c in columns if c.name == SUBMISSION_KEY and c.field is None), None)
    typed_key = None if key_column is None else text(_at(row, key_column.position))
    if key_column is not None and typed_key is not None and len(typed_key) > MAX_KEY:
        th = f"รหัสการส่งยาวเกิน {MAX_KEY} ตัวอักษร"
        message = say(th, f"longer than {MAX_KEY} characters")
        problems.append(BulkProblem(number, key_column.shown, "invalid", message))
    if problems or unit_code is None:
        return None, problems
    values = _values(row, columns)
    key = typed_key or _derived_key(identity, unit_code, values)
    return BulkRow(number, unit_code, key, values), problems


def _values(row: Sequence[object], columns: Sequence[_Column]) -> dict[str, Any]:
    """The row's non-empty cells, shaped as `validate_values` expects them."""
    values: dict[str, Any] = {}
    for column in columns:
        if column.field is None:
            continue
        value = _cell(_at(row, column.position), column.field)
        if value is None:
            continue
        if column.code is None:
            values[column.name] = value
        else:
            items = values.setdefault(_CONTAINERS[column.scope], {})
            items.setdefault(column.code, {})[column.name] = value
    return values


def _cell(raw: object, field: FormField) -> Any:
    """A cell as a JSON value, as typed; converting it is `validate_values`'s work."""
    if _present(raw) is None:
        return None
    if field.field_type == "evidence":
        links = _LINK_SEPARATORS.split(text(raw) or "")
        return [{"url": link} for link in links if link]
    if field.field_type == "date" and isinstance(raw, date | datetime):
        return (raw.date() if isinstance(raw, datetime) else raw).isoformat()
    if isinstance(raw, bool | int):
        return raw
    if isinstance(raw, float):
        return int(raw) if raw.is_integer() else raw
    if isinstance(raw, Decimal):
        return decimal_text(raw) if raw.is_finite() else str(raw)
    return text(raw)


def _derived_key(identity: tuple[Form, str | None], unit_code: str, values: Any) -> str:
    form, round_id = identity
    content = {
        "round_id": round_id,
        "form_id": form.form_id,
        "form_version": form.version,
        "unit_code": unit_code,
        "values": values,
    }
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return f"bulk-{hashlib.sha256(encoded.encode()).hexdigest()[:32]}"


def _repeated_units(parsed: Sequence[BulkRow], shown: str) -> list[BulkProblem]:
    """Every row of a unit that appears more than once, naming the others."""
    rows_of: dict[str, list[int]] = {}
    for found in parsed:
        rows_of.setdefault(found.unit_code, []).append(found.row)
    problems: list[BulkProblem] = []
    for unit_code, numbers in rows_of.items():
        for number in numbers if len(numbers) > 1 else ():
            others = ", ".join(str(n) for n in numbers if n != number)
            th = f"หน่วยงาน {unit_code} มีมากกว่าหนึ่งแถว (ซ้ำกับแถว {others})"
            message = say(th, f"unit {unit_code} is also on row {others}")
            problems.append(BulkProblem(number, shown, "duplicate_unit", message))
    return problems


def _at(row: Sequence[object], position: int) -> object:
    """The cell, or None when it is empty or past the row's end."""
    return _present(row[position]) if position < len(row) else None


def _present(raw: object) -> object:
    return None if raw is None or (isinstance(raw, str) and text(raw) is None) else raw
