"""The demo as `deploy/local/system up` runs it, then its staff at work in Chromium.

Against all five services as processes, the steps `deploy/local/demo` runs (on an office
of 12 schools, not 120): the sample office and its demo round (`samples.load --demo-round`),
a demo's worth of activity (`samples.demo`) and the demo staff (`samples.staff`). Then the
demo's assessor signs in with the password the start-up printed and scores the mid-year
evaluation on one page, on a phone-sized screen; the officer sees the scoring complete; the
school sees the demo round on its page of what is due.
"""

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from playwright.async_api import Browser, BrowserContext, Page, expect

from samples.demo import EVALUATION, OPEN_EVALUATION, ROUND, demo
from samples.load import load
from samples.office import generate_office
from samples.staff import ASSESSOR, ensure_staff
from tests.browser import sign_in, unplugged
from tests.processes import Started, five_services
from tests.servers import Servers, namespaced

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
SCHOOLS = 12  # the demo's own steps on a smaller office than the start-up's 120 schools


@dataclass
class Demo(Started):
    passwords: dict[str, str]  # username → the password the start-up printed


@pytest.fixture(scope="module")
async def running(
    live_servers: Servers, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[Demo]:
    async with namespaced(live_servers) as settings:
        folder = tmp_path_factory.mktemp("demo")
        processes = five_services(settings, folder)
        try:
            monitoring = processes["monitoring"]
            office = generate_office(schools=SCHOOLS)
            await load(office, monitoring.url, demo_round=True, headers=monitoring.officer)
            await demo(settings, monitoring.url, processes["evaluation"].url, office, seed=2570)
            shown = await ensure_staff(settings, folder / "demo-accounts.txt", office)
            yield Demo(settings, processes, {u: p for u, p, _ in shown})
        finally:
            for process in processes.values():
                process.stop()


@pytest.fixture
async def phone(browser: Browser) -> AsyncIterator[BrowserContext]:
    refused: list[str] = []
    made = await unplugged(browser, refused, viewport=PHONE, is_mobile=True, has_touch=True)
    yield made
    await made.close()
    assert refused == [], f"the console fetched from outside: {refused}"


async def sign_in_as(context: BrowserContext, demo_: Demo, username: str, to: str) -> Page:
    """Signed in with the password the start-up printed for `username`, at `to`."""
    password = demo_.passwords[username]
    return await sign_in(context, demo_.console, username, password, to, asked=True)


async def test_the_demo_assessor_scores_the_mid_year_evaluation_on_one_page(
    running: Demo, phone: BrowserContext
) -> None:
    async with running.api("evaluation") as api:
        finalised = (await api.get(f"/evaluations/{EVALUATION}")).json()
        waiting = (await api.get(f"/evaluations/{OPEN_EVALUATION}")).json()
    assert finalised["status"] == "finalised"
    assert waiting["status"] == "open"
    cards = len(waiting["subjects"]) * 4

    page = await sign_in_as(phone, running, ASSESSOR, "/assess")
    form = page.get_by_test_id(f"scoring-{OPEN_EVALUATION}")
    found = form.get_by_test_id("card")
    await expect(found).to_have_count(cards)
    for index in range(cards):
        card = found.nth(index)
        if await card.get_by_test_id("proposed").count():
            await card.locator("label", has_text="(เสนอ)").locator("input").check()
        else:
            await card.locator('input[type="radio"][value="4"]').check()
    await form.get_by_role("button", name="ส่งผลการประเมิน").click()
    await expect(page.get_by_role("status")).to_contain_text("ส่งผลการประเมินแล้ว")

    await phone.clear_cookies()
    officer = await sign_in_as(phone, running, "officer", f"/evaluations/{OPEN_EVALUATION}")
    await expect(officer.get_by_test_id("scoring-progress")).to_have_text(
        f"{cards * 3} / {cards * 3}"
    )


async def test_the_demo_school_sees_the_round_it_reported(
    running: Demo, phone: BrowserContext
) -> None:
    page = await sign_in_as(phone, running, "school", "/reporting")
    due = page.locator(f'[data-round="{ROUND}"]')
    await expect(due).to_be_visible()
    await expect(due.get_by_test_id("due-status")).not_to_be_empty()
