"""Write or time the synthetic samples.

    python -m samples office --out DIR [--seed N] [--schools N] [--office-index N]
    python -m samples nation [--offices N] [--schools-per-office N] [--seed N]

`office` writes one JSON line per entity for each kind (units.jsonl, rounds.jsonl, …,
`model_dump(mode="json")`) and CSV files for units, projects and indicators to try the
import with: UTF-8 with a BOM (so Excel shows Thai), a header of field names, money as
baht (`budget_baht` in place of `budget_satang`), lists joined with ";" and one
`target_<round_id>` column per round target. `nation` generates every office and prints
counts and the time taken.
"""

import argparse
import csv
import json
import sys
import time
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from shared.contracts.setup import SetupModel

from .office import SampleOffice, generate_nation, generate_office

CSV_KINDS = ("units", "projects", "indicators")


def write_office(office: SampleOffice, out: Path) -> dict[str, int]:
    """Write `office` under `out`; returns entities written per kind."""
    out.mkdir(parents=True, exist_ok=True)
    counts = {}
    for kind, entities in office.kinds().items():
        with (out / f"{kind}.jsonl").open("w", encoding="utf-8") as jsonl:
            for entity in entities:
                jsonl.write(json.dumps(entity.model_dump(mode="json"), ensure_ascii=False) + "\n")
        if kind in CSV_KINDS:
            write_csv(entities, out / f"{kind}.csv")
        counts[kind] = len(entities)
    return counts


def write_csv(entities: Sequence[SetupModel], path: Path) -> None:
    """One row per entity; the header is the field names (without the constant `entity`)."""
    rows = [csv_row(entity) for entity in entities]
    header = list(dict.fromkeys(name for row in rows for name in row))
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=header, restval="")
        writer.writeheader()
        writer.writerows(rows)


def csv_row(entity: SetupModel) -> dict[str, str]:
    row: dict[str, str] = {}
    for name, value in entity.model_dump().items():
        if name == "entity":
            continue
        if name == "budget_satang":
            row["budget_baht"] = f"{Decimal(value) / 100:.2f}"
        elif name == "round_targets":
            row.update({f"target_{round_id}": _cell(t) for round_id, t in value.items()})
        else:
            row[name] = _cell(value)
    return row


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, tuple | list):
        return ";".join(_cell(item) for item in value)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def _office(args: argparse.Namespace) -> None:
    office = generate_office(seed=args.seed, schools=args.schools, office_index=args.office_index)
    counts = write_office(office, Path(args.out))
    summary = ", ".join(f"{kind} {n}" for kind, n in counts.items())
    print(f"{office.office_code}: wrote {summary} to {args.out}")


def _nation(args: argparse.Namespace) -> None:
    started = time.perf_counter()
    counts: Counter[str] = Counter()
    schools = 0
    for office in generate_nation(args.offices, args.schools_per_office, args.seed):
        counts.update(office.counts())
        schools += len(office.schools)
    seconds = time.perf_counter() - started
    total = sum(counts.values())
    for kind, n in counts.items():
        print(f"{kind:<12}{n:>10,}")
    print(f"{'schools':<12}{schools:>10,}")
    print(f"{'total':<12}{total:>10,} entities in {seconds:.2f} s ({total / seconds:,.0f}/s)")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m samples", description="Synthetic Tidtam samples"
    )
    commands = parser.add_subparsers(dest="command", required=True)
    office = commands.add_parser("office", help="write one sample office as JSONL and CSV")
    office.add_argument("--out", required=True, help="directory to write to")
    office.add_argument("--seed", type=int, default=2570)
    office.add_argument("--schools", type=int, default=120)
    office.add_argument("--office-index", type=int, default=0)
    office.set_defaults(run=_office)
    nation = commands.add_parser("nation", help="generate every office; print counts and time")
    nation.add_argument("--offices", type=int, default=245)
    nation.add_argument("--schools-per-office", type=int, default=122)
    nation.add_argument("--seed", type=int, default=2570)
    nation.set_defaults(run=_nation)
    args = parser.parse_args(argv)
    args.run(args)


if __name__ == "__main__":
    main(sys.argv[1:])
