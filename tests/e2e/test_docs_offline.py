"""Every service's API documentation renders in Chromium with the network unplugged."""

import pytest
from playwright.async_api import Browser

from tests.browser import unplugged
from tests.processes import ServiceProcess

pytestmark = pytest.mark.e2e

# ReDoc's standalone bundle shows an "API docs by Redocly" logo from its CDN; offline the
# image is missing and nothing else is.
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


async def test_swagger_ui_and_redoc_render_offline(
    system: dict[str, ServiceProcess], browser: Browser
) -> None:
    refused: list[str] = []
    context = await unplugged(browser, refused)
    try:
        page = await context.new_page()
        for name, service in system.items():
            await page.goto(f"{service.url}/docs")
            title = page.locator(".swagger-ui .info .title")
            await title.wait_for(timeout=15_000)
            assert name in (await title.inner_text()).lower()
            assert await page.locator(".opblock").count() > 3, f"{name}: no operations shown"

            await page.goto(f"{service.url}/redoc")
            heading = page.locator("h1").first
            await heading.wait_for(timeout=15_000)
            assert name in (await heading.inner_text()).lower()
    finally:
        await context.close()
    outside = [url for url in refused if url != REDOC_LOGO]
    assert outside == [], f"the documentation pages fetched from outside: {outside}"
