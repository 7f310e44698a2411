import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = Path(shutil.which("chromium") or "/usr/bin/chromium")
# Flags for a closed network: no background calls home, no sandbox (tests run as root in CI).
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"Chromium not found at {CHROMIUM}: `make test` installs Debian's chromium"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django's ORM calls in fixtures are still sync.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture
def portal(transactional_db, live_server):
    from motcua.accounts import demo as accounts_demo
    from motcua.catalogue import demo as catalogue_demo
    from motcua.catalogue import search

    accounts_demo.load()
    catalogue_demo.load()
    search.rebuild()
    return live_server.url


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN")
    page = context.new_page()
    yield page
    context.close()


def sign_in(browser, portal, username, locale=None, **context):
    """A new browser context signed in as the demo user `username` (an official also types the code
    of the demo authenticator); its page."""
    from motcua.accounts.demo import DEMO_PASSWORD, demo_code
    from motcua.accounts.models import User

    page = browser.new_context(**({"locale": locale} if locale else {}), **context).new_page()
    page.goto(f"{portal}/tai-khoan/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "login" not in url)
    if "/hai-buoc/" in page.url:
        page.fill("#id_code", demo_code(User.objects.get(username=username)))
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_url(lambda url: "/hai-buoc/" not in url)
    return page
