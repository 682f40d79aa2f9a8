"""Markdown is bounded: every Markdown field has a length limit that its form states next to
the field, and the renderer turns any text, however hostile, into HTML with bounded nesting
and bounded work, never an exception. Work is asserted by what the renderer does (whether it
hands the text to the parser, how deep the output nests), never by the clock."""

from __future__ import annotations

import hashlib
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.urls import reverse

from consultation.forms import PublishForm
from documents.forms import DocumentForm
from meetings.forms import NotesForm
from policyhub import markup
from policyhub.markup import (
    MARKDOWN_LONG,
    MARKDOWN_MEDIUM,
    MARKDOWN_SHORT,
    MAX_NESTING,
    TEXT_PARAGRAPHS,
    TEXT_SUMMARY,
    forget_rendered,
    render_markdown,
)
from tests.workinggroups.factories import WiderIssueFactory
from workinggroups.forms import (
    AlternativeForm,
    ConcernForm,
    OutcomeForm,
    ProposalForm,
    SignOffForm,
    TaskForm,
    WiderIssueDecisionForm,
    WiderIssueForm,
    WorkingGroupForm,
)
from workinggroups.models import WiderIssue

# Every field shown through the `|markdown` filter, with the limit it must have.
MARKDOWN_FIELDS = [
    ("process.Process.summary", TEXT_SUMMARY),
    ("process.Process.terms_of_reference", MARKDOWN_LONG),
    ("process.Step.summary", TEXT_SUMMARY),
    ("process.Step.produces", TEXT_SUMMARY),
    ("workinggroups.WorkingGroup.purpose", MARKDOWN_SHORT),
    ("workinggroups.WorkingGroup.scope", MARKDOWN_SHORT),
    ("workinggroups.Task.summary", MARKDOWN_MEDIUM),
    ("workinggroups.Proposal.problem", MARKDOWN_SHORT),
    ("workinggroups.Proposal.conditions", MARKDOWN_SHORT),
    ("workinggroups.Proposal.safeguards", MARKDOWN_SHORT),
    ("workinggroups.Alternative.text", MARKDOWN_SHORT),
    ("workinggroups.Alternative.pros", TEXT_PARAGRAPHS),
    ("workinggroups.Alternative.cons", TEXT_PARAGRAPHS),
    ("workinggroups.SignOff.reasons", TEXT_PARAGRAPHS),
    ("workinggroups.WiderIssue.description", TEXT_PARAGRAPHS),
    ("workinggroups.WiderIssue.note", TEXT_PARAGRAPHS),
    ("workinggroups.Concern.description", MARKDOWN_SHORT),
    ("workinggroups.Concern.outcome", TEXT_PARAGRAPHS),
    ("meetings.Meeting.purpose", MARKDOWN_MEDIUM),
    ("meetings.Notes.summary", MARKDOWN_MEDIUM),
    ("meetings.Notes.decisions", MARKDOWN_MEDIUM),
    ("meetings.NotesVersion.summary", MARKDOWN_MEDIUM),
    ("meetings.NotesVersion.decisions", MARKDOWN_MEDIUM),
    ("documents.Document.summary", TEXT_SUMMARY),
    ("documents.Document.body", MARKDOWN_LONG),
    ("documents.DocumentVersion.summary", MARKDOWN_SHORT),
    ("documents.DocumentVersion.body", MARKDOWN_LONG),
    ("consultation.Consultation.summary", MARKDOWN_MEDIUM),
    ("consultation.Consultation.other_ways_to_respond", MARKDOWN_SHORT),
    ("consultation.Consultation.privacy_notice", MARKDOWN_MEDIUM),
    ("consultation.Consultation.late_response_policy", MARKDOWN_SHORT),
    ("consultation.Consultation.summary_of_responses", MARKDOWN_LONG),
    ("consultation.Section.introduction", MARKDOWN_MEDIUM),
]


@pytest.fixture(autouse=True)
def _fresh_memo():
    forget_rendered()
    yield
    forget_rendered()


@pytest.fixture
def parses(monkeypatch) -> list[str]:
    """The texts handed to python-markdown: the renderer's expensive step."""
    seen: list[str] = []
    real = markup.markdown.markdown

    def spy(text: str, **kwargs) -> str:
        seen.append(text)
        return real(text, **kwargs)

    monkeypatch.setattr(markup.markdown, "markdown", spy)
    return seen


# ---- Limits in models and forms ------------------------------------------------------


