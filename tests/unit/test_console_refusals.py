"""Every refusal code evaluation and intake's review routes can return has a Thai text in
the console, and the console reads a refusal Thai first."""

import ast
from pathlib import Path
from typing import get_args

import pytest

from services.console.domain.refusals import REFUSALS_TH, refusal_texts, thai_of
from services.evaluation.domain.inspections import ProblemCode

SOURCES = [
    *sorted(Path("services/evaluation").rglob("*.py")),
    Path("services/intake/domain/review.py"),
    Path("services/intake/handlers/review.py"),
]
# Callables whose argument at this position is a refusal code.
CODE_AT = {"refused": 1, "of": 1, "_refusal": 1, "problem": 0}


def _codes(path: Path) -> set[str]:
    """String constants passed where a refusal's code goes."""
    # intake's `refused(code, message)` names no field: the action is at fault
    code_at = {**CODE_AT, "refused": 0} if "intake" in path.parts else CODE_AT
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call):
            continue
        for keyword in node.keywords:
            if keyword.arg == "code" and isinstance(keyword.value, ast.Constant):
                found.add(str(keyword.value.value))
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        at = code_at.get(name)
        if at is not None and len(node.args) > at:
            argument = node.args[at]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                found.add(argument.value)
    return found


def every_code() -> set[str]:
    codes = set(get_args(ProblemCode))
    for path in SOURCES:
        codes |= _codes(path)
    return codes


def test_the_walk_finds_the_codes_it_should() -> None:
    codes = every_code()
    assert {"wrong_status", "comment_required", "not_assigned", "reason_needed"} <= codes
    assert {"weights_sum", "to_discuss", "transition_not_allowed"} <= codes


@pytest.mark.parametrize("code", sorted(every_code()))
def test_every_refusal_code_has_a_thai_text(code: str) -> None:
    assert code in REFUSALS_TH, f"no Thai for the refusal code {code!r}"
    assert any("\u0e00" <= c <= "\u0e7f" for c in REFUSALS_TH[code])


def test_a_refusal_is_read_thai_first_with_the_services_english_kept() -> None:
    body = {
        "detail": [
            {
                "loc": ["body", "override_reason_th"],
                "msg": "needs a reason",
                "type": "reason_needed",
            }
        ]
    }
    assert refusal_texts(body, 422) == {"override_reason_th": ("กรุณาระบุเหตุผล", "needs a reason")}
    given = {"detail": [{"loc": ["body", "to"], "msg": "x", "type": "t", "msg_th": "ไทย"}]}
    assert refusal_texts(given, 409)["to"][0] == "ไทย"
    only_english = {"detail": "this needs the role officer"}
    thai, english = refusal_texts(only_english, 403)[""]
    assert english == "this needs the role officer" and thai == thai_of(None, 403)
    assert any("\u0e00" <= c <= "\u0e7f" for c in thai)
