"""A submission's life: submitted → approved, or returned → corrected → submitted…

Only the latest version counts. A unit may correct its submission (a new version) while
the round is not closed, unless it was approved: then a reviewer must reopen it first.
"""

from typing import Literal

from shared.contracts.intake import ReviewAction
from shared.contracts.refusals import Refusal

Status = Literal["submitted", "approved", "returned", "reopened"]

# What each review action may follow, and where it leads.
TRANSITIONS: dict[ReviewAction, tuple[frozenset[Status], Status]] = {
    "approved": (frozenset({"submitted"}), "approved"),
    "returned": (frozenset({"submitted"}), "returned"),
    "reopened": (frozenset({"approved"}), "reopened"),
}


def refused(code: str, message: str) -> Refusal:
    """The action does not fit the submission's status; `code` says why."""
    return Refusal.of("action", code, message, "conflict")


def review(status: Status, action: ReviewAction, comment: str | None) -> Status:
    """The status after `action`, or a conflict refusal."""
    allowed, after = TRANSITIONS[action]
    if status not in allowed:
        raise refused(
            "wrong_status",
            f"cannot mark a {status} submission {action}; it must be "
            f"{' or '.join(sorted(allowed))}",
        )
    if action == "returned" and not (comment and comment.strip()):
        raise refused("comment_required", "say what to correct when returning a submission")
    return after


def may_correct(status: Status) -> bool:
    """A new version is accepted unless the submission is approved (reopen it first)."""
    return status != "approved"
