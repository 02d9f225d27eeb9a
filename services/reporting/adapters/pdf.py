"""Any `Document` as a PDF in the look of a Thai government document, via HTML and WeasyPrint.

Decisions:
- One Jinja2 template (autoescaped) and one stylesheet: A4 portrait, margins 2.5 cm left
  and 2 cm elsewhere, Laksaman (the TH Sarabun New clone fontconfig finds; nothing is
  downloaded). Laksaman draws TH Sarabun New 1.5 times larger on the em, so its sizes are
  the official ones times 0.66: 10.5 pt prints like 16 pt TH Sarabun New (see the CSS).
- The office is a running element in the top-right page margin, so its text is escaped as
  HTML rather than pasted into CSS; the footer is "หน้า x / y" from the page counters,
  in Thai digits when the document asks for them (the CSS `thai` counter style).
- Table headers are <thead>, which WeasyPrint repeats on every page a table runs onto; the
  total is the last body row (a <tfoot> would repeat too) and rows are not split.
- Thai is broken into lines by Pango through libthai, with or without lang="th" (kept for
  hyphenation and for readers), at every word of libthai's dictionary, compounds included
  (หน่วย|งาน, คณะ|กรรมการ): a column squeezed to its narrowest breaks at each of them, which
  is what made words look torn in table cells (`overflow-wrap` changed nothing, measured).
  So codes, numbers, dates and short labels (`Column.nowrap`) never wrap, and the text
  columns share what is left, wide enough that they break only at line ends.
- Text copied from the PDF turns ำ into า or the reverse (measured with pdftotext on
  Laksaman, Garuda, Kinnari, Loma, Norasi, Waree and the console's Sarabun alike, with or
  without the `ccmp` feature): HarfBuzz's Thai shaper itself splits SARA AM into NIKHAHIT +
  SARA AA glyphs, and the PDF's ToUnicode map gives each glyph one text: WeasyPrint gives
  a cluster's text to its last glyph the first time it draws that glyph, so the SARA AA
  glyph reads back as whichever of า / ำ came first (and a tone mark drawn with a shifted
  glyph likewise: ครู may come back as คร้). So the PDF uses `thai_font`'s Laksaman, whose
  ำ has a SARA AA glyph of its own: า and ำ copy back right (a tone mark sharing the ำ's
  cluster, as in น้ำ, may still be lost; only `ActualText` spans, which WeasyPrint does
  not write, would keep every mark).
- Charts are HTML boxes, not the SVG of `charts.bar_chart_svg`: WeasyPrint draws SVG text
  code point by code point and tears Thai vowels and tone marks off their consonants. The
  boxes use the scale, colours and wording of the SVG chart.
- Every cell goes through `format_cell`; the HTML is exposed as `render_html` for tests.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path

from jinja2 import Environment, FileSystemLoader
from markupsafe import Markup
from weasyprint import HTML

from services.reporting.adapters import thai_font
from services.reporting.adapters.charts import FILLS, fraction, ticks, value_text
from services.reporting.domain.document import (
    BarChart,
    Cell,
    CellKind,
    Column,
    Document,
    format_cell,
)
from shared.thai.calendar import format_long

# WeasyPrint logs every layout step at INFO: a report's worth of lines in the service log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

_TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
)


_PLOT_SHARE = 80  # percent of the plot cell the axis takes; the rest holds the value labels


@dataclass(frozen=True)
class _Bar:
    width: float  # percent of the plot cell
    fill: str
    text: str


@dataclass(frozen=True)
class _ChartRow:
    label: str
    bars: list[_Bar]


@dataclass(frozen=True)
class _ChartView:
    """A bar chart laid out as HTML boxes, with the scale and labels of the SVG chart."""

    rows: list[_ChartRow]
    ticks: list[tuple[float, str]]
    target: float | None
    target_text: str
    legend: list[tuple[str, str]]
    share: int = _PLOT_SHARE


def _chart_view(chart: BarChart, *, digits_th: bool) -> _ChartView:
    def as_text(label: str) -> str:
        return format_cell(label, "text", digits_th=digits_th)

    def bar(index: int, values: Sequence[Decimal | None], row: int) -> _Bar:
        value = values[row] if row < len(values) else None
        width = 0.0 if value is None else fraction(chart, value) * _PLOT_SHARE
        text = value_text(chart, value, digits_th=digits_th)
        return _Bar(round(width, 2), FILLS[index % len(FILLS)], text)

    rows = [
        _ChartRow(as_text(label), [bar(i, s.values, row) for i, s in enumerate(chart.series)])
        for row, label in enumerate(chart.labels)
    ]
    legend = [(FILLS[i % len(FILLS)], as_text(s.name_th)) for i, s in enumerate(chart.series)]
    view = _ChartView(
        rows=rows,
        ticks=[(round(share * 100, 2), text) for share, text in ticks(chart, digits_th=digits_th)],
        target=None,
        target_text="",
        legend=legend if len(legend) > 1 else [],
    )
    if chart.target is None:
        return view
    return replace(
        view,
        target=round(fraction(chart, chart.target) * _PLOT_SHARE, 2),
        target_text=f"เป้าหมาย {value_text(chart, chart.target, digits_th=digits_th)}",
    )


def _alignment(kind: CellKind) -> str:
    """The CSS class of a cell: numbers to the right, dates centred, text to the left."""
    if kind in ("integer", "decimal", "percent", "baht"):
        return "number"
    return "date" if kind == "date" else "text"


def render_html(document: Document) -> str:
    """The HTML that `render_pdf` prints."""
    digits_th = document.thai_digits

    def cell(value: Cell, kind: CellKind) -> str:
        return format_cell(value, kind, digits_th=digits_th)

    def cells(row: Sequence[Cell], columns: Sequence[Column]) -> list[tuple[str, str]]:
        padded = [*row, *[None] * len(columns)][: len(columns)]
        return [
            (cell(v, c.kind), _alignment(c.kind) + (" nowrap" if c.nowrap else ""))
            for v, c in zip(padded, columns, strict=True)
        ]

    def chart(block: BarChart) -> _ChartView:
        return _chart_view(block, digits_th=digits_th)

    return _TEMPLATES.get_template("document.html.j2").render(
        document=document,
        made_on=format_long(document.made_on, digits="thai" if digits_th else "arabic"),
        counter_style="thai" if digits_th else "decimal",
        font_faces=Markup(thai_font.font_faces()),
        family=thai_font.FAMILY,
        cell=cell,
        cells=cells,
        alignment=_alignment,
        chart=chart,
    )


def render_pdf(document: Document) -> bytes:
    """The document as PDF bytes (text stable, bytes not: WeasyPrint stamps an id)."""
    pdf: bytes = HTML(string=render_html(document)).write_pdf()
    return pdf
