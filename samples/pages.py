"""Page 1 of every report as PNG, for docs/samples: what an office gets, at a glance
(the annual report's page 3, its summary, after the cover and contents; and its every
page as annual.pdf).

    python -m samples.pages docs/samples

Builds each report for the sample office from `samples.reports`, renders it to PDF the way
the reporting worker does, and converts a page with poppler's `pdftoppm`. Synthetic data.
"""

import argparse
import shutil
import subprocess
import tempfile
from pathlib import Path

from samples.office import generate_office
from samples.reports import report_data
from services.reporting.adapters.pdf import render_pdf
from services.reporting.domain import reports
from services.reporting.domain.document import Document
from services.reporting.domain.report_data import ReportData

FISCAL_YEAR = 2570
SHOWN_PAGE = {"annual": 3}  # the summary, after the cover and the contents
WHOLE = ("annual",)  # kept as PDF too


def documents(data: ReportData) -> dict[str, Document]:
    first = data.rounds[0].round_id
    return {
        "annual": reports.annual_report(data, FISCAL_YEAR),
        "round": reports.round_report(data, first),
        "rates": reports.rates_report(data, first),
        "evaluation": reports.evaluation_report(data, data.evaluations[0].evaluation_id),
        "inspection": reports.inspection_report(data, data.inspections[0].inspection_id),
        "quarter-export": reports.quarter_export(data, FISCAL_YEAR, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m samples.pages")
    parser.add_argument("out", type=Path, help="directory for the PNG files")
    parser.add_argument("--dpi", type=int, default=60)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    data = report_data(generate_office(schools=120))
    with tempfile.TemporaryDirectory() as work:
        for name, document in documents(data).items():
            pdf = Path(work) / f"{name}.pdf"
            pdf.write_bytes(render_pdf(document))
            stem = args.out / name
            page = str(SHOWN_PAGE.get(name, 1))
            one = ["-f", page, "-l", page, "-singlefile"]
            command = ["pdftoppm", "-png", "-r", str(args.dpi), *one, str(pdf), str(stem)]
            subprocess.run(command, check=True)
            print(f"{stem}.png")
            if name in WHOLE:
                shutil.copyfile(pdf, f"{stem}.pdf")
                print(f"{stem}.pdf")


if __name__ == "__main__":
    main()
