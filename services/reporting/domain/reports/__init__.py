"""The office's reports as `Document`s: pure functions of a `ReportData` snapshot, one
module per report type. `common` holds the labels, lookups and document assembly with the
decisions every report follows, `tables` the tables and charts several reports print,
`problems` the problem lists; their underscored names are for this package only."""

from services.reporting.domain.reports.annual import annual_report
from services.reporting.domain.reports.common import NO_REPORTS_TH, QUARTER_EXPORT_COLUMNS
from services.reporting.domain.reports.evaluation import evaluation_report
from services.reporting.domain.reports.export import quarter_export
from services.reporting.domain.reports.inspection import inspection_report
from services.reporting.domain.reports.rates import rates_report
from services.reporting.domain.reports.round import round_report

__all__ = [
    "NO_REPORTS_TH",
    "QUARTER_EXPORT_COLUMNS",
    "annual_report",
    "evaluation_report",
    "inspection_report",
    "quarter_export",
    "rates_report",
    "round_report",
]
