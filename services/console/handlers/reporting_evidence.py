"""Evidence files of a unit's report: uploaded to intake's evidence store, listed on the
draft, referenced from the form's evidence field when the report is sent."""

from typing import Any

from services.console.domain.accounts import Account
from services.console.handlers.accounts import person_of
from services.console.handlers.ports import ConsolePorts
from services.console.handlers.reporting import Report, drafts_of

# Intake refuses a file with a code and an English reason; the reporter reads Thai.
EVIDENCE_TH = {
    "bad_filename": "ชื่อไฟล์ใช้ไม่ได้ กรุณาเปลี่ยนชื่อไฟล์",
    "empty": "ไฟล์ว่างเปล่า",
    "too_large": "ไฟล์ใหญ่เกินกำหนด",
    "unknown_type": "รับเฉพาะไฟล์ PDF รูปภาพ หรือเอกสาร Word Excel PowerPoint OpenDocument",
    "type_mismatch": "ชนิดไฟล์ไม่ตรงกับเนื้อหาของไฟล์",
    "extension_mismatch": "นามสกุลไฟล์ไม่ตรงกับเนื้อหาของไฟล์",
}


def _evidence_refusal(detail: dict[str, Any]) -> str:
    thai = EVIDENCE_TH.get(str(detail.get("type")))
    message = str(detail.get("msg", ""))
    return f"{thai} ({message})" if thai else message


async def attach(
    ports: ConsolePorts,
    account: Account,
    report: Report,
    name: str,
    filename: str,
    content: bytes,
    content_type: str,
) -> str | None:
    """Upload a file to intake's evidence store and list it on the draft; intake's reason
    if it refuses the file."""
    answer = await ports.intake.request(
        "POST",
        "/evidence",
        person_of(account),
        files={"file": (filename, content, content_type or "application/octet-stream")},
    )
    if answer.status_code >= 500:
        answer.raise_for_status()
    body = answer.json()
    if answer.status_code != 201:
        detail = body.get("detail") if isinstance(body, dict) else body
        if isinstance(detail, list):
            return "; ".join(_evidence_refusal(d) for d in detail if isinstance(d, dict))
        return EVIDENCE_TH["too_large"] if answer.status_code == 413 else str(detail)
    files = dict(report.draft.get("files") or {})
    files[name] = [*files.get(name, []), {"evidence_id": body["evidence_id"], "filename": filename}]
    await drafts_of(ports).keep(
        report.draft["_id"], {"files": files, "dirty": True}, account.username, ports.clock()
    )
    report.draft |= {"files": files, "dirty": True}
    return None


async def detach(
    ports: ConsolePorts, account: Account, report: Report, name: str, evidence_id: str
) -> None:
    files = dict(report.draft.get("files") or {})
    files[name] = [f for f in files.get(name, []) if f["evidence_id"] != evidence_id]
    await drafts_of(ports).keep(
        report.draft["_id"], {"files": files, "dirty": True}, account.username, ports.clock()
    )
    report.draft |= {"files": files, "dirty": True}
