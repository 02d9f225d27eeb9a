"""A submission's values checked against the published form version it claims to fill.

Values have one level per scope of the form's fields::

    {"problems": "…",                                      # submission scope
     "projects": {"P01": {"budget_spent": "12,500"}},      # per assigned project
     "indicators": {"P01-I1": {"actual": "๘๐"}}}           # per indicator of those projects

`projects` and `indicators` are containers only when the form has fields of that scope;
otherwise they are ordinary keys (and unknown unless the form has such a field).

Every problem is reported at once, each a `Reason` whose field is a dotted path
(`values.projects.P01.budget_spent`) and whose message is Thai with English in
parentheses. Converted values (money as integer satang, dates ISO, decimals canonical)
mean something only when there is no reason.
"""

import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from services.intake.domain.fields import comparable, convert, is_blank, say
from shared.contracts.intake import Reason
from shared.contracts.setup import CrossFieldRule, Form, FormField, Indicator, Project

PROJECTS = "projects"
INDICATORS = "indicators"
BUDGET = "project.budget_satang"

_OPERATORS: dict[str, Callable[[Any, Any], bool]] = {
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    ">=": operator.ge,
    ">": operator.gt,
}


@dataclass(frozen=True)
class FormContext:
    """What a submission is checked against: a published form and the unit's assignment."""

    form: Form  # a published version
    project_codes: tuple[str, ...]  # from the unit's Assignment (may be ())
    projects: Mapping[str, Project]  # at least those in project_codes
    indicators: Mapping[str, tuple[Indicator, ...]]  # by project code


@dataclass(frozen=True)
class _Scope:
    """The fields and rules of one scope of the form."""

    fields: tuple[FormField, ...]
    rules: tuple[CrossFieldRule, ...]
    keys: frozenset[str]  # of `fields`, asked once per key a unit sent


def validate_values(
    values: Mapping[str, Any], context: FormContext
) -> tuple[dict[str, Any], list[Reason]]:
    """The values converted and normalised, and every reason they are not acceptable."""
    scopes = _scopes(context.form)
    containers = {
        name
        for name, scope in ((PROJECTS, "project"), (INDICATORS, "indicator"))
        if scopes[scope].fields
    }
    top = {key: value for key, value in values.items() if key not in containers}
    normalised, reasons = _check_item(scopes["submission"], top, "values", None)
    if PROJECTS in containers:
        budgets = {
            code: context.projects[code].budget_satang
            for code in context.project_codes
            if code in context.projects
        }
        found, problems = _check_container(
            PROJECTS, values.get(PROJECTS), context.project_codes, scopes["project"], budgets
        )
        normalised[PROJECTS] = found
        reasons += problems
    if INDICATORS in containers:
        expected = _indicator_codes(context)
        found, problems = _check_container(
            INDICATORS, values.get(INDICATORS), expected, scopes["indicator"], {}
        )
        normalised[INDICATORS] = found
        reasons += problems
    return normalised, reasons


# A round checks thousands of submissions against one form: its scopes are worked out once
# per form object (held with it, so an id is never mistaken for another form's).
_SCOPES_OF: dict[int, tuple[Form, dict[str, _Scope]]] = {}


def _scopes(form: Form) -> dict[str, _Scope]:
    held = _SCOPES_OF.get(id(form))
    if held is not None and held[0] is form:
        return held[1]
    if len(_SCOPES_OF) >= 64:
        _SCOPES_OF.clear()
    scopes = _SCOPES_OF[id(form)] = (form, _scopes_of(form))
    return scopes[1]


def _scopes_of(form: Form) -> dict[str, _Scope]:
    scope_of = {f.key: f.scope for f in form.fields}
    scopes = {}
    for scope in ("submission", "project", "indicator"):
        fields = tuple(f for f in form.fields if f.scope == scope)
        rules = tuple(r for r in form.rules if scope_of.get(r.left) == scope)
        scopes[scope] = _Scope(fields, rules, frozenset(f.key for f in fields))
    return scopes


def _indicator_codes(context: FormContext) -> tuple[str, ...]:
    """The indicators of the assigned projects, in the order of the assignment."""
    codes = (i.code for p in context.project_codes for i in context.indicators.get(p, ()))
    return tuple(dict.fromkeys(codes))


