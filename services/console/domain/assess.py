"""Scoring on one page: each criterion × subject an assessor is assigned, with what the
levels mean and the level monitoring's progress proposes; and the officer's view of the
same evaluation (who scores what, how far along, where assessors disagree).

Built from evaluation's answers as JSON (the console never imports another service)."""

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

MEASURE_TH: Mapping[str, str] = {
    "indicator": "ผลสัมฤทธิ์ของตัวชี้วัด",
    "project_indicators": "ผลสัมฤทธิ์เฉลี่ยของตัวชี้วัดโครงการ",
    "budget_efficiency": "ผลสัมฤทธิ์ต่องบประมาณที่เบิกจ่าย",
}
STATUS_TH: Mapping[str, str] = {
    "open": "เปิดให้ประเมิน",
    "finalised": "สรุปผลแล้ว",
    "draft": "ฉบับร่าง",
    "submitted": "ส่งแล้ว",
    "": "ยังไม่ประเมิน",
    # the evaluation's history
    "created": "สร้างการประเมิน",
    "assigned": "มอบหมายผู้ประเมิน",
    "reopened": "เปิดทบทวน",
}


@dataclass(frozen=True)
class Level:
    position: int
    label_th: str
    label_en: str
    meaning_th: str


@dataclass(frozen=True)
class Criterion:
    code: str
    path: str
    title_th: str
    scoring: Mapping[str, Any]


@dataclass
class Card:
    """One criterion of one subject for one assessor, and what they have given so far."""

    key: str  # "criterion|subject"
    criterion: Criterion
    subject: str
    subject_th: str
    levels: list[Level]
    proposed: int | None = None
    proposed_th: str = ""
    basis_th: str = ""
    level: int | None = None
    comment_th: str = ""
    reason_th: str = ""
    status: str = ""


def criteria(framework: Mapping[str, Any]) -> list[Criterion]:
    """The framework's leaves in tree order, each with its dotted path."""
    return list(_leaves(framework.get("nodes", ()), ""))


def _leaves(nodes: Sequence[Mapping[str, Any]], parent: str) -> Iterator[Criterion]:
    for node in nodes:
        path = f"{parent}.{node['code']}" if parent else str(node["code"])
        if node.get("children"):
            yield from _leaves(node["children"], path)
        else:
            yield Criterion(node["code"], path, node["title_th"], node.get("scoring") or {})


def _percent(value: object) -> str:
    return f"{Decimal(str(value)):,.2f}"


def levels_of(criterion: Criterion, scale: Mapping[str, Any]) -> list[Level]:
    """The scale's levels, each with what it means for this criterion: the rubric's
    descriptor, or the achievement a level starts at."""
    scoring = criterion.scoring
    descriptors = {str(k): v for k, v in (scoring.get("descriptors") or {}).items()}
    thresholds = list(scoring.get("thresholds") or ())
    found = []
    for level in scale["levels"]:
        position = int(level["position"])
        meaning = descriptors.get(str(position), "")
        if scoring.get("kind") == "from_indicator" and thresholds:
            if position == 1:
                meaning = f"ต่ำกว่าร้อยละ {_percent(thresholds[0])}"
            elif position - 2 < len(thresholds):
                meaning = f"ตั้งแต่ร้อยละ {_percent(thresholds[position - 2])}"
        found.append(Level(position, level["label_th"], level["label_en"], meaning))
    return found


def basis_of(criterion: Criterion, proposal: Mapping[str, Any] | None) -> str:
    """Why a level is proposed: what was measured, how much, as of which round."""
    if not proposal or not proposal.get("level"):
        return ""
    measure = MEASURE_TH.get(str(criterion.scoring.get("measure")), "ผลสัมฤทธิ์")
    achieved = proposal.get("achievement")
    shown = f"ร้อยละ {_percent(achieved)}" if achieved is not None else "–"
    return f"{measure} {shown} (รอบ {proposal.get('round_id') or '–'})"


