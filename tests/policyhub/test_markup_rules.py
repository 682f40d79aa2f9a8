"""What the Markdown path lets through onto a page, met as a reader meets it: a published
document whose body someone wrote with raw HTML in it."""

from __future__ import annotations

import re

import pytest

from tests.documents.factories import DocumentFactory

pytestmark = pytest.mark.django_db

OVERLAY = "position:fixed;top:0;left:0;width:100%;height:100%;z-index:9999"


def test_a_picture_in_a_document_keeps_its_address_and_text_but_not_its_styling(client):
    """A `style` on a picture could stretch it over the whole page (a fake sign-in box over
    the real one); the picture itself, its address, its text and its title are kept."""
    document = DocumentFactory(
        body=(
            "Requests rose this year.\n\n"
            f'<img src="https://example.org/chart.png" alt="Chart of sharing requests" '
            f'title="Requests by month" style="{OVERLAY}">'
        )
    )

    page = client.get(document.get_absolute_url()).content.decode()

    pictures = re.findall(r"<img\b[^>]*>", page)
    chart = [tag for tag in pictures if "chart.png" in tag]
    assert len(chart) == 1, pictures
    assert 'src="https://example.org/chart.png"' in chart[0]
    assert 'alt="Chart of sharing requests"' in chart[0]
    assert 'title="Requests by month"' in chart[0]
    assert "style" not in chart[0]
    assert "position:fixed" not in page


def test_text_that_cannot_be_rendered_keeps_its_paragraphs_and_line_breaks(monkeypatch):
    """When Markdown is not parsed (too long, too costly, or the parser fails), the reader
    still sees the paragraphs and line breaks as written, with any HTML shown as text."""
    from policyhub import markup

    def fail(text: str, **kwargs) -> str:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(markup.markdown, "markdown", fail)
    html = markup.render_markdown("First line\nsecond line\n\n  \n\nLast <b>paragraph</b>  ")
    assert html == ("<p>First line<br>\nsecond line</p>\n<p>Last &lt;b&gt;paragraph&lt;/b&gt;</p>")


def test_text_of_exactly_the_longest_length_is_still_rendered():
    from policyhub.markup import MARKDOWN_LONG, render_markdown

    sentence = "A sentence of real text with one **bold** word in it.\n\n"
    text = (sentence * (MARKDOWN_LONG // len(sentence) + 1))[:MARKDOWN_LONG]
    assert len(text) == MARKDOWN_LONG
    assert "<strong>bold</strong>" in render_markdown(text)


def test_text_with_a_lone_surrogate_is_rendered_not_refused():
    """Such a character can arrive from a pasted document; the page must still answer."""
    from policyhub.markup import render_markdown

    assert render_markdown("Caf\ud800 notes *here*") == "<p>Caf\ud800 notes <em>here</em></p>"
