"""axe-core finds no WCAG 2.0/2.1/2.2 A or AA violation on any page, in any error state."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests import pages
from tests.browser.conftest import become

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}


def violations(page) -> list[str]:
    results = Axe().run(page, options=AXE_OPTIONS)
    return [
        f"{page.url}: {v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:3])
        for v in results.response["violations"]
    ]


def test_every_public_page_has_no_wcag_violation(page, site):
    found = []
    checked = 0
    for entry in pages.public_pages():
        page.goto(site + entry.path)
        found += violations(page)
        found += on_a_small_phone(page)
        checked += 1
    assert checked >= 10
    assert not found, "\n".join(found)


@pytest.mark.parametrize(
    "role", ["respondent", "participant", "convenor", "analyst", "secretariat"]
)
def test_pages_of_each_role_have_no_wcag_violation(page, site, role):
    become(page, site, role)
    found = []
    checked = pages.html_pages(role)
    for entry in checked:
        page.goto(site + entry.path)
        found += violations(page)
        found += on_a_small_phone(page)
    assert checked
    assert not found, "\n".join(found)


@pytest.mark.parametrize("path", ["/accounts/signup/", "/accounts/login/"])
def test_forms_with_errors_have_no_wcag_violation(page, site, path):
    page.goto(site + path)
    page.click("main button[type=submit]")
    page.wait_for_selector(".govuk-error-summary")
    assert not violations(page)


def test_the_checker_itself_finds_a_known_violation(page, site):
    """Guards against a silently broken axe injection (for example, blocked by the CSP)."""
    page.goto(site + "/")
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"x.png\">')"
    )
    assert any("image-alt" in v for v in violations(page))


def test_pages_outside_the_catalogue_have_no_wcag_violation(page, site):
    """Refusals the catalogue cannot list: an expired or wrong save-and-return link, and a
    page that does not exist (or is withheld). The confirmation page is checked by the
    consultation journey."""
    found = []
    for path in (
        f"/consultations/{pages.OPEN_CONSULTATION}/resume/no-such-token/",
        "/documents/correspondence-with-data-supplier/",
    ):
        response = page.goto(site + path)
        assert response.status == 404
        found += violations(page)
    assert not found, "\n".join(found)


OVERFLOW_JS = """() => {
    const width = document.documentElement.clientWidth;
    if (document.documentElement.scrollWidth <= width) return [];
    const wide = [...document.querySelectorAll('body *')]
        .filter(el => el.getBoundingClientRect().right > width + 1)
        .filter(el => !el.parentElement.closest('.app-table-scroll, pre'))
        .map(el => el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''));
    return wide.length ? wide.slice(-3) : ['something outside the page body'];
}"""


def on_a_small_phone(page) -> list[str]:
    """WCAG 1.4.10 Reflow: at 320 CSS pixels wide, reading never needs sideways scrolling of
    the whole page (a wide table may scroll inside its own box, which the keyboard can reach
    and scroll: axe checks that box). The page is resized in place, then restored."""
    size = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 800})
    culprits = page.evaluate(OVERFLOW_JS)
    found = [f"{page.url}: scrolls sideways at 320px: {', '.join(culprits)}"] if culprits else []
    if page.locator(".app-table-scroll[tabindex]").count():
        found += violations(page)
    page.set_viewport_size(size)
    return found
