"""On the pages people use most, every interactive element is reachable with Tab, in one
pass from the top, and shows where the focus is."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import pages
from tests.browser.conftest import become
from tests.browser.keyboard import walk_with_tab


def key_pages(role: str) -> list[str]:
    slug = pages.OPEN_CONSULTATION
    (meeting,) = pages.upcoming_meeting_kwargs()
    (document,) = pages.document_kwargs()[:1]
    return {
        "public": [
            reverse("process:home"),
            reverse("consultation:list"),
            reverse("consultation:detail", kwargs={"slug": slug}),
            reverse("documents:list"),
            reverse("documents:detail", kwargs=document),
            reverse("documents:register"),
            reverse("meetings:list"),
            reverse("account_login"),
        ],
        "respondent": [
            reverse("consultation:about-you", kwargs={"slug": slug}),
            reverse("consultation:section", kwargs={"slug": slug, "number": 1}),
            reverse("consultation:check", kwargs={"slug": slug}),
            reverse("consultation:save-for-later", kwargs={"slug": slug}),
        ],
        "participant": [reverse("meetings:detail", kwargs=meeting)],
        "convenor": [reverse("meetings:schedule")],
        "secretariat": [
            reverse("documents:restrict", kwargs=pages.one_document_kwargs()[0]),
        ],
    }[role]


@pytest.mark.parametrize("role", ["public", "respondent", "participant", "convenor", "secretariat"])
def test_every_interactive_element_is_reachable_by_tab_and_shows_focus(page, site, role):
    become(page, site, role)
    problems = []
    for path in key_pages(role):
        page.goto(site + path)
        unreached, invisible = walk_with_tab(page)
        problems += [f"{path}: not reachable by Tab: {text!r}" for text in unreached]
        problems += [f"{path}: no visible focus on {text!r}" for text in invisible]
    assert not problems, "\n".join(problems)


def test_the_focus_check_itself_notices_a_link_without_focus_style(
    browser, live_server, transactional_db
):
    """Guards against a focus check that passes everything."""
    site = live_server.url
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(site + "/accounts/login/")
    page.add_style_tag(
        content=".bare, .bare:focus { outline: none !important; box-shadow: none !important;"
        " background: none !important; color: #000 !important; text-decoration: none !important;"
        " border: 0 !important }"
    )
    page.evaluate(
        "document.querySelector('footer').insertAdjacentHTML('beforeend',"
        ' \'<a class="bare" href="#x">Bare link</a>\')'
    )
    unreached, invisible = walk_with_tab(page)
    context.close()
    assert unreached == []
    assert invisible == ["Bare link"]
