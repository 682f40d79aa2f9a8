"""A respondent chooses Cymraeg in the header and completes the demo consultation entirely in
Welsh: every page says lang="cy", its headings and buttons are Welsh, and axe finds no WCAG
violation on any of them, errors included."""

from __future__ import annotations

import re

from django.core import mail

from consultation.models import Response
from tests import pages
from tests.browser.conftest import screenshot
from tests.browser.test_accessibility import violations

EMAIL = "elin.respondent@example.org"
# What an English page would say where these pages must say it in Welsh.
ENGLISH = [
    "Save and continue",
    "Save and come back later",
    "Back",
    "There is a problem",
    "Last updated",
]


def in_welsh(page, heading: str) -> list[str]:
    """Check the page is the Welsh one headed `heading`; return axe's findings on it."""
    assert page.get_attribute("html", "lang") == "cy"
    assert page.inner_text("h1").strip() == heading
    shown = page.inner_text("body")
    for words in ENGLISH:
        assert not re.search(rf"\b{words}\b", shown), f"{words!r} on {page.url}"
    return violations(page)


def test_a_respondent_completes_the_demo_consultation_in_welsh(page, site):
    found: list[str] = []
    page.goto(f"{site}/consultations/{pages.OPEN_CONSULTATION}/")
    assert page.get_attribute("html", "lang") == "en-gb"
    page.click("header ~ div button[lang=cy]")  # the switcher's "Cymraeg"
    page.wait_for_function("document.documentElement.lang === 'cy'")
    assert page.url.endswith(f"/consultations/{pages.OPEN_CONSULTATION}/")  # back where it was
    assert page.inner_text("[aria-current=true][lang=cy]") == "Cymraeg"
    found += in_welsh(page, "Wider issues for the next open policy process (demo)")
    assert "Ymateb ar-lein" in page.inner_text("main")
    assert "Hysbysiad preifatrwydd" in page.inner_text("main")

    page.click("text=Dechrau nawr")
    found += in_welsh(page, "Amdanoch chi")
    assert "cam 1 o 4" in page.inner_text(".govuk-caption-l")

    # Sent with nothing chosen: the errors, in Welsh, in the summary and by the fields.
    page.click("button:has-text('Cadw a pharhau')")
    page.wait_for_selector(".govuk-error-summary")
    assert page.inner_text(".govuk-error-summary__title") == "Mae problem wedi codi"
    assert "Dewiswch a gawn ni gyhoeddi eich ymateb" in page.inner_text(".govuk-error-summary")
    assert page.title().startswith("Gwall: Amdanoch chi")
    found += in_welsh(page, "Amdanoch chi")

    page.check("label:has-text('Fel unigolyn')")
    page.fill("#id_name", "Elin Jones")
    page.fill("#id_email", EMAIL)
    page.check("label:has-text('Cyhoeddi fy ymateb yn ddienw')")
    page.click("button:has-text('Cadw a pharhau')")

    found += in_welsh(page, "Wider issues")
    page.check("label:has-text('Data ethics')")  # the options are the consultation's own words
    page.fill("textarea", "Mae angen i bobl ddeall sut y defnyddir data amdanynt.")
    status = page.inner_text(".govuk-character-count__status")
    assert re.fullmatch(r"Mae gennych \d+ nod yn weddill", status.strip()), status
    page.click("button:has-text('Cadw a pharhau')")

    found += in_welsh(page, "Taking part")
    page.check("label:text-is('Cytuno')")
    page.click("button:has-text('Cadw a pharhau')")

    found += in_welsh(page, "Gwirio eich atebion cyn anfon eich ymateb")
    main = page.inner_text("main")
    for answer in ("Fel unigolyn", "Elin Jones", "Data ethics", "Cytuno", "Nawr anfonwch"):
        assert answer in main
    page.click("button:has-text('Anfon ymateb')")

    found += in_welsh(page, "Ymateb wedi'i anfon")
    reference = page.inner_text(".govuk-panel__body strong")
    assert "Beth sy'n digwydd nesaf" in page.inner_text("main")
    assert not found, "\n".join(found)

    sent = Response.objects.get(consultation__slug=pages.OPEN_CONSULTATION, email=EMAIL)
    assert sent.reference == reference
    assert sent.get_respondent_type_display() == "As an individual"  # stored in one language
    (receipt,) = [m for m in mail.outbox if reference in m.subject]
    assert receipt.subject.startswith("Eich ymateb i")
    assert "Diolch am ymateb i" in receipt.body
    assert "Cytuno" in receipt.body
    screenshot(page, "welsh-consultation-response-sent")


def test_the_choice_of_welsh_lasts_across_pages_and_can_be_undone(page, site):
    page.goto(f"{site}/consultations/")
    page.click("header ~ div button[lang=cy]")
    page.wait_for_function("document.documentElement.lang === 'cy'")
    assert page.inner_text("h1").strip() == "Ymgynghoriadau"
    page.goto(f"{site}/consultations/{pages.OPEN_CONSULTATION}/")
    assert page.get_attribute("html", "lang") == "cy"  # kept in the language cookie
    page.click("header ~ div button[lang=en-gb]")
    page.wait_for_function("document.documentElement.lang === 'en-gb'")
    assert "Respond online" in page.inner_text("main")
