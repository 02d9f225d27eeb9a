"""How long the reports take to render, and how much memory the rendering worker needs.

Run from the repository root:

    python -m bench.reports                 # the goals of issue 9
    python -m bench.reports --schools 3000  # a smaller rates report

Each case runs in its own child process (so each peak is that render's alone): it builds
the sample office's report data (not timed), then times building the document and
rendering it, and reports the child's peak resident memory (ru_maxrss). Goals: the annual
report PDF of one office of 150 schools and 40 indicators in ≤ 5 s; the reporting-rate
XLSX of 30,000 schools in ≤ 30 s; the worker's peak memory ≤ 300 MB. It prints each figure
and its ratio to the goal (below 1.00 meets it); it asserts nothing.
"""

import argparse
import json
import resource
import subprocess
import sys
import time
from dataclasses import replace

from samples.office import generate_office
from samples.reports import report_data
from services.reporting.adapters.pdf import render_pdf
from services.reporting.adapters.xlsx import render_xlsx
from services.reporting.domain import reports

MB = 1024 * 1024
GOALS = {"annual-pdf": 5.0, "rates-xlsx": 30.0}
MEMORY_GOAL_MB = 300.0


def _case(name: str, schools: int) -> dict[str, float]:
    """Run one case in this process; the figures as JSON-able numbers."""
    if name == "annual-pdf":
        office = generate_office(schools=schools)
        data = report_data(office)
        kept = {i.code for i in data.indicators[:40]}
        data = replace(
            data,
            indicators=tuple(i for i in data.indicators if i.code in kept),
            progress=tuple(
                p.model_copy(
                    update={"indicators": tuple(i for i in p.indicators if i.code in kept)}
                )
                for p in data.progress
            ),
        )
        start = time.perf_counter()
        document = reports.annual_report(data, 2570)
        content = render_pdf(document)
    else:
        office = generate_office(schools=schools)
        data = report_data(office, rounds_done=1)
        start = time.perf_counter()
        document = reports.rates_report(data, data.rounds[0].round_id)
        content = render_xlsx(document)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    return {"seconds": seconds, "bytes": len(content), "peak_mb": peak / MB}


def _run_child(name: str, schools: int) -> dict[str, float]:
    command = [sys.executable, "-m", "bench.reports", "--child", name, "--schools", str(schools)]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.reports")
    parser.add_argument("--schools", type=int, default=30_000, help="schools in the rates case")
    parser.add_argument("--child", choices=sorted(GOALS), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(_case(args.child, args.schools)))
        return
    cases = {"annual-pdf": 150, "rates-xlsx": args.schools}
    print(
        f"{'case':<12} {'schools':>8} {'seconds':>8} {'goal s':>7} {'ratio':>6} "
        f"{'size KiB':>9} {'peak MB':>8} {'ratio':>6}"
    )
    for name, schools in cases.items():
        figures = _run_child(name, schools)
        print(
            f"{name:<12} {schools:>8,} {figures['seconds']:>8.2f} {GOALS[name]:>7.1f} "
            f"{figures['seconds'] / GOALS[name]:>6.2f} {figures['bytes'] / 1024:>9,.0f} "
            f"{figures['peak_mb']:>8.1f} {figures['peak_mb'] / MEMORY_GOAL_MB:>6.2f}"
        )


if __name__ == "__main__":
    main()
