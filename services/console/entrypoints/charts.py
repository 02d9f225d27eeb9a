"""ECharts options for the pages, as JSON: the browser draws them (Thai text shaped by the
browser itself, in Sarabun)."""

import json
from collections.abc import Sequence
from decimal import Decimal

from services.console.domain.glance import Rate
from services.console.domain.text import Speech

FONT = "Sarabun, sans-serif"


def _value(number: Decimal | None) -> float:
    return float(number) if number is not None else 0.0


def rates_chart(rates: Sequence[Rate], speech: Speech) -> str:
    """Reporting and on-time rates per group, as horizontal bars (0–100 %)."""
    shown = list(reversed(rates))  # ECharts draws the first category at the bottom
    option = {
        "textStyle": {"fontFamily": FONT},
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "legend": {"data": [speech.t("reporting_rate"), speech.t("on_time_rate")], "top": 0},
        "grid": {"left": 8, "right": 24, "top": 32, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "value", "min": 0, "max": 100, "axisLabel": {"formatter": "{value}%"}},
        "yAxis": {
            "type": "category",
            "data": [r.name_th for r in shown],
            "axisLabel": {"width": 180, "overflow": "truncate"},
        },
        "series": [
            {
                "name": speech.t("reporting_rate"),
                "type": "bar",
                "data": [_value(r.rate) for r in shown],
                "itemStyle": {"color": "#1d4e89"},
            },
            {
                "name": speech.t("on_time_rate"),
                "type": "bar",
                "data": [_value(r.on_time_rate) for r in shown],
                "itemStyle": {"color": "#53b1fd"},
            },
        ],
    }
    return json.dumps(option, ensure_ascii=False)


def gauge(value: Decimal | None, label: str) -> str:
    option = {
        "textStyle": {"fontFamily": FONT},
        "series": [
            {
                "type": "gauge",
                "min": 0,
                "max": 100,
                "progress": {"show": True, "width": 14},
                "axisLine": {"lineStyle": {"width": 14}},
                "splitLine": {"show": False},
                "axisTick": {"show": False},
                "axisLabel": {"show": False},
                "pointer": {"show": False},
                "title": {"offsetCenter": [0, "70%"], "fontSize": 14},
                "detail": {
                    "valueAnimation": False,
                    "fontSize": 24,
                    "offsetCenter": [0, "10%"],
                    "formatter": "{value}%",
                },
                "data": [{"value": _value(value), "name": label}],
            }
        ],
    }
    return json.dumps(option, ensure_ascii=False)


def lines_chart(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[Decimal | None], str]],
    unit: str = "",
) -> str:
    """Values across rounds, one line per series `(name, values, colour)`; gaps stay gaps."""
    option = {
        "textStyle": {"fontFamily": FONT},
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [name for name, _, _ in series], "top": 0},
        "grid": {"left": 8, "right": 16, "top": 32, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "category", "data": list(categories)},
        "yAxis": {"type": "value", "name": unit},
        "series": [
            {
                "name": name,
                "type": "line",
                "connectNulls": False,
                "data": [None if v is None else float(v) for v in values],
                "itemStyle": {"color": colour},
            }
            for name, values, colour in series
        ],
    }
    return json.dumps(option, ensure_ascii=False)