@pytest.mark.parametrize(("label", "limit"), MARKDOWN_FIELDS, ids=[f[0] for f in MARKDOWN_FIELDS])
def test_every_markdown_field_has_its_length_limit(label, limit):
    app, model, name = label.split(".")
    field = apps.get_model(app, model)._meta.get_field(name)
    assert field.max_length == limit
    assert field.formfield().max_length == limit  # admin and model forms refuse longer text


FORM_CASES = [
    (WiderIssueForm, {}, "description", "Description must be 3,000 characters or fewer"),
    (WiderIssueDecisionForm, {}, "note", "Note must be 3,000 characters or fewer"),
    (SignOffForm, {"current": "in_review"}, "reasons", "Reasons must be 3,000 characters or fewer"),
    (ConcernForm, {}, "description", "Description must be 5,000 characters or fewer"),
    (OutcomeForm, {}, "outcome", "Outcome must be 3,000 characters or fewer"),
    (WorkingGroupForm, {}, "purpose", "Purpose must be 5,000 characters or fewer"),
    (WorkingGroupForm, {}, "scope", "Scope must be 5,000 characters or fewer"),
    (TaskForm, {}, "summary", "What the group found must be 20,000 characters or fewer"),
    (ProposalForm, {}, "problem", "The problem must be 5,000 characters or fewer"),
    (ProposalForm, {}, "conditions", "The conditions must be 5,000 characters or fewer"),
    (ProposalForm, {}, "safeguards", "The safeguards must be 5,000 characters or fewer"),
    (AlternativeForm, {}, "text", "The alternative proposal must be 5,000 characters or fewer"),
    (AlternativeForm, {}, "pros", "Pros must be 3,000 characters or fewer"),
    (AlternativeForm, {}, "cons", "Cons must be 3,000 characters or fewer"),
    (NotesForm, {}, "summary", "Summary must be 20,000 characters or fewer."),
    (NotesForm, {}, "decisions", "Decisions taken must be 20,000 characters or fewer."),
    (DocumentForm, {}, "summary", "Summary must be 1,000 characters or fewer."),
    (DocumentForm, {}, "body", "Text of the document must be 100,000 characters or fewer."),
    (PublishForm, {}, "summary", "Summary of responses must be 100,000 characters or fewer"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("form_class", "kwargs", "name", "message"),
    FORM_CASES,
    ids=[f"{c[0].__name__}.{c[2]}" for c in FORM_CASES],
)
def test_forms_refuse_markdown_over_its_limit_with_a_message_beside_the_field(
    form_class, kwargs, name, message
):
    limit = form_class(**kwargs).fields[name].max_length
    assert limit in (TEXT_SUMMARY, TEXT_PARAGRAPHS, MARKDOWN_SHORT, MARKDOWN_MEDIUM, MARKDOWN_LONG)
    assert form_class({name: "a" * (limit + 1)}, **kwargs).errors[name] == [message]
    assert name not in form_class({name: "a" * limit}, **kwargs).errors


@pytest.mark.django_db
def test_meeting_form_refuses_a_purpose_over_its_limit(group):
    from meetings.forms import MeetingForm
    from workinggroups.models import WorkingGroup

    form = MeetingForm(
        {"purpose": "a" * (MARKDOWN_MEDIUM + 1)},
        groups=WorkingGroup.objects.all(),
        processes=None,
    )
    assert form.errors["purpose"] == ["Purpose and agenda must be 20,000 characters or fewer."]


@pytest.mark.django_db
def test_a_wider_issue_over_the_limit_is_refused_on_the_page_and_kept(client, group, member):
    client.force_login(member)
    description = "Why it matters. " + "x" * TEXT_PARAGRAPHS
    response = client.post(
        reverse("workinggroups:wider-issue-add", args=[group.slug]),
        {"title": "Commercial reuse", "description": description},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert not WiderIssue.objects.exists()
    message = "Description must be 3,000 characters or fewer"
    assert f'<a href="#id_description">{message}</a>' in html  # the error summary
    assert (
        f'<p id="id_description-error" class="govuk-error-message">'
        f'<span class="govuk-visually-hidden">Error:</span> {message}</p>'
    ) in html
    assert description in html  # what they typed is still in the box


@pytest.mark.django_db
def test_a_wider_issue_at_the_limit_is_accepted(client, group, member):
    client.force_login(member)
    client.post(
        reverse("workinggroups:wider-issue-add", args=[group.slug]),
        {"title": "Commercial reuse", "description": "x" * TEXT_PARAGRAPHS},
    )
    assert WiderIssue.objects.get().description == "x" * TEXT_PARAGRAPHS


# ---- Nesting --------------------------------------------------------------------------


class _Depth(HTMLParser):
    """The deepest nesting of lists and quotes in rendered HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = self.deepest = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag in {"ul", "ol", "blockquote"}:
            self.depth += 1
            self.deepest = max(self.deepest, self.depth)

    def handle_endtag(self, tag) -> None:
        if tag in {"ul", "ol", "blockquote"}:
            self.depth -= 1


def _deepest(html: str) -> int:
    parser = _Depth()
    parser.feed(html)
    return parser.deepest


DEEP = {
    "bullets on one line": "- " * 800 + "deep",
    "numbers on one line": "1. " * 800 + "deep",
    "quotes": "> " * 300 + "deep",
    "quotes and bullets": "> - " * 400 + "deep",
    "indented bullets": "".join("    " * level + "- deep\n" for level in range(150)),
}


@pytest.mark.parametrize("text", DEEP.values(), ids=DEEP.keys())
def test_deep_nesting_renders_capped_without_error(text):
    html = render_markdown(text)
    assert "deep" in html
    assert 1 < _deepest(html) <= MAX_NESTING


def test_nesting_within_the_cap_is_kept():
    html = render_markdown("".join("    " * level + f"- level {level}\n" for level in range(5)))
    assert _deepest(html) == 5


def test_fenced_code_and_thematic_breaks_are_not_touched_by_the_cap():
    text = "```\n" + "- " * 20 + "\n```\n\n" + "- " * 20
    assert markup.cap_nesting(text) == text


# ---- Work -----------------------------------------------------------------------------


def _fill(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


# Each makes python-markdown (or the sanitiser) do quadratic work: unclosed links and
# references rescan to the end of the paragraph, every inline match copies the paragraph,
# wide tables and nested HTML blow up the parsers; or packs an element into every few
# characters, several times the work of real text of the same length.
PATHOLOGICAL = {
    "unclosed links": _fill("[a](", MARKDOWN_SHORT),
    "unclosed images": _fill("![a](", MARKDOWN_SHORT),
    "unclosed references": _fill("[a][", MARKDOWN_SHORT),
    "open brackets": _fill("[", MARKDOWN_SHORT),
    "nested brackets": "[" * 2_000 + "]" * 2_000,
    "nested links": "[" * 500 + "a" + "](b)" * 500,
    "emphasis runs": _fill("*a", MARKDOWN_SHORT),
    "strong runs": _fill("**a", MARKDOWN_SHORT),
    "backticks": _fill("`a", MARKDOWN_SHORT),
    "unclosed tags": _fill("<a", MARKDOWN_SHORT),
    "unclosed tags in paragraphs": _fill("<a <b\n\n", MARKDOWN_SHORT),
    "entities": _fill("&a", MARKDOWN_SHORT),
    "fences": _fill("```\n", MARKDOWN_SHORT),
    "a line or marker every few characters": _fill("&a &b\n\n", MARKDOWN_SHORT),
    "short table cells": "|a|b|c|d|e|f|\n|-|-|-|-|-|-|\n" + _fill("|a|*b*|`c`|d|e|f|\n", 4_970),
    "wide table": "|a" * 800 + "|\n" + "|-" * 800 + "|\n" + "|a" * 800 + "|\n",
    "nested html": _fill("<b>", MARKDOWN_SHORT),
}


@pytest.mark.parametrize("text", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_text_that_would_cost_too_much_work_is_shown_escaped_unparsed(text, parses):
    html = render_markdown(text)
    assert parses == []
    assert html == markup.plain_paragraphs(text)
    assert "<a " not in html and "<b>" not in html and "<em>" not in html


def test_text_over_the_longest_limit_is_shown_escaped_unparsed(parses):
    sentence = "A sentence of real text with one **bold** word in it.\n\n"
    text = sentence * (MARKDOWN_LONG // len(sentence) + 1)
    html = render_markdown(text)
    assert parses == []
    assert "<strong>" not in html and html.startswith("<p>A sentence of real text with one **")


def test_a_parser_failure_shows_the_text_plain(monkeypatch):
    def fail(text: str, **kwargs) -> str:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(markup.markdown, "markdown", fail)
    assert render_markdown("Some *words* <here>") == "<p>Some *words* &lt;here&gt;</p>"


PAPER_SECTION = """## Section {n}: data sharing for public benefit

The working group agreed that **data sharing** must follow the [Digital Economy
Act](https://example.org/dea/{n}) and *published* safeguards (see the
[interim paper](https://example.org/paper) and the [register][register]).

- Safeguard one, with `code` and a link to https://example.org/{n}
- Safeguard two: *limited* to the purpose (and no other)
    - A sub-point, with [a link](https://example.org/sub/{n})

> A quote from a respondent, who said the proposal was "clear" & fair.

| Level | Meaning |
|---|---|
| 1 | Agreement |

```
code_block = {{"example": {n}}}
```

[register]: https://example.org/register

"""


def test_a_whole_policy_paper_is_rendered_as_markdown(parses):
    paper = ""
    n = 0
    while len(paper) < 77_000:
        paper += PAPER_SECTION.format(n=n)
        n += 1
    html = render_markdown(paper[:MARKDOWN_LONG])
    assert len(parses) == 1
    assert html.count("<h2>") == n
    assert html.count("<table>") == n and "<blockquote>" in html and "<pre><code>" in html
    assert '<a href="https://example.org/dea/0" rel="nofollow noopener">' in html


@pytest.mark.django_db
def test_the_public_wider_issues_page_answers_with_hostile_stored_descriptions(client, group):
    # Stored directly, as an import or an older version of the service could have.
    WiderIssueFactory(group=group, title="Links", description="[a](" * 5_500)
    WiderIssueFactory(group=group, title="Lists", description="- " * 800 + "a")
    WiderIssueFactory(group=group, title="Quotes", description=">" * 5_000)
    response = client.get(reverse("workinggroups:wider-issues"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<p>[a]([a](" in html


# ---- Memo -----------------------------------------------------------------------------


def test_rendered_html_is_memoised_by_the_sha256_of_its_source(parses):
    # Over the old 20,000-character memo limit.
    long_text = "A paragraph of a *paper*, long enough to be real text.\n\n" * 400
    for text in ("A *summary*.", long_text):
        first = render_markdown(text)
        assert render_markdown(text) == first
        assert markup._memo.get(hashlib.sha256(text.encode()).digest()) == first
    assert len(parses) == 2


def test_forget_rendered_drops_every_memoised_rendering(parses):
    render_markdown("A *summary*.")
    forget_rendered()
    render_markdown("A *summary*.")
    assert len(parses) == 2
    assert len(markup._memo) == 1


def test_the_memo_keeps_at_most_its_size_in_html():
    memo = markup._RenderedMemo(max_chars=10)
    for number in range(5):
        memo.put(bytes([number]), "abcd")
    assert len(memo) == 2
    assert memo.get(bytes([4])) == "abcd" and memo.get(bytes([0])) is None
    memo.put(b"big", "x" * 11)
    assert memo.get(b"big") is None


def test_html_with_many_blocks_is_sanitised_in_pieces_with_the_same_result(monkeypatch):
    # The sanitiser's tree walker is quadratic in sibling elements; pieces keep it linear.
    text = "A *paragraph* with [a link](https://example.org).\n\n" * 1_000
    whole = markup._cleaner.clean(
        markup.markdown.markdown(text, extensions=markup.MARKDOWN_EXTENSIONS)
    )
    pieces: list[str] = []
    real = markup._cleaner.clean

    def spy(html: str) -> str:
        pieces.append(html)
        return real(html)

    monkeypatch.setattr(markup._cleaner, "clean", spy)
    assert render_markdown(text) == whole
    assert len(pieces) >= 1_000 // markup.SANITISE_BLOCKS
    assert all(piece.count("\n<") <= 2 * markup.SANITISE_BLOCKS for piece in pieces)


def test_long_lists_and_tables_with_markup_in_every_line_are_rendered(parses):
    glossary = "".join(
        f"- **Term {n}**: what it means in this policy, in a line.\n" for n in range(600)
    )
    table = "| Term | Meaning |\n|---|---|\n" + "".join(
        f"| **Term {n}** | what it means in this policy, in a line |\n" for n in range(600)
    )
    for text in (glossary, table):
        assert "<strong>Term 599</strong>" in render_markdown(text)
    assert len(parses) == 2
    html = render_markdown(table)  # sanitised in pieces, never cut inside the table
    assert html.count("<table>") == 1 and html.count("<tr>") == 601
    assert render_markdown(glossary).count("<ul>") == 1
