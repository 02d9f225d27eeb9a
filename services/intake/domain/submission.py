"""Pure rules of a submission: its identity, its fingerprint, and what makes it unacceptable."""

import hashlib
import json
import uuid
from collections.abc import Iterator
from typing import Any

from pydantic import ValidationError

from shared.contracts.intake import Reason, SubmissionSubmitted
from shared.thai.validation import thai_reason

_SUBMISSION_NAMESPACE = uuid.UUID("0b6f6a52-9d4c-4c0b-8d7e-3f5c1f0a9e21")

MAX_DEPTH = 8


def submission_id(unit_code: str, round_id: str, form_id: str) -> str:
    """A unit reports a form once per round; corrections are versions of the same submission."""
    return str(uuid.uuid5(_SUBMISSION_NAMESPACE, "\x1f".join((unit_code, round_id, form_id))))


def version_id(submission_id: str, number: int) -> str:
    """Each version is a document of its own: `<submission_id>#<n>`."""
    return f"{submission_id}#{number}"


def key_id(submission_id: str, submission_key: str) -> str:
    """What makes a submission key count once per submission."""
    return f"{submission_id}|{submission_key}"


def fingerprint(submitted: SubmissionSubmitted) -> str:
    """What must be equal for a repeat to count as the same submission."""
    content = submitted.model_dump(mode="json", exclude={"submitted_at"})
    return hashlib.sha256(
        json.dumps(content, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()


def reasons_from_validation(error: ValidationError) -> list[Reason]:
    """Pydantic's errors as reasons a publisher can act on, one per field (Thai first)."""
    return [
        Reason(
            field=".".join(str(part) for part in e["loc"]) or "(body)",
            code=e["type"],
            message=f"{thai_reason(e)} ({e['msg']})",
        )
        for e in error.errors(include_url=False)
    ]


def check_values(values: dict[str, Any]) -> list[Reason]:
    """Keys MongoDB cannot store safely, and nesting deeper than any form needs."""
    return list(_walk(values, "values", 1))


def _walk(node: Any, path: str, depth: int) -> Iterator[Reason]:
    if depth > MAX_DEPTH:
        yield Reason(field=path, code="too_deep", message=f"nested deeper than {MAX_DEPTH} levels")
        return
    if isinstance(node, dict):
        for key, value in node.items():
            if key.startswith("$") or "." in key or not key:
                yield Reason(
                    field=f"{path}.{key}",
                    code="invalid_key",
                    message="a field name may not be empty, start with '$' or contain '.'",
                )
            else:
                yield from _walk(value, f"{path}.{key}", depth + 1)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _walk(item, f"{path}[{index}]", depth + 1)
