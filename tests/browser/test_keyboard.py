"""Keyboard users: the skip link works, focus is visible, and errors take focus."""

from __future__ import annotations

from tests.browser.conftest import screenshot


def test_skip_link_is_first_and_moves_focus_to_main_content(page, site):
    page.goto(site + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    assert page.is_visible("a.govuk-skip-link")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"


def test_every_navigation_link_is_reachable_by_tab_with_a_visible_focus(page, site):
    page.goto(site + "/")
    reached = set()
    for _ in range(40):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """() => {
                const el = document.activeElement;
                if (el === document.body) return null;
                const style = getComputedStyle(el);
                return {text: el.textContent.trim(), outline: style.outlineStyle,
                        shadow: style.boxShadow, background: style.backgroundColor};
            }"""
        )
        if info is None:  # past the last link, focus leaves the page
            continue
        reached.add(info["text"])
        # GOV.UK's focus state is a yellow background with a thick underline or outline.
        assert (
            info["outline"] != "none"
            or info["shadow"] != "none"
            or info["background"] == "rgb(255, 221, 0)"
        ), info
    for item in ("Process", "Working groups", "Meetings", "Documents", "Consultations", "Sign in"):
        assert item in reached


def test_error_summary_takes_focus_after_a_failed_sign_up(page, site):
    page.goto(site + "/accounts/signup/")
    page.fill("#id_email", "not-an-email")
    page.click("main button[type=submit]")
    page.wait_for_selector(".govuk-error-summary")
    focused_class = page.evaluate("document.activeElement.className")
    assert "govuk-error-summary" in focused_class
    # The typed value is kept.
    assert page.input_value("#id_email") == "not-an-email"
    screenshot(page, "signup-errors")
