"""Real-browser fixtures: Debian's Chromium driven by Playwright against pytest-django's
live server. No browser is ever downloaded: Playwright is pointed at /usr/bin/chromium."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command

from tests.tools import ROOT, chromium_path

SCREENSHOTS = ROOT / "screenshots"  # kept out of git (.gitignore)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator:
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test's thread; Django's ORM refuses to
    # run inside one unless told it is safe, which it is here (the loop is Playwright's).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def site(live_server, transactional_db) -> str:
    """The live server with the demo process loaded; returns its base URL."""
    call_command("load_demo", verbosity=0)
    return live_server.url


def screenshot(page, name: str) -> list[Path]:
    """Full-page screenshots at desktop and phone widths, for a person to look at."""
    SCREENSHOTS.mkdir(exist_ok=True)
    paths = []
    original = page.viewport_size
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        path = SCREENSHOTS / f"{name}-{width}.png"
        page.screenshot(path=str(path), full_page=True)
        paths.append(path)
    page.set_viewport_size(original)
    return paths


def sign_in(page, site: str, email: str, password: str) -> None:
    page.goto(f"{site}/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", password)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    if "/2fa/authenticate/" in page.url:
        # The demo secretariat is the one account here with an authenticator app.
        from process.demo import DEMO_SECRETARIAT_TOTP_SECRET
        from tests.two_factor import totp_code

        page.fill("#id_code", totp_code(DEMO_SECRETARIAT_TOTP_SECRET))
        page.click("main button[type=submit]")
        page.wait_for_url(lambda url: "/2fa/authenticate/" not in url)


def become(page, site: str, role: str) -> None:
    """Make the browser act as one of the page catalogue's roles (see tests/pages.py)."""
    from consultation.demo import ANALYST_PASSWORD
    from process.demo import DEMO_PASSWORDS
    from tests import pages
    from tests.factories import PASSWORD, SecretariatMemberFactory, UserFactory

    if role == "public":
        return
    if role == "respondent":
        page.goto(f"{site}/consultations/{pages.OPEN_CONSULTATION}/")
        page.click("main form button[type=submit]")
        page.wait_for_url("**/respond/about-you/")
    elif role == "convenor":
        email = "convenor@demo.policyhub.test"
        sign_in(page, site, email, DEMO_PASSWORDS[email])
    elif role == "analyst":
        sign_in(page, site, "eag.analyst1@demo.policyhub.test", ANALYST_PASSWORD)
    else:
        user = UserFactory()
        if role == "secretariat":
            SecretariatMemberFactory(user=user)
        sign_in(page, site, user.email, PASSWORD)
