"""The inspection report's data (รายงานผลการตรวจราชการ): every issue, complete, with the
follow-up status of each recommendation, in a stable order."""

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from services.evaluation.domain.inspections import (
    CLOSED,
    INSPECTION_KINDS_TH,
    STATUSES,
    STATUSES_TH,
    InspectionError,
    InspectionIssue,
    InspectionRound,
    Problem,
    Recommendation,
    _blank,
    _placement_problems,
    _problem,
    check_issue,
    natural_key,
    overdue,
)


def _duplicates(values: Iterable[str], field: str) -> list[Problem]:
    return [
        _problem(field, "duplicate", f"{value!r} is given more than once")
        for value, n in sorted(Counter(values).items())
        if n > 1
    ]


def _report_problems(
    round_: InspectionRound,
    issues: Sequence[InspectionIssue],
    recommendations: Sequence[Recommendation],
) -> list[Problem]:
    """Everything that would make the report misplace or drop an issue or recommendation."""
    problems = [p for issue in issues for p in check_issue(issue, round_)]
    problems += _duplicates((i.issue_code for i in issues), "issue_code")
    problems += _duplicates((r.recommendation_id for r in recommendations), "recommendation_id")
    codes = {i.issue_code for i in issues}
    for rec in recommendations:
        problems += _placement_problems(rec, round_.inspection_id, codes)
    return problems


def _recommendation_entry(rec: Recommendation, today: date | None) -> dict[str, Any]:
    late = today is not None and rec.status not in CLOSED and rec.due_on < today
    return {
        **rec.model_dump(mode="json", exclude={"inspection_id", "issue_code", "history"}),
        "status_th": STATUSES_TH[rec.status],
        "overdue": None if today is None else late,
        "days_overdue": (today - rec.due_on).days if today is not None and late else None,
    }


def inspection_report(
    round_: InspectionRound,
    issues: Iterable[InspectionIssue],
    recommendations: Iterable[Recommendation],
    *,
    today: date | None = None,
) -> dict[str, Any]:
    """The inspection report's data (JSON-able): every issue in code order, its findings and
    recommendations with their follow-up status, counts per status, and completeness.

    Complete means at least one issue, and every issue has findings and a recommendation;
    `missing` lists what is not there yet. Given `today`, overdue ones are marked and counted.
    Raises `InspectionError` for issues or recommendations that do not fit the inspection.
    """
    issues = sorted(issues, key=lambda i: natural_key(i.issue_code))
    recs = sorted(recommendations, key=lambda r: natural_key(r.recommendation_id))
    problems = _report_problems(round_, issues, recs)
    if problems:
        raise InspectionError(problems)
    entries: list[dict[str, Any]] = []
    missing: list[dict[str, str | None]] = []
    for issue in issues:
        own = [_recommendation_entry(r, today) for r in recs if r.issue_code == issue.issue_code]
        findings = None if _blank(issue.findings_th) else issue.findings_th
        lacks = [("findings", findings is None), ("recommendations", not own)]
        missing += [{"issue_code": issue.issue_code, "what": w} for w, gone in lacks if gone]
        entry = issue.model_dump(mode="json", exclude={"inspection_id"})
        entries.append({**entry, "findings_th": findings, "recommendations": own})
    if not issues:
        missing.append({"issue_code": None, "what": "issues"})
    tally = Counter(r.status for r in recs)
    counts: dict[str, int | None] = {status: tally[status] for status in STATUSES}
    counts["total"] = len(recs)
    counts["overdue"] = None if today is None else len(overdue(recs, today))
    return {
        **round_.model_dump(mode="json"),
        "kind_th": INSPECTION_KINDS_TH[round_.kind],
        "as_of": today.isoformat() if today else None,
        "issues": entries,
        "counts": counts,
        "complete": not missing,
        "missing": missing,
    }
