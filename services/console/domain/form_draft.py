"""A form's draft as the officer edits it on a page: fields and rules as rows.

The page posts every row each time (`f0.key`, `f0.label_th` …, `r0.left` …), with the
action the officer pressed: add a field or a rule, remove one, move a field up or down, or
save. Only saving sends the draft to monitoring, which alone judges it; the other actions
redraw the page with the rows as typed, so nothing typed is lost while the officer arranges
the form. Monitoring's problems (`fields.2.label_th`) are put next to their input (`f2.label_th`).
"""

import re
from dataclasses import dataclass, field
from typing import Any

from shared.thai.input import arabic_digits

FIELD_TYPES_TH: dict[str, str] = {
    "text": "ข้อความ",
    "integer": "จำนวนเต็ม",
    "decimal": "ตัวเลขทศนิยม",
    "money": "จำนวนเงิน (บาท)",
    "percent": "ร้อยละ",
    "yes_no": "ใช่ / ไม่ใช่",
    "choice": "เลือกตอบ",
    "date": "วันที่",
    "activity_status": "สถานะกิจกรรม",
    "evidence": "หลักฐาน (ไฟล์หรือลิงก์)",
}
SCOPES_TH: dict[str, str] = {
    "submission": "ทั้งแบบ (ตอบครั้งเดียว)",
    "project": "ทุกโครงการ",
    "indicator": "ทุกตัวชี้วัด",
}
OPS = ("<=", "<", "==", ">=", ">")
COLUMNS = ("key", "label_th", "field_type", "scope", "minimum", "maximum", "max_length")
RULE_COLUMNS = ("left", "op", "right", "message_th")
_ACTION = re.compile(
    r"^(?P<verb>add-field|add-rule|remove-field|remove-rule|up|down|save)(:(?P<row>\d+))?$"
)


@dataclass
class Draft:
    """The draft's title, fields and rules, as the page holds them (strings as typed)."""

    form_id: str
    version: int
    title_th: str
    fields: list[dict[str, Any]] = field(default_factory=list)
    rules: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def of(cls, form: dict[str, Any]) -> "Draft":
        """From monitoring's form version."""
        return cls(
            form_id=str(form["form_id"]),
            version=int(form["version"]),
            title_th=str(form.get("title_th") or ""),
            fields=[_field_row(f) for f in form.get("fields") or ()],
            rules=[{c: str(r.get(c) or "") for c in RULE_COLUMNS} for r in form.get("rules") or ()],
        )

    @classmethod
    def posted(cls, form_id: str, version: int, form: dict[str, Any]) -> "Draft":
        """From the page's posted rows (Thai digits read as Arabic)."""
        draft = cls(form_id, version, str(form.get("title_th") or "").strip())
        for i in range(_count(form, "field_count")):
            row: dict[str, Any] = {
                c: arabic_digits(str(form.get(f"f{i}.{c}") or "").strip()) for c in COLUMNS
            }
            row["required"] = form.get(f"f{i}.required") == "1"
            row["choices"] = str(form.get(f"f{i}.choices") or "").strip()
            draft.fields.append(row)
        for i in range(_count(form, "rule_count")):
            draft.rules.append({c: str(form.get(f"r{i}.{c}") or "").strip() for c in RULE_COLUMNS})
        return draft

    def apply(self, action: str) -> bool:
        """Do what the officer pressed; True when it was "save"."""
        matched = _ACTION.match(action)
        if not matched:
            return False
        verb, row = matched["verb"], int(matched["row"] or 0)
        if verb == "save":
            return True
        if verb == "add-field":
            self.fields.append(_field_row({"field_type": "text", "scope": "submission"}))
        elif verb == "add-rule":
            self.rules.append({c: "" for c in RULE_COLUMNS} | {"op": "<="})
        elif verb == "remove-field" and row < len(self.fields):
            del self.fields[row]
        elif verb == "remove-rule" and row < len(self.rules):
            del self.rules[row]
        elif verb == "up" and 0 < row < len(self.fields):
            self.fields[row - 1], self.fields[row] = self.fields[row], self.fields[row - 1]
        elif verb == "down" and row + 1 < len(self.fields):
            self.fields[row + 1], self.fields[row] = self.fields[row], self.fields[row + 1]
        return False

    def body(self) -> dict[str, Any]:
        """The form version monitoring's PUT takes; empty optional cells are left out."""
        return {
            "form_id": self.form_id,
            "version": self.version,
            "title_th": self.title_th,
            "fields": [_field_body(row) for row in self.fields],
            "rules": [dict(rule) for rule in self.rules],
        }


def errors_by_input(found: dict[str, str]) -> dict[str, str]:
    """Monitoring's problems (`fields.2.label_th`, `rules.0`) by the page's input names
    (`f2.label_th`, `r0`); the rest (title, the whole form) keep their key."""
    shown: dict[str, str] = {}
    for key, message in found.items():
        parts = key.split(".")
        if parts[0] in ("fields", "rules") and len(parts) > 1 and parts[1].isdigit():
            name = f"{parts[0][0]}{parts[1]}"
            if len(parts) > 2:
                column = "choices" if parts[2] == "choices" else parts[2]
                shown.setdefault(f"{name}.{column}", message)
            shown.setdefault(name, message)
        elif parts[0] in ("fields", "rules"):
            shown.setdefault("", message)
        else:
            shown.setdefault(key, message)
    return shown


def _count(form: dict[str, Any], name: str) -> int:
    text = str(form.get(name) or "0")
    return min(int(text), 500) if text.isdigit() else 0


def _field_row(held: dict[str, Any]) -> dict[str, Any]:
    row: dict[str, Any] = {c: "" if held.get(c) is None else str(held[c]) for c in COLUMNS}
    row["field_type"] = row["field_type"] or "text"
    row["scope"] = row["scope"] or "submission"
    row["required"] = bool(held.get("required"))
    row["choices"] = "\n".join(f"{c['value']} = {c['label_th']}" for c in held.get("choices") or ())
    return row


def _field_body(row: dict[str, Any]) -> dict[str, Any]:
    body: dict[str, Any] = {
        "key": row["key"],
        "label_th": row["label_th"],
        "field_type": row["field_type"],
        "scope": row["scope"],
        "required": bool(row["required"]),
    }
    for column in ("minimum", "maximum", "max_length"):
        if row[column]:
            body[column] = row[column]
    if row["choices"]:
        body["choices"] = [_choice(line) for line in row["choices"].splitlines() if line.strip()]
    return body


def _choice(line: str) -> dict[str, str]:
    """`value = label` (a line without `=` is its own value and label)."""
    value, _, label = line.partition("=")
    return {"value": value.strip(), "label_th": (label or value).strip()}
