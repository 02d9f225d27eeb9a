"""What every page shares: templates, the signed-in viewer, CSRF, language and digits."""

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates

from services.console.domain.accounts import PAGES, ROLE_TH, Account
from services.console.domain.glance import STATUS_TH
from services.console.domain.refusals import REFUSALS_TH
from services.console.domain.text import Speech
from services.console.entrypoints.charts import gauge, lines_chart, rates_chart
from services.console.handlers.accounts import session_of
from services.console.handlers.ports import ConsolePorts

HERE = Path(__file__).resolve().parent
TEMPLATES = Jinja2Templates(directory=HERE / "templates")
TEMPLATES.env.globals.update(rates_chart=rates_chart, gauge=gauge, lines_chart=lines_chart)
TEMPLATES.env.filters["todate"] = date.fromisoformat
TEMPLATES.env.globals["status_th"] = STATUS_TH
TEMPLATES.env.globals["report_th"] = {
    "missing": "ยังไม่ส่ง",
    "submitted": "ส่งแล้ว รอตรวจ",
    "approved": "อนุมัติแล้ว",
    "returned": "ส่งกลับให้แก้ไข",
    "reopened": "เปิดให้แก้ไข",
}
TEMPLATES.env.filters["todatetime"] = datetime.fromisoformat
SESSION_COOKIE = "tidtam_session"
NAV = (
    *("home", "reporting", "director", "units", "rounds", "plans", "imports", "bulk"),
    *("reports", "users", "review", "assess", "evaluations", "recommendations", "register"),
    *("operator",),
)


@dataclass(frozen=True)
class Viewer:
    """Who is looking, and how they read."""

    account: Account
    csrf: str
    speech: Speech

    def may(self, page: str) -> bool:
        return self.account.may_open(page)


class SignInNeeded(Exception):
    """No valid session: the page sends the browser to sign in."""


class NotAllowed(Exception):
    """The viewer's role may not open this page (403)."""


class BadCsrf(Exception):
    """A form without the session's CSRF token (403)."""


def speech_of(request: Request) -> Speech:
    english = request.cookies.get("lang") == "en"
    thai_digits = request.cookies.get("digits") == "thai"
    return Speech(language="en" if english else "th", thai_digits=thai_digits)


async def viewer_of(request: Request, ports: ConsolePorts, page: str) -> Viewer:
    """The signed-in viewer, allowed to open `page`; else SignInNeeded or NotAllowed."""
    found = await session_of(ports, request.cookies.get(SESSION_COOKIE))
    if found is None:
        raise SignInNeeded()
    account, csrf = found
    viewer = Viewer(account, csrf, speech_of(request))
    if page not in PAGES or not viewer.may(page):
        raise NotAllowed()
    return viewer


async def first_page(request: Request, ports: ConsolePorts) -> str | None:
    """Where the signed-in person starts: the first page of the navigation their role opens."""
    found = await session_of(ports, request.cookies.get(SESSION_COOKIE))
    if found is None:
        return None
    page = next((p for p in NAV if found[0].may_open(p)), None)
    return None if page is None or page == "home" else f"/{page}"


async def check_csrf(request: Request, viewer: Viewer) -> dict[str, Any]:
    """The submitted form, once its CSRF token (field or X-CSRF-Token header) matches."""
    form = await request.form()
    sent = str(form.get("csrf") or request.headers.get("X-CSRF-Token") or "")
    if not secrets.compare_digest(sent, viewer.csrf):
        raise BadCsrf()
    return {k: v for k, v in form.multi_items() if k != "csrf"}


def render(
    request: Request, template: str, viewer: Viewer | None, status_code: int = 200, **context: Any
) -> HTMLResponse:
    speech = viewer.speech if viewer else speech_of(request)
    nav = [page for page in NAV if viewer and viewer.may(page)]
    return TEMPLATES.TemplateResponse(
        request,
        template,
        {"viewer": viewer, "s": speech, "nav": nav, "role_th": ROLE_TH, **context},
        status_code=status_code,
    )


def safe_next(target: str | None) -> str:
    """Only a path on this site (no open redirect)."""
    return target if target and target.startswith("/") and not target.startswith("//") else "/"


def to_signin(request: Request) -> RedirectResponse:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/signin?next={target}", status_code=303)


def field_errors(body: Any, speech: Speech | None = None) -> dict[str, str]:
    """A service's refusal body (`{"detail": [{"loc", "msg", "msg_th"?}]}`) by field,
    in Thai where the service says it in Thai (its English on the switch)."""
    english = speech is not None and speech.language == "en"
    detail = body.get("detail") if isinstance(body, dict) else None
    if isinstance(detail, str):
        return {"": detail}
    found: dict[str, str] = {}
    for item in detail or []:
        loc = [str(p) for p in item.get("loc", []) if p not in ("body", "path", "query")]
        found.setdefault(".".join(loc), _said(item, english))
        if len(loc) > 1:  # an item of a list field: shown next to the field
            found.setdefault(loc[0], _said(item, english))
    return found


def _said(item: dict[str, Any], english: bool) -> str:
    if english:
        return str(item.get("msg") or item.get("msg_th") or "")
    # A refusal without Thai of its own: the console's Thai for its code, if it has one.
    thai = item.get("msg_th") or REFUSALS_TH.get(str(item.get("type")))
    return str(thai or item.get("msg") or "")
