"""Bar charts as self-contained SVG, drawn from a `BarChart` with no plotting library.

Decisions:
- Horizontal bars, one row per label and one bar per series in it: Thai labels are long
  and read best on the left. The width is fixed (640 units); the height grows with the rows.
- The PDF does not embed this SVG: WeasyPrint draws SVG text code point by code point
  (Kozea/WeasyPrint#2249), which tears Thai vowels and tone marks off their consonants.
  It draws the same chart as HTML boxes instead, with `fraction`, `ticks`, `value_text`
  and `FILLS` from here, so both charts share their scale, colours and wording.
- SVG text does not wrap, so labels are wrapped here by an estimate of their width: Thai
  above/below vowels and tone marks take no width, lines break at spaces, and a word longer
  than a line is cut where no Thai vowel or mark would start or end a line badly.
- Values are written with `format_cell` (percent, or decimal plus the unit), and labels
  and series names as its text cells, so the chart says what the tables say. A missing
  value has no bar and reads "–"; a value beyond the axis is drawn to the axis end but
  labelled with its real value.
- All text is escaped; the font is Laksaman, the TH Sarabun New clone the PDF uses.
"""

import unicodedata
from collections.abc import Iterator
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from services.reporting.domain.document import BarChart, CellKind, format_cell

WIDTH = 640
FONT_FAMILY = "Laksaman"
FILLS = ("#1f4e79", "#c55a11", "#548235", "#7f6000", "#7030a0", "#2e75b6")
GRID = "#d0d0d0"
TARGET = "#c00000"

_PAD = 8
_TITLE_SIZE = 22
_TEXT_SIZE = 19
_VALUE_SIZE = 17
_LINE_HEIGHT = 21
_LABEL_WIDTH = 190  # units for the label column
_CHAR_WIDTH = 0.6  # of the font size: a generous average for a visible Thai character
_LABEL_CHARS = int(_LABEL_WIDTH / (_CHAR_WIDTH * _TEXT_SIZE))  # per line of a label
_BAR_HEIGHT = 17
_BAR_GAP = 2
_ROW_PAD = 5
_TICKS = 4  # intervals on the axis
_DIGIT_WIDTH = 0.55  # of the font size, a generous estimate for digits and "%"

_NOT_LINE_START = frozenset("ะาำๅๆ")  # Thai following vowels and the repeat mark
_NOT_LINE_END = frozenset("เแโใไ")  # Thai leading vowels


def _width(text: str) -> int:
    """Visible characters: Thai vowels above or below and tone marks take no width."""
    return sum(1 for char in text if unicodedata.category(char) != "Mn")


def _can_break_before(word: str, index: int) -> bool:
    char, previous = word[index], word[index - 1]
    return (
        unicodedata.category(char) != "Mn"
        and char not in _NOT_LINE_START
        and previous not in _NOT_LINE_END
    )


def _pieces(word: str, limit: int) -> Iterator[str]:
    """A word cut into pieces of at most about `limit` visible characters."""
    start = 0
    for index in range(1, len(word)):
        if _width(word[start:index]) >= limit and _can_break_before(word, index):
            yield word[start:index]
            start = index
    yield word[start:]


def _wrap(text: str, limit: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split():
        for piece in _pieces(word, limit):
            if line and _width(line) + 1 + _width(piece) > limit:
                lines.append(line)
                line = piece
            else:
                line = f"{line} {piece}" if line else piece
    if line:
        lines.append(line)
    return lines or [""]


def value_text(chart: BarChart, value: Decimal | None, *, digits_th: bool) -> str:
    """A value as the chart labels it: "85.50%", or "12.00 คน" for another unit."""
    if chart.unit == "%" or value is None:
        return format_cell(value, "percent", digits_th=digits_th)
    return f"{format_cell(value, 'decimal', digits_th=digits_th)} {chart.unit}"


def fraction(chart: BarChart, value: Decimal) -> float:
    """Where a value falls on the axis, 0–1, clipped at both ends."""
    if chart.maximum <= 0:
        return 0.0
    return float(min(max(value, Decimal(0)), chart.maximum) / chart.maximum)


def ticks(chart: BarChart, *, digits_th: bool) -> list[tuple[float, str]]:
    """The axis marks as (fraction, text): 0, a quarter, ... the maximum."""
    marks = []
    for step in range(_TICKS + 1):
        value = chart.maximum * step / _TICKS
        kind: CellKind = "integer" if value == value.to_integral_value() else "decimal"
        number = format_cell(value, kind, digits_th=digits_th)
        marks.append((step / _TICKS, f"{number}%" if chart.unit == "%" else number))
    return marks


def _text(x: float, y: float, content: str, *, size: int, **attributes: str) -> str:
    extra = "".join(f" {name.replace('_', '-')}={quoteattr(v)}" for name, v in attributes.items())
    return f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}"{extra}>{escape(content)}</text>'


