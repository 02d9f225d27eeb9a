"""Inspectors' recommendations as a unit follows them up and the officer's register shows
them: overdue first, by issue or by unit."""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

STATUS_TH: Mapping[str, str] = {
    "open": "ยังไม่ดำเนินการ",
    "in_progress": "อยู่ระหว่างดำเนินการ",
    "done": "ดำเนินการแล้วเสร็จ",
    "not_applicable": "ไม่เกี่ยวข้อง",
}
CLOSED = frozenset({"done", "not_applicable"})
# Where a status may go next (evaluation decides; this only offers the choices).
NEXT: Mapping[str, tuple[str, ...]] = {
    "open": ("in_progress", "done", "not_applicable"),
    "in_progress": ("done", "not_applicable"),
    "done": ("in_progress",),
    "not_applicable": ("open",),
}
EVIDENCE = "evidence:"  # a file in intake's evidence store, by its id


@dataclass(frozen=True)
class Followed:
    """A recommendation with where it stands today."""

    rec: Mapping[str, Any]
    inspection_th: str
    issue_th: str
    unit_th: str
    days_left: int

    @property
    def overdue(self) -> bool:
        return self.days_left < 0 and self.rec["status"] not in CLOSED

    @property
    def closed(self) -> bool:
        return self.rec["status"] in CLOSED


def followed(
    recs: Iterable[Mapping[str, Any]],
    inspections: Mapping[str, str],
    issues: Mapping[tuple[str, str], str],
    units: Mapping[str, str],
    today: date,
) -> list[Followed]:
    """Overdue first (longest overdue first), then open ones by due date, closed last."""
    found = [
        Followed(
            rec=r,
            inspection_th=inspections.get(r["inspection_id"], r["inspection_id"]),
            issue_th=issues.get((r["inspection_id"], r["issue_code"]), ""),
            unit_th=units.get(r["responsible_unit"], r["responsible_unit"]),
            days_left=(date.fromisoformat(str(r["due_on"])) - today).days,
        )
        for r in recs
    ]
    return sorted(
        found,
        key=lambda f: (not f.overdue, f.closed, str(f.rec["due_on"]), f.rec["recommendation_id"]),
    )


def grouped(items: Sequence[Followed], by: str) -> list[tuple[str, list[Followed]]]:
    """The register by issue or by unit; a group with something overdue comes first."""
    groups: dict[str, list[Followed]] = {}
    for item in items:
        if by == "unit":
            key = f"{item.rec['responsible_unit']} {item.unit_th}"
        else:
            key = f"{item.inspection_th} · {item.rec['issue_code']} {item.issue_th}".strip()
        groups.setdefault(key, []).append(item)
    return sorted(groups.items(), key=lambda g: (not any(i.overdue for i in g[1]), g[0]))


def evidence_links(refs: Iterable[str]) -> list[tuple[str, str]]:
    """Each evidence reference as (href, shown): stored files through the console, links as
    they are; anything else shown without a link."""
    found = []
    for ref in refs:
        if ref.startswith(EVIDENCE):
            found.append((f"/evidence/{ref[len(EVIDENCE) :]}", ref[len(EVIDENCE) :]))
        elif ref.startswith(("https://", "http://")):
            found.append((ref, ref))
        else:
            found.append(("", ref))
    return found
