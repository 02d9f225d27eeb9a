"""The reporters' drafts, in the console's own database (`drafts`).

`{_id: "<unit>|<round>|<form>", unit_code, round_id, form_id, form_version, typed: [[input,
text]], files: [[input, [{evidence_id, filename}]]], submission_key, submitted_key,
submitted_values (JSON text), dirty, created_at, updated_at, updated_by}` — what a person
typed, kept until it is submitted and after (a correction starts from it). The submission
key is made with the draft, so a submit retried after a lost answer is a repeat at intake.
"""

import json
import uuid
from datetime import datetime
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase


def draft_id(unit_code: str, round_id: str, form_id: str) -> str:
    return f"{unit_code}|{round_id}|{form_id}"


def new_key() -> str:
    return f"console-{uuid.uuid4().hex}"


class MongoDrafts:
    def __init__(self, db: AsyncDatabase[dict[str, Any]]) -> None:
        self.drafts = db["drafts"]

    async def create_indexes(self) -> None:
        """Every query is by `_id`."""

    async def get(self, unit_code: str, round_id: str, form_id: str) -> dict[str, Any] | None:
        found = await self.drafts.find_one({"_id": draft_id(unit_code, round_id, form_id)})
        return None if found is None else _decoded(found)

    async def open(
        self, unit_code: str, round_id: str, form_id: str, start: dict[str, Any], now: datetime
    ) -> dict[str, Any]:
        """The draft, made from `start` (with a fresh submission key) if there is none."""
        _id = draft_id(unit_code, round_id, form_id)
        document = {
            "unit_code": unit_code,
            "round_id": round_id,
            "form_id": form_id,
            "submission_key": new_key(),
            "submitted_key": None,
            "submitted_values": None,
            "dirty": False,
            "created_at": now,
            "updated_at": now,
            **_encoded(start),
        }
        await self.drafts.update_one({"_id": _id}, {"$setOnInsert": document}, upsert=True)
        found = await self.drafts.find_one({"_id": _id})
        assert found is not None
        return _decoded(found)

    async def keep(self, _id: str, changes: dict[str, Any], by: str, now: datetime) -> None:
        await self.drafts.update_one(
            {"_id": _id}, {"$set": {**_encoded(changes), "updated_at": now, "updated_by": by}}
        )

    async def submitted(
        self, _id: str, key: str, values: dict[str, Any], by: str, now: datetime
    ) -> None:
        """Intake holds `values` under `key`: the next change is a correction, a new key."""
        await self.keep(
            _id,
            {
                "submitted_key": key,
                "submitted_values": values,
                "submission_key": new_key(),
                "dirty": False,
            },
            by,
            now,
        )


# Input names and project codes may hold dots, which MongoDB keys may not: pairs and JSON.
def _encoded(fields: dict[str, Any]) -> dict[str, Any]:
    out = dict(fields)
    for name in ("typed", "files"):
        if name in out:
            out[name] = [[k, v] for k, v in out[name].items()]
    if out.get("submitted_values") is not None:
        out["submitted_values"] = json.dumps(out["submitted_values"], sort_keys=True)
    return out


def _decoded(document: dict[str, Any]) -> dict[str, Any]:
    out = dict(document)
    for name in ("typed", "files"):
        out[name] = {k: v for k, v in out.get(name) or []}
    held = out.get("submitted_values")
    out["submitted_values"] = None if held is None else json.loads(held)
    return out