def bar_chart_svg(chart: BarChart, *, digits_th: bool) -> str:
    """The chart as an SVG document (a string), 640 units wide."""
    count = len(chart.series)
    values = [
        [s.values[i] if i < len(s.values) else None for s in chart.series]
        for i in range(len(chart.labels))
    ]
    texts = [[value_text(chart, v, digits_th=digits_th) for v in row] for row in values]
    longest = max((_width(t) for row in texts for t in row), default=1)
    value_room = longest * _DIGIT_WIDTH * _VALUE_SIZE + 2 * _PAD
    left = _PAD + _LABEL_WIDTH + _PAD
    right = WIDTH - value_room

    def x_of(value: Decimal) -> float:
        return left + (right - left) * fraction(chart, value)

    parts: list[str] = []
    y = float(_PAD)
    if chart.title_th:
        y += _TITLE_SIZE
        parts.append(
            _text(
                WIDTH / 2,
                y,
                chart.title_th,
                size=_TITLE_SIZE,
                font_weight="bold",
                text_anchor="middle",
            )
        )
        y += _PAD
    if chart.target is not None:
        y += _VALUE_SIZE
        target_x = x_of(chart.target)
        anchor = "end" if target_x > (left + right) / 2 else "start"
        label = f"เป้าหมาย {value_text(chart, chart.target, digits_th=digits_th)}"
        parts.append(_text(target_x, y, label, size=_VALUE_SIZE, fill=TARGET, text_anchor=anchor))
        y += 4
    plot_top = y

    group_height = count * (_BAR_HEIGHT + _BAR_GAP) - _BAR_GAP
    for label, row, row_texts in zip(chart.labels, values, texts, strict=True):
        lines = _wrap(format_cell(label, "text", digits_th=digits_th), _LABEL_CHARS)
        height = max(len(lines) * _LINE_HEIGHT, group_height) + 2 * _ROW_PAD
        first_line = y + (height - len(lines) * _LINE_HEIGHT) / 2 + _LINE_HEIGHT - 5
        for number, line in enumerate(lines):
            parts.append(_text(_PAD, first_line + number * _LINE_HEIGHT, line, size=_TEXT_SIZE))
        bar_y = y + (height - group_height) / 2
        for index, (value, text) in enumerate(zip(row, row_texts, strict=True)):
            end = left if value is None else x_of(value)
            if end > left:
                parts.append(
                    f'<rect x="{left:.1f}" y="{bar_y:.1f}" width="{end - left:.1f}" '
                    f'height="{_BAR_HEIGHT}" fill="{FILLS[index % len(FILLS)]}"/>'
                )
            parts.append(_text(end + 4, bar_y + _BAR_HEIGHT - 3, text, size=_VALUE_SIZE))
            bar_y += _BAR_HEIGHT + _BAR_GAP
        y += height
    plot_bottom = max(y, plot_top + _ROW_PAD)

    grid: list[str] = []
    for share, text in ticks(chart, digits_th=digits_th):
        x = left + (right - left) * share
        grid.append(
            f'<line x1="{x:.1f}" y1="{plot_top:.1f}" x2="{x:.1f}" y2="{plot_bottom:.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        grid.append(
            _text(x, plot_bottom + _VALUE_SIZE + 2, text, size=_VALUE_SIZE, text_anchor="middle")
        )
    overlay = [
        f'<line x1="{left:.1f}" y1="{plot_bottom:.1f}" x2="{right:.1f}" y2="{plot_bottom:.1f}" '
        'stroke="#000" stroke-width="1"/>'
    ]
    if chart.target is not None:
        x = x_of(chart.target)
        overlay.append(
            f'<line x1="{x:.1f}" y1="{plot_top:.1f}" x2="{x:.1f}" y2="{plot_bottom:.1f}" '
            f'stroke="{TARGET}" stroke-width="1.5" stroke-dasharray="6 4"/>'
        )
    y = plot_bottom + _VALUE_SIZE + 2 + _PAD

    if count > 1:
        x = float(left)
        y += _LINE_HEIGHT - 4
        for index, series in enumerate(chart.series):
            name = format_cell(series.name_th, "text", digits_th=digits_th)
            item_width = 18 + _width(name) * _CHAR_WIDTH * _TEXT_SIZE + 2 * _PAD
            if x > left and x + item_width > WIDTH:
                x = float(left)
                y += _LINE_HEIGHT
            overlay.append(
                f'<rect x="{x:.1f}" y="{y - 13:.1f}" width="14" height="14" '
                f'fill="{FILLS[index % len(FILLS)]}"/>'
            )
            overlay.append(_text(x + 18, y, name, size=_TEXT_SIZE))
            x += item_width
    height = round(y + _PAD)

    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" '
        f'viewBox="0 0 {WIDTH} {height}" font-family="{FONT_FAMILY}" role="img">'
        f"<title>{escape(chart.title_th)}</title>{''.join(grid + parts + overlay)}</svg>"
    )
