"""Reports through reporting's API: request, follow, download, list."""

from typing import Any

import httpx

from services.console.domain.accounts import Account
from services.console.handlers.accounts import person_of
from services.console.handlers.ports import ConsolePorts

REPORTS_TH = {
    "annual": "รายงานผลการดำเนินงานประจำปี",
    "round": "รายงานผลการติดตามรอบ",
    "rates": "อัตราการส่งรายงานรายหน่วย",
    "evaluation": "รายงานผลการประเมิน",
    "inspection": "รายงานผลการตรวจราชการ",
    "quarter_export": "ส่งออกข้อมูลรายไตรมาส (e-MES / eMENSCR)",
}
FORMATS = {
    "annual": ("pdf", "docx", "xlsx"),
    "round": ("pdf", "docx", "xlsx"),
    "rates": ("pdf", "xlsx", "docx", "csv"),
    "evaluation": ("pdf", "docx", "xlsx"),
    "inspection": ("pdf", "docx", "xlsx"),
    "quarter_export": ("xlsx", "csv"),
}
PARAMETERS = {
    "annual": ("fiscal_year",),
    "round": ("round_id",),
    "rates": ("round_id",),
    "evaluation": ("evaluation_id",),
    "inspection": ("inspection_id",),
    "quarter_export": ("fiscal_year", "quarter"),
}


def request_body(form: dict[str, Any]) -> dict[str, Any]:
    """The request reporting takes, from the page's form (only the chosen report's fields)."""
    report_type = str(form.get("report_type", ""))
    body: dict[str, Any] = {"report_type": report_type, "format": form.get("format") or "pdf"}
    for name in PARAMETERS.get(report_type, ()):
        value = str(form.get(name) or "").strip()
        if value:
            body[name] = (
                int(value) if name in ("fiscal_year", "quarter") and value.isdigit() else value
            )
    if form.get("thai_digits"):
        body["thai_digits"] = True
    return body


async def request_report(
    ports: ConsolePorts, account: Account, form: dict[str, Any]
) -> httpx.Response:
    return await ports.reporting.request(
        "POST", "/reports", person_of(account), json=request_body(form)
    )


async def report_status(ports: ConsolePorts, account: Account, request_id: str) -> dict[str, Any]:
    answer = await ports.reporting.request("GET", f"/reports/{request_id}", person_of(account))
    answer.raise_for_status()
    found: dict[str, Any] = answer.json()
    return found


async def recent_reports(ports: ConsolePorts, account: Account) -> list[dict[str, Any]]:
    answer = await ports.reporting.request("GET", "/reports", person_of(account))
    return list(answer.json()) if answer.is_success else []


async def download(ports: ConsolePorts, account: Account, request_id: str) -> httpx.Response:
    return await ports.reporting.request(
        "GET", f"/reports/{request_id}/download", person_of(account)
    )
