"""A report as data, before any format: sections of paragraphs, figures, tables and charts.

Every report (annual, round, evaluation, inspection, reporting rate, exports) is built as a
`Document` by a pure function; the PDF, XLSX, DOCX and CSV renderers each turn any document
into their format. So the same data gives the same content in every format, and the
wording and numbers are decided once, here and in the builders.

Cells hold typed values; `format_cell` is the one way a value is written as text (PDF,
DOCX, CSV): integers with thousands separators, decimals and baht with two decimals,
percentages as "85.50%", dates as Thai short dates in the Buddhist Era, Thai digits on
request. XLSX keeps numbers as numbers with a matching number format.
"""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.thai.calendar import format_short, thai_digits

CellKind = Literal["text", "integer", "decimal", "percent", "baht", "date"]
Cell = str | int | Decimal | date | None

NO_VALUE = "–"  # what an empty cell prints as
TWO_PLACES = Decimal("0.01")


class _Data(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Column(_Data):
    title_th: str = Field(min_length=1)
    kind: CellKind = "text"
    width: int | None = Field(
        None, ge=4, le=80, description="Characters; None: from the longest value."
    )
    nowrap: bool = Field(False, description="Never wrapped (codes, short labels).")


class Table(_Data):
    """Rows of typed cells under a header that repeats on every page."""

    kind: Literal["table"] = "table"
    title_th: str = Field(min_length=1)
    sheet_th: str = Field(
        min_length=1, max_length=31, description="XLSX sheet name (Excel allows 31 characters)."
    )
    columns: tuple[Column, ...] = Field(min_length=1)
    rows: tuple[tuple[Cell, ...], ...] = ()
    empty_th: str = "ไม่มีข้อมูล"
    total_row: tuple[Cell, ...] | None = Field(None, description="Printed bold after the rows.")


class Series(_Data):
    name_th: str
    values: tuple[Decimal | None, ...]


class BarChart(_Data):
    """Horizontal bars, one group per label; values are percentages unless `unit` says."""

    kind: Literal["bar_chart"] = "bar_chart"
    title_th: str
    labels: tuple[str, ...]
    series: tuple[Series, ...] = Field(min_length=1)
    unit: str = "%"
    maximum: Decimal = Decimal(100)
    target: Decimal | None = Field(None, description="A reference line, e.g. 100% of target.")


class Paragraph(_Data):
    kind: Literal["paragraph"] = "paragraph"
    text_th: str


class Figure(_Data):
    label_th: str
    value: Cell
    cell_kind: CellKind = "text"


class Figures(_Data):
    """Key figures printed as a two-column list (label, value)."""

    kind: Literal["figures"] = "figures"
    items: tuple[Figure, ...]


Block = Paragraph | Figures | Table | BarChart


class Section(_Data):
    heading_th: str
    level: Literal[1, 2] = 1
    blocks: tuple[Block, ...] = ()


class Signature(_Data):
    """One signature of the block that closes a report: who signs, and as what."""

    role_th: str = Field(examples=["ผู้รายงาน"])
    name_th: str | None = Field(None, description="None: a dotted line to write it on.")
    position_th: str | None = None


class Cover(_Data):
    """A cover page: the report's title, office and fiscal year, and the date it was made."""

    title_th: str
    office_th: str
    year_th: str = Field(examples=["ปีงบประมาณ พ.ศ. 2570"])
    note_th: str = ""


class Document(_Data):
    report_type: str = Field(examples=["round"])
    title_th: str
    subtitle_th: str = ""
    office_th: str = Field(description="Printed in every page's header.")
    made_on: date
    sections: tuple[Section, ...] = ()
    thai_digits: bool = False
    landscape: bool = Field(False, description="A4 landscape, for tables of many columns.")
    file_stem: str = Field(description="The download's file name without extension (Thai).")
    cover: Cover | None = Field(None, description="A cover page before everything else.")
    contents: bool = Field(False, description="A table of contents after the cover.")
    signatures: tuple[Signature, ...] = Field((), description="Signed at the end.")

    def tables(self) -> list[Table]:
        return [block for s in self.sections for block in s.blocks if isinstance(block, Table)]


def _grouped(value: Decimal, places: int) -> str:
    quantum = Decimal(1).scaleb(-places)
    return f"{value.quantize(quantum, rounding=ROUND_HALF_UP):,.{places}f}"


def format_cell(value: Cell, kind: CellKind, *, digits_th: bool = False) -> str:
    """A cell as printed in PDF, DOCX and CSV."""
    if value is None or value == "":
        return NO_VALUE
    if kind == "date" and isinstance(value, date):
        text = format_short(value)
    elif kind == "integer" and isinstance(value, int | Decimal):
        text = _grouped(Decimal(value), 0)
    elif kind in ("decimal", "baht") and isinstance(value, int | Decimal):
        text = _grouped(Decimal(value), 2)
    elif kind == "percent" and isinstance(value, int | Decimal):
        text = f"{_grouped(Decimal(value), 2)}%"
    else:
        text = str(value)
    return thai_digits(text) if digits_th else text


def satang_to_baht(satang: int | None) -> Decimal | None:
    return None if satang is None else (Decimal(satang) / 100).quantize(TWO_PLACES)
