"""The bulk sheet to fill in, as an XLSX: the columns `domain.bulk` reads, ready to type."""

import io
from collections.abc import Mapping, Sequence

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from services.intake.domain.bulk import template_columns, template_units
from shared.contracts.setup import Assignment, Form, Indicator


def bulk_template(
    form: Form,
    assignments: Sequence[Assignment],
    indicators_by_project: Mapping[str, Sequence[Indicator]],
) -> bytes:
    """An XLSX to fill in: one row per unit assigned `form`, its unit_code filled in.

    Headers are what `parse_bulk` reads, with the Thai label and what to type as a comment;
    required fields are shaded yellow, and cells of a project (or its indicators) the unit
    does not report on are shaded grey.
    """
    units = template_units(form, assignments)
    project_codes = dict.fromkeys(c for codes in units.values() for c in codes)
    columns = template_columns(form, list(project_codes), indicators_by_project)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "รายงาน"
    for position, (header, comment, field, _) in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=position, value=header)
        cell.font = Font(bold=True)
        cell.comment = Comment(comment, "Tidtam", width=320, height=120)
        if field is None or field.required:
            cell.fill = PatternFill("solid", fgColor="FFF2CC")
        sheet.column_dimensions[get_column_letter(position)].width = max(14, len(header) + 4)
    grey = PatternFill("solid", fgColor="D9D9D9")
    for number, (unit_code, codes) in enumerate(units.items(), start=2):
        for position, (_, _, field, owner) in enumerate(columns, start=1):
            cell = sheet.cell(row=number, column=position)
            if field is None or field.field_type in ("text", "date"):
                cell.number_format = "@"  # codes keep leading zeros, 1/10/2569 stays Thai
            if owner is not None and owner not in codes:
                cell.fill = grey
        sheet.cell(row=number, column=1, value=unit_code)
    sheet.freeze_panes = "B2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