def _check_container(
    name: str,
    raw: object,
    expected: Sequence[str],
    scope: _Scope,
    budgets: Mapping[str, int],
) -> tuple[dict[str, Any], list[Reason]]:
    """`values.projects` or `values.indicators`: one item per expected code, no other."""
    path = f"values.{name}"
    reasons: list[Reason] = []
    if raw is None:
        raw = {}
    elif not isinstance(raw, Mapping):
        th = "ต้องเป็นชุดข้อมูลแยกตามรหัส"
        reasons.append(_reason(path, "invalid", say(th, f"must map each {name[:-1]} code")))
        raw = {}
    for code in raw:
        if code not in expected:
            reasons.append(_reason(f"{path}.{code}", "not_assigned", _not_assigned(name, code)))
    normalised: dict[str, Any] = {}
    for code in expected:
        item = raw.get(code)
        if item is not None and not isinstance(item, Mapping):
            th, en = "ต้องเป็นชุดข้อมูลแยกตามช่อง", "must map each field key to its value"
            reasons.append(_reason(f"{path}.{code}", "invalid", say(th, en)))
            item = None
        found, problems = _check_item(scope, item or {}, f"{path}.{code}", budgets.get(code))
        normalised[code] = found
        reasons += problems
    return normalised, reasons


def _not_assigned(name: str, code: str) -> str:
    if name == PROJECTS:
        th = f"โครงการ {code} ไม่ได้อยู่ในโครงการที่หน่วยงานนี้ต้องรายงาน"
        return say(th, "project not assigned to this unit")
    th = f"ตัวชี้วัด {code} ไม่ใช่ตัวชี้วัดของโครงการที่หน่วยงานนี้ต้องรายงาน"
    return say(th, "indicator not of a project assigned to this unit")


def _check_item(
    scope: _Scope, raw: Mapping[str, Any], path: str, budget_satang: int | None
) -> tuple[dict[str, Any], list[Reason]]:
    """One scope item (the submission, a project, an indicator): fields, rules, strays."""
    normalised: dict[str, Any] = {}
    reasons: list[Reason] = []
    for field in scope.fields:
        value = raw.get(field.key)
        if is_blank(value):
            if field.required:
                message = say("จำเป็นต้องกรอก", "required")
                reasons.append(_reason(f"{path}.{field.key}", "required", message))
            continue
        converted, problems = convert(field, value)
        reasons += [_reason(f"{path}.{field.key}{p.at}", p.code, p.message) for p in problems]
        if converted is not None:
            normalised[field.key] = converted
    reasons += _check_rules(scope, normalised, path, budget_satang)
    for key in raw:
        if key not in scope.keys:
            message = say(f"แบบรายงานนี้ไม่มีช่อง “{key}”", "unknown field")
            reasons.append(_reason(f"{path}.{key}", "unknown_field", message))
    return normalised, reasons


def _check_rules(
    scope: _Scope, normalised: Mapping[str, Any], path: str, budget_satang: int | None
) -> list[Reason]:
    """`left op right` for each rule whose sides are both present and comparable."""
    fields = {f.key: f for f in scope.fields}
    reasons: list[Reason] = []
    for rule in scope.rules:
        left = comparable(fields[rule.left], normalised.get(rule.left))
        if rule.right == BUDGET:
            right = None if budget_satang is None else Decimal(budget_satang) / 100
        else:
            right = comparable(fields[rule.right], normalised.get(rule.right))
        if not _comparable(left, right, rule.op):
            continue
        if not _OPERATORS[rule.op](left, right):
            message = say(rule.message_th, f"rule failed: {rule.left} {rule.op} {rule.right}")
            reasons.append(_reason(f"{path}.{rule.left}", "rule_failed", message))
    return reasons


def _comparable(left: Any, right: Any, op: str) -> bool:
    """Both sides present and of a kind that orders alike (a form's rule can be odd)."""
    if left is None or right is None:
        return False
    for kind in (Decimal, date):
        if isinstance(left, kind) and isinstance(right, kind):
            return True
    return op == "==" and type(left) is type(right)


def _reason(field: str, code: str, message: str) -> Reason:
    return Reason(field=field, code=code, message=message)
