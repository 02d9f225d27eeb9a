"""The office's reports as `Document`s: pure functions of a `ReportData` snapshot, one
module per report type, each made of one builder per section. `common` holds the labels,
lookups and document assembly with the decisions every report follows; `project_tables`
the tables and charts of projects, indicators and budget; `rate_tables` those of reporting
rates; `problems` the problem lists. What modules share is public; an underscored name is
used in its own module only."""

from services.reporting.domain.reports.annual import annual_report
from services.reporting.domain.reports.common import NO_REPORTS_TH
from services.reporting.domain.reports.evaluation import evaluation_report
from services.reporting.domain.reports.export import QUARTER_EXPORT_COLUMNS, quarter_export
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
