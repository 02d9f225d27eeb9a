"""Chromium for the browser tests: Debian's package, driven by Playwright for Python.

`playwright install` downloads a browser of its own, which cannot work where downloads are
closed; Debian's `chromium` is installed by `deploy/local/servers up browser` instead.
"""

import asyncio
import contextlib
import shutil
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.async_api import Browser, BrowserContext, Route, async_playwright

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
