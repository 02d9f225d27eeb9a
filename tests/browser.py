"""Chromium for the browser tests: Debian's package, driven by Playwright for Python.

`playwright install` downloads a browser of its own, which cannot work where downloads are
closed; Debian's `chromium` is installed by `deploy/local/servers up browser` instead.
"""

import asyncio
import contextlib
import os
import shutil
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.async_api import Browser, BrowserContext, Page, Route, async_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps dialling Google's hosts.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
# `TIDTAM_SCREENSHOTS=<folder>` saves the pages the browser tests pass (docs/console/).
SHOTS = os.environ.get("TIDTAM_SCREENSHOTS")


@contextlib.asynccontextmanager
async def chromium() -> AsyncIterator[Browser]:
    if shutil.which(CHROMIUM) is None:  # `make tools` installs it; a bare pytest run may not
        command = [str(ROOT / "deploy/local/servers"), "up", "browser"]
        await asyncio.to_thread(subprocess.run, command, check=True)
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            await browser.close()


async def unplugged(browser: Browser, refused: list[str], **options: Any) -> BrowserContext:
    """A browser context with the network unplugged: only loopback answers.

    Every other request is aborted as an offline machine's would fail, and its URL is
    recorded in `refused`, so a test can say what a page tried to fetch from outside.
    """
    options.setdefault("viewport", {"width": 1280, "height": 900})
    context = await browser.new_context(**options)

    async def only_loopback(route: Route) -> None:
        url = route.request.url
        if urlsplit(url).scheme in ("data", "blob") or urlsplit(url).hostname in LOOPBACK:
            await route.continue_()
        else:
            refused.append(url)
            await route.abort("internetdisconnected")

    await context.route("**/*", only_loopback)
    return context


async def sign_in(
    context: BrowserContext,
    console: str,
    username: str,
    password: str,
    landing: str = "/",
    *,
    asked: bool = False,
) -> Page:
    """A new page of `context`, signed in to the console at `console` as `username` and
    waited on until it shows `landing` (a path, with its query if any).

    Plainly the page opens the sign-in page, and the console sends each role to its own
    first page (`/` for an officer, `/reporting` for a reporter): `landing` says which.
    `asked` opens `landing` itself first, signed out: the console sends the person to sign
    in and brings them back to it.
    """
    page = await context.new_page()
    await page.goto(f"{console}{landing if asked else '/signin'}")
    await page.get_by_label("ชื่อผู้ใช้").fill(username)
    await page.get_by_label("รหัสผ่าน").fill(password)
    await page.get_by_role("button", name="เข้าสู่ระบบ").click()
    await page.wait_for_url(f"{console}{landing}")
    return page


async def shot(page: Page, name: str, full_page: bool = True) -> None:
    """Save the page as `<name>.png` when TIDTAM_SCREENSHOTS names a folder; a long page
    only as far as the window shows when `full_page` is false."""
    if SHOTS:
        await page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=full_page)
