"""A `BarChart` as a PNG image, for the DOCX (Word shows no HTML, and its own charts would
need a spreadsheet behind them).

Decisions:
- Drawn with Pillow (WeasyPrint's own dependency) through its libraqm layout, which shapes
  Thai with HarfBuzz: vowels and tone marks sit on their consonants, unlike SVG text in
  WeasyPrint. The font is Laksaman, as in the PDF; the scale, colours and wording are the
  SVG and HTML charts' (`fraction`, `ticks`, `value_text`, `FILLS`).
- Labels wrap where Pango (with libthai, through WeasyPrint's bindings) allows a line break,
  as the PDF's do, measured with the font itself.
- 16 cm wide at 200 dpi; the same chart gives the same bytes (no timestamp in the PNG).
"""

import io
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from weasyprint.text.ffi import ffi, pango

from services.reporting.adapters.charts import FILLS, TARGET, fraction, ticks, value_text
from services.reporting.domain.document import BarChart, format_cell

WIDTH_CM = 16.0
_DPI = 200
_WIDTH = round(WIDTH_CM / 2.54 * _DPI)
_TEXT = 27  # px: 9.75 pt Laksaman at 200 dpi, about the PDF's chart text
_PAD = 16
_LABEL_SHARE = 0.36
_PLOT_SHARE = 0.80  # of the plot area the axis takes; the rest holds the value labels
_BAR = 26
_BAR_GAP = 4
_ROW_PAD = 10
_FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"))


@cache
def _font(bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "Laksaman-Bold.ttf" if bold else "Laksaman.ttf"
    for folder in _FONT_DIRS:
        for path in sorted(folder.rglob(name)) if folder.is_dir() else ():
            return ImageFont.truetype(str(path), _TEXT, layout_engine=ImageFont.Layout.RAQM)
    raise RuntimeError(f"font {name} not found (Debian: fonts-tlwg-laksaman)")


def _segments(text: str) -> list[str]:
    """The text cut where a line may break, by Pango and libthai as in the PDF."""
    encoded = text.encode()
    attrs = ffi.new("PangoLogAttr[]", len(text) + 1)
    language = pango.pango_language_from_string(b"th")
    pango.pango_get_log_attrs(encoded, len(encoded), -1, language, attrs, len(text) + 1)
    cuts = [i for i in range(1, len(text)) if attrs[i].is_line_break]
    return [text[i:j] for i, j in zip([0, *cuts], [*cuts, len(text)], strict=True)]


def _wrap(text: str, width: float, font: ImageFont.FreeTypeFont) -> list[str]:
    """Lines that fit `width` (a piece longer than a line stands alone)."""
    lines: list[str] = []
    line = ""
    for piece in _segments(text):
        if line and font.getlength((line + piece).rstrip()) > width:
            lines.append(line.rstrip())
            line = ""
        line += piece
    return [*lines, line.rstrip()]


def chart_png(chart: BarChart, *, digits_th: bool) -> bytes:
    """The chart as PNG bytes, `WIDTH_CM` wide at 200 dpi."""
    font, bold = _font(), _font(bold=True)
    label_width = _WIDTH * _LABEL_SHARE
    plot_left = label_width + _PAD
    plot_width = (_WIDTH - plot_left - _PAD) * _PLOT_SHARE
    line = round(_TEXT * 1.45)
    labels = [
        _wrap(format_cell(label, "text", digits_th=digits_th), label_width - _PAD, font)
        for label in chart.labels
    ]
    title = _wrap(chart.title_th, _WIDTH - 2 * _PAD, bold)
    bars_height = len(chart.series) * (_BAR + _BAR_GAP)
    rows = [max(len(lines) * line, bars_height) + 2 * _ROW_PAD for lines in labels]
    legend = len(chart.series) > 1 or chart.target is not None
    top = _PAD + len(title) * line + _PAD
    height = top + sum(rows) + line + (line if legend else 0) + 2 * _PAD
    image = Image.new("RGB", (_WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    for number, text in enumerate(title):
        draw.text((_WIDTH / 2, _PAD + number * line), text, fill="black", font=bold, anchor="ma")
    y = top
    for row, (lines, row_height) in enumerate(zip(labels, rows, strict=True)):
        label_top = y + (row_height - len(lines) * line) / 2
        for number, text in enumerate(lines):
            draw.text((_PAD, label_top + number * line), text, fill="black", font=font)
        bar_y = y + (row_height - bars_height) / 2
        for index, series in enumerate(chart.series):
            value = series.values[row] if row < len(series.values) else None
            length = 0.0 if value is None else fraction(chart, value) * plot_width
            fill = FILLS[index % len(FILLS)]
            if length:
                draw.rectangle((plot_left, bar_y, plot_left + length, bar_y + _BAR), fill=fill)
            text = value_text(chart, value, digits_th=digits_th)
            draw.text(
                (plot_left + length + 6, bar_y + _BAR / 2),
                text,
                fill="black",
                font=font,
                anchor="lm",
            )
            bar_y += _BAR + _BAR_GAP
        y += row_height
    draw.line((plot_left, top, plot_left, y), fill="black", width=2)
    draw.line((plot_left, y, plot_left + plot_width, y), fill="black", width=2)
    for share, text in ticks(chart, digits_th=digits_th):
        x = plot_left + share * plot_width
        draw.line((x, y, x, y + 8), fill="black", width=2)
        draw.text((x, y + 8), text, fill="black", font=font, anchor="ma")
    if chart.target is not None:
        x = plot_left + fraction(chart, chart.target) * plot_width
        for dash in range(top, y, 16):
            draw.line((x, dash, x, min(dash + 9, y)), fill=TARGET, width=3)
    if legend:
        _legend(draw, chart, y + line + _PAD, font, digits_th=digits_th)
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(_DPI, _DPI))
    return out.getvalue()


def _legend(
    draw: ImageDraw.ImageDraw,
    chart: BarChart,
    y: float,
    font: ImageFont.FreeTypeFont,
    *,
    digits_th: bool,
) -> None:
    keys = [
        (FILLS[i % len(FILLS)], format_cell(s.name_th, "text", digits_th=digits_th))
        for i, s in enumerate(chart.series)
    ]
    if chart.target is not None:
        keys.append((TARGET, f"เป้าหมาย {value_text(chart, chart.target, digits_th=digits_th)}"))
    widths = [28 + 8 + font.getlength(name) + 30 for _, name in keys]
    x = (_WIDTH - sum(widths)) / 2
    for (fill, name), width in zip(keys, widths, strict=True):
        draw.rectangle((x, y + 6, x + 28, y + 26), fill=fill)
        draw.text((x + 36, y + 16), name, fill="black", font=font, anchor="lm")
        x += width
