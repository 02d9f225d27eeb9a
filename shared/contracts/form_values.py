"""The layout of a submission's `values`, for its JSON schema (and so AsyncAPI).

A form is data (monitoring's `GET /forms/{id}/versions/{v}` gives its fields), so `values`
is validated by intake against the form version the submission names, not by a static
model. What is static is the layout: one level per scope of the form's fields —

- each `submission`-scope field's key at the top (`problems`, `evidence`);
- `projects`: one object per project assigned to the unit in the round, keyed by project
  code, holding the `project`-scope fields (`activity_status`, `budget_spent`);
- `indicators`: one object per indicator of those projects, keyed by indicator code,
  holding the `indicator`-scope fields (`actual`, `numerator`, `denominator`).

`projects` and `indicators` are containers only when the form has fields of that scope.
"""

from typing import Annotated, Any

from pydantic import WithJsonSchema

from shared.contracts.base import INT64_MAX, INT64_MIN

# One field's value as a unit sends it; intake converts it by the field's type.
_FIELD_VALUE: dict[str, Any] = {
    "description": "By the field's `field_type`: text → string; integer, decimal, percent "
    "→ number or text (Thai digits ๐–๙ and thousands separators accepted, `%` for a "
    "percent); money → baht as number or text, at most 2 decimals (stored as integer "
    "satang); yes_no → boolean or ใช่/ไม่ใช่, มี/ไม่มี, yes/no; choice → the choice's value "
    "or Thai label; date → ISO `2026-10-01` or `1/10/2569` (day/month/BE year); "
    "activity_status → not_started | in_progress | done | cancelled (or ยังไม่ดำเนินการ, "
    "กำลังดำเนินการ, ดำเนินการแล้ว, ยกเลิก); evidence → a list of at most 20 items, each "
    '`{"evidence_id": <id from intake\'s POST /evidence>}` or `{"url": "https://…"}`.',
    "anyOf": [
        {"type": "string"},
        {"type": "number"},
        {"type": "boolean"},
        {"type": "null"},
        {
            "type": "array",
            "maxItems": 20,
            "items": {
                "oneOf": [
                    {
                        "type": "object",
                        "properties": {"evidence_id": {"type": "string", "maxLength": 128}},
                        "required": ["evidence_id"],
                        "additionalProperties": False,
                    },
                    {
                        "type": "object",
                        "properties": {
                            "url": {"type": "string", "maxLength": 2000, "pattern": "^https?://"}
                        },
                        "required": ["url"],
                        "additionalProperties": False,
                    },
                ]
            },
        },
    ],
}
_FIELD_KEY = {"pattern": "^[a-z][a-z0-9_]{0,39}$"}
_CODE = {"pattern": "^[0-9A-Za-z._-]{1,32}$"}
_SCOPE_ITEM: dict[str, Any] = {
    "type": "object",
    "propertyNames": _FIELD_KEY,
    "additionalProperties": _FIELD_VALUE,
}

_LAYOUT = (
    "Keys are the form version's field keys, one level per scope: submission-scope "
    "fields at the top; `projects` keyed by each assigned project's code and "
    "`indicators` keyed by each of their indicators' codes, holding the fields of that "
    "scope (present only when the form has fields of that scope). The fields, their "
    "types, which are required and the cross-field rules come from the form version "
    "(monitoring's `GET /forms/{form_id}/versions/{version}`); an unknown key, a "
    "project not assigned to the unit or a missing required field is a rejection "
    "reason naming its path, e.g. `values.projects.P01.activity_status`."
)

PROGRESS_VALUES_EXAMPLE: dict[str, Any] = {
    "problems": "ครูไม่เพียงพอในกลุ่มสาระวิทยาศาสตร์",
    "suggestions": "ขอรับการสนับสนุนครูอัตราจ้าง",
    "evidence": [{"url": "https://school.example/รายงานโครงการ.pdf"}],
    "projects": {
        "P01": {"activity_status": "in_progress", "budget_spent": "12,500.50"},
        "P02": {"activity_status": "ดำเนินการแล้ว", "budget_spent": 80000},
    },
    "indicators": {
        "P01-I1": {"actual": "๘๐"},
        "P02-I1": {"numerator": 45, "denominator": 50},
    },
}

FormValues = Annotated[
    dict[str, Any],
    WithJsonSchema(
        {
            "title": "Values",
            "description": "The form's fields and their values, as a unit typed them. " + _LAYOUT,
            "type": "object",
            "propertyNames": _FIELD_KEY,
            "properties": {
                "projects": {
                    "type": "object",
                    "propertyNames": _CODE,
                    "additionalProperties": _SCOPE_ITEM,
                },
                "indicators": {
                    "type": "object",
                    "propertyNames": _CODE,
                    "additionalProperties": _SCOPE_ITEM,
                },
            },
            "additionalProperties": _FIELD_VALUE,
            "examples": [PROGRESS_VALUES_EXAMPLE],
        }
    ),
]

# What intake stores and announces: the same layout, each value converted by its type.
_NORMALISED_VALUE: dict[str, Any] = {
    "description": "Converted by the field's type: text, integer, boolean; decimal and "
    "percent as canonical decimal text (`80`, `12.5`); money as integer satang; a date as "
    "ISO text; activity_status and choice as their value; evidence as its list of items.",
    "anyOf": [
        {"type": "string"},
        {"type": "integer", "minimum": INT64_MIN, "maximum": INT64_MAX},
        {"type": "boolean"},
        {"type": "array", "items": {"type": "object", "additionalProperties": {"type": "string"}}},
    ],
}
_NORMALISED_ITEM: dict[str, Any] = {"type": "object", "additionalProperties": _NORMALISED_VALUE}

NormalisedValues = Annotated[
    dict[str, Any],
    WithJsonSchema(
        {
            "title": "Values",
            "description": "The values as validated and normalised (money in satang). " + _LAYOUT,
            "type": "object",
            "properties": {
                "projects": {"type": "object", "additionalProperties": _NORMALISED_ITEM},
                "indicators": {"type": "object", "additionalProperties": _NORMALISED_ITEM},
            },
            "additionalProperties": _NORMALISED_VALUE,
            "examples": [
                {
                    "problems": "ครูไม่เพียงพอในกลุ่มสาระวิทยาศาสตร์",
                    "projects": {
                        "P01": {"activity_status": "in_progress", "budget_spent": 1250050}
                    },
                    "indicators": {"P01-I1": {"actual": "80"}},
                }
            ],
        }
    ),
]

SUBMITTED_EXAMPLE: dict[str, Any] = {
    "submission_key": "school-system-000123",
    "unit_code": "1084200101",
    "round_id": "2570-Q1",
    "form_id": "action-plan-progress",
    "form_version": 1,
    "submitted_at": "2026-12-20T09:30:00+07:00",
    "submitter": "ครูสมศรี ใจดี (ผู้รายงาน)",
    "values": PROGRESS_VALUES_EXAMPLE,
}