def cards(
    framework: Mapping[str, Any],
    scale: Mapping[str, Any],
    results: Mapping[str, Any],
    mine: Sequence[Mapping[str, Any]],
    assignments: Sequence[Mapping[str, Any]],
    subject_names: Mapping[str, str],
) -> list[Card]:
    """The assessor's cards in the order of the subjects, then the framework's criteria."""
    by_code = {c.code: c for c in criteria(framework)}
    order = {c.code: n for n, c in enumerate(by_code.values())}
    proposals = {
        (line["criterion_code"], subject["subject"]): line.get("proposal")
        for subject in results.get("subjects", ())
        for line in subject.get("criteria", ())
    }
    given = {(s["criterion_code"], s["subject"]): s for s in mine}
    subjects = list(dict.fromkeys(a["subject"] for a in assignments))
    found = []
    for a in sorted(
        assignments, key=lambda a: (subjects.index(a["subject"]), order.get(a["criterion_code"], 0))
    ):
        criterion = by_code.get(a["criterion_code"])
        if criterion is None:
            continue
        key = (a["criterion_code"], a["subject"])
        proposal = proposals.get(key)
        levels = levels_of(criterion, scale)
        proposed = (proposal or {}).get("level") or {}
        held = given.get(key) or {}
        found.append(
            Card(
                key=f"{a['criterion_code']}|{a['subject']}",
                criterion=criterion,
                subject=a["subject"],
                subject_th=subject_names.get(a["subject"], ""),
                levels=levels,
                proposed=proposed.get("position"),
                proposed_th=proposed.get("label_th", ""),
                basis_th=basis_of(criterion, proposal),
                level=held.get("level_position"),
                comment_th=held.get("comment_th") or "",
                reason_th=held.get("override_reason_th") or "",
                status=held.get("status", ""),
            )
        )
    return found


def score_body(
    card_key: str, form: Mapping[str, Any], index: int, status: str
) -> dict[str, Any] | None:
    """The score to send for one card from the page's form; None when no level is chosen."""
    level = str(form.get(f"c{index}-level") or "").strip()
    if not level.isdigit():
        return None
    criterion, subject = card_key.split("|", 1)
    reason = str(form.get(f"c{index}-reason") or "").strip()
    comment = str(form.get(f"c{index}-comment") or "").strip()
    return {
        "criterion_code": criterion,
        "subject": subject,
        "level_position": int(level),
        "comment_th": comment or None,
        "status": status,
        "override_reason_th": reason or None,
    }


@dataclass(frozen=True)
class Row:
    """The officer's line for one criterion of one subject."""

    criterion: Criterion
    subject: str
    subject_th: str
    assessors: tuple[str, ...]
    levels: Mapping[str, int]
    score: str
    level_th: str
    spread: int | None
    stdev: str
    to_discuss: bool


def officer_rows(
    framework: Mapping[str, Any],
    evaluation: Mapping[str, Any],
    results: Mapping[str, Any],
    subject_names: Mapping[str, str],
) -> list[Row]:
    """Every criterion × subject with who is assigned, their submitted levels, the
    aggregated score and the agreement."""
    lines = {
        (line["criterion_code"], subject["subject"]): line
        for subject in results.get("subjects", ())
        for line in subject.get("criteria", ())
    }
    assigned: dict[tuple[str, str], list[str]] = {}
    for a in evaluation.get("assignments", ()):
        assigned.setdefault((a["criterion_code"], a["subject"]), []).append(a["assessor_id"])
    rows = []
    for subject in evaluation.get("subjects", ()):
        for criterion in criteria(framework):
            line = lines.get((criterion.code, subject)) or {}
            agreement = line.get("agreement") or {}
            counted = int(agreement.get("count") or 0)
            rows.append(
                Row(
                    criterion=criterion,
                    subject=subject,
                    subject_th=subject_names.get(subject, ""),
                    assessors=tuple(sorted(assigned.get((criterion.code, subject), ()))),
                    levels=line.get("levels") or {},
                    score="–"
                    if line.get("score") is None
                    else f"{Decimal(str(line['score'])):.2f}",
                    level_th=(line.get("level") or {}).get("label_th", "–"),
                    spread=int(agreement["spread"]) if counted else None,
                    stdev=f"{Decimal(str(agreement['stdev'])):.2f}" if counted else "–",
                    to_discuss=bool(agreement.get("to_discuss")),
                )
            )
    return rows


def assignments_from(form: Mapping[str, Any]) -> list[dict[str, str]]:
    """The officer's ticks (`a:<criterion>:<subject>:<assessor>`) as evaluation's list."""
    found = []
    for name in sorted(form):
        parts = name.split(":")
        if len(parts) == 4 and parts[0] == "a":
            found.append({"criterion_code": parts[1], "subject": parts[2], "assessor_id": parts[3]})
    return found


def lines_of(text: object) -> tuple[str, ...] | None:
    """A textarea's non-empty lines; None when empty (evaluation then derives them)."""
    found = tuple(line.strip() for line in str(text or "").splitlines() if line.strip())
    return found or None
