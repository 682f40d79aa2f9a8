"""The statistics of a consultation, in a real browser at phone and desktop widths: every
table fits the page (no scrolling sideways, no question cut off, no number pushed out of
sight), even with a theme name of 120 characters and no spaces, and each bar has its
numbers beside it as text."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from consultation import services
from consultation.models import Question
from tests import factories
from tests.browser.conftest import sign_in
from tests.consultation.factories import (
    AnswerFactory,
    QuestionFactory,
    ResponseFactory,
    ThemeFactory,
)
from tests.factories import PASSWORD

LONDON = ZoneInfo("Europe/London")
LONG_WORD = "Interoperability" * 7 + "Standard"  # 120 characters, no spaces
QUESTION = (
    "Do you agree that the proposed power to share data to help people in fuel poverty "
    "should be limited to the energy suppliers and public bodies named in the regulations?"
)

# Every table, and the page itself: how far each reaches past the width it has (0 is none),
# and whether any number or caption ends outside the window.
OVERFLOW = """() => {
    const width = document.documentElement.clientWidth;
    const found = [];
    if (document.documentElement.scrollWidth > width) {
        found.push(`the page is ${document.documentElement.scrollWidth}px wide in ${width}px`);
    }
    for (const table of document.querySelectorAll('table.govuk-table')) {
        const box = table.parentElement;
        if (box.scrollWidth > box.clientWidth) {
            found.push(`"${table.caption.textContent.trim().slice(0, 40)}" scrolls sideways`);
        }
        for (const cell of table.querySelectorAll('caption, .govuk-table__cell--numeric')) {
            if (cell.getBoundingClientRect().right > width) {
                found.push(`"${cell.textContent.trim().slice(0, 40)}" is off the page`);
            }
        }
    }
    return found;
}"""


@pytest.fixture
def consultation(transactional_db):
    """A closed consultation whose summary is published, with a long question answered on
    the agree–disagree scale by both kinds of respondent, and a free-text question coded
    with an ordinary theme and one whose name is a single 120-character word."""
    consultation = factories.ConsultationFactory(
        opens_at=datetime(2016, 2, 29, 9, tzinfo=LONDON),
        closes_at=datetime(2016, 4, 22, 23, 59, tzinfo=LONDON),
    )
    scale = QuestionFactory(
        section__consultation=consultation, kind=Question.Kind.AGREEMENT_SCALE, text=QUESTION
    )
    free = QuestionFactory(section=scale.section, text="What safeguards should apply?")
    analyst = factories.AnalystFactory(consultation=consultation).user
    themes = [
        ThemeFactory(question=free, name="Independent oversight"),
        ThemeFactory(question=free, name=LONG_WORD),
    ]
    for n, choice in enumerate(["Strongly agree", "Neither agree nor disagree", "Disagree"] * 3):
        response = ResponseFactory(
            consultation=consultation,
            respondent_type="organisation" if n % 2 else "individual",
            organisation_name="Involve",
        )
        AnswerFactory(question=scale, response=response, text="", selected=[choice])
        answer = AnswerFactory(question=free, response=response)
        services.code_answer(answer, themes=themes[: 1 + n % 2], by=analyst)
    services.publish_summary(
        consultation, summary="What we heard.", by=factories.SecretariatMemberFactory().user
    )
    consultation.analyst = analyst
    return consultation


@pytest.mark.parametrize("width", [390, 1280])
def test_published_statistics_fit_the_page_with_a_long_theme_name(
    page, live_server, consultation, width
):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{live_server.url}/consultations/{consultation.slug}/responses/")
    assert page.locator("table.govuk-table").count() == 4  # two per question
    assert page.evaluate(OVERFLOW) == []
    # Each bar is decoration beside its numbers, which are text.
    bar = page.locator(".app-chart__bar").first
    assert bar.get_attribute("aria-hidden") == "true"
    assert bar.bounding_box()["width"] >= 100  # big enough to read
    row = page.locator(".app-chart tbody tr").first
    assert "Strongly agree" in row.inner_text() and "(33%)" in row.inner_text()


def test_the_analysts_statistics_fit_a_phone(page, live_server, consultation):
    sign_in(page, live_server.url, consultation.analyst.email, PASSWORD)
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(f"{live_server.url}/consultations/{consultation.slug}/analysis/statistics/")
    assert page.locator("table.govuk-table").count() == 4
    assert page.evaluate(OVERFLOW) == []
