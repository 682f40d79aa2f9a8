"""Every form state with errors, in the browser: axe finds no WCAG A/AA violation, the error
summary takes focus, the title starts "Error: ", every summary link leads to a field on
the page, and what was typed is kept. States come from tests/form_states.py."""

from __future__ import annotations

import pytest

from tests import form_states
from tests.browser.conftest import become
from tests.browser.test_accessibility import violations

ROLES = ["respondent", "participant", "convenor", "analyst", "secretariat"]

EMPTY_THE_MAIN_FORM = """(form) => {
    for (const el of form.elements) {
        if (el.type === 'hidden' || el.type === 'submit' || el.type === 'button') continue;
        if (el.type === 'radio' || el.type === 'checkbox') el.checked = false;
        else if (el.tagName === 'SELECT') {
            // As a person could: the blank choice if there is one, nothing in a multiple.
            const blank = [...el.options].findIndex(o => o.value === '');
            if (el.multiple) [...el.options].forEach(o => o.selected = false);
            else if (blank >= 0) el.selectedIndex = blank;
        } else if (el.type !== 'file') el.value = '';
    }
}"""

SUMMARY_LINKS_WITHOUT_TARGET = """() => [...document.querySelectorAll(
        '.govuk-error-summary a[href^="#"]')]
    .filter(a => !document.getElementById(a.getAttribute('href').slice(1)))
    .map(a => a.getAttribute('href'))"""


def problems_with_error_state(page, label: str, expect: str | None = None) -> list[str]:
    """What is wrong with the page a failed submission led to (nothing, ideally)."""
    if not page.locator(".govuk-error-summary").count():
        return [f"{label}: no error summary after sending the form ({page.url})"]
    problems = [f"{label}: {v}" for v in violations(page)]
    if not page.evaluate("!!document.activeElement.closest('.govuk-error-summary')"):
        problems.append(f"{label}: the error summary did not receive focus")
    if not page.title().startswith("Error: "):
        problems.append(f"{label}: the title does not start with 'Error: ' ({page.title()})")
    for href in page.evaluate(SUMMARY_LINKS_WITHOUT_TARGET):
        problems.append(f"{label}: error summary link {href} leads to nothing on the page")
    if expect and expect not in page.inner_text(".govuk-error-summary"):
        summary = page.inner_text(".govuk-error-summary")
        problems.append(f"{label}: expected {expect!r} in the error summary: {summary}")
    return problems


def fill(form, data: dict) -> None:
    for name, value in data.items():
        control = form.locator(f"[name='{name}']")
        kind = control.first.get_attribute("type")
        if kind in {"radio", "checkbox"}:
            for one in value if isinstance(value, list) else [value]:
                form.locator(f"[name='{name}'][value='{one}']").check()
        elif control.first.evaluate("el => el.tagName") == "SELECT":
            control.select_option(value)
        else:
            control.fill(value)


@pytest.mark.parametrize("role", ROLES)
def test_every_form_with_errors_is_accessible_and_focuses_its_error_summary(page, site, role):
    become(page, site, role)
    problems: list[str] = []
    checked = 0

    for entry in form_states.empty_form_pages(role):
        page.goto(site + entry.path)
        form = page.locator("form#main-form[method=post]")
        if not form.count():
            continue
        form.evaluate(EMPTY_THE_MAIN_FORM)
        with page.expect_navigation():
            form.locator("button[type=submit]:not([name=action])").first.click()
        problems += problems_with_error_state(page, f"{entry} sent empty")
        checked += 1

    for state in form_states.invalid_states(role):
        page.goto(site + state.path)
        if state.button:
            form = page.locator("main form").filter(
                has=page.locator("button", has_text=state.button)
            )
            button = form.locator("button", has_text=state.button)
        else:
            form = page.locator("form#main-form")
            button = form.locator("button[type=submit]:not([name=action])").first
        form.evaluate(EMPTY_THE_MAIN_FORM)
        fill(form, state.data)
        with page.expect_navigation():
            button.click()
        problems += problems_with_error_state(page, state.label, state.expect)
        for name, value in state.keep.items():
            if page.input_value(f"[name='{name}']") != value:
                problems.append(f"{state.label}: what was typed in {name} was lost")
        checked += 1

    assert checked, f"No form with errors was checked for {role}"
    assert not problems, "\n".join(problems)
